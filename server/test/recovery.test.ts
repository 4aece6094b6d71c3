/**
 * socket.io connection-state recovery on one node: a client whose connection
 * drops briefly gets back its rooms and the events it missed, and its
 * credentials are checked again on the way back.
 */
import Database from 'better-sqlite3';
import { io as connect } from 'socket.io-client';
import {
	AGENT_NAMESPACE,
	VISITOR_NAMESPACE,
	type ChatMessage,
	type VisitorSession,
} from '@chatflows/protocol';
import {
	CHATFLOW_ID,
	ORIGIN,
	PAGE_URL,
	agentAsk,
	cleanup,
	connectAgent,
	connectVisitor,
	flushAgent,
	flushVisitor,
	nextEvent,
	sendMessage,
	signAgentToken,
	startService,
	visitorAsk,
	type AgentClient,
	type ConnectErrorWithData,
	type TestService,
	type VisitorClient,
} from './helpers';
import { waitFor } from './process-helpers';

afterEach( cleanup );

const reconnecting: Array< VisitorClient | AgentClient > = [];

afterEach( () => {
	for ( const socket of reconnecting.splice( 0 ) ) {
		socket.disconnect();
	}
} );

function reconnectingOptions( auth: Record< string, unknown > ) {
	return {
		auth,
		forceNew: true,
		reconnection: true,
		reconnectionDelay: 200,
		reconnectionDelayMax: 200,
		transports: [ 'websocket' as const ],
		extraHeaders: { origin: ORIGIN },
	};
}

/**
 * A visitor client that reconnects by itself, like the widget.
 *
 * @param service The service.
 */
async function reconnectingVisitor(
	service: TestService
): Promise< { socket: VisitorClient; session: VisitorSession } > {
	const auth: Record< string, unknown > = {
		chatflowId: CHATFLOW_ID,
		pageUrl: PAGE_URL,
	};
	const socket: VisitorClient = connect(
		service.url + VISITOR_NAMESPACE,
		reconnectingOptions( auth )
	);
	reconnecting.push( socket );
	const session = await new Promise< VisitorSession >(
		( resolve, reject ) => {
			socket.once( 'session', resolve );
			socket.once( 'connect_error', reject );
		}
	);
	// Like the widget: present the session on every later connection.
	auth.session = session.token;
	return { socket, session };
}

/**
 * Drops the client's connection without a goodbye, as a network failure does.
 *
 * @param socket    The client.
 * @param service   The service it is connected to.
 * @param namespace Which of the service's namespaces it is in.
 */
async function dropConnection(
	socket: VisitorClient | AgentClient,
	service: TestService,
	namespace: 'visitors' | 'agents'
): Promise< void > {
	const before = service.app[ namespace ].sockets.size;
	(
		socket.io as unknown as { engine: { close: () => void } }
	 ).engine.close();
	await waitFor(
		() => service.app[ namespace ].sockets.size < before,
		3000,
		() => 'the service did not notice the dropped connection'
	);
}

/** Either kind of client, for listening to reserved events. */
interface AnyClient {
	once: ( event: string, listener: ( value?: unknown ) => void ) => void;
	io: VisitorClient[ 'io' ];
}

function nextConnect( client: VisitorClient | AgentClient ): Promise< void > {
	const socket = client as unknown as AnyClient;
	return new Promise( ( resolve, reject ) => {
		socket.once( 'connect', () => resolve() );
		socket.io.once( 'reconnect_failed', () =>
			reject( new Error( 'reconnect failed' ) )
		);
	} );
}

function nextConnectError(
	client: VisitorClient | AgentClient
): Promise< ConnectErrorWithData > {
	const socket = client as unknown as AnyClient;
	return new Promise( ( resolve, reject ) => {
		socket.once( 'connect_error', ( error ) =>
			resolve( error as ConnectErrorWithData )
		);
		socket.once( 'connect', () =>
			reject( new Error( 'reconnected, but a refusal was expected' ) )
		);
	} );
}

