/**
 * The shared repository suite against the embedded SQLite database.
 */
import path from 'node:path';
import { openSqliteRepository } from '../src/repository/sqlite';
import { makeTempDir, removeTempDirs } from './helpers';
import { describeRepository } from './repository-contract';

afterAll( removeTempDirs );

describeRepository( 'SQLite', async () => {
	const file = path.join( makeTempDir(), 'chatflows.sqlite' );
	return {
		open: async () => openSqliteRepository( file ),
		drop: async () => {},
	};
} );
