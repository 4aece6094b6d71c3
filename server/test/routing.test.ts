/**
 * The conversation domain end to end: a real service, real socket.io
 * clients and a real SQLite file. Configuration is stored the way the
 * signed endpoint stores it.
 */
import { SignJWT } from 'jose';
import type {
	AgentPresence,
	CompiledChatflow,
	ConversationSummary,
	QueuePosition,
	ReadReceipt,
	ServiceConfiguration,
	SurveyAnswer,
	TypingIndicator,
	VisitorAvailability,
	VisitorConversationUpdate,
	VisitorHandshake,
	VisitorSession,
} from '@chatflows/protocol';
import {
	agentAsk,
	cleanup,
	connectAgent,
	flushAgent,
	flushVisitor,
	giveAndConfirmEmail,
	openVisitor,
	loose,
	nextEvent,
	record,
	SECRET,
	sleep,
	startService,
	visitorAsk,
	type AgentClient,
	type TestService,
	type VisitorClient,
	until,
	sendMessage as send,
} from './helpers';
import { chatflow } from './repository-domain';

afterEach( cleanup );

function directory(
	chatflows: CompiledChatflow[],
	agents: Array< { id: string; capacity: number; teamIds?: string[] } >
): ServiceConfiguration {
	return {
		siteUrl: 'http://localhost:8888',
		allowedOrigins: [],
		chatflows,
		agents: agents.map( ( agent ) => ( {
			id: agent.id,
			name: `Agent ${ agent.id }`,
			capacity: agent.capacity,
			teamIds: agent.teamIds ?? [],
			inboxIds: [],
		} ) ),
		teams: [
			{ id: 'sales', name: 'Sales', memberIds: [] },
			{ id: 'danish', name: 'Danish', memberIds: [] },
		],
		inboxes: [],
	};
}

function flow( overrides: Partial< CompiledChatflow > = {} ): CompiledChatflow {
	return { ...chatflow( 'support', 1 ), ...overrides };
}

async function configure(
	service: TestService,
	configuration: ServiceConfiguration
): Promise< void > {
	await service.app.configuration.replace( configuration );
}

async function agentAs(
	service: TestService,
	id: string
): Promise< AgentClient > {
	const now = Math.floor( Date.now() / 1000 );
	const token = await new SignJWT( {
		name: `Agent ${ id }`,
		caps: [ 'chatflows_answer' ],
	} )
		.setProtectedHeader( { alg: 'HS256', typ: 'JWT' } )
		.setIssuer( 'http://localhost:8888' )
		.setAudience( 'chatflows-service' )
		.setSubject( id )
		.setIssuedAt( now )
		.setExpirationTime( now + 300 )
		.sign( new TextEncoder().encode( SECRET ) );
	return connectAgent( service, token );
}

async function assigneeOf(
	service: TestService,
	conversationId: string
): Promise< string | null > {
	return (
		( await service.repository.findConversation( conversationId ) )
			?.assigneeId ?? null
	);
}

describe( 'claiming', () => {
	it( 'lets exactly one of two agents claim a conversation, and both see the result', async () => {
		const service = await startService();
		// Assignment off: conversations wait for someone to claim them.
		await configure(
			service,
			directory(
				[
					flow( {
						assignment: {
							enabled: false,
							userIds: [],
							teamIds: [],
							rules: [],
						},
					} ),
				],
				[]
			)
		);
		const ann = await agentAs( service, '7' );
		const bob = await agentAs( service, '8' );
		const visitor = await visit( service );
		const conversationId = await send( visitor.socket, 'Hello' );

		const annUpdates = record< ConversationSummary >(
			ann,
			'conversation:updated'
		);
		const bobUpdates = record< ConversationSummary >(
			bob,
			'conversation:updated'
		);
		const [ first, second ] = await Promise.all( [
			agentAsk( ann, 'conversation:claim', { conversationId } ),
			agentAsk( bob, 'conversation:claim', { conversationId } ),
		] );
		const results = [ first, second ];
		const winners = results.filter( ( result ) => result.ok );
		const losers = results.filter( ( result ) => ! result.ok );
		expect( winners ).toHaveLength( 1 );
		expect( losers ).toEqual( [
			{
				ok: false,
				error: { code: 'conflict', message: expect.any( String ) },
			},
		] );
		const winner = first.ok ? '7' : '8';
		await until(
			() =>
				[ annUpdates, bobUpdates ].every( ( updates ) =>
					updates.some(
						( update ) =>
							update.id === conversationId &&
							update.assigneeId === winner
					)
				),
			'both agents to see the claim'
		);
		expect( await assigneeOf( service, conversationId ) ).toBe( winner );
	} );

	it( 'refuses an unknown conversation and bad payloads', async () => {
		const service = await startService();
		const ann = await agentAs( service, '7' );
		await expect(
			agentAsk( ann, 'conversation:claim', { conversationId: 'nope' } )
		).resolves.toMatchObject( { ok: false, error: { code: 'not_found' } } );
		for ( const [ event, payload ] of [
			[ 'conversation:claim', {} ],
			[ 'conversation:assign', { conversationId: 'x' } ],
			[ 'conversation:transfer', { conversationId: 'x' } ],
			[ 'conversation:close', { conversationId: 5 } ],
			[ 'conversation:reopen', null ],
			[ 'agent:presence', { status: 'asleep' } ],
			[ 'typing', { conversationId: 'x', typing: 'yes' } ],
			[ 'conversation:read', { conversationId: 'x', seq: -1 } ],
		] as const ) {
			const reply = await loose( ann )
				.timeout( 3000 )
				.emitWithAck( event, payload );
			expect( reply ).toMatchObject( {
				ok: false,
				error: { code: 'invalid_payload' },
			} );
		}
	} );
} );

