/**
 * The loader end to end, in Chromium on the demo site: each display
 * behaviour and trigger, the 24 hours without prompts, phones, the launcher
 * hidden while nobody can answer, the public JS API with its events, the
 * inline embed, and identification (an agent sees the identified contact).
 */
import type { Browser, BrowserContext, Page } from '@playwright/test';

import type { ConversationSummary } from '@chatflows/protocol';
import {
	expect,
	loggedInPage,
	test,
	type ConsoleErrors,
	type Stack,
} from './fixtures';
import { agentSocket, identifyAndOpenChat, rest } from './helpers';

// This spec changes the demo chatflow's display behaviour: it gets a site of its own.
test.use( { siteName: 'widget-loader' } );
test.describe.configure( { mode: 'serial' } );

const CHATFLOWS_PAGE = '/wp-admin/admin.php?page=chatflows-chatflows';
const WELCOME = 'Hi! Questions about our plans? Ask us here.';

interface DisplayBehaviour {
	desktop: 'prompt' | 'launcher' | 'prompt_on_trigger';
	mobile: 'prompt' | 'launcher';
	triggers: {
		exitIntent: boolean;
		timeOnPage: boolean;
		timeOnPageSeconds: number;
		scroll: boolean;
		scrollPercent: number;
	};
}

const NO_TRIGGERS: DisplayBehaviour[ 'triggers' ] = {
	exitIntent: false,
	timeOnPage: false,
	timeOnPageSeconds: 5,
	scroll: false,
	scrollPercent: 50,
};

interface ChatflowRecord {
	id: number;
	title: string;
	version: number;
}

let admin: Page;

async function demoChatflow(): Promise< ChatflowRecord > {
	const chatflows = await rest< ChatflowRecord[] >( admin, {
		path: '/chatflows/v1/chatflows',
	} );
	const found = chatflows.find(
		( chatflow ) => chatflow.title === 'Website chat'
	);
	expect( found ).toBeTruthy();
	return found!;
}

/**
 * Saves settings of the demo chatflow, as the editor would.
 *
 * @param settings Settings to change.
 */
async function saveSettings( settings: Record< string, unknown > ) {
	const chatflow = await demoChatflow();
	await rest( admin, {
		path: `/chatflows/v1/chatflows/${ chatflow.id }`,
		method: 'PUT',
		data: { version: chatflow.version, settings },
	} );
}

async function setDisplay(
	desktop: DisplayBehaviour[ 'desktop' ],
	mobile: DisplayBehaviour[ 'mobile' ] = 'launcher',
	triggers: Partial< DisplayBehaviour[ 'triggers' ] > = {}
) {
	await saveSettings( {
		displayBehaviour: {
			desktop,
			mobile,
			triggers: { ...NO_TRIGGERS, ...triggers },
		},
	} );
}

/**
 * A visitor's browser: a fresh context (nothing stored), its console watched.
 *
 * @param browser                 Browser.
 * @param stack                   Running stack.
 * @param consoleErrors           Console guard.
 * @param options                 The device.
 * @param options.viewport        Its viewport.
 * @param options.viewport.width  Width in CSS pixels.
 * @param options.viewport.height Height in CSS pixels.
 * @param options.isMobile        A phone (touch, mobile user agent).
 */
async function visitorContext(
	browser: Browser,
	stack: Stack,
	consoleErrors: ConsoleErrors,
	options: {
		viewport?: { width: number; height: number };
		isMobile?: boolean;
	} = {}
): Promise< { context: BrowserContext; page: Page; requests: string[] } > {
	const context = await browser.newContext( {
		baseURL: stack.wpUrl,
		viewport: options.viewport ?? { width: 1280, height: 800 },
		isMobile: options.isMobile,
		hasTouch: options.isMobile,
	} );
	const page = consoleErrors.watch( await context.newPage() );
	const requests: string[] = [];
	page.on( 'request', ( request ) => requests.push( request.url() ) );
	return { context, page, requests };
}

