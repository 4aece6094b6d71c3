/**
 * Targeting end to end: the Live chat block chosen in the editor and the chat
 * inline on the published page; "never" leaves no widget script; rules set in
 * the Target tab (an exclusion for the privacy policy, a query parameter
 * rule, an invalid pattern refused, the tester); a known contact gets another
 * chatflow than an unknown visitor; a page outside WordPress shows the chat
 * through the snippet once the site lists its origin.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page, Request } from '@playwright/test';

import {
	outsidePageSnippet,
	type EmbedUrls,
} from '../../admin/src/chatflows/outside-page-snippet';
import {
	expect,
	loggedInPage,
	test,
	type ConsoleErrors,
	type Stack,
} from './fixtures';
import {
	adminPage,
	expectFieldError,
	publishChatflow,
	rest,
	sendAsVisitor,
} from './helpers';

test.use( { siteName: 'targeting' } );
// The block editor and wp-admin are slow on a busy machine: a wider budget per test.
test.describe.configure( { mode: 'serial', timeout: 180_000 } );

const CHATFLOWS_PAGE = '/wp-admin/admin.php?page=chatflows-chatflows';

interface ChatflowRecord {
	id: number;
	title: string;
	version: number;
	enabled: boolean;
}

/**
 * A visitor's page, its requests recorded.
 *
 * @param browser       Browser.
 * @param stack         Stack.
 * @param consoleErrors Console error guard.
 */
async function visitor(
	browser: Browser,
	stack: Stack,
	consoleErrors: ConsoleErrors
) {
	const context = await browser.newContext( { baseURL: stack.wpUrl } );
	const page = consoleErrors.watch( await context.newPage() );
	const requests: string[] = [];
	page.on( 'request', ( request: Request ) =>
		requests.push( request.url() )
	);
	return { page, requests };
}

/**
 * Whether the page carries anything of the widget: its script, its inline
 * configuration, or a request for it.
 *
 * @param page     The visitor's page.
 * @param requests Requested URLs.
 */
async function expectNoWidget( page: Page, requests: string[] ) {
	await expect( page.locator( 'script[src*="build/widget/"]' ) ).toHaveCount(
		0
	);
	expect( await page.content() ).not.toContain( 'chatflowsConfig' );
	expect(
		requests.filter( ( url ) => url.includes( 'build/widget/' ) )
	).toEqual( [] );
	await expect( page.locator( '#chatflows-widget' ) ).toHaveCount( 0 );
}

/**
 * The chatflow the loader chose, from its inline configuration.
 *
 * @param page The visitor's page.
 */
function configuredChatflow( page: Page ) {
	return page.evaluate( () => {
		const config = (
			window as unknown as {
				chatflowsConfig?: {
					chatflowId?: string;
					candidates?: Array< { config: { chatflowId: string } } >;
				};
			}
		 ).chatflowsConfig;
		return config?.chatflowId ?? null;
	} );
}

/**
 * Creates a published chatflow through the REST API, available around the clock.
 *
 * @param admin    A wp-admin page.
 * @param title    Name.
 * @param settings Settings besides availability.
 */
async function publishedChatflow(
	admin: Page,
	title: string,
	settings: Record< string, unknown > = {}
) {
	return publishChatflow( admin, title, {
		availability: { mode: 'always' },
		...settings,
	} );
}

/**
 * The demo chatflow, answering around the clock (nobody is online in these tests).
 *
 * @param admin    A wp-admin page.
 * @param settings More settings to save.
 */
async function demoChatflow(
	admin: Page,
	settings: Record< string, unknown > = {}
) {
	const demo = (
		await rest< ChatflowRecord[] >( admin, {
			path: '/chatflows/v1/chatflows',
		} )
	).find( ( chatflow ) => chatflow.title === 'Website chat' )!;
	await rest( admin, {
		path: `/chatflows/v1/chatflows/${ demo.id }`,
		method: 'PUT',
		data: {
			version: demo.version,
			settings: { availability: { mode: 'always' }, ...settings },
		},
	} );
	return demo.id;
}

