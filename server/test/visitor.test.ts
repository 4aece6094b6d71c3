import {
	PAGE_URL,
	agentAsk,
	visitorAsk,
	cleanup,
	connectAgent,
	connectVisitor,
	expectConnectError,
	flushAgent,
	flushVisitor,
	openVisitor,
	record,
	startService,
} from './helpers';
import type { ChatMessage } from '@chatflows/protocol';

afterEach( cleanup );

describe( 'visitor sessions', () => {
	it( 'issues a session with an opaque token', async () => {
		const service = await startService();
		const { session } = await connectVisitor( service );
		expect( session.visitorId ).toMatch( /^[0-9a-f-]{36}$/ );
		expect( session.token ).toMatch( /^[A-Za-z0-9_-]{43}$/ );
	} );

	it( 'keeps the visitor and the conversation across reconnects', async () => {
		const service = await startService();
		const first = await connectVisitor( service );
		const sent = await visitorAsk( first.socket, 'message:send', {
			clientId: 'c1',
			body: '  Hello there  ',
		} );
		expect( sent.ok ).toBe( true );
		if ( ! sent.ok ) {
			return;
		}
		expect( sent.data.message ).toMatchObject( {
			seq: 1,
			clientId: 'c1',
			authorType: 'visitor',
			authorName: '',
			body: 'Hello there',
		} );
		first.socket.disconnect();

		const second = await connectVisitor( service, {
			session: first.session.token,
		} );
		expect( second.session ).toEqual( first.session );
		const resumed = await visitorAsk(
			second.socket,
			'conversation:resume',
			{}
		);
		expect( resumed ).toEqual( {
			ok: true,
			data: {
				conversation: {
					id: sent.data.message.conversationId,
					chatflowId: 'support',
					status: 'open',
					createdAt: expect.any( String ),
				},
				messages: [ sent.data.message ],
				unreadCount: 0,
				// Nobody can take it: it waits, first in line.
				queue: {
					conversationId: sent.data.message.conversationId,
					position: 1,
					estimatedWaitSeconds: expect.any( Number ),
				},
			},
		} );

		const after = await visitorAsk( second.socket, 'conversation:resume', {
			afterSeq: 1,
		} );
		expect( after.ok && after.data.messages ).toEqual( [] );
	} );

	it( 'gives an unknown or malformed session a new visitor', async () => {
		const service = await startService();
		const first = await connectVisitor( service );
		const unknown = await connectVisitor( service, {
			session: 'A'.repeat( 43 ),
		} );
		expect( unknown.session.visitorId ).not.toBe( first.session.visitorId );
		expect( unknown.session.token ).not.toBe( 'A'.repeat( 43 ) );
		const malformed = await connectVisitor( service, {
			session: 'not a token',
		} );
		expect( malformed.session.visitorId ).not.toBe(
			first.session.visitorId
		);
	} );

	it( 'stores only a hash of the session token', async () => {
		const service = await startService();
		const { session } = await connectVisitor( service );
		await service.stop();
		const Database = ( await import( 'better-sqlite3' ) ).default;
		const db = new Database( service.dbFile, { readonly: true } );
		const rows = db.prepare( 'SELECT * FROM visitors' ).all() as Array<
			Record< string, unknown >
		>;
		db.close();
		expect( rows ).toHaveLength( 1 );
		expect( JSON.stringify( rows ) ).not.toContain( session.token );
		expect( rows[ 0 ].session_hash ).toMatch( /^[0-9a-f]{64}$/ );
	} );

	it.each( [
		[ 'missing', {} ],
		[ 'empty', { chatflowId: '' } ],
		[ 'too long', { chatflowId: 'x'.repeat( 65 ) } ],
		[ 'with odd characters', { chatflowId: 'a b' } ],
		[ 'not a string', { chatflowId: 42 } ],
	] )(
		'refuses a handshake whose chatflowId is %s',
		async ( _label, auth ) => {
			const service = await startService();
			const socket = openVisitor( service, {
				chatflowId: undefined,
				...auth,
			} );
			const error = await expectConnectError( socket );
			expect( error.data ).toEqual( { code: 'invalid_handshake' } );
			expect( error.message ).toMatch( /chatflowId/ );
		}
	);

	it( 'keeps a conversation per chatflow', async () => {
		const service = await startService();
		const a = await connectVisitor( service );
		await visitorAsk( a.socket, 'message:send', {
			clientId: 'c1',
			body: 'on support',
		} );
		const b = await connectVisitor( service, {
			session: a.session.token,
			chatflowId: 'sales',
		} );
		expect( b.session.visitorId ).toBe( a.session.visitorId );
		const resumed = await visitorAsk( b.socket, 'conversation:resume', {} );
		expect( resumed ).toEqual( {
			ok: true,
			data: { conversation: null, messages: [] },
		} );
	} );

	it( 'records the page the conversation started on, if it is an http(s) URL', async () => {
		const service = await startService();
		const agent = await connectAgent( service );
		const good = await connectVisitor( service );
		await visitorAsk( good.socket, 'message:send', {
			clientId: 'c1',
			body: 'hi',
		} );
		const bad = await connectVisitor( service, {
			pageUrl: 'javascript:alert(1)',
		} );
		await visitorAsk( bad.socket, 'message:send', {
			clientId: 'c1',
			body: 'hi',
		} );
		const list = await agentAsk( agent, 'inbox:list', {} );
		expect( list.ok ).toBe( true );
		if ( ! list.ok ) {
			return;
		}
		const byVisitor = Object.fromEntries(
			list.data.conversations.map( ( c ) => [ c.visitorId, c.pageUrl ] )
		);
		expect( byVisitor[ good.session.visitorId ] ).toBe( PAGE_URL );
		expect( byVisitor[ bad.session.visitorId ] ).toBe( '' );
	} );
} );

