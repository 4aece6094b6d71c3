/**
 * How the inbox and the chatflow editor look, in English, Danish and Dutch,
 * at a laptop's size (1280×800) and a phone's (390×844): screenshots kept as
 * test artifacts for a person to look at, and the layout facts checked — the
 * inbox's three columns side by side at desktop size without overlap or
 * anything cut off, one column at a time on a phone with a way back — with no
 * console errors and no axe violations in the plugin's part of the page.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page, TestInfo } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';

import type {
	VisitorClientToServerEvents,
	VisitorServerToClientEvents,
	VisitorSession,
} from '@chatflows/protocol';
import { expect, test, type Stack } from './fixtures';
import { adminPage, rest } from './helpers';

// Conversations are started here: a site of its own.
test.use( { siteName: 'look' } );
test.describe.configure( { mode: 'serial' } );

const INBOX = '/wp-admin/admin.php?page=chatflows-inbox';
const SIZES = {
	desktop: { width: 1280, height: 800 },
	phone: { width: 390, height: 844 },
} as const;
type Size = keyof typeof SIZES;
const LOCALES = [ 'en_US', 'da_DK', 'nl_NL' ] as const;
type Locale = ( typeof LOCALES )[ number ];

/** The words the tests look for, as each language writes them. */
const WORDS: Record<
	Locale,
	{
		conversations: string;
		aboutVisitor: string;
		allConversations: string;
		backToConversation: string;
		messages: string;
		tabs: string[];
		addHours: string;
		weekdays: string;
		addGroup: string;
		mobile: string;
	}
> = {
	en_US: {
		conversations: 'Conversations',
		aboutVisitor: 'About the visitor',
		allConversations: 'All conversations',
		backToConversation: 'Back to the conversation',
		messages: 'Messages',
		tabs: [ 'Build', 'Target', 'Display', 'Knowledge base', 'Options' ],
		addHours: '+ Add hours',
		weekdays: 'Monday to Friday',
		addGroup: 'Add a group of rules',
		mobile: 'Mobile',
	},
	da_DK: {
		conversations: 'Samtaler',
		aboutVisitor: 'Om den besøgende',
		allConversations: 'Alle samtaler',
		backToConversation: 'Tilbage til samtalen',
		messages: 'Beskeder',
		tabs: [ 'Chat', 'Mål', 'Display', 'Vidensbase', 'Indstillinger' ],
		addHours: '+ Tilføj timer',
		weekdays: 'Mandag til fredag',
		addGroup: 'Tilføj en gruppe regler',
		mobile: 'Mobil',
	},
	nl_NL: {
		conversations: 'Gesprekken',
		aboutVisitor: 'Over de bezoeker',
		allConversations: 'Alle gesprekken',
		backToConversation: 'Terug naar het gesprek',
		messages: 'Berichten',
		tabs: [ 'Chat', 'Doel', 'Weergave', 'Kennisbank', 'Opties' ],
		addHours: '+ Uren toevoegen',
		weekdays: 'Maandag t/m vrijdag',
		addGroup: 'Groep regels toevoegen',
		mobile: 'Mobiel',
	},
};

type VisitorSocket = Socket<
	VisitorServerToClientEvents,
	VisitorClientToServerEvents
>;
const sockets: VisitorSocket[] = [];

/**
 * A visitor of the demo chatflow who says something, as the widget would.
 *
 * @param stack      The running stack.
 * @param chatflowId The chatflow.
 * @param body       What they say.
 */
