/**
 * Live events reach exactly the agents whose scope includes the
 * conversation: the rooms agree with the inbox's scope rule over a table of
 * cases, and a real service with real socket.io clients keeps one inbox's
 * messages, updates and typing away from another inbox's agents (also across
 * two nodes joined by the Redis adapter).
 */
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createClient } from 'redis';
import { SignJWT } from 'jose';
import type {
	ChatMessage,
	CompiledChatflow,
	ConversationSummary,
	ServiceConfiguration,
} from '@chatflows/protocol';
import {
	agentScopeRooms,
	conversationRooms,
	inboxScopeOf,
	isInScope,
	type ScopedAgent,
} from '../src/agent/inbox-scope';
import { createApplication, createHttpApp } from '../src/app';
import { openSqliteRepository } from '../src/repository/sqlite';
import { redisServerOptions } from '../src/scale/redis';
import {
	agentAsk,
	ALLOWED_ORIGINS,
	cleanup,
	connectVisitor,
	flushAgent,
	makeTempDir,
	nextEvent,
	openAgent,
	record,
	SECRET,
	startService,
	visitorAsk,
	type AgentClient,
	type TestService,
	type VisitorClient,
	sendMessage as send,
} from './helpers';
import { chatflow } from './repository-domain';
import { startRedis, type RedisServer } from './redis-server';

afterEach( cleanup );

const SUPPORT_INBOX = 'inbox-support';
const SALES_INBOX = 'inbox-sales';
/** An inbox WordPress's configuration does not list. */
const UNKNOWN_INBOX = 'inbox-gone';

function flow(
	id: string,
	inboxId: string,
	more: Partial< CompiledChatflow > = {}
): CompiledChatflow {
	return {
		...chatflow( id, 1 ),
		inboxId,
		assignment: { enabled: false, userIds: [], teamIds: [], rules: [] },
		...more,
	};
}

function configuration(
	chatflows: CompiledChatflow[] = [
		flow( 'support', SUPPORT_INBOX ),
		flow( 'sales', SALES_INBOX ),
		flow( 'legacy', UNKNOWN_INBOX ),
	]
): ServiceConfiguration {
	return {
		siteUrl: 'http://localhost:8888',
		allowedOrigins: [],
		chatflows,
		agents: [
			{
				id: '7',
				name: 'Ann',
				capacity: 5,
				teamIds: [],
				inboxIds: [ SUPPORT_INBOX ],
			},
			{
				id: '8',
				name: 'Bob',
				capacity: 5,
				teamIds: [ 'team-sales' ],
				inboxIds: [ SALES_INBOX ],
			},
			{
				id: '9',
				name: 'Cleo',
				capacity: 5,
				teamIds: [ 'team-billing' ],
				inboxIds: [ SALES_INBOX ],
			},
			{
				id: '10',
				name: 'Dan',
				capacity: 5,
				teamIds: [],
				inboxIds: [ SUPPORT_INBOX, SALES_INBOX ],
			},
		],
		teams: [
			{ id: 'team-sales', name: 'Sales team', memberIds: [ '8' ] },
			{ id: 'team-billing', name: 'Billing', memberIds: [ '9' ] },
		],
		inboxes: [
			{ id: SUPPORT_INBOX, name: 'Support' },
			{ id: SALES_INBOX, name: 'Sales' },
		],
	};
}

/* ---------- the rule: rooms agree with the scope ---------- */

