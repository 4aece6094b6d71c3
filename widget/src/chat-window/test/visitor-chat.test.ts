/**
 * The visitor's connection as the window sees it: the outbox across
 * disconnections, the offline path, and what the service reports.
 */
import {
	type Ack,
	type ChatMessage,
	RETRY_BASE_MS,
	type VisitorConversation,
} from '@chatflows/protocol';
import { STORAGE_KEYS } from '../storage';
import {
	AGENT_TYPING_TIMEOUT_MS,
	PENDING_RETRY_MS,
	VisitorChat,
} from '../visitor-chat';
import {
	FakeSocket,
	settle,
	storedVisitorMessage,
	widgetConfig,
} from './fixtures';

function ok< T >( data: T ): Ack< T > {
	return { ok: true, data };
}

/**
 * A service in memory: stores each client id once, numbers messages, keeps
 * the contact given on this connection.
 */
function fakeService() {
	const messages: ChatMessage[] = [];
	let conversation: VisitorConversation | null = null;
	const emails: string[] = [];
	const contactAtOpen: Array< string | null > = [];
	let lastEmail: string | null = null;
	const answer = ( event: string, payload: any ): Ack< any > | undefined => {
		switch ( event ) {
			case 'conversation:resume':
				return ok( {
					conversation,
					messages: messages.filter(
						( message ) => message.seq > ( payload.afterSeq ?? 0 )
					),
					unreadCount: 0,
				} );
			case 'message:send': {
				const known = messages.find(
					( message ) => message.clientId === payload.clientId
				);
				if ( known ) {
					return ok( { message: known } );
				}
				if ( ! conversation ) {
					conversation = {
						id: 'conv-1',
						chatflowId: '42',
						status: 'open',
						createdAt: '2026-01-01T00:00:00.000Z',
					};
					contactAtOpen.push( lastEmail );
				}
				const message = storedVisitorMessage( payload, {
					conversationId: conversation.id,
					seq: messages.length + 1,
				} );
				messages.push( message );
				return ok( { message } );
			}
			case 'contact:email':
				if ( ! /^[^@\s]+@[^@\s]+\.\w{2,}$/.test( payload.email ) ) {
					return {
						ok: false,
						error: {
							code: 'invalid_payload',
							message: 'email: must be an e-mail address',
						},
					};
				}
				emails.push( payload.email );
				lastEmail = payload.email;
				// A claim: linked only once confirmed by e-mail.
				return ok( { contactId: null, confirmationSent: true } );
			default:
				return ok( {} );
		}
	};
	return {
		messages,
		emails,
		contactAtOpen,
		answer,
		conversation: () => conversation,
		dropContact: () => ( lastEmail = null ),
	};
}

function chatWith( socket: FakeSocket ) {
	return new VisitorChat( widgetConfig(), () => socket.asVisitorSocket() );
}

/** A chat connected to a fake service. */
async function connectedChat() {
	const service = fakeService();
	const socket = new FakeSocket( service.answer );
	const chat = chatWith( socket );
	socket.connect();
	await settle();
	return { chat, socket, service };
}

/** A chat whose conversation holds the visitor's "Hello" (seq 1). */
async function openConversation() {
	const connected = await connectedChat();
	connected.chat.send( 'Hello' );
	await settle();
	return connected;
}

function agentMessage( seq: number, body: string ): ChatMessage {
	return {
		conversationId: 'conv-1',
		seq,
		clientId: `agent-${ seq }`,
		authorType: 'agent',
		authorName: 'Alex Agent',
		body,
		createdAt: '2026-01-01T00:00:00.000Z',
	};
}

beforeEach( () => window.localStorage.clear() );