describe( 'automatic assignment', () => {
	it( 'goes to the configured agent with the fewest open conversations, never above capacity, then queues', async () => {
		const service = await startService();
		await configure(
			service,
			directory(
				[
					flow( {
						assignment: {
							enabled: true,
							userIds: [ '7', '8' ],
							teamIds: [],
							rules: [],
						},
					} ),
				],
				[
					{ id: '7', capacity: 1 },
					{ id: '8', capacity: 2 },
					{ id: '9', capacity: 5 },
				]
			)
		);
		await agentAs( service, '7' );
		await agentAs( service, '8' );
		// Not configured for this chatflow: never gets its conversations.
		await agentAs( service, '9' );

		const ids: string[] = [];
		const visitors: VisitorClient[] = [];
		for ( let index = 0; index < 4; index++ ) {
			const visitor = await visit( service );
			visitors.push( visitor.socket );
			ids.push( await send( visitor.socket, `Visitor ${ index }` ) );
			await service.app.domain.assignment.rebalance();
		}
		const assignees = await Promise.all(
			ids.map( ( id ) => assigneeOf( service, id ) )
		);
		// 7 and 8 both have 0: the smaller id first; then 8 (fewer), then 8 is full at 2.
		expect( assignees ).toEqual( [ '7', '8', '8', null ] );

		// The fourth waits, and its visitor learns their place.
		const position = await nextEventOrLast< QueuePosition >(
			visitors[ 3 ],
			'queue:position'
		);
		expect( position ).toEqual( {
			conversationId: ids[ 3 ],
			position: 1,
			estimatedWaitSeconds: expect.any( Number ),
		} );
	} );

	it( 'hands the oldest waiting conversation out as soon as someone frees up', async () => {
		const service = await startService();
		await configure(
			service,
			directory( [ flow() ], [ { id: '7', capacity: 1 } ] )
		);
		const ann = await agentAs( service, '7' );
		const first = await send( ( await visit( service ) ).socket, 'one' );
		await service.app.domain.assignment.rebalance();
		const second = await send( ( await visit( service ) ).socket, 'two' );
		await service.app.domain.assignment.rebalance();
		const third = await send( ( await visit( service ) ).socket, 'three' );
		await service.app.domain.assignment.rebalance();
		expect( await assigneeOf( service, first ) ).toBe( '7' );
		expect( await assigneeOf( service, second ) ).toBeNull();
		expect( await assigneeOf( service, third ) ).toBeNull();

		await agentAsk( ann, 'conversation:close', { conversationId: first } );
		await until(
			async () => ( await assigneeOf( service, second ) ) === '7',
			'the oldest waiting conversation to be assigned'
		);
		expect( await assigneeOf( service, third ) ).toBeNull();
	} );

	it( 'hands out waiting conversations when WordPress raises a capacity', async () => {
		const service = await startService();
		const small = directory( [ flow() ], [ { id: '7', capacity: 1 } ] );
		await configure( service, small );
		await agentAs( service, '7' );
		const first = await send( ( await visit( service ) ).socket, 'one' );
		await service.app.domain.assignment.rebalance();
		const second = await send( ( await visit( service ) ).socket, 'two' );
		await service.app.domain.assignment.rebalance();
		expect( await assigneeOf( service, first ) ).toBe( '7' );
		expect( await assigneeOf( service, second ) ).toBeNull();
		await configure(
			service,
			directory( [ flow() ], [ { id: '7', capacity: 2 } ] )
		);
		await until(
			async () => ( await assigneeOf( service, second ) ) === '7',
			'assignment after the capacity grew'
		);
	} );

	it( 'skips agents who are away or disconnected, and assigns when one connects or comes back', async () => {
		const service = await startService();
		await configure(
			service,
			directory( [ flow() ], [ { id: '7', capacity: 3 } ] )
		);
		const ann = await agentAs( service, '7' );
		await expect(
			agentAsk( ann, 'agent:presence', { status: 'away' } )
		).resolves.toEqual( { ok: true, data: { status: 'away' } } );
		const waiting = await send(
			( await visit( service ) ).socket,
			'hello'
		);
		await service.app.domain.assignment.rebalance();
		expect( await assigneeOf( service, waiting ) ).toBeNull();

		await agentAsk( ann, 'agent:presence', { status: 'available' } );
		await until(
			async () => ( await assigneeOf( service, waiting ) ) === '7',
			'assignment once available'
		);

		ann.disconnect();
		await sleep( 50 );
		const later = await send(
			( await visit( service ) ).socket,
			'anyone?'
		);
		await service.app.domain.assignment.rebalance();
		expect( await assigneeOf( service, later ) ).toBeNull();
		await agentAs( service, '7' );
		await until(
			async () => ( await assigneeOf( service, later ) ) === '7',
			'assignment on connect'
		);
	} );

	it( 'lets a skill rule choose the team first', async () => {
		const service = await startService();
		await configure(
			service,
			directory(
				[
					flow( {
						assignment: {
							enabled: true,
							userIds: [ '7' ],
							teamIds: [],
							rules: [
								{
									when: { pageUrlContains: '/pricing' },
									teamId: 'sales',
								},
								{
									when: { visitorLanguage: 'da' },
									teamId: 'danish',
								},
							],
						},
					} ),
				],
				[
					{ id: '7', capacity: 5 },
					{ id: '8', capacity: 5, teamIds: [ 'sales' ] },
					{ id: '9', capacity: 5, teamIds: [ 'danish' ] },
				]
			)
		);
		await agentAs( service, '7' );
		await agentAs( service, '8' );
		await agentAs( service, '9' );
		const pricing = await send(
			( await visit( service ) ).socket,
			'price?'
		);
		const danish = await send(
			(
				await visit( service, {
					pageUrl: 'http://localhost:8888/about/',
					language: 'da-DK',
				} )
			).socket,
			'hej'
		);
		const other = await send(
			(
				await visit( service, {
					pageUrl: 'http://localhost:8888/about/',
					language: 'en-US',
				} )
			).socket,
			'hi'
		);
		await until(
			async () =>
				( await assigneeOf( service, pricing ) ) === '8' &&
				( await assigneeOf( service, danish ) ) === '9' &&
				( await assigneeOf( service, other ) ) === '7',
			'routing by skill rules'
		);
		await expect(
			service.repository.findConversation( pricing )
		).resolves.toMatchObject( { teamId: 'sales' } );
	} );

	it( 'lets any agent take a conversation whose chatflow was deleted since', async () => {
		const service = await startService();
		const visitor = await visit( service );
		const id = await send( visitor.socket, 'hello' );
		await service.app.configuration.deleteChatflow( 'support' );
		await agentAs( service, '42' );
		await until(
			async () => ( await assigneeOf( service, id ) ) === '42',
			'assignment to any agent'
		);
	} );
} );

