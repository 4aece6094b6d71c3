/**
 * What the visitor sees, in Chromium against the real WordPress and chat
 * service: the launcher in the chatflow's accent colour, the conversation
 * keeping a readable height whatever panels show (measured), one next step at
 * a time after a conversation closes, the message box growing with its text,
 * and screenshots of the window's main states at desktop and phone sizes in
 * English, Danish and Dutch (kept as test artifacts), each checked for
 * overlaps, cut-off content, the conversation's height, console errors and
 * axe violations.
 */
import path from 'node:path';

import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page, TestInfo } from '@playwright/test';
import { build } from 'esbuild';

import type { LayoutState } from '../../widget/test/layout-state';
import {
	expect,
	loggedInPage,
	test,
	type ConsoleErrors,
	type Stack,
} from './fixtures';
import {
	agentSocket,
	ALWAYS_AVAILABLE,
	chatLog,
	conversationWith,
	LAUNCHER_ONLY,
	publishChatflow,
	publishPageFor,
	rest,
	sendAsVisitor,
	switchLocaleByPath,
	visitorPage,
} from './helpers';

// Creates chatflows and pages under /da/ and /nl/: a site of its own.
test.use( { siteName: 'widget-look' } );
test.describe.configure( { mode: 'serial' } );

/** The conversation's least height, whatever else the window shows (the window's `--log-min`). */
const LOG_MIN_HEIGHT = 160;

const DESKTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

const ALWAYS = ALWAYS_AVAILABLE;

/** Office hours two days from now only: closed now, the offline form shows. */
function closedNow() {
	const opensAt = new Date();
	opensAt.setUTCDate( opensAt.getUTCDate() + 2 );
	return {
		...ALWAYS,
		mode: 'office_hours',
		hours: [ { day: opensAt.getUTCDay(), start: '09:00', end: '10:00' } ],
	};
}

/** Consent to process data (explicit) and to communications, on. */
const CONSENTS = {
	dataConsent: { enabled: true, mode: 'explicit', privacyPolicyUrl: '' },
	communicationsConsent: {
		enabled: true,
		subscriptionType: 'one_to_one',
		label: {},
	},
};

const LANGUAGES = {
	en: { prefix: '', openChat: 'Open chat' },
	da: { prefix: '/da', openChat: 'Åbn chat' },
	nl: { prefix: '/nl', openChat: 'Chat openen' },
} as const;
type Language = keyof typeof LANGUAGES;

/** Sample messages in each language (the visitor's and the agent's). */
const SAMPLES: Record< Language, string[] > = {
	en: [
		'Hi! Do you ship to Denmark, and how long does it usually take?',
		'Hello! Yes, we ship to Denmark. Orders usually arrive within 3–5 working days.',
		'Great, thank you. Can I change my address after ordering?',
		'Yes: write to us before the order ships and we change it for you.',
	],
	da: [
		'Hej! Sender I til Danmark, og hvor lang tid tager det normalt?',
		'Hej! Ja, vi sender til Danmark. Ordrer ankommer normalt inden for 3–5 hverdage.',
		'Super, tak. Kan jeg ændre min adresse efter bestillingen?',
		'Ja: skriv til os, før ordren sendes, så ændrer vi den for dig.',
	],
	nl: [
		'Hoi! Versturen jullie naar Nederland, en hoe lang duurt dat meestal?',
		'Hallo! Ja, we versturen naar Nederland. Bestellingen komen meestal binnen 3–5 werkdagen aan.',
		'Top, bedankt. Kan ik mijn adres na het bestellen nog wijzigen?',
		'Ja: schrijf ons voordat de bestelling verzonden is, dan passen we het aan.',
	],
};

let admin: Page;
/** Paths of pages per chatflow and language. */
const pages: Record< string, Record< Language, string > > = {};
let agentUserId: number;

/**
 * A chatflow in the page's language, with a page choosing it in each language.
 *
 * @param name     Chatflow name (and page slug).
 * @param settings Settings besides the defaults.
 */