async function visitorSays( stack: Stack, chatflowId: string, body: string ) {
	const socket: VisitorSocket = io( `${ stack.serviceUrl }/visitor`, {
		auth: {
			chatflowId,
			pageUrl: `${ stack.wpUrl }/pricing/`,
			pageTitle: 'Pricing',
			referrer: '',
			timeZone: 'Europe/Copenhagen',
			language: 'da-DK',
			deviceType: 'desktop',
		},
		extraHeaders: { origin: stack.wpUrl },
		transports: [ 'websocket' ],
	} );
	sockets.push( socket );
	await new Promise< VisitorSession >( ( resolve, reject ) => {
		socket.once( 'session', resolve );
		socket.once( 'connect_error', reject );
	} );
	const sent = await socket.timeout( 10_000 ).emitWithAck( 'message:send', {
		clientId: `look-${ Math.random().toString( 36 ).slice( 2 ) }`,
		body,
	} );
	expect( sent.ok ? null : sent.error ).toBeNull();
}

/**
 * Shows the admin in a language (the user's own setting, as a person picks it on their profile).
 *
 * @param admin  A wp-admin page.
 * @param locale The language.
 */
async function speak( admin: Page, locale: Locale ) {
	await rest( admin, {
		path: '/wp/v2/users/me',
		method: 'POST',
		data: { locale },
	} );
}

/**
 * A screenshot kept with the test's results (a file in its output folder,
 * attached to the report) for a person to look at.
 *
 * @param page     The page.
 * @param testInfo The running test.
 * @param name     What it shows.
 */
async function screenshot( page: Page, testInfo: TestInfo, name: string ) {
	const path = testInfo.outputPath( `${ name }.png` );
	await page.screenshot( { path, fullPage: true } );
	await testInfo.attach( name, { path, contentType: 'image/png' } );
}

async function expectNoAxeViolations( page: Page, selector: string ) {
	const results = await new AxeBuilder( { page } )
		.include( selector )
		.analyze();
	expect(
		results.violations.map( ( violation ) => ( {
			id: violation.id,
			// Where, and why (axe's words: the colours and the ratio).
			nodes: violation.nodes.map(
				( node ) =>
					`${ node.target.join( ' ' ) }: ${ node.failureSummary ?? '' }`
			),
		} ) )
	).toEqual( [] );
}

interface Box {
	pane: string;
	left: number;
	right: number;
	top: number;
	bottom: number;
	width: number;
	shown: boolean;
	overflowsSideways: boolean;
}

/**
 * Where the inbox's columns are, and whether anything in one overflows it sideways.
 *
 * @param page The inbox.
 */
function columns( page: Page ): Promise< Box[] > {
	return page
		.locator( '.chatflows-inbox__columns > [data-pane]' )
		.evaluateAll( ( elements ) =>
			elements.map( ( element ) => {
				const box = element.getBoundingClientRect();
				return {
					pane: ( element as HTMLElement ).dataset.pane ?? '',
					left: box.left,
					right: box.right,
					top: box.top,
					bottom: box.bottom,
					width: box.width,
					shown:
						getComputedStyle( element ).display !== 'none' &&
						box.width > 0,
					overflowsSideways:
						element.scrollWidth > element.clientWidth + 1,
				};
			} )
		);
}

async function pageWidth( page: Page ) {
	return page.evaluate( () => ( {
		scrollWidth: document.documentElement.scrollWidth,
		innerWidth: window.innerWidth,
	} ) );
}

async function expectThreeColumns( page: Page ) {
	const boxes = await columns( page );
	expect( boxes.map( ( box ) => box.pane ) ).toEqual( [
		'list',
		'conversation',
		'visitor',
	] );
	const { scrollWidth, innerWidth } = await pageWidth( page );
	expect( scrollWidth, 'no sideways scrolling' ).toBeLessThanOrEqual(
		innerWidth
	);
	for ( const [ index, box ] of boxes.entries() ) {
		expect( box.shown, `${ box.pane } shown` ).toBe( true );
		expect( box.width, `${ box.pane } wide enough` ).toBeGreaterThan( 200 );
		expect( box.right, `${ box.pane } within the window` ).toBeLessThan(
			innerWidth + 1
		);
		expect( box.overflowsSideways, `${ box.pane } cut off` ).toBe( false );
		expect( Math.abs( box.top - boxes[ 0 ].top ), 'side by side' ).toBe(
			0
		);
		if ( index > 0 ) {
			expect(
				box.left,
				`${ box.pane } does not overlap the column before`
			).toBeGreaterThanOrEqual( boxes[ index - 1 ].right - 1 );
		}
	}
	// The whole inbox fits the window's height: the columns scroll, not the page.
	expect( boxes[ 0 ].bottom ).toBeLessThanOrEqual( SIZES.desktop.height );
}

