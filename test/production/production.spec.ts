/**
 * Chatflows installed the way a site owner installs it, on the stack real
 * sites run: WordPress on nginx + PHP-FPM + MariaDB over HTTPS. The plugin's
 * zip is uploaded through Plugins → Add New → Upload Plugin and activated
 * there; the service is installed from its package into an empty folder and
 * runs behind the same nginx (wss://), trusting nginx for client addresses.
 * Then a visitor and an agent chat, with a file, and WordPress's privacy
 * export holds the chat. Run once per WordPress version (see the config).
 */
import { execFileSync } from 'node:child_process';
import https from 'node:https';

import type { Browser, Page, WebSocket } from '@playwright/test';
import { io, type ManagerOptions, type SocketOptions } from 'socket.io-client';

import { loggedInPage, type ConsoleErrors } from '../e2e/fixtures';
import {
	LAUNCHER_ONLY,
	identifyAndOpenChat,
	logItem,
	publishChatflow,
	publishPageFor,
	rest,
} from '../e2e/helpers';
import {
	distArtifacts,
	expect,
	test,
	type ProductionStack,
	type StackModule,
} from './fixtures';

/** A real 1×1 PNG image. */
const PIXEL_PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
	'base64'
);

const VISITOR = {
	username: 'vera',
	email: 'vera.visitor@example.com',
	name: 'Vera Visitor',
};

/** Connection attempts and visitor events one client address may make a minute. */
const PER_ADDRESS_PER_MINUTE = 100;

/**
 * The WebSockets a page opens, by URL.
 *
 * @param page The page.
 */
function webSocketsOf( page: Page ): string[] {
	const urls: string[] = [];
	page.on( 'websocket', ( socket: WebSocket ) => urls.push( socket.url() ) );
	return urls;
}

/**
 * Uploads the plugin's zip through Plugins → Add New → Upload Plugin and
 * activates it, as a site owner does.
 *
 * @param admin The administrator's page.
 * @param zip   The zip.
 */
async function uploadAndActivatePlugin( admin: Page, zip: string ) {
	await admin.goto( '/wp-admin/plugins.php' );
	// "Add New" on 6.1, "Add Plugin" on newer WordPress.
	await admin
		.locator( '.wrap' )
		.getByRole( 'link', { name: /^Add (New|Plugin)$/ } )
		.click();
	await expect( admin ).toHaveURL( /plugin-install\.php/ );
	await admin.getByRole( 'button', { name: 'Upload Plugin' } ).click();
	await admin.locator( '#pluginzip' ).setInputFiles( zip );
	await admin.getByRole( 'button', { name: 'Install Now' } ).click();
	await expect(
		admin.getByText( 'Plugin installed successfully.' )
	).toBeVisible();
	await admin.getByRole( 'link', { name: 'Activate Plugin' } ).click();
	await expect( admin.locator( '#message' ) ).toContainText(
		'Plugin activated.'
	);
	await expect( admin.locator( 'tr[data-slug="chatflows"]' ) ).toHaveClass(
		/\bactive\b/
	);
}

/**
 * Creates a user through the REST API.
 *
 * @param admin    A wp-admin page with `wp.apiFetch`.
 * @param userdata The user.
 * @return The user's id.
 */
async function createUser(
	admin: Page,
	userdata: Record< string, unknown >
): Promise< number > {
	const user = await rest< { id: number } >( admin, {
		path: '/wp/v2/users',
		method: 'POST',
		data: { password: 'password', ...userdata },
	} );
	return user.id;
}

/**
 * A visitor connected to the service through nginx from a client address of
 * its own (any 127.x address is this machine), as another visitor's machine
 * would connect.
 *
 * @param stack       The stack.
 * @param chatflowId  The chatflow.
 * @param fromAddress The client address.
 * @return `connected`, or the code the service refused the connection with.
 */
async function connectVisitorFrom(
	stack: ProductionStack,
	chatflowId: number,
	fromAddress: string
): Promise< string > {
	const options: Partial< ManagerOptions & SocketOptions > = {
		auth: { chatflowId: String( chatflowId ), pageUrl: stack.wpUrl },
		extraHeaders: { origin: stack.wpUrl },
		transports: [ 'websocket' ],
		reconnection: false,
		forceNew: true,
	};
	// The Node client's own agent: this address, the stack's names and its authority.
	Object.assign( options, {
		agent: new https.Agent( {
			ca: stack.ca,
			localAddress: fromAddress,
			lookup: ( _host, _options, callback ) =>
				( callback as ( ...args: unknown[] ) => void )(
					null,
					_options.all
						? [ { address: '127.0.0.1', family: 4 } ]
						: '127.0.0.1',
					4
				),
		} ),
	} );
	const socket = io( `${ stack.serviceUrl }/visitor`, options );
	try {
		return await new Promise< string >( ( resolve ) => {
			socket.once( 'session', () => resolve( 'connected' ) );
			socket.once( 'connect_error', ( error ) =>
				resolve(
					( error as Error & { data?: { code?: string } } ).data
						?.code ?? error.message
				)
			);
		} );
	} finally {
		socket.disconnect();
	}
}

