/**
 * Setting a chat up as HubSpot's "Create a live chat" article tells a new
 * user to, in Chromium against a real WordPress and chat service: the wizard
 * shows errors only once a field was left or Next pressed; the first chatflow
 * shows on all pages and Publish says where; the preview has device-type
 * buttons and a phone shows the open chat; the Options tab's defaults are the
 * article's (consent on) and consent to communications is a readable choice;
 * the chat heading shows the users and teams chosen for it before anyone is
 * assigned. Screenshots of the wizard and the editor at desktop and phone
 * sizes are kept as test artifacts.
 */
import type { Page, TestInfo } from '@playwright/test';

import { expect, test } from './fixtures';
import {
	adminPage,
	deleteAllChatflows,
	expectFieldError,
	rest,
	visitorPage,
} from './helpers';

// This spec deletes the demo's chatflow: it gets a site of its own.
test.use( { siteName: 'chatflow-setup' } );
test.describe.configure( { mode: 'serial' } );

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

interface ChatflowRecord {
	id: number;
	title: string;
	settings: {
		options: {
			cookieConsent: { enabled: boolean };
			dataConsent: { enabled: boolean };
			communicationsConsent: { subscriptionType: string };
		};
		heading: { userIds: number[]; teamIds: number[] };
		target: { allPages: boolean };
	};
}

/**
 * Keeps a screenshot of the page as a test artifact, at a desktop's and a
 * phone's size, and checks that nothing is wider than the screen.
 *
 * @param page          A page.
 * @param testInfo      The test's info.
 * @param name          Name of the screen.
 * @param checkOverflow Also check that nothing is wider than the screen.
 */
async function screenshots(
	page: Page,
	testInfo: TestInfo,
	name: string,
	checkOverflow = true
) {
	for ( const [ size, viewport ] of [
		[ 'desktop', DESKTOP ],
		[ 'phone', PHONE ],
	] as const ) {
		await page.setViewportSize( viewport );
		const path = testInfo.outputPath( `${ name }-${ size }.png` );
		await page.screenshot( { path, fullPage: true } );
		await testInfo.attach( `${ name }-${ size }`, {
			path,
			contentType: 'image/png',
		} );
		if ( ! checkOverflow ) {
			continue;
		}
		// Nothing of the app runs off the side of the screen.
		const overflow = await page.evaluate( () => {
			const app = document.querySelector( '#wpbody-content' );
			return app ? app.scrollWidth - app.clientWidth : 0;
		} );
		expect( overflow, `${ name } at ${ size } size` ).toBeLessThanOrEqual(
			0
		);
	}
	await page.setViewportSize( DESKTOP );
}

/**
 * Opens the editor of the site's first chatflow, at a desktop's size.
 *
 * @param admin A wp-admin page.
 * @return The chatflow as it was stored.
 */
async function openFirstChatflow( admin: Page ) {
	await admin.setViewportSize( DESKTOP );
	const [ chatflow ] = await allChatflows( admin );
	await admin.goto(
		`/wp-admin/admin.php?page=chatflows-chatflows&chatflow=${ chatflow.id }`
	);
	return chatflow;
}

async function allChatflows( admin: Page ) {
	return rest< ChatflowRecord[] >( admin, {
		path: '/chatflows/v1/chatflows',
	} );
}

test( 'the wizard shows a field’s error once the field is left or Next is pressed, not before', async ( {
	browser,
	stack,
	consoleErrors,
}, testInfo ) => {
	const admin = await adminPage( browser, stack, consoleErrors );
	await admin.setViewportSize( DESKTOP );
	await admin.getByRole( 'link', { name: 'Create chatflow' } ).click();
	const name = admin.getByLabel( 'Name', { exact: true } );
	await expect( name ).toHaveValue( '' );

	// Nothing typed yet: no error.
	await expect( admin.getByText( 'Give the chatflow a name.' ) ).toHaveCount(
		0
	);
	await expect( admin.locator( '[aria-invalid="true"]' ) ).toHaveCount( 0 );
	await screenshots( admin, testInfo, 'wizard-empty' );

	// Leaving the field shows it.
	await name.focus();
	await name.blur();
	await expectFieldError( name, 'Give the chatflow a name.' );

	// Fixed as the name is typed; Next also shows it, without leaving the field.
	await name.fill( 'Support chat' );
	await expect( name ).not.toHaveAttribute( 'aria-invalid', 'true' );
	await admin.reload();
	await admin.getByRole( 'button', { name: 'Next' } ).click();
	await expectFieldError(
		admin.getByLabel( 'Name', { exact: true } ),
		'Give the chatflow a name.'
	);
	await expect(
		admin.getByRole( 'region', { name: 'Inbox', exact: true } )
	).toBeVisible();
	await admin.context().close();
} );