describe( 'transfer and assign', () => {
	it( 'transfers to an agent or to a team, assigned within the team', async () => {
		const service = await startService();
		await configure(
			service,
			directory(
				[
					flow( {
						assignment: {
							enabled: true,
							userIds: [ '7' ],
							teamIds: [],
							rules: [],
						},
					} ),
				],
				[
					{ id: '7', capacity: 5 },
					{ id: '8', capacity: 5, teamIds: [ 'sales' ] },
				]
			)
		);
		const ann = await agentAs( service, '7' );
		await agentAs( service, '8' );
		const id = await send( ( await visit( service ) ).socket, 'hi' );
		await until(
			async () => ( await assigneeOf( service, id ) ) === '7',
			'first assignment'
		);
		const toTeam = await agentAsk( ann, 'conversation:transfer', {
			conversationId: id,
			teamId: 'sales',
		} );
		expect( toTeam ).toMatchObject( {
			ok: true,
			data: { conversation: { teamId: 'sales', assigneeId: null } },
		} );
		await until(
			async () => ( await assigneeOf( service, id ) ) === '8',
			'assignment within the team'
		);
		const back = await agentAsk( ann, 'conversation:assign', {
			conversationId: id,
			agentId: '7',
		} );
		expect( back ).toMatchObject( {
			ok: true,
			data: { conversation: { assigneeId: '7' } },
		} );
		const toAgent = await agentAsk( ann, 'conversation:transfer', {
			conversationId: id,
			agentId: '8',
		} );
		expect( toAgent ).toMatchObject( {
			ok: true,
			data: { conversation: { assigneeId: '8' } },
		} );
		await expect(
			agentAsk( ann, 'conversation:transfer', {
				conversationId: id,
				teamId: 'nobody',
			} )
		).resolves.toEqual( {
			ok: false,
			error: { code: 'invalid_payload', message: 'teamId: no such team' },
		} );
		await expect(
			agentAsk( ann, 'conversation:assign', {
				conversationId: id,
				agentId: '404',
			} )
		).resolves.toEqual( {
			ok: false,
			error: {
				code: 'invalid_payload',
				message: 'agentId: no such agent',
			},
		} );
		expect( await assigneeOf( service, id ) ).toBe( '8' );
	} );
} );