const launcher = ( page: Page ) =>
	page.getByRole( 'button', { name: /^(Open|Close) chat$/ } ).first();
const welcomePrompt = ( page: Page ) =>
	page.getByRole( 'button', { name: WELCOME } );
const chatWindow = ( page: Page ) =>
	page.getByRole( 'textbox', { name: 'Message' } );
const chatWindowLoaded = ( requests: string[] ) =>
	requests.some( ( url ) => url.includes( '/build/widget/chat-window.js' ) );

/** Makes the page tall enough to scroll (the demo page is short). */
function tallPage() {
	document.addEventListener( 'DOMContentLoaded', () => {
		const spacer = document.createElement( 'div' );
		spacer.style.height = '4000px';
		document.body.append( spacer );
	} );
}

test.beforeAll( async ( { browser, stack } ) => {
	admin = await loggedInPage( browser, stack, 'admin' );
	await admin.goto( CHATFLOWS_PAGE );
} );

test.afterAll( async () => {
	await admin?.context().close();
} );

test( 'launcher only: a deferred loader, no layout shift, and the chat window loaded only on click', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	await setDisplay( 'launcher', 'launcher' );
	const { page, requests } = await visitorContext(
		browser,
		stack,
		consoleErrors
	);
	await page.addInitScript( () => {
		const shifts: number[] = [];
		( window as unknown as { shifts: number[] } ).shifts = shifts;
		new PerformanceObserver( ( list ) => {
			for ( const entry of list.getEntries() ) {
				shifts.push( ( entry as unknown as { value: number } ).value );
			}
		} ).observe( { type: 'layout-shift', buffered: true } );
	} );
	await page.goto( '/pricing/' );
	await expect( page.locator( 'script[src*="loader.js"]' ) ).toHaveAttribute(
		'defer',
		''
	);
	await expect( launcher( page ) ).toHaveAccessibleName( 'Open chat' );
	await expect( welcomePrompt( page ) ).toHaveCount( 0 );
	expect( chatWindowLoaded( requests ) ).toBe( false );
	expect(
		await page.evaluate(
			() => ( window as unknown as { shifts: number[] } ).shifts
		)
	).toEqual( [] );

	await launcher( page ).click();
	await expect( chatWindow( page ) ).toBeVisible();
	expect( chatWindowLoaded( requests ) ).toBe( true );
	await expect( launcher( page ) ).toHaveAttribute( 'aria-expanded', 'true' );
} );

test( 'prompt: the welcome message pops up; a click opens the chat; once dismissed, not again for 24 hours', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	await setDisplay( 'prompt', 'launcher' );
	const { context, page, requests } = await visitorContext(
		browser,
		stack,
		consoleErrors
	);
	await context.clock.install();
	await page.goto( '/pricing/' );
	await expect( welcomePrompt( page ) ).toBeVisible();
	expect( chatWindowLoaded( requests ) ).toBe( false );
	await welcomePrompt( page ).click();
	await expect( chatWindow( page ) ).toBeVisible();

	// Minimised: on the next page the prompt stays away…
	await launcher( page ).click();
	await expect( chatWindow( page ) ).toBeHidden();
	await page.reload();
	await expect( launcher( page ) ).toBeVisible();
	await expect( welcomePrompt( page ) ).toBeHidden();

	// …and so it does after dismissing it, until 24 hours have passed.
	await context.clock.fastForward( '24:00:01' );
	await page.reload();
	await expect( welcomePrompt( page ) ).toBeVisible();
	await page.getByRole( 'button', { name: 'Close chat' } ).last().click();
	await expect( welcomePrompt( page ) ).toBeHidden();
	await page.reload();
	await expect( launcher( page ) ).toBeVisible();
	await expect( welcomePrompt( page ) ).toBeHidden();
	await context.clock.fastForward( '23:00:00' );
	await page.reload();
	await expect( launcher( page ) ).toBeVisible();
	await expect( welcomePrompt( page ) ).toBeHidden();
	await context.clock.fastForward( '01:00:01' );
	await page.reload();
	await expect( welcomePrompt( page ) ).toBeVisible();
} );

