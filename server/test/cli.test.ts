/**
 * The `chatflows-service` command, built from the sources and run as a
 * process: `check` in plain words, `migrate` of a database the predecessor
 * wrote (SQLite and PostgreSQL, every message kept), and `backup` while the
 * service writes, restored with every acknowledged message.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { openPostgresRepository } from '../src/repository/postgres';
import { openSqliteRepository, SCHEMA_VERSION } from '../src/repository/sqlite';
import type { ChatRepository } from '../src/repository/types';
import {
	ALLOWED_ORIGINS,
	cleanup,
	connectVisitor,
	makeTempDir,
	SECRET,
	sendMessage,
	startService,
} from './helpers';
import { startPostgres, type PostgresServer } from './postgres-server';
import { freePort } from './process-helpers';
import { buildServiceEntry } from './service-process';

jest.setTimeout( 120_000 );

const FIXTURES = path.join( __dirname, 'fixtures', 'predecessor' );
/** The schema version the predecessor's dumps carry. */
const PREDECESSOR_SCHEMA = 5;

let cli = '';
let postgres: PostgresServer | undefined;

beforeAll( async () => {
	cli = path.join( path.dirname( buildServiceEntry() ), 'cli.js' );
	postgres = await startPostgres();
}, 240_000 );

afterEach( cleanup );

afterAll( async () => {
	await postgres?.stop();
	if ( cli ) {
		fs.rmSync( path.dirname( cli ), { recursive: true, force: true } );
	}
} );

interface CliRun {
	code: number;
	stdout: string;
	stderr: string;
}

/**
 * Runs `chatflows-service ARGS` with exactly this environment (besides PATH).
 *
 * @param args Command and arguments.
 * @param env  Environment variables.
 */
function runCli(
	args: string[],
	env: Record< string, string >
): Promise< CliRun > {
	return new Promise( ( resolve ) => {
		execFile(
			process.execPath,
			[ cli, ...args ],
			{
				env: {
					PATH: process.env.PATH ?? '',
					// The build lives outside the repository: resolve its packages here.
					NODE_PATH: path.resolve(
						__dirname,
						'..',
						'..',
						'node_modules'
					),
					...env,
				},
			},
			( error, stdout, stderr ) =>
				resolve( {
					code: error ? Number( error.code ?? 1 ) : 0,
					stdout,
					stderr,
				} )
		);
	} );
}

/**
 * Every message of a database, as the repository reads it, by conversation.
 *
 * @param repository      The database.
 * @param conversationIds The conversations to read.
 */
async function allMessages(
	repository: ChatRepository,
	conversationIds: string[]
): Promise< Record< string, unknown[] > > {
	const messages: Record< string, unknown[] > = {};
	for ( const id of conversationIds ) {
		messages[ id ] = await repository.listMessages( id, 0 );
	}
	return messages;
}

const PREDECESSOR_CONVERSATIONS = [
	'conversation-1',
	'conversation-2',
	'conversation-3',
];

