/**
 * Many nodes: two service processes on one PostgreSQL database and one Redis
 * (Debian's `postgresql` and `redis-server` on loopback). Events cross nodes
 * through the Redis streams adapter; a node killed with SIGKILL loses nothing
 * and its clients resume on the other node.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SignJWT } from 'jose';
import { createClient } from 'redis';
import type {
	AgentPresence,
	AuthEnded,
	ChatMessage,
	ConversationSummary,
	InboxDirectory,
	QueuePosition,
	ServiceConfiguration,
	TypingIndicator,
	VisitorAvailability,
} from '@chatflows/protocol';
import { PRESENCE_EXPIRY_MS } from '../src/domain/presence';
import { DEFAULT_CAPACITY } from '../src/domain/routing';
import { ChatLimits, DEFAULT_LIMIT_SETTINGS } from '../src/limits/rate-limits';
import { openPostgresRepository } from '../src/repository/postgres';
import { STREAM_NAME } from '../src/scale/redis';
import {
	SECRET,
	agentAsk,
	cleanup,
	connectAgent,
	connectVisitor,
	CHATFLOW_ID,
	expectConnectError,
	flushVisitor,
	nextEvent,
	openAgent,
	openVisitor,
	record,
	reportAgentRights,
	signedHeaders,
	TEST_CONFIGURATION,
	visitorAsk,
	type AgentClient,
	type TestService,
	until,
} from './helpers';
import { chatflow } from './repository-domain';
import { startPostgres, type PostgresServer } from './postgres-server';
import { waitFor } from './process-helpers';
import { startRedis, type RedisServer } from './redis-server';
import {
	SteadyVisitor,
	buildServiceEntry,
	killServiceProcesses,
	pushConfiguration,
	startServiceProcess,
	type ServiceProcess,
} from './service-process';

jest.setTimeout( 120_000 );

/**
 * A TCP load balancer of one backend at a time, as sticky sessions give:
 * switching drops the current connections, like a node going away.
 */
class SwitchableProxy {
	private target: number;

	private readonly sockets = new Set< net.Socket >();

	private readonly server: net.Server;

	port = 0;

	constructor( target: number ) {
		this.target = target;
		this.server = net.createServer( ( client ) => {
			const upstream = net.connect( this.target, '127.0.0.1' );
			for ( const socket of [ client, upstream ] ) {
				this.sockets.add( socket );
				socket.on( 'close', () => this.sockets.delete( socket ) );
				socket.on( 'error', () => undefined );
			}
			client.pipe( upstream ).pipe( client );
			client.on( 'close', () => upstream.destroy() );
			upstream.on( 'close', () => client.destroy() );
		} );
	}

	get url(): string {
		return `http://127.0.0.1:${ this.port }`;
	}

	async listen(): Promise< void > {
		await new Promise< void >( ( resolve ) =>
			this.server.listen( 0, '127.0.0.1', resolve )
		);
		this.port = ( this.server.address() as net.AddressInfo ).port;
	}

	/**
	 * Sends new connections to another port and cuts the current ones.
	 *
	 * @param target The new backend's port.
	 */
	switchTo( target: number ): void {
		this.target = target;
		for ( const socket of this.sockets ) {
			socket.destroy();
		}
	}

	async close(): Promise< void > {
		this.switchTo( this.target );
		await new Promise( ( resolve ) => this.server.close( resolve ) );
	}
}

let entry: string;
let postgres: PostgresServer;
let redis: RedisServer;
let database: string;
const proxies: SwitchableProxy[] = [];
const steady: SteadyVisitor[] = [];

beforeAll( async () => {
	entry = buildServiceEntry();
	[ postgres, redis ] = await Promise.all( [
		startPostgres(),
		startRedis(),
	] );
} );

afterAll( async () => {
	await Promise.all( [ postgres?.stop(), redis?.stop() ] );
	fs.rmSync( path.dirname( entry ), { recursive: true, force: true } );
} );

beforeEach( async () => {
	database = await postgres.createDatabase();
} );