test( 'open on trigger: time on page', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	await setDisplay( 'prompt_on_trigger', 'launcher', {
		timeOnPage: true,
		timeOnPageSeconds: 60,
	} );
	const { context, page, requests } = await visitorContext(
		browser,
		stack,
		consoleErrors
	);
	const start = Date.now();
	await context.clock.install( { time: start } );
	await page.goto( '/pricing/' );
	await expect( launcher( page ) ).toBeVisible();
	// Stop time a little after the page loaded: the minute has not passed yet.
	await context.clock.pauseAt( start + 20_000 );
	await expect( chatWindow( page ) ).toHaveCount( 0 );
	expect( chatWindowLoaded( requests ) ).toBe( false );
	await context.clock.runFor( 41_000 );
	await context.clock.resume();
	await expect( chatWindow( page ) ).toBeVisible();
	await expect( launcher( page ) ).toHaveAttribute( 'aria-expanded', 'true' );
} );

test( 'open on trigger: exit intent, when the pointer leaves through the top', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	await setDisplay( 'prompt_on_trigger', 'launcher', { exitIntent: true } );
	const { page, requests } = await visitorContext(
		browser,
		stack,
		consoleErrors
	);
	await page.goto( '/pricing/' );
	await expect( launcher( page ) ).toBeVisible();
	await page.mouse.move( 640, 400 );
	// Leaving through the side does not count.
	await page.mouse.move( 1279, 400 );
	await page.mouse.move( 1400, 400 );
	await page.mouse.move( 640, 400 );
	expect( chatWindowLoaded( requests ) ).toBe( false );
	await page.mouse.move( 640, 5 );
	await page.mouse.move( 640, -20 );
	await expect( chatWindow( page ) ).toBeVisible();
} );

test( 'open on trigger: percentage scrolled', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	await setDisplay( 'prompt_on_trigger', 'launcher', {
		scroll: true,
		scrollPercent: 60,
	} );
	const { page, requests } = await visitorContext(
		browser,
		stack,
		consoleErrors
	);
	await page.addInitScript( tallPage );
	await page.goto( '/pricing/' );
	await expect( launcher( page ) ).toBeVisible();
	await page.mouse.move( 640, 400 );
	await page.mouse.wheel( 0, 1000 );
	await expect
		.poll( () => page.evaluate( () => window.scrollY ) )
		.toBeGreaterThan( 900 );
	expect( chatWindowLoaded( requests ) ).toBe( false );
	await page.mouse.wheel( 0, 2500 );
	await expect( chatWindow( page ) ).toBeVisible();
} );

test( 'open on trigger: a click comes first, and no trigger reopens a minimised chat', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	await setDisplay( 'prompt_on_trigger', 'launcher', { exitIntent: true } );
	const { page } = await visitorContext( browser, stack, consoleErrors );
	await page.goto( '/pricing/' );
	await launcher( page ).click();
	await expect( chatWindow( page ) ).toBeVisible();
	await launcher( page ).click();
	await expect( chatWindow( page ) ).toBeHidden();
	await page.mouse.move( 640, 5 );
	await page.mouse.move( 640, -20 );
	await page.reload();
	await page.mouse.move( 640, 5 );
	await page.mouse.move( 640, -20 );
	await expect( launcher( page ) ).toHaveAttribute(
		'aria-expanded',
		'false'
	);
	await expect( chatWindow( page ) ).toHaveCount( 0 );
} );

test( 'phones follow the mobile behaviour: prompt, or launcher only', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const phone = {
		viewport: { width: 375, height: 667 },
		isMobile: true,
	};
	await setDisplay( 'launcher', 'prompt' );
	const first = await visitorContext( browser, stack, consoleErrors, phone );
	await first.page.goto( '/pricing/' );
	await expect( welcomePrompt( first.page ) ).toBeVisible();
	await welcomePrompt( first.page ).tap();
	await expect( chatWindow( first.page ) ).toBeVisible();

	await setDisplay( 'prompt', 'launcher' );
	const second = await visitorContext( browser, stack, consoleErrors, phone );
	await second.page.goto( '/pricing/' );
	await expect( launcher( second.page ) ).toBeVisible();
	await expect( welcomePrompt( second.page ) ).toHaveCount( 0 );
} );

