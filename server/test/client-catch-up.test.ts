/**
 * The widget's real chat client (`VisitorChat`) against a real service,
 * through real socket.io clients: a tab that missed a broadcast (its node
 * stored the message, then died before broadcasting it) fills the hole from
 * the next live message, and shows exactly what is stored.
 */
import type { ChatMessage } from '../src/contract/events';
import {
	CHATFLOW_ID,
	cleanup,
	openVisitor,
	startService,
	until,
	type TestService,
	type VisitorClient,
} from './helpers';

afterEach( cleanup );

/** What the test uses of the widget's chat (browser code: loaded untyped, the service's tests type-check without the DOM). */
interface Chat {
	getState: () => { status: string; messages: ChatMessage[] };
	send: ( body: string ) => void;
	sessionToken: () => string | undefined;
	close: () => void;
}

const { VisitorChat } = require( '../../widget/src/chat-window/visitor-chat' );

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

		// Stored by a node that died before broadcasting it.
		await service.repository.appendMessage( {
			conversationId: hello.conversationId,
			clientId: 'agent-reply',
			author: { type: 'agent', id: '7', name: 'Ann' },
			body: 'Stored, never broadcast',
			createdAt: new Date().toISOString(),
		} );
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