/**
 * Requests a personal data export for an address without a confirmation
 * e-mail and downloads it, through Tools → Export Personal Data.
 *
 * @param admin The administrator's page.
 * @param email Whose data.
 * @return The text of the export's index.html.
 */
async function exportPersonalData( admin: Page, email: string ) {
	await admin.goto( '/wp-admin/export-personal-data.php' );
	await admin.getByLabel( 'Username or email address' ).fill( email );
	await admin
		.getByLabel( 'Send personal data export confirmation email.' )
		.uncheck();
	await admin.getByRole( 'button', { name: 'Send Request' } ).click();
	const row = admin.getByRole( 'row' ).filter( { hasText: email } );
	await row.hover();
	const download = admin.waitForEvent( 'download' );
	await row
		.getByRole( 'button', { name: 'Download personal data', exact: true } )
		.first()
		.click();
	const file = await ( await download ).path();
	return execFileSync( 'unzip', [ '-p', file, 'index.html' ], {
		encoding: 'utf8',
	} );
}

/**
 * A user logged in through wp-login.php straight onto a page, in a browser
 * context of their own, console watched from the start. Users without the
 * dashboard never pass through wp-admin/profile.php, whose script on
 * WordPress 6.8 logs an error of its own when the page is left while loading.
 *
 * @param browser       Browser.
 * @param stack         Stack.
 * @param consoleErrors Console error guard.
 * @param username      Who.
 * @param url           The page's path.
 * @param beforeLoad    Runs in each page before its scripts (the site's own).
 * @return The page, and the URLs of the WebSockets it opens.
 */
async function loggedInOn(
	browser: Browser,
	stack: ProductionStack,
	consoleErrors: ConsoleErrors,
	username: string,
	url: string,
	beforeLoad?: () => void
): Promise< { page: Page; sockets: string[] } > {
	const context = await browser.newContext( { baseURL: stack.wpUrl } );
	const page = consoleErrors.watch( await context.newPage() );
	const sockets = webSocketsOf( page );
	if ( beforeLoad ) {
		await page.addInitScript( beforeLoad );
	}
	await page.goto(
		`/wp-login.php?redirect_to=${ encodeURIComponent( stack.wpUrl + url ) }`
	);
	await page.locator( '#user_login' ).fill( username );
	await page.locator( '#user_pass' ).fill( 'password' );
	await page.locator( '#wp-submit' ).click();
	await expect( page ).toHaveURL( stack.wpUrl + url );
	return { page, sockets };
}

