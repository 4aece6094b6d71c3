/**
 * Chatflows in wp-admin, end to end: the first chatflow through the set-up
 * wizard, published and seen on the site, turned off in the list; bad input
 * refused with the field named, in the browser and by WordPress; conflicts,
 * the unsaved-changes warning, and the teams screen.
 */
import type { Page } from '@playwright/test';

import { expect, loggedInPage, test } from './fixtures';
import {
	adminPage,
	deleteAllChatflows,
	expectFieldError,
	rest,
} from './helpers';

// This spec deletes the demo's chatflow: it gets a site of its own.
test.use( { siteName: 'chatflows-admin' } );
test.describe.configure( { mode: 'serial' } );

const CHATFLOWS_PAGE = '/wp-admin/admin.php?page=chatflows-chatflows';

/**
 * A notice on the page (not its copy in the screen-reader live region).
 *
 * @param page A page.
 * @param text The notice's text.
 */
function notice( page: Page, text: string | RegExp ) {
	return page
		.locator( '.components-notice__content' )
		.filter( { hasText: text } );
}

interface ChatflowRecord {
	id: number;
	title: string;
	enabled: boolean;
	version: number;
	settings: Record< string, unknown > & {
		welcomeMessage: Record< string, string >;
	};
}

test( 'the first chatflow, through the wizard: bad input is refused step by step; published, it shows on the site; off, it is gone', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const admin = await adminPage( browser, stack, consoleErrors );
	await expect(
		admin.getByRole( 'heading', { name: 'Chatflows', level: 1 } )
	).toBeVisible();

	// Start from a site without chatflows.
	await deleteAllChatflows( admin );
	await admin.reload();
	await expect(
		admin.getByRole( 'heading', { name: 'Set up your first chatflow' } )
	).toBeVisible();

	// 1. Inbox.
	const step = ( name: string ) =>
		admin.getByRole( 'region', { name, exact: true } );
	await expect( step( 'Inbox' ) ).toBeVisible();
	await admin.getByLabel( 'Name', { exact: true } ).fill( '' );
	// Errors show once the field is left.
	await admin.getByLabel( 'Name', { exact: true } ).blur();
	await expectFieldError(
		admin.getByLabel( 'Name', { exact: true } ),
		'Give the chatflow a name.'
	);
	await admin.getByRole( 'button', { name: 'Next' } ).click();
	await expect( step( 'Inbox' ) ).toBeVisible();
	await admin.getByLabel( 'Name', { exact: true } ).fill( 'Support chat' );
	await expect(
		admin.getByRole( 'combobox', { name: 'Inbox' } )
	).toHaveValue( '0' );
	await admin.getByRole( 'button', { name: 'Next' } ).click();

	// 2. Display: a colour that is not one is refused.
	await expect( step( 'Display' ) ).toBeVisible();
	await admin.getByLabel( 'Accent colour', { exact: true } ).fill( 'red' );
	await admin.getByLabel( 'Accent colour', { exact: true } ).blur();
	await expectFieldError(
		admin.getByLabel( 'Accent colour', { exact: true } ),
		/Choose a colour as #RRGGBB/
	);
	await admin.getByRole( 'button', { name: 'Next' } ).click();
	await expect( step( 'Display' ) ).toBeVisible();
	await admin
		.getByLabel( 'Accent colour', { exact: true } )
		.fill( '#aa3300' );
	await admin.getByRole( 'button', { name: 'Next' } ).click();

	// 3. Chatflow: heading, welcome message, assignment.
	await expect( step( 'Chatflow' ) ).toBeVisible();
	await admin
		.getByLabel( 'Specific users and teams', { exact: true } )
		.check();
	await admin
		.getByLabel( 'Welcome message', { exact: true } )
		.fill( 'x'.repeat( 1001 ) );
	await admin.getByLabel( 'Welcome message', { exact: true } ).blur();
	await expectFieldError(
		admin.getByLabel( 'Welcome message', { exact: true } ),
		'Use at most 1000 characters.'
	);
	await admin
		.getByLabel( 'Welcome message', { exact: true } )
		.fill( '<b>Hello</b> <script>alert(1)</script> how can we help?' );
	await admin.getByLabel( 'Assign incoming chats', { exact: true } ).check();
	const assignmentError = admin.getByText(
		'Assignment is on: choose at least one user or team to assign chats to.'
	);
	await expect( assignmentError ).toBeVisible();
	await admin.getByRole( 'button', { name: 'Next' } ).click();
	await expect( step( 'Chatflow' ) ).toBeVisible();
	await admin
		.getByRole( 'group', { name: 'Teams', exact: true } )
		.getByLabel( 'Sales', { exact: true } )
		.check();
	await expect( assignmentError ).toBeHidden();
	await admin.getByRole( 'button', { name: 'Next' } ).click();

	// 4. Availability: office hours, with empty, inverted, overlapping and invalid ranges and an unknown zone.
	await expect( step( 'Availability' ) ).toBeVisible();
	await admin.getByLabel( 'Chat office hours', { exact: true } ).check();
	await expect(
		admin.getByText( 'Add at least one range of office hours.' )
	).toBeVisible();
	// The first row is the usual week; the next one day, in words a person uses.
	await admin.getByRole( 'button', { name: '+ Add hours' } ).click();
	await expect(
		admin
			.getByRole( 'group', { name: 'Monday to Friday' } )
			.getByLabel( 'From', { exact: true } )
	).toHaveValue( '09:00' );
	await admin.getByRole( 'button', { name: '+ Add hours' } ).click();
	const second = admin.locator( '.chatflows-hours > li' ).nth( 1 );
	await second
		.getByLabel( 'Days', { exact: true } )
		.selectOption( { label: 'Monday' } );
	await second.getByLabel( 'From', { exact: true } ).fill( '12:00' );
	await second.getByLabel( 'To', { exact: true } ).fill( '18:00' );
	await expectFieldError(
		second.getByLabel( 'From', { exact: true } ),
		/overlap other hours on Monday/
	);
	await second
		.getByLabel( 'Days', { exact: true } )
		.selectOption( { label: 'Weekend' } );
	await second.getByLabel( 'To', { exact: true } ).fill( '08:00' );
	await expectFieldError(
		second.getByLabel( 'To', { exact: true } ),
		'The end must be after the start.'
	);
	await second.getByLabel( 'To', { exact: true } ).fill( '12:00' );
	await expectFieldError(
		second.getByLabel( 'To', { exact: true } ),
		/The range is empty/
	);
	// Midnight ends the day.
	await second.getByLabel( 'To', { exact: true } ).fill( '00:00' );
	await admin
		.getByLabel( 'Time zone', { exact: true } )
		.fill( 'Mars/Olympus' );
	await admin.getByLabel( 'Time zone', { exact: true } ).blur();
	await expectFieldError(
		admin.getByLabel( 'Time zone', { exact: true } ),
		/Choose a time zone/
	);
	await admin.getByRole( 'button', { name: 'Next' } ).click();
	await expect( step( 'Availability' ) ).toBeVisible();
	await admin
		.getByLabel( 'Time zone', { exact: true } )
		.fill( 'Europe/Copenhagen' );
	await expect( admin.locator( '[aria-invalid="true"]' ) ).toHaveCount( 0 );
	await admin.getByRole( 'button', { name: 'Next' } ).click();

	// 5. Preview: the real widget on the device the buttons choose, the welcome text as text.
	// By default desktops pop the welcome message; a phone shows the chat open.
	await expect( step( 'Preview' ) ).toBeVisible();
	const welcomeText =
		'<b>Hello</b> <script>alert(1)</script> how can we help?';
	const devices = admin.getByRole( 'group', { name: 'Device type' } );
	for ( const size of [ 'desktop', 'tablet' ] ) {
		await devices
			.getByRole( 'button', {
				name: size === 'desktop' ? 'Desktop' : 'Tablet',
			} )
			.click();
		const frame = admin.frameLocator(
			`iframe[title="Preview on ${ size }"]`
		);
		await expect(
			frame.getByRole( 'button', { name: 'Close chat', expanded: true } )
		).toBeVisible();
		await expect(
			frame.getByText( welcomeText, { exact: true } )
		).toBeVisible();
	}
	await devices.getByRole( 'button', { name: 'Mobile' } ).click();
	const mobile = admin.frameLocator( 'iframe[title="Preview on mobile"]' );
	await expect(
		mobile.getByText( welcomeText, { exact: true } )
	).toBeVisible();
	// The preview never reaches the chat service: a message stays in the window.
	await mobile
		.getByRole( 'textbox', { name: 'Message' } )
		.fill( 'Testing the preview' );
	await mobile.getByRole( 'button', { name: 'Send' } ).click();
	await expect(
		mobile.getByRole( 'log', { name: 'Messages' } )
	).toContainText( 'Testing the preview' );
	await devices.getByRole( 'button', { name: 'Desktop' } ).click();
	const desktop = admin.frameLocator( 'iframe[title="Preview on desktop"]' );
	await expect(
		desktop.getByRole( 'button', { name: 'Close chat', expanded: true } )
	).toHaveCSS( 'background-color', 'rgb(170, 51, 0)' );
	await admin.getByRole( 'button', { name: 'Next' } ).click();

	// 6. Publish on all pages.
	await expect( step( 'Publish' ) ).toBeVisible();
	await admin.getByLabel( 'Show chat on all pages', { exact: true } ).check();
	await admin.getByRole( 'button', { name: 'Publish' } ).click();

	const row = admin.getByRole( 'row', { name: /Support chat/ } );
	await expect( row ).toBeVisible();
	await expect(
		row.getByRole( 'checkbox', { name: 'Chat on: Support chat' } )
	).toBeChecked();
	await expect( row ).toContainText( 'All pages' );

	// Stored as sent: texts are text.
	const [ stored ] = await rest< ChatflowRecord[] >( admin, {
		path: '/chatflows/v1/chatflows',
	} );
	expect( stored.enabled ).toBe( true );
	expect( stored.settings.welcomeMessage.en_US ).toBe(
		'<b>Hello</b> <script>alert(1)</script> how can we help?'
	);

	// The launcher shows on the demo site's pages.
	const visitor = consoleErrors.watch(
		await ( await browser.newContext( { baseURL: stack.wpUrl } ) ).newPage()
	);
	for ( const path of [ '/pricing/', '/privacy-policy/' ] ) {
		await visitor.goto( path );
		await expect(
			visitor.getByRole( 'button', { name: 'Open chat' } )
		).toBeVisible();
	}

	// Off in the list: the launcher is gone.
	await row
		.getByRole( 'checkbox', { name: 'Chat on: Support chat' } )
		.click();
	await expect( notice( admin, 'Support chat is off.' ) ).toBeVisible();
	await expect(
		row.getByRole( 'checkbox', { name: 'Chat on: Support chat' } )
	).not.toBeChecked();
	for ( const path of [ '/pricing/', '/privacy-policy/' ] ) {
		await visitor.goto( path );
		await expect( visitor.locator( 'body' ) ).toBeVisible();
		await expect( visitor.locator( '#chatflows-widget' ) ).toHaveCount( 0 );
	}
	await visitor.context().close();
	await admin.context().close();
} );