describe( 'closing, reopening, tickets and survey', () => {
	it( 'closes with the survey, stores the answer for agents, and reopens when the visitor writes again', async () => {
		const service = await startService();
		await configure(
			service,
			directory(
				[
					flow( {
						survey: {
							enabled: true,
							question: { en_US: 'How did we do?' },
						},
						ticket: {
							pipeline: 'sales',
							status: 'new',
							priority: 'urgent',
							category: 'leads',
						},
					} ),
				],
				[ { id: '7', capacity: 5 } ]
			)
		);
		const ann = await agentAs( service, '7' );
		const visitor = await visit( service );
		const id = await send( visitor.socket, 'hi' );
		await expect(
			service.repository.findTicket( id )
		).resolves.toMatchObject( {
			pipeline: 'sales',
			priority: 'urgent',
			category: 'leads',
			state: 'open',
		} );

		// Not closed yet: no survey.
		await expect(
			visitorAsk( visitor.socket, 'survey:answer', {
				conversationId: id,
				rating: 5,
			} )
		).resolves.toMatchObject( {
			ok: false,
			error: { code: 'invalid_payload' },
		} );

		const update = nextEvent< VisitorConversationUpdate >(
			visitor.socket,
			'conversation:updated'
		);
		const closed = await agentAsk( ann, 'conversation:close', {
			conversationId: id,
		} );
		expect( closed ).toMatchObject( {
			ok: true,
			data: { conversation: { status: 'closed' } },
		} );
		expect( await update ).toEqual( {
			conversation: expect.objectContaining( { id, status: 'closed' } ),
			survey: { question: { en_US: 'How did we do?' } },
		} );
		await expect(
			service.repository.findTicket( id )
		).resolves.toMatchObject( { state: 'closed' } );
		// A reload still shows how it ended.
		await expect(
			visitorAsk( visitor.socket, 'conversation:resume', {} )
		).resolves.toMatchObject( {
			ok: true,
			data: {
				conversation: { id, status: 'closed' },
				messages: [ { seq: 1 } ],
			},
		} );

		const answered = nextEvent< SurveyAnswer >( ann, 'survey:answered' );
		await expect(
			visitorAsk( visitor.socket, 'survey:answer', {
				conversationId: id,
				rating: 4,
				comment: ' Quick help ',
			} )
		).resolves.toEqual( { ok: true, data: {} } );
		expect( await answered ).toEqual( {
			conversationId: id,
			rating: 4,
			comment: 'Quick help',
		} );
		await expect(
			service.repository.findSurveyAnswer( id )
		).resolves.toMatchObject( { rating: 4, comment: 'Quick help' } );

		const reopened = nextEvent< VisitorConversationUpdate >(
			visitor.socket,
			'conversation:updated'
		);
		expect( await send( visitor.socket, 'one more thing' ) ).toBe( id );
		expect( ( await reopened ).conversation.status ).toBe( 'open' );
		await expect(
			service.repository.findTicket( id )
		).resolves.toMatchObject( { state: 'reopened' } );

		await agentAsk( ann, 'conversation:close', { conversationId: id } );
		const byAgent = await agentAsk( ann, 'conversation:reopen', {
			conversationId: id,
		} );
		expect( byAgent ).toMatchObject( {
			ok: true,
			data: { conversation: { status: 'open' } },
		} );
	} );

	it( 'refuses survey answers outside 1–5 and for other visitors’ conversations', async () => {
		const service = await startService();
		const ann = await agentAs( service, '7' );
		const owner = await visit( service );
		const id = await send( owner.socket, 'mine' );
		await agentAsk( ann, 'conversation:close', { conversationId: id } );
		const stranger = await visit( service );
		await expect(
			visitorAsk( stranger.socket, 'survey:answer', {
				conversationId: id,
				rating: 1,
			} )
		).resolves.toMatchObject( { ok: false, error: { code: 'not_found' } } );
		const tooHigh = await visitorAsk( owner.socket, 'survey:answer', {
			conversationId: id,
			rating: 6,
		} );
		expect( tooHigh ).toMatchObject( {
			ok: false,
			error: {
				code: 'invalid_payload',
				message: expect.stringContaining( 'rating' ),
			},
		} );
		await expect(
			service.repository.findSurveyAnswer( id )
		).resolves.toBeNull();
	} );

	it( 'refuses new conversations in a chatflow switched off since the visitor connected, but keeps the connection', async () => {
		const service = await startService();
		await configure( service, directory( [ flow() ], [] ) );
		const visitor = await visit( service );
		await configure(
			service,
			directory( [ flow( { enabled: false } ) ], [] )
		);
		const sent = await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'c1',
			body: 'hello?',
		} );
		expect( sent ).toMatchObject( {
			ok: false,
			error: { code: 'chatflow_unavailable' },
		} );
		expect( visitor.socket.connected ).toBe( true );
		await expect(
			service.repository.findLatestConversation(
				visitor.session.visitorId,
				'support'
			)
		).resolves.toBeNull();
	} );

	it( 'keeps an open conversation going in a switched-off chatflow, but refuses to reopen it once closed', async () => {
		const service = await startService();
		await configure( service, directory( [ flow() ], [] ) );
		const visitor = await visit( service );
		const first = await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'c1',
			body: 'hello',
		} );
		expect( first.ok ).toBe( true );
		const conversationId = first.ok
			? first.data.message.conversationId
			: '';
		await configure(
			service,
			directory( [ flow( { enabled: false } ) ], [] )
		);
		await expect(
			visitorAsk( visitor.socket, 'message:send', {
				clientId: 'c2',
				body: 'still there?',
			} )
		).resolves.toMatchObject( {
			ok: true,
			data: { message: { conversationId, seq: 2 } },
		} );
		await service.repository.setConversationStatus( {
			conversationId,
			status: 'closed',
			updatedAt: new Date().toISOString(),
		} );
		await expect(
			visitorAsk( visitor.socket, 'message:send', {
				clientId: 'c3',
				body: 'and now?',
			} )
		).resolves.toMatchObject( {
			ok: false,
			error: { code: 'chatflow_unavailable' },
		} );
		await expect(
			service.repository.findConversation( conversationId )
		).resolves.toMatchObject( { status: 'closed' } );
		await expect(
			service.repository.listMessages( conversationId, 0 )
		).resolves.toHaveLength( 2 );
	} );
} );

describe( 'idle close', () => {
	it( 'closes a conversation idle for the chatflow’s minutes, also after a restart', async () => {
		let now = Date.parse( '2026-05-04T10:00:00.000Z' );
		const clock = () => new Date( now );
		const service = await startService( { clock } );
		await configure(
			service,
			directory( [ flow( { idleCloseMinutes: 30 } ) ], [] )
		);
		const visitor = await visit( service );
		const id = await send( visitor.socket, 'hello' );
		now += 29 * 60_000;
		await service.app.domain.sweeps.sweep();
		await expect(
			service.repository.findConversation( id )
		).resolves.toMatchObject( { status: 'open' } );
		await service.stop();

		now += 2 * 60_000;
		const restarted = await startService( {
			clock,
			dbFile: service.dbFile,
		} );
		const agent = await agentAs( restarted, '7' );
		// The agent may first hear the conversation assigned to them, still open.
		const updates = record< ConversationSummary >(
			agent,
			'conversation:updated'
		);
		await restarted.app.domain.sweeps.sweep();
		await expect(
			restarted.repository.findConversation( id )
		).resolves.toMatchObject( { status: 'closed' } );
		await expect(
			restarted.repository.findTicket( id )
		).resolves.toMatchObject( { state: 'closed' } );
		await until(
			() =>
				updates.some(
					( update ) => update.id === id && update.status === 'closed'
				),
			'the closed conversation announced to the agent'
		);
	} );
} );

