/**
 * The inbox's service side end to end: a real service, real socket.io
 * clients, a real SQLite file. Views and counts, search and scoping, the
 * visitor's context, tickets, the custom-branding alias, presence kept
 * across reconnects and the waiting counts WordPress shows in its menu.
 */
import { SignJWT } from 'jose';
import type {
	ChatMessage,
	CompiledChatflow,
	ConversationContext,
	ConversationSummary,
	ServiceConfiguration,
	TicketDetails,
	VisitorHandshake,
} from '@chatflows/protocol';
import {
	agentAsk,
	cleanup,
	connectVisitor,
	giveAndConfirmEmail,
	loose,
	nextEvent,
	openAgent,
	record,
	SECRET,
	startService,
	visitorAsk,
	WAIT_MS,
	type AgentClient,
	type TestService,
	type VisitorClient,
	until,
	sendMessage as send,
	startWaitingCountsReceiver,
} from './helpers';
import { chatflow } from './repository-domain';

afterEach( cleanup );

const SUPPORT_INBOX = 'inbox-support';
const SALES_INBOX = 'inbox-sales';

function configuration(
	overrides: Partial< ServiceConfiguration > = {}
): ServiceConfiguration {
	const flow = (
		id: string,
		inboxId: string,
		more: Partial< CompiledChatflow > = {}
	): CompiledChatflow => ( {
		...chatflow( id, 1, id === 'support' ? 'Support chat' : 'Sales chat' ),
		inboxId,
		assignment: { enabled: false, userIds: [], teamIds: [], rules: [] },
		...more,
	} );
	return {
		siteUrl: 'http://localhost:8888',
		allowedOrigins: [],
		chatflows: [
			flow( 'support', SUPPORT_INBOX ),
			flow( 'sales', SALES_INBOX ),
		],
		agents: [
			{
				id: '7',
				name: 'Ann',
				capacity: 2,
				teamIds: [],
				inboxIds: [ SUPPORT_INBOX ],
			},
			{
				id: '8',
				name: 'Bob',
				capacity: 1,
				teamIds: [ 'team-sales' ],
				inboxIds: [ SALES_INBOX ],
			},
		],
		teams: [ { id: 'team-sales', name: 'Sales team', memberIds: [ '8' ] } ],
		inboxes: [
			{ id: SUPPORT_INBOX, name: 'Support' },
			{ id: SALES_INBOX, name: 'Sales' },
		],
		...overrides,
	};
}