describe( 'conversation rooms and the inbox scope', () => {
	const agents: Array< { userId: string } & ScopedAgent > = [
		{ userId: '7', inboxes: [ SUPPORT_INBOX ], teams: [] },
		{ userId: '8', inboxes: [ SALES_INBOX ], teams: [ 'team-sales' ] },
		{ userId: '9', inboxes: [], teams: [ 'team-billing' ] },
		{ userId: '10', inboxes: null, teams: [] },
		{
			userId: '11',
			inboxes: [ SUPPORT_INBOX, SALES_INBOX ],
			teams: [ 'team-sales', 'team-billing' ],
		},
		{ userId: '12', inboxes: [ UNKNOWN_INBOX ], teams: [] },
	];
	const configurations: Array< [ string, ServiceConfiguration | null ] > = [
		[ 'no configuration', null ],
		[ 'a configuration', configuration() ],
		[
			'a configuration without inboxes',
			{ ...configuration(), inboxes: [] },
		],
	];
	const cases: Array< [ string, string, boolean ] > = [];
	for ( const [ configurationName, config ] of configurations ) {
		for ( const agent of agents ) {
			const scope = inboxScopeOf( agent, config );
			const joined = new Set( agentScopeRooms( agent.userId, agent ) );
			for ( const chatflowId of [
				'support',
				'sales',
				'legacy',
				'never-configured',
			] ) {
				for ( const teamId of [ null, 'team-sales', 'team-billing' ] ) {
					for ( const assigneeId of [ null, agent.userId, '99' ] ) {
						const conversation = { chatflowId, teamId, assigneeId };
						const inScope = isInScope(
							scope,
							agent.userId,
							conversation
						);
						const reached = conversationRooms(
							conversation,
							config
						).some( ( room ) => joined.has( room ) );
						cases.push( [
							`${ configurationName }: agent ${ agent.userId }, chatflow ${ chatflowId }, team ${ teamId }, assignee ${ assigneeId }`,
							String( reached ),
							inScope,
						] );
					}
				}
			}
		}
	}

	it( 'reach an agent exactly when the conversation is in their scope', () => {
		const disagreements = cases.filter(
			( [ , reached, inScope ] ) => reached !== String( inScope )
		);
		expect( disagreements ).toEqual( [] );
		// The table covers both answers, so the comparison means something.
		expect(
			cases.filter( ( [ , , inScope ] ) => inScope ).length
		).toBeGreaterThan( 0 );
		expect(
			cases.filter( ( [ , , inScope ] ) => ! inScope ).length
		).toBeGreaterThan( 0 );
	} );

	it( 'name the chatflow’s inbox, the all-inboxes room, the team and the assignee', () => {
		expect(
			conversationRooms(
				{
					chatflowId: 'sales',
					teamId: 'team-billing',
					assigneeId: '7',
				},
				configuration()
			).sort()
		).toEqual(
			[
				'inbox:inbox-sales',
				'inboxes:all',
				'team:team-billing',
				'agent:7',
			].sort()
		);
		expect(
			conversationRooms( { chatflowId: 'legacy' }, configuration() )
		).toEqual( [ 'agents' ] );
		expect( conversationRooms( { chatflowId: 'sales' }, null ) ).toEqual( [
			'agents',
		] );
	} );
} );

/* ---------- a real service ---------- */

async function agentToken(
	id: string,
	claims: { inboxes?: string[]; teams?: string[] }
): Promise< string > {
	const now = Math.floor( Date.now() / 1000 );
	return new SignJWT( {
		name: `Agent ${ id }`,
		caps: [ 'chatflows_answer' ],
		teams: [],
		...claims,
	} )
		.setProtectedHeader( { alg: 'HS256', typ: 'JWT' } )
		.setIssuer( 'http://localhost:8888' )
		.setAudience( 'chatflows-service' )
		.setSubject( id )
		.setIssuedAt( now )
		.setExpirationTime( now + 300 )
		.sign( new TextEncoder().encode( SECRET ) );
}

/**
 * Connects an agent; `inboxes` left out means the token names none.
 *
 * @param service        The service.
 * @param service.url
 * @param id             WordPress user id.
 * @param claims         The token's inboxes and teams.
 * @param claims.inboxes
 * @param claims.teams
 */
async function agentOn(
	service: { url: string },
	id: string,
	claims: { inboxes?: string[]; teams?: string[] }
): Promise< AgentClient > {
	const socket = openAgent( service as TestService, {
		token: await agentToken( id, claims ),
	} );
	await new Promise< void >( ( resolve, reject ) => {
		socket.once( 'connect', resolve );
		socket.once( 'connect_error', reject );
	} );
	return socket;
}

