/**
 * The chat window, end to end in Chromium against the real WordPress and the
 * real chat service: each availability state from chatflows WordPress pushes
 * to the service, the queue, e-mail capture, the survey after an agent closes,
 * the offline form creating a ticket, reconnecting without loss or duplicates,
 * a phone's screen, keyboard-only use, axe, and a hostile theme stylesheet.
 * Agents act through a real socket with a token WordPress signed.
 */
import fs from 'node:fs';
import path from 'node:path';

import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from '@playwright/test';
import Database from 'better-sqlite3';

import type {
	AgentServerToClientEvents,
	ChatMessage,
} from '@chatflows/protocol';
import { expect, loggedInPage, test, type Stack } from './fixtures';
import {
	agentSocket,
	ALWAYS_AVAILABLE,
	chatLog,
	conversationWith,
	LAUNCHER_ONLY,
	logItem,
	publishChatflow,
	publishPageFor,
	rest,
	visitorPage,
	type AgentSocket,
} from './helpers';

// This spec creates chatflows and changes an agent's capacity: a site of its own.
test.use( { siteName: 'widget-chat' } );
test.describe.configure( { mode: 'serial' } );

interface Chatflow {
	id: number;
	/** Path of a published page that chooses this chatflow. */
	url: string;
}

/** Texts WordPress prints for the window (English, the site's language). */
const TEXTS = {
	offlineSent: 'Thank you. We got your message and will reply by e-mail.',
	emailInvalid: 'Enter a valid e-mail address, such as name@example.com.',
};

/**
 * The administrator on the chatflows screen (where `wp.apiFetch` is loaded).
 *
 * @param browser Browser.
 * @param stack   Stack.
 */
async function adminPage( browser: Browser, stack: Stack ): Promise< Page > {
	const admin = await loggedInPage( browser, stack, 'admin' );
	await admin.goto( '/wp-admin/admin.php?page=chatflows-chatflows' );
	return admin;
}

/**
 * Creates and publishes a chatflow (WordPress pushes it to the service) and a
 * page that chooses it.
 *
 * @param admin    The administrator's page.
 * @param title    Name.
 * @param settings Settings besides the defaults.
 */
async function createChatflow(
	admin: Page,
	title: string,
	settings: Record< string, unknown >
): Promise< Chatflow > {
	const id = await publishChatflow( admin, title, {
		displayBehaviour: LAUNCHER_ONLY,
		...settings,
	} );
	return { id, url: await publishPageFor( admin, title, id ) };
}

/**
 * The demo agent's WordPress user id.
 *
 * @param admin The administrator's page.
 */
async function agentId( admin: Page ): Promise< number > {
	const agents = await rest< Array< { id: number; name: string } > >( admin, {
		path: '/chatflows/v1/agents',
	} );
	const agent = agents.find( ( item ) => item.name === 'Alex Agent' );
	expect( agent, 'the demo agent' ).toBeTruthy();
	return agent!.id;
}

/**
 * The next event of a name the agent receives that matches.
 *
 * @param socket  Agent socket.
 * @param event   Event name.
 * @param matches Which one.
 */
function nextEvent< T >(
	socket: AgentSocket,
	event: keyof AgentServerToClientEvents,
	matches: ( payload: T ) => boolean = () => true
): Promise< T > {
	return new Promise( ( resolve ) => {
		const listener = ( payload: T ) => {
			if ( matches( payload ) ) {
				socket.off( event, listener as never );
				resolve( payload );
			}
		};
		socket.on( event, listener as never );
	} );
}

/**
 * Closes every open conversation, so the agent starts with none (closing one
 * hands the agent the next waiting one, so until none is left).
 *
 * @param agent Agent socket.
 */
async function closeEveryConversation( agent: AgentSocket ): Promise< void > {
	await expect
		.poll( async () => {
			const response = await agent.emitWithAck( 'inbox:list', {} );
			const open = response.ok
				? response.data.conversations.filter(
						( conversation ) => conversation.status === 'open'
					)
				: [];
			for ( const conversation of open ) {
				await agent.emitWithAck( 'conversation:close', {
					conversationId: conversation.id,
				} );
			}
			return open.length;
		} )
		.toBe( 0 );
}

async function openChat( page: Page ) {
	await page.getByRole( 'button', { name: 'Open chat' } ).click();
	await expect( page.getByRole( 'dialog' ) ).toBeVisible();
}

