/**
 * The storage layer under the repositories: shipped schema steps never
 * change (databases in the field applied them as they were), statements
 * are numbered for PostgreSQL in one place, and the group commit runs the
 * repositories' asynchronous writes batched, each one alone.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import Database from 'better-sqlite3';
import { numberPlaceholders, StatementCache } from '../src/repository/db';
import { GroupCommit } from '../src/repository/group-commit';
import { POSTGRES_MIGRATIONS } from '../src/repository/postgres';
import { SQLITE_MIGRATIONS } from '../src/repository/sqlite';
import { makeTempDir, removeTempDirs } from './helpers';

afterEach( removeTempDirs );

/** SHA-256 of every schema step as released; a new step is appended here. */
const SHIPPED = {
	sqlite: [
		'dc15dd95dbf5a273c7d5b8429efe554cb6249b116013a2e6c16d48b04f06f229',
		'dcd3d92e4b058024536a1cc25d9a0b8edf63a3cf64fbc5b798790c79eb1bf53e',
		'64e66e22fcb5c0401a771d1d1dfd5472dd3e92ffe5bb88a4e74e1a5d7bc87e56',
		'ebc9a56087eefc1625afec716848f48f9398a37d19fe20e77fa207a137a3db6e',
		'81f0389727043f2e57dbf48143628f0dbf010f39a2f5f1195a76b0af3b880370',
		'04d10ac80aa127992e852d17ed452ac1ee6565134e503f96a18cd044d95e6016',
		'acf2e7b9123924e9f10a0cbede28e5266b6788241f3a2bb967ad051eacd1c80f',
		'f54f9f564443326da1207ccf79fdb2e98003ebaf36701da8e199ff9334509f15',
	],
	postgres: [
		'302368695c727c59f28cdc86c0ecb3fe67af92b42884e9da33e571ebfec8c003',
		'c53cdbbf2dacff02f9759494c8e2b678323674018e48c96bc851087c69318cee',
		'6924427377fc9468ab1016ba24b5cc7348dd40f4d50ca43bfa33050ec9b4b46e',
		'ebc9a56087eefc1625afec716848f48f9398a37d19fe20e77fa207a137a3db6e',
		'81f0389727043f2e57dbf48143628f0dbf010f39a2f5f1195a76b0af3b880370',
		'775a5c8ee983de90563f27ecca35a807c12d336e949aecde51cf55c2f4ecfbfb',
		'627ea8ca431ced66979542fde06f5f0816b39ab436812a1b700f7e5e083f19f3',
		'07e26985b2a03a38a5bb4f62f75031327a42812d69a3674398ad505ba82f50c3',
	],
};

const sha256 = ( text: string ) =>
	crypto.createHash( 'sha256' ).update( text ).digest( 'hex' );

describe( 'schema steps', () => {
	it.each( [
		[ 'sqlite', SQLITE_MIGRATIONS ],
		[ 'postgres', POSTGRES_MIGRATIONS ],
	] as const )(
		'keeps every released %s step as it was',
		( dialect, steps ) => {
			const shipped = SHIPPED[ dialect ];
			expect( steps.slice( 0, shipped.length ).map( sha256 ) ).toEqual(
				shipped
			);
		}
	);
} );

describe( 'query layer', () => {
	it( 'numbers placeholders for PostgreSQL in order', () => {
		expect(
			numberPlaceholders(
				'SELECT * FROM t WHERE a = ? AND b IN ( ?, ? ) LIMIT ?'
			)
		).toBe( 'SELECT * FROM t WHERE a = $1 AND b IN ( $2, $3 ) LIMIT $4' );
	} );

	it( 'makes each statement once, and stays bounded', () => {
		let made = 0;
		const cache = new StatementCache( ( sql: string ) => {
			made++;
			return sql.length;
		}, 2 );
		cache.get( 'a' );
		cache.get( 'a' );
		expect( made ).toBe( 1 );
		cache.get( 'b' );
		cache.get( 'c' ); // over the limit: starts again
		cache.get( 'c' );
		expect( made ).toBe( 3 );
	} );
} );

describe( 'group commit of asynchronous writes', () => {
	it( 'batches them in one transaction, each rolled back alone when it fails', async () => {
		const db = new Database( path.join( makeTempDir(), 'db.sqlite' ) );
		db.exec(
			'CREATE TABLE items ( id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE )'
		);
		const insert = db.prepare( 'INSERT INTO items ( name ) VALUES ( ? )' );
		const write =
			( ...names: string[] ) =>
			async () => {
				const inBatch = db.inTransaction;
				for ( const name of names ) {
					await Promise.resolve();
					insert.run( name );
				}
				return inBatch;
			};
		const group = new GroupCommit( db );
		const outcomes = await Promise.allSettled( [
			group.run( write( 'a' ) ),
			group.run( write( 'half-written', 'a' ) ), // fails after a first write
			group.run( write( 'b' ) ),
		] );
		expect( outcomes ).toEqual( [
			{ status: 'fulfilled', value: true },
			expect.objectContaining( { status: 'rejected' } ),
			{ status: 'fulfilled', value: true },
		] );
		expect(
			db
				.prepare( 'SELECT name FROM items ORDER BY id' )
				.all()
				.map( ( row ) => ( row as { name: string } ).name )
		).toEqual( [ 'a', 'b' ] );
		expect( db.inTransaction ).toBe( false );
		db.close();
	} );
} );