async function chatflowInEveryLanguage(
	name: string,
	settings: Record< string, unknown >
): Promise< void > {
	const id = await publishChatflow( admin, name, {
		displayBehaviour: LAUNCHER_ONLY,
		availability: ALWAYS,
		...settings,
		options: {
			language: 'page',
			...( settings.options as object ),
		},
	} );
	const paths = { en: await publishPageFor( admin, name, id ) } as Record<
		Language,
		string
	>;
	for ( const language of [ 'da', 'nl' ] as const ) {
		const child = await rest< { link: string } >( admin, {
			path: '/wp/v2/pages',
			method: 'POST',
			data: {
				title: name,
				slug: name.toLowerCase().replace( /\W+/g, '-' ),
				parent: languageParents[ language ],
				status: 'publish',
				meta: { _chatflows_chatflow_id: id },
			},
		} );
		paths[ language ] = new URL( child.link ).pathname;
	}
	pages[ name ] = paths;
}

const languageParents: Record< 'da' | 'nl', number > = { da: 0, nl: 0 };

test.beforeAll( async ( { browser, stack } ) => {
	switchLocaleByPath( stack );
	admin = await loggedInPage( browser, stack, 'admin' );
	await admin.goto( '/wp-admin/admin.php?page=chatflows-chatflows' );
	for ( const language of [ 'da', 'nl' ] as const ) {
		languageParents[ language ] = (
			await rest< { id: number } >( admin, {
				path: '/wp/v2/pages',
				method: 'POST',
				data: { title: language, slug: language, status: 'publish' },
			} )
		).id;
	}
	const agents = await rest< Array< { id: number; name: string } > >( admin, {
		path: '/chatflows/v1/agents',
	} );
	agentUserId = agents.find( ( item ) => item.name === 'Alex Agent' )!.id;

	await chatflowInEveryLanguage( 'Yellow chat', {
		display: { accentColor: '#ffe600' },
		options: CONSENTS,
	} );
	await chatflowInEveryLanguage( 'Teal chat', {
		display: { accentColor: '#0f766e' },
	} );
	await chatflowInEveryLanguage( 'Closed hours chat', {
		availability: closedNow(),
		options: CONSENTS,
	} );
	await chatflowInEveryLanguage( 'Survey chat', {
		assignment: { enabled: true, userIds: [ agentUserId ], teamIds: [] },
		emailCapture: {
			enabled: true,
			when: 'after_first_message',
			message: {},
		},
		options: { survey: { enabled: true, question: {} } },
	} );
} );

test.afterAll( async () => {
	await admin?.context().close();
} );

/**
 * The layout facts of the chat window on a page: the conversation's height,
 * whether the welcome message fits in it, and every overlap or cut-off found.
 *
 * @param page The page.
 */
