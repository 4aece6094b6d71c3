import Database from 'better-sqlite3';
import path from 'node:path';
import {
	agentAsk,
	visitorAsk,
	cleanup,
	connectAgent,
	connectVisitor,
	makeTempDir,
	startService,
} from './helpers';
import {
	SCHEMA_VERSION,
	SQLITE_MIGRATIONS,
	openSqliteRepository,
} from '../src/repository/sqlite';
import { privacyMigration } from '../src/repository/privacy-sql';

afterEach( cleanup );

describe( 'persistence', () => {
	it( 'keeps everything acknowledged across a restart on the same file', async () => {
		const first = await startService();
		const visitor = await connectVisitor( first );
		const sent = [];
		for ( let i = 1; i <= 3; i++ ) {
			const ack = await visitorAsk( visitor.socket, 'message:send', {
				clientId: `v${ i }`,
				body: `message ${ i }`,
			} );
			sent.push( ack.ok ? ack.data.message : null );
		}
		const agent = await connectAgent( first );
		const reply = await agentAsk( agent, 'message:send', {
			conversationId: sent[ 0 ]!.conversationId,
			clientId: 'a1',
			body: 'reply',
		} );
		expect( reply.ok ).toBe( true );
		await first.stop();

		const second = await startService( { dbFile: first.dbFile } );
		const again = await connectVisitor( second, {
			session: visitor.session.token,
		} );
		expect( again.session.visitorId ).toBe( visitor.session.visitorId );
		const resumed = await visitorAsk(
			again.socket,
			'conversation:resume',
			{}
		);
		expect( resumed.ok && resumed.data.messages ).toEqual( [
			...sent,
			reply.ok && reply.data.message,
		] );

		// Numbering continues, and an old client id is still known.
		const next = await visitorAsk( again.socket, 'message:send', {
			clientId: 'v4',
			body: 'after restart',
		} );
		expect( next.ok && next.data.message.seq ).toBe( 5 );
		const repeat = await visitorAsk( again.socket, 'message:send', {
			clientId: 'v2',
			body: 'message 2',
		} );
		expect( repeat.ok && repeat.data.message ).toEqual( sent[ 1 ] );

		const inbox = await agentAsk(
			await connectAgent( second ),
			'inbox:list',
			{}
		);
		expect(
			inbox.ok && inbox.data.conversations[ 0 ].lastMessage?.seq
		).toBe( 5 );
	} );
} );

describe( 'SQLite repository', () => {
	it( 'creates the folder and the schema, in WAL mode with full sync', async () => {
		const file = path.join(
			makeTempDir(),
			'nested',
			'deeper',
			'db.sqlite'
		);
		const repository = openSqliteRepository( file );
		await repository.close();
		const db = new Database( file, { readonly: true } );
		try {
			expect( db.pragma( 'user_version', { simple: true } ) ).toBe(
				SCHEMA_VERSION
			);
			expect( db.pragma( 'journal_mode', { simple: true } ) ).toBe(
				'wal'
			);
			const tables = db
				.prepare(
					"SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
				)
				.all()
				.map( ( row ) => ( row as { name: string } ).name );
			expect( tables ).toEqual( [
				'agent_reads',
				'attachments',
				'chatflows',
				'consent_records',
				'contacts',
				'conversation_contexts',
				'conversations',
				'directory',
				'email_claims',
				'mention_reads',
				'messages',
				'note_mentions',
				'notes',
				'notifications',
				'survey_answers',
				'tickets',
				'visitors',
			] );
		} finally {
			db.close();
		}
		// Opening again leaves a current schema as it is.
		const reopened = openSqliteRepository( file );
		await reopened.close();
	} );

	it( 'migrates a database of the version before consent records, linking visitors to the contacts of their conversations', async () => {
		const file = path.join( makeTempDir(), 'db.sqlite' );
		const old = new Database( file );
		const steps = SQLITE_MIGRATIONS.slice(
			0,
			SQLITE_MIGRATIONS.indexOf( privacyMigration( 'sqlite' ) )
		);
		old.exec( steps.join( '\n' ) );
		old.pragma( `user_version = ${ steps.length }` );
		const now = '2026-03-01T10:00:00.000Z';
		old.prepare(
			'INSERT INTO visitors ( id, session_hash, created_at ) VALUES ( ?, ?, ? )'
		).run( 'v', 'h', now );
		old.prepare(
			'INSERT INTO contacts ( id, email_key, email, name, created_at ) VALUES ( ?, ?, ?, ?, ? )'
		).run( 'contact-1', 'ann@example.com', 'Ann@example.com', 'Ann', now );
		old.prepare(
			`INSERT INTO conversations ( id, visitor_id, chatflow_id, status, created_at, updated_at, contact_id )
			VALUES ( 'c', 'v', 'support', 'open', ?, ?, 'contact-1' )`
		).run( now, now );
		old.close();

		const repository = openSqliteRepository( file );
		try {
			await expect(
				repository.findContactByEmail( 'ann@example.com' )
			).resolves.toMatchObject( { id: 'contact-1', marketing: false } );
			// The visitor's consent goes to the contact found by migration.
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
				recordedAt: now,
			} );
			expect( record.contactId ).toBe( 'contact-1' );
		} finally {
			await repository.close();
		}
	} );

	it( 'refuses a database written by a newer service', () => {
		const file = path.join( makeTempDir(), 'db.sqlite' );
		const db = new Database( file );
		db.pragma( `user_version = ${ SCHEMA_VERSION + 1 }` );
		db.close();
		expect( () => openSqliteRepository( file ) ).toThrow( /newer/ );
	} );

	it( 'opens one conversation for concurrent first messages', async () => {
		const file = path.join( makeTempDir(), 'db.sqlite' );
		const repository = openSqliteRepository( file );
		try {
			await repository.createVisitor( {
				id: 'v',
				sessionHash: 'h',
				createdAt: new Date().toISOString(),
			} );
			const results = await Promise.all(
				[ 'a', 'b', 'c' ].map( ( clientId, i ) =>
					repository.appendVisitorMessage( {
						visitorId: 'v',
						chatflowId: 'support',
						newConversationId: `conversation-${ i }`,
						pageUrl: '',
						clientId,
						author: { type: 'visitor', id: 'v', name: '' },
						body: clientId,
						createdAt: new Date().toISOString(),
					} )
				)
			);
			expect(
				new Set( results.map( ( r ) => r.conversation.id ) ).size
			).toBe( 1 );
			expect( results.map( ( r ) => r.conversationCreated ) ).toEqual( [
				true,
				false,
				false,
			] );
			expect( results.map( ( r ) => r.message.seq ) ).toEqual( [
				1, 2, 3,
			] );
		} finally {
			await repository.close();
		}
	} );
} );