test( 'the launcher hides while nobody can answer, when the chatflow says so', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	await setDisplay( 'launcher', 'launcher' );
	await saveSettings( {
		availability: { mode: 'users', whenOffline: 'hide_launcher' },
	} );
	const { page, requests } = await visitorContext(
		browser,
		stack,
		consoleErrors
	);
	await page.goto( '/pricing/' );
	await expect
		.poll( () =>
			requests.some( ( url ) => url.includes( '/v1/availability/' ) )
		)
		.toBe( true );
	await expect( launcher( page ) ).toBeHidden();
	expect( chatWindowLoaded( requests ) ).toBe( false );

	// An agent comes online: within the answer's few seconds of caching, the launcher is back.
	const agent = await agentSocket( browser, stack );
	try {
		await expect( async () => {
			await page.reload();
			await expect( launcher( page ) ).toBeVisible( { timeout: 1000 } );
		} ).toPass( { timeout: 20_000 } );
	} finally {
		agent.disconnect();
		await saveSettings( {
			availability: { mode: 'always', whenOffline: 'show_return_time' },
		} );
	}
} );

test( 'the JS API: loadImmediately false, then load, open, close, refresh, status, remove and clear, with their events', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	await setDisplay( 'launcher', 'launcher' );
	const { page, requests } = await visitorContext(
		browser,
		stack,
		consoleErrors
	);
	await page.addInitScript( () => {
		const events: string[] = [];
		const win = window as unknown as Record< string, unknown >;
		win.heard = events;
		win.chatflowsSettings = { loadImmediately: false };
		win.chatflowsOnReady = [
			() => {
				const api = win.ChatflowsConversations as {
					on: ( name: string, cb: ( p: unknown ) => void ) => void;
				};
				for ( const name of [
					'widgetLoaded',
					'widgetClosed',
					'conversationStarted',
					'conversationClosed',
					'unreadConversationCountChanged',
					'contactAssociated',
					'userInteractedWithWidget',
				] ) {
					api.on( name, ( payload ) =>
						events.push(
							`${ name } ${ JSON.stringify( payload ) }`
						)
					);
				}
				events.push( 'ready' );
			},
		];
	} );
	const api = ( call: string ) =>
		page.evaluate(
			( body ) => new Function( `return ${ body }` )(),
			`window.ChatflowsConversations.${ call }`
		);
	const heard = () =>
		page.evaluate(
			() => ( window as unknown as { heard: string[] } ).heard
		);

	await page.goto( '/pricing/' );
	await expect.poll( heard ).toEqual( [ 'ready' ] );
	expect( await api( 'widget.status()' ) ).toEqual( { loaded: false } );
	await expect( launcher( page ) ).toHaveCount( 0 );

	await api( 'widget.load()' );
	await expect( launcher( page ) ).toBeVisible();
	expect( await api( 'widget.status()' ) ).toEqual( { loaded: true } );
	expect( chatWindowLoaded( requests ) ).toBe( false );
	expect( await heard() ).toEqual( [ 'ready', 'widgetLoaded {}' ] );

	await api( 'widget.open()' );
	await expect( chatWindow( page ) ).toBeVisible();
	await api( 'widget.close()' );
	await expect( chatWindow( page ) ).toBeHidden();
	await expect.poll( heard ).toContain( 'widgetClosed {}' );

	await launcher( page ).click();
	await expect( chatWindow( page ) ).toBeVisible();
	await expect.poll( heard ).toContain( 'userInteractedWithWidget {}' );

	// The visitor's first message opens a conversation; an agent's reply while the chat is closed is unread.
	const agent = await agentSocket( browser, stack );
	try {
		await chatWindow( page ).fill( 'Hello from the JS API test' );
		await chatWindow( page ).press( 'Enter' );
		await expect
			.poll( async () =>
				( await heard() ).find( ( event ) =>
					event.startsWith( 'conversationStarted' )
				)
			)
			.toMatch(
				/^conversationStarted \{"conversation":\{"conversationId":"[^"]+"\}\}$/
			);
		const started = ( await heard() ).find( ( event ) =>
			event.startsWith( 'conversationStarted' )
		)!;
		const conversationId = JSON.parse(
			started.slice( 'conversationStarted '.length )
		).conversation.conversationId as string;
		await api( 'widget.close()' );
		await agent.timeout( 5000 ).emitWithAck( 'message:send', {
			conversationId,
			clientId: 'agent-reply-1',
			body: 'Hi! How can I help?',
		} );
		await expect
			.poll( heard )
			.toContain( 'unreadConversationCountChanged {"unreadCount":1}' );
		await agent
			.timeout( 5000 )
			.emitWithAck( 'conversation:close', { conversationId } );
		await expect
			.poll( heard )
			.toContain(
				`conversationClosed {"conversation":{"conversationId":"${ conversationId }"}}`
			);
	} finally {
		agent.disconnect();
	}

	// refresh() places the widget again (e.g. after a single-page app's route change).
	await api( 'widget.refresh({ openToNewThread: true })' );
	await expect( chatWindow( page ) ).toBeVisible();
	await expect( page.locator( '#chatflows-widget' ) ).toHaveCount( 1 );

	await api( 'widget.remove()' );
	await expect( page.locator( '#chatflows-widget' ) ).toHaveCount( 0 );
	expect( await api( 'widget.status()' ) ).toEqual( { loaded: false } );

	// clear() forgets the visitor's session: a reset widget starts a new visitor.
	await api( 'widget.load({ widgetOpen: true })' );
	await expect( chatWindow( page ) ).toBeVisible();
	const sessionBefore = await page.evaluate( () =>
		window.localStorage.getItem( 'chatflows:session' )
	);
	expect( sessionBefore ).toBeTruthy();
	await api( 'clear({ resetWidget: true })' );
	await api( 'widget.open()' );
	await expect( chatWindow( page ) ).toBeVisible();
	await expect
		.poll( () =>
			page.evaluate( () =>
				window.localStorage.getItem( 'chatflows:session' )
			)
		)
		.not.toBe( sessionBefore );
	await expect(
		page.getByRole( 'log', { name: 'Messages' } )
	).not.toContainText( 'Hello from the JS API test' );
} );

