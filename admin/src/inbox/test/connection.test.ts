/**
 * The inbox connection with a stand-in socket: what it asks the service,
 * and what the store holds after the service answers and announces.
 */
import {
	type Ack,
	type ChatMessage,
	type ConsentRecord,
	type ConversationContext,
	type ConversationSummary,
	type InboxDirectory,
	RETRY_BASE_MS,
} from '@chatflows/protocol';
import { conversationContext } from './fixtures';

type Answer = ( payload: any ) => Ack< any > | Promise< Ack< any > >;

/** A socket that records what is sent and answers from a table. */
class FakeSocket {
	readonly listeners = new Map<
		string,
		Array< ( ...args: any[] ) => void >
	>();

	readonly sent: Array< { event: string; payload: any } > = [];

	answers: Record< string, Answer > = {};

	active = true;

	connected = true;

	disconnected = false;

	connects = 0;

	on( event: string, listener: ( ...args: any[] ) => void ) {
		this.listeners.set( event, [
			...( this.listeners.get( event ) ?? [] ),
			listener,
		] );
		return this;
	}

	once( event: string, listener: ( ...args: any[] ) => void ) {
		const wrapped = ( ...args: any[] ) => {
			this.listeners.set(
				event,
				( this.listeners.get( event ) ?? [] ).filter(
					( entry ) => entry !== wrapped
				)
			);
			listener( ...args );
		};
		return this.on( event, wrapped );
	}

	fire( event: string, ...args: unknown[] ) {
		for ( const listener of this.listeners.get( event ) ?? [] ) {
			listener( ...args );
		}
	}

	timeout() {
		return {
			emitWithAck: async ( event: string, payload: unknown ) => {
				this.sent.push( { event, payload } );
				const answer = this.answers[ event ];
				if ( ! answer ) {
					throw new Error( 'operation has timed out' );
				}
				return answer( payload );
			},
		};
	}

	connect() {
		this.connects++;
	}

	disconnect() {
		this.disconnected = true;
	}

	sentOf( event: string ) {
		return this.sent
			.filter( ( entry ) => entry.event === event )
			.map( ( entry ) => entry.payload );
	}
}

const DIRECTORY: InboxDirectory = {
	me: { id: '7', name: 'Ann', capacity: 3, status: 'available' },
	agents: [ { id: '7', name: 'Ann', capacity: 3, status: 'available' } ],
	teams: [ { id: 't1', name: 'Sales' } ],
	inboxes: [],
};

function conversation(
	id: string,
	overrides: Partial< ConversationSummary > = {}
): ConversationSummary {
	return {
		id,
		chatflowId: '1',
		status: 'open',
		createdAt: '2026-01-01T10:00:00.000Z',
		updatedAt: '2026-01-01T10:00:00.000Z',
		visitorId: `visitor-${ id }`,
		pageUrl: '',
		assigneeId: null,
		lastMessage: null,
		waitingSince: '2026-01-01T10:00:00.000Z',
		visitorEmail: null,
		visitorName: null,
		...overrides,
	};
}

const ok = < T >( data: T ): Ack< T > => ( { ok: true, data } );

function consent( id: string ): ConsentRecord {
	return {
		id,
		visitorId: 'visitor-a',
		contactId: null,
		chatflowId: '1',
		kind: 'data_processing',
		granted: true,
		method: 'checkbox',
		text: 'I agree.',
		textVersion: '0123456789abcdef',
		language: 'en_US',
		pageUrl: 'http://localhost/pricing/',
		recordedAt: '2026-01-01T10:00:00.000Z',
	};
}

/** An answer the test gives when it chooses. */
function deferred< T >() {
	let resolve: ( value: T ) => void = () => {};
	const promise = new Promise< T >( ( done ) => {
		resolve = done;
	} );
	return { promise, resolve };
}

/**
 * Fresh modules (and so a fresh store) for each test.
 * @param storage
 * @param fetchToken
 */
