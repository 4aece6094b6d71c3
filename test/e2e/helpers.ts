/**
 * Helpers the specs share: WordPress's REST API as a logged-in user, an
 * agent's socket to the service with a token WordPress signed, and a visitor's
 * page and messages.
 */
import type {
	Browser,
	BrowserContext,
	BrowserContextOptions,
	Locator,
	Page,
} from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';

import type {
	AgentClientToServerEvents,
	AgentServerToClientEvents,
	ConversationSummary,
} from '@chatflows/protocol';
import {
	expect,
	loggedInPage,
	type ConsoleErrors,
	type Stack,
} from './fixtures';

export type AgentSocket = Socket<
	AgentServerToClientEvents,
	AgentClientToServerEvents
>;

/**
 * Calls the REST API as the logged-in user, through WordPress's own
 * `wp.apiFetch` (with its nonce) on an admin page.
 *
 * @param page           A wp-admin page.
 * @param options        apiFetch options.
 * @param options.path   Route, e.g. `/chatflows/v1/chatflows`.
 * @param options.method HTTP method.
 * @param options.data   Body.
 */
export async function rest< T = any >(
	page: Page,
	options: { path: string; method?: string; data?: unknown }
): Promise< T > {
	// The page may still be loading its scripts.
	await page.waitForFunction(
		() =>
			typeof ( window as unknown as { wp?: { apiFetch?: unknown } } ).wp
				?.apiFetch === 'function'
	);
	return page.evaluate(
		( request ) =>
			(
				window as unknown as {
					wp: { apiFetch: ( o: unknown ) => Promise< unknown > };
				}
			 ).wp.apiFetch( request ),
		options
	) as Promise< T >;
}

/**
 * The agent connected to the service as the inbox connects, with a token
 * WordPress signed.
 *
 * @param browser Browser.
 * @param stack   Stack.
 */
export async function agentSocket(
	browser: Browser,
	stack: Stack
): Promise< AgentSocket > {
	const page = await loggedInPage( browser, stack, 'agent' );
	const nonce = await (
		await page.request.get( '/wp-admin/admin-ajax.php?action=rest-nonce' )
	).text();
	const response = await page.request.post(
		'/wp-json/chatflows/v1/agent-token',
		{ headers: { 'X-WP-Nonce': nonce } }
	);
	expect( response.status() ).toBe( 200 );
	const { token } = ( await response.json() ) as { token: string };
	await page.context().close();
	const socket: AgentSocket = io( `${ stack.serviceUrl }/agent`, {
		auth: { token },
		extraHeaders: { Origin: stack.wpUrl },
		transports: [ 'websocket' ],
	} );
	await new Promise< void >( ( resolve, reject ) => {
		socket.once( 'connect', () => resolve() );
		socket.once( 'connect_error', reject );
	} );
	return socket;
}

/**
 * The conversation whose last message is this text, as the agent's inbox lists it.
 *
 * @param agent Agent socket.
 * @param body  Text of its last message.
 */
export async function conversationWith(
	agent: AgentSocket,
	body: string
): Promise< ConversationSummary > {
	let found: ConversationSummary | undefined;
	await expect
		.poll( async () => {
			const response = await agent.emitWithAck( 'inbox:list', {} );
			found = response.ok
				? response.data.conversations.find(
						( conversation ) =>
							conversation.lastMessage?.body === body
					)
				: undefined;
			return !! found;
		} )
		.toBe( true );
	return found!;
}

/**
 * The administrator logged in on this wp-admin page, its console watched.
 *
 * @param browser       Browser.
 * @param stack         Stack.
 * @param consoleErrors Console error guard.
 * @param url           wp-admin path to open; the Chatflows screen unless told.
 */
export async function adminPage(
	browser: Browser,
	stack: Stack,
	consoleErrors: ConsoleErrors,
	url = '/wp-admin/admin.php?page=chatflows-chatflows'
): Promise< Page > {
	const admin = consoleErrors.watch(
		await loggedInPage( browser, stack, 'admin' )
	);
	await admin.goto( url );
	return admin;
}

/**
 * A visitor's page in a browser context of its own, its console watched.
 *
 * @param browser       Browser.
 * @param stack         Stack.
 * @param consoleErrors Console error guard.
 * @param url           Path to open.
 * @param options       Context options, e.g. a phone's viewport or a time zone.
 */
