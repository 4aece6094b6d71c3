/**
 * The agent inbox end to end, in Chromium against a real WordPress and the
 * real chat service: two agents in two browser contexts and visitors as
 * socket.io clients of the service (with the context a widget sends).
 * Assignment by capacity, a claim both agents see at once, transfer, close
 * with the survey answer, reopen, the ticket, presence away (kept across a
 * reload), browser notifications and the title count in the background, the
 * admin menu's count, hostile visitor input shown as text, and the consents
 * a visitor gave or declined beside their conversation, arriving live with
 * their e-mail while the agent has it open.
 */
import { createHash } from 'node:crypto';

import type { Browser, Locator, Page } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';

import type {
	ConsentGrant,
	VisitorClientToServerEvents,
	VisitorConversationUpdate,
	VisitorServerToClientEvents,
	VisitorSession,
} from '@chatflows/protocol';
import {
	expect,
	loggedInPage,
	test,
	type ConsoleErrors,
	type Stack,
} from './fixtures';
import { confirmEmailAsOwner, publishChatflow, rest } from './helpers';

// Agents, capacities and presence change here: a site of its own.
test.use( { siteName: 'inbox' } );
test.describe.configure( { mode: 'serial' } );

const INBOX = '/wp-admin/admin.php?page=chatflows-inbox';

type VisitorSocket = Socket<
	VisitorServerToClientEvents,
	VisitorClientToServerEvents
>;

interface Visitor {
	socket: VisitorSocket;
	session: VisitorSession;
	updates: VisitorConversationUpdate[];
	send: ( body: string ) => Promise< string >;
}

let admin: Page;
/** Agents' pages of the running test, closed after it so their sockets go. */
const agentPages: Page[] = [];

/**
 * An agent page's WebSocket to the service, passed through the test: what
 * the service sends can be held back, to make two agents act on the same
 * state at once.
 */
interface SocketTap {
	/** socket.io moved to the WebSocket (from HTTP polling). */
	upgraded: boolean;
	/** Frames the page sent. */
	sent: string[];
	hold: () => void;
	/** Delivers what was held, in order, and stops holding. */
	release: () => void;
}

const taps = new WeakMap< Page, SocketTap >();
let chatflowId = '';
let alexId = 0;
let blakeId = 0;
const visitors: VisitorSocket[] = [];

async function setCapacity( userId: number, capacity: number ) {
	await rest( admin, {
		path: `/chatflows/v1/agents/${ userId }`,
		method: 'PUT',
		data: { capacity },
	} );
}

/**
 * A visitor of a chatflow (the demo's unless named), connected as the widget
 * connects, with the context the widget sends.
 *
 * @param stack        The running stack.
 * @param ofChatflowId The chatflow serving the visitor's page.
 */
async function visitor(
	stack: Stack,
	ofChatflowId = chatflowId
): Promise< Visitor > {
	const socket: VisitorSocket = io( `${ stack.serviceUrl }/visitor`, {
		auth: {
			chatflowId: ofChatflowId,
			pageUrl: `${ stack.wpUrl }/pricing/`,
			pageTitle: 'Pricing',
			referrer: 'https://search.example/?q=live+chat',
			timeZone: 'Asia/Tokyo',
			language: 'da-DK',
			deviceType: 'mobile',
		},
		extraHeaders: { origin: stack.wpUrl },
		transports: [ 'websocket' ],
	} );
	visitors.push( socket );
	const updates: VisitorConversationUpdate[] = [];
	socket.on( 'conversation:updated', ( update ) => updates.push( update ) );
	const session = await new Promise< VisitorSession >(
		( resolve, reject ) => {
			socket.once( 'session', resolve );
			socket.once( 'connect_error', reject );
		}
	);
	return {
		socket,
		session,
		updates,
		send: async ( body ) => {
			const sent = await socket
				.timeout( 10_000 )
				.emitWithAck( 'message:send', {
					clientId: `e2e-${ Math.random().toString( 36 ).slice( 2 ) }`,
					body,
				} );
			if ( ! sent.ok ) {
				throw new Error( sent.error.message );
			}
			return sent.data.message.conversationId;
		},
	};
}