const ann = ( service: { url: string } ) =>
	agentOn( service, '7', { inboxes: [ SUPPORT_INBOX ] } );
const bob = ( service: { url: string } ) =>
	agentOn( service, '8', {
		inboxes: [ SALES_INBOX ],
		teams: [ 'team-sales' ],
	} );
const cleo = ( service: { url: string } ) =>
	agentOn( service, '9', {
		inboxes: [ SALES_INBOX ],
		teams: [ 'team-billing' ],
	} );

/** What one agent socket hears of conversations. */
interface Heard {
	messages: ChatMessage[];
	updates: ConversationSummary[];
	typing: Array< { conversationId: string; typing: boolean } >;
}

function listen( socket: AgentClient ): Heard {
	return {
		messages: record< ChatMessage >( socket, 'message:new' ),
		updates: record< ConversationSummary >(
			socket,
			'conversation:updated'
		),
		typing: record( socket, 'typing' ),
	};
}

/**
 * Everything the service emitted to these sockets before now has arrived
 * (each acknowledgement comes after on the same connection).
 *
 * @param sockets Agent sockets.
 */
async function flush( ...sockets: AgentClient[] ): Promise< void > {
	await Promise.all( sockets.map( ( socket ) => flushAgent( socket ) ) );
}

async function visitorOn(
	service: TestService,
	chatflowId: string
): Promise< VisitorClient > {
	return ( await connectVisitor( service, { chatflowId } ) ).socket;
}

async function configured(
	config: ServiceConfiguration = configuration()
): Promise< TestService > {
	const service = await startService();
	await service.app.configuration.replace( config );
	return service;
}

