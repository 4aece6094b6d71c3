/**
 * An agent who loses the right to answer chats is cut off at once, with the
 * inbox open: the administrator demotes them in WordPress, WordPress tells
 * the service (signed), and the agent's open inbox stops receiving and says
 * why; a new visitor message never reaches their page.
 */
import { io, type Socket } from 'socket.io-client';

import type {
	VisitorClientToServerEvents,
	VisitorServerToClientEvents,
} from '@chatflows/protocol';
import { expect, loggedInPage, test, type Stack } from './fixtures';
import { rest } from './helpers';

// The agent's role changes here: a site of its own.
test.use( { siteName: 'agent-access' } );

const INBOX = '/wp-admin/admin.php?page=chatflows-inbox';

type VisitorSocket = Socket<
	VisitorServerToClientEvents,
	VisitorClientToServerEvents
>;

const visitors: VisitorSocket[] = [];

test.afterAll( () => {
	for ( const socket of visitors.splice( 0 ) ) {
		socket.disconnect();
	}
} );

/**
 * A visitor of a chatflow who sends one message.
 *
 * @param stack      The running stack.
 * @param chatflowId The chatflow.
 * @param body       The message.
 */
async function visitorSays( stack: Stack, chatflowId: string, body: string ) {
	const socket: VisitorSocket = io( `${ stack.serviceUrl }/visitor`, {
		auth: { chatflowId, pageUrl: `${ stack.wpUrl }/` },
		extraHeaders: { origin: stack.wpUrl },
		transports: [ 'websocket' ],
	} );
	visitors.push( socket );
	await new Promise< void >( ( resolve, reject ) => {
		socket.once( 'session', () => resolve() );
		socket.once( 'connect_error', reject );
	} );
	const sent = await socket.timeout( 10_000 ).emitWithAck( 'message:send', {
		clientId: `e2e-${ Math.random().toString( 36 ).slice( 2 ) }`,
		body,
	} );
	expect( sent.ok ).toBe( true );
}

test( 'an agent demoted to subscriber with the inbox open is cut off at once and told why', async ( {
	browser,
	stack,
} ) => {
	const admin = await loggedInPage( browser, stack, 'admin' );
	await admin.goto( INBOX );
	const chatflows = await rest< Array< { id: number; title: string } > >(
		admin,
		{ path: '/chatflows/v1/chatflows' }
	);
	const chatflowId = String( chatflows[ 0 ].id );
	const casey = await rest< { id: number } >( admin, {
		path: '/wp/v2/users',
		method: 'POST',
		data: {
			username: 'casey',
			password: 'password',
			email: 'casey@example.com',
			name: 'Casey Agent',
			roles: [ 'chatflows_agent' ],
		},
	} );

	const page = await loggedInPage( browser, stack, 'casey' );
	await page.goto( INBOX );
	await expect( page.getByText( 'You are available.' ) ).toBeVisible();
	const conversations = page.getByRole( 'navigation', {
		name: 'Conversations',
	} );
	await visitorSays( stack, chatflowId, 'Before the demotion' );
	await expect( conversations ).toContainText( 'Before the demotion' );

	await rest( admin, {
		path: `/wp/v2/users/${ casey.id }`,
		method: 'POST',
		data: { roles: [ 'subscriber' ] },
	} );
	await expect(
		page
			.locator( '#chatflows-inbox' )
			.getByText( 'You may no longer answer chats.' )
	).toBeVisible();

	// The admin's own inbox hears the next visitor; the demoted page never does.
	const adminConversations = admin.getByRole( 'navigation', {
		name: 'Conversations',
	} );
	await visitorSays( stack, chatflowId, 'After the demotion' );
	await expect( adminConversations ).toContainText( 'After the demotion' );
	await expect( conversations ).not.toContainText( 'After the demotion' );
	await expect(
		page
			.locator( '#chatflows-inbox' )
			.getByText( 'You may no longer answer chats.' )
	).toBeVisible();
	await page.context().close();
	await admin.context().close();
} );
