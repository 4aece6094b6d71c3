/**
 * The single-node recovery adapter: it keeps a broadcast for connection-state
 * recovery only when someone can get it back, and recovers exactly as
 * socket.io's own adapter does. Real socket.io servers and clients.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { RecoveryAdapter } from '../src/realtime/recovery-adapter';
import {
	agentAsk,
	cleanup,
	connectAgent,
	connectVisitor,
	flushAgent,
	flushVisitor,
	nextEvent,
	sendMessage,
	startService,
	visitorAsk,
} from './helpers';
import { waitFor } from './process-helpers';

jest.setTimeout( 30_000 );

afterEach( cleanup );

/** Recovery window of the bare servers: short, so expiry is quick to see. */
const WINDOW_MS = 1000;

const servers: Server[] = [];
const clients: ClientSocket[] = [];

afterEach( async () => {
	for ( const client of clients.splice( 0 ) ) {
		client.disconnect();
	}
	await Promise.all( servers.splice( 0 ).map( ( io ) => io.close() ) );
} );

interface BareServer {
	io: Server;
	adapter: RecoveryAdapter;
	url: string;
}

/**
 * A socket.io server with the adapter and nothing else; each client joins
 * the rooms its handshake names.
 *
 * @param windowMs The recovery window.
 */
async function startBareServer( windowMs = WINDOW_MS ): Promise< BareServer > {
	const httpServer = http.createServer();
	const io = new Server( httpServer, {
		adapter: RecoveryAdapter,
		connectionStateRecovery: {
			maxDisconnectionDuration: windowMs,
			// As the service: middlewares run on recovery too.
			skipMiddlewares: false,
		},
	} );
	servers.push( io );
	io.on( 'connection', ( socket ) => {
		if ( ! socket.recovered ) {
			socket.join( ( socket.handshake.auth.rooms as string[] ) ?? [] );
		}
	} );
	await new Promise< void >( ( resolve ) =>
		httpServer.listen( 0, '127.0.0.1', resolve )
	);
	const { port } = httpServer.address() as AddressInfo;
	return {
		io,
		adapter: io.of( '/' ).adapter as unknown as RecoveryAdapter,
		url: `http://127.0.0.1:${ port }`,
	};
}

/**
 * A client in some rooms, connected; it reconnects only when told to.
 *
 * @param server The server.
 * @param rooms  The rooms it joins.
 */
async function connectClient(
	server: BareServer,
	rooms: string[]
): Promise< ClientSocket > {
	const client = connect( server.url, {
		auth: { rooms },
		forceNew: true,
		reconnection: false,
		transports: [ 'websocket' ],
	} );
	clients.push( client );
	await nextConnect( client );
	return client;
}

function nextConnect( client: ClientSocket ): Promise< void > {
	return new Promise( ( resolve, reject ) => {
		client.once( 'connect', () => resolve() );
		client.once( 'connect_error', reject );
	} );
}

/**
 * Connects a dropped client again and waits until it is in.
 *
 * @param client The client.
 * @return Whether socket.io recovered its session.
 */
async function reconnect( client: ClientSocket ): Promise< boolean > {
	const back = nextConnect( client );
	client.connect();
	await back;
	return client.recovered;
}

/**
 * Drops the client's connection without a goodbye, as a network failure
 * does, and waits for the server to hold its session.
 *
 * @param server The server.
 * @param client The client.
 */
async function dropConnection(
	server: BareServer,
	client: ClientSocket
): Promise< void > {
	const id = client.id ?? '';
	(
		client.io as unknown as { engine: { close: () => void } }
	 ).engine.close();
	// socket.io holds the session before it lets the socket go.
	await waitFor(
		() => ! server.io.of( '/' ).sockets.has( id ),
		3000,
		() => 'the server did not notice the dropped connection'
	);
	expect( server.adapter.persistedSessionsIn( id ) ).toBe( 1 );
}

/**
 * Every `event` the client gets from now on, with all its arguments (the
 * offset of a stored packet last).
 *
 * @param client The client.
 * @param event  The event.
 */
function recordArgs( client: ClientSocket, event: string ): unknown[][] {
	const received: unknown[][] = [];
	client.on( event, ( ...args: unknown[] ) => received.push( args ) );
	return received;
}

/**
 * Resolves once the client has received every packet sent to it before
 * (the server answers a round trip after them).
 *
 * @param server The server.
 * @param client The client.
 */
