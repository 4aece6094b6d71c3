/**
 * Internal notes and mentions end to end, in Chromium against a real
 * WordPress and the real chat service: two agents in two browser contexts
 * and an identified visitor as a socket.io client of the service. One agent
 * sees the other replying and writing a note; the note mentions the other
 * agent, who gets it live, in their Mentions view and in the admin menu's
 * count; the visitor never receives it, neither live nor on resume, nor in
 * the transcript WordPress e-mails them when the conversation closes.
 */
import fs from 'node:fs';
import path from 'node:path';

import type { Page, TestInfo } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';

import type {
	VisitorClientToServerEvents,
	VisitorServerToClientEvents,
} from '@chatflows/protocol';
import { expect, loggedInPage, test } from './fixtures';
import { identificationTokenOf, rest } from './helpers';

// Agents and users are added here: a site of its own.
test.use( { siteName: 'inbox-notes' } );

const INBOX = '/wp-admin/admin.php?page=chatflows-inbox';
const NOTE = 'Refund approved quietly, check the invoice';
const CUSTOMER_EMAIL = 'casey@example.com';

type VisitorSocket = Socket<
	VisitorServerToClientEvents,
	VisitorClientToServerEvents
>;

/**
 * The e-mails WordPress sent to an address (the e2e site writes them to
 * `wp-content/mail.log`).
 *
 * @param siteDir The site's folder.
 * @param email   The address.
 */
function mailsTo(
	siteDir: string,
	email: string
): Array< { subject: string; message: string } > {
	const log = path.join( siteDir, 'wp-content', 'mail.log' );
	if ( ! fs.existsSync( log ) ) {
		return [];
	}
	return fs
		.readFileSync( log, 'utf8' )
		.split( '\n' )
		.filter( Boolean )
		.map(
			( line ) =>
				JSON.parse( line ) as {
					to: string | string[];
					subject: string;
					message: string;
				}
		)
		.filter( ( mail ) => [ mail.to ].flat().includes( email ) );
}

async function screenshot( page: Page, testInfo: TestInfo, name: string ) {
	for ( const [ width, height, label ] of [
		[ 1280, 800, 'desktop' ],
		[ 390, 844, 'phone' ],
	] as const ) {
		await page.setViewportSize( { width, height } );
		await page.screenshot( {
			path: testInfo.outputPath( `${ name }-${ label }.png` ),
			fullPage: true,
		} );
	}
	await page.setViewportSize( { width: 1280, height: 800 } );
}