describe( 'a visitor who reloads', () => {
	it( 'tells each visitor who opens while nobody has room the place a full pass gives, and moves those behind a reopened conversation', async () => {
		const service = await startService();
		await configure(
			service,
			directory( [ flow() ], [ { id: '7', capacity: 1 } ] )
		);
		const ann = await agentAs( service, '7' );
		const busy = await visit( service );
		const taken = await send( busy.socket, 'first' );
		await until(
			async () => ( await assigneeOf( service, taken ) ) === '7',
			'the first conversation to be assigned'
		);
		// Ann is full: no pass is asked for between these, each opening
		// only learns its own place.
		const waiting: Array< Awaited< ReturnType< typeof visit > > > = [];
		const ids: string[] = [];
		for ( let index = 0; index < 3; index++ ) {
			const visitor = await visit( service );
			waiting.push( visitor );
			ids.push( await send( visitor.socket, `waiting ${ index }` ) );
		}
		const places = () =>
			waiting.map( ( visitor ) =>
				history< QueuePosition >(
					visitor.socket,
					'queue:position'
				).map( ( position ) => position.position )
			);
		await until(
			() => places().every( ( told ) => told.length > 0 ),
			'every waiting visitor told a place'
		);
		expect( places() ).toEqual( [ [ 1 ], [ 2 ], [ 3 ] ] );
		// A full pass finds the same places: nobody hears anything new.
		await service.app.domain.assignment.rebalance();
		await Promise.all(
			waiting.map( ( visitor ) => flushVisitor( visitor.socket ) )
		);
		expect( places() ).toEqual( [ [ 1 ], [ 2 ], [ 3 ] ] );

		// Closed while it waited, the oldest leaves the queue; written to
		// again, it reopens in its old place, ahead of the other two.
		await agentAsk( ann, 'conversation:close', {
			conversationId: ids[ 0 ],
		} );
		await until(
			() => places()[ 1 ].length === 2 && places()[ 2 ].length === 2,
			'the queue to move up'
		);
		expect( places() ).toEqual( [ [ 1 ], [ 2, 1 ], [ 3, 2 ] ] );
		expect( await send( waiting[ 0 ].socket, 'still there?' ) ).toBe(
			ids[ 0 ]
		);
		await until(
			() =>
				places()[ 0 ].length === 2 &&
				places()[ 1 ].length === 3 &&
				places()[ 2 ].length === 3,
			'the queue to move down'
		);
		// The reopened one is told its place again, having left the queue.
		expect( places() ).toEqual( [
			[ 1, 1 ],
			[ 2, 1, 2 ],
			[ 3, 2, 3 ],
		] );
		expect( await assigneeOf( service, ids[ 0 ] ) ).toBeNull();
	} );

	it( 'gets their place in the queue again when they resume, also after a restart', async () => {
		const service = await startService();
		await configure(
			service,
			directory( [ flow() ], [ { id: '7', capacity: 1 } ] )
		);
		await agentAs( service, '7' );
		const busy = await visit( service );
		const assigned = await send( busy.socket, 'first' );
		await service.app.domain.assignment.rebalance();
		const waiting = await visit( service );
		const id = await send( waiting.socket, 'second' );
		await service.app.domain.assignment.rebalance();
		expect( await assigneeOf( service, assigned ) ).toBe( '7' );
		expect( await assigneeOf( service, id ) ).toBeNull();
		const live = await nextEventOrLast< QueuePosition >(
			waiting.socket,
			'queue:position'
		);
		expect( live ).toMatchObject( { conversationId: id, position: 1 } );

		// The place has not changed since: a new connection hears nothing live.
		waiting.socket.disconnect();
		const reloaded = await visit( service, {
			session: waiting.session.token,
		} );
		const resumed = await visitorAsk(
			reloaded.socket,
			'conversation:resume',
			{}
		);
		expect( resumed ).toMatchObject( {
			ok: true,
			data: {
				conversation: { id, status: 'open' },
				queue: live,
			},
		} );
		// Someone assigned has no place to show.
		const assignedResume = await visitorAsk(
			busy.socket,
			'conversation:resume',
			{}
		);
		expect( assignedResume.ok && assignedResume.data ).not.toHaveProperty(
			'queue'
		);

		// A restarted service knows no place yet: it works it out.
		reloaded.socket.disconnect();
		await service.stop();
		const restarted = await startService( { dbFile: service.dbFile } );
		const afterRestart = await visit( restarted, {
			session: waiting.session.token,
		} );
		await expect(
			visitorAsk( afterRestart.socket, 'conversation:resume', {} )
		).resolves.toMatchObject( {
			ok: true,
			data: {
				conversation: { id },
				queue: {
					conversationId: id,
					position: 1,
					estimatedWaitSeconds: expect.any( Number ),
				},
			},
		} );
	} );

	it( 'gets the survey of a closed conversation until they answer it', async () => {
		const service = await startService();
		const question = { en_US: 'How did we do?' };
		await configure(
			service,
			directory(
				[ flow( { survey: { enabled: true, question } } ) ],
				[ { id: '7', capacity: 5 } ]
			)
		);
		const ann = await agentAs( service, '7' );
		const visitor = await visit( service );
		const id = await send( visitor.socket, 'hi' );
		const open = await visitorAsk(
			visitor.socket,
			'conversation:resume',
			{}
		);
		expect( open.ok && open.data ).not.toHaveProperty( 'survey' );

		// Closed while the visitor was away: the live event never reached them.
		visitor.socket.disconnect();
		await agentAsk( ann, 'conversation:close', { conversationId: id } );
		const reloaded = await visit( service, {
			session: visitor.session.token,
		} );
		await expect(
			visitorAsk( reloaded.socket, 'conversation:resume', {} )
		).resolves.toMatchObject( {
			ok: true,
			data: {
				conversation: { id, status: 'closed' },
				survey: { question },
			},
		} );

		await expect(
			visitorAsk( reloaded.socket, 'survey:answer', {
				conversationId: id,
				rating: 5,
			} )
		).resolves.toEqual( { ok: true, data: {} } );
		reloaded.socket.disconnect();
		const again = await visit( service, {
			session: visitor.session.token,
		} );
		const answered = await visitorAsk(
			again.socket,
			'conversation:resume',
			{}
		);
		expect( answered ).toMatchObject( {
			ok: true,
			data: { conversation: { id, status: 'closed' } },
		} );
		expect( answered.ok && answered.data ).not.toHaveProperty( 'survey' );
	} );

	it( 'gets no survey when the chatflow asks none', async () => {
		const service = await startService();
		await configure(
			service,
			directory( [ flow() ], [ { id: '7', capacity: 5 } ] )
		);
		const ann = await agentAs( service, '7' );
		const visitor = await visit( service );
		const id = await send( visitor.socket, 'hi' );
		await agentAsk( ann, 'conversation:close', { conversationId: id } );
		const resumed = await visitorAsk(
			visitor.socket,
			'conversation:resume',
			{}
		);
		expect( resumed ).toMatchObject( {
			ok: true,
			data: { conversation: { id, status: 'closed' } },
		} );
		expect( resumed.ok && resumed.data ).not.toHaveProperty( 'survey' );
	} );
} );

