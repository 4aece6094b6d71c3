/**
 * The shared repository suite against a real PostgreSQL server, plus what is
 * particular to PostgreSQL (schema versioning, several nodes at once).
 */
import { Client } from 'pg';
import {
	POSTGRES_MIGRATIONS,
	POSTGRES_SCHEMA_VERSION,
	openPostgresRepository,
} from '../src/repository/postgres';
import { startPostgres, type PostgresServer } from './postgres-server';
import { describeRepository, visitorMessage } from './repository-contract';
import { privacyMigration } from '../src/repository/privacy-sql';

jest.setTimeout( 60_000 );

let server: PostgresServer;

beforeAll( async () => {
	server = await startPostgres();
} );

afterAll( async () => {
	await server?.stop();
} );

describeRepository( 'PostgreSQL', async () => {
	const name = await server.createDatabase();
	return {
		open: () => openPostgresRepository( server.url( name ) ),
		drop: () => server.dropDatabase( name ),
	};
} );

describe( 'PostgreSQL schema and nodes', () => {
	let name: string;

	beforeEach( async () => {
		name = await server.createDatabase();
	} );

	afterEach( async () => {
		await server.dropDatabase( name );
	} );

	it( 'migrates once when several nodes start together', async () => {
		const nodes = await Promise.all(
			[ 1, 2, 3 ].map( () =>
				openPostgresRepository( server.url( name ) )
			)
		);
		const client = new Client( { connectionString: server.url( name ) } );
		await client.connect();
		try {
			const { rows } = await client.query(
				'SELECT version FROM chatflows_schema'
			);
			expect( rows ).toEqual( [ { version: POSTGRES_SCHEMA_VERSION } ] );
		} finally {
			await client.end();
			await Promise.all( nodes.map( ( node ) => node.close() ) );
		}
	} );

	it( 'migrates a database of the version before consent records, linking visitors to the contacts of their conversations', async () => {
		const client = new Client( { connectionString: server.url( name ) } );
		await client.connect();
		const steps = POSTGRES_MIGRATIONS.slice(
			0,
			POSTGRES_MIGRATIONS.indexOf( privacyMigration( 'postgres' ) )
		);
		try {
			for ( const step of steps ) {
				await client.query( step );
			}
			await client.query(
				'CREATE TABLE chatflows_schema ( version INTEGER NOT NULL )'
			);
			await client.query(
				'INSERT INTO chatflows_schema ( version ) VALUES ( $1 )',
				[ steps.length ]
			);
			const now = '2026-03-01T10:00:00.000Z';
			await client.query(
				"INSERT INTO visitors ( id, session_hash, created_at ) VALUES ( 'v', 'h', $1 )",
				[ now ]
			);
			await client.query(
				"INSERT INTO contacts ( id, email_key, email, name, created_at ) VALUES ( 'contact-1', 'ann@example.com', 'Ann@example.com', 'Ann', $1 )",
				[ now ]
			);
			await client.query(
				`INSERT INTO conversations ( id, visitor_id, chatflow_id, status, created_at, updated_at, contact_id )
				VALUES ( 'c', 'v', 'support', 'open', $1, $1, 'contact-1' )`,
				[ now ]
			);
		} finally {
			await client.end();
		}
		const repository = await openPostgresRepository( server.url( name ) );
		try {
			await expect(
				repository.findContactByEmail( 'ANN@example.com' )
			).resolves.toMatchObject( { id: 'contact-1', marketing: false } );
			const { record } = await repository.recordConsent( {
				id: 'consent-1',
				visitorId: 'v',
				contactId: null,
				chatflowId: 'support',
				kind: 'cookies',
				granted: true,
				method: 'banner',
				text: 'Cookies?',
				textVersion: '0123456789abcdef',
				language: 'en_US',
				pageUrl: 'http://localhost:8888/',
				recordedAt: '2026-03-01T10:00:00.000Z',
			} );
			expect( record.contactId ).toBe( 'contact-1' );
		} finally {
			await repository.close();
		}
	} );

	it( 'refuses a database written by a newer service', async () => {
		const first = await openPostgresRepository( server.url( name ) );
		await first.close();
		const client = new Client( { connectionString: server.url( name ) } );
		await client.connect();
		await client.query(
			'UPDATE chatflows_schema SET version = version + 1'
		);
		await client.end();
		await expect(
			openPostgresRepository( server.url( name ) )
		).rejects.toThrow( /newer/ );
	} );

	it( 'numbers messages from two nodes on one conversation without gaps or repeats', async () => {
		const [ a, b ] = await Promise.all( [
			openPostgresRepository( server.url( name ) ),
			openPostgresRepository( server.url( name ) ),
		] );
		try {
			await a.createVisitor( {
				id: 'visitor-1',
				sessionHash: 'h',
				createdAt: new Date().toISOString(),
			} );
			const opened = await Promise.all(
				[ a, b ].map( ( node, i ) =>
					node.appendVisitorMessage(
						visitorMessage( {
							clientId: `first-${ i }`,
							newConversationId: `conversation-${ i }`,
						} )
					)
				)
			);
			expect( opened[ 0 ].conversation.id ).toBe(
				opened[ 1 ].conversation.id
			);
			const conversationId = opened[ 0 ].conversation.id;
			const writes = Array.from( { length: 40 }, ( _, i ) =>
				( i % 2 ? a : b ).appendMessage( {
					conversationId,
					// Every client id twice: once on each node.
					clientId: `m-${ Math.floor( i / 2 ) }`,
					author: { type: 'agent', id: '7', name: 'Alice' },
					body: `reply ${ i }`,
					createdAt: new Date().toISOString(),
				} )
			);
			const results = await Promise.all( writes );
			expect( results.filter( ( r ) => r?.created ) ).toHaveLength( 20 );
			const stored = await a.listMessages( conversationId, 0 );
			expect( stored.map( ( m ) => m.seq ) ).toEqual(
				Array.from( { length: 22 }, ( _, i ) => i + 1 )
			);
			expect( new Set( stored.map( ( m ) => m.clientId ) ).size ).toBe(
				22
			);
		} finally {
			await a.close();
			await b.close();
		}
	} );

	it( 'rejects with the reason when the server cannot be reached', async () => {
		await expect(
			openPostgresRepository(
				`postgres://chatflows@127.0.0.1:1/${ name }`,
				{ connectionTimeoutMillis: 2000 }
			)
		).rejects.toThrow( /ECONNREFUSED|connect/ );
	} );
} );