test( 'the editor refuses bad input with the field named, maps WordPress’s refusals onto fields, handles conflicts and warns before leaving', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const admin = await adminPage( browser, stack, consoleErrors );
	// A team that no saved chatflow uses yet, so it can be deleted meanwhile.
	const temporary = await rest< { id: number } >( admin, {
		path: '/chatflows/v1/teams',
		method: 'POST',
		data: { name: 'Night shift', memberIds: [] },
	} );
	await admin.getByRole( 'link', { name: 'Edit Support chat' } ).click();
	await expect(
		admin.getByRole( 'heading', { name: 'Edit chatflow: Support chat' } )
	).toBeVisible();
	for ( const tab of [
		'Build',
		'Target',
		'Display',
		'Knowledge base',
		'Options',
	] ) {
		await expect( admin.getByRole( 'tab', { name: tab } ) ).toBeVisible();
	}

	// Display: seconds and scroll percentage.
	await admin.getByRole( 'tab', { name: 'Display' } ).click();
	const seconds = admin.getByLabel( 'Seconds on the page', { exact: true } );
	await seconds.fill( '-1' );
	await expectFieldError(
		admin.getByLabel( 'Seconds on the page', { exact: true } ),
		/from 0 to 3600/
	);
	await seconds.fill( '99999' );
	await expectFieldError(
		admin.getByLabel( 'Seconds on the page', { exact: true } ),
		/from 0 to 3600/
	);
	await seconds.fill( '2' );
	await expect(
		admin.getByText( 'We recommend 5 seconds or more' )
	).toBeVisible();
	await admin
		.getByLabel( 'Percentage of the page scrolled', { exact: true } )
		.fill( '101' );
	await expectFieldError(
		admin.getByLabel( 'Percentage of the page scrolled', { exact: true } ),
		'Enter a percentage from 0 to 100.'
	);

	// Saving with errors saves nothing and says so.
	await admin.getByRole( 'button', { name: 'Save', exact: true } ).click();
	await expect(
		notice( admin, 'Some fields need your attention. Nothing was saved.' )
	).toBeVisible();
	await admin
		.getByLabel( 'Percentage of the page scrolled', { exact: true } )
		.fill( '50' );

	// WordPress refuses what the browser cannot know: a team chosen here was
	// deleted meanwhile by someone else.
	await admin.getByRole( 'tab', { name: 'Build' } ).click();
	await admin
		.getByRole( 'group', { name: 'Teams', exact: true } )
		.getByLabel( 'Night shift', { exact: true } )
		.check();
	await rest( admin, {
		path: `/chatflows/v1/teams/${ temporary.id }`,
		method: 'DELETE',
	} );
	await admin.getByRole( 'button', { name: 'Save', exact: true } ).click();
	await expect(
		admin
			.getByRole( 'group', { name: 'Teams', exact: true } )
			.getByText( 'This team does not exist.' )
	).toBeVisible();
	await expect(
		notice( admin, 'Some fields need your attention. Nothing was saved.' )
	).toBeVisible();
	consoleErrors.forget( /status of 400 \(Bad Request\)/ );
	await admin
		.getByRole( 'group', { name: 'Teams', exact: true } )
		.getByLabel( 'Night shift', { exact: true } )
		.uncheck();

	// Assign to a person instead; then save.
	await admin
		.getByRole( 'group', { name: 'Users', exact: true } )
		.getByLabel( 'Alex Agent', { exact: true } )
		.check();
	await admin.getByRole( 'button', { name: 'Save', exact: true } ).click();
	await expect( notice( admin, 'Chatflow saved.' ) ).toBeVisible();

	// Someone else saves meanwhile: this editor's save is refused, then reloads.
	const [ current ] = await rest< ChatflowRecord[] >( admin, {
		path: '/chatflows/v1/chatflows',
	} );
	await rest( admin, {
		path: `/chatflows/v1/chatflows/${ current.id }`,
		method: 'PUT',
		data: { title: 'Support chat (theirs)', version: current.version },
	} );
	await admin
		.getByLabel( 'Name', { exact: true } )
		.fill( 'Support chat (mine)' );
	await admin.getByRole( 'button', { name: 'Save', exact: true } ).click();
	await expect(
		notice( admin, /Someone else saved this chatflow/ )
	).toBeVisible();
	consoleErrors.forget( /status of 409 \(Conflict\)/ );
	await admin.getByRole( 'button', { name: 'Reload the chatflow' } ).click();
	await expect( admin.getByLabel( 'Name', { exact: true } ) ).toHaveValue(
		'Support chat (theirs)'
	);

	// Knowledge base and options are saved like the rest.
	await admin.getByRole( 'tab', { name: 'Knowledge base' } ).click();
	await admin
		.getByLabel( 'Let visitors search the site from the chat', {
			exact: true,
		} )
		.check();
	await admin.getByLabel( 'A category', { exact: true } ).check();
	await admin
		.getByRole( 'combobox', { name: 'Category' } )
		.selectOption( { label: 'Uncategorized' } );
	await admin.getByRole( 'tab', { name: 'Options' } ).click();
	await admin
		.getByRole( 'combobox', { name: 'Language of the chat' } )
		.selectOption( { label: 'Danish' } );
	await admin
		.getByLabel( 'Ask for consent to process data', { exact: true } )
		.check();
	const privacyLink = admin.getByLabel( 'Privacy policy link', {
		exact: true,
	} );
	await privacyLink.fill( 'javascript:alert(1)' );
	await expectFieldError(
		admin.getByLabel( 'Privacy policy link', { exact: true } ),
		/starting with http:\/\/ or https:\/\//
	);
	await privacyLink.fill( 'https://example.com/privacy' );
	await admin.getByRole( 'button', { name: 'Save', exact: true } ).click();
	await expect( notice( admin, 'Chatflow saved.' ) ).toBeVisible();
	const afterOptions = await rest< ChatflowRecord >( admin, {
		path: `/chatflows/v1/chatflows/${ current.id }`,
	} );
	expect( afterOptions.settings.knowledgeBase ).toMatchObject( {
		enabled: true,
		sourceType: 'category',
	} );
	expect( afterOptions.settings.options ).toMatchObject( {
		language: 'da_DK',
		dataConsent: {
			enabled: true,
			privacyPolicyUrl: 'https://example.com/privacy',
		},
	} );

	// Custom branding: a team name and an image from the media library.
	const logo = await admin.evaluate( async () => {
		const png = Uint8Array.from(
			atob(
				'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=='
			),
			( character ) => character.charCodeAt( 0 )
		);
		const body = new FormData();
		body.append(
			'file',
			new File( [ png ], 'acme-logo.png', { type: 'image/png' } )
		);
		const media = ( await (
			window as unknown as {
				wp: { apiFetch: ( o: unknown ) => Promise< { id: number } > };
			}
		 ).wp.apiFetch( { path: '/wp/v2/media', method: 'POST', body } ) ) as {
			id: number;
		};
		return media.id;
	} );
	await admin.getByRole( 'tab', { name: 'Build' } ).click();
	await admin.getByLabel( 'Custom branding', { exact: true } ).check();
	await expectFieldError(
		admin.getByLabel( 'Team name', { exact: true } ),
		'Custom branding needs a team name.'
	);
	// The image is optional, as WordPress has it (the heading shows the team name alone).
	await expect(
		admin.getByText( 'Choose an image from the media library.' )
	).toHaveCount( 0 );
	await admin
		.getByLabel( 'Team name', { exact: true } )
		.fill( 'Acme support' );
	await admin.getByRole( 'button', { name: 'Choose image' } ).click();
	const library = admin.getByRole( 'dialog', {
		name: 'Choose the heading image',
	} );
	await library.getByRole( 'tab', { name: 'Media Library' } ).click();
	await library.getByRole( 'checkbox', { name: 'acme-logo' } ).click();
	await library.getByRole( 'button', { name: 'Use this image' } ).click();
	await expect(
		admin.getByRole( 'img', { name: 'Heading image' } )
	).toBeVisible();
	await admin
		.getByLabel( 'Use as alias for agents', { exact: true } )
		.check();
	await admin.getByRole( 'button', { name: 'Save', exact: true } ).click();
	await expect( notice( admin, 'Chatflow saved.' ) ).toBeVisible();
	const branded = await rest< ChatflowRecord >( admin, {
		path: `/chatflows/v1/chatflows/${ current.id }`,
	} );
	expect( branded.settings.heading ).toEqual( {
		mode: 'custom_branding',
		userIds: [],
		teamIds: [],
		teamName: 'Acme support',
		imageId: logo,
		useAsAlias: true,
	} );

	// Unsaved changes: leaving in the app asks first.
	await admin.getByRole( 'tab', { name: 'Options' } ).click();
	// On for a new chatflow, as in HubSpot's article.
	await expect(
		admin.getByLabel( 'Ask for consent to chat cookies', { exact: true } )
	).toBeChecked();
	await admin
		.getByLabel( 'Cookie consent text', { exact: true } )
		.fill( 'Cookies?' );
	await admin
		.getByRole( 'button', {
			name: 'Reset to default: Cookie consent text',
		} )
		.click();
	await expect(
		admin.getByLabel( 'Cookie consent text', { exact: true } )
	).toHaveValue( '' );
	await admin
		.getByLabel( 'Ask for consent to chat cookies', { exact: true } )
		.uncheck();
	admin.once( 'dialog', ( dialog ) => dialog.dismiss() );
	await admin.getByRole( 'link', { name: '← All chatflows' } ).click();
	await expect(
		admin.getByRole( 'heading', { name: /Edit chatflow/ } )
	).toBeVisible();
	admin.once( 'dialog', ( dialog ) => dialog.accept() );
	await admin.getByRole( 'link', { name: '← All chatflows' } ).click();
	await expect(
		admin.getByRole( 'row', { name: /Support chat \(theirs\)/ } )
	).toBeVisible();

	// Duplicate, then delete the copy after confirming.
	await admin
		.getByRole( 'button', { name: 'Duplicate Support chat (theirs)' } )
		.click();
	const copyName = 'Support chat (theirs) (copy)';
	const copy = admin.getByRole( 'row', { name: copyName } );
	await expect( copy ).toBeVisible();
	await expect(
		copy.getByRole( 'checkbox', { name: `Chat on: ${ copyName }` } )
	).not.toBeChecked();

	// The copy comes second; moved up, it comes first.
	const names = () =>
		admin.locator( '.chatflows-list__table tbody th a' ).allTextContents();
	expect( await names() ).toEqual( [ 'Support chat (theirs)', copyName ] );
	await admin
		.getByRole( 'button', { name: `Move ${ copyName } up` } )
		.click();
	await expect( notice( admin, 'Priority changed.' ) ).toBeVisible();
	expect( await names() ).toEqual( [ copyName, 'Support chat (theirs)' ] );
	await admin.reload();
	await expect( copy ).toBeVisible();
	expect( await names() ).toEqual( [ copyName, 'Support chat (theirs)' ] );

	// Delete asks first; cancelling keeps it.
	await admin.getByRole( 'button', { name: `Delete ${ copyName }` } ).click();
	await admin
		.getByRole( 'dialog', { name: `Delete ${ copyName }?` } )
		.getByRole( 'button', { name: 'Cancel' } )
		.click();
	await expect( copy ).toBeVisible();
	await admin.getByRole( 'button', { name: `Delete ${ copyName }` } ).click();
	await admin.getByRole( 'button', { name: 'Delete chatflow' } ).click();
	await expect( copy ).toHaveCount( 0 );

	// Unsaved changes: leaving the page asks the browser's own question.
	await admin
		.getByRole( 'link', { name: 'Edit Support chat (theirs)' } )
		.click();
	await admin.getByLabel( 'Name', { exact: true } ).fill( 'Unsaved name' );
	const beforeUnload = admin.waitForEvent( 'dialog' );
	await admin.close( { runBeforeUnload: true } );
	const dialog = await beforeUnload;
	expect( dialog.type() ).toBe( 'beforeunload' );
	await dialog.accept();
	await admin.context().close();
} );