describe( 'typing, read receipts and unread counts', () => {
	it( 'relays typing both ways, throttled, and never to other visitors', async () => {
		let now = Date.parse( '2026-05-04T10:00:00.000Z' );
		const service = await startService( { clock: () => new Date( now ) } );
		const ann = await agentAs( service, '7' );
		const visitor = await visit( service );
		const stranger = await visit( service );
		const strangerTyping = record( stranger.socket, 'typing' );
		const id = await send( visitor.socket, 'hello' );

		// Before any conversation, there is nobody to tell.
		const lonely = await visit( service );
		await expect(
			visitorAsk( lonely.socket, 'typing', { typing: true } )
		).resolves.toMatchObject( { ok: false, error: { code: 'not_found' } } );

		const agentTyping = record< TypingIndicator >( ann, 'typing' );
		await visitorAsk( visitor.socket, 'typing', { typing: true } );
		await visitorAsk( visitor.socket, 'typing', { typing: true } );
		now += 1500;
		await visitorAsk( visitor.socket, 'typing', { typing: true } );
		await visitorAsk( visitor.socket, 'typing', { typing: false } );
		await until( () => agentTyping.length === 3, 'typing at the agent' );
		expect( agentTyping ).toEqual( [
			{ conversationId: id, typing: true },
			{ conversationId: id, typing: true },
			{ conversationId: id, typing: false },
		] );

		const visitorTyping = nextEvent< TypingIndicator >(
			visitor.socket,
			'typing'
		);
		await agentAsk( ann, 'typing', { conversationId: id, typing: true } );
		expect( await visitorTyping ).toEqual( {
			conversationId: id,
			typing: true,
		} );
		await sleep( 50 );
		expect( strangerTyping ).toEqual( [] );
	} );

	it( 'counts unread messages on both sides and sends read receipts', async () => {
		const service = await startService();
		const ann = await agentAs( service, '7' );
		const visitor = await visit( service );
		const id = await send( visitor.socket, 'one' );
		await send( visitor.socket, 'two' );
		const list = await agentAsk( ann, 'inbox:list', {} );
		expect( list.ok && list.data.conversations[ 0 ].unreadCount ).toBe( 2 );

		const visitorReceipt = nextEvent< ReadReceipt >(
			visitor.socket,
			'read'
		);
		await expect(
			agentAsk( ann, 'conversation:read', { conversationId: id, seq: 2 } )
		).resolves.toEqual( { ok: true, data: { unreadCount: 0 } } );
		expect( await visitorReceipt ).toEqual( {
			conversationId: id,
			reader: 'agent',
			seq: 2,
		} );

		await agentAsk( ann, 'message:send', {
			conversationId: id,
			clientId: 'a1',
			body: 'Hi there',
		} );
		const agentReceipt = nextEvent< ReadReceipt >( ann, 'read' );
		await expect(
			visitorAsk( visitor.socket, 'conversation:resume', {} )
		).resolves.toMatchObject( { ok: true, data: { unreadCount: 1 } } );
		await expect(
			visitorAsk( visitor.socket, 'conversation:read', { seq: 2 } )
		).resolves.toEqual( { ok: true, data: { unreadCount: 1 } } );
		await expect(
			visitorAsk( visitor.socket, 'conversation:read', { seq: 3 } )
		).resolves.toEqual( { ok: true, data: { unreadCount: 0 } } );
		expect( await agentReceipt ).toEqual( {
			conversationId: id,
			reader: 'visitor',
			seq: 2,
		} );
	} );

	it( 'keeps a read mark and unread count per agent; an agent’s other tabs hear their reads, other agents do not', async () => {
		const service = await startService();
		const ann = await agentAs( service, '7' );
		const annElsewhere = await agentAs( service, '7' );
		const bob = await agentAs( service, '8' );
		const visitor = await visit( service );
		const id = await send( visitor.socket, 'one' );
		await send( visitor.socket, 'two' );
		const unreadOf = async ( agent: AgentClient ) => {
			const list = await agentAsk( agent, 'inbox:list', {} );
			return list.ok
				? list.data.conversations.find( ( c ) => c.id === id )
						?.unreadCount
				: null;
		};

		const bobReads = record< ReadReceipt >( bob, 'read' );
		const annTabReads = nextEvent< ReadReceipt >( annElsewhere, 'read' );
		await expect(
			agentAsk( ann, 'conversation:read', { conversationId: id, seq: 2 } )
		).resolves.toEqual( { ok: true, data: { unreadCount: 0 } } );
		expect( await annTabReads ).toEqual( {
			conversationId: id,
			reader: 'agent',
			seq: 2,
		} );
		expect( await unreadOf( ann ) ).toBe( 0 );
		expect( await unreadOf( bob ) ).toBe( 2 );

		await send( visitor.socket, 'three' );
		expect( await unreadOf( ann ) ).toBe( 1 );
		expect( await unreadOf( bob ) ).toBe( 3 );
		await expect(
			agentAsk( bob, 'conversation:read', { conversationId: id, seq: 1 } )
		).resolves.toEqual( { ok: true, data: { unreadCount: 2 } } );
		expect( await unreadOf( ann ) ).toBe( 1 );
		await flushAgent( bob );
		expect( bobReads ).toEqual( [] );
	} );
} );