async function sendAsVisitor( page: Page, text: string ) {
	await page.getByRole( 'textbox', { name: 'Message' } ).fill( text );
	await page.getByRole( 'textbox', { name: 'Message' } ).press( 'Enter' );
	// Stored once the service acknowledged it (no longer pending).
	await expect( logItem( page, text ) ).not.toHaveClass( /pending/ );
}

/**
 * Reads the service's database (read-only; the service keeps writing).
 *
 * @param stack Stack.
 * @param sql   Query.
 * @param args  Parameters.
 */
function serviceRows< T >(
	stack: Stack,
	sql: string,
	...args: unknown[]
): T[] {
	const db = new Database(
		path.join( stack.dataDir, 'service', 'chatflows.sqlite' ),
		{ readonly: true, fileMustExist: true }
	);
	try {
		return db.prepare( sql ).all( ...args ) as T[];
	} finally {
		db.close();
	}
}

function mailLog( stack: Stack ): string {
	const file = path.join( stack.siteDir, 'wp-content', 'mail.log' );
	return fs.existsSync( file ) ? fs.readFileSync( file, 'utf8' ) : '';
}

/** A range of office hours two days from now (UTC), and when it opens. */
function officeHoursInTwoDays(): {
	hours: Array< { day: number; start: string; end: string } >;
	opensAt: Date;
} {
	const opensAt = new Date();
	opensAt.setUTCDate( opensAt.getUTCDate() + 2 );
	opensAt.setUTCHours( 9, 0, 0, 0 );
	return {
		hours: [ { day: opensAt.getUTCDay(), start: '09:00', end: '10:00' } ],
		opensAt,
	};
}

const ALWAYS = ALWAYS_AVAILABLE;

const EVERY_HOUR = [ 0, 1, 2, 3, 4, 5, 6 ].map( ( day ) => ( {
	day,
	start: '00:00',
	end: '24:00',
} ) );

let admin: Page;
let agentUserId: number;
let branded: Chatflow;

