/**
 * A node that stored a visitor's first message and died before routing it:
 * the visitor's retry (the same client id, through another node) is
 * deduplicated, and what should have followed the first store happens then,
 * once: the skill rule's team, the assignment, the queue place, the team's
 * e-mail. The dead node is the narrowest real seam: the message written to
 * the repository exactly as the handler writes it, nothing after.
 */
import { randomUUID } from 'node:crypto';
import type {
	CompiledChatflow,
	ConversationSummary,
	QueuePosition,
	ServiceConfiguration,
	VisitorConversationUpdate,
} from '@chatflows/protocol';
import {
	agentAsk,
	CHATFLOW_ID,
	cleanup,
	connectAgent,
	flushAgent,
	flushVisitor,
	connectVisitor,
	PAGE_URL,
	record,
	sendMessage,
	signAgentToken,
	startService,
	until,
	visitorAsk,
	type AgentClient,
	type TestService,
	type VisitorClient,
} from './helpers';
import { chatflow } from './repository-domain';

afterEach( cleanup );

/** Sales answers pricing pages; agent 7 takes the rest. */
function configuration(): ServiceConfiguration {
	const flow: CompiledChatflow = {
		...chatflow( CHATFLOW_ID, 1 ),
		assignment: {
			enabled: true,
			userIds: [ '7' ],
			teamIds: [],
			rules: [
				{ when: { pageUrlContains: '/pricing' }, teamId: 'sales' },
			],
		},
	};
	return {
		siteUrl: 'http://localhost:8888',
		allowedOrigins: [],
		chatflows: [ flow ],
		agents: [
			{ id: '7', name: 'Ann', capacity: 5, teamIds: [], inboxIds: [] },
			{
				id: '8',
				name: 'Bob',
				capacity: 5,
				teamIds: [ 'sales' ],
				inboxIds: [],
			},
		],
		teams: [ { id: 'sales', name: 'Sales', memberIds: [] } ],
		inboxes: [],
	};
}

/**
 * Connects agent `id`.
 *
 * @param service The service.
 * @param id      The agent's WordPress user id.
 */
async function agentAs(
	service: TestService,
	id: string
): Promise< AgentClient > {
	return connectAgent( service, await signAgentToken( { subject: id } ) );
}

/**
 * The notifications stored for a conversation (due any time).
 *
 * @param service        The service.
 * @param conversationId The conversation.
 */
async function notificationsOf(
	service: TestService,
	conversationId: string
): Promise< string[] > {
	return (
		await service.repository.listDueNotifications(
			new Date( Date.now() + 86_400_000 ).toISOString(),
			100
		)
	)
		.filter(
			( pending ) =>
				pending.notification.conversationId === conversationId
		)
		.map( ( pending ) => pending.id );
}

/**
 * Stores a visitor's message as the handler does (one that opens or
 * reopens their conversation), then nothing: the node died before its
 * acknowledgement, broadcast and routing.
 *
 * @param service   The service.
 * @param visitorId The visitor.
 * @param clientId  The message's client id.
 * @return The conversation it opened.
 */
async function storeThenDie(
	service: TestService,
	visitorId: string,
	clientId: string
): Promise< string > {
	const stored = await service.repository.appendVisitorMessage( {
		visitorId,
		chatflowId: CHATFLOW_ID,
		newConversationId: randomUUID(),
		pageUrl: PAGE_URL,
		clientId,
		author: { type: 'visitor', id: visitorId, name: '' },
		body: 'How much is it?',
		createdAt: new Date().toISOString(),
		reopenClosed: true,
		ticket: {
			id: randomUUID(),
			pipeline: 'support',
			status: 'new',
			priority: 'medium',
			category: '',
			offline: false,
		},
	} );
	expect( stored.created ).toBe( true );
	return stored.conversation.id;
}

async function retry( socket: VisitorClient, clientId: string, seq = 1 ) {
	const answer = await visitorAsk( socket, 'message:send', {
		clientId,
		body: 'How much is it?',
	} );
	expect( answer ).toMatchObject( {
		ok: true,
		data: { message: { seq } },
	} );
}