async function expectOneColumn( page: Page, pane: string ) {
	const shown = ( await columns( page ) ).filter( ( box ) => box.shown );
	expect( shown.map( ( box ) => box.pane ) ).toEqual( [ pane ] );
	expect( shown[ 0 ].width ).toBeGreaterThan( SIZES.phone.width * 0.8 );
	expect( shown[ 0 ].overflowsSideways ).toBe( false );
	const { scrollWidth, innerWidth } = await pageWidth( page );
	expect( scrollWidth, 'no sideways scrolling' ).toBeLessThanOrEqual(
		innerWidth
	);
}

let chatflowId = '';

test.beforeAll( async ( { browser, stack } ) => {
	const { loggedInPage } = await import( './fixtures' );
	const admin = await loggedInPage( browser, stack, 'admin' );
	await admin.goto( INBOX );
	const chatflows = await rest< Array< { id: number; title: string } > >(
		admin,
		{ path: '/chatflows/v1/chatflows' }
	);
	chatflowId = String(
		chatflows.find( ( chatflow ) => chatflow.title === 'Website chat' )?.id
	);
	await admin.context().close();
} );

test.afterAll( () => {
	for ( const socket of sockets ) {
		socket.disconnect();
	}
} );

test( 'the inbox: empty states first, then three columns at desktop size and one at a time on a phone, in three languages', async ( {
	browser,
	stack,
	consoleErrors,
}, testInfo ) => {
	// Three languages at two sizes.
	test.setTimeout( 300_000 );
	const admin = await adminPage( browser, stack, consoleErrors, INBOX );

	// Before any visitor: every column says what comes next.
	await expect(
		admin.getByText( 'No conversations yet.', { exact: true } )
	).toBeVisible();
	await expect(
		admin.getByText( 'No conversation open.', { exact: true } )
	).toBeVisible();
	await expectThreeColumns( admin );
	await screenshot( admin, testInfo, 'inbox-empty-en_US-desktop' );
	await expectNoAxeViolations( admin, '#chatflows-inbox' );

	await visitorSays( stack, chatflowId, 'Hello, do you ship to Denmark?' );
	await visitorSays(
		stack,
		chatflowId,
		'I would like to know more about the yearly plan and whether it includes support in Dutch.'
	);

	for ( const locale of LOCALES ) {
		await speak( admin, locale );
		const words = WORDS[ locale ];
		for ( const size of [ 'desktop', 'phone' ] as Size[] ) {
			await admin.setViewportSize( SIZES[ size ] );
			await admin.goto( INBOX );
			const list = admin.getByRole( 'navigation', {
				name: words.conversations,
			} );
			const items = list.getByRole( 'button' );
			await expect( items ).toHaveCount( 2 );
			// Initials beside each visitor.
			await expect(
				list.locator( '.chatflows-inbox__avatar' )
			).toHaveCount( 2 );

			if ( size === 'phone' ) {
				await expectOneColumn( admin, 'list' );
				await screenshot(
					admin,
					testInfo,
					`inbox-${ locale }-phone-list`
				);
			}
			await items.first().click();
			await expect(
				admin.getByRole( 'log', { name: words.messages } )
			).toContainText( /Denmark|yearly plan/ );
			const about = admin.getByRole( 'complementary', {
				name: words.aboutVisitor,
			} );
			if ( size === 'desktop' ) {
				await expect( about ).toBeVisible();
				await expectThreeColumns( admin );
				const log = await admin
					.getByRole( 'log', { name: words.messages } )
					.boundingBox();
				expect( log!.height, 'the messages keep room' ).toBeGreaterThan(
					150
				);
				await screenshot(
					admin,
					testInfo,
					`inbox-${ locale }-desktop`
				);
			} else {
				await expectOneColumn( admin, 'conversation' );
				await screenshot(
					admin,
					testInfo,
					`inbox-${ locale }-phone-conversation`
				);
				await admin
					.getByRole( 'button', { name: words.aboutVisitor } )
					.click();
				await expect( about ).toBeVisible();
				await expectOneColumn( admin, 'visitor' );
				await screenshot(
					admin,
					testInfo,
					`inbox-${ locale }-phone-visitor`
				);
				await admin
					.getByRole( 'button', { name: words.backToConversation } )
					.click();
				await expectOneColumn( admin, 'conversation' );
				await admin
					.getByRole( 'button', { name: words.allConversations } )
					.click();
				await expectOneColumn( admin, 'list' );
			}
			await expectNoAxeViolations( admin, '#chatflows-inbox' );
		}
	}
	await speak( admin, 'en_US' );
} );