describe( 'VisitorChat outbox', () => {
	it( 'sends messages typed while disconnected in order, once each, when the connection returns', async () => {
		const service = fakeService();
		const socket = new FakeSocket( service.answer );
		const chat = chatWith( socket );
		socket.connect();
		await settle();
		chat.send( 'one' );
		await settle();
		expect( chat.getState().status ).toBe( 'connected' );

		socket.drop();
		expect( chat.getState().status ).toBe( 'reconnecting' );
		chat.send( 'two' );
		chat.send( 'three' );
		await settle();
		expect( chat.getState().pending.map( ( m ) => m.body ) ).toEqual( [
			'two',
			'three',
		] );

		socket.connect();
		await settle();
		expect( service.messages.map( ( m ) => m.body ) ).toEqual( [
			'one',
			'two',
			'three',
		] );
		expect( chat.getState().messages.map( ( m ) => m.body ) ).toEqual( [
			'one',
			'two',
			'three',
		] );
		expect( chat.getState().pending ).toEqual( [] );
	} );

	it( 'keeps one copy when the service stored a message but its acknowledgement was lost', async () => {
		const service = fakeService();
		const socket = new FakeSocket( service.answer );
		socket.answer = ( event, payload ) => {
			if ( event === 'message:send' ) {
				// Stored, then the connection drops before the answer arrives.
				service.answer( event, payload );
				socket.connected = false;
				return undefined;
			}
			return service.answer( event, payload );
		};
		const chat = chatWith( socket );
		socket.connect();
		await settle();
		chat.send( 'lost answer' );
		await settle();
		expect( chat.getState().pending ).toHaveLength( 1 );

		socket.answer = service.answer;
		socket.drop();
		socket.connect();
		await settle();
		expect( service.messages.map( ( m ) => m.body ) ).toEqual( [
			'lost answer',
		] );
		expect( chat.getState().messages.map( ( m ) => m.body ) ).toEqual( [
			'lost answer',
		] );
		expect( chat.getState().pending ).toEqual( [] );
	} );

	it( 'drops a refused message and says why by code, never with the service’s English text', async () => {
		const socket = new FakeSocket( ( event ) =>
			event === 'message:send'
				? {
						ok: false,
						error: { code: 'rate_limited', message: 'Slow down' },
					}
				: ok( { conversation: null, messages: [] } )
		);
		const chat = chatWith( socket );
		socket.connect();
		await settle();
		chat.send( 'too fast' );
		await settle();
		expect( chat.getState().pending ).toEqual( [] );
		expect( chat.getState().error ).toBe( 'rate_limited' );
	} );
} );

describe( 'VisitorChat outbox without an acknowledgement on an open connection', () => {
	beforeEach( () => jest.useFakeTimers() );
	afterEach( () => jest.useRealTimers() );

	it( 'sends again by itself after a while, with the same client id, stored once, in order', async () => {
		const { service, socket, chat } = await connectedChat();
		let acknowledging = false;
		socket.answer = ( event, payload ) => {
			const reply = service.answer( event, payload );
			// Stored, but the acknowledgement times out; the connection stays up.
			return event === 'message:send' && ! acknowledging
				? undefined
				: reply;
		};
		chat.send( 'one' );
		chat.send( 'two' );
		await settle();
		expect( socket.events( 'message:send' ) ).toHaveLength( 1 );
		expect( chat.getState().pending.map( ( m ) => m.body ) ).toEqual( [
			'one',
			'two',
		] );

		acknowledging = true;
		jest.advanceTimersByTime( RETRY_BASE_MS );
		await settle();
		const sent = socket
			.events( 'message:send' )
			.map( ( item ) => item.payload.clientId );
		expect( sent ).toHaveLength( 3 );
		expect( sent[ 1 ] ).toBe( sent[ 0 ] );
		expect( service.messages.map( ( m ) => m.body ) ).toEqual( [
			'one',
			'two',
		] );
		expect( chat.getState().messages.map( ( m ) => m.body ) ).toEqual( [
			'one',
			'two',
		] );
		expect( chat.getState().pending ).toEqual( [] );
		chat.close();
	} );

	it( 'never has two sends in flight: a retry or a new message waits for the answer under way', async () => {
		const { service, socket, chat } = await connectedChat();
		const answers: Array< () => void > = [];
		let sends = 0;
		socket.answer = ( event, payload ) => {
			if ( event !== 'message:send' ) {
				return service.answer( event, payload );
			}
			sends++;
			if ( sends === 1 ) {
				return undefined;
			}
			// Answered only when the test says.
			return new Promise( ( resolve ) =>
				answers.push( () =>
					resolve( service.answer( event, payload ) )
				)
			) as any;
		};
		chat.send( 'one' );
		await settle();
		jest.advanceTimersByTime( RETRY_BASE_MS );
		await settle();
		expect( sends ).toBe( 2 );
		chat.send( 'two' );
		jest.advanceTimersByTime( 10 * 60_000 );
		await settle();
		expect( sends ).toBe( 2 );

		while ( answers.length ) {
			answers.shift()!();
			await settle();
		}
		expect( sends ).toBe( 3 );
		expect( service.messages.map( ( m ) => m.body ) ).toEqual( [
			'one',
			'two',
		] );
		expect( chat.getState().pending ).toEqual( [] );
		chat.close();
	} );
} );