describe( 'chatflows-service check', () => {
	it( 'names every missing variable and still checks the database', async () => {
		const dir = makeTempDir();
		const run = await runCli( [ 'check' ], {
			CHATFLOWS_DB_FILE: path.join( dir, 'new', 'chatflows.sqlite' ),
		} );
		expect( run.code ).toBe( 1 );
		expect( run.stdout ).toContain(
			'PROBLEM CHATFLOWS_SECRET is required.'
		);
		expect( run.stdout ).toContain(
			'PROBLEM CHATFLOWS_ALLOWED_ORIGINS is required.'
		);
		expect( run.stdout ).toContain(
			'does not exist yet; `chatflows-service migrate` or `start` creates it.'
		);
		expect( run.stdout ).toContain(
			'WordPress was not checked: the service needs a valid configuration first.'
		);
		expect( run.stdout ).toContain( '2 problems found.' );
	} );

	it( 'says which services cannot be reached', async () => {
		const [ wordpressPort, databasePort, redisPort ] = [
			await freePort(),
			await freePort(),
			await freePort(),
		];
		const run = await runCli( [ 'check' ], {
			CHATFLOWS_SECRET: SECRET,
			CHATFLOWS_ALLOWED_ORIGINS: ALLOWED_ORIGINS.join( ',' ),
			CHATFLOWS_DATABASE_URL: `postgres://chatflows:hunter2@127.0.0.1:${ databasePort }/chatflows`,
			CHATFLOWS_REDIS_URL: `redis://127.0.0.1:${ redisPort }`,
			CHATFLOWS_WORDPRESS_URL: `http://127.0.0.1:${ wordpressPort }`,
		} );
		expect( run.code ).toBe( 1 );
		expect( run.stdout ).toContain(
			`PROBLEM Cannot connect to PostgreSQL at postgres://chatflows:***@127.0.0.1:${ databasePort }/chatflows (CHATFLOWS_DATABASE_URL): connection refused (nothing listens there).`
		);
		expect( run.stdout ).not.toContain( 'hunter2' );
		expect( run.stdout ).toContain(
			`PROBLEM Cannot use Redis at redis://127.0.0.1:${ redisPort } (CHATFLOWS_REDIS_URL): connection refused (nothing listens there).`
		);
		expect( run.stdout ).toContain(
			`PROBLEM Cannot reach WordPress at http://127.0.0.1:${ wordpressPort } (CHATFLOWS_WORDPRESS_URL): connection refused (nothing listens there).`
		);
		expect( run.stdout ).toContain( '3 problems found.' );
	} );

	it( 'passes a current database without WordPress, and notes what it could not verify', async () => {
		const dbFile = path.join( makeTempDir(), 'chatflows.sqlite' );
		await ( await startService( { dbFile } ) ).stop();
		const run = await runCli( [ 'check' ], {
			CHATFLOWS_SECRET: SECRET,
			CHATFLOWS_ALLOWED_ORIGINS: ALLOWED_ORIGINS.join( ',' ),
			CHATFLOWS_DB_FILE: dbFile,
		} );
		expect( run.stdout ).toContain(
			`ok      The database's schema is current (version ${ SCHEMA_VERSION }).`
		);
		expect( run.stdout ).toContain(
			'note    CHATFLOWS_WORDPRESS_URL is not set, so the shared secret was not verified'
		);
		expect( run.stdout ).toContain( 'No problems found.' );
		expect( run.code ).toBe( 0 );
	} );

	it( 'refuses a database written by a newer service', async () => {
		const dbFile = path.join( makeTempDir(), 'chatflows.sqlite' );
		const db = new Database( dbFile );
		db.pragma( `user_version = ${ SCHEMA_VERSION + 1 }` );
		db.close();
		const run = await runCli( [ 'check' ], {
			CHATFLOWS_SECRET: SECRET,
			CHATFLOWS_ALLOWED_ORIGINS: ALLOWED_ORIGINS.join( ',' ),
			CHATFLOWS_DB_FILE: dbFile,
		} );
		expect( run.code ).toBe( 1 );
		expect( run.stdout ).toContain(
			`PROBLEM The database's schema (version ${
				SCHEMA_VERSION + 1
			}) is newer than this service (version ${ SCHEMA_VERSION })`
		);
	} );
} );

describe( 'chatflows-service migrate: a database the predecessor wrote keeps every message', () => {
	it( 'on SQLite', async () => {
		const dbFile = path.join( makeTempDir(), 'chatflows.sqlite' );
		const db = new Database( dbFile );
		db.exec(
			fs.readFileSync( path.join( FIXTURES, 'sqlite.sql' ), 'utf8' )
		);
		const rows = ( file: Database.Database ) => ( {
			messages: file
				.prepare(
					'SELECT * FROM messages ORDER BY conversation_id, seq'
				)
				.all(),
			conversations: file
				.prepare(
					'SELECT id, status, last_seq FROM conversations ORDER BY id'
				)
				.all(),
			attachments: file
				.prepare(
					'SELECT id, conversation_id, seq, data FROM attachments ORDER BY id'
				)
				.all(),
		} );
		const before = rows( db );
		db.close();
		expect( before.messages ).toHaveLength( 16 );

		const env = { CHATFLOWS_DB_FILE: dbFile };
		const check = await runCli( [ 'check' ], env );
		expect( check.stdout ).toContain(
			`The database's schema is at version ${ PREDECESSOR_SCHEMA }; \`chatflows-service migrate\` (or \`start\`) brings it to version ${ SCHEMA_VERSION }.`
		);
		const migrate = await runCli( [ 'migrate' ], env );
		expect( migrate ).toMatchObject( {
			code: 0,
			stdout: `The SQLite file ${ dbFile } was migrated from schema version ${ PREDECESSOR_SCHEMA } to ${ SCHEMA_VERSION }.\n`,
		} );

		const after = new Database( dbFile, { readonly: true } );
		expect( rows( after ) ).toEqual( before );
		after.close();
		const repository = openSqliteRepository( dbFile );
		const messages = await allMessages(
			repository,
			PREDECESSOR_CONVERSATIONS
		);
		await repository.close();
		expect(
			Object.values( messages )
				.flat()
				.map( ( message ) => ( message as { body: string } ).body )
		).toHaveLength( 16 );
		expect( messages[ 'conversation-1' ] ).toEqual(
			(
				before.messages as Array< {
					conversation_id: string;
					seq: number;
					body: string;
				} >
			 )
				.filter( ( row ) => row.conversation_id === 'conversation-1' )
				.map( ( row ) =>
					expect.objectContaining( { seq: row.seq, body: row.body } )
				)
		);

		expect( await runCli( [ 'migrate' ], env ) ).toMatchObject( {
			code: 0,
			stdout: `The SQLite file ${ dbFile } is up to date (schema version ${ SCHEMA_VERSION }).\n`,
		} );
	} );

	it( 'on PostgreSQL', async () => {
		const server = postgres as PostgresServer;
		const name = await server.createDatabase();
		const url = server.url( name );
		const query = async < T >( sql: string ): Promise< T[] > => {
			const client = new Client( { connectionString: url } );
			await client.connect();
			try {
				return ( await client.query( sql ) ).rows as T[];
			} finally {
				await client.end();
			}
		};
		await query(
			fs.readFileSync( path.join( FIXTURES, 'postgres.sql' ), 'utf8' )
		);
		const snapshot = async () => ( {
			messages: await query(
				'SELECT * FROM public.messages ORDER BY conversation_id, seq'
			),
			conversations: await query(
				'SELECT id, status, last_seq FROM public.conversations ORDER BY id'
			),
			attachments: await query(
				'SELECT id, conversation_id, seq, data FROM public.attachments ORDER BY id'
			),
		} );
		const before = await snapshot();
		expect( before.messages ).toHaveLength( 16 );

		const env = { CHATFLOWS_DATABASE_URL: url };
		const migrate = await runCli( [ 'migrate' ], env );
		expect( migrate ).toMatchObject( {
			code: 0,
			stdout: `The PostgreSQL database was migrated from schema version ${ PREDECESSOR_SCHEMA } to ${ SCHEMA_VERSION }.\n`,
		} );
		expect( await snapshot() ).toEqual( before );

		const repository = await openPostgresRepository( url );
		const messages = await allMessages(
			repository,
			PREDECESSOR_CONVERSATIONS
		);
		await repository.close();
		expect( Object.values( messages ).flat() ).toHaveLength( 16 );
		expect(
			messages[ 'conversation-2' ].map(
				( message ) => ( message as { body: string } ).body
			)
		).toEqual(
			(
				before.messages as Array< {
					conversation_id: string;
					body: string;
				} >
			 )
				.filter( ( row ) => row.conversation_id === 'conversation-2' )
				.map( ( row ) => row.body )
		);
		await server.dropDatabase( name );
	} );
} );