test( "the page's settings reach the chat window: disableAttachment", async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	await setDisplay( 'launcher', 'launcher' );
	const attach = ( page: Page ) =>
		page.getByRole( 'button', { name: 'Attach a file' } );

	const usual = await visitorContext( browser, stack, consoleErrors );
	await usual.page.goto( '/pricing/' );
	await launcher( usual.page ).click();
	await expect( chatWindow( usual.page ) ).toBeVisible();
	await expect( attach( usual.page ) ).toBeVisible();

	const without = await visitorContext( browser, stack, consoleErrors );
	await without.page.addInitScript( () => {
		( window as unknown as Record< string, unknown > ).chatflowsSettings = {
			disableAttachment: true,
		};
	} );
	await without.page.goto( '/pricing/' );
	await launcher( without.page ).click();
	await expect( chatWindow( without.page ) ).toBeVisible();
	await expect( attach( without.page ) ).toHaveCount( 0 );
} );

test( 'inline embed: in the Live chat block, open, without a floating launcher', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const chatflow = await demoChatflow();
	const embedPage = await rest< { link: string } >( admin, {
		path: '/wp/v2/pages',
		method: 'POST',
		data: {
			title: 'Talk to sales',
			status: 'publish',
			content: `<!-- wp:paragraph --><p>Our team answers here.</p><!-- /wp:paragraph -->\n<!-- wp:chatflows/live-chat {"chatflowId":${ chatflow.id }} /-->`,
		},
	} );
	const { page } = await visitorContext( browser, stack, consoleErrors );
	await page.goto( embedPage.link );
	const inline = page.locator( `#chatflows-inline-${ chatflow.id }` );
	await expect( inline.locator( '#chatflows-widget' ) ).toHaveCount( 1 );
	await expect( chatWindow( page ) ).toBeVisible();
	await expect( page.locator( '#chatflows-widget .launcher' ) ).toHaveCount(
		0
	);
	await expect(
		page.getByRole( 'button', { name: 'Open chat' } )
	).toHaveCount( 0 );
	// The window fills the block's element, in the page's flow, and cannot be minimised.
	const box = ( await inline.boundingBox() )!;
	const dialog = ( await page.getByRole( 'dialog' ).boundingBox() )!;
	expect( Math.abs( dialog.x - box.x ) ).toBeLessThanOrEqual( 1 );
	expect( Math.abs( dialog.width - box.width ) ).toBeLessThanOrEqual( 2 );
	expect( dialog.y ).toBeGreaterThanOrEqual( box.y - 1 );
	expect( dialog.y + dialog.height ).toBeLessThanOrEqual(
		box.y + box.height + 1
	);
	await expect(
		page.getByRole( 'button', { name: 'Close chat' } )
	).toHaveCount( 0 );

	// The page's own settings can name another element.
	const other = await visitorContext( browser, stack, consoleErrors );
	await other.page.addInitScript( () => {
		( window as unknown as Record< string, unknown > ).chatflowsSettings = {
			inlineEmbedSelector: '.wp-block-post-content',
		};
	} );
	await other.page.goto( '/pricing/' );
	await expect(
		other.page.locator( '.wp-block-post-content #chatflows-widget' )
	).toHaveCount( 1 );
	await expect( chatWindow( other.page ) ).toBeVisible();
	await expect(
		other.page.locator( '#chatflows-widget .launcher' )
	).toHaveCount( 0 );
} );