describe( 'VisitorChat catching up on missed messages', () => {
	beforeEach( () => jest.useFakeTimers() );
	afterEach( () => jest.useRealTimers() );

	/** A chat in a conversation (seq 1), and what the service may store meanwhile. */
	async function chatInConversation() {
		const { service, socket, chat } = await openConversation();
		/**
		 * An agent's message the service stored (broadcast or not).
		 *
		 * @param body Its text.
		 */
		const store = ( body: string ) => {
			const message = agentMessage( service.messages.length + 1, body );
			service.messages.push( message );
			return message;
		};
		const seqs = () => chat.getState().messages.map( ( m ) => m.seq );
		const resumes = () =>
			socket
				.events( 'conversation:resume' )
				.map( ( item ) => item.payload.afterSeq );
		return { service, socket, chat, store, seqs, resumes };
	}

	it( 'asks for what a live message shows missing, after the last seq held without a gap', async () => {
		const { socket, chat, store, seqs, resumes } =
			await chatInConversation();
		store( 'Broadcast lost when its node died' );
		socket.receive( 'message:new', store( 'Heard live' ) );
		await settle();
		expect( resumes().slice( 1 ) ).toEqual( [ 1 ] );
		expect( seqs() ).toEqual( [ 1, 2, 3 ] );
		chat.close();
	} );

	it( 'asks once more for a burst of live gaps while one request is under way', async () => {
		const { service, socket, chat, store, seqs, resumes } =
			await chatInConversation();
		const answers: Array< () => void > = [];
		socket.answer = ( event, payload ) =>
			event === 'conversation:resume'
				? ( new Promise( ( resolve ) =>
						answers.push( () =>
							resolve( service.answer( event, payload ) )
						)
					) as any )
				: service.answer( event, payload );
		store( 'lost' );
		socket.receive( 'message:new', store( 'three' ) );
		store( 'lost too' );
		socket.receive( 'message:new', store( 'five' ) );
		socket.receive( 'message:new', store( 'six' ) );
		await settle();
		expect( resumes().slice( 1 ) ).toEqual( [ 1 ] );
		while ( answers.length ) {
			answers.shift()!();
			await settle();
		}
		expect( resumes() ).toHaveLength( 3 );
		expect( seqs() ).toEqual( [ 1, 2, 3, 4, 5, 6 ] );
		chat.close();
	} );

	it( 'fills a hole held before a drop on the next connection, a recovered one too', async () => {
		const { service, socket, chat, store, seqs, resumes } =
			await chatInConversation();
		// The catch-up a live gap asks for is lost with the connection.
		socket.answer = ( event, payload ) =>
			event === 'conversation:resume'
				? undefined
				: service.answer( event, payload );
		store( 'lost' );
		socket.receive( 'message:new', store( 'three' ) );
		await settle();
		expect( seqs() ).toEqual( [ 1, 3 ] );
		socket.drop();

		socket.answer = service.answer;
		socket.recovered = true;
		socket.connect();
		await settle();
		expect( resumes().at( -1 ) ).toBe( 1 );
		expect( seqs() ).toEqual( [ 1, 2, 3 ] );
		chat.close();
	} );

	it( 'asks again, after a while, a resume the service did not answer while connected', async () => {
		const { service, socket, chat, store, seqs, resumes } =
			await chatInConversation();
		socket.drop();
		store( 'while away' );
		store( 'still away' );
		let answering = false;
		socket.answer = ( event, payload ) =>
			event === 'conversation:resume' && ! answering
				? undefined
				: service.answer( event, payload );
		socket.connect();
		await settle();
		expect( seqs() ).toEqual( [ 1 ] );
		const asked = resumes().length;

		answering = true;
		jest.advanceTimersByTime( RETRY_BASE_MS );
		await settle();
		expect( resumes() ).toHaveLength( asked + 1 );
		expect( seqs() ).toEqual( [ 1, 2, 3 ] );
		// Caught up: nothing more is asked.
		jest.advanceTimersByTime( 10 * 60_000 );
		expect( resumes() ).toHaveLength( asked + 1 );
		chat.close();
	} );

	it( 'shows only the new conversation’s messages when the service resumes another one', async () => {
		const { socket, chat, store, seqs, resumes } =
			await chatInConversation();
		store( 'Reply in the old conversation' );
		await settle();
		socket.drop();
		const fresh = { ...agentMessage( 1, 'A new start' ) };
		fresh.conversationId = 'conv-2';
		socket.answer = ( event, payload ) =>
			event === 'conversation:resume'
				? ok( {
						conversation: {
							id: 'conv-2',
							chatflowId: '42',
							status: 'open',
							createdAt: '2026-01-02T00:00:00.000Z',
						},
						messages: [ fresh ].filter(
							( message ) => message.seq > payload.afterSeq
						),
						unreadCount: 0,
					} )
				: undefined;
		socket.connect();
		await settle();
		expect( resumes().slice( -2 ) ).toEqual( [ 1, 0 ] );
		expect( seqs() ).toEqual( [ 1 ] );
		expect( chat.getState().messages[ 0 ].body ).toBe( 'A new start' );
		chat.close();
	} );
} );