/**
 * An agent's inbox, in a browser context of their own. Calls of the
 * browser's Notification API are recorded in `window.chatflowsE2eNotifications`.
 *
 * @param browser       The browser.
 * @param stack         The running stack.
 * @param consoleErrors Console error collector.
 * @param username      The agent.
 */
async function inbox(
	browser: Browser,
	stack: Stack,
	consoleErrors: ConsoleErrors,
	username: string
): Promise< Page > {
	const page = consoleErrors.watch(
		await loggedInPage( browser, stack, username )
	);
	await page.context().addInitScript( () => {
		const Real = window.Notification;
		const win = window as unknown as Record< string, unknown >;
		const shown: Array< { title: string; body: string } > = [];
		const asked: string[] = [];
		win.chatflowsE2eNotifications = shown;
		win.chatflowsE2ePermissionRequests = asked;
		class Recording {
			static get permission() {
				return Real.permission;
			}

			static requestPermission() {
				asked.push( 'asked' );
				return Real.requestPermission();
			}

			onclick: ( ( event: Event ) => void ) | null = null;

			constructor( title: string, options?: NotificationOptions ) {
				shown.push( { title, body: options?.body ?? '' } );
			}

			close() {}
		}
		win.Notification = Recording;
	} );
	agentPages.push( page );
	const held: string[] = [];
	let holding = false;
	let toPage: ( ( frame: string ) => void ) | null = null;
	const tap: SocketTap = {
		upgraded: false,
		sent: [],
		hold: () => {
			holding = true;
		},
		release: () => {
			holding = false;
			for ( const frame of held.splice( 0 ) ) {
				toPage?.( frame );
			}
		},
	};
	taps.set( page, tap );
	await page.routeWebSocket( /\/socket\.io\//, ( ws ) => {
		const server = ws.connectToServer();
		toPage = ( frame ) => ws.send( frame );
		ws.onMessage( ( frame ) => {
			const text = String( frame );
			tap.sent.push( text );
			// engine.io's upgrade packet: from now on everything goes this way.
			if ( text === '5' ) {
				tap.upgraded = true;
			}
			server.send( frame );
		} );
		server.onMessage( ( frame ) => {
			if ( holding ) {
				held.push( String( frame ) );
			} else {
				ws.send( frame );
			}
		} );
	} );
	await page.goto( INBOX );
	await expect( page.getByText( 'You are available.' ) ).toBeVisible();
	return page;
}

function conversationsOf( page: Page ) {
	return page.getByRole( 'navigation', { name: 'Conversations' } );
}

async function showView( page: Page, view: RegExp ) {
	await page
		.getByRole( 'group', { name: 'Views' } )
		.getByRole( 'button', { name: view } )
		.click();
}

/**
 * The count a view's button shows.
 *
 * @param page The inbox.
 * @param view The view's name.
 */
function viewCount( page: Page, view: RegExp ) {
	return page
		.getByRole( 'group', { name: 'Views' } )
		.getByRole( 'button', { name: view } )
		.locator( '.chatflows-inbox__count' );
}

async function open( page: Page, text: string ) {
	await conversationsOf( page )
		.getByRole( 'button', {
			name: new RegExp( text.replace( /[.*+?^${}()|[\]\\]/g, '\\$&' ) ),
		} )
		.click();
	await expect( page.getByRole( 'log', { name: 'Messages' } ) ).toContainText(
		text
	);
}

test.beforeAll( async ( { browser, stack } ) => {
	admin = await loggedInPage( browser, stack, 'admin' );
	await admin.goto( INBOX );
	const chatflows = await rest< Array< { id: number; title: string } > >(
		admin,
		{
			path: '/chatflows/v1/chatflows',
		}
	);
	chatflowId = String(
		chatflows.find( ( chatflow ) => chatflow.title === 'Website chat' )?.id
	);
	const users = await rest< Array< { id: number; slug: string } > >( admin, {
		path: '/wp/v2/users?context=edit&roles=chatflows_agent',
	} );
	alexId = users.find( ( user ) => user.slug === 'agent' )!.id;
	const blake = await rest< { id: number } >( admin, {
		path: '/wp/v2/users',
		method: 'POST',
		data: {
			username: 'blake',
			password: 'password',
			email: 'blake@example.com',
			name: 'Blake Agent',
			roles: [ 'chatflows_agent' ],
		},
	} );
	blakeId = blake.id;
	const teams = await rest< Array< { id: number; name: string } > >( admin, {
		path: '/chatflows/v1/teams',
	} );
	const sales = teams.find( ( team ) => team.name === 'Sales' )!;
	await rest( admin, {
		path: `/chatflows/v1/teams/${ sales.id }`,
		method: 'PUT',
		data: { memberIds: [ alexId, blakeId ] },
	} );
	await setCapacity( alexId, 1 );
	await setCapacity( blakeId, 1 );
} );

