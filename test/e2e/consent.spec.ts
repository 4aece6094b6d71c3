/**
 * Consent in the visitor widget, end to end in Chromium against the real
 * WordPress and the real chat service: an empty cookie jar and empty storages
 * before cookie consent (a chat still works after Decline, for that page
 * view), the session kept across a reload after Accept, the banner before the
 * chat and on exit intent, explicit consent to process data blocking Send
 * until "I agree", a consent plugin speaking the WP Consent API followed
 * instead of the banner, no banner for an identified visitor, and the consent
 * records an agent sees in the conversation's context.
 */
import fs from 'node:fs';
import path from 'node:path';

import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

import type { ConsentRecord, ConversationContext } from '@chatflows/protocol';
import { expect, loggedInPage, test, type Stack } from './fixtures';
import {
	agentSocket,
	ALWAYS_AVAILABLE,
	chatLog,
	confirmEmailAsOwner,
	conversationWith,
	identifyAndOpenChat,
	LAUNCHER_ONLY,
	logItem,
	publishChatflow,
	publishPageFor,
	rest,
	sendAsVisitor,
	visitorPage,
	type AgentSocket,
} from './helpers';

// This spec adds a consent plugin to the site for one test: a site of its own.
test.use( { siteName: 'consent' } );
test.describe.configure( { mode: 'serial' } );

/** The chatflow's default texts and the widget's, in English (the site's language). */
const COOKIE_TEXT =
	'We use cookies to keep this chat working between pages. Do you accept chat cookies?';
const DATA_TEXT =
	'To chat with us, we need to store and process the personal data you share in this conversation.';
const BANNER = 'Cookies in the chat';
const AGREE_FIRST = 'Select “I agree” before you send a message.';

/** Available whenever a visitor writes, agents online or not. */
const ALWAYS = { ...ALWAYS_AVAILABLE, showTypicalReplyTime: false };

const NOTHING_STORED = { cookies: [], localStorage: [], sessionStorage: [] };

let admin: Page;

/**
 * Publishes a chatflow with consent options, and a page that chooses it.
 *
 * @param title    Name.
 * @param options  The chatflow's options besides the defaults.
 * @param settings Other settings besides the defaults.
 * @return The page's path.
 */
async function chatflowPage(
	title: string,
	options: Record< string, unknown >,
	settings: Record< string, unknown > = {}
): Promise< string > {
	const id = await publishChatflow( admin, title, {
		displayBehaviour: LAUNCHER_ONLY,
		availability: ALWAYS,
		...settings,
		options,
	} );
	return publishPageFor( admin, title, id );
}

/**
 * Every cookie of the site's host (any port: cookies ignore ports, so the
 * chat service's would show too) and every key of the page's storages.
 *
 * @param page  The visitor's page.
 * @param stack The stack.
 */
async function storedInTheBrowser( page: Page, stack: Stack ) {
	const cookies = await page.context().cookies( stack.wpUrl );
	const storages = await page.evaluate( () => ( {
		localStorage: Object.keys( window.localStorage ),
		sessionStorage: Object.keys( window.sessionStorage ),
	} ) );
	return { cookies: cookies.map( ( cookie ) => cookie.name ), ...storages };
}

function launcher( page: Page ) {
	return page.getByRole( 'button', { name: 'Open chat' } );
}

function banner( page: Page ) {
	return page.getByRole( 'region', { name: BANNER } );
}

function messageBox( page: Page ) {
	return page.getByRole( 'textbox', { name: 'Message' } );
}

/**
 * The consent records of the conversation whose last message is this text,
 * as the agent's inbox gets them with the conversation's context.
 *
 * @param agent Agent socket.
 * @param body  The conversation's last message.
 */
async function consentRecordsOf(
	agent: AgentSocket,
	body: string
): Promise< ConsentRecord[] > {
	return ( await contextOf( agent, body ) ).consents;
}

/**
 * The context of the conversation whose last message is this text, as the
 * agent's inbox gets it.
 *
 * @param agent Agent socket.
 * @param body  The conversation's last message.
 */
async function contextOf(
	agent: AgentSocket,
	body: string
): Promise< ConversationContext > {
	const conversation = await conversationWith( agent, body );
	const context = await agent.emitWithAck( 'conversation:context', {
		conversationId: conversation.id,
	} );
	if ( ! context.ok ) {
		throw new Error(
			`conversation:context refused: ${ context.error.code }`
		);
	}
	return context.data;
}

test.beforeAll( async ( { browser, stack } ) => {
	admin = await loggedInPage( browser, stack, 'admin' );
	await admin.goto( '/wp-admin/admin.php?page=chatflows-chatflows' );
} );