async function layoutFacts( page: Page ) {
	return page.evaluate( () => {
		const root = document.getElementById( 'chatflows-widget' )!.shadowRoot!;
		const windowBox = root.querySelector( '.window' )!;
		const log = root.querySelector< HTMLElement >( '.log' )!;
		const problems: string[] = [];
		const name = ( element: Element ) =>
			`${ element.tagName.toLowerCase() }.${ [
				...element.classList,
			].join( '.' ) }`;
		const visible = ( element: Element ) => {
			const box = element.getBoundingClientRect();
			return (
				box.width > 0 &&
				box.height > 0 &&
				! element.closest( '.visually-hidden,[hidden]' )
			);
		};
		const frame = windowBox.getBoundingClientRect();
		// The window itself fits in the viewport.
		if (
			frame.top < -0.5 ||
			frame.left < -0.5 ||
			frame.bottom > window.innerHeight + 0.5 ||
			frame.right > window.innerWidth + 0.5
		) {
			problems.push( 'the window is cut off by the viewport' );
		}
		// Siblings in the window's stacks never overlap.
		for ( const parent of root.querySelectorAll(
			'.window, .panel, .dock, .dock > form, .next-step, .notices'
		) ) {
			const children = [ ...parent.children ].filter( visible );
			for ( let i = 1; i < children.length; i++ ) {
				const above = children[ i - 1 ].getBoundingClientRect();
				const below = children[ i ].getBoundingClientRect();
				const sideBySide =
					below.left >= above.right - 0.5 ||
					below.right <= above.left + 0.5;
				if ( ! sideBySide && below.top < above.bottom - 0.5 ) {
					problems.push(
						`${ name( children[ i ] ) } overlaps ${ name(
							children[ i - 1 ]
						) }`
					);
				}
			}
		}
		// Nothing is clipped: what is not in a scrolling area lies inside the
		// window, and nothing is wider than the area it is in.
		for ( const element of root.querySelectorAll( '.window *' ) ) {
			if ( ! visible( element ) || element.closest( 'svg' ) ) {
				continue;
			}
			const box = element.getBoundingClientRect();
			const scroller = element.parentElement?.closest( '.log, .dock' );
			const area = ( scroller ?? windowBox ).getBoundingClientRect();
			if ( box.left < area.left - 0.5 || box.right > area.right + 0.5 ) {
				problems.push( `${ name( element ) } is cut off at the side` );
			}
			if (
				! scroller &&
				( box.top < area.top - 0.5 || box.bottom > area.bottom + 0.5 )
			) {
				problems.push( `${ name( element ) } is cut off` );
			}
		}
		for ( const scroller of root.querySelectorAll< HTMLElement >(
			'.log, .dock'
		) ) {
			if ( scroller.scrollWidth > scroller.clientWidth + 1 ) {
				problems.push( `${ name( scroller ) } scrolls sideways` );
			}
		}
		// The welcome message, scrolled to, shows whole in the conversation.
		const welcome = root.querySelector( '.welcome' )!;
		log.scrollTop = 0;
		const logBox = log.getBoundingClientRect();
		const welcomeBox = welcome.getBoundingClientRect();
		return {
			logHeight: log.clientHeight,
			welcomeWhole:
				welcomeBox.top >= logBox.top - 0.5 &&
				welcomeBox.bottom <= logBox.bottom + 0.5,
			problems: [ ...new Set( problems ) ],
		};
	} );
}

/**
 * Asserts the layout facts: the conversation keeps its height and shows the
 * welcome message whole; nothing overlaps or is cut off.
 *
 * @param page  The page.
 * @param label What is measured, for the messages.
 */
async function expectReadableLayout( page: Page, label: string ) {
	const facts = await layoutFacts( page );
	expect(
		facts.logHeight,
		`${ label }: the message list’s height`
	).toBeGreaterThanOrEqual( LOG_MIN_HEIGHT - 0.5 );
	expect( facts.welcomeWhole, `${ label }: the welcome message whole` ).toBe(
		true
	);
	expect( facts.problems, `${ label }: overlaps and cut-offs` ).toEqual( [] );
}

/**
 * A screenshot of the page, kept in the test's output folder (test-results)
 * and attached to the test's report, for a person to look at.
 *
 * @param page     The page.
 * @param testInfo The test's info.
 * @param name     File name, without `.png`.
 */
async function attachScreenshot(
	page: Page,
	testInfo: TestInfo,
	name: string
) {
	const file = testInfo.outputPath( `${ name }.png` );
	await page.screenshot( { path: file } );
	await testInfo.attach( name, { path: file, contentType: 'image/png' } );
}

async function expectNoAxeViolations( page: Page ) {
	const results = await new AxeBuilder( { page } )
		.include( '#chatflows-widget' )
		.analyze();
	expect( results.violations ).toEqual( [] );
}

/**
 * A WCAG 2 contrast ratio of two CSS `rgb()` colours.
 *
 * @param a One colour.
 * @param b The other.
 */
function contrastOf( a: string, b: string ): number {
	const luminance = ( css: string ) => {
		const [ r, g, bl ] = css
			.match( /[\d.]+/g )!
			.slice( 0, 3 )
			.map( ( value ) => {
				const c = Number( value ) / 255;
				return c <= 0.03928
					? c / 12.92
					: ( ( c + 0.055 ) / 1.055 ) ** 2.4;
			} );
		return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
	};
	const [ light, dark ] = [ luminance( a ), luminance( b ) ].sort(
		( x, y ) => y - x
	);
	return ( light + 0.05 ) / ( dark + 0.05 );
}