test.afterEach( async () => {
	for ( const page of agentPages.splice( 0 ) ) {
		await page.context().close();
	}
} );

test.afterAll( () => {
	for ( const socket of visitors.splice( 0 ) ) {
		socket.disconnect();
	}
} );

test( 'assignment by capacity, a claim both agents see at once, transfer, close with the survey answer, reopen, the ticket', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const alex = await inbox( browser, stack, consoleErrors, 'agent' );
	const blake = await inbox( browser, stack, consoleErrors, 'blake' );

	// Capacity 1 each: two visitors go one to each agent, the third waits.
	const first = await visitor( stack );
	await first.send( 'First: do you ship to Denmark?' );
	const second = await visitor( stack );
	await second.send( 'Second: is there a free trial?' );
	for ( const page of [ alex, blake ] ) {
		await expect(
			page.getByText( '1 of 1 open conversations' )
		).toBeVisible();
		await expect( viewCount( page, /Mine/ ) ).toHaveText( '1' );
	}
	const third = await visitor( stack );
	const thirdId = await third.send( 'Third: can I pay by invoice?' );
	for ( const page of [ alex, blake ] ) {
		await expect( viewCount( page, /Unassigned/ ) ).toHaveText( '1' );
		await showView( page, /Unassigned/ );
		await expect(
			conversationsOf( page ).getByRole( 'listitem' )
		).toHaveCount( 1 );
		await open( page, 'Third: can I pay by invoice?' );
		await expect( page.getByText( 'Nobody has it yet.' ) ).toBeVisible();
	}

	// Both take it at once: neither page hears of the other's claim before
	// sending its own. One gets it, the other is told, both see who has it.
	const alexTap = taps.get( alex )!;
	const blakeTap = taps.get( blake )!;
	await expect
		.poll( () => alexTap.upgraded && blakeTap.upgraded )
		.toBe( true );
	const claims = ( tap: SocketTap ) =>
		tap.sent.filter( ( frame ) => frame.includes( '"conversation:claim"' ) )
			.length;
	alexTap.hold();
	blakeTap.hold();
	for ( const page of [ alex, blake ] ) {
		await page.getByRole( 'button', { name: 'Assign to me' } ).click();
	}
	await expect
		.poll( () => claims( alexTap ) === 1 && claims( blakeTap ) === 1 )
		.toBe( true );
	alexTap.release();
	blakeTap.release();
	const isMine = ( page: Page ) =>
		page.getByText( 'Assigned to you.' ).isVisible();
	await expect
		.poll(
			async () => ( await isMine( alex ) ) || ( await isMine( blake ) )
		)
		.toBe( true );
	const alexWon = await isMine( alex );
	const [ winner, loser ] = alexWon ? [ alex, blake ] : [ blake, alex ];
	const [ winnerName, loserName ] = alexWon
		? [ 'Alex Agent', 'Blake Agent' ]
		: [ 'Blake Agent', 'Alex Agent' ];
	await expect(
		loser.getByText( `Assigned to ${ winnerName }.` )
	).toBeVisible();
	await expect(
		loser.locator( '.components-notice.is-error' )
	).toContainText( 'another agent already has this conversation' );
	for ( const page of [ alex, blake ] ) {
		await expect( viewCount( page, /Unassigned/ ) ).toHaveText( '0' );
		await expect(
			// Listed none (the empty view offers the open ones instead).
			conversationsOf( page ).getByRole( 'listitem' )
		).toHaveCount( 0 );
	}

	// The winner hands it to the other agent, who sees it as theirs.
	await winner
		.getByLabel( 'Transfer to' )
		.selectOption( { label: `${ loserName } (available)` } );
	await winner.getByRole( 'button', { name: 'Transfer' } ).click();
	await expect(
		winner.getByText( `Assigned to ${ loserName }.` )
	).toBeVisible();
	await expect( loser.getByText( 'Assigned to you.' ) ).toBeVisible();
	await showView( loser, /Mine/ );
	await expect(
		conversationsOf( loser ).getByRole( 'button', {
			name: /Third: can I pay by invoice/,
		} )
	).toBeVisible();

	// The visitor's context beside it.
	const context = loser.getByRole( 'complementary', {
		name: 'About the visitor',
	} );
	await expect( context ).toContainText( 'Pricing' );
	await expect( context ).toContainText(
		'https://search.example/?q=live+chat'
	);
	await expect( context ).toContainText( 'Mobile' );
	await expect( context ).toContainText( 'Asia/Tokyo' );
	await expect( context ).toContainText( 'da-dk' );
	await expect( context ).toContainText( 'Website chat' );

	// The ticket: its values named in words; a bad value of one's own is
	// refused with the field named, a good one saved.
	await expect(
		context.getByLabel( 'Pipeline', { exact: true } )
	).toHaveValue( 'support' );
	await expect(
		context
			.getByLabel( 'Pipeline', { exact: true } )
			.locator( 'option:checked' )
	).toHaveText( 'Support pipeline' );
	await expect(
		context
			.getByLabel( 'Ticket status', { exact: true } )
			.locator( 'option:checked' )
	).toHaveText( 'New' );
	await context
		.getByLabel( 'Pipeline', { exact: true } )
		.selectOption( { label: 'Other…' } );
	await context.getByLabel( 'Pipeline name' ).fill( '' );
	await context.getByRole( 'button', { name: 'Save ticket' } ).click();
	await expect( context.getByText( 'Enter a value.' ) ).toBeVisible();
	await context.getByLabel( 'Pipeline name' ).fill( 'billing' );
	await context.getByLabel( 'Priority' ).selectOption( 'urgent' );
	await context.getByRole( 'button', { name: 'Save ticket' } ).click();
	await expect( context.getByText( 'Saved.' ) ).toBeVisible();

	// Close: the visitor hears it, answers the survey, the agent sees the answer.
	await loser.getByRole( 'button', { name: 'Close conversation' } ).click();
	await expect( loser.getByText( /^Closed\./ ) ).toBeVisible();
	await expect
		.poll( () =>
			third.updates.some(
				( update ) =>
					update.conversation.id === thirdId &&
					update.conversation.status === 'closed'
			)
		)
		.toBe( true );
	const answered = await third.socket
		.timeout( 10_000 )
		.emitWithAck( 'survey:answer', {
			conversationId: thirdId,
			rating: 4,
			comment: 'Quick and kind',
		} );
	expect( answered.ok ).toBe( true );
	await expect( context ).toContainText( 'Rated 4 of 5' );
	await expect( context ).toContainText( 'Quick and kind' );

	// Reopen: open again, still theirs, and the visitor hears it.
	await loser.getByRole( 'button', { name: 'Reopen conversation' } ).click();
	await expect( loser.getByText( 'Assigned to you.' ) ).toBeVisible();
	await expect(
		loser.getByRole( 'button', { name: 'Close conversation' } )
	).toBeVisible();
	await expect
		.poll( () => third.updates.at( -1 )?.conversation.status )
		.toBe( 'open' );
	await expect( context ).toContainText( 'Reopened' );

	// Replies, typing and receipts still flow both ways.
	await loser
		.getByRole( 'textbox', { name: 'Reply' } )
		.fill( 'Yes, by invoice.' );
	await loser.getByRole( 'textbox', { name: 'Reply' } ).press( 'Enter' );
	await expect(
		loser.getByRole( 'log', { name: 'Messages' } )
	).toContainText( 'Yes, by invoice.' );
	third.socket.emit( 'typing', { typing: true }, () => undefined );
	await expect( loser.getByText( /is typing…/ ) ).toBeVisible();
	const seq = await new Promise< number >( ( resolve ) =>
		third.socket
			.timeout( 10_000 )
			.emit( 'conversation:resume', {}, ( _error, response ) =>
				resolve(
					response.ok
						? ( response.data.messages.at( -1 )?.seq ?? 0 )
						: 0
				)
			)
	);
	third.socket.emit( 'conversation:read', { seq }, () => undefined );
	await expect( loser.getByText( 'Seen' ) ).toBeVisible();
} );