test( 'the Live chat block: chosen in the editor, published, a visitor chats inline; "never" leaves no widget script', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const admin = consoleErrors.watch(
		await loggedInPage( browser, stack, 'admin' )
	);
	// The inserter also searches WordPress.org's block directory, which this offline machine cannot reach.
	await admin.route( '**/wp/v2/block-directory/search**', ( route ) =>
		route.fulfill( { json: [] } )
	);
	await admin.goto( CHATFLOWS_PAGE );
	await demoChatflow( admin );

	// Insert the block in a new page and choose the demo chatflow.
	await admin.goto( '/wp-admin/post-new.php?post_type=page' );
	await admin
		.getByRole( 'textbox', { name: 'Add title' } )
		.fill( 'Talk to us' );
	await admin
		.getByRole( 'button', { name: 'Toggle block inserter' } )
		.click();
	await admin
		.getByRole( 'searchbox', { name: 'Search for blocks and patterns' } )
		.fill( 'Live chat' );
	await admin.getByRole( 'option', { name: 'Live chat' } ).click();
	const block = admin.locator( '[data-type="chatflows/live-chat"]' );
	await block
		.getByRole( 'combobox', { name: 'Chatflow' } )
		.selectOption( { label: 'Website chat' } );
	// The preview shows the chatflow's own welcome message.
	await expect(
		block.getByText( 'Hi! Questions about our plans? Ask us here.' )
	).toBeVisible();

	await admin
		.getByRole( 'region', { name: 'Editor top bar' } )
		.getByRole( 'button', { name: 'Publish', exact: true } )
		.click();
	await admin
		.getByRole( 'region', { name: 'Editor publish' } )
		.getByRole( 'button', { name: 'Publish', exact: true } )
		.click();
	await expect(
		admin
			.getByRole( 'region', { name: 'Editor publish' } )
			.getByText( 'is now live.' )
	).toBeVisible();
	const url = await admin.evaluate( () =>
		(
			window as unknown as {
				wp: {
					data: {
						select: ( store: string ) => {
							getPermalink: () => string;
						};
					};
				};
			}
		 ).wp.data
			.select( 'core/editor' )
			.getPermalink()
	);

	// A visitor chats in the chat embedded where the block is.
	const first = await visitor( browser, stack, consoleErrors );
	await first.page.goto( url );
	const inline = first.page.locator( '.chatflows-inline' );
	await expect( inline ).toHaveCount( 1 );
	await expect(
		first.page.getByRole( 'textbox', { name: 'Message' } )
	).toBeVisible();
	await sendAsVisitor( first.page, 'Hello from the embedded chat' );
	expect(
		await inline.evaluate( ( element ) =>
			element.contains( document.getElementById( 'chatflows-widget' ) )
		)
	).toBe( true );

	// "Never show chat" in the page's own settings: no widget at all.
	await admin.getByRole( 'button', { name: 'Close panel' } ).click();
	const settingsToggle = admin
		.getByRole( 'region', { name: 'Editor top bar' } )
		.getByRole( 'button', { name: 'Settings', exact: true } );
	if ( ( await settingsToggle.getAttribute( 'aria-pressed' ) ) !== 'true' ) {
		await settingsToggle.click();
	}
	const settings = admin.getByRole( 'region', { name: 'Editor settings' } );
	await settings.getByRole( 'button', { name: /^Page/ } ).click();
	await settings.getByRole( 'button', { name: 'Chat on this page' } ).click();
	await admin.getByLabel( 'Never show chat' ).check();
	await admin
		.getByRole( 'region', { name: 'Editor top bar' } )
		.getByRole( 'button', { name: 'Update' } )
		.click();
	await expect(
		admin.getByRole( 'button', { name: 'Dismiss this notice' } ).filter( {
			hasText: 'Page updated.',
		} )
	).toBeVisible();

	const second = await visitor( browser, stack, consoleErrors );
	await second.page.goto( url );
	await expect(
		second.page.getByRole( 'heading', { name: 'Talk to us' } )
	).toBeVisible();
	await expectNoWidget( second.page, second.requests );
	await expect( second.page.locator( '.chatflows-inline' ) ).toHaveCount( 0 );
} );