test.beforeAll( async ( { browser, stack } ) => {
	admin = await adminPage( browser, stack );
	agentUserId = await agentId( admin );
	branded = await createChatflow( admin, 'Branded chat', {
		display: { accentColor: '#0f766e' },
		heading: {
			mode: 'custom_branding',
			teamName: 'Support Crew',
			imageId: 0,
			useAsAlias: true,
		},
		welcomeMessage: { en_US: 'Welcome to the crew. What can we do?' },
		assignment: { enabled: true, userIds: [ agentUserId ], teamIds: [] },
		availability: ALWAYS,
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

test( 'available: heading with the alias, accent colour, welcome, reply time; typing both ways, markup as text, read receipts, survey after the agent closes', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const agent = await agentSocket( browser, stack );
	const visitor = await visitorPage(
		browser,
		stack,
		consoleErrors,
		branded.url
	);
	await openChat( visitor );
	const dialog = visitor.getByRole( 'dialog', { name: 'Support Crew' } );
	await expect( dialog ).toBeVisible();
	await expect( dialog.locator( '.initials' ) ).toHaveText( 'SC' );
	await expect( dialog.locator( '.header' ) ).toHaveCSS(
		'background-color',
		'rgb(15, 118, 110)'
	);
	await expect( chatLog( visitor ) ).toContainText(
		'Welcome to the crew. What can we do?'
	);
	await expect(
		dialog.getByText( 'We typically reply in under an hour.' )
	).toBeVisible();

	await sendAsVisitor( visitor, 'Hello crew' );
	const conversation = await conversationWith( agent, 'Hello crew' );

	// The visitor types: the agent sees it.
	const visitorTyping = nextEvent< { typing: boolean } >(
		agent,
		'typing',
		( indicator ) => indicator.typing
	);
	await visitor
		.getByRole( 'textbox', { name: 'Message' } )
		.pressSequentially( 'Another' );
	await visitorTyping;
	await visitor.getByRole( 'textbox', { name: 'Message' } ).fill( '' );

	// The agent types: the visitor sees the alias typing.
	await agent.emitWithAck( 'typing', {
		conversationId: conversation.id,
		typing: true,
	} );
	await expect( dialog.getByText( 'Support Crew is typing…' ) ).toBeVisible();

	// The agent's markup is text, under the alias.
	const hostile = '<img src=x onerror="window.chatflowsPwned=1"><b>bold</b>';
	const sent = await agent.emitWithAck( 'message:send', {
		conversationId: conversation.id,
		clientId: 'agent-hostile-1',
		body: hostile,
	} );
	expect( sent.ok ).toBe( true );
	await expect( logItem( visitor, hostile ) ).toContainText( 'Support Crew' );
	await expect( chatLog( visitor ).locator( 'img, b' ) ).toHaveCount( 0 );
	await expect( dialog.getByText( 'Support Crew is typing…' ) ).toBeHidden();
	expect( await visitor.evaluate( () => 'chatflowsPwned' in window ) ).toBe(
		false
	);

	const visitorMessage = (
		sent.ok ? sent.data.message : null
	) as ChatMessage;
	// The agent reads the visitor's message: "Seen".
	await agent.emitWithAck( 'conversation:read', {
		conversationId: conversation.id,
		seq: visitorMessage.seq,
	} );
	await expect( logItem( visitor, 'Hello crew' ) ).toContainText( 'Seen' );

	// The agent closes: the survey; the answer reaches the agent.
	const answered = nextEvent< { rating: number; comment: string } >(
		agent,
		'survey:answered'
	);
	const closed = await agent.emitWithAck( 'conversation:close', {
		conversationId: conversation.id,
	} );
	expect( closed.ok ).toBe( true );
	const survey = dialog.getByRole( 'group', {
		name: 'How would you rate this conversation?',
	} );
	await expect( survey ).toBeVisible();
	// A reload before answering still asks it.
	await visitor.reload();
	await expect( survey ).toBeVisible();
	await dialog.getByRole( 'button', { name: 'Send rating' } ).click();
	await expect( dialog.getByText( 'Choose a rating.' ) ).toBeVisible();
	await survey.getByRole( 'radio', { name: '4 of 5' } ).check();
	await dialog
		.getByRole( 'textbox', { name: 'Comment (optional)' } )
		.fill( 'Quick and kind.' );
	await dialog.getByRole( 'button', { name: 'Send rating' } ).click();
	await expect(
		dialog.getByText( 'Thank you for your feedback.' )
	).toBeVisible();
	expect( await answered ).toMatchObject( {
		conversationId: conversation.id,
		rating: 4,
		comment: 'Quick and kind.',
	} );
	// Answered: a reload does not ask again; the next step (the e-mail
	// request), skipped, says how it ended.
	await visitor.reload();
	await expect(
		dialog.getByRole( 'textbox', { name: 'E-mail address' } )
	).toBeVisible();
	await expect( survey ).toHaveCount( 0 );
	await dialog.getByRole( 'button', { name: 'Skip' } ).click();
	await expect(
		dialog.getByText( 'This conversation has ended.' )
	).toBeVisible();
	agent.disconnect();
} );

test( 'offline by office hours: the return time in the visitor’s zone; the offline form, checked inline, creates a ticket and e-mails the team', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const { hours, opensAt } = officeHoursInTwoDays();
	const chatflow = await createChatflow( admin, 'After hours chat', {
		// The team WordPress e-mails about messages left while offline.
		assignment: { enabled: true, userIds: [ agentUserId ], teamIds: [] },
		availability: {
			mode: 'office_hours',
			timeZone: 'UTC',
			hours,
			showTypicalReplyTime: true,
			typicalReplyTime: 'minutes',
			whenAway: 'show_away_message',
			awayMessage: {},
			whenOffline: 'show_return_time',
			whenAtCapacity: 'show_wait_message',
			waitMessage: {},
		},
	} );
	const visitor = await visitorPage(
		browser,
		stack,
		consoleErrors,
		chatflow.url,
		{ timezoneId: 'America/New_York', locale: 'en-US' }
	);
	await openChat( visitor );
	const returnTime = new Intl.DateTimeFormat( 'en-US', {
		weekday: 'long',
		hour: 'numeric',
		minute: '2-digit',
		timeZone: 'America/New_York',
	} ).format( opensAt );
	const dialog = visitor.getByRole( 'dialog' );
	await expect(
		dialog.getByText(
			`We are away right now. We will be back ${ returnTime }.`
		)
	).toBeVisible();

	await expect(
		dialog.getByRole( 'heading', { name: 'Leave us a message' } )
	).toBeVisible();
	const email = dialog.getByRole( 'textbox', { name: 'E-mail address' } );
	const message = dialog.getByRole( 'textbox', { name: 'Message' } );
	await dialog.getByRole( 'button', { name: 'Leave message' } ).click();
	await expect( email ).toHaveAttribute( 'aria-invalid', 'true' );
	await expect( message ).toHaveAccessibleDescription( 'Write a message.' );
	await email.fill( 'ana@example' );
	await message.fill( 'Please call me about the Business plan.' );
	await dialog.getByRole( 'button', { name: 'Leave message' } ).click();
	await expect( email ).toHaveAccessibleDescription( TEXTS.emailInvalid );
	await email.fill( 'ana@example.com' );
	await dialog.getByRole( 'button', { name: 'Leave message' } ).click();
	await expect( dialog.getByText( TEXTS.offlineSent ) ).toBeVisible();
	await expect(
		logItem( visitor, 'Please call me about the Business plan.' )
	).not.toHaveClass( /pending/ );

	// A ticket left while offline, with the address the visitor typed (a
	// claim until confirmed); the team is e-mailed, the address marked so.
	const tickets = serviceRows< { offline: number; email: string } >(
		stack,
		`SELECT tickets.offline, email_claims.email FROM tickets
		JOIN conversations ON conversations.id = tickets.conversation_id
		JOIN email_claims ON email_claims.visitor_id = conversations.visitor_id
		WHERE tickets.chatflow_id = ?`,
		String( chatflow.id )
	);
	expect( tickets ).toEqual( [ { offline: 1, email: 'ana@example.com' } ] );
	await expect
		.poll( () => mailLog( stack ), { timeout: 20_000 } )
		.toContain( 'Please call me about the Business plan.' );
	expect( mailLog( stack ) ).toContain(
		'ana@example.com (typed by the visitor, not verified)'
	);
} );

test( 'away during office hours with nobody available: the away message and the offline form', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const chatflow = await createChatflow( admin, 'Away chat', {
		assignment: { enabled: true, userIds: [ agentUserId ], teamIds: [] },
		availability: {
			mode: 'office_hours',
			timeZone: 'Europe/Copenhagen',
			hours: EVERY_HOUR,
			showTypicalReplyTime: true,
			typicalReplyTime: 'minutes',
			whenAway: 'show_away_message',
			awayMessage: { en_US: 'Back soon: leave us a note.' },
			whenOffline: 'show_return_time',
			whenAtCapacity: 'show_wait_message',
			waitMessage: {},
		},
	} );
	const visitor = await visitorPage(
		browser,
		stack,
		consoleErrors,
		chatflow.url
	);
	await openChat( visitor );
	const dialog = visitor.getByRole( 'dialog' );
	await expect(
		dialog.getByText( 'Back soon: leave us a note.' )
	).toBeVisible();
	await expect(
		dialog.getByRole( 'heading', { name: 'Leave us a message' } )
	).toBeVisible();

	// The agent comes online: available, and the visitor just chats.
	const agent = await agentSocket( browser, stack );
	await expect(
		dialog.getByText( 'We typically reply in a few minutes.' )
	).toBeVisible();
	await expect(
		dialog.getByRole( 'textbox', { name: 'Message' } )
	).toBeVisible();
	await expect(
		dialog.getByRole( 'heading', { name: 'Leave us a message' } )
	).toBeHidden();
	agent.disconnect();
} );

test( 'every agent at capacity: the wait message, then the place in the queue and the estimated wait', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const before = await rest< { capacity: number } >( admin, {
		path: `/chatflows/v1/agents/${ agentUserId }`,
	} );
	await rest( admin, {
		path: `/chatflows/v1/agents/${ agentUserId }`,
		method: 'PUT',
		data: {
			capacity: 1,
		},
	} );
	const chatflow = await createChatflow( admin, 'Busy chat', {
		assignment: { enabled: true, userIds: [ agentUserId ], teamIds: [] },
	} );
	const agent = await agentSocket( browser, stack );
	try {
		await closeEveryConversation( agent );
		const first = await visitorPage(
			browser,
			stack,
			consoleErrors,
			chatflow.url
		);
		await openChat( first );
		await sendAsVisitor( first, 'First in line' );
		await expect
			.poll( async () => {
				const summary = await conversationWith(
					agent,
					'First in line'
				);
				return summary.assigneeId;
			} )
			.toBe( String( agentUserId ) );

		const second = await visitorPage(
			browser,
			stack,
			consoleErrors,
			chatflow.url
		);
		await openChat( second );
		const dialog = second.getByRole( 'dialog' );
		await expect(
			dialog.getByText(
				'Everyone on our team is busy right now. We will be with you as soon as we can.'
			)
		).toBeVisible();
		await sendAsVisitor( second, 'Second in line' );
		await expect(
			dialog.getByText(
				'You are number 1 in the queue. Estimated wait: 3 minutes.'
			)
		).toBeVisible();
		// The place has not changed, and a reload still shows it.
		await second.reload();
		await expect(
			dialog.getByText(
				'You are number 1 in the queue. Estimated wait: 3 minutes.'
			)
		).toBeVisible();
	} finally {
		agent.disconnect();
		await rest( admin, {
			path: `/chatflows/v1/agents/${ agentUserId }`,
			method: 'PUT',
			data: {
				capacity: before.capacity,
			},
		} );
	}
} );

