/**
 * Saved replies end to end, in Chromium against a real WordPress and the real
 * chat service: a manager writes a Danish saved reply with variables on
 * Chatflows → Saved replies (an English one shares its shortcut); an agent
 * types `/tak` in the reply box of a Danish visitor's conversation, the
 * Danish one is offered first, Enter inserts it filled and Enter sends it;
 * the visitor (a socket.io client of the service, as the widget connects)
 * receives the filled text. Screenshots of the screen and the picker at a
 * laptop's and a phone's width are kept with the test's results.
 */
import type { Page, TestInfo } from '@playwright/test';
import { io, type Socket } from 'socket.io-client';

import type {
	ChatMessage,
	VisitorClientToServerEvents,
	VisitorServerToClientEvents,
} from '@chatflows/protocol';
import { expect, loggedInPage, test } from './fixtures';
import { rest } from './helpers';

// Saved replies are created here: a site of its own.
test.use( { siteName: 'saved-replies' } );

const SCREEN = '/wp-admin/admin.php?page=chatflows-saved-replies';
const INBOX = '/wp-admin/admin.php?page=chatflows-inbox';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 800 };

const DANISH_TEXT =
	'Hej {visitor_name}! Jeg hedder {agent_name} fra {site_name}. Du kigger på {page_url}, og vi skriver til {visitor_email}.';

async function screenshot( page: Page, testInfo: TestInfo, name: string ) {
	const path = testInfo.outputPath( `${ name }.png` );
	await page.screenshot( { path, fullPage: true } );
	await testInfo.attach( name, { path, contentType: 'image/png' } );
}