async function agentToken(
	id: string,
	claims: Record< string, unknown > = {}
): Promise< string > {
	const now = Math.floor( Date.now() / 1000 );
	return new SignJWT( {
		name: id === '7' ? 'Ann' : 'Bob',
		caps: [ 'chatflows_answer' ],
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
 * Ann works in the support inbox, Bob in sales (and its team).
 * @param service
 * @param id
 * @param handshake
 */
async function agent(
	service: TestService,
	id: '7' | '8',
	handshake: Record< string, unknown > = {}
): Promise< AgentClient > {
	const socket = openAgent( service, {
		token: await agentToken(
			id,
			id === '7'
				? { inboxes: [ SUPPORT_INBOX ], teams: [] }
				: { inboxes: [ SALES_INBOX ], teams: [ 'team-sales' ] }
		),
		...handshake,
	} );
	await new Promise< void >( ( resolve, reject ) => {
		socket.once( 'connect', resolve );
		socket.once( 'connect_error', reject );
	} );
	return socket;
}

async function configured(
	overrides: Partial< ServiceConfiguration > = {}
): Promise< TestService > {
	const service = await startService();
	await service.app.configuration.replace( configuration( overrides ) );
	return service;
}

async function visitorOn(
	service: TestService,
	auth: Partial< VisitorHandshake > & Record< string, unknown > = {}
): Promise< VisitorClient > {
	return (
		await connectVisitor( service, auth as Partial< VisitorHandshake > )
	).socket;
}

describe( 'inbox views', () => {
	it( 'lists each view within the agent’s inboxes, with counts, and searches e-mail and text', async () => {
		const service = await configured();
		const first = await visitorOn( service );
		const firstId = await send( first, 'Where is my invoice?' );
		const second = await visitorOn( service );
		const secondId = await send( second, 'Hello there' );
		await giveAndConfirmEmail(
			service,
			second,
			'Carla@Example.com',
			'Carla'
		);
		const sales = await visitorOn( service, { chatflowId: 'sales' } );
		const salesId = await send( sales, 'A sales question' );

		const ann = await agent( service, '7' );
		await agentAsk( ann, 'conversation:claim', {
			conversationId: secondId,
		} );

		const open = await agentAsk( ann, 'inbox:list', {} );
		expect( open.ok && open.data.counts ).toEqual( {
			unassigned: 1,
			mine: 1,
			open: 2,
			closed: 0,
		} );
		// The sales inbox is not Ann's.
		expect(
			open.ok && open.data.conversations.map( ( c ) => c.id ).sort()
		).toEqual( [ firstId, secondId ].sort() );

		const mine = await agentAsk( ann, 'inbox:list', { view: 'mine' } );
		expect( mine.ok && mine.data.conversations ).toEqual( [
			expect.objectContaining( {
				id: secondId,
				assigneeId: '7',
				visitorEmail: 'Carla@Example.com',
				visitorName: 'Carla',
				waitingSince: expect.any( String ),
			} ),
		] );

		const byText = await agentAsk( ann, 'inbox:list', {
			search: 'INVOICE',
		} );
		expect(
			byText.ok && byText.data.conversations.map( ( c ) => c.id )
		).toEqual( [ firstId ] );
		const byEmail = await agentAsk( ann, 'inbox:list', {
			search: 'carla@example',
		} );
		expect(
			byEmail.ok && byEmail.data.conversations.map( ( c ) => c.id )
		).toEqual( [ secondId ] );

		const bob = await agent( service, '8' );
		const bobs = await agentAsk( bob, 'inbox:list', {} );
		expect(
			bobs.ok && bobs.data.conversations.map( ( c ) => c.id )
		).toEqual( [ salesId ] );
	} );

	it( 'refuses a bad query naming the field, and an inbox that is not the agent’s', async () => {
		const service = await configured();
		const ann = await agent( service, '7' );
		for ( const [ payload, field ] of [
			[ { view: 'everything' }, 'view' ],
			[ { search: 'x'.repeat( 201 ) }, 'search' ],
			[ { limit: 0 }, 'limit' ],
			[ { inboxId: SALES_INBOX }, 'inboxId' ],
		] as const ) {
			const response = await loose( ann )
				.timeout( WAIT_MS )
				.emitWithAck( 'inbox:list', payload );
			expect( response ).toEqual( {
				ok: false,
				error: {
					code: 'invalid_payload',
					message: expect.stringContaining( `${ field }:` ),
				},
			} );
		}
		const own = await agentAsk( ann, 'inbox:list', {
			inboxId: SUPPORT_INBOX,
		} );
		expect( own.ok ).toBe( true );
	} );

	it( 'gives the agent, the agents with presence and capacity, teams and their inboxes', async () => {
		const service = await configured();
		const ann = await agent( service, '7' );
		const bob = await agent( service, '8', { presence: 'away' } );
		const directory = await agentAsk( ann, 'inbox:directory', {} );
		expect( directory ).toEqual( {
			ok: true,
			data: {
				me: { id: '7', name: 'Ann', capacity: 2, status: 'available' },
				agents: [
					{ id: '7', name: 'Ann', capacity: 2, status: 'available' },
					{ id: '8', name: 'Bob', capacity: 1, status: 'away' },
				],
				teams: [ { id: 'team-sales', name: 'Sales team' } ],
				inboxes: [ { id: SUPPORT_INBOX, name: 'Support' } ],
			},
		} );
		bob.disconnect();
	} );
} );

describe( 'presence', () => {
	it( 'keeps an agent who reconnects away out of assignment from the first moment', async () => {
		const service = await configured( {
			chatflows: [
				{
					...chatflow( 'support', 1 ),
					inboxId: SUPPORT_INBOX,
					assignment: {
						enabled: true,
						userIds: [ '7' ],
						teamIds: [],
						rules: [],
					},
				},
			],
		} );
		const ann = await agent( service, '7', { presence: 'away' } );
		const visitor = await visitorOn( service );
		const id = await send( visitor, 'Anyone?' );
		await service.app.domain.assignment.rebalance();
		expect(
			( await service.repository.findConversation( id ) )?.assigneeId
		).toBeNull();

		const assigned = record< ConversationSummary >(
			ann,
			'conversation:updated'
		);
		await agentAsk( ann, 'agent:presence', { status: 'available' } );
		await until(
			() => assigned.some( ( c ) => c.id === id && c.assigneeId === '7' ),
			'the conversation assigned once Ann is available'
		);
	} );
} );

describe( 'visitor context', () => {
	it( 'shows the start page, the current page, referrer, time zone, language and device; drops what is invalid', async () => {
		const service = await configured();
		const visitor = await connectVisitor( service, {
			pageUrl: 'http://localhost:8888/pricing/',
			pageTitle: 'Pricing\n<b>plans</b>',
			referrer: 'https://search.example/?q=chat',
			timeZone: 'Europe/Copenhagen',
			language: 'da-DK',
			deviceType: 'mobile',
		} );
		const id = await send( visitor.socket, 'Hi' );
		const ann = await agent( service, '7' );

		const context = async (): Promise< ConversationContext > => {
			const response = await agentAsk( ann, 'conversation:context', {
				conversationId: id,
			} );
			if ( ! response.ok ) {
				throw new Error( response.error.message );
			}
			return response.data;
		};
		expect( await context() ).toEqual( {
			conversationId: id,
			visitor: {
				startPage: {
					url: 'http://localhost:8888/pricing/',
					title: 'Pricing <b>plans</b>',
				},
				currentPage: {
					url: 'http://localhost:8888/pricing/',
					title: 'Pricing <b>plans</b>',
				},
				referrer: 'https://search.example/?q=chat',
				timeZone: 'Europe/Copenhagen',
				language: 'da-dk',
				deviceType: 'mobile',
				online: true,
			},
			chatflowName: 'Support chat',
			contact: null,
			claim: null,
			earlier: [],
			ticket: expect.objectContaining( {
				conversationId: id,
				state: 'open',
			} ),
			survey: null,
			consents: [],
		} );

		// The page changes without a new connection…
		await expect(
			visitorAsk( visitor.socket, 'visitor:page', {
				pageUrl: 'http://localhost:8888/features/',
				pageTitle: 'Features',
			} )
		).resolves.toEqual( { ok: true, data: {} } );
		expect( ( await context() ).visitor.currentPage ).toEqual( {
			url: 'http://localhost:8888/features/',
			title: 'Features',
		} );
		await expect(
			loose( visitor.socket )
				.timeout( WAIT_MS )
				.emitWithAck( 'visitor:page', {
					pageUrl: 'javascript:alert(1)',
				} )
		).resolves.toEqual( {
			ok: false,
			error: {
				code: 'invalid_payload',
				message: expect.stringContaining( 'pageUrl:' ),
			},
		} );

		// …and with one: a new page load in another tab, with junk beside it.
		visitor.socket.disconnect();
		await until(
			async () => ! ( await context() ).visitor.online,
			'the visitor offline'
		);
		await connectVisitor( service, {
			session: visitor.session.token,
			pageUrl: 'http://localhost:8888/contact/',
			pageTitle: 'Contact',
			referrer: 'javascript:alert(1)',
			timeZone: 'Not/AZone',
			deviceType: 'fridge',
		} as unknown as Partial< VisitorHandshake > );
		await until(
			async () =>
				( await context() ).visitor.currentPage?.url ===
				'http://localhost:8888/contact/',
			'the current page moved'
		);
		const after = await context();
		expect( after.visitor ).toMatchObject( {
			startPage: { url: 'http://localhost:8888/pricing/' },
			online: true,
		} );
	} );

	it( 'refuses a conversation outside the agent’s inboxes as if it did not exist', async () => {
		const service = await configured();
		const sales = await visitorOn( service, { chatflowId: 'sales' } );
		const id = await send( sales, 'Hi' );
		const ann = await agent( service, '7' );
		await expect(
			agentAsk( ann, 'conversation:context', { conversationId: id } )
		).resolves.toMatchObject( { ok: false, error: { code: 'not_found' } } );
		await expect(
			agentAsk( ann, 'ticket:update', {
				conversationId: id,
				properties: { status: 'x' },
			} )
		).resolves.toMatchObject( { ok: false, error: { code: 'not_found' } } );
		// Nor can she read, answer, take or close it.
		for ( const [ event, payload ] of [
			[ 'conversation:messages', { conversationId: id } ],
			[
				'message:send',
				{ conversationId: id, clientId: 'a1', body: 'Hi' },
			],
			[ 'conversation:claim', { conversationId: id } ],
			[ 'conversation:close', { conversationId: id } ],
			[ 'conversation:read', { conversationId: id, seq: 1 } ],
		] as const ) {
			await expect(
				loose( ann ).timeout( WAIT_MS ).emitWithAck( event, payload )
			).resolves.toMatchObject( {
				ok: false,
				error: { code: 'not_found' },
			} );
		}
		await expect(
			service.repository.listMessages( id, 0 )
		).resolves.toHaveLength( 1 );
		expect(
			( await service.repository.findConversation( id ) )?.status
		).toBe( 'open' );
		// Bob, of the sales inbox, can; Ann's own events keep their order.
		const bob = await agent( service, '8' );
		await expect(
			agentAsk( bob, 'conversation:messages', { conversationId: id } )
		).resolves.toMatchObject( { ok: true } );
		const mine = await send( await visitorOn( service ), 'Mine' );
		const replies = await Promise.all(
			[ 'one', 'two', 'three' ].map( ( body, index ) =>
				agentAsk( ann, 'message:send', {
					conversationId: mine,
					clientId: `r${ index }`,
					body,
				} )
			)
		);
		expect(
			replies.map( ( reply ) => reply.ok && reply.data.message.seq )
		).toEqual( [ 2, 3, 4 ] );
	} );

	it( 'lists the same contact’s earlier conversations and the survey answer', async () => {
		const service = await configured();
		const visitor = await connectVisitor( service );
		const firstId = await send( visitor.socket, 'First' );
		const ann = await agent( service, '7' );
		await agentAsk( ann, 'conversation:close', {
			conversationId: firstId,
		} );
		const answered = nextEvent( ann, 'survey:answered' );
		await visitorAsk( visitor.socket, 'survey:answer', {
			conversationId: firstId,
			rating: 4,
			comment: 'Quick',
		} );
		await answered;
		await giveAndConfirmEmail(
			service,
			visitor.socket,
			'dana@example.com'
		);
		// Another browser, the same person.
		const other = await connectVisitor( service );
		await giveAndConfirmEmail( service, other.socket, 'DANA@example.com' );
		const secondId = await send( other.socket, 'Second' );

		const second = await agentAsk( ann, 'conversation:context', {
			conversationId: secondId,
		} );
		expect( second.ok && second.data.contact ).toMatchObject( {
			email: 'dana@example.com',
		} );
		expect( second.ok && second.data.earlier.map( ( c ) => c.id ) ).toEqual(
			[ firstId ]
		);
		const first = await agentAsk( ann, 'conversation:context', {
			conversationId: firstId,
		} );
		expect( first.ok && first.data.survey ).toEqual( {
			conversationId: firstId,
			rating: 4,
			comment: 'Quick',
			answeredAt: expect.any( String ),
		} );
	} );
} );

describe( 'tickets', () => {
	it( 'changes properties, tells every agent, and refuses bad values naming the field with nothing saved', async () => {
		const service = await configured();
		const visitor = await visitorOn( service );
		const id = await send( visitor, 'Hi' );
		const ann = await agent( service, '7' );
		const other = await agent( service, '7' );
		const heard = nextEvent< TicketDetails >( other, 'ticket:updated' );

		const updated = await agentAsk( ann, 'ticket:update', {
			conversationId: id,
			properties: { status: ' waiting on customer ', priority: 'urgent' },
		} );
		expect( updated ).toEqual( {
			ok: true,
			data: {
				ticket: expect.objectContaining( {
					conversationId: id,
					status: 'waiting on customer',
					priority: 'urgent',
					pipeline: 'support',
				} ),
			},
		} );
		expect( await heard ).toMatchObject( {
			status: 'waiting on customer',
		} );

		for ( const [ properties, field ] of [
			[ { priority: 'whenever' }, 'properties.priority' ],
			[ { pipeline: '' }, 'properties.pipeline' ],
			[ { status: 'x'.repeat( 101 ) }, 'properties.status' ],
			[ { status: 'ok', owner: '8' }, 'properties' ],
			[ {}, 'properties' ],
		] as const ) {
			const response = await loose( ann )
				.timeout( WAIT_MS )
				.emitWithAck( 'ticket:update', {
					conversationId: id,
					properties,
				} );
			expect( response ).toEqual( {
				ok: false,
				error: {
					code: 'invalid_payload',
					message: expect.stringContaining( `${ field }:` ),
				},
			} );
		}
		await expect(
			service.repository.findTicket( id )
		).resolves.toMatchObject( {
			status: 'waiting on customer',
			priority: 'urgent',
		} );
	} );
} );

describe( 'custom branding alias', () => {
	it( 'shows visitors the alias as the author of agents’ messages; agents see who wrote', async () => {
		const service = await configured( {
			chatflows: [
				{
					...chatflow( 'support', 1 ),
					inboxId: SUPPORT_INBOX,
					alias: 'Acme Support',
				},
			],
		} );
		const visitor = await connectVisitor( service );
		const id = await send( visitor.socket, 'Hi' );
		const ann = await agent( service, '7' );
		// Bob's token names no inboxes, so he hears the support inbox's messages too.
		const bob = await agent( service, '8', {
			token: await agentToken( '8' ),
		} );
		const toVisitor = nextEvent< ChatMessage >(
			visitor.socket,
			'message:new'
		);
		const toBob = nextEvent< ChatMessage >( bob, 'message:new' );
		const sent = await agentAsk( ann, 'message:send', {
			conversationId: id,
			clientId: 'a1',
			body: 'Hello from Ann',
		} );
		expect( sent.ok && sent.data.message.authorName ).toBe( 'Ann' );
		expect( ( await toVisitor ).authorName ).toBe( 'Acme Support' );
		expect( ( await toBob ).authorName ).toBe( 'Ann' );

		const resumed = await visitorAsk(
			visitor.socket,
			'conversation:resume',
			{}
		);
		expect(
			resumed.ok &&
				resumed.data.messages.map( ( m ) => [
					m.authorType,
					m.authorName,
				] )
		).toEqual( [
			[ 'visitor', '' ],
			[ 'agent', 'Acme Support' ],
		] );
		const history = await agentAsk( ann, 'conversation:messages', {
			conversationId: id,
		} );
		expect( history.ok && history.data.messages[ 1 ].authorName ).toBe(
			'Ann'
		);
	} );

	it( 'shows the agent’s own name when the chatflow has no alias', async () => {
		const service = await configured();
		const visitor = await connectVisitor( service );
		const id = await send( visitor.socket, 'Hi' );
		const ann = await agent( service, '7' );
		const toVisitor = nextEvent< ChatMessage >(
			visitor.socket,
			'message:new'
		);
		await agentAsk( ann, 'message:send', {
			conversationId: id,
			clientId: 'a1',
			body: 'Hello',
		} );
		expect( ( await toVisitor ).authorName ).toBe( 'Ann' );
	} );
} );

describe( 'waiting counts for WordPress’s menu', () => {
	it( 'sends each agent’s count, signed, whenever it changes', async () => {
		const wordpress = await startWaitingCountsReceiver();
		const { received } = wordpress;
		try {
			const service = await startService( {
				deps: {
					wordpressUrl: wordpress.url,
					waitingCountsIntervalMs: 50,
				},
			} );
			await service.app.configuration.replace( configuration() );
			await until(
				() => received.some( ( counts ) => counts[ '7' ] === 0 ),
				'the first counts'
			);
			const visitor = await visitorOn( service );
			const id = await send( visitor, 'Hi' );
			await until(
				() =>
					received.at( -1 )?.[ '7' ] === 1 &&
					received.at( -1 )?.[ '8' ] === 0,
				'Ann’s count: one unassigned in her inbox'
			);
			const ann = await agent( service, '7' );
			await agentAsk( ann, 'conversation:claim', { conversationId: id } );
			await agentAsk( ann, 'message:send', {
				conversationId: id,
				clientId: 'a1',
				body: 'Hello',
			} );
			await until(
				() => received.at( -1 )?.[ '7' ] === 0,
				'nothing waits once Ann answered'
			);
			const before = received.length;
			await send( visitor, 'Thanks, one more thing' );
			await until(
				() => received.at( -1 )?.[ '7' ] === 1,
				'waiting again after the visitor wrote'
			);
			expect( received.length ).toBe( before + 1 );
		} finally {
			await wordpress.close();
		}
	} );
} );