test( 'e-mail capture before the chat: an invalid address is marked inline, a valid one is saved and remembered', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const chatflow = await createChatflow( admin, 'Known visitors chat', {
		availability: ALWAYS,
		emailCapture: {
			enabled: true,
			when: 'before_chat',
			message: { en_US: 'Tell us your e-mail address first.' },
		},
	} );
	const visitor = await visitorPage(
		browser,
		stack,
		consoleErrors,
		chatflow.url
	);
	await openChat( visitor );
	const dialog = visitor.getByRole( 'dialog' );
	await expect(
		dialog.getByText( 'Tell us your e-mail address first.' )
	).toBeVisible();
	const email = dialog.getByRole( 'textbox', { name: 'E-mail address' } );
	await expect( email ).toBeFocused();
	await expect(
		dialog.getByRole( 'textbox', { name: 'Message' } )
	).toHaveCount( 0 );
	await email.fill( 'bo@example' );
	await email.press( 'Enter' );
	await expect( email ).toHaveAttribute( 'aria-invalid', 'true' );
	await expect( email ).toHaveAccessibleDescription( TEXTS.emailInvalid );
	expect(
		await visitor.evaluate( () =>
			window.localStorage.getItem( 'chatflows:contact' )
		)
	).toBeNull();

	await email.fill( 'Bo@Example.com' );
	await expect( email ).toHaveAttribute( 'aria-invalid', 'false' );
	await email.press( 'Enter' );
	await expect(
		dialog.getByRole( 'textbox', { name: 'Message' } )
	).toBeFocused();
	await expect
		.poll( () =>
			visitor.evaluate( () =>
				window.localStorage.getItem( 'chatflows:contact' )
			)
		)
		.toBe( '1' );
	await sendAsVisitor( visitor, 'Hi, it is Bo.' );
	// Kept as the visitor's claim (a contact only once confirmed by e-mail).
	const claims = serviceRows< { email: string } >(
		stack,
		`SELECT email_claims.email FROM conversations
		JOIN email_claims ON email_claims.visitor_id = conversations.visitor_id
		WHERE conversations.chatflow_id = ?`,
		String( chatflow.id )
	);
	expect( claims ).toEqual( [ { email: 'Bo@Example.com' } ] );

	// A known contact is not asked again.
	// The chat open before the reload opens again by itself.
	await visitor.reload();
	await expect( visitor.getByRole( 'dialog' ) ).toBeVisible();
	await expect(
		visitor.getByRole( 'textbox', { name: 'E-mail address' } )
	).toHaveCount( 0 );
} );