afterEach( async () => {
	for ( const visitor of steady.splice( 0 ) ) {
		visitor.close();
	}
	await cleanup();
	killServiceProcesses();
	await Promise.all( proxies.splice( 0 ).map( ( proxy ) => proxy.close() ) );
	await postgres.dropDatabase( database );
} );

/** Starts two nodes on the shared database and Redis. */
async function startNodes(): Promise< [ ServiceProcess, ServiceProcess ] > {
	const env = {
		CHATFLOWS_DATABASE_URL: postgres.url( database ),
		CHATFLOWS_REDIS_URL: redis.url,
		CHATFLOWS_RATE_VISITOR_PER_MINUTE: '1000000',
		CHATFLOWS_RATE_IP_PER_MINUTE: '1000000',
	};
	// One after the other: the first migrates the fresh database.
	const a = await startServiceProcess( entry, env );
	const b = await startServiceProcess( entry, env );
	return [ a, b ];
}

async function proxyTo( node: ServiceProcess ): Promise< SwitchableProxy > {
	const proxy = new SwitchableProxy( node.port );
	await proxy.listen();
	proxies.push( proxy );
	return proxy;
}

/**
 * An agent token for another WordPress user than the helpers' user 7.
 *
 * @param userId           The user id.
 * @param signedSecondsAgo Its `iat`, this many seconds ago.
 */
async function signAgentTokenFor(
	userId: string,
	signedSecondsAgo = 0
): Promise< string > {
	const now = Math.floor( Date.now() / 1000 ) - signedSecondsAgo;
	return new SignJWT( {
		name: `Agent ${ userId }`,
		caps: [ 'chatflows_answer' ],
	} )
		.setProtectedHeader( { alg: 'HS256', typ: 'JWT' } )
		.setAudience( 'chatflows-service' )
		.setSubject( userId )
		.setIssuedAt( now )
		.setExpirationTime( now + 300 )
		.sign( new TextEncoder().encode( SECRET ) );
}

function asService( url: string ): TestService {
	return { url } as TestService;
}

/**
 * Connects an agent's tab to a node.
 *
 * @param node     The node.
 * @param userId   The agent.
 * @param presence The presence the tab asks for in its handshake.
 */
async function agentTab(
	node: ServiceProcess,
	userId: string,
	presence: 'available' | 'away' = 'available'
): Promise< AgentClient > {
	const socket = openAgent( asService( node.url ), {
		token: await signAgentTokenFor( userId ),
		presence,
	} );
	await new Promise< void >( ( resolve, reject ) => {
		socket.once( 'connect', resolve );
		socket.once( 'connect_error', reject );
	} );
	return socket;
}

/**
 * An agent's status in the inbox directory a node gives.
 *
 * @param tab    A tab connected to the node.
 * @param userId The agent whose status to read.
 */
async function statusIn(
	tab: AgentClient,
	userId: string
): Promise< string | undefined > {
	const answer = await agentAsk( tab, 'inbox:directory', {} );
	const directory = answer.ok ? ( answer.data as InboxDirectory ) : null;
	return directory?.agents.find( ( agent ) => agent.id === userId )?.status;
}

/**
 * Waits until a node's directory shows an agent's status.
 *
 * @param tab    A tab connected to the node.
 * @param userId The agent.
 * @param status The status expected.
 * @param where  The node's name, for the failure message.
 * @param within Milliseconds to wait.
 */
async function untilStatus(
	tab: AgentClient,
	userId: string,
	status: string,
	where: string,
	within = 5000
): Promise< void > {
	let seen: string | undefined;
	await waitFor(
		async () => ( seen = await statusIn( tab, userId ) ) === status,
		within,
		() =>
			`node ${ where } shows agent ${ userId } ${ seen }, not ${ status }`
	);
}