test( 'the launcher takes the chatflow’s accent colour on the real page, its icon dark on a light accent; the window’s text on the accent too', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	for ( const [ chatflow, background, icon ] of [
		[ 'Yellow chat', 'rgb(255, 230, 0)', 'rgb(0, 0, 0)' ],
		[ 'Teal chat', 'rgb(15, 118, 110)', 'rgb(255, 255, 255)' ],
	] ) {
		const visitor = await visitorPage(
			browser,
			stack,
			consoleErrors,
			pages[ chatflow ].en
		);
		const launcher = visitor.getByRole( 'button', { name: 'Open chat' } );
		await expect( launcher ).toHaveCSS( 'background-color', background );
		await expect( launcher ).toHaveCSS( 'color', icon );
		const colours = await launcher.evaluate( ( element ) => {
			const style = getComputedStyle( element );
			return [
				style.backgroundColor,
				getComputedStyle( element.querySelector( 'svg' )! ).fill,
			];
		} );
		expect( contrastOf( colours[ 0 ], colours[ 1 ] ) ).toBeGreaterThan(
			4.5
		);
		await launcher.click();
		const header = visitor.getByRole( 'dialog' ).locator( '.header' );
		await expect( header ).toHaveCSS( 'background-color', background );
		const heading = await header.evaluate( ( element ) => [
			getComputedStyle( element ).backgroundColor,
			getComputedStyle( element.querySelector( 'h2' )! ).color,
		] );
		expect( contrastOf( heading[ 0 ], heading[ 1 ] ) ).toBeGreaterThan(
			4.5
		);
		await visitor.context().close();
	}
} );

test( 'at 1366×900 the consent notice and the leave-a-message form leave the conversation its height and the welcome message whole', async ( {
	browser,
	stack,
	consoleErrors,
}, testInfo ) => {
	const visitor = await visitorPage(
		browser,
		stack,
		consoleErrors,
		pages[ 'Closed hours chat' ].en,
		{ viewport: DESKTOP }
	);
	await visitor.getByRole( 'button', { name: 'Open chat' } ).click();
	const dialog = visitor.getByRole( 'dialog' );
	await expect(
		dialog.getByRole( 'checkbox', { name: 'I agree', exact: true } )
	).toBeVisible();
	await expect(
		dialog.getByRole( 'button', { name: 'Leave message' } )
	).toBeAttached();
	await attachScreenshot( visitor, testInfo, 'consent-and-offline-form' );
	await expectReadableLayout( visitor, 'consent + offline form' );
	// The form scrolls into view: its button is reachable.
	await dialog.getByRole( 'button', { name: 'Leave message' } ).click();
	await expect(
		dialog.getByRole( 'textbox', { name: 'E-mail address' } )
	).toHaveAttribute( 'aria-invalid', 'true' );
	await visitor.context().close();
} );