test( 'the first chatflow shows on all pages; after Publish a notice says where, with links; the chat shows there', async ( {
	browser,
	stack,
	consoleErrors,
}, testInfo ) => {
	const admin = await adminPage( browser, stack, consoleErrors );
	await admin.setViewportSize( DESKTOP );
	await deleteAllChatflows( admin );
	await admin.reload();
	await expect(
		admin.getByRole( 'heading', { name: 'Set up your first chatflow' } )
	).toBeVisible();
	for ( let step = 0; step < 5; step++ ) {
		await admin.getByRole( 'button', { name: 'Next' } ).click();
	}
	await expect(
		admin.getByRole( 'region', { name: 'Publish', exact: true } )
	).toBeVisible();
	await expect(
		admin.getByLabel( 'Show chat on all pages', { exact: true } )
	).toBeChecked();
	await admin.getByRole( 'button', { name: 'Publish' } ).click();

	const published = admin
		.locator( '.components-notice' )
		.filter( { hasText: 'the chat now shows on every page of your site' } );
	await expect( published ).toBeVisible();
	await expect(
		published.getByRole( 'link', { name: 'View your site' } )
	).toHaveAttribute( 'href', `${ stack.wpUrl }/` );
	await expect(
		published.getByRole( 'link', { name: 'Choose where the chat shows' } )
	).toBeVisible();
	// The list's table is wider than a phone (its layout is not this spec's subject).
	await screenshots( admin, testInfo, 'list-after-publish', false );

	const [ stored ] = await allChatflows( admin );
	expect( stored.settings.target.allPages ).toBe( true );
	const visitor = await visitorPage(
		browser,
		stack,
		consoleErrors,
		'/privacy-policy/'
	);
	await expect(
		visitor.getByRole( 'button', { name: 'Open chat' } )
	).toBeVisible();
	await visitor.context().close();

	// The editor link opens the chatflow.
	await published
		.getByRole( 'link', { name: 'Choose where the chat shows' } )
		.click();
	await expect(
		admin.getByRole( 'heading', { name: /^Edit chatflow:/ } )
	).toBeVisible();
	await admin.context().close();
} );

test( 'the preview has device-type buttons; on a phone the open chat fills the screen', async ( {
	browser,
	stack,
	consoleErrors,
}, testInfo ) => {
	const admin = await adminPage( browser, stack, consoleErrors );
	await admin.setViewportSize( DESKTOP );
	await admin.getByRole( 'link', { name: 'Create chatflow' } ).click();
	await admin.getByLabel( 'Name', { exact: true } ).fill( 'Preview chat' );
	for ( let step = 0; step < 4; step++ ) {
		await admin.getByRole( 'button', { name: 'Next' } ).click();
	}
	const devices = admin.getByRole( 'group', { name: 'Device type' } );
	await expect( devices.getByRole( 'button' ) ).toHaveText( [
		'Desktop',
		'Tablet',
		'Mobile',
	] );
	await expect(
		devices.getByRole( 'button', { name: 'Desktop' } )
	).toHaveAttribute( 'aria-pressed', 'true' );
	// One preview at a time.
	await expect( admin.locator( 'iframe[title^="Preview on"]' ) ).toHaveCount(
		1
	);
	await expect(
		admin
			.frameLocator( 'iframe[title="Preview on desktop"]' )
			.getByRole( 'button', { name: 'Close chat', expanded: true } )
	).toBeVisible();

	await devices.getByRole( 'button', { name: 'Mobile' } ).click();
	await expect(
		devices.getByRole( 'button', { name: 'Mobile' } )
	).toHaveAttribute( 'aria-pressed', 'true' );
	await expect( admin.locator( 'iframe[title^="Preview on"]' ) ).toHaveCount(
		1
	);
	const phone = admin.frameLocator( 'iframe[title="Preview on mobile"]' );
	const chat = phone.getByRole( 'dialog' );
	await expect( chat ).toBeVisible();
	const share = await chat.evaluate( ( element ) => {
		const rect = element.getBoundingClientRect();
		return {
			width: rect.width / window.innerWidth,
			height: rect.height / window.innerHeight,
		};
	} );
	expect( share.width ).toBeGreaterThanOrEqual( 0.99 );
	expect( share.height ).toBeGreaterThanOrEqual( 0.99 );
	await screenshots( admin, testInfo, 'wizard-preview-mobile' );
	await admin.context().close();
} );

