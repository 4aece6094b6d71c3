/**
 * A text per language in the editor: each language shows its own default
 * while empty, and "Reset to default" returns that language to it.
 */
import apiFetch from '@wordpress/api-fetch';
import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { defaultSettings } from '@chatflows/chatflow-model';
import { ChatflowEditor } from '../editor';
import { storedChatflow } from './fixtures';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );
const mockedApiFetch = apiFetch as unknown as jest.Mock;

// Typing into WordPress's components in jsdom is slow.
jest.setTimeout( 30_000 );
const user = userEvent.setup( { delay: null } );

const WELCOME = {
	en_US: 'Hi! How can we help you today?',
	da_DK: 'Hej! Hvordan kan vi hjælpe dig i dag?',
	nl_NL: 'Hoi! Hoe kunnen we je vandaag helpen?',
};

beforeEach( () => {
	window.chatflowsAdmin = {
		loaderUrl: '',
		chatWindowUrl: '',
		siteName: 'Example',
		pageUrl: '/wp-admin/admin.php?page=chatflows-chatflows',
		defaultTexts: { welcomeMessage: WELCOME },
	};
	mockedApiFetch.mockReset();
	mockedApiFetch.mockImplementation( ( { path } ) =>
		Promise.resolve(
			path === '/chatflows/v1/chatflows/42'
				? storedChatflow( {
						...defaultSettings(),
						welcomeMessage: { en_US: 'Hello from sales' },
					} )
				: []
		)
	);
} );

afterEach( () => {
	delete window.chatflowsAdmin;
	document.documentElement.lang = '';
} );

describe( 'a text per language', () => {
	it( 'shows the language’s default while empty and returns to it on reset', async () => {
		render( <ChatflowEditor id={ 42 } /> );
		const welcome = await screen.findByRole( 'textbox', {
			name: 'Welcome message',
		} );
		expect( welcome ).toHaveValue( 'Hello from sales' );
		expect( welcome ).toHaveAttribute( 'placeholder', WELCOME.en_US );

		await user.selectOptions(
			screen.getByRole( 'combobox', { name: 'Texts in' } ),
			'da_DK'
		);
		expect( welcome ).toHaveValue( '' );
		expect( welcome ).toHaveAttribute( 'placeholder', WELCOME.da_DK );
		expect(
			screen.queryByRole( 'button', {
				name: 'Reset to default: Welcome message',
			} )
		).not.toBeInTheDocument();

		await user.type( welcome, 'Velkommen!' );
		await user.click(
			screen.getByRole( 'button', {
				name: 'Reset to default: Welcome message',
			} )
		);
		expect( welcome ).toHaveValue( '' );
		expect( welcome ).toHaveAttribute( 'placeholder', WELCOME.da_DK );

		await user.selectOptions(
			screen.getByRole( 'combobox', { name: 'Texts in' } ),
			'nl_NL'
		);
		expect( welcome ).toHaveAttribute( 'placeholder', WELCOME.nl_NL );

		// The other languages keep their own texts.
		await user.selectOptions(
			screen.getByRole( 'combobox', { name: 'Texts in' } ),
			'en_US'
		);
		expect( welcome ).toHaveValue( 'Hello from sales' );
	} );

	it( 'starts with the texts of wp-admin’s language', async () => {
		document.documentElement.lang = 'nl-NL';
		render( <ChatflowEditor id={ 42 } /> );
		const welcome = await screen.findByRole( 'textbox', {
			name: 'Welcome message',
		} );
		expect(
			screen.getByRole( 'combobox', { name: 'Texts in' } )
		).toHaveValue( 'nl_NL' );
		expect( welcome ).toHaveValue( '' );
		expect( welcome ).toHaveAttribute( 'placeholder', WELCOME.nl_NL );
	} );
} );
