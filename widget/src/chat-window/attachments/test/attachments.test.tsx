/*
 * @jest-environment-options {"customExportConditions": ["require", "default"]}
 */

/**
 * Attachments in the chat window, in jsdom with a fetch standing in for the
 * chat service: what the visitor may choose, what is uploaded with which
 * credentials, what is sent, and how a message's file shows.
 */
import { fireEvent as domEvent, screen, waitFor } from '@testing-library/dom';
import { render } from 'preact';
import { act } from 'preact/test-utils';

import {
	type AttachmentReference,
	type ChatMessage,
} from '@chatflows/protocol';
import type { WidgetConfig } from '../../../page-settings';
import { ATTACHMENT_TEXTS } from '../../test/fixtures';
import type { ChatWindowContext } from '../../extensions';
import type { ChatController } from '../../visitor-chat';
import { MessageAttachment, attachAction, hasOwnText } from '../index';
import { checkFile, formatSize } from '../upload';

const TEXTS = ATTACHMENT_TEXTS;

const SERVICE = 'http://chat.example.test';
const TOKEN = 'T'.repeat( 43 );

function config( changes: Partial< WidgetConfig > = {} ): WidgetConfig {
	return {
		chatflowId: '42',
		serviceUrl: SERVICE,
		chatWindowUrl: '',
		locale: 'en_US',
		texts: { attachments: TEXTS } as WidgetConfig[ 'texts' ],
		chatflow: {
			language: 'en_US',
			attachments: { enabled: true, maxSizeMb: 1 },
		} as WidgetConfig[ 'chatflow' ],
		...changes,
	};
}

const REFERENCE: AttachmentReference = {
	id: 'A'.repeat( 24 ),
	name: 'photo.png',
	contentType: 'image/png',
	size: 2048,
};

let container: HTMLElement;
let fetchMock: jest.Mock;
let sent: Array< [ string, AttachmentReference | undefined ] >;

function context( changes: Partial< WidgetConfig > = {} ): ChatWindowContext {
	const chat = {
		send: ( body: string, attachment?: AttachmentReference ) =>
			sent.push( [ body, attachment ] ),
		sessionToken: () => TOKEN,
	};
	return {
		chat: chat as unknown as ChatController,
		config: config( changes ),
	};
}

function show( node: preact.ComponentChildren ) {
	act( () => {
		render( <div>{ node }</div>, container );
	} );
}

async function choose( file: File ) {
	const input = container.querySelector(
		'input[type="file"]'
	) as HTMLInputElement;
	Object.defineProperty( input, 'files', {
		value: [ file ],
		configurable: true,
	} );
	await act( async () => {
		domEvent.change( input );
	} );
}

function respond( status: number, body: unknown ) {
	return {
		ok: status >= 200 && status < 300,
		status,
		json: async () => body,
		blob: async () => new Blob( [ 'x' ], { type: 'image/png' } ),
	};
}

beforeEach( () => {
	container = document.createElement( 'div' );
	document.body.appendChild( container );
	sent = [];
	fetchMock = jest.fn();
	window.fetch = fetchMock as unknown as typeof fetch;
	URL.createObjectURL = jest.fn( () => 'blob:local-1' );
	URL.revokeObjectURL = jest.fn();
} );

afterEach( () => {
	act( () => render( null, container ) );
	container.remove();
} );