/**
 * The vertical middle of an element.
 *
 * @param locator The element.
 */
async function middleOf( locator: import( '@playwright/test' ).Locator ) {
	const box = await locator.boundingBox();
	expect( box ).not.toBeNull();
	return box!.y + box!.height / 2;
}

test( 'the editor: the article’s tab names, office hours in rows of days, and the Target tab’s controls aligned, in three languages', async ( {
	browser,
	stack,
	consoleErrors,
}, testInfo ) => {
	test.setTimeout( 300_000 );
	const admin = await adminPage(
		browser,
		stack,
		consoleErrors,
		`/wp-admin/admin.php?page=chatflows-chatflows&chatflow=${ chatflowId }`
	);
	// Nothing is saved: leaving with the edits is fine.
	admin.on( 'dialog', ( dialog ) => void dialog.accept() );
	for ( const locale of LOCALES ) {
		await speak( admin, locale );
		const words = WORDS[ locale ];
		for ( const size of [ 'desktop', 'phone' ] as Size[] ) {
			await admin.setViewportSize( SIZES[ size ] );
			await admin.goto(
				`/wp-admin/admin.php?page=chatflows-chatflows&chatflow=${ chatflowId }`
			);
			const tabs = admin.getByRole( 'tablist' ).getByRole( 'tab' );
			await expect( tabs ).toHaveText( words.tabs );

			// Office hours: the usual week is one row, its times time inputs.
			await admin
				.locator( 'input[type="radio"][value="office_hours"]' )
				.check();
			await admin.getByRole( 'button', { name: words.addHours } ).click();
			const week = admin.getByRole( 'group', { name: words.weekdays } );
			await expect( week ).toBeVisible();
			await expect( week.locator( 'input[type="time"]' ) ).toHaveCount(
				2
			);
			await week.scrollIntoViewIfNeeded();
			if ( size === 'desktop' ) {
				// Days, From, To and Remove on one line.
				const middles = await week
					.locator( 'select, input, button' )
					.evaluateAll( ( elements ) =>
						elements.map( ( element ) => {
							const box = element.getBoundingClientRect();
							return box.top + box.height / 2;
						} )
					);
				expect( middles ).toHaveLength( 4 );
				for ( const middle of middles ) {
					expect( Math.abs( middle - middles[ 0 ] ) ).toBeLessThan(
						2
					);
				}
			}
			const hoursShot = testInfo.outputPath(
				`office-hours-${ locale }-${ size }.png`
			);
			await admin
				.locator( '.chatflows-hours' )
				.screenshot( { path: hoursShot } );
			await testInfo.attach( `office-hours-${ locale }-${ size }`, {
				path: hoursShot,
				contentType: 'image/png',
			} );
			await expectNoAxeViolations( admin, '.chatflows-hours' );

			// Target: a device rule reads as the tester writes devices.
			await tabs.nth( 1 ).click();
			await admin.getByRole( 'button', { name: words.addGroup } ).click();
			const rule = admin.locator( '.chatflows-target-rule' ).first();
			await rule.locator( 'select' ).first().selectOption( 'device' );
			const value = rule.locator( 'select' ).last();
			await value.selectOption( 'mobile' );
			await expect( value.locator( 'option:checked' ) ).toHaveText(
				words.mobile
			);
			await expect(
				admin
					.locator( '.chatflows-target-tester select' )
					.locator( 'option[value="mobile"]' )
			).toHaveText( words.mobile );
			// "Remove" level with the rule's inputs; the group's two actions on one line.
			if ( size === 'desktop' ) {
				expect(
					Math.abs(
						( await middleOf(
							rule.locator( '.chatflows-target-rule__remove' )
						) ) - ( await middleOf( value ) )
					)
				).toBeLessThanOrEqual( 2 );
			}
			const group = admin.locator( '.chatflows-target-group' ).first();
			const actions = group.locator( ':scope .components-button' );
			const addRule = group.getByRole( 'button', { name: /\(/ } ).last();
			const removeGroup = actions.last();
			expect(
				Math.abs(
					( await middleOf( addRule ) ) -
						( await middleOf( removeGroup ) )
				)
			).toBeLessThanOrEqual( 1 );
			const addBox = ( await addRule.boundingBox() )!;
			const removeBox = ( await removeGroup.boundingBox() )!;
			expect( removeBox.x ).toBeGreaterThanOrEqual(
				addBox.x + addBox.width
			);
			const { scrollWidth, innerWidth } = await pageWidth( admin );
			expect( scrollWidth, 'no sideways scrolling' ).toBeLessThanOrEqual(
				innerWidth
			);
			await screenshot( admin, testInfo, `target-${ locale }-${ size }` );
			// The Target tab (the editor's bar and other tabs are another change's).
			await expectNoAxeViolations( admin, '[role="tabpanel"]' );
		}
	}
	await speak( admin, 'en_US' );
} );

test( 'the chatflow list fits a phone, and the editor (its bar included) passes axe, in three languages', async ( {
	browser,
	stack,
	consoleErrors,
}, testInfo ) => {
	test.setTimeout( 240_000 );
	const list = '/wp-admin/admin.php?page=chatflows-chatflows';
	const admin = await adminPage( browser, stack, consoleErrors, list );
	admin.on( 'dialog', ( dialog ) => void dialog.accept() );
	for ( const locale of LOCALES ) {
		await speak( admin, locale );
		for ( const size of [ 'desktop', 'phone' ] as Size[] ) {
			await admin.setViewportSize( SIZES[ size ] );
			await admin.goto( list );
			const table = admin.locator( '.chatflows-list__table' );
			await expect( table ).toBeVisible();
			const { scrollWidth, innerWidth } = await pageWidth( admin );
			expect( scrollWidth, 'no sideways scrolling' ).toBeLessThanOrEqual(
				innerWidth
			);
			const tableBox = ( await table.boundingBox() )!;
			expect(
				tableBox.x + tableBox.width,
				'the table within the screen'
			).toBeLessThanOrEqual( innerWidth );
			await screenshot( admin, testInfo, `list-${ locale }-${ size }` );
			await expectNoAxeViolations( admin, '.chatflows-list' );

			await admin.goto( `${ list }&chatflow=${ chatflowId }` );
			await expect(
				admin.locator( '.chatflows-editor__bar' )
			).toBeVisible();
			await expectNoAxeViolations( admin, '.chatflows-editor' );
		}
	}
	await speak( admin, 'en_US' );
} );
