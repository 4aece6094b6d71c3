/*
 * @jest-environment-options {"customExportConditions": ["require", "default"]}
 */

/**
 * What the loader asks of the chat window beyond showing and hiding it: an
 * inline embed fills its element and cannot be closed, and `destroy()` (for
 * `widget.remove()`, `refresh()` and `clear()`) disconnects and unmounts.
 * (The export conditions above load Preact's CommonJS build.)
 */
import { act } from 'preact/test-utils';

import type { ChatWindowHost } from '../page-settings';
import { mount } from '../chat-window/index';
import { FakeSocket, widgetConfig } from '../chat-window/test/fixtures';

const sockets: Array< FakeSocket & { disconnect?: jest.Mock } > = [];
jest.mock( 'socket.io-client', () => ( {
	io: () => {
		const { FakeSocket: Socket } = jest.requireActual(
			'../chat-window/test/fixtures'
		);
		const socket = new Socket();
		socket.disconnect = jest.fn();
		sockets.push( socket );
		return socket;
	},
} ) );

const host = { onClose: jest.fn() } as ChatWindowHost;

function shadowRoot(): ShadowRoot {
	const element = document.createElement( 'div' );
	document.body.appendChild( element );
	return element.attachShadow( { mode: 'open' } );
}

beforeEach( () => {
	sockets.length = 0;
	document.body.innerHTML = '';
} );

it( "embedded: fills its element, in the page's flow, with no close button", () => {
	const root = shadowRoot();
	act( () => {
		mount( root, { ...widgetConfig(), embedded: true }, host ).show();
	} );
	expect( root.querySelector( 'style' )?.textContent ).toMatch(
		/\.window\{position:relative;[^}]*width:100%;[^}]*height:100%/
	);
	expect( root.querySelector( '.close' ) ).toBeNull();
} );

it( 'floating: keeps its close button and its floating position', () => {
	const root = shadowRoot();
	act( () => {
		mount( root, widgetConfig(), host ).show();
	} );
	expect( root.querySelector( 'style' )?.textContent ).not.toContain(
		'position:relative;inset:auto'
	);
	expect( root.querySelector( '.close' ) ).not.toBeNull();
} );

it( 'destroy() disconnects from the service and leaves nothing in the shadow root', () => {
	const root = shadowRoot();
	let handle: ReturnType< typeof mount > | undefined;
	act( () => {
		handle = mount( root, widgetConfig(), host );
		handle.show();
	} );
	expect( root.querySelector( '[role="dialog"]' ) ).not.toBeNull();
	act( () => handle!.destroy!() );
	expect( sockets[ 0 ].disconnect ).toHaveBeenCalledTimes( 1 );
	expect( root.childNodes ).toHaveLength( 0 );
} );