test( 'installed from the zip and the package on nginx + PHP-FPM + MariaDB over HTTPS: a visitor and an agent chat with a file, and the privacy export holds the chat', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	// npm compiles better-sqlite3 as it installs the service: minutes on a busy machine.
	test.setTimeout( 20 * 60_000 );
	const { zip, tarball } = distArtifacts();

	const admin = consoleErrors.watch(
		await loggedInPage( browser, stack, 'admin' )
	);
	await test.step( 'the plugin is uploaded as its zip and activated', () =>
		uploadAndActivatePlugin( admin, zip ) );

	await test.step( 'the service is installed from its package and runs behind nginx', async () => {
		const { installServicePackage }: StackModule =
			await import( '../../scripts/lib/production-stack.mjs' );
		const { bin } = await installServicePackage( tarball );
		await stack.startService( {
			bin,
			env: {
				CHATFLOWS_RATE_IP_PER_MINUTE: String( PER_ADDRESS_PER_MINUTE ),
			},
		} );
	} );

	const site =
		await test.step( 'a chatflow for the agent, on a page', async () => {
			await admin.goto( '/wp-admin/admin.php?page=chatflows-chatflows' );
			const agentId = await createUser( admin, {
				username: 'agent',
				email: 'agent@example.com',
				name: 'Alex Agent',
				roles: [ 'chatflows_agent' ],
			} );
			await createUser( admin, {
				username: VISITOR.username,
				email: VISITOR.email,
				name: VISITOR.name,
				roles: [ 'subscriber' ],
			} );
			const chatflowId = await publishChatflow(
				admin,
				'Production chat',
				{
					displayBehaviour: LAUNCHER_ONLY,
					availability: {
						mode: 'always',
						timeZone: 'UTC',
						hours: [],
					},
					assignment: {
						enabled: true,
						userIds: [ agentId ],
						teamIds: [],
					},
					options: { attachments: { enabled: true, maxSizeMb: 1 } },
				}
			);
			const url = await publishPageFor( admin, 'Support', chatflowId );
			return { chatflowId, url };
		} );

	const agent = await loggedInOn(
		browser,
		stack,
		consoleErrors,
		'agent',
		'/wp-admin/admin.php?page=chatflows-inbox'
	);
	// The site's own script identifies the logged-in visitor before the chat
	// loads (docs/js-api.md).
	const { page: visitor, sockets: visitorSockets } = await loggedInOn(
		browser,
		stack,
		consoleErrors,
		VISITOR.username,
		site.url,
		() => {
			(
				window as unknown as Record< string, unknown >
			 ).chatflowsSettings = { loadImmediately: false };
		}
	);

	await test.step( 'the visitor writes and sends a file; the agent sees both', async () => {
		await identifyAndOpenChat( visitor );
		const message = visitor.getByRole( 'textbox', { name: 'Message' } );
		await message.fill( 'Hello from a production site!' );
		await message.press( 'Enter' );
		await expect(
			logItem( visitor, 'Hello from a production site!' )
		).not.toHaveClass( /pending/ );
		const chooser = visitor.waitForEvent( 'filechooser' );
		await visitor.getByRole( 'button', { name: 'Attach a file' } ).click();
		await (
			await chooser
		).setFiles( {
			name: 'pixel.png',
			mimeType: 'image/png',
			buffer: PIXEL_PNG,
		} );
		await expect(
			visitor
				.getByRole( 'log', { name: 'Messages' } )
				.getByRole( 'img', { name: 'Image: pixel.png' } )
		).toBeVisible();

		await agent.page
			.getByRole( 'navigation', { name: 'Conversations' } )
			.getByRole( 'button', { name: /pixel\.png/ } )
			.click();
		const agentLog = agent.page.getByRole( 'log', { name: 'Messages' } );
		await expect( agentLog ).toContainText(
			'Hello from a production site!'
		);
		const image = agentLog.getByRole( 'img', { name: 'Image: pixel.png' } );
		await expect( image ).toBeVisible();
		// Decoded from the bytes the service stored, fetched through nginx.
		await expect
			.poll( () =>
				image.evaluate(
					( img ) => ( img as HTMLImageElement ).naturalWidth
				)
			)
			.toBe( 1 );
	} );

	await test.step( 'the agent answers; the visitor reads it', async () => {
		const reply = agent.page.getByRole( 'textbox', { name: 'Reply' } );
		await reply.fill( 'Hi Vera, how can I help?' );
		await reply.press( 'Enter' );
		await expect(
			logItem( visitor, 'Hi Vera, how can I help?' )
		).toBeVisible();
	} );

	await test.step( 'both talked over wss:// through nginx', () => {
		const throughNginx = new RegExp(
			`^wss://${ stack.chatHost }:${ stack.httpsPort }/socket\\.io/`
		);
		expect(
			visitorSockets.some( ( url ) => throughNginx.test( url ) )
		).toBe( true );
		expect(
			agent.sockets.some( ( url ) => throughNginx.test( url ) )
		).toBe( true );
	} );

	await test.step( 'the privacy export holds the conversation and the file', async () => {
		const exported = await exportPersonalData( admin, VISITOR.email );
		// The chat's groups, from the service through the signed export call.
		expect( exported ).toContain(
			'<td>Hello from a production site!</td>'
		);
		expect( exported ).toContain( '<td>Hi Vera, how can I help?</td>' );
		expect( exported ).toContain( '<th>File name</th><td>pixel.png</td>' );
	} );

	await test.step( 'the service counts each client address on its own behind nginx', async () => {
		// One address uses up its budget…
		let refusedWith = '';
		for (
			let attempt = 0;
			attempt <= 3 * PER_ADDRESS_PER_MINUTE && ! refusedWith;
			attempt++
		) {
			const result = await connectVisitorFrom(
				stack,
				site.chatflowId,
				'127.0.0.2'
			);
			if ( result !== 'connected' ) {
				refusedWith = result;
			}
		}
		expect( refusedWith ).toBe( 'rate_limited' );
		// …while another address, and the visitor's browser, go on.
		expect(
			await connectVisitorFrom( stack, site.chatflowId, '127.0.0.3' )
		).toBe( 'connected' );
		const message = visitor.getByRole( 'textbox', { name: 'Message' } );
		await message.fill( 'Still here.' );
		await message.press( 'Enter' );
		await expect(
			agent.page.getByRole( 'log', { name: 'Messages' } )
		).toContainText( 'Still here.' );
	} );

	await test.step( 'PHP logged nothing about the plugin', () => {
		expect(
			stack
				.phpErrors()
				.filter( ( line ) => line.includes( '/plugins/chatflows/' ) )
		).toEqual( [] );
	} );

	await visitor.context().close();
	await agent.page.context().close();
	await admin.context().close();
} );