describe( 'visitor isolation', () => {
	it( 'never shows one visitor another visitor’s messages', async () => {
		const service = await startService();
		const alice = await connectVisitor( service );
		const aliceOtherTab = await connectVisitor( service, {
			session: alice.session.token,
		} );
		const bob = await connectVisitor( service );
		expect( bob.session.visitorId ).not.toBe( alice.session.visitorId );
		const bobReceived = record< ChatMessage >( bob.socket, 'message:new' );
		const tabReceived = record< ChatMessage >(
			aliceOtherTab.socket,
			'message:new'
		);

		const sent = await visitorAsk( alice.socket, 'message:send', {
			clientId: 'a1',
			body: 'secret',
		} );
		expect( sent.ok ).toBe( true );

		// Alice's other tab hears about it; Bob does not.
		await flushVisitor( aliceOtherTab.socket );
		await flushVisitor( bob.socket );
		expect( tabReceived ).toHaveLength( 1 );
		expect( bobReceived ).toEqual( [] );

		const bobResume = await visitorAsk(
			bob.socket,
			'conversation:resume',
			{}
		);
		expect( bobResume ).toEqual( {
			ok: true,
			data: { conversation: null, messages: [] },
		} );

		// Bob's own first message opens his own conversation, at seq 1.
		const bobSent = await visitorAsk( bob.socket, 'message:send', {
			clientId: 'a1',
			body: 'mine',
		} );
		expect( bobSent.ok && bobSent.data.message.seq ).toBe( 1 );
		expect(
			bobSent.ok && sent.ok && bobSent.data.message.conversationId
		).not.toBe( sent.ok && sent.data.message.conversationId );
		const again = await visitorAsk( bob.socket, 'conversation:resume', {} );
		expect(
			again.ok && again.data.messages.map( ( m ) => m.body )
		).toEqual( [ 'mine' ] );
	} );
} );

describe( 'idempotent sends', () => {
	it( 'stores a repeated client id once, with the same seq in both acks', async () => {
		const service = await startService();
		const { socket } = await connectVisitor( service );
		const first = await visitorAsk( socket, 'message:send', {
			clientId: 'same',
			body: 'once',
		} );
		const second = await visitorAsk( socket, 'message:send', {
			clientId: 'same',
			body: 'once',
		} );
		expect( first.ok && second.ok ).toBe( true );
		expect( second ).toEqual( first );
		const resumed = await visitorAsk( socket, 'conversation:resume', {} );
		expect( resumed.ok && resumed.data.messages ).toHaveLength( 1 );
	} );

	it( 'numbers concurrent messages without gaps or repeats', async () => {
		const service = await startService();
		const { socket } = await connectVisitor( service );
		const acks = await Promise.all(
			Array.from( { length: 20 }, ( _, i ) =>
				visitorAsk( socket, 'message:send', {
					clientId: `m${ i }`,
					body: `n${ i }`,
				} )
			)
		);
		const seqs = acks
			.map( ( ack ) => ( ack.ok ? ack.data.message.seq : -1 ) )
			.sort( ( a, b ) => a - b );
		expect( seqs ).toEqual(
			Array.from( { length: 20 }, ( _, i ) => i + 1 )
		);
	} );

	it( 'announces a retried message again: the other tabs and the agents get what a dead node stored but never announced', async () => {
		const service = await startService();
		const tab = await connectVisitor( service );
		const first = await visitorAsk( tab.socket, 'message:send', {
			clientId: 'retried',
			body: 'stored, then the node died',
		} );
		expect( first.ok ).toBe( true );
		// Connected after the first announcement, as a tab that was away then.
		const otherTab = await connectVisitor( service, {
			session: tab.session.token,
		} );
		const agent = await connectAgent( service );
		const tabHeard = record< ChatMessage >(
			otherTab.socket,
			'message:new'
		);
		const agentHeard = record< ChatMessage >( agent, 'message:new' );

		// The sender's retry, through whichever node it reaches, is stored once…
		const retry = await visitorAsk( tab.socket, 'message:send', {
			clientId: 'retried',
			body: 'stored, then the node died',
		} );
		expect( retry.ok && first.ok && retry.data.message ).toEqual(
			first.ok && first.data.message
		);
		// …and announced to everyone but the sender.
		await flushVisitor( otherTab.socket );
		await flushAgent( agent );
		expect( tabHeard.map( ( message ) => message.seq ) ).toEqual( [ 1 ] );
		expect( agentHeard.map( ( message ) => message.clientId ) ).toEqual( [
			'retried',
		] );
	} );
} );