test( 'the Options tab has the article’s defaults, and consent to communications is a readable choice with a sentence for label', async ( {
	browser,
	stack,
	consoleErrors,
}, testInfo ) => {
	const admin = await adminPage( browser, stack, consoleErrors );
	const chatflow = await openFirstChatflow( admin );
	await admin.getByRole( 'tab', { name: 'Options' } ).click();
	await expect(
		admin.getByLabel( 'Ask for consent to chat cookies', { exact: true } )
	).toBeChecked();
	await expect(
		admin.getByLabel( 'Ask for consent to process data', { exact: true } )
	).toBeChecked();
	await expect(
		admin.getByLabel( 'Ask for consent to communications', {
			exact: true,
		} )
	).not.toBeChecked();

	await admin
		.getByLabel( 'Ask for consent to communications', { exact: true } )
		.check();
	const type = admin.getByRole( 'combobox', { name: 'Subscription type' } );
	await expect( type.locator( 'option' ) ).toHaveText( [
		'One-to-one',
		'Marketing information',
		'Customer service communication',
	] );
	await expect( type ).toHaveValue( 'one_to_one' );
	await expect(
		admin.getByLabel( 'Checkbox label', { exact: true } )
	).toHaveAttribute(
		'placeholder',
		/^I agree to receive other communications from .+\.$/
	);
	await type.selectOption( { label: 'Marketing information' } );
	await screenshots( admin, testInfo, 'editor-options' );
	await admin.getByRole( 'button', { name: 'Save' } ).click();
	await expect(
		admin.locator( '.components-notice' ).filter( { hasText: /saved/i } )
	).toBeVisible();
	const [ saved ] = await allChatflows( admin );
	expect(
		saved.settings.options.communicationsConsent.subscriptionType
	).toBe( 'marketing' );

	// WordPress refuses a type that is not one of them, and a heading showing a
	// team that does not exist, naming the field, and saves nothing.
	const version = ( saved as unknown as { version: number } ).version;
	for ( const [ settings, field ] of [
		[
			{
				options: {
					communicationsConsent: { subscriptionType: 'Newsletter' },
				},
			},
			'settings.options.communicationsConsent.subscriptionType',
		],
		[ { heading: { teamIds: [ 999999 ] } }, 'settings.heading.teamIds[0]' ],
	] as const ) {
		const refused = await admin.evaluate(
			async ( request ) => {
				try {
					await (
						window as unknown as {
							wp: {
								apiFetch: ( o: unknown ) => Promise< unknown >;
							};
						}
					 ).wp.apiFetch( request );
					return null;
				} catch ( error ) {
					return error as {
						code: string;
						data: { params: Record< string, string > };
					};
				}
			},
			{
				path: `/chatflows/v1/chatflows/${ chatflow.id }`,
				method: 'PUT',
				data: { version, title: 'Must not be saved', settings },
			}
		);
		expect( refused?.code ).toBe( 'rest_invalid_param' );
		expect( Object.keys( refused!.data.params ) ).toEqual( [ field ] );
	}
	consoleErrors.forget( /status of 400 \(Bad Request\)/ );
	const [ after ] = await allChatflows( admin );
	expect( after ).toEqual( saved );
	await admin.context().close();
} );

test( 'the chat heading shows the users and teams chosen for it, with avatars, before anyone is assigned', async ( {
	browser,
	stack,
	consoleErrors,
}, testInfo ) => {
	const admin = await adminPage( browser, stack, consoleErrors );
	await openFirstChatflow( admin );
	await expect(
		admin.getByLabel( 'Specific users and teams', { exact: true } )
	).toBeChecked();
	const users = admin.getByRole( 'group', {
		name: 'Users in the chat heading',
	} );
	const teams = admin.getByRole( 'group', {
		name: 'Teams in the chat heading',
	} );
	// Each choice with its avatar (initials here: the test site shows no avatars).
	await expect(
		users.locator( '.chatflows-person' ).filter( { hasText: 'Alex Agent' } )
	).toContainText( 'AA' );
	await users
		.getByRole( 'checkbox', { name: 'Alex Agent', exact: true } )
		.check();
	await teams.getByRole( 'checkbox', { name: 'Sales', exact: true } ).check();
	await screenshots( admin, testInfo, 'editor-heading' );
	await admin.getByRole( 'button', { name: 'Save' } ).click();
	await expect(
		admin.locator( '.components-notice' ).filter( { hasText: /saved/i } )
	).toBeVisible();
	const [ saved ] = await allChatflows( admin );
	expect( saved.settings.heading.userIds ).toHaveLength( 1 );
	expect( saved.settings.heading.teamIds ).toHaveLength( 1 );

	// A visitor sees them in the heading before any agent is assigned or answers.
	const visitor = await visitorPage(
		browser,
		stack,
		consoleErrors,
		'/privacy-policy/'
	);
	await visitor.getByRole( 'button', { name: 'Open chat' } ).click();
	const chat = visitor.getByRole( 'dialog', { name: 'Alex Agent, Sales' } );
	await expect( chat ).toBeVisible();
	await expect( chat.locator( '.avatar' ).first() ).toHaveText( 'AA' );
	await visitor.context().close();
	await admin.context().close();
} );