describe( 'VisitorChat connection states', () => {
	it( 'is unreachable when the service never answered, and reconnecting once it had', () => {
		const socket = new FakeSocket();
		const chat = chatWith( socket );
		expect( chat.getState().status ).toBe( 'connecting' );
		socket.receive( 'connect_error', new Error( 'refused' ) );
		expect( chat.getState().status ).toBe( 'unreachable' );
		socket.connect();
		expect( chat.getState().status ).toBe( 'connected' );
		socket.drop();
		socket.receive( 'connect_error', new Error( 'refused' ) );
		expect( chat.getState().status ).toBe( 'reconnecting' );
	} );

	it( 'is unavailable, for good, when the service refuses its chatflow', () => {
		const socket = new FakeSocket();
		const chat = chatWith( socket );
		socket.receive(
			'connect_error',
			Object.assign(
				new Error( 'chatflowId: this chat is not available.' ),
				{
					data: { code: 'chatflow_unavailable' },
				}
			)
		);
		expect( chat.getState().status ).toBe( 'unavailable' );
	} );

	it( 'connects again shortly when the service has just started and has no chatflows yet', () => {
		jest.useFakeTimers();
		try {
			const socket = new FakeSocket();
			const chat = chatWith( socket );
			socket.receive(
				'connect_error',
				Object.assign( new Error( 'starting' ), {
					data: { code: 'configuration_pending' },
				} )
			);
			expect( chat.getState().status ).toBe( 'unreachable' );
			jest.advanceTimersByTime( PENDING_RETRY_MS - 1 );
			expect( socket.connected ).toBe( false );
			jest.advanceTimersByTime( 1 );
			expect( socket.connected ).toBe( true );
			expect( chat.getState().status ).toBe( 'connected' );
		} finally {
			jest.useRealTimers();
		}
	} );

	it( 'is unavailable when the chatflow was switched off since the page loaded, dropping what waited', async () => {
		const socket = new FakeSocket( ( event ) =>
			event === 'message:send'
				? {
						ok: false,
						error: {
							code: 'chatflow_unavailable',
							message:
								'chatflowId: this chat is switched off and accepts no new conversations.',
						},
					}
				: { ok: true, data: { conversation: null, messages: [] } }
		);
		const chat = chatWith( socket );
		socket.connect();
		await settle();
		chat.send( 'Anyone there?' );
		await settle();
		expect( chat.getState() ).toMatchObject( {
			status: 'unavailable',
			pending: [],
			error: null,
		} );
	} );

	it( 'sends the visitor’s context in the handshake', () => {
		let auth: Record< string, unknown > = {};
		document.title = 'Pricing – Demo';

		new VisitorChat( widgetConfig(), ( _url, authorize ) => {
			authorize(
				( data ) => ( auth = data as Record< string, unknown > )
			);
			return new FakeSocket().asVisitorSocket();
		} );
		expect( auth ).toMatchObject( {
			chatflowId: '42',
			pageUrl: window.location.href,
			pageTitle: 'Pricing – Demo',
			language: navigator.language,
			deviceType: expect.stringMatching( /^(desktop|tablet|mobile)$/ ),
		} );
		expect( typeof auth.timeZone ).toBe( 'string' );
		expect( auth ).toHaveProperty( 'referrer' );
	} );
} );