export async function visitorPage(
	browser: Browser,
	stack: Stack,
	consoleErrors: ConsoleErrors,
	url: string,
	options: BrowserContextOptions = {}
): Promise< Page > {
	const context = await browser.newContext( {
		baseURL: stack.wpUrl,
		...options,
	} );
	const page = consoleErrors.watch( await context.newPage() );
	await page.goto( url );
	return page;
}

/**
 * The chat window's messages.
 *
 * @param page The visitor's page.
 */
export function chatLog( page: Page ) {
	return page.getByRole( 'log', { name: 'Messages' } );
}

/**
 * A message in the chat window.
 *
 * @param page The visitor's page.
 * @param text The message's text.
 */
export function logItem( page: Page, text: string ) {
	return chatLog( page ).getByRole( 'listitem' ).filter( { hasText: text } );
}

/**
 * Sends a message with the Send button, and waits until the service stored it.
 *
 * @param page The visitor's page.
 * @param text The message.
 */
export async function sendAsVisitor( page: Page, text: string ) {
	await page.getByRole( 'textbox', { name: 'Message' } ).fill( text );
	await page.getByRole( 'button', { name: 'Send' } ).click();
	// Shown as stored (no longer pending) once the service acknowledged it.
	await expect( logItem( page, text ) ).not.toHaveClass( /pending/ );
}

/**
 * The error shown under a field, found through the field's description.
 *
 * @param field   The field.
 * @param message The error.
 */
export async function expectFieldError(
	field: Locator,
	message: string | RegExp
) {
	await expect( field ).toHaveAttribute( 'aria-invalid', 'true' );
	const describedBy = await field.getAttribute( 'aria-describedby' );
	expect( describedBy ).toBeTruthy();
	await expect(
		field.page().locator( `[id="${ describedBy!.split( ' ' ).pop() }"]` )
	).toHaveText( message );
}

/** Availability settings of a chatflow that is always open, replying within an hour. */
export const ALWAYS_AVAILABLE = {
	mode: 'always',
	timeZone: 'UTC',
	hours: [],
	showTypicalReplyTime: true,
	typicalReplyTime: 'hour',
	whenAway: 'show_away_message',
	awayMessage: {},
	whenOffline: 'show_return_time',
	whenAtCapacity: 'show_wait_message',
	waitMessage: {},
};

/**
 * Makes the site multilingual in miniature: pages under /da/ are Danish, under
 * /nl/ Dutch (see mu-plugins/chatflows-test-locale-by-path.php).
 *
 * @param stack Stack.
 */
export function switchLocaleByPath( stack: Stack ): void {
	const file = 'chatflows-test-locale-by-path.php';
	fs.copyFileSync(
		path.join( __dirname, 'mu-plugins', file ),
		path.join( stack.siteDir, 'wp-content', 'mu-plugins', file )
	);
}

/**
 * Deletes every chatflow, so that the next one is the site's first.
 *
 * @param admin A wp-admin page.
 */
export async function deleteAllChatflows( admin: Page ): Promise< void > {
	const existing = await rest< Array< { id: number } > >( admin, {
		path: '/chatflows/v1/chatflows',
	} );
	for ( const chatflow of existing ) {
		await rest( admin, {
			path: `/chatflows/v1/chatflows/${ chatflow.id }`,
			method: 'DELETE',
		} );
	}
}

/** A launcher only: no prompt, no trigger. */
export const LAUNCHER_ONLY = {
	desktop: 'launcher',
	mobile: 'launcher',
	triggers: {
		exitIntent: false,
		timeOnPage: false,
		timeOnPageSeconds: 5,
		scroll: false,
		scrollPercent: 50,
	},
};

/**
 * Creates and publishes a chatflow (WordPress pushes it to the service).
 * Unlike a new chatflow in the editor, it asks for no consent unless the
 * settings turn consent on, so that tests of other features chat at once.
 *
 * @param admin    A wp-admin page.
 * @param title    Name.
 * @param settings Settings besides the defaults.
 * @return The chatflow's id.
 */
export async function publishChatflow(
	admin: Page,
	title: string,
	settings: Record< string, unknown > = {}
): Promise< number > {
	const options = ( settings.options ?? {} ) as Record< string, unknown >;
	const created = await rest< { id: number } >( admin, {
		path: '/chatflows/v1/chatflows',
		method: 'POST',
		data: {
			title,
			settings: {
				...settings,
				options: {
					...options,
					cookieConsent: {
						enabled: false,
						...( options.cookieConsent as object ),
					},
					dataConsent: {
						enabled: false,
						...( options.dataConsent as object ),
					},
				},
			},
		},
	} );
	const published = await rest< { service: { synced: boolean } } >( admin, {
		path: `/chatflows/v1/chatflows/${ created.id }/publish`,
		method: 'POST',
	} );
	expect( published.service.synced, 'pushed to the service' ).toBe( true );
	return created.id;
}