test.afterAll( async () => {
	await admin?.context().close();
} );

test( 'cookie consent before the chat: nothing stored before the answer; after Decline the chat works for this page view only', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const url = await chatflowPage( 'Consent before the chat', {
		cookieConsent: { enabled: true, when: 'before_chat' },
	} );
	const visitor = await visitorPage( browser, stack, consoleErrors, url );
	await expect( launcher( visitor ) ).toBeVisible();
	expect( await storedInTheBrowser( visitor, stack ) ).toEqual(
		NOTHING_STORED
	);

	await launcher( visitor ).click();
	await expect( banner( visitor ) ).toContainText( COOKIE_TEXT );
	// The chat cannot start before the answer.
	await expect( messageBox( visitor ) ).toHaveCount( 0 );
	await expect(
		banner( visitor ).getByRole( 'button', { name: 'Accept' } )
	).toBeFocused();
	const audit = await new AxeBuilder( { page: visitor } )
		.include( '#chatflows-widget' )
		.analyze();
	expect( audit.violations ).toEqual( [] );

	await visitor.keyboard.press( 'Tab' );
	await visitor.keyboard.press( 'Enter' );
	await expect( banner( visitor ) ).toHaveCount( 0 );
	await expect( messageBox( visitor ) ).toBeFocused();
	await sendAsVisitor( visitor, 'Declined, and chatting anyway' );
	// Minimising remembers nothing either (no 24 hours, no open state).
	await visitor.keyboard.press( 'Escape' );
	await expect( launcher( visitor ) ).toBeFocused();
	expect( await storedInTheBrowser( visitor, stack ) ).toEqual(
		NOTHING_STORED
	);

	// The next page view asks again, and the conversation stayed with the last one.
	await visitor.reload();
	await launcher( visitor ).click();
	await expect( banner( visitor ) ).toBeVisible();
	await expect( chatLog( visitor ) ).not.toContainText(
		'Declined, and chatting anyway'
	);
	expect( await storedInTheBrowser( visitor, stack ) ).toEqual(
		NOTHING_STORED
	);
	await visitor.context().close();
} );

test( 'after Accept the session is kept: the conversation survives a reload; the agent sees the consent on record', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const url = await chatflowPage( 'Consent accepted', {
		cookieConsent: { enabled: true, when: 'before_chat' },
	} );
	const agent = await agentSocket( browser, stack );
	try {
		const visitor = await visitorPage( browser, stack, consoleErrors, url );
		await launcher( visitor ).click();
		await banner( visitor )
			.getByRole( 'button', { name: 'Accept' } )
			.click();
		await sendAsVisitor( visitor, 'Accepted, remember me' );
		const stored = await storedInTheBrowser( visitor, stack );
		expect( stored.localStorage ).toEqual(
			expect.arrayContaining( [
				'chatflows:consent',
				'chatflows:session',
			] )
		);

		await visitor.reload();
		await launcher( visitor ).click();
		await expect(
			logItem( visitor, 'Accepted, remember me' )
		).toBeVisible();
		await expect( banner( visitor ) ).toHaveCount( 0 );
		await expect( messageBox( visitor ) ).toBeVisible();

		const records = await consentRecordsOf(
			agent,
			'Accepted, remember me'
		);
		expect( records ).toEqual( [
			expect.objectContaining( {
				kind: 'cookies',
				granted: true,
				method: 'banner',
				text: COOKIE_TEXT,
				language: 'en_US',
				pageUrl: `${ stack.wpUrl }${ url }`,
			} ),
		] );
		expect( records[ 0 ].textVersion ).toMatch( /^[0-9a-f]{16}$/ );
		await visitor.context().close();
	} finally {
		agent.disconnect();
	}
} );

