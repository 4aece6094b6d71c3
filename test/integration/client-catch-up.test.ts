/**
 * The real clients (the widget's `VisitorChat`, the inbox's
 * `InboxConnection`) against a real service, through real socket.io clients:
 * a view that missed a broadcast (its node stored the message, then died
 * before broadcasting it) fills the hole from the next live message or
 * update, and shows exactly what is stored.
 */
import type { ChatMessage } from '@chatflows/protocol';
import {
	CHATFLOW_ID,
	agentAsk,
	cleanup,
	connectAgent,
	connectVisitor,
	openVisitor,
	startService,
	until,
	visitorAsk,
	type TestService,
	type VisitorClient,
} from '../../server/test/helpers';

afterEach( cleanup );

/** What the test uses of the widget's chat (loaded untyped: the widget's own tsconfig checks it, with Preact's JSX). */
interface Chat {
	getState: () => { status: string; messages: ChatMessage[] };
	send: ( body: string ) => void;
	sessionToken: () => string | undefined;
	close: () => void;
}

const { VisitorChat } = require( '../../widget/src/chat-window/visitor-chat' );
const { InboxConnection } = require( '../../admin/src/inbox/connection' );
const { store: inboxStore } = require( '../../admin/src/inbox/store' );
const wordpressData = require( '@wordpress/data' );

/**
 * A tab of the visitor's: the real chat, its socket opened by the test (the
 * widget's handshake reads the page, which there is none of here).
 *
 * @param service The service.
 * @param session The visitor's session token (a new visitor without).
 */
function openTab( service: TestService, session?: string ): Chat {
	return new VisitorChat(
		{
			chatflowId: CHATFLOW_ID,
			serviceUrl: service.url,
			chatWindowUrl: '',
			locale: 'en_US',
		},
		(): VisitorClient => openVisitor( service, session ? { session } : {} )
	);
}

const bodies = ( messages: ChatMessage[] ) =>
	messages.map( ( message ) => `${ message.seq } ${ message.body }` );

/**
 * Stores an agent's reply as a node that died before broadcasting it.
 *
 * @param service        The service.
 * @param conversationId Conversation.
 * @param body           The reply.
 */
let unannounced = 0;
async function storeUnannounced(
	service: TestService,
	conversationId: string,
	body: string
): Promise< void > {
	await service.repository.appendMessage( {
		conversationId,
		clientId: `unannounced-${ ++unannounced }`,
		author: { type: 'agent', id: '7', name: 'Ann' },
		body,
		createdAt: new Date().toISOString(),
	} );
}

describe( 'a visitor’s second tab', () => {
	it( 'fills the hole a lost broadcast left from the next live message, and shows what is stored', async () => {
		const service = await startService();
		const first = openTab( service );
		await until(
			() => first.getState().status === 'connected',
			'the first tab'
		);
		first.send( 'Hello' );
		await until(
			() => first.getState().messages.length === 1,
			'the first message'
		);
		const [ hello ] = first.getState().messages;

		const second = openTab( service, first.sessionToken() );
		await until(
			() => second.getState().messages.length === 1,
			'the second tab caught up'
		);

		await storeUnannounced(
			service,
			hello.conversationId,
			'Stored, never broadcast'
		);
		first.send( 'Anyone there?' );
		await until(
			() => second.getState().messages.length === 3,
			'the second tab filled the hole'
		);

		const stored = await service.repository.listMessages(
			hello.conversationId,
			0
		);
		expect( bodies( stored ) ).toEqual( [
			'1 Hello',
			'2 Stored, never broadcast',
			'3 Anyone there?',
		] );
		expect( bodies( second.getState().messages ) ).toEqual(
			bodies( stored )
		);
		first.close();
		second.close();
	} );
} );

describe( 'the agent inbox', () => {
	it( 'fills the open conversation’s holes from the next live message and from its update', async () => {
		const service = await startService();
		const visitor = await connectVisitor( service );
		let sent = 0;
		const send = async ( body: string ) => {
			const answer = await visitorAsk( visitor.socket, 'message:send', {
				clientId: `visitor-${ ++sent }`,
				body,
			} );
			if ( ! answer.ok ) {
				throw new Error( answer.error.message );
			}
			return answer.data.message;
		};
		const { conversationId } = await send( 'Need help' );

		const connection = new InboxConnection(
			await connectAgent( service ),
			null
		);
		const shown = () =>
			bodies(
				wordpressData.select( inboxStore ).getMessages( conversationId )
			);
		wordpressData
			.dispatch( inboxStore )
			.selectConversation( conversationId );
		await connection.loadMessages( conversationId );
		expect( shown() ).toEqual( [ '1 Need help' ] );

		await storeUnannounced( service, conversationId, 'Lost reply' );
		await send( 'Still there?' );
		await until( () => shown().length === 3, 'the hole filled' );

		// The last message's broadcast lost, and no message follows: the
		// conversation's next update (here: closed in another tab) tells.
		await storeUnannounced( service, conversationId, 'Lost again' );
		const closed = await agentAsk(
			await connectAgent( service ),
			'conversation:close',
			{ conversationId }
		);
		expect( closed ).toMatchObject( { ok: true } );
		await until( () => shown().length === 4, 'the last message' );

		expect( shown() ).toEqual(
			bodies( await service.repository.listMessages( conversationId, 0 ) )
		);
		connection.disconnect();
	} );
} );
