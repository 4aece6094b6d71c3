/**
 * Internal notes and mentions with a real service and real socket.io
 * clients, on SQLite and PostgreSQL: a note reaches the agents who see the
 * conversation and never the visitor (live, on resume, in unread counts),
 * resumes by its own seq, mentions reach the mentioned only within what
 * they may see, count in WordPress's menu, and "someone else is replying"
 * reaches the other agents (a note's typing never the visitor).
 */
import type {
	AgentTypingIndicator,
	CompiledChatflow,
	InternalNote,
	MentionItem,
	ServiceConfiguration,
} from '@chatflows/protocol';
import {
	agentAsk,
	connectAgent,
	connectVisitor,
	flushAgent,
	flushVisitor,
	nextEvent,
	record,
	sendMessage,
	signAgentToken,
	startService,
	until,
	startWaitingCountsReceiver,
	visitorAsk,
	type AgentClient,
	type TestService,
	type VisitorClient,
} from './helpers';
import { onSqliteAndPostgres, type RepositoryOpener } from './postgres-server';
import { chatflow } from './repository-domain';

jest.setTimeout( 60_000 );

const DATABASES = onSqliteAndPostgres();

const SUPPORT_INBOX = 'inbox-support';
const SALES_INBOX = 'inbox-sales';

function flow( id: string, inboxId: string ): CompiledChatflow {
	return {
		...chatflow( id, 1 ),
		inboxId,
		assignment: { enabled: false, userIds: [], teamIds: [], rules: [] },
	};
}

/** Alice and Bob work in support, Cleo only in sales. */
const CONFIGURATION: ServiceConfiguration = {
	siteUrl: 'http://localhost:8888',
	allowedOrigins: [],
	chatflows: [
		flow( 'support', SUPPORT_INBOX ),
		flow( 'sales', SALES_INBOX ),
	],
	agents: [
		{
			id: '7',
			name: 'Alice Agent',
			capacity: 5,
			teamIds: [],
			inboxIds: [ SUPPORT_INBOX ],
		},
		{
			id: '8',
			name: 'Bob',
			capacity: 5,
			teamIds: [ 'team-support' ],
			inboxIds: [ SUPPORT_INBOX ],
		},
		{
			id: '9',
			name: 'Cleo',
			capacity: 5,
			teamIds: [ 'team-sales' ],
			inboxIds: [ SALES_INBOX ],
		},
	],
	teams: [
		{ id: 'team-support', name: 'Support team', memberIds: [ '8' ] },
		{ id: 'team-sales', name: 'Sales team', memberIds: [ '9' ] },
	],
	inboxes: [
		{ id: SUPPORT_INBOX, name: 'Support' },
		{ id: SALES_INBOX, name: 'Sales' },
	],
};

const AGENTS: Record<
	string,
	{ name: string; teams: string[]; inbox: string }
> = {
	'7': { name: 'Alice Agent', teams: [], inbox: SUPPORT_INBOX },
	'8': { name: 'Bob', teams: [ 'team-support' ], inbox: SUPPORT_INBOX },
	'9': { name: 'Cleo', teams: [ 'team-sales' ], inbox: SALES_INBOX },
};

async function agent(
	service: TestService,
	id: string
): Promise< AgentClient > {
	const { name, teams, inbox } = AGENTS[ id ];
	return connectAgent(
		service,
		await signAgentToken( {
			subject: id,
			claims: { name, teams, inboxes: [ inbox ] },
		} )
	);
}

/**
 * Every event a visitor socket receives, whatever its name.
 *
 * @param socket The visitor's socket.
 */
function everything( socket: VisitorClient ): unknown[] {
	const received: unknown[] = [];
	socket.onAny( ( event: string, ...args: unknown[] ) =>
		received.push( [ event, ...args ] )
	);
	return received;
}

async function start(
	open: RepositoryOpener,
	deps: Parameters< typeof startService >[ 0 ] = {}
): Promise< TestService > {
	return startService( {
		repository: await open(),
		configuration: CONFIGURATION,
		...deps,
	} );
}

const SECRET_NOTE = 'Refund approved, do not tell them yet';

