/**
 * Tests of a message's file in the inbox: fetched with the agent's token
 * from WordPress, an image as a named thumbnail, a PDF as a download link.
 */
import apiFetch from '@wordpress/api-fetch';
import {
	act,
	fireEvent,
	render,
	screen,
	waitFor,
} from '@testing-library/react';

import type { AttachmentReference } from '@chatflows/protocol';
import {
	MessageAttachment,
	forgetAttachmentToken,
	formatFileSize,
	hasOwnText,
} from '../attachment';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );

const IMAGE: AttachmentReference = {
	id: 'A'.repeat( 24 ),
	name: 'screenshot.png',
	contentType: 'image/png',
	size: 4096,
};
const PDF: AttachmentReference = {
	id: 'B'.repeat( 24 ),
	name: 'invoice.pdf',
	contentType: 'application/pdf',
	size: 2 * 1024 * 1024 + 100,
};

let fetchMock: jest.Mock;

beforeEach( () => {
	forgetAttachmentToken();
	( apiFetch as unknown as jest.Mock ).mockReset().mockResolvedValue( {
		token: 'agent.jwt.token',
		expires_at: '2030-01-01T00:00:00Z',
		service: 'http://chat.example.test',
	} );
	fetchMock = jest.fn().mockResolvedValue( {
		ok: true,
		status: 200,
		blob: async () => new Blob( [ 'x' ] ),
	} );
	window.fetch = fetchMock as unknown as typeof fetch;
	URL.createObjectURL = jest.fn( () => 'blob:inbox-1' );
	URL.revokeObjectURL = jest.fn();
} );

describe( 'MessageAttachment', () => {
	it( 'shows an image fetched with the agent’s token, named for screen readers', async () => {
		render( <MessageAttachment attachment={ IMAGE } /> );
		const image = await screen.findByRole( 'img', {
			name: 'Image: screenshot.png',
		} );
		expect( image ).toHaveAttribute( 'src', 'blob:inbox-1' );
		expect( apiFetch ).toHaveBeenCalledWith( {
			path: '/chatflows/v1/agent-token',
			method: 'POST',
		} );
		const [ url, init ] = fetchMock.mock.calls[ 0 ];
		expect( url ).toBe(
			`http://chat.example.test/v1/attachments/${ IMAGE.id }`
		);
		expect( init.headers.Authorization ).toBe( 'Bearer agent.jwt.token' );
	} );

	it( 'asks WordPress for one token for every file on the screen', async () => {
		render(
			<>
				<MessageAttachment attachment={ IMAGE } />
				<MessageAttachment
					attachment={ { ...IMAGE, id: 'C'.repeat( 24 ) } }
				/>
			</>
		);
		await waitFor( () =>
			expect( screen.getAllByRole( 'img' ) ).toHaveLength( 2 )
		);
		expect( apiFetch ).toHaveBeenCalledTimes( 1 );
	} );

	it( 'says when a file cannot be shown', async () => {
		fetchMock.mockResolvedValue( { ok: false, status: 404 } );
		render( <MessageAttachment attachment={ IMAGE } /> );
		expect(
			await screen.findByText(
				'screenshot.png (this file cannot be shown)'
			)
		).toBeInTheDocument();
	} );

	it( 'offers a PDF as a download link, fetched only when clicked', async () => {
		const saved = jest
			.spyOn( HTMLAnchorElement.prototype, 'click' )
			.mockImplementation( () => undefined );
		render( <MessageAttachment attachment={ PDF } /> );
		const link = screen.getByRole( 'link', {
			name: 'Download invoice.pdf (PDF, 2.0 MB)',
		} );
		expect( fetchMock ).not.toHaveBeenCalled();
		await act( async () => {
			fireEvent.click( link );
		} );
		await waitFor( () => expect( saved ).toHaveBeenCalled() );
		expect( fetchMock.mock.calls[ 0 ][ 0 ] ).toBe(
			`http://chat.example.test/v1/attachments/${ PDF.id }`
		);
		saved.mockRestore();
	} );
} );

describe( 'helpers', () => {
	it( 'writes sizes as people read them', () => {
		expect( formatFileSize( 820 ) ).toBe( '820 B' );
		expect( formatFileSize( 14 * 1024 ) ).toBe( '14 KB' );
		expect( formatFileSize( 2.4 * 1024 * 1024 ) ).toBe( '2.4 MB' );
	} );

	it( 'hides a text that only repeats the file’s name', () => {
		const message = {
			conversationId: 'c',
			seq: 1,
			clientId: 'x',
			authorType: 'visitor' as const,
			authorName: '',
			body: 'screenshot.png',
			createdAt: '2026-01-01T00:00:00Z',
			attachment: IMAGE,
		};
		expect( hasOwnText( message ) ).toBe( false );
		expect( hasOwnText( { ...message, body: 'See this' } ) ).toBe( true );
	} );
} );
