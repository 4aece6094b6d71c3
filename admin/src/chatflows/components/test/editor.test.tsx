/**
 * Tests of the editor against a mocked REST API: WordPress's refusals land
 * on the fields they name, a conflict offers to reload, and an unsaved
 * change is flagged.
 */
import apiFetch from '@wordpress/api-fetch';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { ChatflowEditor } from '../editor';
import { storedChatflow } from './fixtures';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );
const mockedApiFetch = apiFetch as unknown as jest.Mock;

const stored = storedChatflow();

let putAnswer: () => Promise< unknown >;
// Typing into WordPress's components in jsdom is slow.
jest.setTimeout( 30_000 );
const user = userEvent.setup( { delay: null } );

beforeEach( () => {
	mockedApiFetch.mockReset();
	mockedApiFetch.mockImplementation( ( { path, method } ) => {
		if ( method === 'PUT' ) {
			return putAnswer();
		}
		if ( path === '/chatflows/v1/chatflows/42' ) {
			return Promise.resolve( stored );
		}
		// Inboxes, agents, teams.
		return Promise.resolve( [] );
	} );
} );

async function openEditor() {
	render( <ChatflowEditor id={ 42 } /> );
	return screen.findByRole( 'heading', {
		name: 'Edit chatflow: Sales chat',
	} );
}

describe( 'ChatflowEditor', () => {
	it( 'shows each field WordPress refused under that field, on its tab', async () => {
		putAnswer = () =>
			Promise.reject( {
				code: 'rest_invalid_param',
				message: 'Invalid parameter(s): settings',
				data: {
					status: 400,
					params: {
						'settings.display.accentColor':
							'Not a colour, says WordPress.',
						'settings.welcomeMessage.en_US':
							'Too long, says WordPress.',
					},
				},
			} );
		await openEditor();
		await user.click( screen.getByRole( 'button', { name: 'Save' } ) );

		const welcome = await screen.findByRole( 'textbox', {
			name: 'Welcome message',
		} );
		expect( welcome ).toHaveAttribute( 'aria-invalid', 'true' );
		expect( welcome ).toHaveAccessibleDescription(
			expect.stringContaining( 'Too long, says WordPress.' )
		);
		expect(
			screen.getByText(
				'Some fields need your attention. Nothing was saved.',
				{
					selector: '.components-notice__content',
				}
			)
		).toBeInTheDocument();

		await user.click( screen.getByRole( 'tab', { name: /Display/ } ) );
		expect(
			screen.getByRole( 'textbox', { name: 'Accent colour' } )
		).toHaveAccessibleDescription(
			expect.stringContaining( 'Not a colour, says WordPress.' )
		);

		// Editing the field clears WordPress's message about it.
		await user.type(
			screen.getByRole( 'textbox', { name: 'Accent colour' } ),
			'{Backspace}b'
		);
		expect(
			screen.queryByText( 'Not a colour, says WordPress.' )
		).not.toBeInTheDocument();
	} );

	it( 'refuses a conflicting save and reloads the newer version on request', async () => {
		putAnswer = () =>
			Promise.reject( {
				code: 'chatflows_conflict',
				message: 'Someone else saved this chatflow.',
				data: { status: 409, version: 4 },
			} );
		await openEditor();
		await user.clear( screen.getByRole( 'textbox', { name: 'Name' } ) );
		await user.type(
			screen.getByRole( 'textbox', { name: 'Name' } ),
			'Mine'
		);
		expect( screen.getByText( 'Unsaved changes' ) ).toBeInTheDocument();
		await user.click( screen.getByRole( 'button', { name: 'Save' } ) );

		expect(
			await screen.findByText( 'Someone else saved this chatflow.', {
				selector: '.components-notice__content',
			} )
		).toBeInTheDocument();
		expect( mockedApiFetch ).toHaveBeenCalledWith( {
			path: '/chatflows/v1/chatflows/42',
			method: 'PUT',
			data: { title: 'Mine', settings: stored.settings, version: 3 },
		} );

		await user.click(
			screen.getByRole( 'button', { name: 'Reload the chatflow' } )
		);
		await waitFor( () =>
			expect(
				screen.getByRole( 'textbox', { name: 'Name' } )
			).toHaveValue( 'Sales chat' )
		);
		expect(
			screen.queryByText( 'Unsaved changes' )
		).not.toBeInTheDocument();
	} );

	it( 'blocks a save the browser already knows is invalid, without calling WordPress', async () => {
		putAnswer = () => Promise.resolve( stored );
		await openEditor();
		await user.click( screen.getByRole( 'tab', { name: /Display/ } ) );
		const seconds = screen.getByRole( 'spinbutton', {
			name: 'Seconds on the page',
		} );
		await user.clear( seconds );
		await user.type( seconds, '-3' );
		await user.click( screen.getByRole( 'button', { name: 'Save' } ) );

		expect( seconds ).toHaveAttribute( 'aria-invalid', 'true' );
		expect(
			within( screen.getByRole( 'tab', { name: /Display/ } ) ).getByText(
				'1'
			)
		).toBeInTheDocument();
		expect( mockedApiFetch ).not.toHaveBeenCalledWith(
			expect.objectContaining( { method: 'PUT' } )
		);
	} );
} );