test( 'the Target tab: an exclusion hides the chat on the privacy policy; bad patterns are refused with the field named; the tester names the deciding rule', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const admin = await adminPage( browser, stack, consoleErrors );
	const demo = await demoChatflow( admin );

	// The demo chatflow on all pages but the privacy policy, set in its Target tab.
	await admin.goto( `${ CHATFLOWS_PAGE }&chatflow=${ demo }` );
	await admin.getByRole( 'tab', { name: 'Target' } ).click();
	await admin.getByLabel( 'All pages', { exact: true } ).check();
	await admin.getByRole( 'button', { name: 'Add an exclusion' } ).click();
	const exclusion = admin.getByRole( 'group', { name: 'Exclusion 1' } );
	await exclusion
		.getByRole( 'combobox', { name: 'Comparison' } )
		.selectOption( { label: 'matches the pattern' } );
	const exclusionValue = exclusion.getByRole( 'textbox', { name: 'Value' } );
	await exclusionValue.fill( '/privacy-policy/**' );
	await expectFieldError( exclusionValue, /\*\* is not a pattern/ );
	await admin.getByRole( 'button', { name: 'Save', exact: true } ).click();
	await expect(
		admin
			.locator( '.components-notice__content' )
			.filter( { hasText: 'Some fields need your attention.' } )
	).toBeVisible();
	await exclusionValue.fill( '/privacy-policy/*' );
	await admin.getByRole( 'button', { name: 'Save', exact: true } ).click();
	await expect(
		admin
			.locator( '.components-notice__content' )
			.filter( { hasText: 'Chatflow saved.' } )
	).toBeVisible();

	// The tester names the exclusion that decided.
	await admin
		.getByRole( 'textbox', { name: 'Page URL' } )
		.fill( `${ stack.wpUrl }/privacy-policy/` );
	await admin.getByRole( 'button', { name: 'Test', exact: true } ).click();
	await expect(
		admin.getByRole( 'status' ).filter( { hasText: 'No chat' } )
	).toContainText( 'Exclusion 1 holds' );

	// WordPress refuses what the browser would not send, naming the field.
	const refused = await admin.evaluate( async ( id ) => {
		const wp = (
			window as unknown as {
				wp: { apiFetch: ( o: unknown ) => Promise< unknown > };
			}
		 ).wp;
		const current = ( await wp.apiFetch( {
			path: `/chatflows/v1/chatflows/${ id }`,
		} ) ) as { version: number };
		try {
			await wp.apiFetch( {
				path: `/chatflows/v1/chatflows/${ id }`,
				method: 'PUT',
				data: {
					version: current.version,
					settings: {
						target: {
							allPages: true,
							include: [],
							exclude: [
								{
									field: 'url',
									operator: 'matches',
									name: '',
									value: 'blog/*',
								},
							],
						},
					},
				},
			} );
			return null;
		} catch ( error ) {
			return ( error as { data: { params: Record< string, string > } } )
				.data.params;
		}
	}, demo );
	consoleErrors.forget( /400 \(Bad Request\)/ );
	expect( Object.keys( refused ?? {} ) ).toEqual( [
		'settings.target.exclude[0].value',
	] );

	const privacy = await visitor( browser, stack, consoleErrors );
	await privacy.page.goto( '/privacy-policy/' );
	await expect(
		privacy.page.getByRole( 'heading', { name: 'Privacy Policy' } )
	).toBeVisible();
	await expectNoWidget( privacy.page, privacy.requests );
	await privacy.page.goto( '/sample-page/' );
	await expect(
		privacy.page.getByRole( 'button', { name: 'Open chat' } )
	).toBeVisible();
	expect( await configuredChatflow( privacy.page ) ).toBe( String( demo ) );
} );

