/*
 * @jest-environment-options {"customExportConditions": ["require", "default"]}
 */

/**
 * The window mounted as the loader mounts it: in a shadow root, reporting to
 * the loader what it shows outside the window. (The export conditions above
 * load Preact's CommonJS build, which jest can run.)
 */
import { act } from 'preact/test-utils';

import type { ChatWindowHost } from '../../page-settings';
import { mount } from '../index';
import { FakeSocket, settle, widgetConfig } from './fixtures';

const sockets: FakeSocket[] = [];
jest.mock( 'socket.io-client', () => ( {
	io: () => {
		const { FakeSocket: Socket } = jest.requireActual( './fixtures' );
		const socket = new Socket();
		sockets.push( socket );
		return socket;
	},
} ) );

function host(): { [ K in keyof ChatWindowHost ]-?: jest.Mock } {
	return {
		onClose: jest.fn(),
		onAvailability: jest.fn(),
		onUnreadCount: jest.fn(),
		emit: jest.fn(),
	};
}

describe( 'mount', () => {
	beforeEach( () => {
		sockets.length = 0;
	} );

	it( 'renders into the shadow root with its styles, and shows and hides', () => {
		const element = document.createElement( 'div' );
		document.body.appendChild( element );
		const root = element.attachShadow( { mode: 'open' } );
		let handle: ReturnType< typeof mount > | undefined;
		act( () => {
			handle = mount(
				root,
				widgetConfig(),
				host() as unknown as ChatWindowHost
			);
		} );
		expect( root.querySelector( 'style' )?.textContent ).toContain(
			'.window'
		);
		const dialog = root.querySelector( '[role="dialog"]' ) as HTMLElement;
		expect( dialog.hidden ).toBe( true );
		act( () => handle?.show() );
		expect( dialog.hidden ).toBe( false );
		expect( root.activeElement?.id ).toBe( 'chatflows-message' );
		act( () => handle?.hide() );
		expect( dialog.hidden ).toBe( true );
		// Nothing of the window is in the page's own document.
		expect( document.querySelector( '[role="dialog"], style' ) ).toBeNull();
	} );

	it( 'tells the loader the availability (launcher hidden or not) and the unread count when they change', async () => {
		const element = document.createElement( 'div' );
		const root = element.attachShadow( { mode: 'open' } );
		const callbacks = host();
		act( () => {
			mount(
				root,
				widgetConfig(),
				callbacks as unknown as ChatWindowHost
			);
		} );
		const socket = sockets[ 0 ];
		expect( callbacks.onUnreadCount ).toHaveBeenCalledWith( 0 );
		const offline = {
			chatflowId: '42',
			state: 'offline',
			nextReturnAt: null,
			behaviour: {
				showTypicalReplyTime: true,
				typicalReplyTime: 'minutes',
				whenAway: 'show_away_message',
				whenOffline: 'hide_launcher',
				whenAtCapacity: 'nothing',
			},
		};
		act( () => {
			socket.receive( 'availability', offline );
			socket.receive( 'availability', offline );
		} );
		expect( callbacks.onAvailability.mock.calls ).toEqual( [
			[ { state: 'offline', hideLauncher: true } ],
		] );
		act( () => {
			socket.receive( 'availability', {
				...offline,
				state: 'available',
			} );
		} );
		expect( callbacks.onAvailability ).toHaveBeenLastCalledWith( {
			state: 'available',
			hideLauncher: false,
		} );

		socket.answer = ( event ) =>
			event === 'conversation:resume'
				? {
						ok: true,
						data: {
							conversation: {
								id: 'conv-1',
								chatflowId: '42',
								status: 'open',
								createdAt: '2026-01-01T00:00:00.000Z',
							},
							messages: [],
							unreadCount: 2,
						},
					}
				: { ok: true, data: {} };
		await act( async () => {
			socket.connect();
			await settle();
		} );
		expect( callbacks.onUnreadCount ).toHaveBeenLastCalledWith( 2 );
	} );

	it( 'shows a reloading visitor the survey of their closed conversation, as the service reports it', async () => {
		const element = document.createElement( 'div' );
		const root = element.attachShadow( { mode: 'open' } );
		let handle: ReturnType< typeof mount > | undefined;
		act( () => {
			handle = mount(
				root,
				widgetConfig(),
				host() as unknown as ChatWindowHost
			);
		} );
		sockets[ 0 ].answer = ( event ) =>
			event === 'conversation:resume'
				? {
						ok: true,
						data: {
							conversation: {
								id: 'conv-1',
								chatflowId: '42',
								status: 'closed',
								createdAt: '2026-01-01T00:00:00.000Z',
							},
							messages: [],
							unreadCount: 0,
							survey: { question: { en_US: 'Rate us!' } },
						},
					}
				: { ok: true, data: {} };
		await act( async () => {
			sockets[ 0 ].connect();
			await settle();
		} );
		act( () => handle?.show() );
		const legend = root.querySelector( 'fieldset legend' );
		expect( legend?.textContent ).toBe( 'Rate us!' );
		expect(
			root.querySelectorAll( 'fieldset input[type="radio"]' )
		).toHaveLength( 5 );
	} );
} );