describe( 'the attach button', () => {
	it( 'is a labelled button that opens a picker of images and PDFs', () => {
		show( attachAction( context() ) );
		const button = screen.getByRole( 'button', { name: 'Attach a file' } );
		const input = container.querySelector(
			'input[type="file"]'
		) as HTMLInputElement;
		expect( input.accept ).toBe(
			'image/png,image/jpeg,image/gif,image/webp,application/pdf'
		);
		const picked = jest.spyOn( input, 'click' );
		act( () => void domEvent.click( button ) );
		expect( picked ).toHaveBeenCalled();
	} );

	it.each( [
		[ 'the site turned attachments off', { disableAttachment: true } ],
		[
			'the chatflow turned them off',
			{
				chatflow: {
					attachments: { enabled: false, maxSizeMb: 5 },
				} as WidgetConfig[ 'chatflow' ],
			},
		],
		[ 'in the preview', { preview: true } ],
	] )( 'is not offered when %s', ( _label, changes ) => {
		expect( attachAction( context( changes ) ) ).toBeNull();
	} );

	it( 'uploads a file with the visitor’s session, then sends it as a message', async () => {
		let answer: ( value: unknown ) => void = () => undefined;
		fetchMock.mockReturnValue(
			new Promise( ( resolve ) => ( answer = resolve ) )
		);
		show( attachAction( context() ) );
		const file = new File( [ 'png' ], 'photo.png', { type: 'image/png' } );

		await choose( file );
		expect( screen.getByRole( 'status' ) ).toHaveTextContent(
			'Sending photo.png…'
		);
		expect(
			screen.getByRole( 'button', { name: 'Attach a file' } )
		).toBeDisabled();
		const [ url, init ] = fetchMock.mock.calls[ 0 ];
		expect( url ).toBe(
			`${ SERVICE }/v1/attachments?name=photo.png&chatflowId=42`
		);
		expect( init.method ).toBe( 'POST' );
		expect( init.headers.Authorization ).toBe( `Bearer ${ TOKEN }` );
		expect( init.body ).toBe( file );

		await act( async () =>
			answer( respond( 201, { attachment: REFERENCE } ) )
		);
		await waitFor( () =>
			expect( sent ).toEqual( [ [ 'photo.png', REFERENCE ] ] )
		);
		expect( screen.getByRole( 'status' ) ).toHaveTextContent( '' );
	} );

	it( 'refuses a file above the limit without uploading it', async () => {
		show( attachAction( context() ) );
		await choose(
			new File( [ new Uint8Array( 1024 * 1024 + 1 ) ], 'big.png', {
				type: 'image/png',
			} )
		);
		expect( screen.getByRole( 'alert' ) ).toHaveTextContent(
			'Too large: at most 1 MB.'
		);
		expect( fetchMock ).not.toHaveBeenCalled();
		expect( sent ).toEqual( [] );
	} );

	it( 'refuses a type it cannot send without uploading it', async () => {
		show( attachAction( context() ) );
		await choose(
			new File( [ '<html>' ], 'page.html', { type: 'text/html' } )
		);
		expect( screen.getByRole( 'alert' ) ).toHaveTextContent(
			'Only images and PDF files.'
		);
		expect( fetchMock ).not.toHaveBeenCalled();
	} );

	it( 'says so when the service refuses the content, and sends nothing', async () => {
		fetchMock.mockResolvedValue(
			respond( 415, { error: { code: 'unsupported_type' } } )
		);
		show( attachAction( context() ) );
		// Named and typed as an image, but the service reads its content.
		await choose(
			new File( [ '\x7fELF' ], 'cat.png', { type: 'image/png' } )
		);
		await waitFor( () =>
			expect( screen.getByRole( 'alert' ) ).toHaveTextContent(
				'Only images and PDF files.'
			)
		);
		expect( sent ).toEqual( [] );
	} );

	it( 'says so when the upload fails', async () => {
		fetchMock.mockRejectedValue( new TypeError( 'network down' ) );
		show( attachAction( context() ) );
		await choose( new File( [ 'png' ], 'a.png', { type: 'image/png' } ) );
		await waitFor( () =>
			expect( screen.getByRole( 'alert' ) ).toHaveTextContent(
				'Could not send the file.'
			)
		);
	} );
} );