test( 'presence: an agent away gets nothing new, also after a reload; available again, they do', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	await setCapacity( alexId, 10 );
	await setCapacity( blakeId, 10 );
	const alex = await inbox( browser, stack, consoleErrors, 'agent' );
	const blake = await inbox( browser, stack, consoleErrors, 'blake' );

	await alex.getByRole( 'button', { name: 'Set me away' } ).click();
	await expect(
		alex.getByText(
			'You are away: no new conversations are assigned to you.'
		)
	).toBeVisible();
	await alex.reload();
	await expect(
		alex.getByRole( 'button', { name: 'Set me available' } )
	).toBeVisible();

	const fourth = await visitor( stack );
	await fourth.send( 'Fourth: who answers while Alex is away?' );
	await showView( blake, /Mine/ );
	await expect(
		conversationsOf( blake ).getByRole( 'button', { name: /Fourth:/ } )
	).toBeVisible();
	await showView( alex, /Mine/ );
	await expect(
		conversationsOf( alex ).getByRole( 'button', { name: /Fourth:/ } )
	).toHaveCount( 0 );

	await blake.getByRole( 'button', { name: 'Set me away' } ).click();
	await expect(
		blake.getByRole( 'button', { name: 'Set me available' } )
	).toBeVisible();
	const fifth = await visitor( stack );
	await fifth.send( 'Fifth: anyone at all?' );
	for ( const page of [ alex, blake ] ) {
		await showView( page, /Unassigned/ );
		await expect(
			conversationsOf( page ).getByRole( 'button', { name: /Fifth:/ } )
		).toBeVisible();
	}

	await alex.getByRole( 'button', { name: 'Set me available' } ).click();
	await showView( alex, /Mine/ );
	await expect(
		conversationsOf( alex ).getByRole( 'button', { name: /Fifth:/ } )
	).toBeVisible();
	await blake.getByRole( 'button', { name: 'Set me available' } ).click();
	await expect( blake.getByText( 'You are available.' ) ).toBeVisible();
} );