test( 'reconnecting: messages typed while the service is down go out in order, once each, when it returns', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const visitor = await visitorPage(
		browser,
		stack,
		consoleErrors,
		branded.url
	);
	await openChat( visitor );
	await sendAsVisitor( visitor, 'Before the cut' );

	await stack.service.stop();
	const dialog = visitor.getByRole( 'dialog' );
	await expect( dialog.getByText( 'Reconnecting…' ) ).toBeVisible();
	const box = dialog.getByRole( 'textbox', { name: 'Message' } );
	for ( const text of [ 'During the cut 1', 'During the cut 2' ] ) {
		await box.fill( text );
		await box.press( 'Enter' );
		await expect( logItem( visitor, text ) ).toContainText(
			'Not sent yet'
		);
	}

	await stack.restartService();
	const expected = [
		'Before the cut',
		'During the cut 1',
		'During the cut 2',
	];
	const visitorMessages = chatLog( visitor ).locator(
		'.message:not(.welcome)'
	);
	await expect( dialog.getByText( 'Reconnecting…' ) ).toBeHidden( {
		timeout: 20_000,
	} );
	await expect( visitorMessages ).toHaveCount( 3 );
	for ( const text of expected ) {
		await expect( logItem( visitor, text ) ).not.toHaveClass( /pending/ );
	}
	await expect( visitorMessages ).toContainText( expected );

	// Stored once each, in order: what a reload and the agent see.
	// The chat open before the reload opens again by itself.
	await visitor.reload();
	await expect( visitor.getByRole( 'dialog' ) ).toBeVisible();
	await expect( visitorMessages ).toHaveCount( 3 );
	await expect( visitorMessages ).toContainText( expected );
	const agent = await agentSocket( browser, stack );
	const conversation = await conversationWith( agent, 'During the cut 2' );
	const history = await agent.emitWithAck( 'conversation:messages', {
		conversationId: conversation.id,
	} );
	expect(
		history.ok && history.data.messages.map( ( item ) => item.body )
	).toEqual( expected );
	agent.disconnect();
	// The browser logs the refused connection attempts while the service was down.
	consoleErrors.clear();
} );