describe.each( DATABASES )( 'internal notes, on %s', ( _name, open ) => {
	it( 'reach the agents who see the conversation and the mentioned, never the visitor', async () => {
		const service = await start( open );
		const visitor = await connectVisitor( service, {
			chatflowId: 'support',
		} );
		const seenByVisitor = everything( visitor.socket );
		const conversationId = await sendMessage( visitor.socket, 'Hello?' );
		const [ alice, bob, cleo ] = await Promise.all(
			[ '7', '8', '9' ].map( ( id ) => agent( service, id ) )
		);
		const bobNotes = record< InternalNote >( bob, 'note:new' );
		const bobMentions = record< MentionItem >( bob, 'mention:new' );
		const cleoNotes = record( cleo, 'note:new' );
		const cleoMentions = record( cleo, 'mention:new' );

		const sent = await agentAsk( alice, 'note:send', {
			conversationId,
			clientId: 'n1',
			body: SECRET_NOTE,
			mentions: [ { type: 'agent', id: '8' } ],
		} );
		expect( sent ).toEqual( {
			ok: true,
			data: {
				note: {
					conversationId,
					seq: 1,
					clientId: 'n1',
					authorId: '7',
					authorName: 'Alice Agent',
					body: SECRET_NOTE,
					mentions: [ { type: 'agent', id: '8', name: 'Bob' } ],
					createdAt: expect.any( String ),
				},
			},
		} );
		if ( ! sent.ok ) {
			throw new Error( 'note refused' );
		}
		const note = sent.data.note;
		await until(
			() => bobNotes.length === 1 && bobMentions.length === 1,
			'Bob hears of the note and his mention'
		);
		expect( bobNotes[ 0 ] ).toEqual( note );
		expect( bobMentions[ 0 ] ).toEqual( { note, seen: false } );

		// A retry of the same client id is the same note, stored once.
		const retried = await agentAsk( alice, 'note:send', {
			conversationId,
			clientId: 'n1',
			body: SECRET_NOTE,
			mentions: [ { type: 'agent', id: '8' } ],
		} );
		expect( retried ).toEqual( { ok: true, data: { note } } );

		// The visitor: nothing live, nothing on resume, no unread reply,
		// and the messages' seqs go on without a gap.
		await flushVisitor( visitor.socket );
		const resumed = await visitorAsk(
			visitor.socket,
			'conversation:resume',
			{}
		);
		if ( ! resumed.ok ) {
			throw new Error( 'resume failed' );
		}
		expect( resumed.data.messages.map( ( m ) => m.body ) ).toEqual( [
			'Hello?',
		] );
		expect( resumed.data.unreadCount ?? 0 ).toBe( 0 );
		expect( JSON.stringify( seenByVisitor ) ).not.toContain( 'Refund' );
		const another = await connectVisitor( service, {
			chatflowId: 'support',
			session: visitor.session.token,
		} );
		const elsewhere = await visitorAsk(
			another.socket,
			'conversation:resume',
			{}
		);
		expect( JSON.stringify( elsewhere ) ).not.toContain( 'Refund' );
		const reply = await agentAsk( alice, 'message:send', {
			conversationId,
			clientId: 'm1',
			body: 'Looking into it',
		} );
		expect( reply.ok && reply.data.message.seq ).toBe( 2 );

		// Not a reply: the conversation still waits for one in the inbox list.
		const list = await agentAsk( bob, 'inbox:list', { view: 'open' } );
		expect(
			list.ok && list.data.conversations[ 0 ].lastMessage?.body
		).toBe( 'Looking into it' );

		// Resume by seq, as messages do.
		expect(
			await agentAsk( bob, 'conversation:notes', { conversationId } )
		).toEqual( {
			ok: true,
			data: { notes: [ note ] },
		} );
		expect(
			await agentAsk( bob, 'conversation:notes', {
				conversationId,
				afterSeq: 1,
			} )
		).toEqual( { ok: true, data: { notes: [] } } );

		// Cleo works in another inbox: she hears nothing and reads nothing.
		await flushAgent( cleo );
		expect( cleoNotes ).toEqual( [] );
		expect( cleoMentions ).toEqual( [] );
		expect(
			await agentAsk( cleo, 'conversation:notes', { conversationId } )
		).toMatchObject( { ok: false, error: { code: 'not_found' } } );
	} );

	it( 'refuse a mention of an agent who cannot see the conversation; a team’s reaches only members who can', async () => {
		const service = await start( open );
		const visitor = await connectVisitor( service, {
			chatflowId: 'support',
		} );
		const conversationId = await sendMessage( visitor.socket, 'Hi' );
		const [ alice, bob, cleo ] = await Promise.all(
			[ '7', '8', '9' ].map( ( id ) => agent( service, id ) )
		);
		const cleoMentions = record( cleo, 'mention:new' );

		const refused = await agentAsk( alice, 'note:send', {
			conversationId,
			clientId: 'n1',
			body: 'Cleo, look at this',
			mentions: [ { type: 'agent', id: '9' } ],
		} );
		expect( refused ).toEqual( {
			ok: false,
			error: {
				code: 'invalid_payload',
				message: 'mentions: Cleo cannot see this conversation',
			},
		} );
		expect(
			await agentAsk( alice, 'note:send', {
				conversationId,
				clientId: 'n2',
				body: 'Who?',
				mentions: [ { type: 'agent', id: 'nobody' } ],
			} )
		).toMatchObject( { ok: false, error: { code: 'invalid_payload' } } );
		expect(
			await agentAsk( alice, 'conversation:notes', { conversationId } )
		).toEqual( { ok: true, data: { notes: [] } } );

		// The sales team's mention is stored, but Cleo cannot see the conversation.
		const bobMention = nextEvent< MentionItem >( bob, 'mention:new' );
		await agentAsk( alice, 'note:send', {
			conversationId,
			clientId: 'n3',
			body: 'Both teams, please',
			mentions: [
				{ type: 'team', id: 'team-sales' },
				{ type: 'team', id: 'team-support' },
			],
		} );
		expect( ( await bobMention ).note.body ).toBe( 'Both teams, please' );
		await flushAgent( cleo );
		expect( cleoMentions ).toEqual( [] );
		expect( await agentAsk( cleo, 'mentions:list', {} ) ).toEqual( {
			ok: true,
			data: { mentions: [], unseenCount: 0 },
		} );

		// Bob's mentions view, then seen.
		const listed = await agentAsk( bob, 'mentions:list', {} );
		expect( listed.ok && listed.data.unseenCount ).toBe( 1 );
		expect(
			listed.ok && listed.data.mentions.map( ( m ) => m.note.body )
		).toEqual( [ 'Both teams, please' ] );
		expect( await agentAsk( bob, 'mentions:seen', {} ) ).toEqual( {
			ok: true,
			data: { unseenCount: 0 },
		} );
		const after = await agentAsk( bob, 'mentions:list', {} );
		expect( after.ok && after.data ).toMatchObject( {
			unseenCount: 0,
			mentions: [ { seen: true } ],
		} );
		// The author is not notified of their own mention.
		expect( await agentAsk( alice, 'mentions:list', {} ) ).toMatchObject( {
			ok: true,
			data: { unseenCount: 0 },
		} );
	} );

	it( 'tell the other agents someone is replying or writing a note; the visitor only of a reply', async () => {
		const service = await start( open );
		const visitor = await connectVisitor( service, {
			chatflowId: 'support',
		} );
		const conversationId = await sendMessage( visitor.socket, 'Hi' );
		const [ alice, bob, cleo ] = await Promise.all(
			[ '7', '8', '9' ].map( ( id ) => agent( service, id ) )
		);
		const visitorTyping = record( visitor.socket, 'typing' );
		const bobTyping = record< AgentTypingIndicator >( bob, 'agent:typing' );
		const aliceTyping = record( alice, 'agent:typing' );
		const cleoTyping = record( cleo, 'agent:typing' );

		await agentAsk( alice, 'typing', {
			conversationId,
			typing: true,
			mode: 'note',
		} );
		await until(
			() => bobTyping.length === 1,
			'Bob sees Alice writing a note'
		);
		expect( bobTyping[ 0 ] ).toEqual( {
			conversationId,
			agentId: '7',
			agentName: 'Alice Agent',
			typing: true,
			mode: 'note',
		} );
		await flushVisitor( visitor.socket );
		expect( visitorTyping ).toEqual( [] );

		await agentAsk( alice, 'typing', { conversationId, typing: true } );
		await until( () => bobTyping.length === 2, 'Bob sees Alice replying' );
		expect( bobTyping[ 1 ] ).toMatchObject( {
			mode: 'reply',
			typing: true,
		} );
		await until(
			() => visitorTyping.length === 1,
			'the visitor sees the reply typed'
		);

		await flushAgent( alice );
		await flushAgent( cleo );
		expect( aliceTyping ).toEqual( [] );
		expect( cleoTyping ).toEqual( [] );
	} );
} );

