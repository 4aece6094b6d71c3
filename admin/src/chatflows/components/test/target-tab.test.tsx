/**
 * The Target tab against a mocked REST API: groups and exclusions edited in
 * words (and / or), invalid rules named under their field, the tester's
 * answer, and the outside sites saved or refused by line.
 */
import apiFetch from '@wordpress/api-fetch';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import {
	type ChatflowSettings,
	defaultSettings,
} from '@chatflows/chatflow-model';
import { FormHarness } from './form-harness';
import { TargetTab } from '../target-tab';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );
const mockedApiFetch = apiFetch as unknown as jest.Mock;
jest.setTimeout( 30_000 );
const user = userEvent.setup( { delay: null } );

let latest: ChatflowSettings;

function Harness( { initial }: { initial: ChatflowSettings } ) {
	return (
		<FormHarness
			initial={ initial }
			onSettings={ ( settings ) => ( latest = settings ) }
		>
			<TargetTab />
		</FormHarness>
	);
}

const targeting = {
	roles: [ { value: 'customer', label: 'Customer' } ],
	homeUrl: 'https://example.com/',
	origins: [ 'https://shop.example.com' ],
	embed: {
		script: 'https://example.com/outside-page.js?a=1&b="2"',
		endpoint: 'https://example.com/wp-json/chatflows/v1/embed',
	},
};

beforeEach( () => {
	mockedApiFetch.mockReset();
	mockedApiFetch.mockImplementation( ( { path } ) =>
		path === '/chatflows/v1/targeting'
			? Promise.resolve( targeting )
			: Promise.reject( new Error( `unexpected ${ path }` ) )
	);
} );

it( 'builds groups of rules: and inside a group, or between groups', async () => {
	render( <Harness initial={ defaultSettings() } /> );
	await user.click(
		screen.getByRole( 'button', { name: 'Add a group of rules' } )
	);
	const firstRule = screen.getByRole( 'group', { name: 'Group 1, rule 1' } );
	await user.type(
		within( firstRule ).getByRole( 'textbox', { name: 'Value' } ),
		'/pricing'
	);
	await user.click(
		screen.getByRole( 'button', { name: 'Add a rule (and)' } )
	);
	const secondRule = screen.getByRole( 'group', {
		name: 'Group 1, rule 2',
	} );
	await user.selectOptions(
		within( secondRule ).getByRole( 'combobox', { name: 'Rule on' } ),
		'contact'
	);
	await user.click(
		screen.getByRole( 'button', { name: 'Add a group (or)' } )
	);

	expect( screen.getByText( 'and' ) ).toBeInTheDocument();
	expect( screen.getByText( 'or' ) ).toBeInTheDocument();
	expect( latest.target.include ).toEqual( [
		{
			rules: [
				{ field: 'url', operator: 'is', name: '', value: '/pricing' },
				{ field: 'contact', operator: 'is', name: '', value: 'known' },
			],
		},
		{ rules: [ { field: 'url', operator: 'is', name: '', value: '' } ] },
	] );

	await user.click(
		within( screen.getByRole( 'group', { name: 'Group 2' } ) ).getByRole(
			'button',
			{ name: 'Remove group' }
		)
	);
	expect( latest.target.include ).toHaveLength( 1 );
} );

it( 'names an invalid pattern under its field, and a query rule asks for the parameter', async () => {
	render( <Harness initial={ defaultSettings() } /> );
	await user.click(
		screen.getByRole( 'button', { name: 'Add an exclusion' } )
	);
	const exclusion = screen.getByRole( 'group', { name: 'Exclusion 1' } );
	await user.selectOptions(
		within( exclusion ).getByRole( 'combobox', { name: 'Comparison' } ),
		'matches'
	);
	const value = within( exclusion ).getByRole( 'textbox', {
		name: 'Value',
	} );
	await user.type( value, '/blog/**' );
	expect( value ).toHaveAttribute( 'aria-invalid', 'true' );
	expect( value ).toHaveAccessibleDescription(
		'Use a single * for any characters: ** is not a pattern.'
	);
	await user.clear( value );
	await user.type( value, '/blog/*' );
	expect( value ).not.toHaveAttribute( 'aria-invalid' );

	await user.selectOptions(
		within( exclusion ).getByRole( 'combobox', { name: 'Rule on' } ),
		'query'
	);
	const parameter = within( exclusion ).getByRole( 'textbox', {
		name: 'Parameter',
	} );
	expect( parameter ).toHaveAccessibleDescription(
		'Enter the name of the query parameter, e.g. utm_source.'
	);
	expect( latest.target.exclude ).toEqual( [
		{ field: 'query', operator: 'equals', name: '', value: '' },
	] );
} );