function setUp(
	storage: Record< string, string > = {},
	fetchToken?: () => Promise< unknown >
) {
	let modules: any;
	jest.isolateModules( () => {
		modules = {
			connection: require( '../connection' ),
			data: require( '@wordpress/data' ),
			store: require( '../store' ).store,
		};
	} );
	const socket = new FakeSocket();
	socket.answers = {
		'inbox:directory': () => ok( DIRECTORY ),
		'inbox:list': ( query ) =>
			ok( {
				conversations:
					query.view === 'open' ? [ conversation( 'a' ) ] : [],
				counts: { unassigned: 1, mine: 0, open: 1, closed: 0 },
			} ),
	};
	const saved = { ...storage };
	const fakeStorage = {
		getItem: ( key: string ) => saved[ key ] ?? null,
		setItem: ( key: string, value: string ) => {
			saved[ key ] = value;
		},
	};
	const connection = new modules.connection.InboxConnection(
		socket,
		fakeStorage,
		...( fetchToken ? [ fetchToken ] : [] )
	);
	const read = () => modules.data.select( modules.store );
	const act = () => modules.data.dispatch( modules.store );
	return { socket, connection, read, act, saved, modules };
}

async function until( condition: () => boolean ): Promise< void > {
	const deadline = Date.now() + 3000;
	while ( ! condition() ) {
		if ( Date.now() > deadline ) {
			throw new Error( 'condition not met in time' );
		}
		await new Promise( ( resolve ) => setTimeout( resolve, 10 ) );
	}
}