describe( 'live events by scope', () => {
	it( 'keeps one inbox’s messages, updates and typing from another inbox’s agents', async () => {
		const service = await configured();
		const annSocket = await ann( service );
		const bobSocket = await bob( service );
		const annHeard = listen( annSocket );
		const bobHeard = listen( bobSocket );
		const visitor = await visitorOn( service, 'sales' );

		const bobGetsMessage = nextEvent< ChatMessage >(
			bobSocket,
			'message:new'
		);
		const conversationId = await send( visitor, 'Price for 10 seats?' );
		expect( ( await bobGetsMessage ).body ).toBe( 'Price for 10 seats?' );
		const bobGetsTyping = nextEvent( bobSocket, 'typing' );
		await visitorAsk( visitor, 'typing', { typing: true } );
		expect( await bobGetsTyping ).toEqual( {
			conversationId,
			typing: true,
		} );
		await flush( annSocket, bobSocket );

		expect( bobHeard.updates.map( ( update ) => update.id ) ).toContain(
			conversationId
		);
		expect( annHeard ).toEqual( { messages: [], updates: [], typing: [] } );

		// Ann's own inbox still reaches her.
		const supportVisitor = await visitorOn( service, 'support' );
		const annGetsMessage = nextEvent< ChatMessage >(
			annSocket,
			'message:new'
		);
		await send( supportVisitor, 'My password?' );
		expect( ( await annGetsMessage ).body ).toBe( 'My password?' );
		await flush( bobSocket );
		expect( bobHeard.messages.map( ( message ) => message.body ) ).toEqual(
			[ 'Price for 10 seats?' ]
		);
	} );

	it( 'reaches an agent whose token names no inboxes with every inbox’s events', async () => {
		const service = await configured();
		const everyone = await agentOn( service, '10', {} );
		const heard = listen( everyone );
		await send( await visitorOn( service, 'sales' ), 'From sales' );
		await send( await visitorOn( service, 'support' ), 'From support' );
		await flush( everyone );
		expect(
			heard.messages.map( ( message ) => message.body ).sort()
		).toEqual( [ 'From sales', 'From support' ] );
	} );

	it( 'reaches every agent with a chatflow of an inbox WordPress does not list', async () => {
		const service = await configured();
		const annSocket = await ann( service );
		const bobSocket = await bob( service );
		const annHeard = listen( annSocket );
		const bobHeard = listen( bobSocket );
		await send( await visitorOn( service, 'legacy' ), 'Old chatflow' );
		await flush( annSocket, bobSocket );
		expect( annHeard.messages.map( ( message ) => message.body ) ).toEqual(
			[ 'Old chatflow' ]
		);
		expect( bobHeard.messages.map( ( message ) => message.body ) ).toEqual(
			[ 'Old chatflow' ]
		);
	} );

	it( 'reaches everyone while WordPress has sent no configuration', async () => {
		const service = await startService();
		const annSocket = await ann( service );
		const bobSocket = await bob( service );
		const annHeard = listen( annSocket );
		const bobHeard = listen( bobSocket );
		const visitor = await visitorOn( service, 'sales' );
		await send( visitor, 'Anyone there?' );
		await visitorAsk( visitor, 'typing', { typing: true } );
		await flush( annSocket, bobSocket );
		for ( const heard of [ annHeard, bobHeard ] ) {
			expect( heard.messages.map( ( message ) => message.body ) ).toEqual(
				[ 'Anyone there?' ]
			);
			expect( heard.typing ).toHaveLength( 1 );
			expect( heard.updates.length ).toBeGreaterThan( 0 );
		}
	} );

	it( 'reaches the team a conversation is transferred to, and tells the team it leaves', async () => {
		const service = await configured();
		const annSocket = await ann( service );
		const cleoSocket = await cleo( service );
		const cleoHeard = listen( cleoSocket );
		const visitor = await visitorOn( service, 'support' );
		const conversationId = await send( visitor, 'A billing question' );
		await flush( cleoSocket );
		expect( cleoHeard.messages ).toEqual( [] );

		// Cleo works in sales, but billing is her team.
		const cleoHearsTransfer = nextEvent< ConversationSummary >(
			cleoSocket,
			'conversation:updated'
		);
		const transferred = await agentAsk(
			annSocket,
			'conversation:transfer',
			{
				conversationId,
				teamId: 'team-billing',
			}
		);
		expect( transferred.ok ).toBe( true );
		expect( await cleoHearsTransfer ).toMatchObject( {
			id: conversationId,
			teamId: 'team-billing',
		} );
		const cleoGetsMessage = nextEvent< ChatMessage >(
			cleoSocket,
			'message:new'
		);
		await send( visitor, 'Invoice 42' );
		expect( ( await cleoGetsMessage ).body ).toBe( 'Invoice 42' );

		// Ann takes it back: the team hears it left, then nothing more.
		const cleoHearsClaim = nextEvent< ConversationSummary >(
			cleoSocket,
			'conversation:updated'
		);
		const claimed = await agentAsk( annSocket, 'conversation:claim', {
			conversationId,
		} );
		expect( claimed.ok ).toBe( true );
		expect( await cleoHearsClaim ).toMatchObject( {
			id: conversationId,
			assigneeId: '7',
			teamId: null,
		} );
		const before = cleoHeard.messages.length;
		await send( visitor, 'Thanks' );
		await flush( cleoSocket );
		expect( cleoHeard.messages ).toHaveLength( before );
	} );

	it( 'reaches the agent a conversation is assigned to', async () => {
		const service = await configured();
		const annSocket = await ann( service );
		const bobSocket = await bob( service );
		const bobHeard = listen( bobSocket );
		const visitor = await visitorOn( service, 'support' );
		const conversationId = await send( visitor, 'Hello' );
		await flush( bobSocket );
		expect( bobHeard.messages ).toEqual( [] );

		const bobHearsAssignment = nextEvent< ConversationSummary >(
			bobSocket,
			'conversation:updated'
		);
		const assigned = await agentAsk( annSocket, 'conversation:assign', {
			conversationId,
			agentId: '8',
		} );
		expect( assigned.ok ).toBe( true );
		expect( await bobHearsAssignment ).toMatchObject( {
			id: conversationId,
			assigneeId: '8',
		} );
		const bobGetsMessage = nextEvent< ChatMessage >(
			bobSocket,
			'message:new'
		);
		const bobGetsTyping = nextEvent( bobSocket, 'typing' );
		await visitorAsk( visitor, 'typing', { typing: true } );
		expect( await bobGetsTyping ).toEqual( {
			conversationId,
			typing: true,
		} );
		await send( visitor, 'Are you there, Bob?' );
		expect( ( await bobGetsMessage ).body ).toBe( 'Are you there, Bob?' );
	} );

	it( 'reaches the team a skill rule routes a new conversation to', async () => {
		const service = await configured(
			configuration( [
				flow( 'support', SUPPORT_INBOX, {
					assignment: {
						enabled: false,
						userIds: [],
						teamIds: [],
						rules: [
							{
								when: { pageUrlContains: '/pricing/' },
								teamId: 'team-billing',
							},
						],
					},
				} ),
				flow( 'sales', SALES_INBOX ),
			] )
		);
		const cleoSocket = await cleo( service );
		const cleoHearsRouting = nextEvent< ConversationSummary >(
			cleoSocket,
			'conversation:updated'
		);
		const conversationId = await send(
			await visitorOn( service, 'support' ),
			'How much?'
		);
		expect( await cleoHearsRouting ).toMatchObject( {
			id: conversationId,
			teamId: 'team-billing',
		} );
	} );
} );

