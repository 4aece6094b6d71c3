/**
 * A throwaway PostgreSQL server for tests: Debian's `postgresql` binaries,
 * a new cluster in a temporary folder, listening on a free loopback port.
 * Missing binaries fail the test with a message saying what to install.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { openPostgresRepository } from '../src/repository/postgres';
import type { ChatRepository } from '../src/repository/types';
import { cleanup } from './helpers';
import { freePort, waitFor } from './process-helpers';

export interface PostgresServer {
	port: number;
	/** The postmaster's process (its backends are its children). */
	pid: number | undefined;
	/**
	 * Connection URL of a database on this server.
	 *
	 * @param database Database name.
	 */
	url: ( database: string ) => string;
	/** Creates an empty database with a unique name and returns its name. */
	createDatabase: () => Promise< string >;
	/**
	 * Drops a database, disconnecting whoever still uses it.
	 *
	 * @param name Database name.
	 */
	dropDatabase: ( name: string ) => Promise< void >;
	/** Stops the server and removes its folder. */
	stop: () => Promise< void >;
}

const USER = 'chatflows';

/** The newest `/usr/lib/postgresql/<version>/bin`, or null. */
function findBinaries(): string | null {
	const root = '/usr/lib/postgresql';
	if ( ! fs.existsSync( root ) ) {
		return null;
	}
	const versions = fs
		.readdirSync( root )
		.filter( ( name ) =>
			fs.existsSync( path.join( root, name, 'bin', 'postgres' ) )
		)
		.sort( ( a, b ) => Number( b ) - Number( a ) );
	return versions.length ? path.join( root, versions[ 0 ], 'bin' ) : null;
}

/** PostgreSQL refuses to run as root: run it as the `postgres` system user then. */
function serverIdentity(): { uid?: number; gid?: number } {
	if ( process.getuid?.() !== 0 ) {
		return {};
	}
	try {
		const uid = Number(
			execFileSync( 'id', [ '-u', 'postgres' ], { encoding: 'utf8' } )
		);
		const gid = Number(
			execFileSync( 'id', [ '-g', 'postgres' ], { encoding: 'utf8' } )
		);
		return { uid, gid };
	} catch {
		throw new Error(
			'Tests run as root, and PostgreSQL needs an unprivileged user: the "postgres" user (created by the Debian package "postgresql") is missing.'
		);
	}
}

let databaseCounter = 0;

/**
 * Initializes and starts a PostgreSQL cluster for this test file.
 *
 * @param options      Options.
 * @param options.port The port to listen on; a free one by default.
 * @return The running server.
 */
export async function startPostgres(
	options: { port?: number } = {}
): Promise< PostgresServer > {
	const bin = findBinaries();
	if ( ! bin ) {
		throw new Error(
			'PostgreSQL is not installed: these tests need the Debian package "postgresql" (npm test installs it; or run apt-get install postgresql).'
		);
	}
	const identity = serverIdentity();
	const dir = fs.mkdtempSync(
		path.join( os.tmpdir(), 'chatflows-postgres-' )
	);
	const dataDir = path.join( dir, 'data' );
	if ( identity.uid !== undefined ) {
		fs.chownSync( dir, identity.uid, identity.gid as number );
	}
	execFileSync(
		path.join( bin, 'initdb' ),
		[
			'-D',
			dataDir,
			'-U',
			USER,
			'--auth=trust',
			'--encoding=UTF8',
			'--no-sync',
		],
		{ ...identity, stdio: 'pipe', cwd: dir }
	);
	const port = options.port || ( await freePort() );
	let output = '';
	const child: ChildProcess = spawn(
		path.join( bin, 'postgres' ),
		[
			'-D',
			dataDir,
			'-p',
			String( port ),
			'-h',
			'127.0.0.1',
			'-k',
			dir,
			// Tests need a real server, not a crash-safe disk: the service's own
			// durability is what the tests check.
			'-c',
			'fsync=off',
			'-c',
			'full_page_writes=off',
			'-c',
			'max_connections=200',
		],
		{ ...identity, stdio: [ 'ignore', 'pipe', 'pipe' ], cwd: dir }
	);
	child.stdout?.on( 'data', ( chunk ) => ( output += chunk ) );
	child.stderr?.on( 'data', ( chunk ) => ( output += chunk ) );
	const exited = new Promise< void >( ( resolve ) =>
		child.once( 'exit', () => resolve() )
	);

	const url = ( database: string ): string =>
		`postgres://${ USER }@127.0.0.1:${ port }/${ database }`;

	const admin = async < T >(
		work: ( client: Client ) => Promise< T >
	): Promise< T > => {
		const client = new Client( { connectionString: url( 'postgres' ) } );
		await client.connect();
		try {
			return await work( client );
		} finally {
			await client.end();
		}
	};

	const stop = async (): Promise< void > => {
		if ( child.exitCode === null && child.signalCode === null ) {
			// SIGINT: PostgreSQL's fast shutdown.
			child.kill( 'SIGINT' );
			await exited;
		}
		fs.rmSync( dir, { recursive: true, force: true } );
	};

	try {
		await waitFor(
			async () => {
				if ( child.exitCode !== null ) {
					throw new Error(
						`PostgreSQL exited while starting:\n${ output }`
					);
				}
				try {
					await admin( ( client ) => client.query( 'SELECT 1' ) );
					return true;
				} catch {
					return false;
				}
			},
			20_000,
			() => `PostgreSQL did not start:\n${ output }`
		);
	} catch ( error ) {
		await stop();
		throw error;
	}

	return {
		port,
		pid: child.pid,
		url,
		createDatabase: async () => {
			const name = `chatflows_test_${ process.pid }_${ ++databaseCounter }`;
			await admin( ( client ) =>
				client.query( `CREATE DATABASE ${ name }` )
			);
			return name;
		},
		dropDatabase: async ( name ) => {
			await admin( ( client ) =>
				client.query(
					`DROP DATABASE IF EXISTS ${ name } WITH ( FORCE )`
				)
			);
		},
		stop,
	};
}

/** A repository for a test's service; undefined: the service's own SQLite file. */
export type RepositoryOpener = () => Promise< ChatRepository | undefined >;

/**
 * The two databases a service test runs on, for `describe.each`: the
 * service's own SQLite file, and a new database on a PostgreSQL server
 * started for the test file. Registers the file's hooks: the server starts
 * before the first test; after each test every service stops (`cleanup`)
 * and then its databases are dropped; the server stops after the last test.
 * Call it once per test file, at its top level.
 *
 * @return `[ name, open a repository ]` pairs.
 */
export function onSqliteAndPostgres(): Array< [ string, RepositoryOpener ] > {
	let postgres: PostgresServer | undefined;
	const databases: string[] = [];

	// Starting a server takes seconds on a busy machine: more than jest's default hook time.
	beforeAll( async () => {
		postgres = await startPostgres();
	}, 60_000 );

	afterEach( async () => {
		await cleanup();
		for ( const name of databases.splice( 0 ) ) {
			await postgres?.dropDatabase( name );
		}
	} );

	afterAll( async () => {
		await postgres?.stop();
	} );

	return [
		[ 'SQLite', async () => undefined ],
		[
			'PostgreSQL',
			async () => {
				if ( ! postgres ) {
					throw new Error( 'PostgreSQL did not start.' );
				}
				const name = await postgres.createDatabase();
				databases.push( name );
				return openPostgresRepository( postgres.url( name ) );
			},
		],
	];
}
