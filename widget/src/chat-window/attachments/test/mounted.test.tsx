/*
 * @jest-environment-options {"customExportConditions": ["require", "default"]}
 */

/**
 * Attachments and the knowledge-base tab in the window as the loader mounts
 * it, with a socket standing in for the chat service: which controls show
 * for which configuration, what goes out with a file, and how a message's
 * file shows in the conversation.
 */
import { fireEvent as domEvent, waitFor } from '@testing-library/dom';
import { act } from 'preact/test-utils';

import { type AttachmentReference } from '@chatflows/protocol';
import type { ChatWindowHost, WidgetConfig } from '../../../page-settings';
import { mount } from '../../index';
import {
	FakeSocket,
	chatflowSettings,
	settle,
	storedVisitorMessage,
	widgetConfig,
	ATTACHMENT_TEXTS,
	KNOWLEDGE_TEXTS,
} from '../../test/fixtures';
import { VisitorChat } from '../../visitor-chat';

const sockets: FakeSocket[] = [];
jest.mock( 'socket.io-client', () => ( {
	io: () => {
		const { FakeSocket: Socket } = jest.requireActual(
			'../../test/fixtures'
		);
		const socket = new Socket();
		sockets.push( socket );
		return socket;
	},
} ) );

const TOKEN = 'S'.repeat( 43 );
const REFERENCE: AttachmentReference = {
	id: 'A'.repeat( 24 ),
	name: 'photo.png',
	contentType: 'image/png',
	size: 2048,
};

function config( changes: Partial< WidgetConfig > = {} ): WidgetConfig {
	const base = widgetConfig(
		chatflowSettings( {
			knowledgeBase: {
				enabled: true,
				searchUrl:
					'http://site.test/wp-json/chatflows/v1/knowledge-base/search',
			},
			attachments: { enabled: true, maxSizeMb: 5 },
		} )
	);
	return {
		...base,
		texts: {
			...base.texts,
			attachments: ATTACHMENT_TEXTS,
			knowledge: KNOWLEDGE_TEXTS,
		},
		...changes,
	};
}

function open( widget: WidgetConfig ): ShadowRoot {
	const element = document.createElement( 'div' );
	document.body.appendChild( element );
	const root = element.attachShadow( { mode: 'open' } );
	act( () => {
		mount( root, widget, {
			onClose: jest.fn(),
		} as unknown as ChatWindowHost ).show();
	} );
	return root;
}

beforeEach( () => {
	sockets.length = 0;
	document.body.innerHTML = '';
	URL.createObjectURL = jest.fn( () => 'blob:local-1' );
	URL.revokeObjectURL = jest.fn();
} );

describe( 'the window with attachments and a knowledge base', () => {
	it( 'offers the attach button in the composer and a Help tab beside the chat', () => {
		const root = open( config() );
		expect(
			root.querySelector( '.composer button[aria-label="Attach a file"]' )
		).not.toBeNull();
		const tabs = Array.from( root.querySelectorAll( '[role="tab"]' ) ).map(
			( tab ) => tab.textContent
		);
		expect( tabs ).toEqual( [ 'Chat', 'Help' ] );

		act( () => {
			domEvent.click(
				root.querySelector( '#chatflows-tab-knowledge-base' ) as Element
			);
		} );
		const panel = root.querySelector(
			'#chatflows-panel-knowledge-base'
		) as HTMLElement;
		expect( panel.hidden ).toBe( false );
		expect(
			panel.querySelector( 'label[for="chatflows-kb-search"]' )
				?.textContent
		).toBe( 'Search help articles' );
		expect( root.querySelector( 'style' )?.textContent ).toContain(
			'.kb-results'
		);
	} );

	it( 'offers neither when the site disables attachments and the knowledge base is off', () => {
		const base = config( { disableAttachment: true } );
		const root = open( {
			...base,
			chatflow: chatflowSettings(),
		} );
		expect(
			root.querySelector( 'button[aria-label="Attach a file"]' )
		).toBeNull();
		expect( root.querySelector( '[role="tab"]' ) ).toBeNull();
	} );

	it( 'shows a message’s image in the conversation, without repeating its name as text', async () => {
		window.fetch = jest.fn().mockResolvedValue( {
			ok: true,
			status: 200,
			blob: async () => new Blob( [ 'x' ] ),
		} ) as unknown as typeof fetch;
		const root = open( config() );
		const socket = sockets[ 0 ];
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
							messages: [
								{
									conversationId: 'conv-1',
									seq: 1,
									clientId: 'c1',
									authorType: 'agent',
									authorName: 'Ann',
									body: 'photo.png',
									createdAt: '2026-01-01T00:00:00.000Z',
									attachment: REFERENCE,
								},
							],
							unreadCount: 0,
						},
					}
				: { ok: true, data: {} };
		await act( async () => {
			socket.receive( 'session', { visitorId: 'v1', token: TOKEN } );
			socket.connect();
			await settle();
		} );
		await waitFor( () =>
			expect(
				root.querySelector( 'img[alt="Image: photo.png"]' )
			).not.toBeNull()
		);
		const item = root.querySelector( '.message.agent:not(.welcome)' );
		expect( item?.textContent ).not.toContain( 'photo.pngphoto.png' );
		expect(
			( window.fetch as jest.Mock ).mock.calls[ 0 ][ 1 ].headers
				.Authorization
		).toBe( `Bearer ${ TOKEN }` );
	} );
} );

describe( 'VisitorChat with a file', () => {
	it( 'sends the file’s id with the message, and gives its session for fetching files', async () => {
		const socket = new FakeSocket( ( event, payload ) => {
			if ( event === 'message:send' ) {
				return {
					ok: true,
					data: {
						message: storedVisitorMessage( payload, {
							attachment: REFERENCE,
						} ),
					},
				};
			}
			return event === 'conversation:resume'
				? { ok: true, data: { conversation: null, messages: [] } }
				: { ok: true, data: {} };
		} );
		const chat = new VisitorChat(
			config(),
			() =>
				socket as unknown as ReturnType<
					typeof import( 'socket.io-client' ).io
				>
		);
		socket.receive( 'session', { visitorId: 'v1', token: TOKEN } );
		expect( chat.sessionToken() ).toBe( TOKEN );
		socket.connect();
		await settle();

		chat.send( 'photo.png', REFERENCE );
		await settle();

		const sent = socket.sent.filter(
			( { event } ) => event === 'message:send'
		);
		expect( sent ).toHaveLength( 1 );
		expect( sent[ 0 ].payload ).toEqual( {
			clientId: expect.any( String ),
			body: 'photo.png',
			attachmentId: REFERENCE.id,
		} );
		expect( chat.getState().messages[ 0 ].attachment ).toEqual( REFERENCE );
		expect( chat.getState().pending ).toEqual( [] );
	} );
} );