describe( 'VisitorChat offline message', () => {
	it( 'gives the address before the message, so the ticket carries it', async () => {
		const service = fakeService();
		const socket = new FakeSocket( service.answer );
		const chat = chatWith( socket );
		socket.connect();
		await settle();
		chat.leaveOfflineMessage( 'ana@example.com', 'Call me back' );
		await settle();
		expect(
			socket
				.events()
				.filter( ( item ) => item.event !== 'conversation:resume' )
				.map( ( item ) => item.event )
		).toEqual( [ 'contact:email', 'message:send' ] );
		expect( service.contactAtOpen ).toEqual( [ 'ana@example.com' ] );
		expect( chat.getState() ).toMatchObject( {
			contact: 'saved',
			leftOfflineMessage: true,
			pending: [],
		} );
		expect( window.localStorage.getItem( STORAGE_KEYS.contact ) ).toBe(
			'1'
		);
	} );

	it( 'left while the service is unreachable, is delivered with its address once it answers', async () => {
		const service = fakeService();
		const socket = new FakeSocket( service.answer );
		const chat = chatWith( socket );
		socket.receive( 'connect_error', new Error( 'refused' ) );
		chat.leaveOfflineMessage( 'ana@example.com', 'Are you there?' );
		await settle();
		expect( chat.getState() ).toMatchObject( {
			status: 'unreachable',
			contact: 'pending',
		} );
		expect( service.messages ).toEqual( [] );

		socket.connect();
		await settle();
		expect( service.messages.map( ( m ) => m.body ) ).toEqual( [
			'Are you there?',
		] );
		expect( service.contactAtOpen ).toEqual( [ 'ana@example.com' ] );
		expect( chat.getState().contact ).toBe( 'saved' );
	} );
} );

describe( 'VisitorChat e-mail capture', () => {
	it( 'reports an address the service refuses, and stores nothing', async () => {
		const service = fakeService();
		const socket = new FakeSocket( service.answer );
		const chat = chatWith( socket );
		socket.connect();
		await settle();
		await expect( chat.saveEmail( 'not an address' ) ).resolves.toBe(
			'invalid'
		);
		expect( chat.getState().contact ).toBe( 'none' );
		expect(
			window.localStorage.getItem( STORAGE_KEYS.contact )
		).toBeNull();
		await expect( chat.saveEmail( 'ana@example.com' ) ).resolves.toBe(
			'saved'
		);
		expect( window.localStorage.getItem( STORAGE_KEYS.contact ) ).toBe(
			'1'
		);
	} );
} );