test( 'after the agent closes: the survey alone, then the e-mail request, then “Start a new conversation”, the conversation keeping its height', async ( {
	browser,
	stack,
	consoleErrors,
}, testInfo ) => {
	const agent = await agentSocket( browser, stack );
	const visitor = await visitorPage(
		browser,
		stack,
		consoleErrors,
		pages[ 'Survey chat' ].en,
		{ viewport: DESKTOP }
	);
	await visitor.getByRole( 'button', { name: 'Open chat' } ).click();
	const dialog = visitor.getByRole( 'dialog' );
	await sendAsVisitor( visitor, 'Where is my parcel?' );
	const conversation = await conversationWith( agent, 'Where is my parcel?' );
	await agent.emitWithAck( 'conversation:close', {
		conversationId: conversation.id,
	} );
	const survey = dialog.getByRole( 'group', {
		name: 'How would you rate this conversation?',
	} );
	const email = dialog.getByRole( 'textbox', { name: 'E-mail address' } );
	const message = dialog.getByRole( 'textbox', { name: 'Message' } );
	await expect( survey ).toBeVisible();
	await attachScreenshot( visitor, testInfo, 'closed-survey-step' );
	// One step: neither the e-mail request nor the message box beside it.
	await expect( email ).toHaveCount( 0 );
	await expect( message ).toHaveCount( 0 );
	await expectReadableLayout( visitor, 'survey after closing' );

	await survey.getByRole( 'radio', { name: '5 of 5' } ).check();
	await dialog.getByRole( 'button', { name: 'Send rating' } ).click();
	await expect(
		dialog.getByText( 'Thank you for your feedback.' )
	).toBeVisible();
	await expect( email ).toBeVisible();
	await expect( email ).toBeFocused();
	await expect( message ).toHaveCount( 0 );
	await attachScreenshot( visitor, testInfo, 'closed-email-step' );
	await expectReadableLayout( visitor, 'e-mail request after closing' );

	await dialog.getByRole( 'button', { name: 'Skip' } ).click();
	await expect( email ).toHaveCount( 0 );
	await expect(
		dialog.getByText( 'This conversation has ended.' )
	).toBeVisible();
	const restart = dialog.getByRole( 'button', {
		name: 'Start a new conversation',
	} );
	await expect( restart ).toBeFocused();
	await expect( message ).toHaveCount( 0 );
	await attachScreenshot( visitor, testInfo, 'closed-ended-step' );
	await restart.click();
	await expect( message ).toBeFocused();
	await sendAsVisitor( visitor, 'One more thing' );
	await expect( chatLog( visitor ) ).toContainText( 'One more thing' );
	agent.disconnect();
	await visitor.context().close();
} );

test( 'the message box grows with wrapped and multi-line text up to a limit, then scrolls', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const visitor = await visitorPage(
		browser,
		stack,
		consoleErrors,
		pages[ 'Teal chat' ].en,
		{ viewport: DESKTOP }
	);
	await visitor.getByRole( 'button', { name: 'Open chat' } ).click();
	const box = visitor.getByRole( 'textbox', { name: 'Message' } );
	const size = () =>
		box.evaluate( ( element ) => ( {
			height: element.getBoundingClientRect().height,
			clipped: element.scrollHeight > element.clientHeight,
		} ) );
	const oneLine = await size();
	expect( oneLine.clipped ).toBe( false );
	// Wrapped text: three lines' worth, with no line break typed.
	await box.fill(
		'I ordered a blue jacket last week and would like to know whether I can still change the size before it ships.'
	);
	const wrapped = await size();
	expect( wrapped.height ).toBeGreaterThan( oneLine.height + 30 );
	expect( wrapped.clipped, 'wrapped text shows whole' ).toBe( false );
	// Many lines: up to the limit, then it scrolls.
	await box.fill(
		Array.from( { length: 12 }, ( _, i ) => `Line ${ i + 1 }` ).join( '\n' )
	);
	const tall = await size();
	expect( tall.height ).toBeLessThanOrEqual( 140 );
	expect( tall.clipped, 'scrolls past the limit' ).toBe( true );
	// Cleared: back to one line.
	await box.fill( '' );
	expect( ( await size() ).height ).toBe( oneLine.height );
	await expectReadableLayout( visitor, 'composer' );
	await visitor.context().close();
} );

const CLOSED_CONVERSATION = {
	id: 'layout',
	chatflowId: 'layout',
	status: 'closed' as const,
	createdAt: '2026-01-01T00:00:00.000Z',
};

/** The survey of the closed conversation (the chatflow's question). */
const SURVEY = { conversationId: 'layout', question: '', answered: false };