test( 'a note with a mention reaches the mentioned agent and never the visitor; someone else replying shows', async ( {
	browser,
	stack,
	consoleErrors,
}, testInfo ) => {
	const admin = await loggedInPage( browser, stack, 'admin' );
	await admin.goto( INBOX );
	const chatflows = await rest< Array< { id: number; title: string } > >(
		admin,
		{ path: '/chatflows/v1/chatflows' }
	);
	const chatflowId = String(
		chatflows.find( ( chatflow ) => chatflow.title === 'Website chat' )?.id
	);
	await rest( admin, {
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
	await rest( admin, {
		path: '/wp/v2/users',
		method: 'POST',
		data: {
			username: 'casey',
			password: 'password',
			email: CUSTOMER_EMAIL,
			name: 'Casey Customer',
			roles: [ 'subscriber' ],
		},
	} );

	// The visitor: a logged-in customer the site identifies (so the
	// transcript goes to their address), connected as the widget connects.
	const customer = await loggedInPage( browser, stack, 'casey' );
	const identity = await identificationTokenOf( customer );
	await customer.context().close();
	const socket: VisitorSocket = io( `${ stack.serviceUrl }/visitor`, {
		auth: {
			chatflowId,
			pageUrl: `${ stack.wpUrl }/pricing/`,
			identificationEmail: identity.email,
			identificationToken: identity.token,
		},
		extraHeaders: { origin: stack.wpUrl },
		transports: [ 'websocket' ],
	} );
	const heardByVisitor: unknown[] = [];
	socket.onAny( ( event, ...args ) =>
		heardByVisitor.push( [ event, ...args ] )
	);
	try {
		await new Promise( ( resolve, reject ) => {
			socket.once( 'session', resolve );
			socket.once( 'connect_error', reject );
		} );
		const sent = await socket
			.timeout( 10_000 )
			.emitWithAck( 'message:send', {
				clientId: 'e2e-notes-1',
				body: 'Where is my refund?',
			} );
		expect( sent.ok ).toBe( true );

		const alex = consoleErrors.watch(
			await loggedInPage( browser, stack, 'agent' )
		);
		const blake = consoleErrors.watch(
			await loggedInPage( browser, stack, 'blake' )
		);
		for ( const page of [ alex, blake ] ) {
			await page.goto( INBOX );
			await page
				.getByRole( 'navigation', { name: 'Conversations' } )
				.getByRole( 'button', { name: /Where is my refund\?/ } )
				.click();
			await expect(
				page.getByRole( 'log', { name: 'Messages' } )
			).toContainText( 'Where is my refund?' );
		}

		// Someone else is replying: Blake sees Alex at the reply box…
		await alex.getByRole( 'textbox', { name: 'Reply' } ).fill( 'Let me' );
		await expect(
			blake.getByText( 'Alex Agent is replying…' )
		).toBeVisible();
		await alex.getByRole( 'textbox', { name: 'Reply' } ).fill( '' );

		// …and writing a note, with a mention picked from the `@` picker.
		await alex.getByRole( 'button', { name: 'Internal note' } ).click();
		const noteBox = alex.getByRole( 'textbox', { name: 'Internal note' } );
		await noteBox.pressSequentially( '@Bla' );
		await expect(
			alex
				.getByRole( 'listbox', { name: 'Mention an agent or a team' } )
				.getByRole( 'option', { name: /Blake Agent/ } )
		).toBeVisible();
		await expect(
			blake.getByText( 'Alex Agent is writing a note…' )
		).toBeVisible();
		await noteBox.press( 'Enter' );
		await expect( noteBox ).toHaveValue( '@Blake Agent ' );
		await noteBox.pressSequentially( NOTE );
		await noteBox.press( 'Enter' );
		await expect( noteBox ).toHaveValue( '' );

		for ( const page of [ alex, blake ] ) {
			const note = page
				.getByRole( 'log', { name: 'Messages' } )
				.locator( '.is-note' );
			await expect( note ).toContainText( 'Internal note by Alex Agent' );
			await expect( note ).toContainText( `@Blake Agent ${ NOTE }` );
		}
		await expect(
			blake.getByText( 'Alex Agent is writing a note…' )
		).toBeHidden();

		// Blake's notification: the Mentions count, in the inbox and the admin menu.
		const mentions = blake.getByRole( 'button', { name: /^Mentions/ } );
		await expect( mentions ).toContainText( '1' );
		// The top-level item's count (the submenu repeats it).
		await expect(
			blake
				.locator( '#adminmenu .chatflows-waiting-count .pending-count' )
				.first()
		).toHaveText( /[1-9]/ );
		await screenshot( blake, testInfo, 'inbox-note' );
		await mentions.click();
		const listed = blake.getByRole( 'list', { name: 'Mentions' } );
		await expect( listed ).toContainText( NOTE );
		await expect( listed ).toContainText( 'Alex Agent in the chat with' );
		await screenshot( blake, testInfo, 'inbox-mentions' );
		await expect( mentions ).toContainText( '0' );
		await listed.getByRole( 'button' ).first().click();
		await expect(
			blake.getByRole( 'log', { name: 'Messages' } )
		).toContainText( NOTE );

		// A reload resumes the notes too.
		await blake.reload();
		await blake
			.getByRole( 'navigation', { name: 'Conversations' } )
			.getByRole( 'button', { name: /Where is my refund\?/ } )
			.click();
		await expect(
			blake.getByRole( 'log', { name: 'Messages' } ).locator( '.is-note' )
		).toContainText( NOTE );

		// Alex answers and closes: the visitor gets the reply, then the transcript.
		await alex
			.getByRole( 'button', { name: 'Reply', exact: true } )
			.click();
		const reply = alex.getByRole( 'textbox', { name: 'Reply' } );
		await reply.fill( 'Your refund is on its way.' );
		await reply.press( 'Enter' );
		await expect
			.poll( () => JSON.stringify( heardByVisitor ) )
			.toContain( 'Your refund is on its way.' );
		await alex
			.getByRole( 'button', { name: 'Close conversation' } )
			.click();

		// The visitor's side: nothing of the note, live or on resume.
		const resumed = await socket
			.timeout( 10_000 )
			.emitWithAck( 'conversation:resume', {} );
		expect( resumed.ok ).toBe( true );
		expect( JSON.stringify( resumed ) ).toContain(
			'Your refund is on its way.'
		);
		expect( JSON.stringify( resumed ) ).not.toContain( 'Refund approved' );
		expect( JSON.stringify( heardByVisitor ) ).not.toContain(
			'Refund approved'
		);

		// The transcript WordPress e-mails the visitor: the reply, not the note.
		await expect
			.poll( () =>
				mailsTo( stack.siteDir, CUSTOMER_EMAIL ).some( ( mail ) =>
					mail.message.includes( 'Your refund is on its way.' )
				)
			)
			.toBe( true );
		for ( const mail of mailsTo( stack.siteDir, CUSTOMER_EMAIL ) ) {
			expect( mail.message ).not.toContain( 'Refund approved' );
		}
		await alex.context().close();
		await blake.context().close();
	} finally {
		socket.disconnect();
	}
} );
