/**
 * The inbox's reply outbox (admin/src/inbox: `InboxConnection` and its
 * store) against a real service through a real socket.io client: a reply
 * whose acknowledgement is lost is sent again by itself with the same client
 * id, on the open connection after the acknowledgement times out and after
 * a dropped connection comes back; the service stores it once and the inbox
 * shows it once.
 */
import type { ChatMessage } from '@chatflows/protocol';
import {
	type AgentClient,
	cleanup,
	connectAgent,
	connectVisitor,
	sendMessage,
	startService,
	type TestService,
	until,
} from '../../server/test/helpers';

afterEach( cleanup );

const { InboxConnection } = require( '../../admin/src/inbox/connection' );
const { store: inboxStore } = require( '../../admin/src/inbox/store' );
const { createRegistry } = require( '@wordpress/data' );

/** The acknowledgement timeout, shortened for the test (the inbox waits 10 s). */
const ACK_MS = 500;

/**
 * An agent socket that loses the next `lose` acknowledgements of
 * `message:send` (the service stored the reply; the answer never came), and
 * records the client ids sent.
 *
 * @param socket The connected agent socket.
 * @param lose   How many acknowledgements to lose.
 * @param after  Called after losing one (e.g. to drop the connection too).
 */
function losingAcks( socket: AgentClient, lose: number, after = () => {} ) {
	const sent: string[] = [];
	socket.onAnyOutgoing( ( event: string, payload: { clientId?: string } ) => {
		if ( event === 'message:send' && payload.clientId ) {
			sent.push( payload.clientId );
		}
	} );
	const timeout = socket.timeout.bind( socket );
	( socket as { timeout: unknown } ).timeout = () => timeout( ACK_MS );
	const loose = socket as unknown as {
		onack: ( packet: { data: unknown[] } ) => void;
	};
	const onack = loose.onack.bind( socket );
	loose.onack = ( packet ) => {
		const [ answer ] = packet.data as Array< {
			data?: { message?: ChatMessage };
		} >;
		if ( lose > 0 && answer?.data?.message?.authorType === 'agent' ) {
			lose--;
			after();
			return;
		}
		onack( packet );
	};
	return sent;
}

/**
 * An inbox on its own registry (as each page has its own).
 *
 * @param socket The agent's socket.
 */
function inbox( socket: AgentClient ) {
	const registry = createRegistry();
	registry.register( inboxStore );
	const connection = new InboxConnection( socket, null, undefined, {
		select: registry.select,
		dispatch: registry.dispatch,
	} );
	return {
		connection,
		shown: ( conversationId: string ): ChatMessage[] =>
			registry.select( inboxStore ).getMessages( conversationId ),
		waiting: ( conversationId: string ): unknown[] =>
			registry.select( inboxStore ).getPendingReplies( conversationId ),
	};
}

async function conversationWithVisitor(
	service: TestService
): Promise< string > {
	const { socket } = await connectVisitor( service );
	return sendMessage( socket, 'Hello?' );
}

/**
 * Replies through the inbox and checks the outcome: sent twice with one
 * client id, stored once after the visitor's message, shown once, the
 * outbox empty.
 *
 * @param service        The service.
 * @param conversationId The visitor's conversation.
 * @param socket         The agent's socket.
 * @param sent           The client ids sent (see `losingAcks`).
 * @param body           The reply.
 */
async function replyStoredOnce(
	service: TestService,
	conversationId: string,
	socket: AgentClient,
	sent: string[],
	body: string
): Promise< void > {
	const { connection, shown, waiting } = inbox( socket );
	const answer = await connection.reply( conversationId, body );

	expect( answer ).toMatchObject( { ok: true } );
	expect( sent ).toHaveLength( 2 );
	expect( new Set( sent ).size ).toBe( 1 );
	const stored = await service.repository.listMessages( conversationId, 0 );
	expect( stored.map( ( m ) => `${ m.seq } ${ m.body }` ) ).toEqual( [
		'1 Hello?',
		`2 ${ body }`,
	] );
	await until(
		() => shown( conversationId ).length === 1,
		'the reply shown'
	);
	expect( shown( conversationId ) ).toEqual( [ stored[ 1 ] ] );
	expect( waiting( conversationId ) ).toEqual( [] );
	connection.disconnect();
}

it( 'sends a reply again by itself when its acknowledgement times out, stores and shows it once', async () => {
	const service = await startService();
	const conversationId = await conversationWithVisitor( service );
	const socket = await connectAgent( service );
	const sent = losingAcks( socket, 1 );
	await replyStoredOnce(
		service,
		conversationId,
		socket,
		sent,
		'Hi, how can I help?'
	);
} );

it( 'sends a reply again on reconnecting when the connection dropped before its acknowledgement', async () => {
	const service = await startService();
	const conversationId = await conversationWithVisitor( service );
	const socket = await connectAgent( service );
	// The answer lost with the connection: the service stored the reply.
	// The socket reconnects as the inbox's does.
	socket.io.reconnection( true ).reconnectionDelay( 100 );
	const sent = losingAcks( socket, 1, () => socket.io.engine.close() );
	await replyStoredOnce(
		service,
		conversationId,
		socket,
		sent,
		'Back again'
	);
} );