describe( 'chatflows-service backup', () => {
	it( 'copies the database while the service writes; the restored copy has every acknowledged message', async () => {
		const service = await startService();
		const { socket: visitor } = await connectVisitor( service );
		const sent: string[] = [];
		let conversationId = '';
		for ( let index = 0; index < 20; index++ ) {
			const body = `Before the backup ${ index }`;
			conversationId = await sendMessage( visitor, body );
			sent.push( body );
		}
		// A second visitor keeps writing while the backup runs.
		const { socket: writer } = await connectVisitor( service );
		let writing = true;
		const during = ( async () => {
			for ( let index = 0; writing && index < 500; index++ ) {
				await sendMessage( writer, `During the backup ${ index }` );
			}
		} )();
		const backupFile = path.join(
			makeTempDir(),
			'backups',
			'chatflows.sqlite'
		);
		const run = await runCli( [ 'backup', backupFile ], {
			CHATFLOWS_DB_FILE: service.dbFile,
		} );
		writing = false;
		await during;
		expect( run.stderr ).toBe( '' );
		expect( run.code ).toBe( 0 );
		expect( run.stdout ).toMatch(
			new RegExp(
				`^Backed up \\d+ conversations and \\d+ messages \\(schema version ${ SCHEMA_VERSION }\\) to ${ backupFile.replace(
					/[.*+?^${}()|[\]\\]/g,
					'\\$&'
				) }\\.\n$`
			)
		);
		// One file, nothing beside it: it can be copied as it is.
		expect( fs.readdirSync( path.dirname( backupFile ) ) ).toEqual( [
			'chatflows.sqlite',
		] );
		visitor.disconnect();
		writer.disconnect();
		await service.stop();

		// Restore: the backup becomes the database of a new service.
		const restoredFile = path.join( makeTempDir(), 'chatflows.sqlite' );
		fs.copyFileSync( backupFile, restoredFile );
		const restored = await startService( { dbFile: restoredFile } );
		const messages = await restored.repository.listMessages(
			conversationId,
			0
		);
		expect( messages.map( ( message ) => message.body ) ).toEqual( sent );
	} );

	it( 'says what to do instead on PostgreSQL, and when FILE is missing', async () => {
		expect(
			await runCli( [ 'backup', '/tmp/never-written.sqlite' ], {
				CHATFLOWS_DATABASE_URL:
					'postgres://chatflows@127.0.0.1:5432/chatflows',
			} )
		).toEqual( {
			code: 1,
			stdout: '',
			stderr: 'chatflows-service: The service uses PostgreSQL (CHATFLOWS_DATABASE_URL): back it up with pg_dump.\n',
		} );
		expect( await runCli( [ 'backup' ], {} ) ).toEqual( {
			code: 1,
			stdout: '',
			stderr: 'chatflows-service: Say where the backup goes: chatflows-service backup FILE\n',
		} );
		const missing = path.join( makeTempDir(), 'none.sqlite' );
		expect(
			await runCli(
				[ 'backup', path.join( makeTempDir(), 'b.sqlite' ) ],
				{
					CHATFLOWS_DB_FILE: missing,
				}
			)
		).toMatchObject( {
			code: 1,
			stderr: `chatflows-service: There is no database to back up: ${ missing } (CHATFLOWS_DB_FILE) does not exist.\n`,
		} );
	} );
} );