it( 'routes the conversation on the retry, once: the rule’s team, then its agent', async () => {
	const service = await startService( { configuration: configuration() } );
	const ann = await agentAs( service, '7' );
	const bob = await agentAs( service, '8' );
	const bobHears = record< ConversationSummary >(
		bob,
		'conversation:updated'
	);
	const { socket, session } = await connectVisitor( service );
	const conversationId = await storeThenDie(
		service,
		session.visitorId,
		'first'
	);

	await retry( socket, 'first' );
	await until(
		async () =>
			( await service.repository.findConversation( conversationId ) )
				?.assigneeId === '8',
		'the retry to route the conversation to sales'
	);
	// Retried again (its acknowledgement lost too): nothing moves.
	await retry( socket, 'first' );
	await flushVisitor( socket );
	await flushAgent( bob );

	await expect(
		service.repository.findConversation( conversationId )
	).resolves.toMatchObject( { teamId: 'sales', assigneeId: '8' } );
	const mine = await agentAsk( bob, 'inbox:list', { view: 'mine' } );
	expect( mine.ok && mine.data.counts.mine ).toBe( 1 );
	expect(
		mine.ok && mine.data.conversations.map( ( { id } ) => id )
	).toEqual( [ conversationId ] );
	const annList = await agentAsk( ann, 'inbox:list', { view: 'mine' } );
	expect( annList.ok && annList.data.counts.mine ).toBe( 0 );
	// Bob was told it is his, and it never went anywhere else.
	const assignees = bobHears
		.filter( ( update ) => update.id === conversationId )
		.map( ( update ) => update.assigneeId );
	expect( assignees ).toContain( '8' );
	expect( assignees.filter( ( id ) => id !== '8' && id !== null ) ).toEqual(
		[]
	);
} );

it( 'places the conversation in the queue on the retry and tells the team once when nobody can take it', async () => {
	const service = await startService( { configuration: configuration() } );
	const { socket, session } = await connectVisitor( service );
	const places = record< QueuePosition >( socket, 'queue:position' );
	const conversationId = await storeThenDie(
		service,
		session.visitorId,
		'first'
	);

	await retry( socket, 'first' );
	await until(
		() =>
			places.some( ( place ) => place.conversationId === conversationId ),
		'the visitor to hear their place'
	);
	await retry( socket, 'first' );
	await flushVisitor( socket );
	await until(
		async () =>
			( await notificationsOf( service, conversationId ) ).length > 0,
		'the team’s e-mail'
	);

	expect(
		places
			.filter( ( place ) => place.conversationId === conversationId )
			.map( ( place ) => place.position )
	).toEqual( expect.arrayContaining( [ 1 ] ) );
	expect(
		places.every(
			( place ) =>
				place.conversationId !== conversationId || place.position === 1
		)
	).toBe( true );
	expect( await notificationsOf( service, conversationId ) ).toEqual( [
		`new_conversation:${ conversationId }`,
	] );
} );

it( 'tells the visitor’s other tabs on the retry that the message reopened the conversation, and keeps its agent', async () => {
	const service = await startService();
	const ann = await agentAs( service, '7' );
	const visitor = await connectVisitor( service );
	const conversationId = await sendMessage( visitor.socket, 'Hello' );
	await until(
		async () =>
			( await service.repository.findConversation( conversationId ) )
				?.assigneeId === '7',
		'the conversation assigned'
	);
	expect(
		await agentAsk( ann, 'conversation:close', { conversationId } )
	).toMatchObject( { ok: true } );
	const otherTab = await connectVisitor( service, {
		session: visitor.session.token,
	} );
	const heard = record< VisitorConversationUpdate >(
		otherTab.socket,
		'conversation:updated'
	);

	expect(
		await storeThenDie( service, visitor.session.visitorId, 'again' )
	).toBe( conversationId );
	await retry( visitor.socket, 'again', 2 );
	await until(
		() =>
			heard.some(
				( update ) =>
					update.conversation.id === conversationId &&
					update.conversation.status === 'open'
			),
		'the other tab to hear it reopened'
	);
	await expect(
		service.repository.findConversation( conversationId )
	).resolves.toMatchObject( { status: 'open', assigneeId: '7' } );
} );