describe( 'InboxConnection', () => {
	it( 'loads the directory and the view on connect', async () => {
		const { socket, read } = setUp();
		socket.fire( 'connect' );
		await until( () => read().getCounts() !== null );
		expect( read().getConnection().status ).toBe( 'connected' );
		expect( read().getMyId() ).toBe( '7' );
		expect(
			read()
				.getViewConversations()
				.map( ( c: any ) => c.id )
		).toEqual( [ 'a' ] );
		expect( socket.sentOf( 'inbox:list' ) ).toEqual( [ { view: 'open' } ] );
	} );

	it( 'lists the view shown and, for attention, the open one; searches trimmed; narrows to an inbox', async () => {
		const { socket, connection } = setUp();
		await connection.showView( 'closed' );
		expect( socket.sentOf( 'inbox:list' ) ).toEqual( [
			{ view: 'closed' },
			{ view: 'open' },
		] );
		await connection.search( '  invoice ' );
		expect( socket.sentOf( 'inbox:list' ).slice( 2 ) ).toEqual( [
			{ view: 'closed', search: 'invoice' },
			{ view: 'open' },
		] );
		await connection.search( '' );
		await connection.showView( 'open' );
		await connection.showInbox( 'i1' );
		expect( socket.sentOf( 'inbox:list' ).slice( -2 ) ).toEqual( [
			{ view: 'open', inboxId: 'i1' },
			{ view: 'open' },
		] );
	} );

	it( 'applies a live update at once and lists again once for a burst of them', async () => {
		const { socket, read } = setUp();
		socket.fire( 'connect' );
		await until( () => read().getCounts() !== null );
		const listed = socket.sentOf( 'inbox:list' ).length;
		for ( let i = 0; i < 5; i++ ) {
			socket.fire(
				'conversation:updated',
				conversation( 'a', { assigneeId: '8' } )
			);
		}
		expect( read().getConversation( 'a' ).assigneeId ).toBe( '8' );
		await until( () => socket.sentOf( 'inbox:list' ).length > listed );
		await new Promise( ( resolve ) => setTimeout( resolve, 400 ) );
		expect( socket.sentOf( 'inbox:list' ).length ).toBe( listed + 1 );
	} );

	it( 'claims one seen unassigned (reporting a lost claim, never overriding), takes over one seen with someone else', async () => {
		const { socket, connection, read } = setUp();
		socket.fire( 'connect' );
		await until( () => read().getMyId() === '7' );
		socket.answers[ 'conversation:claim' ] = () => ( {
			ok: false,
			error: {
				code: 'conflict',
				message:
					'conversationId: another agent already has this conversation',
			},
		} );
		await expect( connection.assignToMe( 'a', null ) ).resolves.toBe(
			'conversationId: another agent already has this conversation'
		);
		expect( socket.sentOf( 'conversation:claim' ) ).toEqual( [
			{ conversationId: 'a' },
		] );

		socket.answers[ 'conversation:claim' ] = () =>
			ok( { conversation: conversation( 'a', { assigneeId: '7' } ) } );
		await expect( connection.assignToMe( 'a', null ) ).resolves.toBeNull();
		expect( read().getConversation( 'a' ).assigneeId ).toBe( '7' );

		socket.fire(
			'conversation:updated',
			conversation( 'a', { assigneeId: '8' } )
		);
		socket.answers[ 'conversation:assign' ] = ( payload ) =>
			ok( {
				conversation: conversation( 'a', {
					assigneeId: payload.agentId,
				} ),
			} );
		// Seen with Bob, it is taken over, not claimed.
		await expect( connection.assignToMe( 'a', '8' ) ).resolves.toBeNull();
		expect( socket.sentOf( 'conversation:claim' ) ).toHaveLength( 2 );
		expect( socket.sentOf( 'conversation:assign' ) ).toEqual( [
			{ conversationId: 'a', agentId: '7' },
		] );
	} );

	it( 'transfers, closes and reopens', async () => {
		const { socket, connection, read } = setUp();
		for ( const event of [
			'conversation:transfer',
			'conversation:close',
			'conversation:reopen',
		] ) {
			socket.answers[ event ] = ( payload ) =>
				ok( {
					conversation: conversation( payload.conversationId, {
						status:
							event === 'conversation:close' ? 'closed' : 'open',
						teamId: payload.teamId ?? null,
					} ),
				} );
		}
		await connection.transfer( 'a', { teamId: 't1' } );
		expect( socket.sentOf( 'conversation:transfer' ) ).toEqual( [
			{ conversationId: 'a', teamId: 't1' },
		] );
		await connection.close( 'a' );
		expect( read().getConversation( 'a' ).status ).toBe( 'closed' );
		await connection.reopen( 'a' );
		expect( read().getConversation( 'a' ).status ).toBe( 'open' );
	} );

	it( 'keeps the agent’s presence across reloads and starts from it', async () => {
		const { socket, connection, read, saved, modules } = setUp();
		expect( read().getMyStatus() ).toBe( 'available' );
		socket.answers[ 'agent:presence' ] = ( payload ) => ok( payload );
		await expect( connection.setPresence( 'away' ) ).resolves.toBeNull();
		expect( read().getMyStatus() ).toBe( 'away' );
		expect( saved[ modules.connection.PRESENCE_STORAGE_KEY ] ).toBe(
			'away'
		);

		const reloaded = setUp( saved );
		expect( reloaded.read().getMyStatus() ).toBe( 'away' );
		expect(
			modules.connection.savedPresence( { getItem: () => 'nonsense' } )
		).toBe( 'available' );
	} );

	it( 'does not record a presence the service refused', async () => {
		const { socket, connection, read } = setUp();
		socket.answers[ 'agent:presence' ] = () => ( {
			ok: false,
			error: { code: 'internal', message: 'Nope.' },
		} );
		await expect( connection.setPresence( 'away' ) ).resolves.toBe(
			'Nope.'
		);
		expect( read().getMyStatus() ).toBe( 'available' );
	} );

	it( 'feeds typing, receipts, presence, tickets and survey answers into the store', async () => {
		const { socket, read, act } = setUp();
		act().receiveContext( conversationContext( 'a' ) );
		socket.fire( 'typing', { conversationId: 'a', typing: true } );
		expect( read().isVisitorTyping( 'a' ) ).toBe( true );
		socket.fire( 'message:new', {
			conversationId: 'a',
			seq: 1,
			clientId: 'x',
			authorType: 'visitor',
			authorName: '',
			body: 'Hi',
			createdAt: 'T',
		} );
		expect( read().isVisitorTyping( 'a' ) ).toBe( false );
		expect( read().getMessages( 'a' ) ).toHaveLength( 1 );
		socket.fire( 'read', {
			conversationId: 'a',
			reader: 'visitor',
			seq: 1,
		} );
		expect( read().getVisitorReadSeq( 'a' ) ).toBe( 1 );
		socket.fire( 'agent:presence', { userId: '9', status: 'away' } );
		expect( read().getPresence( '9' ) ).toBe( 'away' );
		socket.fire( 'survey:answered', {
			conversationId: 'a',
			rating: 2,
			comment: '',
		} );
		expect( read().getContext( 'a' ).survey ).toMatchObject( {
			rating: 2,
		} );
	} );

	it( 'loads the shown conversation’s context again when its consents or contact change, and forgets another’s', async () => {
		const { socket, connection, read, act } = setUp();
		let consents: ConsentRecord[] = [];
		let contact: ConversationContext[ 'contact' ] = null;
		socket.answers[ 'conversation:context' ] = ( payload ) =>
			ok(
				conversationContext( payload.conversationId, {
					consents,
					contact,
				} )
			);
		act().selectConversation( 'a' );
		await connection.loadContext( 'a' );
		await connection.loadContext( 'b' );
		expect( read().getContext( 'a' ).consents ).toEqual( [] );

		consents = [ consent( 'r1' ) ];
		socket.fire( 'conversation:context-changed', {
			conversationId: 'a',
			reason: 'consent',
		} );
		await until( () => read().getContext( 'a' ).consents.length === 1 );
		expect( read().getContext( 'a' ).consents ).toEqual( [
			consent( 'r1' ),
		] );

		contact = {
			id: 'k1',
			email: 'ann@example.com',
			name: 'Ann',
			marketing: true,
		};
		socket.fire( 'conversation:context-changed', {
			conversationId: 'a',
			reason: 'contact',
		} );
		await until( () => read().getContext( 'a' ).contact !== null );
		expect( read().getContext( 'a' ).contact ).toEqual( contact );

		// Another conversation's context is not asked for, only forgotten:
		// selecting it loads it fresh.
		const asked = socket.sentOf( 'conversation:context' ).length;
		socket.fire( 'conversation:context-changed', {
			conversationId: 'b',
			reason: 'consent',
		} );
		expect( read().getContext( 'b' ) ).toBeUndefined();
		expect( socket.sentOf( 'conversation:context' ) ).toHaveLength( asked );
	} );

	it( 'asks for a context once more after a burst of changes, and keeps the newest answer', async () => {
		const { socket, read, act } = setUp();
		const answers: Array< ReturnType< typeof deferred< Ack< any > > > > =
			[];
		socket.answers[ 'conversation:context' ] = () => {
			const answer = deferred< Ack< any > >();
			answers.push( answer );
			return answer.promise;
		};
		act().selectConversation( 'a' );
		for ( let i = 0; i < 3; i++ ) {
			socket.fire( 'conversation:context-changed', {
				conversationId: 'a',
				reason: 'consent',
			} );
		}
		expect( socket.sentOf( 'conversation:context' ) ).toHaveLength( 1 );
		answers[ 0 ].resolve(
			ok( conversationContext( 'a', { consents: [ consent( 'r1' ) ] } ) )
		);
		await until( () => answers.length === 2 );
		// The first answer may predate the later changes: it is asked again.
		answers[ 1 ].resolve(
			ok(
				conversationContext( 'a', {
					consents: [
						consent( 'r3' ),
						consent( 'r2' ),
						consent( 'r1' ),
					],
				} )
			)
		);
		await until( () => read().getContext( 'a' )?.consents.length === 3 );
		expect( socket.sentOf( 'conversation:context' ) ).toHaveLength( 2 );

		// Once answered, a new change asks again.
		socket.fire( 'conversation:context-changed', {
			conversationId: 'a',
			reason: 'contact',
		} );
		expect( socket.sentOf( 'conversation:context' ) ).toHaveLength( 3 );
	} );

	it( 'marks a conversation read once per seq, and sends typing at most every few seconds', async () => {
		const { socket, connection } = setUp();
		socket.answers[ 'conversation:read' ] = () => ok( { unreadCount: 0 } );
		socket.answers.typing = () => ok( {} );
		await connection.markRead( 'a', 3 );
		await connection.markRead( 'a', 3 );
		await connection.markRead( 'a', 2 );
		expect( socket.sentOf( 'conversation:read' ) ).toEqual( [
			{ conversationId: 'a', seq: 3 },
		] );
		connection.setTyping( 'a', true );
		connection.setTyping( 'a', true );
		connection.setTyping( 'a', false );
		connection.setTyping( 'a', false );
		await until( () => socket.sentOf( 'typing' ).length === 2 );
		expect( socket.sentOf( 'typing' ) ).toEqual( [
			{ conversationId: 'a', typing: true },
			{ conversationId: 'a', typing: false },
		] );
		connection.disconnect();
		expect( socket.disconnected ).toBe( true );
	} );

	it( 'says the service did not answer when it times out', async () => {
		const { connection } = setUp();
		const response = await connection.updateTicket( 'a', {
			status: 'x',
		} );
		expect( response ).toMatchObject( {
			ok: false,
			error: { code: 'internal' },
		} );
	} );

	describe( 'the agent token', () => {
		/**
		 * Tokens WordPress hands out, each living `seconds`.
		 * @param seconds
		 */
		function tokens( seconds: number ) {
			let issued = 0;
			return {
				fetch: async () => {
					issued++;
					return {
						token: `token-${ issued }`,
						expires_at: new Date(
							Date.now() + seconds * 1000
						).toISOString(),
						expires_in: seconds,
						service: 'http://127.0.0.1:1',
					};
				},
				get issued() {
					return issued;
				},
			};
		}

		it( 'is renewed on the open connection before it expires, again and again', async () => {
			const wordpress = tokens( 0.2 );
			const { socket, connection } = setUp( {}, wordpress.fetch );
			socket.answers[ 'auth:renew' ] = () => ok( { exp: 0 } );
			connection.useToken( await wordpress.fetch() );
			socket.fire( 'connect' );
			await until( () => socket.sentOf( 'auth:renew' ).length >= 2 );
			expect( socket.sentOf( 'auth:renew' ).slice( 0, 2 ) ).toEqual( [
				{ token: 'token-2' },
				{ token: 'token-3' },
			] );
			// Renewed, never reconnected.
			expect( socket.connects ).toBe( 0 );
			connection.disconnect();
		} );

		it( 'lists again and reloads the directory when WordPress changed the agent’s inboxes', async () => {
			const { socket } = setUp();
			socket.fire( 'auth:changed', {} );
			await until(
				() =>
					socket.sentOf( 'inbox:list' ).length > 0 &&
					socket.sentOf( 'inbox:directory' ).length > 0
			);
		} );

		it( 'reconnects with a fresh token after `token_expired` and catches up; a revoked agent stays out', async () => {
			const { socket, read } = setUp();
			socket.fire( 'connect' );
			await until( () => read().getCounts() !== null );
			const listed = socket.sentOf( 'inbox:list' ).length;

			socket.fire( 'auth:ended', {
				code: 'token_expired',
				message: 'expired',
			} );
			socket.fire( 'disconnect', 'io server disconnect' );
			expect( socket.connects ).toBe( 1 );
			socket.fire( 'connect' );
			await until( () => socket.sentOf( 'inbox:list' ).length > listed );
			expect( read().getConnection().status ).toBe( 'connected' );

			socket.fire( 'auth:ended', {
				code: 'access_revoked',
				message: 'revoked',
			} );
			socket.fire( 'disconnect', 'io server disconnect' );
			expect( socket.connects ).toBe( 1 );
			expect( read().getConnection() ).toEqual( {
				status: 'failed',
				error: 'You may no longer answer chats.',
			} );
		} );
	} );

	describe( 'catching up on an open conversation', () => {
		function visitorMessage( seq: number ): ChatMessage {
			return {
				conversationId: 'a',
				seq,
				clientId: `client-${ seq }`,
				authorType: 'visitor',
				authorName: '',
				body: `message ${ seq }`,
				createdAt: '2026-01-01T10:00:00.000Z',
			};
		}

		/**
		 * An inbox whose service stores conversation `a`'s messages up to `stored`.
		 *
		 * @param stored The service's last seq.
		 */
		function inboxWith( stored: number ) {
			const setup = setUp();
			const service = { stored };
			setup.socket.answers[ 'conversation:messages' ] = ( payload ) =>
				ok( {
					messages: Array.from(
						{ length: service.stored },
						( _, index ) => visitorMessage( index + 1 )
					).filter(
						( message ) => message.seq > ( payload.afterSeq ?? 0 )
					),
				} );
			const seqs = () =>
				setup
					.read()
					.getMessages( 'a' )
					.map( ( message: ChatMessage ) => message.seq );
			const asked = () =>
				setup.socket
					.sentOf( 'conversation:messages' )
					.map( ( payload ) => payload.afterSeq );
			return { ...setup, service, seqs, asked };
		}

		async function settle() {
			for ( let i = 0; i < 30; i++ ) {
				await Promise.resolve();
			}
		}

		it( 'loads a conversation heard of only live from its first message when opened', async () => {
			const { socket, connection, act, seqs, asked } = inboxWith( 5 );
			socket.fire( 'message:new', visitorMessage( 5 ) );
			// Not open: nothing asked yet.
			expect( asked() ).toEqual( [] );
			act().selectConversation( 'a' );
			await connection.loadMessages( 'a' );
			expect( asked() ).toEqual( [ 0 ] );
			expect( seqs() ).toEqual( [ 1, 2, 3, 4, 5 ] );
		} );

		it( 'asks for what a live message or update shows the open conversation misses', async () => {
			const { socket, connection, act, service, seqs, asked } =
				inboxWith( 3 );
			act().selectConversation( 'a' );
			await connection.loadMessages( 'a' );

			// Message 4's broadcast was lost; 5 arrives live.
			service.stored = 5;
			socket.fire( 'message:new', visitorMessage( 5 ) );
			await until( () => seqs().length === 5 );
			expect( asked() ).toEqual( [ 0, 3 ] );

			// Message 6's broadcast was lost, and no message follows: the
			// conversation's update says it is the last one.
			service.stored = 6;
			socket.fire(
				'conversation:updated',
				conversation( 'a', { lastMessage: visitorMessage( 6 ) } )
			);
			await until( () => seqs().length === 6 );
			expect( asked() ).toEqual( [ 0, 3, 5 ] );
			expect( seqs() ).toEqual( [ 1, 2, 3, 4, 5, 6 ] );
		} );

		it( 'asks again, after a while, what the service did not answer while connected', async () => {
			jest.useFakeTimers();
			try {
				const { socket, connection, act, seqs, asked } = inboxWith( 3 );
				const answer = socket.answers[ 'conversation:messages' ];
				delete socket.answers[ 'conversation:messages' ];
				act().selectConversation( 'a' );
				await connection.loadMessages( 'a' );
				expect( seqs() ).toEqual( [] );

				socket.answers[ 'conversation:messages' ] = answer;
				jest.advanceTimersByTime( RETRY_BASE_MS );
				await settle();
				expect( asked() ).toEqual( [ 0, 0 ] );
				expect( seqs() ).toEqual( [ 1, 2, 3 ] );
				connection.disconnect();
			} finally {
				jest.useRealTimers();
			}
		} );

		it( 'after a reconnect, lists again until answered, catches up on the open conversation, and shows nobody typing', async () => {
			jest.useFakeTimers();
			try {
				const { socket, connection, act, read, service, seqs, asked } =
					inboxWith( 2 );
				act().selectConversation( 'a' );
				await connection.loadMessages( 'a' );
				socket.fire( 'typing', { conversationId: 'a', typing: true } );

				socket.connected = false;
				socket.fire( 'disconnect', 'transport close' );
				expect( read().isVisitorTyping( 'a' ) ).toBe( false );
				service.stored = 5;

				const list = socket.answers[ 'inbox:list' ];
				delete socket.answers[ 'inbox:list' ];
				socket.connected = true;
				socket.fire( 'connect' );
				await settle();
				expect( asked() ).toEqual( [ 0, 2 ] );
				expect( seqs() ).toEqual( [ 1, 2, 3, 4, 5 ] );
				expect( read().getCounts() ).toBeNull();

				socket.answers[ 'inbox:list' ] = list;
				jest.advanceTimersByTime( RETRY_BASE_MS );
				await settle();
				expect( read().getCounts() ).not.toBeNull();
				connection.disconnect();
			} finally {
				jest.useRealTimers();
			}
		} );
	} );

	describe( 'the reply outbox', () => {
		/** A service that stores each client id once, numbering from seq 1. */
		function storing() {
			const stored = new Map< string, ChatMessage >();
			return ( payload: any ) => {
				const message = stored.get( payload.clientId ) ?? {
					conversationId: payload.conversationId,
					seq: stored.size + 1,
					clientId: payload.clientId,
					authorType: 'agent' as const,
					authorName: 'Ann',
					body: payload.body,
					createdAt: '2026-01-01T10:00:00.000Z',
				};
				stored.set( payload.clientId, message );
				return ok( { message } );
			};
		}

		async function settle() {
			for ( let i = 0; i < 30; i++ ) {
				await Promise.resolve();
			}
		}

		it( 'sends an unanswered reply again by itself, with the same client id, and shows it once', async () => {
			jest.useFakeTimers();
			try {
				const { socket, connection, read } = setUp();
				const replied = connection.reply( 'a', 'Hello' );
				await settle();
				const [ first ] = socket.sentOf( 'message:send' );
				expect( first ).toMatchObject( {
					conversationId: 'a',
					body: 'Hello',
				} );
				expect( read().getPendingReplies( 'a' ) ).toHaveLength( 1 );

				socket.answers[ 'message:send' ] = storing();
				jest.advanceTimersByTime( RETRY_BASE_MS );
				await settle();
				expect( socket.sentOf( 'message:send' ) ).toEqual( [
					first,
					first,
				] );
				await expect( replied ).resolves.toMatchObject( {
					ok: true,
					data: { message: { seq: 1, clientId: first.clientId } },
				} );
				expect(
					read()
						.getMessages( 'a' )
						.map( ( m: ChatMessage ) => m.body )
				).toEqual( [ 'Hello' ] );
				expect( read().getPendingReplies( 'a' ) ).toEqual( [] );
				connection.disconnect();
			} finally {
				jest.useRealTimers();
			}
		} );

		it( 'keeps replies typed while disconnected and sends them in order on reconnecting', async () => {
			const { socket, connection, read } = setUp();
			socket.connected = false;
			const first = connection.reply( 'a', 'one' );
			const second = connection.reply( 'a', 'two' );
			await Promise.resolve();
			expect( socket.sentOf( 'message:send' ) ).toEqual( [] );

			socket.answers[ 'message:send' ] = storing();
			socket.connected = true;
			socket.fire( 'connect' );
			await expect( first ).resolves.toMatchObject( { ok: true } );
			await expect( second ).resolves.toMatchObject( { ok: true } );
			expect(
				socket
					.sentOf( 'message:send' )
					.map( ( payload: any ) => payload.body )
			).toEqual( [ 'one', 'two' ] );
			expect(
				read()
					.getMessages( 'a' )
					.map( ( m: ChatMessage ) => `${ m.seq } ${ m.body }` )
			).toEqual( [ '1 one', '2 two' ] );
		} );

		it( 'is done with a reply the service stored when it hears of it otherwise, and drops one refused', async () => {
			const { socket, connection, read } = setUp();
			const waiting = connection.reply( 'a', 'Hello' );
			await Promise.resolve();
			const [ sent ] = socket.sentOf( 'message:send' );
			// Its acknowledgement lost; the reply arrives with a catch-up instead.
			socket.answers[ 'conversation:messages' ] = () =>
				ok( {
					messages: [
						{
							conversationId: 'a',
							seq: 1,
							clientId: sent.clientId,
							authorType: 'agent',
							authorName: 'Ann',
							body: 'Hello',
							createdAt: '2026-01-01T10:00:00.000Z',
						},
					],
				} );
			await connection.loadMessages( 'a' );
			await expect( waiting ).resolves.toMatchObject( { ok: true } );
			expect( read().getPendingReplies( 'a' ) ).toEqual( [] );

			socket.answers[ 'message:send' ] = () => ( {
				ok: false,
				error: { code: 'not_found', message: 'No such conversation.' },
			} );
			await expect(
				connection.reply( 'gone', 'Hello?' )
			).resolves.toMatchObject( {
				ok: false,
				error: { code: 'not_found' },
			} );
			expect( read().getConversationsWithPendingReplies() ).toEqual( [] );
		} );
	} );
} );