async function flush( server: BareServer, client: ClientSocket ) {
	const socket = server.io.of( '/' ).sockets.get( client.id ?? '' );
	await socket?.timeout( 3000 ).emitWithAck( 'flush' );
}

function answerFlushes( client: ClientSocket ): void {
	client.on( 'flush', ( ack: () => void ) => ack() );
}

/**
 * A client that received one packet in `team` (so it has an offset to
 * resume from) and then lost its connection: its session is held.
 *
 * @param server The server.
 * @param rooms  The rooms the client is in.
 * @return The disconnected client.
 */
async function heldSession(
	server: BareServer,
	rooms: string[] = [ 'team' ]
): Promise< ClientSocket > {
	const client = await connectClient( server, rooms );
	answerFlushes( client );
	server.io.to( 'team' ).emit( 'note', 'offset' );
	await flush( server, client );
	await dropConnection( server, client );
	return client;
}

describe( 'the recovery adapter', () => {
	it( 'stores a broadcast a connected socket receives, with the offset as its last argument', async () => {
		const server = await startBareServer();
		const client = await connectClient( server, [ 'team' ] );
		answerFlushes( client );
		const received = recordArgs( client, 'note' );

		server.io.to( 'team' ).emit( 'note', 'one' );
		server.io.emit( 'note', 'two' );
		await flush( server, client );

		expect( server.adapter.storedPacketCount ).toBe( 2 );
		expect( received ).toEqual( [
			[ 'one', expect.any( String ) ],
			[ 'two', expect.any( String ) ],
		] );
		expect( received[ 0 ][ 1 ] ).not.toEqual( received[ 1 ][ 1 ] );
	} );

	it( 'stores nothing that no connected socket or held session can receive', async () => {
		const server = await startBareServer();
		const client = await connectClient( server, [ 'team', 'muted' ] );

		server.io.to( 'nobody' ).emit( 'note', 'to an empty room' );
		// The sender's own room is excepted: it is no recipient.
		server.io
			.to( 'team' )
			.except( client.id ?? '' )
			.emit( 'note', 'to the others' );
		server.io.to( 'team' ).except( 'muted' ).emit( 'note', 'muted' );
		server.io.except( 'team' ).emit( 'note', 'to everyone else' );
		// Volatile packets and packets with acknowledgements are never kept.
		server.io.to( 'team' ).volatile.emit( 'note', 'volatile' );
		server.io
			.to( 'team' )
			.timeout( 50 )
			.emit( 'note', 'with ack', () => undefined );

		expect( server.adapter.storedPacketCount ).toBe( 0 );
		server.io.to( 'team' ).except( 'nobody' ).emit( 'note', 'kept' );
		expect( server.adapter.storedPacketCount ).toBe( 1 );
	} );

	it( 'does not even encode a broadcast nobody receives', async () => {
		const server = await startBareServer();
		const client = await connectClient( server, [ 'team' ] );
		const encode = jest.spyOn(
			server.adapter as unknown as { _encode: () => unknown },
			'_encode'
		);

		server.io.to( 'nobody' ).emit( 'note', 'to an empty room' );
		server.io
			.to( 'team' )
			.except( client.id ?? '' )
			.emit( 'note', 'to the others' );
		expect( encode ).not.toHaveBeenCalled();
		server.io.to( 'team' ).emit( 'note', 'to the team' );
		expect( encode ).toHaveBeenCalledTimes( 1 );
	} );

	it( 'stores what a held session would get, and replays it in order on recovery', async () => {
		const server = await startBareServer( 30_000 );
		const client = await connectClient( server, [ 'team' ] );
		answerFlushes( client );
		const received = recordArgs( client, 'note' );
		server.io.to( 'team' ).emit( 'note', 'before' );
		await flush( server, client );
		await dropConnection( server, client );
		expect( server.adapter.persistedSessionsIn( 'team' ) ).toBe( 1 );

		server.io.to( 'team' ).emit( 'note', 'missed 1' );
		server.io.to( 'elsewhere' ).emit( 'note', 'not for anyone' );
		server.io.emit( 'note', 'missed 2' );
		server.io.to( 'team' ).except( 'elsewhere' ).emit( 'note', 'missed 3' );
		expect( server.adapter.storedPacketCount ).toBe( 4 );

		expect( await reconnect( client ) ).toBe( true );
		await flush( server, client );
		expect( received.map( ( [ text ] ) => text ) ).toEqual( [
			'before',
			'missed 1',
			'missed 2',
			'missed 3',
		] );
		// Back in its room.
		server.io.to( 'team' ).emit( 'note', 'after' );
		await flush( server, client );
		expect( received.at( -1 )?.[ 0 ] ).toBe( 'after' );
	} );

	it( 'does not count a held session excepted from a broadcast as a recipient', async () => {
		const server = await startBareServer( 30_000 );
		await heldSession( server, [ 'team', 'muted' ] );

		server.io.to( 'team' ).except( 'muted' ).emit( 'note', 'not for it' );
		expect( server.adapter.storedPacketCount ).toBe( 1 );
		server.io.to( 'team' ).emit( 'note', 'for it' );
		expect( server.adapter.storedPacketCount ).toBe( 2 );
	} );

	it( 'does not recover from an offset it never gave', async () => {
		const server = await startBareServer( 30_000 );
		const client = await connectClient( server, [ 'team' ] );
		await dropConnection( server, client );
		( client as unknown as { _lastOffset: string } )._lastOffset =
			'not-an-offset';
		expect( await reconnect( client ) ).toBe( false );
	} );

	it( 'expires packets and sessions with the window, and its room index comes back to zero', async () => {
		const server = await startBareServer();
		const client = await connectClient( server, [ 'team' ] );
		answerFlushes( client );
		server.io.to( 'team' ).emit( 'note', 'old' );
		await flush( server, client );
		await waitFor(
			() => server.adapter.storedPacketCount === 0,
			WINDOW_MS * 20,
			() => 'the packet outlived the window'
		);

		server.io.to( 'team' ).emit( 'note', 'offset' );
		await flush( server, client );
		await dropConnection( server, client );
		expect( server.adapter.persistedSessionsIn( 'team' ) ).toBe( 1 );
		await waitFor(
			() =>
				server.adapter.persistedSessionCount === 0 &&
				server.adapter.storedPacketCount === 0,
			WINDOW_MS * 20,
			() => 'the session or its packets outlived the window'
		);
		expect( server.adapter.persistedSessionsIn( 'team' ) ).toBe( 0 );
		expect( server.adapter.persistedSessionsIn( client.id ?? '' ) ).toBe(
			0
		);
		server.io.to( 'team' ).emit( 'note', 'nobody left' );
		expect( server.adapter.storedPacketCount ).toBe( 0 );

		const fresh = nextConnect( client );
		client.connect();
		await fresh;
		expect( client.recovered ).toBe( false );
	} );

	it( 'recovers from offsets given after older packets expired, and counts a recovered session once', async () => {
		// Long enough to reconnect within it on a busy machine.
		const windowMs = 2500;
		const server = await startBareServer( windowMs );
		const client = await connectClient( server, [ 'team' ] );
		answerFlushes( client );
		const received = recordArgs( client, 'note' );
		// Broadcast, as far as the adapter can tell, long ago.
		const longAgo = Date.now() - windowMs * 10;
		const clock = jest.spyOn( Date, 'now' ).mockReturnValue( longAgo );
		try {
			server.io.to( 'team' ).emit( 'note', 'old' );
		} finally {
			clock.mockRestore();
		}
		server.io.to( 'team' ).emit( 'note', 'offset' );
		await flush( server, client );
		await waitFor(
			() => server.adapter.storedPacketCount === 1,
			windowMs * 2,
			() => 'the old packet outlived the window'
		);

		await dropConnection( server, client );
		server.io.to( 'team' ).emit( 'note', 'missed' );
		expect( await reconnect( client ) ).toBe( true );
		await flush( server, client );
		expect( received.map( ( [ text ] ) => text ) ).toEqual( [
			'old',
			'offset',
			'missed',
		] );

		// Dropped again: the session is replaced, not counted twice.
		await dropConnection( server, client );
		expect( server.adapter.persistedSessionCount ).toBe( 1 );
		expect( server.adapter.persistedSessionsIn( 'team' ) ).toBe( 1 );
		await waitFor(
			() => server.adapter.persistedSessionCount === 0,
			windowMs * 4,
			() => 'the session outlived the window'
		);
		expect( server.adapter.persistedSessionsIn( 'team' ) ).toBe( 0 );
	} );

	it( 'keeps a restored session until it expires, so a reconnection its middlewares refused can be retried', async () => {
		const server = await startBareServer( 30_000 );
		let refuseNext = false;
		server.io.use( ( _socket, next ) =>
			next( refuseNext ? new Error( 'try again' ) : undefined )
		);
		const client = await connectClient( server, [ 'team' ] );
		answerFlushes( client );
		const received = recordArgs( client, 'note' );
		server.io.to( 'team' ).emit( 'note', 'offset' );
		await flush( server, client );
		await dropConnection( server, client );
		server.io.to( 'team' ).emit( 'note', 'missed' );

		refuseNext = true;
		const refused = new Promise( ( resolve ) =>
			client.once( 'connect_error', resolve )
		);
		client.connect();
		await refused;
		refuseNext = false;
		expect( await reconnect( client ) ).toBe( true );
		await flush( server, client );
		// socket.io wrote the missed packet during the refused attempt too
		// (the service holds such packets back: recovery-guard.ts).
		expect( received.at( -1 )?.[ 0 ] ).toBe( 'missed' );
	} );

	it( 'forgets a session whose window passed when it is restored before the sweep', async () => {
		const server = await startBareServer( 30_000 );
		const client = await heldSession( server );

		const now = Date.now();
		const clock = jest
			.spyOn( Date, 'now' )
			.mockImplementation( () => now + 31_000 );
		let recovered: boolean;
		try {
			recovered = await reconnect( client );
		} finally {
			clock.mockRestore();
		}
		expect( recovered ).toBe( false );
		expect( server.adapter.persistedSessionCount ).toBe( 0 );
		expect( server.adapter.persistedSessionsIn( 'team' ) ).toBe( 0 );
	} );

	it( 'clears what it holds when the server closes', async () => {
		const server = await startBareServer( 30_000 );
		await heldSession( server );

		await server.io.close();
		expect( server.adapter.storedPacketCount ).toBe( 0 );
		expect( server.adapter.persistedSessionCount ).toBe( 0 );
		expect( server.adapter.persistedSessionsIn( 'team' ) ).toBe( 0 );
	} );
} );