describe( 'connection-state recovery', () => {
	it( 'gives a visitor back the messages sent while the connection was down', async () => {
		const service = await startService();
		const visitor = await reconnectingVisitor( service );
		const conversationId = await sendMessage(
			visitor.socket,
			'hello',
			'v1'
		);
		const agent = await connectAgent( service );

		await dropConnection( visitor.socket, service, 'visitors' );
		const received: ChatMessage[] = [];
		const argumentCounts: number[] = [];
		visitor.socket.on( 'message:new', ( ...args: unknown[] ) => {
			received.push( args[ 0 ] as ChatMessage );
			argumentCounts.push( args.length );
		} );
		const back = nextConnect( visitor.socket );
		const reply = await agentAsk( agent, 'message:send', {
			conversationId,
			clientId: 'a1',
			body: 'sent while you were away',
		} );
		await back;
		expect( visitor.socket.recovered ).toBe( true );
		await waitFor(
			() => received.length > 0,
			3000,
			() => 'the missed message was not replayed'
		);
		expect( received ).toEqual( [ reply.ok && reply.data.message ] );
		// The same visitor, in the same rooms.
		const later = await agentAsk( agent, 'message:send', {
			conversationId,
			clientId: 'a2',
			body: 'and now',
		} );
		await waitFor(
			() => received.length === 2,
			3000,
			() => 'the recovered socket lost its room'
		);
		expect( received[ 1 ] ).toEqual( later.ok && later.data.message );
		// Replayed as sent live (the payload, then socket.io's offset), not
		// with the offset it was stored under as well.
		expect( argumentCounts[ 0 ] ).toBe( argumentCounts[ 1 ] );
	} );

	it( 'refuses an agent whose token expired while the connection was down', async () => {
		let offsetMs = 0;
		const service = await startService( {
			clock: () => new Date( Date.now() + offsetMs ),
		} );
		const agent: AgentClient = connect(
			service.url + AGENT_NAMESPACE,
			reconnectingOptions( { token: await signAgentToken() } )
		);
		reconnecting.push( agent );
		await nextConnect( agent );

		offsetMs = 60 * 60 * 1000;
		const refused = nextConnectError( agent );
		await dropConnection( agent, service, 'agents' );
		const error = await refused;
		expect( error.data ).toEqual( { code: 'token_expired' } );
		expect( agent.connected ).toBe( false );
		expect( service.app.agents.sockets.size ).toBe( 0 );
	} );

	it( 'lets an agent back in with a fresh token, recovering the session', async () => {
		const service = await startService();
		const auth = { token: await signAgentToken( { expiresIn: 60 } ) };
		const agent: AgentClient = connect(
			service.url + AGENT_NAMESPACE,
			reconnectingOptions( auth )
		);
		reconnecting.push( agent );
		await nextConnect( agent );
		// Recovery needs an event with an offset: any broadcast will do.
		const visitor = await reconnectingVisitor( service );
		const updated = nextEvent( agent, 'conversation:updated' );
		await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'v1',
			body: 'hello',
		} );
		await updated;
		auth.token = await signAgentToken( { expiresIn: 600 } );
		const back = nextConnect( agent );
		await dropConnection( agent, service, 'agents' );
		await back;
		expect( agent.recovered ).toBe( true );
		const inbox = await agentAsk( agent, 'inbox:list', {} );
		expect( inbox.ok ).toBe( true );
	} );

	it( 'refuses to hand a revoked visitor session’s rooms to a new visitor', async () => {
		const service = await startService();
		const visitor = await reconnectingVisitor( service );
		await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'v1',
			body: 'mine',
		} );
		const db = new Database( service.dbFile );
		db.prepare( "UPDATE visitors SET session_hash = 'revoked'" ).run();
		db.close();

		const refused = nextConnectError( visitor.socket );
		await dropConnection( visitor.socket, service, 'visitors' );
		const error = await refused;
		expect( error.data ).toEqual( { code: 'forbidden' } );
		expect( service.app.visitors.sockets.size ).toBe( 0 );
		const rooms = [ ...service.app.visitors.adapter.rooms.keys() ];
		expect(
			rooms.filter( ( room ) => room.startsWith( 'visitor:' ) )
		).toEqual( [] );
	} );

	it( 'sends a recovered connection whose session was revoked none of the packets it missed', async () => {
		const service = await startService();
		const visitor = await reconnectingVisitor( service );
		const conversationId = await sendMessage(
			visitor.socket,
			'mine',
			'v1'
		);
		const agent = await connectAgent( service );
		const wire = eventPacketsOnTheWire( visitor.socket );

		await dropConnection( visitor.socket, service, 'visitors' );
		const refused = nextConnectError( visitor.socket );
		// Missed while the connection is down, for the recovered session's room.
		await agentAsk( agent, 'message:send', {
			conversationId,
			clientId: 'a1',
			body: 'private reply',
		} );
		const db = new Database( service.dbFile );
		db.prepare( "UPDATE visitors SET session_hash = 'revoked'" ).run();
		db.close();

		expect( ( await refused ).data ).toEqual( { code: 'forbidden' } );
		await flushAgent( agent );
		expect( wire ).toEqual( [] );
	} );

	it( 'sends someone presenting another visitor’s recovery id none of that visitor’s packets', async () => {
		const service = await startService();
		// The victim's connection drops and is never resumed by the victim.
		const victim = await connectVisitor(
			service,
			{},
			{
				transports: [ 'websocket' ],
			}
		);
		const sent = await visitorAsk( victim.socket, 'message:send', {
			clientId: 'v1',
			body: 'my question',
		} );
		const conversationId = sent.ok ? sent.data.message.conversationId : '';
		const agent = await connectAgent( service );
		await flushVisitor( victim.socket );
		const recovery = victim.socket as unknown as {
			_pid: string;
			_lastOffset: string;
		};
		const stolen = { pid: recovery._pid, offset: recovery._lastOffset };
		expect( stolen.pid ).toEqual( expect.any( String ) );
		await dropConnection( victim.socket, service, 'visitors' );
		await agentAsk( agent, 'message:send', {
			conversationId,
			clientId: 'a1',
			body: 'the answer, for the victim only',
		} );

		// Another visitor, with a valid session of their own and the victim's recovery id.
		const intruder = await connectVisitor( service );
		const thief: VisitorClient = connect( service.url + VISITOR_NAMESPACE, {
			auth: {
				chatflowId: CHATFLOW_ID,
				pageUrl: PAGE_URL,
				session: intruder.session.token,
				...stolen,
			},
			forceNew: true,
			reconnection: false,
			transports: [ 'websocket' ],
			extraHeaders: { origin: ORIGIN },
		} );
		reconnecting.push( thief );
		const wire = eventPacketsOnTheWire( thief );
		const error = await nextConnectError( thief );
		expect( error.data ).toEqual( { code: 'forbidden' } );
		await flushAgent( agent );
		expect( wire ).toEqual( [] );
	} );

	it( 'catches a visitor up by seq when the state cannot be recovered', async () => {
		const service = await startService();
		const visitor = await reconnectingVisitor( service );
		const conversationId = await sendMessage(
			visitor.socket,
			'hello',
			'v1'
		);
		const agent = await connectAgent( service );
		// A client that was away too long starts a fresh connection.
		visitor.socket.disconnect();
		const reply = await agentAsk( agent, 'message:send', {
			conversationId,
			clientId: 'a1',
			body: 'missed',
		} );
		const back = nextConnect( visitor.socket );
		visitor.socket.connect();
		await back;
		expect( visitor.socket.recovered ).toBe( false );
		const resumed = await visitorAsk(
			visitor.socket,
			'conversation:resume',
			{ afterSeq: 1 }
		);
		expect( resumed.ok && resumed.data.messages ).toEqual( [
			reply.ok && reply.data.message,
		] );
		expect( await nextEventOrNull( visitor.socket, 'message:new' ) ).toBe(
			null
		);
	} );
} );

/**
 * Every event packet of the visitor namespace that reaches the client from
 * now on, as decoded off the wire (before the client decides what to show).
 *
 * @param socket The client.
 * @return The array the packets' data are pushed into.
 */
function eventPacketsOnTheWire( socket: VisitorClient ): unknown[] {
	const packets: unknown[] = [];
	(
		socket.io as unknown as {
			on: (
				event: 'packet',
				listener: ( packet: {
					type: number;
					nsp: string;
					data?: unknown;
				} ) => void
			) => void;
		}
	 ).on( 'packet', ( packet ) => {
		if ( packet.type === 2 && packet.nsp === VISITOR_NAMESPACE ) {
			packets.push( packet.data );
		}
	} );
	return packets;
}

/**
 * The next event within a short while, or null: for asserting that nothing comes.
 *
 * @param socket The socket.
 * @param event  Event name.
 */
async function nextEventOrNull(
	socket: VisitorClient,
	event: string
): Promise< unknown > {
	try {
		return await nextEvent( socket, event );
	} catch {
		return null;
	}
}