test( 'teams and capacity: a team with members, a capacity out of range refused', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const admin = await adminPage(
		browser,
		stack,
		consoleErrors,
		'/wp-admin/admin.php?page=chatflows-teams'
	);
	await admin.getByRole( 'button', { name: 'Add team' } ).click();
	const dialog = admin.getByRole( 'dialog', { name: 'Add team' } );
	await dialog.getByRole( 'button', { name: 'Save team' } ).click();
	await expect( dialog.getByText( 'Give the team a name.' ) ).toBeVisible();
	await dialog.getByLabel( 'Team name', { exact: true } ).fill( 'Support' );
	await dialog.getByLabel( 'Alex Agent', { exact: true } ).check();
	await dialog.getByRole( 'button', { name: 'Save team' } ).click();
	await expect( notice( admin, 'Team created.' ) ).toBeVisible();
	await expect(
		admin.getByRole( 'row', { name: /Support/ } ).first()
	).toContainText( 'Alex Agent' );

	const capacity = admin.getByLabel( 'Capacity of Alex Agent', {
		exact: true,
	} );
	await capacity.fill( '0' );
	await expectFieldError(
		admin.getByLabel( 'Capacity of Alex Agent', { exact: true } ),
		'Enter a whole number from 1 to 100.'
	);
	await capacity.fill( '8' );
	await admin
		.getByRole( 'button', { name: 'Save capacity of Alex Agent' } )
		.click();
	await expect(
		notice( admin, 'Capacity of Alex Agent saved.' )
	).toBeVisible();
	const agents = await rest< Array< { name: string; capacity: number } > >(
		admin,
		{
			path: '/chatflows/v1/agents',
		}
	);
	expect(
		agents.find( ( agent ) => agent.name === 'Alex Agent' )?.capacity
	).toBe( 8 );

	// With the service down, the save still succeeds and says the service
	// will pick it up when it starts.
	await stack.service.stop();
	await capacity.fill( '9' );
	await admin
		.getByRole( 'button', { name: 'Save capacity of Alex Agent' } )
		.click();
	await expect(
		notice( admin, 'Capacity of Alex Agent saved.' )
	).toBeVisible();
	await expect(
		notice( admin, /it will pick up the changes when it starts/ )
	).toBeVisible();
	await stack.restartService();

	// An inbox with its agents and teams.
	await admin.getByRole( 'button', { name: 'Add inbox' } ).click();
	const inboxDialog = admin.getByRole( 'dialog', { name: 'Add inbox' } );
	await inboxDialog
		.getByLabel( 'Inbox name', { exact: true } )
		.fill( 'Sales desk' );
	await inboxDialog
		.getByRole( 'group', { name: 'Agents' } )
		.getByLabel( 'Alex Agent', { exact: true } )
		.check();
	await inboxDialog
		.getByRole( 'group', { name: 'Teams', exact: true } )
		.getByLabel( 'Support', { exact: true } )
		.check();
	await inboxDialog.getByRole( 'button', { name: 'Save inbox' } ).click();
	await expect( notice( admin, 'Inbox created.' ) ).toBeVisible();
	const inboxRow = admin.getByRole( 'row', { name: /^Sales desk/ } );
	await expect( inboxRow ).toContainText( 'Alex Agent' );
	await expect( inboxRow ).toContainText( 'Support' );

	// Agents may not reach the managers' screens.
	const agent = await loggedInPage( browser, stack, 'agent' );
	const response = await agent.goto( CHATFLOWS_PAGE );
	expect( response?.status() ).toBe( 403 );
	await agent.context().close();
	await admin.context().close();
} );