/* ---------- two nodes ---------- */

describe( 'live events by scope across nodes', () => {
	let redis: RedisServer;

	beforeAll( async () => {
		redis = await startRedis();
	} );

	afterAll( async () => {
		await redis?.stop();
	} );

	/**
	 * A node on its own SQLite file, joined to the others by the Redis
	 * adapter (what crosses nodes here is only the broadcast).
	 */
	async function node(): Promise< {
		url: string;
		stop: () => Promise< void >;
	} > {
		const client = createClient( { url: redis.url } );
		await client.connect();
		const repository = openSqliteRepository(
			path.join( makeTempDir(), 'chatflows.sqlite' )
		);
		const httpServer = http.createServer(
			createHttpApp( {
				isDraining: () => false,
				metrics: () => undefined,
				routes: () => undefined,
			} )
		);
		const app = createApplication(
			httpServer,
			{
				repository,
				secret: SECRET,
				allowedOrigins: ALLOWED_ORIGINS,
				logger: pino( { level: 'silent' } ),
			},
			redisServerOptions( client )
		);
		await new Promise< void >( ( resolve ) =>
			httpServer.listen( 0, '127.0.0.1', resolve )
		);
		await app.ready;
		await app.configuration.replace( configuration() );
		const { port } = httpServer.address() as AddressInfo;
		return {
			url: `http://127.0.0.1:${ port }`,
			stop: async () => {
				await app.close();
				await repository.close();
				await client.quit();
			},
		};
	}

	it( 'reaches the scoped agent on another node and not the others', async () => {
		const first = await node();
		const second = await node();
		try {
			const annSocket = await ann( second );
			const bobSocket = await bob( second );
			const annHeard = listen( annSocket );
			const bobGetsMessage = nextEvent< ChatMessage >(
				bobSocket,
				'message:new'
			);
			await send(
				await visitorOn( first as unknown as TestService, 'sales' ),
				'Across nodes'
			);
			expect( ( await bobGetsMessage ).body ).toBe( 'Across nodes' );
			const annGetsMessage = nextEvent< ChatMessage >(
				annSocket,
				'message:new'
			);
			await send(
				await visitorOn( first as unknown as TestService, 'support' ),
				'Support across nodes'
			);
			expect( ( await annGetsMessage ).body ).toBe(
				'Support across nodes'
			);
			// In order on Ann's connection: the sales message came first, if at all.
			expect(
				annHeard.messages.map( ( message ) => message.body )
			).toEqual( [ 'Support across nodes' ] );
		} finally {
			await cleanup();
			await Promise.all( [ first.stop(), second.stop() ] );
		}
	} );
} );
