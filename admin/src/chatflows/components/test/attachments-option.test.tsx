/**
 * The attachment setting in the editor's Options tab, against a mocked REST
 * API: a toggle, and the size limit shown only while it is on and sent
 * with the settings.
 */
import apiFetch from '@wordpress/api-fetch';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { ChatflowEditor } from '../editor';
import { storedChatflow } from './fixtures';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );
const mockedApiFetch = apiFetch as unknown as jest.Mock;
// Typing into WordPress's components in jsdom is slow.
jest.setTimeout( 30_000 );
const user = userEvent.setup( { delay: null } );

const stored = storedChatflow();

let sent: { settings?: { options: { attachments: unknown } } } = {};

beforeEach( () => {
	sent = {};
	mockedApiFetch.mockReset();
	mockedApiFetch.mockImplementation( ( { path, method, data } ) => {
		if ( method === 'PUT' ) {
			sent = data;
			return Promise.resolve( { ...stored, ...data, version: 4 } );
		}
		if ( path === '/chatflows/v1/chatflows/42' ) {
			return Promise.resolve( stored );
		}
		return Promise.resolve( [] );
	} );
} );

it( 'turns visitors’ files off in the Options tab, hiding the size limit, and saves it', async () => {
	render( <ChatflowEditor id={ 42 } /> );
	await screen.findByRole( 'heading', { name: 'Edit chatflow: Sales chat' } );
	await user.click( screen.getByRole( 'tab', { name: 'Options' } ) );

	const toggle = screen.getByRole( 'checkbox', {
		name: 'Visitors may send images and PDF files',
	} );
	expect( toggle ).toBeChecked();
	const limit = screen.getByRole( 'spinbutton', {
		name: 'Largest file (MB)',
	} );
	expect( limit ).toHaveValue( 5 );

	await user.click( toggle );
	expect(
		screen.queryByRole( 'spinbutton', { name: 'Largest file (MB)' } )
	).toBeNull();
	await user.click( screen.getByRole( 'button', { name: 'Save' } ) );

	await screen.findByText( /saved/i );
	expect( sent.settings?.options.attachments ).toEqual( {
		enabled: false,
		maxSizeMb: 5,
	} );
} );
