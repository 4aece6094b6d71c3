/**
 * The recovery guard: a recovered socket gets what it missed, and also what
 * was broadcast while its middlewares were still checking it, on one node
 * (the recovery adapter) and on two nodes (the Redis streams adapter, the
 * broadcast coming from the other node). Real socket.io servers and clients.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import { io as connect, type Socket as ClientSocket } from 'socket.io-client';
import { guardRecoveredPackets } from '../src/limits/recovery-guard';
import { RecoveryAdapter } from '../src/realtime/recovery-adapter';
import {
	connectRedis,
	redisServerOptions,
	type RedisConnection,
} from '../src/scale/redis';
import { waitFor } from './process-helpers';
import { startRedis, type RedisServer } from './redis-server';

jest.setTimeout( 60_000 );

interface Node {
	io: Server;
	url: string;
	/** Resolves with the next recovered socket's id once its middlewares run; `release()` lets it in. */
	holdNextRecovered: () => {
		entered: Promise< string >;
		release: () => void;
	};
}

const servers: Server[] = [];
const clients: ClientSocket[] = [];
const redisClients: RedisConnection[] = [];

afterEach( async () => {
	for ( const client of clients.splice( 0 ) ) {
		client.disconnect();
	}
	await Promise.all( servers.splice( 0 ).map( ( io ) => io.close() ) );
	await Promise.all(
		redisClients.splice( 0 ).map( ( client ) => client.quit() )
	);
} );

/**
 * A socket.io server set up as the service sets up its namespaces: the
 * guard's middleware first, a credentials check (here one the test can
 * hold), the replay on connection. Each client joins the rooms it names.
 *
 * @param options socket.io options (the adapter).
 */
async function startNode( options: Partial< ServerOptions > ): Promise< Node > {
	const httpServer = http.createServer();
	const io = new Server( httpServer, {
		...options,
		connectionStateRecovery: {
			maxDisconnectionDuration: 60_000,
			skipMiddlewares: false,
		},
	} );
	servers.push( io );
	const namespace = io.of( '/' );
	const guard = guardRecoveredPackets( namespace );
	let hold: {
		enter: ( id: string ) => void;
		released: Promise< void >;
	} | null = null;
	namespace.use( guard.middleware );
	namespace.use( ( socket, next ) => {
		const current = hold;
		if ( ! socket.recovered || ! current ) {
			next();
			return;
		}
		hold = null;
		current.enter( socket.id );
		void current.released.then( () => next() );
	} );
	namespace.on( 'connection', ( socket: Socket ) => {
		guard.replay( socket );
		if ( ! socket.recovered ) {
			socket.join( ( socket.handshake.auth.rooms as string[] ) ?? [] );
		}
		socket.on( 'flush', ( ack: () => void ) => ack() );
	} );
	await new Promise< void >( ( resolve ) =>
		httpServer.listen( 0, '127.0.0.1', resolve )
	);
	const { port } = httpServer.address() as AddressInfo;
	return {
		io,
		url: `http://127.0.0.1:${ port }`,
		holdNextRecovered: () => {
			let enter: ( id: string ) => void = () => undefined;
			let release: () => void = () => undefined;
			const entered = new Promise< string >( ( resolve ) => {
				enter = resolve;
			} );
			const released = new Promise< void >( ( resolve ) => {
				release = resolve;
			} );
			hold = { enter, released };
			return { entered, release };
		},
	};
}

/**
 * A connected client in `rooms` that records every `note` it gets.
 *
 * @param node  The node it connects to.
 * @param rooms Its rooms.
 */
async function connectClient(
	node: Node,
	rooms: string[]
): Promise< { client: ClientSocket; notes: string[] } > {
	const client = connect( node.url, {
		auth: { rooms },
		forceNew: true,
		reconnection: false,
		transports: [ 'websocket' ],
	} );
	clients.push( client );
	const notes: string[] = [];
	client.on( 'note', ( note: string ) => notes.push( note ) );
	await new Promise< void >( ( resolve, reject ) => {
		client.once( 'connect', () => resolve() );
		client.once( 'connect_error', reject );
	} );
	return { client, notes };
}

/**
 * Drops the connection without a goodbye, as a network failure does, and
 * waits until the node holds the session.
 *
 * @param node   The node the client is on.
 * @param client The client.
 */
async function dropConnection( node: Node, client: ClientSocket ) {
	const id = client.id ?? '';
	(
		client.io as unknown as { engine: { close: () => void } }
	 ).engine.close();
	await waitFor(
		() => ! node.io.of( '/' ).sockets.has( id ),
		5000,
		() => 'the node did not notice the dropped connection'
	);
}

/**
 * The scenario: a client with an offset drops; while its recovered socket
 * is being checked, `broadcaster` emits a note to its room; a watcher on the
 * client's node shows when that node has delivered it. Then the check passes.
 *
 * @param home        The node the client comes back to.
 * @param broadcaster The node the note is emitted from.
 */
async function noteDuringAdmission( home: Node, broadcaster: Node ) {
	const visitor = await connectClient( home, [ 'visitor-1' ] );
	const watcher = await connectClient( home, [ 'visitor-1' ] );
	broadcaster.io.to( 'visitor-1' ).emit( 'note', 'before the drop' );
	await waitFor(
		() => visitor.notes.length === 1 && watcher.notes.length === 1,
		5000,
		() => 'the first note did not arrive'
	);
	await dropConnection( home, visitor.client );

	broadcaster.io.to( 'visitor-1' ).emit( 'note', 'while away' );
	await waitFor(
		() => watcher.notes.length === 2,
		5000,
		() => 'the note while away did not arrive'
	);

	const hold = home.holdNextRecovered();
	const back = new Promise< void >( ( resolve ) =>
		visitor.client.once( 'connect', () => resolve() )
	);
	visitor.client.connect();
	await hold.entered;
	broadcaster.io.to( 'visitor-1' ).emit( 'note', 'while being checked' );
	// Delivered on the client's node (the watcher has it) before the check ends.
	await waitFor(
		() => watcher.notes.length === 3,
		5000,
		() => 'the note while being checked did not arrive'
	);
	hold.release();
	await back;
	expect( visitor.client.recovered ).toBe( true );

	broadcaster.io.to( 'visitor-1' ).emit( 'note', 'after' );
	await waitFor(
		() => watcher.notes.length === 4,
		5000,
		() => 'the last note did not arrive'
	);
	await visitor.client.timeout( 5000 ).emitWithAck( 'flush' );
	expect( visitor.notes ).toEqual( [
		'before the drop',
		'while away',
		'while being checked',
		'after',
	] );
}

describe( 'a recovered socket still being checked', () => {
	it( 'gets what was broadcast meanwhile, after what it missed (one node)', async () => {
		const node = await startNode( { adapter: RecoveryAdapter } );
		await noteDuringAdmission( node, node );
	} );

	describe( 'on two nodes over Redis', () => {
		let redis: RedisServer;

		beforeAll( async () => {
			redis = await startRedis();
		} );

		afterAll( async () => {
			await redis?.stop();
		} );

		async function redisNode(): Promise< Node > {
			const client = await connectRedis(
				redis.url,
				pino( { level: 'silent' } )
			);
			redisClients.push( client );
			return startNode( redisServerOptions( client ) );
		}

		it( 'gets what another node broadcast meanwhile, after what it missed', async () => {
			const home = await redisNode();
			const other = await redisNode();
			await noteDuringAdmission( home, other );
		} );
	} );
} );