/** The window's main states, each a combination of panels. */
const STATES: Record< string, ( language: Language ) => LayoutState > = {
	welcome: () => ( {} ),
	loading: () => ( { chat: { status: 'connecting' } } ),
	conversation: ( language ) => ( {
		messages: SAMPLES[ language ],
		chat: { agentTyping: true, agentReadSeq: 3 },
	} ),
	'cookie-banner': () => ( { cookieBanner: true } ),
	'consent-and-message-box': () => ( {
		dataConsent: true,
		communications: true,
	} ),
	'consent-and-offline-form': () => ( {
		dataConsent: true,
		communications: true,
		officeClosed: true,
	} ),
	'consent-and-email-first': () => ( {
		dataConsent: true,
		communications: true,
		emailCapture: 'before_chat',
	} ),
	'email-request-queue-and-error': ( language ) => ( {
		messages: SAMPLES[ language ].slice( 0, 1 ),
		emailCapture: 'after_first_message',
		communications: true,
		chat: {
			status: 'reconnecting',
			queue: {
				conversationId: 'layout',
				position: 2,
				estimatedWaitSeconds: 240,
			},
			error: 'rate_limited',
		},
	} ),
	'closed-survey-and-email-request': ( language ) => ( {
		messages: SAMPLES[ language ],
		emailCapture: 'after_first_message',
		chat: {
			conversation: CLOSED_CONVERSATION,
			survey: SURVEY,
		},
	} ),
	'closed-email-request': ( language ) => ( {
		messages: SAMPLES[ language ],
		emailCapture: 'after_first_message',
		chat: {
			conversation: CLOSED_CONVERSATION,
			survey: { ...SURVEY, answered: true },
		},
	} ),
	'closed-ended': ( language ) => ( {
		messages: SAMPLES[ language ],
		chat: {
			conversation: CLOSED_CONVERSATION,
		},
	} ),
	'unreachable-with-consent': () => ( {
		dataConsent: true,
		communications: true,
		chat: { status: 'unreachable' },
	} ),
};

let harness: string | undefined;

/** The layout harness, bundled once (see widget/test/layout-harness.ts). */
async function harnessScript(): Promise< string > {
	if ( ! harness ) {
		const result = await build( {
			entryPoints: [
				path.join( __dirname, '../../widget/test/layout-harness.ts' ),
			],
			bundle: true,
			write: false,
			format: 'iife',
			target: [ 'es2020' ],
			jsx: 'automatic',
			jsxImportSource: 'preact',
			logLevel: 'silent',
		} );
		harness = result.outputFiles[ 0 ].text;
	}
	return harness;
}

/**
 * A page of the chatflow in a language, its widget not placed, the harness
 * loaded with the configuration WordPress printed.
 *
 * @param browser         Browser.
 * @param stack           Stack.
 * @param consoleErrors   Console error guard.
 * @param url             Page path.
 * @param viewport        Size.
 * @param viewport.width  Width.
 * @param viewport.height Height.
 */
async function harnessPage(
	browser: Browser,
	stack: Stack,
	consoleErrors: ConsoleErrors,
	url: string,
	viewport: { width: number; height: number }
): Promise< Page > {
	const context = await browser.newContext( {
		baseURL: stack.wpUrl,
		viewport,
		reducedMotion: 'reduce',
	} );
	// The loader installs its API but places nothing: the harness shows the window.
	await context.addInitScript( () => {
		( window as { chatflowsSettings?: object } ).chatflowsSettings = {
			loadImmediately: false,
		};
	} );
	const page = consoleErrors.watch( await context.newPage() );
	await page.goto( url );
	await page.addScriptTag( { content: await harnessScript() } );
	return page;
}

for ( const language of Object.keys( LANGUAGES ) as Language[] ) {
	test( `screenshots and layout facts of the window’s main states at desktop and phone sizes (${ language })`, async ( {
		browser,
		stack,
		consoleErrors,
	}, testInfo ) => {
		test.setTimeout( 240_000 );
		for ( const [ size, viewport ] of [
			[ 'desktop', DESKTOP ],
			[ 'phone', PHONE ],
		] as const ) {
			const page = await harnessPage(
				browser,
				stack,
				consoleErrors,
				pages[ 'Yellow chat' ][ language ],
				viewport
			);
			for ( const [ state, make ] of Object.entries( STATES ) ) {
				const label = `${ language }-${ size }-${ state }`;
				await page.evaluate(
					( layout ) => window.chatflowsLayout!.show( layout ),
					make( language )
				);
				await expect( page.getByRole( 'dialog' ) ).toBeVisible();
				await attachScreenshot( page, testInfo, label );
				await expectReadableLayout( page, label );
				await expectNoAxeViolations( page );
			}
			await page.context().close();
		}
	} );
}