describe( 'two nodes', () => {
	it( 'carry messages, typing and assignment between a visitor on one and agents on the other', async () => {
		const [ a, b ] = await startNodes();
		// Agents 7 and 8 in WordPress's directory: one is assigned by name below.
		const withAgents: ServiceConfiguration = {
			...TEST_CONFIGURATION,
			agents: [ '7', '8' ].map( ( id ) => ( {
				id,
				name: `Agent ${ id }`,
				capacity: DEFAULT_CAPACITY,
				teamIds: [],
				inboxIds: [],
			} ) ),
		};
		await pushConfiguration( a, withAgents );
		await pushConfiguration( b, withAgents );
		const visitor = await connectVisitor( asService( a.url ) );
		const agentOnB = await connectAgent( asService( b.url ) );
		// Another agent, user 8, watches from node A.
		const agentOnA = await connectAgent(
			asService( a.url ),
			await signAgentTokenFor( '8' )
		);

		const arrived = nextEvent< ChatMessage >( agentOnB, 'message:new' );
		const updatesOnB: ConversationSummary[] = [];
		agentOnB.on( 'conversation:updated', ( summary ) =>
			updatesOnB.push( summary )
		);
		const sent = await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'v1',
			body: 'Hello from node A',
		} );
		expect( sent.ok ).toBe( true );
		const message = sent.ok ? sent.data.message : ( null as never );
		expect( await arrived ).toEqual( message );
		const conversationId = message.conversationId;
		// Node A routes the new conversation among the agents of every node:
		// users 7 (node B) and 8 (node A) have nothing open, the tie goes to
		// the smaller id, so node A assigns it to the agent on node B.
		await waitFor(
			() =>
				updatesOnB.some(
					( summary ) =>
						summary.id === conversationId &&
						summary.assigneeId === '7'
				),
			5000,
			() =>
				`node B saw no assignment to agent 7: ${ JSON.stringify(
					updatesOnB
				) }`
		);

		// Typing both ways.
		const agentTyping = nextEvent< TypingIndicator >(
			visitor.socket,
			'typing'
		);
		expect(
			(
				await agentAsk( agentOnB, 'typing', {
					conversationId,
					typing: true,
				} )
			).ok
		).toBe( true );
		expect( await agentTyping ).toEqual( { conversationId, typing: true } );
		const visitorTyping = nextEvent< TypingIndicator >(
			agentOnB,
			'typing'
		);
		await visitorAsk( visitor.socket, 'typing', { typing: true } );
		expect( await visitorTyping ).toEqual( {
			conversationId,
			typing: true,
		} );

		// An assignment made on node B reaches the agents on node A.
		const assignedSeenOnA = new Promise< ConversationSummary >(
			( resolve ) => {
				agentOnA.on( 'conversation:updated', ( summary ) => {
					if ( summary.assigneeId === '7' ) {
						resolve( summary );
					}
				} );
			}
		);
		const assigned = await agentAsk( agentOnB, 'conversation:assign', {
			conversationId,
			agentId: '7',
		} );
		expect( assigned ).toMatchObject( { ok: true } );
		expect( assigned.ok && assigned.data.conversation.assigneeId ).toBe(
			'7'
		);
		expect( ( await assignedSeenOnA ).id ).toBe( conversationId );

		// The reply reaches the visitor on node A.
		const replied = nextEvent< ChatMessage >(
			visitor.socket,
			'message:new'
		);
		const reply = await agentAsk( agentOnB, 'message:send', {
			conversationId,
			clientId: 'a1',
			body: 'Hello from node B',
		} );
		expect( await replied ).toEqual( reply.ok && reply.data.message );
	} );

	it( 'recover a dropped visitor’s session on the other node, with what it missed', async () => {
		const [ a, b ] = await startNodes();
		const proxy = await proxyTo( a );
		const visitor = new SteadyVisitor( proxy.url, 'r' );
		steady.push( visitor );
		await visitor.connected();
		const first = await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'r-1',
			body: 'before the switch',
		} );
		const conversationId = first.ok
			? first.data.message.conversationId
			: '';
		const agent = await connectAgent( asService( b.url ) );
		// Recovery needs an offset: the visitor must have had an event.
		const typing = nextEvent( visitor.socket, 'typing' );
		await agentAsk( agent, 'typing', { conversationId, typing: true } );
		await typing;

		const missed: ChatMessage[] = [];
		visitor.socket.on( 'message:new', ( message ) =>
			missed.push( message )
		);
		const back = new Promise( ( resolve ) =>
			visitor.socket.once( 'connect', () => resolve( undefined ) )
		);
		proxy.switchTo( b.port );
		const reply = await agentAsk( agent, 'message:send', {
			conversationId,
			clientId: 'a1',
			body: 'while you moved',
		} );
		await back;
		expect( visitor.socket.recovered ).toBe( true );
		await waitFor(
			() => missed.length > 0,
			5000,
			() => 'the missed message was not replayed on node B'
		);
		expect( missed ).toEqual( [ reply.ok && reply.data.message ] );
	} );

	it( 'tell each connection its session and availability alone, and keep them out of the shared stream (no session token in Redis)', async () => {
		const [ a, b ] = await startNodes();
		const first = openVisitor( asService( a.url ) );
		const sessionsSeenByFirst = record< { token: string } >(
			first,
			'session'
		);
		const availability = nextEvent< VisitorAvailability >(
			first,
			'availability'
		);
		await until(
			() => sessionsSeenByFirst.length === 1,
			'the first visitor’s session'
		);
		expect( ( await availability ).chatflowId ).toBe( CHATFLOW_ID );
		// Others connecting on the same node and on the other.
		const onA = await connectVisitor( asService( a.url ) );
		const onB = await connectVisitor( asService( b.url ) );
		// Something every tab must hear still goes through the stream.
		const { socket } = await connectVisitor( asService( a.url ), {
			session: onB.session.token,
		} );
		await visitorAsk( socket, 'message:send', {
			clientId: 'stream-1',
			body: 'through the stream',
		} );
		await flushVisitor( first );
		expect( sessionsSeenByFirst ).toHaveLength( 1 );
		expect( [ onA.session.token, onB.session.token ] ).not.toContain(
			sessionsSeenByFirst[ 0 ].token
		);
		const reader = createClient( { url: redis.url } );
		await reader.connect();
		try {
			const stream =
				( await reader.xRange( STREAM_NAME, '-', '+' ) ) ?? [];
			const events = stream.map( ( item ) => {
				const data = JSON.parse( String( item.message.data ?? '{}' ) );
				return data?.packet?.data?.[ 0 ];
			} );
			expect( events ).toContain( 'message:new' );
			expect( events ).not.toContain( 'session' );
			const written = JSON.stringify( stream );
			for ( const token of [
				sessionsSeenByFirst[ 0 ].token,
				onA.session.token,
				onB.session.token,
			] ) {
				expect( written ).not.toContain( token );
			}
		} finally {
			await reader.quit();
		}
	} );

	it( 'lose nothing when one is killed: its visitors resume on the other, nothing doubled', async () => {
		const [ a, b ] = await startNodes();
		const proxy = await proxyTo( a );
		for ( let i = 0; i < 4; i++ ) {
			steady.push( new SteadyVisitor( proxy.url, `k${ i }` ) );
		}
		await Promise.all( steady.map( ( v ) => v.connected() ) );
		const agent = await connectAgent( asService( b.url ) );
		const seenByAgent = new Map< string, ChatMessage >();
		agent.on( 'message:new', ( message ) =>
			seenByAgent.set( message.clientId, message )
		);
		const acknowledged = () =>
			steady.reduce( ( sum, v ) => sum + v.acknowledged.size, 0 );
		steady.forEach( ( v ) => v.start( 10 ) );
		await waitFor(
			() => acknowledged() >= 80,
			20_000,
			() => 'the visitors did not get going'
		);

		a.child.kill( 'SIGKILL' );
		await a.exited;
		proxy.switchTo( b.port );
		const atKill = acknowledged();
		await waitFor(
			() => acknowledged() >= atKill + 80,
			20_000,
			() => 'the visitors did not resume on node B'
		);
		await Promise.all( steady.map( ( v ) => v.stop() ) );

		const repository = await openPostgresRepository(
			postgres.url( database )
		);
		try {
			for ( const visitor of steady ) {
				const conversation = await repository.findOpenConversation(
					visitor.session?.visitorId ?? '',
					'support'
				);
				const stored = await repository.listMessages(
					conversation!.id,
					0
				);
				expect( stored.map( ( m ) => m.seq ) ).toEqual(
					stored.map( ( _m, i ) => i + 1 )
				);
				expect( stored.map( ( m ) => m.clientId ) ).toEqual(
					stored.map( ( _m, i ) => `${ visitor.prefix }-${ i + 1 }` )
				);
				for ( const message of visitor.acknowledged.values() ) {
					expect( stored[ message.seq - 1 ] ).toEqual( message );
				}
				expect(
					[ ...visitor.received.values() ].sort(
						( x, y ) => x.seq - y.seq
					)
				).toEqual( stored );
				// The agent on node B saw the messages stored on either node.
				const afterKill = stored.filter(
					( m ) => m.seq > stored.length - 5
				);
				for ( const message of afterKill ) {
					expect( seenByAgent.get( message.clientId ) ).toEqual(
						message
					);
				}
			}
		} finally {
			await repository.close();
		}
	} );

	it( 'share agents’ presence: every node’s inbox sees agents of any node, tabs on two nodes count once, and assignment follows', async () => {
		const [ a, b ] = await startNodes();
		// Only agent 7 takes conversations; agent 8 watches from node B.
		const configuration: ServiceConfiguration = {
			siteUrl: 'http://localhost:8888',
			allowedOrigins: [],
			// Available only while one of its agents is.
			chatflows: [
				{
					...chatflow( 'support', 1 ),
					availability: { mode: 'users' },
				},
			],
			agents: [ '7', '8' ].map( ( id ) => ( {
				id,
				name: `Agent ${ id }`,
				capacity: 5,
				teamIds: [],
				inboxIds: [],
			} ) ),
			teams: [],
			inboxes: [],
		};
		// WordPress pushes to one node; the other would re-read it at its
		// sweep: pushed to both so the test does not wait for it.
		await pushConfiguration( a, configuration );
		await pushConfiguration( b, configuration );
		const watcher = await agentTab( b, '8' );
		const heard = record< AgentPresence >( watcher, 'agent:presence' );
		const heardOf7 = () =>
			heard
				.filter( ( presence ) => presence.userId === '7' )
				.map( ( presence ) => presence.status );

		// A visitor on node B, which node A has no visitor of the chatflow to tell.
		const reader = await connectVisitor( asService( b.url ) );
		const availability = record< VisitorAvailability >(
			reader.socket,
			'availability'
		);

		// Agent 7 on node A only: node B's inbox sees them available, and
		// node B tells its visitor the chatflow is available now.
		const tabOnA = await agentTab( a, '7' );
		await untilStatus( watcher, '7', 'available', 'B' );
		await untilStatus( tabOnA, '8', 'available', 'A' );
		await waitFor(
			() => availability.at( -1 )?.state === 'available',
			5000,
			() =>
				`the visitor on node B was told ${ JSON.stringify(
					availability
				) }`
		);

		// A second tab on node B (its handshake says away, but it follows the
		// agent's current choice): nothing changes, nobody hears of it.
		const tabOnB = await agentTab( b, '7', 'away' );
		await untilStatus( tabOnA, '7', 'available', 'A' );
		expect( await statusIn( watcher, '7' ) ).toBe( 'available' );

		// Away from the tab on node B: away on both nodes, so node A does
		// not assign a new conversation to its own tab of agent 7.
		expect(
			await agentAsk( tabOnB, 'agent:presence', { status: 'away' } )
		).toMatchObject( { ok: true } );
		await untilStatus( tabOnA, '7', 'away', 'A' );
		expect( await statusIn( watcher, '7' ) ).toBe( 'away' );
		const visitor = await connectVisitor( asService( a.url ) );
		const queued = nextEvent< QueuePosition >(
			visitor.socket,
			'queue:position'
		);
		const sent = await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'p1',
			body: 'Anyone there?',
		} );
		const conversationId = sent.ok ? sent.data.message.conversationId : '';
		expect( await queued ).toMatchObject( { conversationId, position: 1 } );

		// Back from the tab on node A: node A hands it to agent 7, and
		// their tab on node B hears of it.
		const assignedSeenOnB = new Promise< ConversationSummary >(
			( resolve ) =>
				tabOnB.on( 'conversation:updated', ( summary ) => {
					if ( summary.assigneeId === '7' ) {
						resolve( summary );
					}
				} )
		);
		await agentAsk( tabOnA, 'agent:presence', { status: 'available' } );
		expect( ( await assignedSeenOnB ).id ).toBe( conversationId );
		await untilStatus( watcher, '7', 'available', 'B' );

		// The tab on node B closes: still available through node A.
		tabOnB.disconnect();
		await untilStatus( tabOnA, '7', 'available', 'A' );
		expect( await statusIn( watcher, '7' ) ).toBe( 'available' );

		// Every change was heard once, from whichever node it happened on.
		expect( heardOf7() ).toEqual( [ 'available', 'away', 'available' ] );

		// Node A dies with agent 7's last tab: node B forgets what node A
		// said once it falls silent, and tells its agents.
		a.child.kill( 'SIGKILL' );
		await a.exited;
		await waitFor(
			() => heardOf7().length === 4,
			PRESENCE_EXPIRY_MS * 2,
			() => `node B did not hear agent 7 go: ${ heardOf7() }`
		);
		expect( heardOf7()[ 3 ] ).toBe( 'offline' );
		expect( await statusIn( watcher, '7' ) ).toBe( 'offline' );
	} );

	it( 'end a revoked agent’s connection on the other node, and refuse the tokens signed before on both', async () => {
		const [ a, b ] = await startNodes();
		const signedBefore = await signAgentTokenFor( '7', 10 );
		const onB = await connectAgent( asService( b.url ), signedBefore );
		const ended = nextEvent< AuthEnded >( onB, 'auth:ended' );
		const disconnected = nextEvent< string >( onB, 'disconnect' );
		// WordPress tells node A: the user was deleted.
		expect(
			await reportAgentRights( a, {
				changedAt: Math.floor( Date.now() / 1000 ),
				agents: [ { userId: '7', revoked: true } ],
			} )
		).toBe( 200 );
		expect( ( await ended ).code ).toBe( 'access_revoked' );
		expect( await disconnected ).toBe( 'io server disconnect' );
		for ( const node of [ a, b ] ) {
			const again = openAgent( asService( node.url ), {
				token: signedBefore,
			} );
			expect( ( await expectConnectError( again ) ).data?.code ).toBe(
				'token_invalid'
			);
		}
	} );

	it( 'refuse a signed call another node accepted (nonces in Redis)', async () => {
		const [ a, b ] = await startNodes();
		const body = JSON.stringify( { email: 'ada@example.com', page: 1 } );
		const headers = signedHeaders( 'POST', '/v1/privacy/export', body );
		const send = ( node: ServiceProcess ) =>
			fetch( `${ node.url }/v1/privacy/export`, {
				method: 'POST',
				headers,
				body,
			} ).then( async ( response ) => ( {
				status: response.status,
				code: (
					( await response.json() ) as { error?: { code: string } }
				 ).error?.code,
			} ) );
		expect( ( await send( a ) ).status ).toBe( 200 );
		expect( await send( b ) ).toEqual( {
			status: 401,
			code: 'signature_replayed',
		} );
	} );

	it( 'share rate limits through Redis', async () => {
		const clients = await Promise.all(
			[ 1, 2 ].map( async () => {
				const client = createClient( { url: redis.url } );
				await client.connect();
				return client;
			} )
		);
		try {
			const settings = {
				...DEFAULT_LIMIT_SETTINGS,
				visitorEventsPerMinute: 3,
			};
			const [ one, two ] = clients.map( ( client ) =>
				ChatLimits.inRedis( settings, client )
			);
			const visitorId = `visitor-${ Date.now() }`;
			const decisions = [
				await one.consumeVisitorEvent( visitorId, '10.0.0.1' ),
				await two.consumeVisitorEvent( visitorId, '10.0.0.1' ),
				await one.consumeVisitorEvent( visitorId, '10.0.0.1' ),
				await two.consumeVisitorEvent( visitorId, '10.0.0.1' ),
			];
			expect( decisions.map( ( d ) => d.allowed ) ).toEqual( [
				true,
				true,
				true,
				false,
			] );
			expect( decisions[ 3 ] ).toEqual( {
				allowed: false,
				retryAfterMs: expect.any( Number ),
			} );
		} finally {
			await Promise.all( clients.map( ( client ) => client.quit() ) );
		}
	} );
} );
