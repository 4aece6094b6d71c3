/**
 * The admin's preview chat: connected at once, never to the service, and
 * what the visitor types stays in the window.
 */
import { PreviewChat } from '../src/chat-window/preview-chat';

jest.mock( 'socket.io-client', () => ( {
	io: () => {
		throw new Error( 'The preview must not connect.' );
	},
} ) );

describe( 'PreviewChat', () => {
	it( 'is connected, with no messages', () => {
		expect( new PreviewChat().getState() ).toMatchObject( {
			status: 'connected',
			messages: [],
			pending: [],
			error: null,
		} );
	} );

	it( 'shows what the visitor sends, in order, and tells listeners', () => {
		const chat = new PreviewChat();
		const listener = jest.fn();
		const unsubscribe = chat.subscribe( listener );

		chat.send( '  Hello  ' );
		chat.send( '   ' );
		chat.send( '<b>second</b>' );
		unsubscribe();
		chat.send( 'third' );

		expect(
			chat
				.getState()
				.messages.map( ( message ) => [
					message.seq,
					message.authorType,
					message.body,
				] )
		).toEqual( [
			[ 1, 'visitor', 'Hello' ],
			[ 2, 'visitor', '<b>second</b>' ],
			[ 3, 'visitor', 'third' ],
		] );
		expect( listener ).toHaveBeenCalledTimes( 2 );
	} );
} );