it( 'asks WordPress where chat shows and tells which rule decided', async () => {
	mockedApiFetch.mockImplementation( ( { path, data } ) => {
		if ( path === '/chatflows/v1/targeting' ) {
			return Promise.resolve( targeting );
		}
		expect( path ).toBe( '/chatflows/v1/target-test' );
		expect( data ).toEqual( {
			url: 'https://example.com/shop/?utm_source=ads',
			traits: {
				contact: 'known',
				device: 'desktop',
				referrer: '',
				language: '',
				loggedIn: true,
				role: 'customer',
			},
		} );
		return Promise.resolve( {
			chatflow: { id: 3, title: 'Shop chat' },
			decidedBy: {
				kind: 'include',
				path: 'settings.target.include[1]',
			},
			message: 'Every rule of group 2 holds.',
			steps: [
				{
					id: 2,
					title: 'Main',
					result: 'no',
					path: 'settings.target.exclude[0]',
					message: 'Exclusion 1 holds: the chat is hidden.',
				},
			],
		} );
	} );
	render( <Harness initial={ defaultSettings() } /> );
	const url = await screen.findByRole( 'textbox', { name: 'Page URL' } );
	await user.clear( url );
	await user.type( url, 'https://example.com/shop/?utm_source=ads' );
	await user.selectOptions(
		screen.getByRole( 'combobox', { name: 'Visitor' } ),
		'known'
	);
	await user.click(
		screen.getByRole( 'checkbox', { name: 'Logged in to WordPress' } )
	);
	await user.selectOptions(
		screen.getByRole( 'combobox', { name: 'Role' } ),
		'customer'
	);
	await user.click( screen.getByRole( 'button', { name: 'Test' } ) );

	const answer = await screen.findByRole( 'status' );
	expect( answer ).toHaveTextContent( 'Shop chat' );
	expect( answer ).toHaveTextContent( 'Every rule of group 2 holds.' );
	expect( answer ).toHaveTextContent( 'settings.target.include[1]' );
	expect( answer ).toHaveTextContent(
		'Main: Exclusion 1 holds: the chat is hidden.'
	);
} );

it( 'saves the outside sites, and names the line WordPress refused', async () => {
	const sent: unknown[] = [];
	mockedApiFetch.mockImplementation( ( { path, data } ) => {
		if ( path === '/chatflows/v1/targeting' ) {
			return Promise.resolve( targeting );
		}
		sent.push( data );
		return sent.length === 1
			? Promise.reject( {
					code: 'rest_invalid_param',
					message: 'Invalid parameter(s): origins[1]',
					data: {
						status: 400,
						params: { 'origins[1]': 'Enter a site as https://…' },
					},
				} )
			: Promise.resolve( {
					origins: [ 'https://shop.example.com' ],
					service: { synced: true, message: '' },
				} );
	} );
	render( <Harness initial={ defaultSettings() } /> );
	const sites = await screen.findByRole( 'textbox', {
		name: 'Sites allowed to show the chat (one per line)',
	} );
	expect( sites ).toHaveValue( 'https://shop.example.com' );
	await user.type( sites, '\n\nshop.example.com/cart' );
	await user.click( screen.getByRole( 'button', { name: 'Save sites' } ) );
	expect( sent[ 0 ] ).toEqual( {
		origins: [ 'https://shop.example.com', 'shop.example.com/cart' ],
	} );
	expect(
		await screen.findByText(
			'shop.example.com/cart: Enter a site as https://…'
		)
	).toBeInTheDocument();

	await user.clear( sites );
	await user.type( sites, 'https://shop.example.com' );
	await user.click( screen.getByRole( 'button', { name: 'Save sites' } ) );
	expect( await screen.findByText( 'Sites saved.' ) ).toBeInTheDocument();
} );

it( 'shows the outside-page snippet as text, written from the URLs the site gives, its attributes escaped', async () => {
	render( <Harness initial={ defaultSettings() } /> );
	expect(
		await screen.findByRole( 'textbox', { name: 'Snippet' } )
	).toHaveValue(
		'<script src="https://example.com/outside-page.js?a=1&amp;b=&quot;2&quot;" data-chatflows-embed="https://example.com/wp-json/chatflows/v1/embed" defer></script>'
	);
	// Shown, never run: the page holds no script element of it.
	expect(
		document.querySelector( 'script[data-chatflows-embed]' )
	).toBeNull();
} );