/**
 * Publishes a page that chooses a chatflow.
 *
 * @param admin      A wp-admin page.
 * @param title      The page's title (and text).
 * @param chatflowId The chatflow.
 * @return The page's path.
 */
export async function publishPageFor(
	admin: Page,
	title: string,
	chatflowId: number
): Promise< string > {
	const page = await rest< { link: string } >( admin, {
		path: '/wp/v2/pages',
		method: 'POST',
		data: {
			title,
			status: 'publish',
			content: `<!-- wp:paragraph --><p>${ title }</p><!-- /wp:paragraph -->`,
			meta: { _chatflows_chatflow_id: chatflowId },
		},
	} );
	return new URL( page.link ).pathname;
}

/**
 * Identifies the logged-in user to the chat the way a site's own script does
 * (see docs/js-api.md): asks WordPress for an identification token, puts it
 * in `chatflowsSettings`, then loads the chat open. The page must have set
 * `chatflowsSettings = { loadImmediately: false }` before the loader ran.
 *
 * @param page A page of a logged-in user, with the chat not loaded yet.
 */
export async function identifyAndOpenChat( page: Page ): Promise< void > {
	const identity = await identificationTokenOf( page );
	await page.evaluate( ( { email, token } ) => {
		const win = window as unknown as Record< string, any >;
		win.chatflowsSettings.identificationEmail = email;
		win.chatflowsSettings.identificationToken = token;
		win.ChatflowsConversations.widget.load( { widgetOpen: true } );
	}, identity );
}

/**
 * The identification token WordPress signs for the logged-in user of a page
 * (`POST /wp-json/chatflows/v1/identification-token`), as a site's own
 * script asks for it.
 *
 * @param page A page of a logged-in user on the site.
 * @return The user's e-mail and the token.
 */
export function identificationTokenOf(
	page: Page
): Promise< { email: string; token: string } > {
	return page.evaluate( async () => {
		const nonce = await (
			await fetch( '/wp-admin/admin-ajax.php?action=rest-nonce' )
		).text();
		const response = await fetch(
			'/wp-json/chatflows/v1/identification-token',
			{ method: 'POST', headers: { 'X-WP-Nonce': nonce } }
		);
		return ( await response.json() ) as { email: string; token: string };
	} );
}

/**
 * The confirmation link WordPress e-mailed to an address (the e2e site writes
 * its e-mails to `wp-content/mail.log`), once it arrives.
 *
 * @param stack The running stack.
 * @param email The address a visitor typed.
 * @return The link.
 */
export async function confirmationLinkFor(
	stack: Stack,
	email: string
): Promise< string > {
	const log = path.join( stack.siteDir, 'wp-content', 'mail.log' );
	let link = '';
	await expect
		.poll(
			() => {
				const lines = fs.existsSync( log )
					? fs.readFileSync( log, 'utf8' ).split( '\n' )
					: [];
				for ( const line of lines.filter( Boolean ).reverse() ) {
					const mail = JSON.parse( line ) as {
						to: string | string[];
						message: string;
					};
					const found = /\S+\?chatflows_confirm_email=\S+/.exec(
						mail.message
					);
					if ( [ mail.to ].flat().includes( email ) && found ) {
						link = found[ 0 ];
						return true;
					}
				}
				return false;
			},
			{ timeout: 20_000 }
		)
		.toBe( true );
	return link;
}

/**
 * Confirms an address as its owner does: opens the link e-mailed to it in a
 * new page of the browser context and presses the button.
 *
 * @param context      Where the owner reads their e-mail.
 * @param stack        The running stack.
 * @param email        The address.
 * @param texts        The page's words, in the visitor's language.
 * @param texts.button The button's name.
 * @param texts.done   Part of the text shown once confirmed.
 */
export async function confirmEmailAsOwner(
	context: BrowserContext,
	stack: Stack,
	email: string,
	texts = {
		button: 'Confirm my e-mail address',
		done: 'your e-mail address is confirmed',
	}
): Promise< void > {
	const mailbox = await context.newPage();
	await mailbox.goto( await confirmationLinkFor( stack, email ) );
	await mailbox.getByRole( 'button', { name: texts.button } ).click();
	await expect( mailbox.getByText( texts.done ) ).toBeVisible();
	await mailbox.close();
}