test( 'cookie consent on exit intent: the banner beside the launcher when the pointer leaves through the top, or in the window when the chat opens first', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const url = await chatflowPage( 'Consent on exit intent', {
		cookieConsent: { enabled: true, when: 'exit_intent' },
	} );
	const visitor = await visitorPage( browser, stack, consoleErrors, url );
	await expect( launcher( visitor ) ).toBeVisible();
	await visitor.mouse.move( 640, 400 );
	await expect( banner( visitor ) ).toHaveCount( 0 );
	await visitor.mouse.move( 640, 5 );
	await visitor.mouse.move( 640, -20 );
	await expect( banner( visitor ) ).toContainText( COOKIE_TEXT );
	await expect( visitor.getByRole( 'dialog' ) ).toHaveCount( 0 );
	expect( await storedInTheBrowser( visitor, stack ) ).toEqual(
		NOTHING_STORED
	);
	const audit = await new AxeBuilder( { page: visitor } )
		.include( '#chatflows-widget' )
		.analyze();
	expect( audit.violations ).toEqual( [] );

	await banner( visitor ).getByRole( 'button', { name: 'Accept' } ).click();
	await expect( banner( visitor ) ).toHaveCount( 0 );
	await expect( launcher( visitor ) ).toBeFocused();
	expect(
		( await storedInTheBrowser( visitor, stack ) ).localStorage
	).toEqual( [ 'chatflows:consent' ] );
	await launcher( visitor ).click();
	await expect( messageBox( visitor ) ).toBeVisible();
	await expect( banner( visitor ) ).toHaveCount( 0 );
	await visitor.context().close();

	// Opening the chat before any exit intent: the window asks.
	const another = await visitorPage( browser, stack, consoleErrors, url );
	await launcher( another ).click();
	await expect(
		another.getByRole( 'dialog' ).getByRole( 'region', { name: BANNER } )
	).toBeVisible();
	await another.mouse.move( 640, 400 );
	await another.mouse.move( 640, -20 );
	await expect( banner( another ) ).toHaveCount( 1 );
	await another.context().close();
} );

test( 'explicit consent to process data: Send does nothing until “I agree”; the agent sees the exact text on record', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const privacyPolicyUrl = `${ stack.wpUrl }/privacy-policy/`;
	const url = await chatflowPage( 'Explicit data consent', {
		dataConsent: { enabled: true, mode: 'explicit', privacyPolicyUrl },
	} );
	const agent = await agentSocket( browser, stack );
	try {
		const visitor = await visitorPage( browser, stack, consoleErrors, url );
		await launcher( visitor ).click();
		const dialog = visitor.getByRole( 'dialog' );
		await expect( dialog ).toContainText( DATA_TEXT );
		await expect(
			dialog.getByRole( 'link', { name: 'Privacy policy' } )
		).toHaveAttribute( 'href', privacyPolicyUrl );

		await messageBox( visitor ).fill( 'Before agreeing' );
		await visitor.getByRole( 'button', { name: 'Send' } ).click();
		await expect( visitor.getByRole( 'alert' ) ).toHaveText( AGREE_FIRST );
		const agree = visitor.getByRole( 'checkbox', { name: 'I agree' } );
		await expect( agree ).toBeFocused();
		await messageBox( visitor ).press( 'Enter' );
		await expect( logItem( visitor, 'Before agreeing' ) ).toHaveCount( 0 );
		await expect( messageBox( visitor ) ).toHaveValue( 'Before agreeing' );
		// No file either, before agreeing.
		await expect(
			visitor.getByRole( 'button', { name: 'Attach a file' } )
		).toHaveCount( 0 );

		await agree.check();
		await expect( visitor.getByRole( 'alert' ) ).toHaveCount( 0 );
		await visitor.getByRole( 'button', { name: 'Send' } ).click();
		await expect( logItem( visitor, 'Before agreeing' ) ).not.toHaveClass(
			/pending/
		);

		const records = await consentRecordsOf( agent, 'Before agreeing' );
		expect( records ).toEqual( [
			expect.objectContaining( {
				kind: 'data_processing',
				granted: true,
				method: 'checkbox',
				text: `${ DATA_TEXT }\nPrivacy policy: ${ privacyPolicyUrl }`,
			} ),
		] );
		await visitor.context().close();
	} finally {
		agent.disconnect();
	}
} );

test( 'consent to communications: the checkbox with the chatflow’s label in the e-mail form; the address is a claim until its e-mailed link is confirmed, then the contact carries the answer and the marketing flag', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const url = await chatflowPage(
		'Newsletter chat',
		{
			communicationsConsent: {
				enabled: true,
				subscriptionType: 'marketing',
				label: { en_US: 'Send me the monthly newsletter' },
			},
			marketingContacts: true,
		},
		{
			emailCapture: {
				enabled: true,
				when: 'after_first_message',
				message: {},
			},
		}
	);
	const agent = await agentSocket( browser, stack );
	try {
		const visitor = await visitorPage( browser, stack, consoleErrors, url );
		await launcher( visitor ).click();
		await sendAsVisitor( visitor, 'Tell me about the newsletter' );
		const box = visitor.getByRole( 'checkbox', {
			name: 'Send me the monthly newsletter',
		} );
		await expect( box ).not.toBeChecked();
		await box.check();
		await visitor
			.getByRole( 'textbox', { name: 'E-mail address' } )
			.fill( 'nora.news@example.com' );
		await visitor
			.getByRole( 'button', { name: 'Save e-mail address' } )
			.click();
		await expect( box ).toHaveCount( 0 );

		let context: ConversationContext | undefined;
		await expect
			.poll( async () => {
				context = await contextOf(
					agent,
					'Tell me about the newsletter'
				);
				return context.consents.length;
			} )
			.toBe( 1 );
		// Typed: a claim, linked to no contact until confirmed.
		expect( context!.contact ).toBeNull();
		expect( context!.claim?.email ).toBe( 'nora.news@example.com' );
		await confirmEmailAsOwner(
			visitor.context(),
			stack,
			'nora.news@example.com'
		);
		await expect
			.poll( async () => {
				context = await contextOf(
					agent,
					'Tell me about the newsletter'
				);
				return context.contact?.email;
			} )
			.toBe( 'nora.news@example.com' );
		expect( context!.contact!.marketing ).toBe( true );
		expect( context!.claim ).toBeNull();
		expect( context!.consents[ 0 ] ).toEqual(
			expect.objectContaining( {
				kind: 'communications',
				granted: true,
				method: 'checkbox',
				text: 'Send me the monthly newsletter',
				subscriptionType: 'marketing',
				contactId: context!.contact!.id,
			} )
		);
		await visitor.context().close();
	} finally {
		agent.disconnect();
	}
} );

