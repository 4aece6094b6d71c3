/**
 * The foundation slice, end to end: a visitor on the demo Pricing page chats
 * with an agent answering from the wp-admin inbox, through the real service.
 */
import type { Page } from '@playwright/test';

import { expect, loggedInPage, test } from './fixtures';
import { sendAsVisitor, visitorPage } from './helpers';

async function openChat( page: Page ) {
	await page.getByRole( 'button', { name: 'Open chat' } ).click();
	await expect(
		page.getByRole( 'textbox', { name: 'Message' } )
	).toBeVisible();
}

test.describe.configure( { mode: 'serial' } );

test( 'a visitor and an agent chat in real time; another visitor sees none of it; nothing is lost on restart', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	// The agent has the inbox open before anyone writes.
	const agent = consoleErrors.watch(
		await loggedInPage( browser, stack, 'agent' )
	);
	await agent.goto( '/wp-admin/admin.php?page=chatflows-inbox' );
	await expect(
		agent.getByRole( 'heading', { name: 'Inbox', level: 1 } )
	).toBeVisible();
	await expect( agent.getByText( 'No conversations yet.' ) ).toBeVisible();

	// Visitor A opens the chat on the Pricing page and writes.
	const visitorA = await visitorPage(
		browser,
		stack,
		consoleErrors,
		'/pricing/'
	);
	await openChat( visitorA );
	await sendAsVisitor( visitorA, 'Hello, is the yearly plan cheaper?' );

	// The agent sees the new conversation arrive live, without reloading, and answers.
	const conversations = agent.getByRole( 'navigation', {
		name: 'Conversations',
	} );
	await expect( conversations.getByRole( 'button' ) ).toHaveCount( 1 );
	await conversations
		.getByRole( 'button', { name: /Hello, is the yearly plan cheaper\?/ } )
		.click();
	const agentLog = agent.getByRole( 'log', { name: 'Messages' } );
	await expect( agentLog ).toContainText(
		'Hello, is the yearly plan cheaper?'
	);
	await agent
		.getByRole( 'textbox', { name: 'Reply' } )
		.fill( 'Yes: two months free.' );
	await agent.getByRole( 'textbox', { name: 'Reply' } ).press( 'Enter' );
	await expect( agentLog ).toContainText( 'Yes: two months free.' );
	await expect( agent.getByRole( 'textbox', { name: 'Reply' } ) ).toHaveValue(
		''
	);

	// Visitor A gets the answer without reloading, from the agent by name.
	const logA = visitorA.getByRole( 'log', { name: 'Messages' } );
	await expect(
		logA
			.getByRole( 'listitem' )
			.filter( { hasText: 'Yes: two months free.' } )
	).toContainText( 'Alex Agent' );

	// Reloading shows the same conversation.
	await visitorA.reload();
	await expect(
		visitorA.getByRole( 'textbox', { name: 'Message' } )
	).toBeVisible();
	await expect( logA ).toContainText( 'Hello, is the yearly plan cheaper?' );
	await expect( logA ).toContainText( 'Yes: two months free.' );

	// Visitor B, in another browser context, sees none of it, and their own message stays theirs.
	const visitorB = await visitorPage(
		browser,
		stack,
		consoleErrors,
		'/pricing/'
	);
	await openChat( visitorB );
	const logB = visitorB.getByRole( 'log', { name: 'Messages' } );
	await expect( logB ).toContainText(
		'Questions about our plans? Ask us here.'
	);
	await sendAsVisitor( visitorB, 'Do you have a student discount?' );
	await expect( logB ).not.toContainText( 'yearly plan' );
	await expect( logB ).not.toContainText( 'two months free' );
	await expect( conversations.getByRole( 'button' ) ).toHaveCount( 2 );
	await expect( logA ).not.toContainText( 'student discount' );

	// Stop and start the service: everything acknowledged is still there.
	await stack.restartService( { signal: 'SIGTERM' } );
	await visitorA.reload();
	await expect( logA ).toContainText( 'Hello, is the yearly plan cheaper?' );
	await expect( logA ).toContainText( 'Yes: two months free.' );
	await expect( logA ).not.toContainText( 'student discount' );

	// The inbox reconnected by itself (no reload) and the live path works again.
	await sendAsVisitor( visitorA, 'Great, thanks!' );
	await expect(
		conversations.getByRole( 'button', { name: /Great, thanks!/ } )
	).toBeVisible( { timeout: 20_000 } );
	await expect( agentLog ).toContainText( 'Great, thanks!' );
	await expect( agentLog.getByRole( 'listitem' ) ).toHaveCount( 3 );
	await agent.reload();
	await expect( conversations.getByRole( 'button' ) ).toHaveCount( 2 );
	// Refused connection attempts while the service was down are expected.
	consoleErrors.clear();
} );

test( 'a page no chatflow serves carries no widget', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const context = await browser.newContext( { baseURL: stack.wpUrl } );
	const page = consoleErrors.watch( await context.newPage() );
	const requests: string[] = [];
	page.on( 'request', ( request ) => requests.push( request.url() ) );
	await page.goto( '/privacy-policy/' );
	await expect(
		page.getByRole( 'heading', { name: 'Privacy Policy' } )
	).toBeVisible();
	await expect(
		page.getByRole( 'button', { name: 'Open chat' } )
	).toHaveCount( 0 );
	expect( await page.content() ).not.toContain( 'chatflowsConfig' );
	expect( requests.filter( ( url ) => url.includes( 'chatflows' ) ) ).toEqual(
		[]
	);
} );

test( 'the agent token needs a login and the REST nonce', async ( {
	browser,
	stack,
} ) => {
	const context = await browser.newContext( { baseURL: stack.wpUrl } );
	const page = await context.newPage();
	const response = await page.request.post(
		'/wp-json/chatflows/v1/agent-token'
	);
	expect( response.status() ).toBe( 401 );
	const admin = await loggedInPage( browser, stack, 'admin' );
	// An administrator may answer; a request without the REST nonce is treated as logged out.
	const withoutNonce = await admin.request.post(
		'/wp-json/chatflows/v1/agent-token'
	);
	expect( withoutNonce.status() ).toBe( 401 );
} );

test( 'markup in a message is shown as text to the visitor and to the agent', async ( {
	browser,
	stack,
	consoleErrors,
} ) => {
	const hostile = '<img src=x onerror="window.chatflowsPwned=1"><b>bold?</b>';
	const visitor = await visitorPage(
		browser,
		stack,
		consoleErrors,
		'/pricing/'
	);
	await openChat( visitor );
	await sendAsVisitor( visitor, hostile );
	const visitorLog = visitor.getByRole( 'log', { name: 'Messages' } );
	await expect( visitorLog ).toContainText( hostile );
	await expect( visitorLog.locator( 'img, b' ) ).toHaveCount( 0 );

	const agent = consoleErrors.watch(
		await loggedInPage( browser, stack, 'agent' )
	);
	await agent.goto( '/wp-admin/admin.php?page=chatflows-inbox' );
	await agent
		.getByRole( 'navigation', { name: 'Conversations' } )
		.getByRole( 'button', { name: /bold\?/ } )
		.click();
	const agentLog = agent.getByRole( 'log', { name: 'Messages' } );
	await expect( agentLog ).toContainText( hostile );
	await expect( agentLog.locator( 'img, b' ) ).toHaveCount( 0 );
	expect( await visitor.evaluate( () => 'chatflowsPwned' in window ) ).toBe(
		false
	);
	expect( await agent.evaluate( () => 'chatflowsPwned' in window ) ).toBe(
		false
	);
} );