describe( 'presence and availability', () => {
	it( 'tells agents who is available or away, and visitors when availability changes', async () => {
		const service = await startService();
		await configure(
			service,
			directory(
				[ flow( { availability: { mode: 'users' } } ) ],
				[ { id: '7', capacity: 1 } ]
			)
		);
		const visitor = await visit( service );
		const states = (): VisitorAvailability[] =>
			history< VisitorAvailability >( visitor.socket, 'availability' );
		const latest = (): string | undefined =>
			states()[ states().length - 1 ]?.state;
		await until( () => states().length === 1, 'availability on connect' );
		expect( states()[ 0 ] ).toMatchObject( {
			state: 'offline',
			behaviour: expect.objectContaining( {
				whenOffline: 'show_return_time',
			} ),
		} );

		const watcher = await agentAs( service, '99' );
		const presence = record< AgentPresence >( watcher, 'agent:presence' );
		const ann = await agentAs( service, '7' );
		await until( () => latest() === 'available', 'available' );
		await agentAsk( ann, 'agent:presence', { status: 'away' } );
		await until( () => latest() === 'away', 'away' );
		await agentAsk( ann, 'agent:presence', { status: 'available' } );
		await send( visitor.socket, 'hello' );
		await until( () => latest() === 'at_capacity', 'at capacity' );
		expect( presence ).toEqual(
			expect.arrayContaining( [
				{ userId: '7', status: 'available' },
				{ userId: '7', status: 'away' },
			] )
		);
	} );
} );

describe( 'visitor events', () => {
	it( 'refuse invalid payloads, naming the field', async () => {
		const service = await startService();
		const visitor = await visit( service );
		for ( const [ event, payload, field ] of [
			[ 'typing', { typing: 'yes' }, 'typing' ],
			[ 'conversation:read', { seq: 1.5 }, 'seq' ],
			[ 'contact:email', { email: 42 }, 'email' ],
			[
				'contact:email',
				{ email: `${ 'a'.repeat( 250 ) }@x.io` },
				'email',
			],
			[ 'survey:answer', { conversationId: 'x', rating: 0 }, 'rating' ],
			[ 'survey:answer', { rating: 3 }, 'conversationId' ],
		] as const ) {
			const reply = await loose( visitor.socket )
				.timeout( 3000 )
				.emitWithAck( event, payload );
			expect( reply ).toEqual( {
				ok: false,
				error: {
					code: 'invalid_payload',
					message: expect.stringContaining( field ),
				},
			} );
		}
		expect( visitor.socket.connected ).toBe( true );
	} );

	it( 'only ever reach the visitor’s own conversation', async () => {
		const service = await startService();
		const ann = await agentAs( service, '7' );
		const owner = await visit( service );
		const id = await send( owner.socket, 'mine' );
		await agentAsk( ann, 'message:send', {
			conversationId: id,
			clientId: 'a1',
			body: 'Hello owner',
		} );
		const stranger = await visit( service );
		// The stranger has no conversation: reading and typing reach nothing.
		await expect(
			visitorAsk( stranger.socket, 'conversation:read', { seq: 2 } )
		).resolves.toMatchObject( { ok: false, error: { code: 'not_found' } } );
		await expect(
			visitorAsk( stranger.socket, 'typing', { typing: true } )
		).resolves.toMatchObject( { ok: false, error: { code: 'not_found' } } );
		// Typing an e-mail links nothing (and would link only the stranger's own).
		await visitorAsk( stranger.socket, 'contact:email', {
			email: 'stranger@example.com',
		} );
		await expect(
			service.repository.findConversation( id )
		).resolves.toMatchObject( { contactId: null, visitorReadSeq: 0 } );
		await expect(
			service.repository.countUnread( id, 'visitor' )
		).resolves.toBe( 1 );
	} );
} );