test( 'a consent plugin with the WP Consent API: no banner, nothing stored while it says no, the session kept once it says yes', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const plugin = path.join(
		stack.siteDir,
		'wp-content',
		'mu-plugins',
		'chatflows-test-consent-api.php'
	);
	fs.copyFileSync(
		path.join( __dirname, 'plugins', 'chatflows-test-consent-api.php' ),
		plugin
	);
	const agent = await agentSocket( browser, stack );
	try {
		const url = await chatflowPage( 'Consent by the site’s plugin', {
			cookieConsent: { enabled: true, when: 'before_chat' },
		} );
		const visitor = await visitorPage( browser, stack, consoleErrors, url );
		await launcher( visitor ).click();
		await expect( messageBox( visitor ) ).toBeVisible();
		await expect( banner( visitor ) ).toHaveCount( 0 );
		await sendAsVisitor( visitor, 'The consent plugin decides' );
		expect( await storedInTheBrowser( visitor, stack ) ).toEqual(
			NOTHING_STORED
		);

		// The visitor allows preferences in the site's consent plugin.
		await visitor.evaluate( () =>
			(
				window as unknown as {
					wp_set_consent: ( category: string, value: string ) => void;
				}
			 ).wp_set_consent( 'preferences', 'allow' )
		);
		await expect
			.poll(
				async () =>
					( await storedInTheBrowser( visitor, stack ) ).localStorage
			)
			.toContain( 'chatflows:session' );
		await visitor.reload();
		await launcher( visitor ).click();
		await expect(
			logItem( visitor, 'The consent plugin decides' )
		).toBeVisible();

		let records: ConsentRecord[] = [];
		await expect
			.poll( async () => {
				records = await consentRecordsOf(
					agent,
					'The consent plugin decides'
				);
				return records.length;
			} )
			.toBe( 2 );
		// Newest first.
		expect( records ).toEqual( [
			expect.objectContaining( {
				kind: 'cookies',
				granted: true,
				method: 'wp_consent_api',
				text: 'preferences',
			} ),
			expect.objectContaining( {
				kind: 'cookies',
				granted: false,
				method: 'wp_consent_api',
				text: 'preferences',
			} ),
		] );
		await visitor.context().close();
	} finally {
		agent.disconnect();
		fs.rmSync( plugin, { force: true } );
	}
} );

test( 'a visitor the site identified sees no cookie banner: the site knows them', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const url = await chatflowPage( 'Consent for known customers', {
		cookieConsent: { enabled: true, when: 'before_chat' },
	} );
	await rest( admin, {
		path: '/wp/v2/users',
		method: 'POST',
		data: {
			username: 'kim',
			password: 'password',
			email: 'kim.customer@example.com',
			name: 'Kim Customer',
			roles: [ 'subscriber' ],
		},
	} );
	const customer = consoleErrors.watch(
		await loggedInPage( browser, stack, 'kim' )
	);
	// The site's own script: the chat waits for the token of the logged-in user.
	await customer.addInitScript( () => {
		( window as unknown as Record< string, unknown > ).chatflowsSettings = {
			loadImmediately: false,
		};
	} );
	await customer.goto( url );
	await identifyAndOpenChat( customer );
	await expect( messageBox( customer ) ).toBeVisible();
	await expect( banner( customer ) ).toHaveCount( 0 );
	await sendAsVisitor( customer, 'Known customer here' );
	expect(
		( await storedInTheBrowser( customer, stack ) ).localStorage
	).toContain( 'chatflows:session' );
	await customer.context().close();
} );