test( 'the service unreachable from the start: the offline form, delivered when it returns', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	await stack.service.stop();
	let restarted = false;
	try {
		const visitor = await visitorPage(
			browser,
			stack,
			consoleErrors,
			branded.url
		);
		await openChat( visitor );
		const dialog = visitor.getByRole( 'dialog' );
		await expect(
			dialog.getByText(
				'The chat cannot be reached right now. Leave a message and your e-mail address: we will send it as soon as the connection returns.'
			)
		).toBeVisible();
		await dialog
			.getByRole( 'textbox', { name: 'E-mail address' } )
			.fill( 'cy@example.com' );
		await dialog
			.getByRole( 'textbox', { name: 'Message' } )
			.fill( 'Written while you were unreachable.' );
		await dialog.getByRole( 'button', { name: 'Leave message' } ).click();
		await expect(
			dialog.getByText(
				'Your message will be sent as soon as the connection returns. Keep this page open.'
			)
		).toBeVisible();

		await stack.restartService();
		restarted = true;
		await expect( dialog.getByText( TEXTS.offlineSent ) ).toBeVisible( {
			timeout: 20_000,
		} );
		const stored = serviceRows< { body: string; email: string } >(
			stack,
			`SELECT messages.body, email_claims.email FROM messages
			JOIN conversations ON conversations.id = messages.conversation_id
			JOIN tickets ON tickets.conversation_id = conversations.id
			JOIN email_claims ON email_claims.visitor_id = conversations.visitor_id
			WHERE messages.body = ?`,
			'Written while you were unreachable.'
		);
		expect( stored ).toEqual( [
			{
				body: 'Written while you were unreachable.',
				email: 'cy@example.com',
			},
		] );
	} finally {
		if ( ! restarted ) {
			await stack.restartService();
		}
		consoleErrors.clear();
	}
} );

test( 'on a phone the window fills the screen', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const visitor = await visitorPage(
		browser,
		stack,
		consoleErrors,
		branded.url,
		{
			viewport: { width: 375, height: 667 },
			isMobile: true,
			hasTouch: true,
		}
	);
	await openChat( visitor );
	expect( await visitor.getByRole( 'dialog' ).boundingBox() ).toEqual( {
		x: 0,
		y: 0,
		width: 375,
		height: 667,
	} );
	await sendAsVisitor( visitor, 'Hello from my phone' );
} );

test( 'unread: an answer while the window is closed shows on the launcher’s badge, and opening reads it', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const agent = await agentSocket( browser, stack );
	const visitor = await visitorPage(
		browser,
		stack,
		consoleErrors,
		branded.url
	);
	await openChat( visitor );
	await sendAsVisitor( visitor, 'Ping me when you know' );
	const conversation = await conversationWith(
		agent,
		'Ping me when you know'
	);
	await visitor.keyboard.press( 'Escape' );
	await expect( visitor.getByRole( 'dialog' ) ).toBeHidden();

	const badge = visitor.locator( '#chatflows-widget .badge' );
	await expect( badge ).toBeHidden();
	await agent.emitWithAck( 'message:send', {
		conversationId: conversation.id,
		clientId: 'agent-unread-1',
		body: 'We know now.',
	} );
	await expect( badge ).toHaveText( '1' );

	const read = nextEvent< { reader: string; seq: number } >(
		agent,
		'read',
		( receipt ) => receipt.reader === 'visitor'
	);
	await openChat( visitor );
	await expect( logItem( visitor, 'We know now.' ) ).toBeVisible();
	await expect( badge ).toBeHidden();
	expect( ( await read ).seq ).toBe( 2 );
	agent.disconnect();
} );