describe( 'office hours', () => {
	it( 'tells visitors when office hours begin, as time passes', async () => {
		// Monday 2026-01-12 07:59 in Copenhagen (UTC+1); hours 08:00–16:00.
		let now = Date.parse( '2026-01-12T06:59:00.000Z' );
		const service = await startService( { clock: () => new Date( now ) } );
		await configure(
			service,
			directory(
				[
					flow( {
						availability: {
							mode: 'office_hours',
							timeZone: 'Europe/Copenhagen',
							hours: [ { day: 1, start: '08:00', end: '16:00' } ],
						},
					} ),
				],
				[ { id: '7', capacity: 2 } ]
			)
		);
		await agentAs( service, '7' );
		await service.app.domain.assignment.rebalance();
		const visitor = await visit( service );
		await until(
			() => history( visitor.socket, 'availability' ).length === 1,
			'availability on connect'
		);
		expect( history( visitor.socket, 'availability' )[ 0 ] ).toMatchObject(
			{ state: 'offline', nextReturnAt: '2026-01-12T07:00:00.000Z' }
		);
		now = Date.parse( '2026-01-12T07:00:00.000Z' );
		await service.app.domain.sweeps.sweep();
		await until(
			() => history( visitor.socket, 'availability' ).length === 2,
			'availability at opening time'
		);
		expect( history( visitor.socket, 'availability' )[ 1 ] ).toMatchObject(
			{ state: 'available', nextReturnAt: null }
		);
	} );
} );

describe( 'e-mail capture', () => {
	it( 'keeps a typed address as a claim until its link is confirmed, then links the contact, case-insensitively; validates the address', async () => {
		const service = await startService();
		const first = await visit( service );
		const id = await send( first.socket, 'hello' );
		// Typed: a claim, linked to nothing until the link is confirmed.
		const typed = await visitorAsk( first.socket, 'contact:email', {
			email: '  Ann@Example.com ',
			name: 'Ann',
		} );
		expect( typed ).toEqual( {
			ok: true,
			data: { contactId: null, confirmationSent: true },
		} );
		await expect(
			service.repository.findConversation( id )
		).resolves.toMatchObject( { contactId: null } );
		const contactId = await giveAndConfirmEmail(
			service,
			first.socket,
			'  Ann@Example.com ',
			'Ann'
		);
		await expect(
			service.repository.findConversation( id )
		).resolves.toMatchObject( { contactId } );
		await expect(
			service.repository.findContact( contactId )
		).resolves.toMatchObject( { email: 'Ann@Example.com', name: 'Ann' } );

		// Before chatting: linked when the conversation opens.
		const second = await visit( service );
		await giveAndConfirmEmail( service, second.socket, 'ann@example.COM' );
		const secondId = await send( second.socket, 'me again' );
		await expect(
			service.repository.findConversation( secondId )
		).resolves.toMatchObject( { contactId } );

		const invalid = await visitorAsk( second.socket, 'contact:email', {
			email: 'not an address',
		} );
		expect( invalid ).toMatchObject( {
			ok: false,
			error: {
				code: 'invalid_payload',
				message: expect.stringContaining( 'email' ),
			},
		} );
	} );
} );

/**
 * The next occurrence of an event, or the one already received since the
 * socket connected (events sent right after connecting may precede a listener).
 *
 * @param socket The socket.
 * @param event  The event.
 */
async function nextEventOrLast< T >(
	socket: VisitorClient,
	event: string
): Promise< T > {
	const seen = lastSeen.get( socket )?.get( event );
	if ( seen !== undefined ) {
		return seen as T;
	}
	return nextEvent< T >( socket, event );
}

const lastSeen = new WeakMap< VisitorClient, Map< string, unknown > >();
const everySeen = new WeakMap< VisitorClient, Map< string, unknown[] > >();

/**
 * Every occurrence of an event since the visitor connected.
 *
 * @param socket A socket from visit().
 * @param event  The event.
 */
function history< T >( socket: VisitorClient, event: string ): T[] {
	return ( everySeen.get( socket )?.get( event ) ?? [] ) as T[];
}

/**
 * Connects a visitor, remembering the last of each event from the start.
 *
 * @param service The service.
 * @param auth    Handshake fields to change.
 */
async function visit(
	service: TestService,
	auth: Partial< VisitorHandshake > = {}
): Promise< { socket: VisitorClient; session: VisitorSession } > {
	const socket = openVisitor( service, auth );
	const seen = new Map< string, unknown >();
	const all = new Map< string, unknown[] >();
	lastSeen.set( socket, seen );
	everySeen.set( socket, all );
	socket.onAny( ( event: string, value: unknown ) => {
		seen.set( event, value );
		all.set( event, [ ...( all.get( event ) ?? [] ), value ] );
	} );
	const session = await new Promise< VisitorSession >(
		( resolve, reject ) => {
			socket.once( 'session', resolve );
			socket.once( 'connect_error', reject );
		}
	);
	return { socket, session };
}
