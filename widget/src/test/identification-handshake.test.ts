/**
 * Identification reaches the service: the chat window sends the e-mail and
 * token the loader passed (from `chatflowsSettings`) in the visitor
 * handshake, and nothing of the kind otherwise.
 */
import { VisitorChat } from '../chat-window/visitor-chat';
import { FakeSocket, widgetConfig } from '../chat-window/test/fixtures';
import type { WidgetConfig } from '../page-settings';

function handshakeOf( config: WidgetConfig ): Record< string, unknown > {
	let auth: Record< string, unknown > = {};
	new VisitorChat( config, ( _url, authorize ) => {
		authorize( ( data ) => ( auth = data as Record< string, unknown > ) );
		return new FakeSocket().asVisitorSocket();
	} );
	return auth;
}

it( 'sends the identification e-mail and token in the handshake', () => {
	const auth = handshakeOf( {
		...widgetConfig(),
		identification: {
			email: 'ann@example.com',
			token: 'header.claims.signature',
		},
	} );
	expect( auth ).toMatchObject( {
		chatflowId: '42',
		identificationEmail: 'ann@example.com',
		identificationToken: 'header.claims.signature',
	} );
} );

it( 'sends neither for an anonymous visitor', () => {
	const auth = handshakeOf( widgetConfig() );
	expect( auth ).not.toHaveProperty( 'identificationEmail' );
	expect( auth ).not.toHaveProperty( 'identificationToken' );
} );

it( 'announces the contact once the service accepted the identification, once', () => {
	const socket = new FakeSocket();
	const chat = new VisitorChat(
		{
			...widgetConfig(),
			identification: { email: 'ann@example.com', token: 'signed' },
		},
		() => socket.asVisitorSocket()
	);
	const events: string[] = [];
	chat.onEvent( ( event ) => events.push( event.type ) );
	socket.receive( 'session', {
		visitorId: 'v1',
		token: 't1',
		identified: true,
	} );
	socket.receive( 'session', {
		visitorId: 'v1',
		token: 't1',
		identified: true,
	} );
	expect( events ).toEqual( [ 'contactAssociated' ] );
	expect( window.localStorage.getItem( 'chatflows:contact' ) ).toBe( '1' );
} );

it( 'announces nothing when the service did not accept it', () => {
	const socket = new FakeSocket();
	const chat = new VisitorChat( widgetConfig(), () =>
		socket.asVisitorSocket()
	);
	const events: string[] = [];
	chat.onEvent( ( event ) => events.push( event.type ) );
	socket.receive( 'session', { visitorId: 'v1', token: 't1' } );
	expect( events ).toEqual( [] );
} );