test( 'in the background: the title counts and, once allowed, the browser notifies; the admin menu counts too', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const alex = await inbox( browser, stack, consoleErrors, 'agent' );
	const blake = await inbox( browser, stack, consoleErrors, 'blake' );
	// Alex away: the next conversation is Blake's.
	await alex.getByRole( 'button', { name: 'Set me away' } ).click();
	await expect(
		alex.getByRole( 'button', { name: 'Set me available' } )
	).toBeVisible();

	// Permission is asked only on the agent's click.
	const asked = () =>
		blake.evaluate(
			() =>
				(
					window as unknown as {
						chatflowsE2ePermissionRequests: string[];
					}
				 ).chatflowsE2ePermissionRequests.length
		);
	expect( await asked() ).toBe( 0 );
	await blake.context().grantPermissions( [ 'notifications' ], {
		origin: stack.wpUrl,
	} );
	await blake
		.getByRole( 'button', { name: 'Notify me of new conversations' } )
		.click();
	await expect(
		blake.getByText( 'Browser notifications are on.' )
	).toBeVisible();
	expect( await asked() ).toBe( 1 );

	// Blake's tab goes to the background.
	const title = await blake.title();
	await blake.evaluate( () => {
		Object.defineProperty( document, 'hidden', {
			configurable: true,
			get: () => true,
		} );
		Object.defineProperty( document, 'visibilityState', {
			configurable: true,
			get: () => 'hidden',
		} );
		document.dispatchEvent( new Event( 'visibilitychange' ) );
	} );
	const sixth = await visitor( stack );
	await sixth.send( 'Sixth: hello from the background test' );

	await expect( blake ).toHaveTitle( `(1) ${ title }` );
	await expect
		.poll( () =>
			blake.evaluate(
				() =>
					(
						window as unknown as {
							chatflowsE2eNotifications: Array< {
								title: string;
								body: string;
							} >;
						}
					 ).chatflowsE2eNotifications
			)
		)
		.toEqual( [
			{
				title: `A visitor is waiting: Visitor ${ sixth.session.visitorId.slice(
					0,
					6
				) }`,
				body: 'Sixth: hello from the background test',
			},
		] );

	// Back in front: the title is the page's own again.
	await blake.evaluate( () => {
		Object.defineProperty( document, 'hidden', {
			configurable: true,
			get: () => false,
		} );
		document.dispatchEvent( new Event( 'visibilitychange' ) );
	} );
	await expect( blake ).toHaveTitle( title );

	// The admin menu's count: live on the inbox page, and on any other admin
	// page as the service sent it to WordPress.
	const live = blake.locator(
		'#adminmenu .chatflows-waiting-count .pending-count'
	);
	await expect( live.first() ).not.toHaveText( '0' );
	const count = ( await live.first().textContent() ) ?? '';
	const dashboard = await blake.context().newPage();
	await expect
		.poll(
			async () => {
				await dashboard.goto( '/wp-admin/index.php' );
				return dashboard
					.locator(
						'#adminmenu .chatflows-waiting-count .pending-count'
					)
					.first()
					.textContent();
			},
			{ timeout: 20_000 }
		)
		.toBe( count );
	await alex.getByRole( 'button', { name: 'Set me available' } ).click();
	await expect( alex.getByText( 'You are available.' ) ).toBeVisible();
} );