describe( 'the chat service on one node', () => {
	it( 'keeps none of a lone visitor’s messages, and the agents’ copies only while agents are there', async () => {
		const service = await startService();
		const visitorAdapter = service.app.visitors
			.adapter as unknown as RecoveryAdapter;
		const agentAdapter = service.app.agents
			.adapter as unknown as RecoveryAdapter;
		expect( visitorAdapter ).toBeInstanceOf( RecoveryAdapter );
		expect( agentAdapter ).toBeInstanceOf( RecoveryAdapter );

		const visitor = await connectVisitor( service );
		const conversationId = await sendMessage(
			visitor.socket,
			'anyone there?',
			'v1'
		);
		await flushVisitor( visitor.socket );
		// What the visitor itself got so far (its session, availability, its
		// place in the queue) is kept: its offset points there.
		const visitorPackets = visitorAdapter.storedPacketCount;
		expect( visitorPackets ).toBeGreaterThan( 0 );
		await sendMessage( visitor.socket, 'hello?', 'v2' );
		await flushVisitor( visitor.socket );
		// One tab, no agents: the visitor's other tabs and the agents' rooms are empty.
		expect( visitorAdapter.storedPacketCount ).toBe( visitorPackets );
		expect( agentAdapter.storedPacketCount ).toBe( 0 );

		const agent = await connectAgent( service );
		await flushAgent( agent );
		const before = agentAdapter.storedPacketCount;
		const updated = nextEvent( agent, 'conversation:updated' );
		await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'v3',
			body: 'hello',
		} );
		await updated;
		await flushAgent( agent );
		// message:new and conversation:updated, for the agent who sees it.
		expect( agentAdapter.storedPacketCount - before ).toBe( 2 );

		// An agent's reply reaches the visitor: kept on the visitors' side.
		const visitorBefore = visitorAdapter.storedPacketCount;
		const reply = nextEvent( visitor.socket, 'message:new' );
		await agentAsk( agent, 'message:send', {
			conversationId,
			clientId: 'a1',
			body: 'here',
		} );
		await reply;
		expect( visitorAdapter.storedPacketCount ).toBeGreaterThan(
			visitorBefore
		);
	} );
} );