test( 'a query parameter rule, first in priority, serves only pages with ?utm_source=ads', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const admin = await adminPage( browser, stack, consoleErrors );
	const demo = await demoChatflow( admin, {
		target: { allPages: true, include: [], exclude: [] },
	} );

	// A chatflow for visitors from ads, through its Target tab.
	const ads = await publishedChatflow( admin, 'Ads chat', {
		display: { accentColor: '#16a34a' },
	} );
	await admin.goto( `${ CHATFLOWS_PAGE }&chatflow=${ ads }` );
	await admin.getByRole( 'tab', { name: 'Target' } ).click();
	await admin.getByRole( 'button', { name: 'Add a group of rules' } ).click();
	const rule = admin.getByRole( 'group', { name: 'Group 1, rule 1' } );
	await rule
		.getByRole( 'combobox', { name: 'Rule on' } )
		.selectOption( { label: 'Query parameter' } );
	await rule
		.getByRole( 'textbox', { name: 'Parameter' } )
		.fill( 'utm_source' );
	await rule.getByRole( 'textbox', { name: 'Value' } ).fill( 'ads' );
	await admin.getByRole( 'button', { name: 'Save', exact: true } ).click();
	await expect(
		admin
			.locator( '.components-notice__content' )
			.filter( { hasText: 'Chatflow saved.' } )
	).toBeVisible();

	// The tester, on the saved rules.
	await admin
		.getByRole( 'textbox', { name: 'Page URL' } )
		.fill( `${ stack.wpUrl }/sample-page/?utm_source=ads` );
	await admin.getByRole( 'button', { name: 'Test', exact: true } ).click();
	await expect(
		admin.getByRole( 'status' ).filter( { hasText: 'Website chat' } )
	).toContainText( 'Shows on all pages' );

	// First in priority, from the list.
	await admin.goto( CHATFLOWS_PAGE );
	await admin.getByRole( 'button', { name: 'Move Ads chat up' } ).click();
	await expect(
		admin
			.locator( '.components-notice__content' )
			.filter( { hasText: 'Priority changed.' } )
	).toBeVisible();
	await expect(
		admin.locator( '.chatflows-list__table tbody th' ).first()
	).toHaveText( 'Ads chat' );

	const ad = await visitor( browser, stack, consoleErrors );
	await ad.page.goto( '/sample-page/?utm_source=ads' );
	await expect(
		ad.page.getByRole( 'button', { name: 'Open chat' } )
	).toBeVisible();
	expect( await configuredChatflow( ad.page ) ).toBe( String( ads ) );
	await ad.page.goto( '/sample-page/' );
	await expect(
		ad.page.getByRole( 'button', { name: 'Open chat' } )
	).toBeVisible();
	expect( await configuredChatflow( ad.page ) ).toBe( String( demo ) );
	await ad.page.goto( '/sample-page/?utm_source=newsletter' );
	expect( await configuredChatflow( ad.page ) ).toBe( String( demo ) );
} );

test( 'a known-contact rule shows a visitor who gave their e-mail another chatflow', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const admin = await adminPage( browser, stack, consoleErrors );
	// The site's usual chatflow shows on every page.
	await demoChatflow( admin, {
		target: { allPages: true, include: [], exclude: [] },
	} );
	const chatflows = await rest< ChatflowRecord[] >( admin, {
		path: '/chatflows/v1/chatflows',
	} );
	const contacts = await publishedChatflow( admin, 'Customers chat', {
		welcomeMessage: { en_US: 'Welcome back! How is it going?' },
		target: {
			allPages: false,
			include: [
				{
					rules: [
						{
							field: 'contact',
							operator: 'is',
							name: '',
							value: 'known',
						},
					],
				},
			],
			exclude: [],
		},
	} );
	await rest( admin, {
		path: '/chatflows/v1/chatflows/order',
		method: 'PUT',
		data: {
			ids: [ contacts, ...chatflows.map( ( chatflow ) => chatflow.id ) ],
		},
	} );

	// An unknown visitor gets the site's usual chatflow, and gives their e-mail in it.
	const { page } = await visitor( browser, stack, consoleErrors );
	await page.goto( '/sample-page/' );
	await page.getByRole( 'button', { name: 'Open chat' } ).click();
	await expect(
		page
			.getByRole( 'log', { name: 'Messages' } )
			.getByText( 'Hi! Questions about our plans? Ask us here.' )
	).toBeVisible();
	await sendAsVisitor( page, 'Do you ship to Denmark?' );
	await page
		.getByRole( 'textbox', { name: 'E-mail address' } )
		.fill( 'ida@example.com' );
	await page.getByRole( 'button', { name: 'Save e-mail address' } ).click();
	await expect(
		page.getByText( 'We will follow up by e-mail', { exact: false } )
	).toBeVisible();

	// Known now: the next page shows the contacts' chatflow.
	await page.getByRole( 'button', { name: 'Close chat' } ).first().click();
	await expect(
		page.getByRole( 'button', { name: 'Open chat' } )
	).toBeVisible();
	await page.goto( '/sample-page/' );
	await page.getByRole( 'button', { name: 'Open chat' } ).click();
	await expect(
		page
			.getByRole( 'log', { name: 'Messages' } )
			.getByText( 'Welcome back! How is it going?' )
	).toBeVisible();
	await expect(
		page
			.getByRole( 'log', { name: 'Messages' } )
			.getByText( 'Hi! Questions about our plans? Ask us here.' )
	).toHaveCount( 0 );

	// Another, unknown visitor still gets the usual one.
	const other = await visitor( browser, stack, consoleErrors );
	await other.page.goto( '/sample-page/' );
	await other.page.getByRole( 'button', { name: 'Open chat' } ).click();
	await expect(
		other.page
			.getByRole( 'log', { name: 'Messages' } )
			.getByText( 'Hi! Questions about our plans? Ask us here.' )
	).toBeVisible();
} );