test( 'identification: a logged-in customer is the contact the agent sees', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	await setDisplay( 'launcher', 'launcher' );
	await rest( admin, {
		path: '/wp/v2/users',
		method: 'POST',
		data: {
			username: 'casey',
			password: 'password',
			email: 'casey.customer@example.com',
			name: 'Casey Customer',
			roles: [ 'subscriber' ],
		},
	} );
	// An agent is online, so the customer chats (rather than leaving a message).
	const agent = await agentSocket( browser, stack );
	const customer = consoleErrors.watch(
		await loggedInPage( browser, stack, 'casey' )
	);
	// The site's own script: ask WordPress for a token, then load the chat with it.
	await customer.addInitScript( () => {
		const win = window as unknown as Record< string, any >;
		win.chatflowsSettings = { loadImmediately: false };
		win.associated = 0;
		win.chatflowsOnReady = [
			() =>
				win.ChatflowsConversations.on(
					'contactAssociated',
					() => win.associated++
				),
		];
	} );
	await customer.goto( '/pricing/' );
	await identifyAndOpenChat( customer );
	expect( await customer.content() ).not.toContain( 'identificationToken":' );
	// The service accepted the token: the page hears that the visitor is a contact now.
	await expect
		.poll( () =>
			customer.evaluate(
				() => ( window as unknown as { associated: number } ).associated
			)
		)
		.toBe( 1 );
	await chatWindow( customer ).fill( 'Where is my invoice?' );
	await chatWindow( customer ).press( 'Enter' );
	try {
		await expect
			.poll( async () => {
				const response = await agent
					.timeout( 5000 )
					.emitWithAck( 'inbox:list', { view: 'open' } );
				const conversation = response.ok
					? response.data.conversations.find(
							( summary: ConversationSummary ) =>
								summary.lastMessage?.body ===
								'Where is my invoice?'
						)
					: undefined;
				return conversation?.visitorEmail ?? null;
			} )
			.toBe( 'casey.customer@example.com' );
	} finally {
		agent.disconnect();
	}
} );