test( 'reduced motion: the window opens without animation', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	for ( const reducedMotion of [ 'no-preference', 'reduce' ] as const ) {
		const visitor = await visitorPage(
			browser,
			stack,
			consoleErrors,
			branded.url,
			{ reducedMotion }
		);
		await openChat( visitor );
		await expect( visitor.getByRole( 'dialog' ) ).toHaveCSS(
			'animation-name',
			reducedMotion === 'reduce' ? 'none' : 'cf-in'
		);
		await visitor.context().close();
	}
} );

test( 'keyboard only: open, write, send, close with Escape; focus goes in and back to the launcher', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const visitor = await visitorPage(
		browser,
		stack,
		consoleErrors,
		branded.url
	);
	const launcher = visitor.getByRole( 'button', { name: 'Open chat' } );
	for ( let i = 0; i < 40; i++ ) {
		await visitor.keyboard.press( 'Tab' );
		if (
			await launcher.evaluate( ( element ) =>
				element.matches( ':focus' )
			)
		) {
			break;
		}
	}
	await expect( launcher ).toBeFocused();
	await visitor.keyboard.press( 'Enter' );
	const dialog = visitor.getByRole( 'dialog' );
	const box = dialog.getByRole( 'textbox', { name: 'Message' } );
	await expect( box ).toBeFocused();
	await visitor.keyboard.type( 'Typed without a mouse' );
	await visitor.keyboard.press( 'Enter' );
	await expect( logItem( visitor, 'Typed without a mouse' ) ).not.toHaveClass(
		/pending/
	);

	// The e-mail form after the first message is reachable too.
	await visitor.keyboard.press( 'Shift+Tab' );
	await visitor.keyboard.press( 'Shift+Tab' );
	await expect(
		dialog.getByRole( 'textbox', { name: 'E-mail address' } )
	).toBeFocused();
	await visitor.keyboard.type( 'dee@example.com' );
	await visitor.keyboard.press( 'Enter' );
	await expect(
		dialog.getByText(
			'Thank you. We will follow up by e-mail if we get disconnected.'
		)
	).toBeVisible();

	// Focus went back to the message box; the sound toggle (off by default)
	// is reached from there too.
	await expect( box ).toBeFocused();
	const sound = dialog.getByRole( 'button', {
		name: 'Sound on new messages',
	} );
	for ( const key of [ 'Shift+Tab', 'Shift+Tab', 'Shift+Tab' ] ) {
		await visitor.keyboard.press( key );
	}
	await expect( sound ).toBeFocused();
	await expect( sound ).toHaveAttribute( 'aria-pressed', 'false' );
	await visitor.keyboard.press( 'Space' );
	await expect( sound ).toHaveAttribute( 'aria-pressed', 'true' );

	await visitor.keyboard.press( 'Escape' );
	await expect( dialog ).toBeHidden();
	await expect(
		visitor.getByRole( 'button', { name: 'Open chat' } )
	).toBeFocused();
} );

test( 'no axe violations: the conversation, the e-mail form, the offline form and the survey', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const axe = async ( page: Page ) => {
		const results = await new AxeBuilder( { page } )
			.include( '#chatflows-widget' )
			.analyze();
		expect( results.violations ).toEqual( [] );
	};
	const agent = await agentSocket( browser, stack );
	const visitor = await visitorPage(
		browser,
		stack,
		consoleErrors,
		branded.url
	);
	await openChat( visitor );
	await axe( visitor );
	await sendAsVisitor( visitor, 'Checking accessibility' );
	await expect(
		visitor.getByRole( 'textbox', { name: 'E-mail address' } )
	).toBeVisible();
	const conversation = await conversationWith(
		agent,
		'Checking accessibility'
	);
	await agent.emitWithAck( 'typing', {
		conversationId: conversation.id,
		typing: true,
	} );
	await expect(
		visitor.getByText( 'Support Crew is typing…' )
	).toBeVisible();
	await axe( visitor );
	await agent.emitWithAck( 'conversation:close', {
		conversationId: conversation.id,
	} );
	await expect(
		visitor.getByRole( 'button', { name: 'Send rating' } )
	).toBeVisible();
	await axe( visitor );
	agent.disconnect();

	await stack.service.stop();
	try {
		const offline = await visitorPage(
			browser,
			stack,
			consoleErrors,
			branded.url
		);
		await openChat( offline );
		await offline.getByRole( 'button', { name: 'Leave message' } ).click();
		await expect(
			offline.getByRole( 'textbox', { name: 'E-mail address' } )
		).toHaveAttribute( 'aria-invalid', 'true' );
		await axe( offline );
	} finally {
		await stack.restartService();
		consoleErrors.clear();
	}
} );

