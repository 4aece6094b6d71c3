/**
 * The set-up wizard, against a mocked REST API: no error before the person
 * did anything, errors on leaving a field or on Next; the first chatflow
 * shows on all pages; the preview's device-type buttons; the heading's users
 * and teams chosen with their avatars.
 */
import apiFetch from '@wordpress/api-fetch';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { SetupWizard, shownErrors, wizardSettings } from '../wizard';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );
const mockedApiFetch = apiFetch as unknown as jest.Mock;
// Typing into WordPress's components in jsdom is slow.
jest.setTimeout( 30_000 );
const user = userEvent.setup( { delay: null } );

beforeEach( () => {
	mockedApiFetch.mockReset();
	mockedApiFetch.mockImplementation( ( { path } ) => {
		if ( path === '/chatflows/v1/agents' ) {
			return Promise.resolve( [
				{
					id: 7,
					name: 'Alex Agent',
					avatarUrl: 'https://example.test/alex.png',
					capacity: 5,
					teamIds: [],
				},
				{
					id: 8,
					name: 'Bo Berg',
					avatarUrl: '',
					capacity: 5,
					teamIds: [],
				},
			] );
		}
		if ( path === '/chatflows/v1/teams' ) {
			return Promise.resolve( [
				{ id: 3, name: 'Sales', memberIds: [ 7 ] },
			] );
		}
		return Promise.resolve( [] );
	} );
} );

const next = () => user.click( screen.getByRole( 'button', { name: 'Next' } ) );

it( 'shows no error in an empty wizard; the name’s error on leaving the field and on Next', async () => {
	render( <SetupWizard isFirst={ false } /> );
	const name = screen.getByRole( 'textbox', { name: 'Name' } );
	expect( name ).toHaveValue( '' );
	expect( screen.queryByText( 'Give the chatflow a name.' ) ).toBeNull();
	expect( name ).not.toHaveAttribute( 'aria-invalid' );

	await user.click( name );
	await user.tab();
	expect( name ).toHaveAttribute( 'aria-invalid', 'true' );
	expect( name ).toHaveAccessibleDescription( 'Give the chatflow a name.' );

	// Typing a name fixes it at once.
	await user.type( name, 'Support' );
	expect( name ).not.toHaveAttribute( 'aria-invalid' );
} );

it( 'shows the step’s errors when Next is pressed without leaving any field', async () => {
	render( <SetupWizard isFirst={ false } /> );
	await next();
	expect(
		screen.getByRole( 'textbox', { name: 'Name' } )
	).toHaveAccessibleDescription( 'Give the chatflow a name.' );
	expect( screen.getByRole( 'region', { name: 'Inbox' } ) ).toBeVisible();
} );

it( 'keeps a text field’s error until the person leaves it, a choice’s at once', () => {
	const errors = {
		title: 'Give the chatflow a name.',
		'settings.assignment.userIds': 'Choose someone.',
		'settings.heading.teamName': 'Needs a name.',
	};
	expect( shownErrors( errors, errors, [] ) ).toEqual( {} );
	expect(
		shownErrors( errors, errors, [ 'title', 'settings.assignment' ] )
	).toEqual( {
		title: 'Give the chatflow a name.',
		'settings.assignment.userIds': 'Choose someone.',
	} );
	// The server's errors always show.
	expect( shownErrors( { title: 'Taken.' }, {}, [] ) ).toEqual( {
		title: 'Taken.',
	} );
} );

it( 'starts the first chatflow on all pages, later ones not', async () => {
	expect( wizardSettings( true ).target.allPages ).toBe( true );
	expect( wizardSettings( false ).target.allPages ).toBe( false );

	render( <SetupWizard isFirst /> );
	for ( let step = 0; step < 5; step++ ) {
		await next();
	}
	expect( screen.getByRole( 'region', { name: 'Publish' } ) ).toBeVisible();
	expect(
		screen.getByRole( 'checkbox', { name: 'Show chat on all pages' } )
	).toBeChecked();
} );

it( 'chooses the heading’s users and teams with their avatars, and previews one device at a time', async () => {
	render( <SetupWizard isFirst /> );
	await next();
	await next();
	expect(
		screen.getByRole( 'radio', { name: 'Specific users and teams' } )
	).toBeChecked();
	const users = await screen.findByRole( 'group', {
		name: 'Users in the chat heading',
	} );
	const alex = within( users ).getByRole( 'checkbox', {
		name: 'Alex Agent',
	} );
	// The avatar is beside the name: an image when the user has one, else initials.
	expect(
		users.querySelector( 'img[src="https://example.test/alex.png"]' )
	).not.toBeNull();
	expect( within( users ).getByText( 'BB' ) ).toBeInTheDocument();
	await user.click( alex );
	await user.click(
		within(
			screen.getByRole( 'group', { name: 'Teams in the chat heading' } )
		).getByRole( 'checkbox', { name: 'Sales' } )
	);
	await next();
	await next();

	const devices = screen.getByRole( 'group', { name: 'Device type' } );
	const buttons = within( devices ).getAllByRole( 'button' );
	expect( buttons.map( ( button ) => button.textContent ) ).toEqual( [
		'Desktop',
		'Tablet',
		'Mobile',
	] );
	expect(
		within( devices ).getByRole( 'button', { name: 'Desktop' } )
	).toHaveAttribute( 'aria-pressed', 'true' );
	expect( screen.getAllByTitle( /^Preview on / ) ).toHaveLength( 1 );
	await user.click(
		within( devices ).getByRole( 'button', { name: 'Mobile' } )
	);
	const phone = screen.getByTitle( 'Preview on mobile' );
	expect( screen.getAllByTitle( /^Preview on / ) ).toHaveLength( 1 );
	// The phone shows the chat open, with the chosen people in its heading.
	const document = phone.getAttribute( 'srcdoc' ) ?? '';
	expect( document ).toContain( 'launcher.click()' );
	expect( document ).toContain( '"heading":"Alex Agent, Sales"' );
} );