test( 'a hostile visitor name and message are shown as text', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const hostileName = '<img src=x onerror="window.chatflowsPwned=1">Mallory';
	const hostileMessage =
		'<script>window.chatflowsPwned=2</script><b>bold?</b> Mallory writes';
	const mallory = await visitor( stack );
	await mallory.socket.timeout( 10_000 ).emitWithAck( 'contact:email', {
		email: 'mallory@example.com',
		name: hostileName,
	} );
	await mallory.send( hostileMessage );

	const alex = await inbox( browser, stack, consoleErrors, 'agent' );
	await showView( alex, /All open/ );
	const item = conversationsOf( alex ).getByRole( 'button', {
		name: /Mallory writes/,
	} );
	await item.click();
	const log = alex.getByRole( 'log', { name: 'Messages' } );
	await expect( log ).toContainText( hostileMessage );
	// A typed name is part of a claim, shown as such.
	await expect(
		fact(
			alex.getByRole( 'complementary', { name: 'About the visitor' } ),
			'Name'
		)
	).toHaveText( `typed: ${ hostileName } (not verified)` );
	await expect(
		alex.locator( '.chatflows-inbox' ).locator( 'img, b, script' )
	).toHaveCount( 0 );
	expect( await alex.evaluate( () => 'chatflowsPwned' in window ) ).toBe(
		false
	);
} );

/**
 * The value a description list gives for a term.
 *
 * @param scope Where the list is.
 * @param term  The term's text.
 */
function fact( scope: Locator, term: string ): Locator {
	return scope
		.locator( 'dt', { hasText: new RegExp( `^${ term }$` ) } )
		.locator( 'xpath=following-sibling::dd[1]' );
}