test( 'a hostile theme stylesheet does not reach the window, and the window’s styles do not reach the page', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const visitor = await visitorPage(
		browser,
		stack,
		consoleErrors,
		branded.url
	);
	await visitor.addStyleTag( {
		content: `* { font-family: "Times New Roman", serif !important; color: rgb(255, 0, 0) !important;
			letter-spacing: 4px !important; text-transform: uppercase !important; line-height: 4 !important; }
		h2 { font-size: 60px !important; }
		button, textarea, input { background: rgb(255, 0, 255) !important; border: 7px dotted lime !important; }
		li { list-style: square !important; margin: 40px !important; }
		section, form, ol { display: block !important; padding: 50px !important; }`,
	} );
	await visitor.evaluate( () => {
		const decoy = document.createElement( 'p' );
		decoy.id = 'decoy';
		decoy.className = 'window message visitor header log composer';
		decoy.textContent = 'A paragraph of the page';
		document.body.prepend( decoy );
	} );
	await openChat( visitor );
	const dialog = visitor.getByRole( 'dialog', { name: 'Support Crew' } );
	const heading = dialog.getByRole( 'heading', { name: 'Support Crew' } );
	await expect( heading ).toHaveCSS( 'font-size', '17px' );
	await expect( heading ).toHaveCSS( 'color', 'rgb(255, 255, 255)' );
	await expect( heading ).toHaveCSS( 'letter-spacing', 'normal' );
	await expect( heading ).toHaveCSS( 'text-transform', 'none' );
	expect(
		await heading.evaluate(
			( element ) => getComputedStyle( element ).fontFamily
		)
	).not.toContain( 'Times' );
	const welcome = logItem( visitor, 'Welcome to the crew' );
	await expect( welcome ).toHaveCSS( 'color', 'rgb(30, 30, 30)' );
	await expect( welcome ).toHaveCSS( 'list-style-type', 'none' );
	const box = dialog.getByRole( 'textbox', { name: 'Message' } );
	await expect( box ).toHaveCSS( 'background-color', 'rgb(255, 255, 255)' );
	await expect( dialog ).toHaveCSS( 'display', 'flex' );
	await sendAsVisitor( visitor, 'Still readable' );

	// Outward: the page's own element with the window's class names keeps the theme's look.
	const decoy = visitor.locator( '#decoy' );
	await expect( decoy ).toHaveCSS( 'position', 'static' );
	await expect( decoy ).toHaveCSS( 'background-color', 'rgba(0, 0, 0, 0)' );
	await expect( decoy ).toHaveCSS( 'color', 'rgb(255, 0, 0)' );
} );

test( 'a chatflow switched off while its page is open: the window says the chat is not available and offers nothing to send', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const flow = await createChatflow( admin, 'Soon switched off', {
		assignment: { enabled: true, userIds: [ agentUserId ], teamIds: [] },
		availability: ALWAYS,
	} );
	const visitor = await visitorPage(
		browser,
		stack,
		consoleErrors,
		flow.url
	);
	await openChat( visitor );
	const message = visitor.getByRole( 'textbox', { name: 'Message' } );
	await expect( message ).toBeVisible();
	await rest( admin, {
		path: `/chatflows/v1/chatflows/${ flow.id }/unpublish`,
		method: 'POST',
	} );
	await message.fill( 'Is anyone there?' );
	await message.press( 'Enter' );
	await expect(
		visitor.getByText(
			'This chat is not available any more. Reload the page to see what it offers now.'
		)
	).toBeVisible();
	await expect( message ).toHaveCount( 0 );
	await expect(
		visitor.getByRole( 'button', { name: 'Leave message' } )
	).toHaveCount( 0 );
	expect(
		serviceRows(
			stack,
			'SELECT id FROM conversations WHERE chatflow_id = ?',
			String( flow.id )
		)
	).toEqual( [] );
} );