test( 'a Danish saved reply with variables, inserted with / and sent: the visitor receives the filled text', async ( {
	browser,
	stack,
	consoleErrors,
}, testInfo ) => {
	const admin = consoleErrors.watch(
		await loggedInPage( browser, stack, 'admin' )
	);

	// The manager writes the reply on the screen; a bad shortcut is named first.
	await admin.goto( SCREEN );
	await expect(
		admin.getByRole( 'heading', { name: 'Saved replies', level: 1 } )
	).toBeVisible();
	await admin.getByRole( 'button', { name: 'Add saved reply' } ).click();
	const dialog = admin.getByRole( 'dialog', { name: 'Add saved reply' } );
	await dialog.getByLabel( 'Name' ).fill( 'Velkomst' );
	await dialog.getByLabel( 'Shortcut' ).fill( 'tak for' );
	await dialog.getByLabel( 'Text' ).fill( DANISH_TEXT );
	await dialog.getByLabel( 'Language' ).selectOption( 'da_DK' );
	await dialog.getByRole( 'button', { name: 'Save reply' } ).click();
	await expect( dialog.getByLabel( 'Shortcut' ) ).toHaveAccessibleDescription(
		/letters, digits, hyphens or underscores/
	);
	await dialog.getByLabel( 'Shortcut' ).fill( 'tak' );
	await dialog.getByRole( 'button', { name: 'Save reply' } ).click();
	await expect( dialog ).toBeHidden();
	await expect(
		admin
			.locator( '.components-notice' )
			.getByText( 'Saved reply created.' )
	).toBeVisible();
	const row = admin.getByRole( 'row', { name: /\/tak/ } );
	await expect( row ).toContainText( 'Velkomst' );
	await expect( row ).toContainText( 'Danish' );
	await expect( row ).toContainText( 'Every agent' );
	// The same shortcut in English, for English-speaking visitors.
	await rest( admin, {
		path: '/chatflows/v1/saved-replies',
		method: 'POST',
		data: {
			name: 'Welcome',
			shortcut: 'tak',
			text: 'Hello {visitor_name}!',
			language: 'en_US',
			scope: 'everyone',
		},
	} );
	await admin.reload();
	await expect( admin.getByRole( 'row', { name: /\/tak/ } ) ).toHaveCount(
		2
	);
	await screenshot( admin, testInfo, 'saved-replies-screen-desktop' );
	await admin.setViewportSize( PHONE );
	await screenshot( admin, testInfo, 'saved-replies-screen-phone' );
	await admin.setViewportSize( DESKTOP );

	// A Danish visitor who gave their name and address writes in.
	const chatflows = await rest< Array< { id: number; title: string } > >(
		admin,
		{ path: '/chatflows/v1/chatflows' }
	);
	const chatflowId = String(
		chatflows.find( ( chatflow ) => chatflow.title === 'Website chat' )?.id
	);
	const visitor: Socket<
		VisitorServerToClientEvents,
		VisitorClientToServerEvents
	> = io( `${ stack.serviceUrl }/visitor`, {
		auth: {
			chatflowId,
			pageUrl: `${ stack.wpUrl }/pricing/`,
			pageTitle: 'Pricing',
			language: 'da-DK',
		},
		extraHeaders: { origin: stack.wpUrl },
		transports: [ 'websocket' ],
	} );
	const received: ChatMessage[] = [];
	visitor.on( 'message:new', ( message ) => received.push( message ) );
	try {
		await new Promise( ( resolve, reject ) => {
			visitor.once( 'session', resolve );
			visitor.once( 'connect_error', reject );
		} );
		const sent = await visitor
			.timeout( 10_000 )
			.emitWithAck( 'message:send', {
				clientId: 'saved-replies-e2e-1',
				body: 'Hej, sender I til Danmark?',
			} );
		expect( sent.ok ).toBe( true );
		const claimed = await visitor
			.timeout( 10_000 )
			.emitWithAck( 'contact:email', {
				email: 'mette@example.dk',
				name: 'Mette',
			} );
		expect( claimed.ok ).toBe( true );

		// The agent answers with /tak.
		const agent = consoleErrors.watch(
			await loggedInPage( browser, stack, 'agent' )
		);
		await agent.goto( INBOX );
		await expect( agent.getByText( 'You are available.' ) ).toBeVisible();
		await agent
			.getByRole( 'navigation', { name: 'Conversations' } )
			.getByRole( 'button', { name: /Hej, sender I til Danmark/ } )
			.click();
		const about = agent.getByRole( 'complementary', {
			name: 'About the visitor',
		} );
		await expect( about ).toContainText( 'mette@example.dk' );
		const assign = agent.getByRole( 'button', { name: 'Assign to me' } );
		if ( await assign.isVisible() ) {
			await assign.click();
			await expect( agent.getByText( 'Assigned to you.' ) ).toBeVisible();
		}
		const reply = agent.getByRole( 'textbox', { name: 'Reply' } );
		await reply.fill( '' );
		await reply.pressSequentially( '/tak' );
		const picker = agent.getByRole( 'listbox', { name: 'Saved replies' } );
		const options = picker.getByRole( 'option' );
		await expect( options ).toHaveCount( 2 );
		await expect( options.first() ).toContainText( 'Velkomst' );
		await expect( options.first() ).toContainText( 'Danish' );
		await expect( options.first() ).toHaveAttribute(
			'aria-selected',
			'true'
		);
		await screenshot( agent, testInfo, 'saved-reply-picker-desktop' );
		await agent.setViewportSize( PHONE );
		await expect( picker ).toBeVisible();
		await screenshot( agent, testInfo, 'saved-reply-picker-phone' );
		await agent.setViewportSize( DESKTOP );

		await agent.keyboard.press( 'Enter' );
		const filled = `Hej Mette! Jeg hedder Alex Agent fra Chatflows demo. Du kigger på ${ stack.wpUrl }/pricing/, og vi skriver til mette@example.dk.`;
		await expect( reply ).toHaveValue( filled );
		await expect( picker ).toBeHidden();
		await agent.keyboard.press( 'Enter' );
		await expect( reply ).toHaveValue( '' );
		await expect(
			agent.getByRole( 'log', { name: 'Messages' } )
		).toContainText( filled );

		await expect
			.poll( () =>
				received
					.filter( ( message ) => message.authorType === 'agent' )
					.map( ( message ) => message.body )
			)
			.toEqual( [ filled ] );
	} finally {
		visitor.disconnect();
	}
	// The browser's note of the 400 answer to the bad shortcut, provoked on purpose.
	consoleErrors.forget( /chatflows-saved-replies: .*status of 400/ );
} );