test( 'the consents a visitor gave or declined, with the text shown, and the marketing flag, beside their conversation, arriving while the agent has it open', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const newsletterChatflowId = String(
		await publishChatflow( admin, 'Newsletter chat', {
			availability: { mode: 'always', timeZone: 'UTC', hours: [] },
			options: {
				marketingContacts: true,
				communicationsConsent: {
					enabled: true,
					subscriptionType: 'marketing',
				},
			},
		} )
	);
	const pageUrl = `${ stack.wpUrl }/pricing/`;
	const cookieText = 'May we keep your chat in this browser?';
	// The service refuses markup; entities must still show as written.
	const processingText =
		'I agree that Shop &amp; Co. processes what I write ("my data") & keeps it 30 days.';
	const newsletterText = 'Send me the monthly newsletter.';

	const consenting = await visitor( stack, newsletterChatflowId );
	const record = async ( grant: ConsentGrant ) => {
		const recorded = await consenting.socket
			.timeout( 10_000 )
			.emitWithAck( 'consent:record', grant );
		expect( recorded.ok, JSON.stringify( recorded ) ).toBe( true );
	};
	await record( {
		kind: 'cookies',
		granted: false,
		method: 'banner',
		text: cookieText,
		language: 'da_DK',
		pageUrl,
	} );
	await consenting.send( 'Consents: asked while the agent reads' );

	const alex = await inbox( browser, stack, consoleErrors, 'agent' );
	await showView( alex, /All open/ );
	await open( alex, 'Consents: asked while the agent reads' );
	const context = alex.getByRole( 'complementary', {
		name: 'About the visitor',
	} );
	await expect(
		context.getByRole( 'heading', { level: 3, name: 'Consents' } )
	).toBeVisible();
	const consents = context.getByRole( 'list', { name: 'Consent records' } );
	await expect( consents.getByRole( 'listitem' ) ).toHaveCount( 1 );
	await expect( fact( context, 'E-mail' ) ).toHaveText( 'Not given' );
	await expect( fact( context, 'Marketing contact' ) ).toHaveCount( 0 );

	// With the conversation open, and never selected again, the panel
	// follows what the visitor answers and gives.
	await record( {
		kind: 'data_processing',
		granted: true,
		method: 'checkbox',
		text: processingText,
		language: 'en_US',
		pageUrl,
	} );
	await expect( consents.getByRole( 'listitem' ) ).toHaveCount( 2 );
	const contact = await consenting.socket
		.timeout( 10_000 )
		.emitWithAck( 'contact:email', {
			email: 'consenting@example.com',
			name: 'Casey Consent',
		} );
	expect( contact.ok ).toBe( true );
	// Typed: a claim, not yet the visitor's contact.
	await expect( fact( context, 'E-mail' ) ).toHaveText(
		'claimed: consenting@example.com (not verified)'
	);
	await expect( fact( context, 'Marketing contact' ) ).toHaveCount( 0 );
	// The owner of the address opens the e-mailed link and confirms, on a
	// page in the visitor's language (the chat's was Danish).
	await confirmEmailAsOwner(
		await browser.newContext(),
		stack,
		'consenting@example.com',
		{
			button: 'Bekræft min e-mailadresse',
			done: 'din e-mailadresse er bekræftet',
		}
	);
	await expect( fact( context, 'E-mail' ) ).toHaveText(
		'consenting@example.com'
	);
	await expect( fact( context, 'Name' ) ).toHaveText( 'Casey Consent' );
	await expect( fact( context, 'Marketing contact' ) ).toHaveText( 'Yes' );
	await record( {
		kind: 'communications',
		granted: true,
		method: 'checkbox',
		text: newsletterText,
		language: 'en_US',
		pageUrl,
		subscriptionType: 'marketing',
	} );
	await expect( consents.getByRole( 'listitem' ) ).toHaveCount( 3 );
	const item = ( heading: string ) =>
		consents.getByRole( 'listitem' ).filter( {
			has: alex.getByRole( 'heading', { level: 4, name: heading } ),
		} );

	const cookies = item( 'Cookies: declined' );
	await expect( fact( cookies, 'How' ) ).toHaveText( 'The chat’s banner' );
	await expect( fact( cookies, 'Language' ) ).toHaveText(
		'Danish (Denmark) (da_DK)'
	);
	await expect( fact( cookies, 'Chatflow' ) ).toHaveText( 'Newsletter chat' );
	await expect(
		fact( cookies, 'Page' ).getByRole( 'link', { name: pageUrl } )
	).toHaveAttribute( 'href', pageUrl );
	await expect( fact( cookies, 'When' ) ).not.toBeEmpty();

	const communications = item( 'Communications: given' );
	await expect( fact( communications, 'Subscription type' ) ).toHaveText(
		'Marketing information'
	);

	// The exact text, folded under its version (the service's hash of it).
	const processing = item( 'Processing of personal data: given' );
	const version = createHash( 'sha256' )
		.update( processingText )
		.digest( 'hex' )
		.slice( 0, 16 );
	await expect( processing.getByText( processingText ) ).toBeHidden();
	await processing.getByText( `Text shown (version ${ version })` ).click();
	await expect( processing.getByText( processingText ) ).toBeVisible();
} );
