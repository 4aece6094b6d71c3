/**
 * The Options tab's defaults and consent to communications, against a mocked
 * REST API: a new chatflow asks for consent to cookies and to process data
 * (as HubSpot's article says); the subscription type is a choice with
 * readable names; the checkbox label's default is a sentence.
 */
import apiFetch from '@wordpress/api-fetch';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { defaultSettings } from '@chatflows/chatflow-model';
import { ChatflowEditor } from '../editor';
import { storedChatflow } from './fixtures';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );
const mockedApiFetch = apiFetch as unknown as jest.Mock;
// Typing into WordPress's components in jsdom is slow.
jest.setTimeout( 30_000 );
const user = userEvent.setup( { delay: null } );

const stored = storedChatflow();
let sent: { settings?: ReturnType< typeof defaultSettings > } = {};

beforeEach( () => {
	sent = {};
	window.chatflowsAdmin = {
		loaderUrl: '',
		chatWindowUrl: '',
		siteName: 'Example',
		pageUrl: '',
		defaultTexts: {
			'options.communicationsConsent.label': {
				en_US: 'I agree to receive other communications from Example.',
			},
		},
	};
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

afterEach( () => {
	delete window.chatflowsAdmin;
} );

it( 'a new chatflow asks for consent to chat cookies and to process data, as the article says; the other options are off', () => {
	const { options } = defaultSettings();
	expect( options.cookieConsent.enabled ).toBe( true );
	expect( options.cookieConsent.when ).toBe( 'before_chat' );
	expect( options.dataConsent.enabled ).toBe( true );
	expect( options.communicationsConsent.enabled ).toBe( false );
	expect( options.communicationsConsent.subscriptionType ).toBe(
		'one_to_one'
	);
	expect( options.marketingContacts ).toBe( false );
	expect( options.survey.enabled ).toBe( false );
} );

it( 'shows both consents on in the Options tab of a chatflow with the defaults', async () => {
	render( <ChatflowEditor id={ 42 } /> );
	await screen.findByRole( 'heading', { name: 'Edit chatflow: Sales chat' } );
	await user.click( screen.getByRole( 'tab', { name: 'Options' } ) );
	expect(
		screen.getByRole( 'checkbox', {
			name: 'Ask for consent to chat cookies',
		} )
	).toBeChecked();
	expect(
		screen.getByRole( 'checkbox', {
			name: 'Ask for consent to process data',
		} )
	).toBeChecked();
} );

it( 'chooses the subscription type by its readable name, and the label’s default is a sentence', async () => {
	render( <ChatflowEditor id={ 42 } /> );
	await screen.findByRole( 'heading', { name: 'Edit chatflow: Sales chat' } );
	await user.click( screen.getByRole( 'tab', { name: 'Options' } ) );
	await user.click(
		screen.getByRole( 'checkbox', {
			name: 'Ask for consent to communications',
		} )
	);

	const type = screen.getByRole( 'combobox', { name: 'Subscription type' } );
	expect( type ).toHaveValue( 'one_to_one' );
	expect(
		within( type )
			.getAllByRole( 'option' )
			.map( ( option ) => option.textContent )
	).toEqual( [
		'One-to-one',
		'Marketing information',
		'Customer service communication',
	] );
	expect(
		screen.getByRole( 'textbox', { name: 'Checkbox label' } )
	).toHaveAttribute(
		'placeholder',
		'I agree to receive other communications from Example.'
	);

	await user.selectOptions( type, 'Marketing information' );
	await user.click( screen.getByRole( 'button', { name: 'Save' } ) );
	await screen.findByText( /saved/i );
	expect(
		sent.settings?.options.communicationsConsent.subscriptionType
	).toBe( 'marketing' );
} );