describe( 'mentions in WordPress’s menu count', () => {
	it( 'count until the mentioned agent has seen them', async () => {
		const wordpress = await startWaitingCountsReceiver();
		const { received } = wordpress;
		try {
			const service = await startService( {
				configuration: CONFIGURATION,
				deps: {
					wordpressUrl: wordpress.url,
					waitingCountsIntervalMs: 50,
				},
			} );
			const visitor = await connectVisitor( service, {
				chatflowId: 'support',
			} );
			const conversationId = await sendMessage( visitor.socket, 'Hi' );
			const [ alice, bob ] = await Promise.all(
				[ '7', '8' ].map( ( id ) => agent( service, id ) )
			);
			await agentAsk( alice, 'conversation:claim', { conversationId } );
			await agentAsk( alice, 'message:send', {
				conversationId,
				clientId: 'a1',
				body: 'Hello',
			} );
			await until(
				() =>
					received.at( -1 )?.[ '7' ] === 0 &&
					received.at( -1 )?.[ '8' ] === 0,
				'nothing waits'
			);
			await agentAsk( alice, 'note:send', {
				conversationId,
				clientId: 'n1',
				body: 'Bob, a second look?',
				mentions: [ { type: 'agent', id: '8' } ],
			} );
			await until(
				() => received.at( -1 )?.[ '8' ] === 1,
				'Bob’s count has his mention'
			);
			expect( received.at( -1 )?.[ '7' ] ).toBe( 0 );
			await agentAsk( bob, 'mentions:seen', {} );
			await until(
				() => received.at( -1 )?.[ '8' ] === 0,
				'seen: no longer counted'
			);
		} finally {
			await wordpress.close();
		}
	} );
} );