describe( 'a message’s file', () => {
	function message(
		attachment: AttachmentReference,
		body = attachment.name
	): ChatMessage {
		return {
			conversationId: 'conv-1',
			seq: 1,
			clientId: 'c1',
			authorType: 'agent',
			authorName: 'Ann',
			body,
			createdAt: '2026-01-01T00:00:00.000Z',
			attachment,
		};
	}

	it( 'shows an image fetched with the session, as a thumbnail named for screen readers', async () => {
		fetchMock.mockResolvedValue( respond( 200, null ) );
		show(
			<MessageAttachment
				message={ message( REFERENCE ) }
				context={ context() }
			/>
		);
		const image = await screen.findByRole( 'img', {
			name: 'Image: photo.png',
		} );
		expect( image ).toHaveAttribute( 'src', 'blob:local-1' );
		expect( image.closest( 'a' ) ).toHaveAttribute( 'target', '_blank' );
		const [ url, init ] = fetchMock.mock.calls[ 0 ];
		expect( url ).toBe( `${ SERVICE }/v1/attachments/${ REFERENCE.id }` );
		expect( init.headers.Authorization ).toBe( `Bearer ${ TOKEN }` );
	} );

	it( 'says when an image cannot be fetched', async () => {
		fetchMock.mockResolvedValue( respond( 404, null ) );
		show(
			<MessageAttachment
				message={ message( REFERENCE ) }
				context={ context() }
			/>
		);
		expect(
			await screen.findByText( 'This file cannot be shown.' )
		).toBeInTheDocument();
		expect( screen.queryByRole( 'img' ) ).toBeNull();
	} );

	it( 'offers a PDF as a download link, fetched only when asked for', async () => {
		const pdf: AttachmentReference = {
			id: 'B'.repeat( 24 ),
			name: 'invoice.pdf',
			contentType: 'application/pdf',
			size: 2048,
		};
		fetchMock.mockResolvedValue( respond( 200, null ) );
		const saved = jest
			.spyOn( HTMLAnchorElement.prototype, 'click' )
			.mockImplementation( () => undefined );
		show(
			<MessageAttachment
				message={ message( pdf ) }
				context={ context() }
			/>
		);
		const link = screen.getByRole( 'link', {
			name: 'Download invoice.pdf (PDF, 2 KB)',
		} );
		expect( link ).toHaveAttribute( 'download', 'invoice.pdf' );
		expect( fetchMock ).not.toHaveBeenCalled();

		await act( async () => void domEvent.click( link ) );
		await waitFor( () => expect( saved ).toHaveBeenCalled() );
		expect( fetchMock.mock.calls[ 0 ][ 1 ].headers.Authorization ).toBe(
			`Bearer ${ TOKEN }`
		);
		saved.mockRestore();
	} );

	it( 'shows the text only when it says more than the file’s name', () => {
		expect( hasOwnText( message( REFERENCE ) ) ).toBe( false );
		expect( hasOwnText( message( REFERENCE, 'Here it is' ) ) ).toBe( true );
		const { attachment, ...plain } = message( REFERENCE );
		expect( attachment ).toBeDefined();
		expect( hasOwnText( plain ) ).toBe( true );
	} );
} );

describe( 'checks before uploading', () => {
	it( 'lets the service judge a file whose type the browser does not know', () => {
		expect( checkFile( { size: 10, type: '' }, 1 ) ).toBeNull();
		expect(
			checkFile( { size: 10, type: 'application/pdf' }, 1 )
		).toBeNull();
		expect( checkFile( { size: 10, type: 'image/svg+xml' }, 1 ) ).toBe(
			'wrong_type'
		);
		expect(
			checkFile( { size: 2 * 1024 * 1024, type: 'image/png' }, 1 )
		).toBe( 'too_large' );
	} );

	it( 'writes sizes as people read them', () => {
		expect( formatSize( 820, 'en-US' ) ).toBe( '820 B' );
		expect( formatSize( 14 * 1024, 'en-US' ) ).toBe( '14 KB' );
		expect( formatSize( 2.4 * 1024 * 1024, 'en-US' ) ).toBe( '2.4 MB' );
	} );
} );