describe( 'VisitorChat reports from the service', () => {
	it( 'follows this chatflow’s availability only', async () => {
		const { chat, socket } = await openConversation();
		const availability = {
			chatflowId: '42',
			state: 'offline' as const,
			nextReturnAt: '2026-01-05T08:00:00.000Z',
			behaviour: null,
		};
		socket.receive( 'availability', availability );
		socket.receive( 'availability', {
			...availability,
			chatflowId: '7',
			state: 'available',
		} );
		expect( chat.getState().availability ).toEqual( availability );
	} );

	it( 'shows the queue position until an agent answers', async () => {
		const { chat, socket } = await openConversation();
		socket.receive( 'queue:position', {
			conversationId: 'conv-1',
			position: 2,
			estimatedWaitSeconds: 360,
		} );
		expect( chat.getState().queue?.position ).toBe( 2 );
		socket.receive( 'message:new', agentMessage( 2, 'Hi there' ) );
		expect( chat.getState().queue ).toBeNull();
	} );

	it( 'counts unread agent messages once each, and clears them when read', async () => {
		const { chat, socket } = await openConversation();
		socket.receive( 'message:new', agentMessage( 2, 'Hi' ) );
		socket.receive( 'message:new', agentMessage( 2, 'Hi' ) );
		socket.receive( 'message:new', agentMessage( 3, 'Still there?' ) );
		expect( chat.getState() ).toMatchObject( {
			unreadCount: 2,
			agentMessagesReceived: 2,
		} );
		chat.markRead();
		expect( chat.getState().unreadCount ).toBe( 0 );
		expect( socket.events( 'conversation:read' ) ).toEqual( [
			{ event: 'conversation:read', payload: { seq: 3 } },
		] );
	} );

	it( 'shows the team typing, and stops when told or after a while', async () => {
		jest.useFakeTimers();
		try {
			const { chat, socket } = await openConversation();
			socket.receive( 'typing', {
				conversationId: 'conv-1',
				typing: true,
			} );
			expect( chat.getState().agentTyping ).toBe( true );
			socket.receive( 'typing', {
				conversationId: 'conv-1',
				typing: false,
			} );
			expect( chat.getState().agentTyping ).toBe( false );
			socket.receive( 'typing', {
				conversationId: 'conv-1',
				typing: true,
			} );
			jest.advanceTimersByTime( AGENT_TYPING_TIMEOUT_MS );
			expect( chat.getState().agentTyping ).toBe( false );
			socket.receive( 'typing', {
				conversationId: 'other',
				typing: true,
			} );
			expect( chat.getState().agentTyping ).toBe( false );
		} finally {
			jest.useRealTimers();
		}
	} );

	it( 'sends the visitor’s typing only in an open conversation', async () => {
		const socket = new FakeSocket( fakeService().answer );
		const chat = chatWith( socket );
		socket.connect();
		await settle();
		chat.setTyping( true );
		expect( socket.events( 'typing' ) ).toEqual( [] );
		chat.send( 'Hi' );
		await settle();
		chat.setTyping( true );
		expect( socket.events( 'typing' ) ).toEqual( [
			{ event: 'typing', payload: { typing: true } },
		] );
	} );

	it( 'marks the visitor’s messages the team read', async () => {
		const { chat, socket } = await openConversation();
		socket.receive( 'read', {
			conversationId: 'conv-1',
			reader: 'agent',
			seq: 1,
		} );
		socket.receive( 'read', {
			conversationId: 'conv-1',
			reader: 'visitor',
			seq: 5,
		} );
		expect( chat.getState().agentReadSeq ).toBe( 1 );
	} );

	it( 'asks the survey when the conversation closes, in the chat’s language, and answers it once', async () => {
		const { chat, socket } = await openConversation();
		socket.receive( 'conversation:updated', {
			conversation: {
				id: 'conv-1',
				chatflowId: '42',
				status: 'closed',
				createdAt: '2026-01-01T00:00:00.000Z',
			},
			survey: {
				question: { en_US: 'Rate us!', da_DK: 'Bedøm os!' },
			},
		} );
		expect( chat.getState().survey ).toEqual( {
			conversationId: 'conv-1',
			question: 'Rate us!',
			answered: false,
		} );
		await expect( chat.answerSurvey( 4, ' Quick ' ) ).resolves.toBe( true );
		expect( socket.events( 'survey:answer' ) ).toEqual( [
			{
				event: 'survey:answer',
				payload: {
					conversationId: 'conv-1',
					rating: 4,
					comment: 'Quick',
				},
			},
		] );
		expect( chat.getState().survey?.answered ).toBe( true );
	} );

	it( 'forgets the survey when the visitor writes again and the conversation reopens', async () => {
		const { chat, socket } = await openConversation();
		const closed = {
			id: 'conv-1',
			chatflowId: '42',
			status: 'closed' as const,
			createdAt: '2026-01-01T00:00:00.000Z',
		};
		socket.receive( 'conversation:updated', {
			conversation: closed,
			survey: { question: { en_US: 'Rate us!' } },
		} );
		expect( chat.getState().survey ).not.toBeNull();
		chat.send( 'One more question' );
		await settle();
		expect( chat.getState().survey ).toBeNull();
		expect( chat.getState().conversation?.status ).toBe( 'open' );
	} );

	describe( 'after a reload', () => {
		const conversation = ( status: 'open' | 'closed' ) => ( {
			id: 'conv-1',
			chatflowId: '42',
			status,
			createdAt: '2026-01-01T00:00:00.000Z',
		} );

		/**
		 * A chat whose service answers the resume with `resumed` (changeable).
		 *
		 * @param resumed The resume's data.
		 */
		async function reloadedChat( resumed: Record< string, unknown > ) {
			const reply = { current: resumed };
			const socket = new FakeSocket( ( event ) =>
				event === 'conversation:resume'
					? ok( { messages: [], unreadCount: 0, ...reply.current } )
					: ok( {} )
			);
			const chat = chatWith( socket );
			const events: unknown[] = [];
			chat.onEvent( ( event ) => events.push( event ) );
			socket.connect();
			await settle();
			return { chat, socket, reply, events };
		}

		it( 'shows the place in the queue the service gives on resume, and drops it once not waiting', async () => {
			const queue = {
				conversationId: 'conv-1',
				position: 3,
				estimatedWaitSeconds: 540,
			};
			const { chat, socket, reply } = await reloadedChat( {
				conversation: conversation( 'open' ),
				queue,
			} );
			expect( chat.getState().queue ).toEqual( queue );

			// Assigned while the connection was down: no place after reconnecting.
			socket.drop();
			reply.current = { conversation: conversation( 'open' ) };
			socket.connect();
			await settle();
			expect( chat.getState().queue ).toBeNull();
		} );

		it( 'asks the survey the service says is unanswered, without announcing a new closing', async () => {
			const { chat, socket, reply, events } = await reloadedChat( {
				conversation: conversation( 'closed' ),
				survey: { question: { en_US: 'Rate us!' } },
			} );
			expect( chat.getState().survey ).toEqual( {
				conversationId: 'conv-1',
				question: 'Rate us!',
				answered: false,
			} );
			expect( events ).toEqual( [] );

			await expect( chat.answerSurvey( 5, '' ) ).resolves.toBe( true );
			// Answered: the service no longer lists it; the thanks stay on this page.
			socket.drop();
			reply.current = { conversation: conversation( 'closed' ) };
			socket.connect();
			await settle();
			expect( chat.getState().survey ).toEqual( {
				conversationId: 'conv-1',
				question: 'Rate us!',
				answered: true,
			} );
		} );

		it( 'asks no survey once answered, nor for an open conversation', async () => {
			const answered = await reloadedChat( {
				conversation: conversation( 'closed' ),
			} );
			expect( answered.chat.getState().survey ).toBeNull();
			const open = await reloadedChat( {
				conversation: conversation( 'open' ),
				survey: { question: { en_US: 'Rate us!' } },
			} );
			expect( open.chat.getState().survey ).toBeNull();
		} );
	} );

	it( 'announces a conversation started by the visitor and its closing, once each, and no contact for an address only typed', async () => {
		const service = fakeService();
		const socket = new FakeSocket( service.answer );
		const chat = chatWith( socket );
		const events: unknown[] = [];
		chat.onEvent( ( event ) => events.push( event ) );
		socket.connect();
		await settle();
		chat.send( 'Hello' );
		chat.send( 'Again' );
		await chat.saveEmail( 'ana@example.com' );
		await settle();
		const closed = {
			conversation: {
				id: 'conv-1',
				chatflowId: '42',
				status: 'closed' as const,
				createdAt: '2026-01-01T00:00:00.000Z',
			},
			survey: null,
		};
		socket.receive( 'conversation:updated', closed );
		socket.receive( 'conversation:updated', closed );
		expect( events ).toEqual( [
			{ type: 'conversationStarted', conversationId: 'conv-1' },
			{ type: 'conversationClosed', conversationId: 'conv-1' },
		] );
	} );

	it( 'announces no new conversation when a reload resumes one', async () => {
		const service = fakeService();
		const first = chatWith( new FakeSocket( service.answer ) );
		( first as unknown as { socket: FakeSocket } ).socket.connect();
		await settle();
		first.send( 'Hello' );
		await settle();

		const socket = new FakeSocket( service.answer );
		const reloaded = chatWith( socket );
		const events: unknown[] = [];
		reloaded.onEvent( ( event ) => events.push( event ) );
		socket.connect();
		await settle();
		reloaded.send( 'After the reload' );
		await settle();
		expect( reloaded.getState().messages ).toHaveLength( 2 );
		expect( events ).toEqual( [] );
	} );
} );