test( 'a page outside WordPress shows the chat through the snippet once the site lists its origin, and the visitor chats', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const admin = await adminPage( browser, stack, consoleErrors );
	const demo = await demoChatflow( admin, {
		target: { allPages: true, include: [], exclude: [] },
	} );
	const { embed } = await rest< { embed: EmbedUrls } >( admin, {
		path: '/chatflows/v1/targeting',
	} );
	const snippet = outsidePageSnippet( embed );

	// A landing page on another origin, with the snippet pasted in.
	const landing = http.createServer( ( _request, response ) => {
		response.writeHead( 200, {
			'Content-Type': 'text/html; charset=utf-8',
		} );
		response.end(
			`<!doctype html><html lang="en"><head><title>Landing</title></head><body><h1>Our landing page</h1>${ snippet }</body></html>`
		);
	} );
	await new Promise< void >( ( resolve ) =>
		landing.listen( 0, '127.0.0.1', resolve )
	);
	const origin = `http://127.0.0.1:${
		( landing.address() as AddressInfo ).port
	}`;
	try {
		// Not listed yet: the site refuses, and the page gets no chat.
		const before = await visitor( browser, stack, consoleErrors );
		const refusal = before.page.waitForResponse( ( response ) =>
			response.url().includes( '/chatflows/v1/embed' )
		);
		await before.page.goto( `${ origin }/landing` );
		expect( ( await refusal ).status() ).toBe( 403 );
		await expect(
			before.page.getByRole( 'heading', { name: 'Our landing page' } )
		).toBeVisible();
		await expect( before.page.locator( '#chatflows-widget' ) ).toHaveCount(
			0
		);
		consoleErrors.forget( /403 \(Forbidden\)/ );

		// Listed in the Target tab.
		await admin.goto( `${ CHATFLOWS_PAGE }&chatflow=${ demo }` );
		await admin.getByRole( 'tab', { name: 'Target' } ).click();
		await expect(
			admin.getByRole( 'textbox', { name: 'Snippet' } )
		).toHaveValue( snippet );
		await admin
			.getByRole( 'textbox', {
				name: 'Sites allowed to show the chat (one per line)',
			} )
			.fill( `${ origin }/` );
		await admin.getByRole( 'button', { name: 'Save sites' } ).click();
		await expect(
			admin
				.locator( '.components-notice__content' )
				.filter( { hasText: 'Sites saved.' } )
		).toBeVisible();

		// Now the chat shows there, and the service accepts the page's origin.
		const after = await visitor( browser, stack, consoleErrors );
		await after.page.goto( `${ origin }/landing` );
		await after.page.getByRole( 'button', { name: 'Open chat' } ).click();
		await expect(
			after.page
				.getByRole( 'log', { name: 'Messages' } )
				.getByText( 'Hi! Questions about our plans? Ask us here.' )
		).toBeVisible();
		await sendAsVisitor( after.page, 'Hello from the landing page' );
	} finally {
		await new Promise( ( resolve ) => landing.close( resolve ) );
	}
} );
