/**
 * Group commit: writes of one turn share a transaction, yet each succeeds or
 * fails on its own, and every promise settles after the commit.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { GroupCommit, MAX_BATCH } from '../src/repository/group-commit';
import { makeTempDir, removeTempDirs } from './helpers';

afterEach( removeTempDirs );

function openDatabase(): Database.Database {
	const db = new Database( path.join( makeTempDir(), 'db.sqlite' ) );
	db.pragma( 'journal_mode = WAL' );
	db.exec(
		'CREATE TABLE items ( id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE )'
	);
	return db;
}

describe( 'GroupCommit', () => {
	it( 'commits the writes of one turn in one transaction', async () => {
		const db = openDatabase();
		const commits: number[] = [];
		const group = new GroupCommit( db );
		const insert = db.prepare( 'INSERT INTO items ( name ) VALUES ( ? )' );
		const results = await Promise.all(
			[ 'a', 'b', 'c' ].map( ( name ) =>
				group.run( () => {
					commits.push( db.inTransaction ? 1 : 0 );
					return Number( insert.run( name ).lastInsertRowid );
				} )
			)
		);
		expect( results ).toEqual( [ 1, 2, 3 ] );
		expect( commits ).toEqual( [ 1, 1, 1 ] );
		expect( db.inTransaction ).toBe( false );
		db.close();
	} );

	it( 'rolls back and rejects only the write that fails', async () => {
		const db = openDatabase();
		const group = new GroupCommit( db );
		const insert = db.prepare( 'INSERT INTO items ( name ) VALUES ( ? )' );
		const outcomes = await Promise.allSettled( [
			group.run( () => insert.run( 'x' ) ),
			group.run( () => {
				insert.run( 'half-written' );
				insert.run( 'x' ); // duplicate: fails after a first write
			} ),
			group.run( () => insert.run( 'y' ) ),
		] );
		expect( outcomes.map( ( o ) => o.status ) ).toEqual( [
			'fulfilled',
			'rejected',
			'fulfilled',
		] );
		expect(
			db
				.prepare( 'SELECT name FROM items ORDER BY id' )
				.all()
				.map( ( row ) => ( row as { name: string } ).name )
		).toEqual( [ 'x', 'y' ] );
		db.close();
	} );

	it( 'settles nothing before the commit, and splits very large batches', async () => {
		const db = openDatabase();
		const group = new GroupCommit( db );
		const insert = db.prepare( 'INSERT INTO items ( name ) VALUES ( ? )' );
		let settled = 0;
		const writes = Array.from( { length: MAX_BATCH + 10 }, ( _, i ) =>
			group.run( () => insert.run( `n${ i }` ) ).then( () => settled++ )
		);
		await Promise.resolve();
		expect( settled ).toBe( 0 );
		await Promise.all( writes );
		expect(
			(
				db.prepare( 'SELECT COUNT(*) AS n FROM items' ).get() as {
					n: number;
				}
			 ).n
		).toBe( MAX_BATCH + 10 );
		db.close();
	} );
} );
