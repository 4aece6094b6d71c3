/**
 * `conversation:context-changed` with a real service, real socket.io
 * visitors and agents, on SQLite and on a real PostgreSQL server: when a
 * visitor records a consent, gives their e-mail or identifies, the agents who
 * see the conversations whose context shows it hear of each of them, after
 * the write (the context they then ask for shows it), and agents of another
 * inbox hear nothing.
 */
import type {
	CompiledChatflow,
	ConsentGrant,
	ConversationContextChange,
	ServiceConfiguration,
} from '@chatflows/protocol';
import {
	PAGE_URL,
	connectAgent,
	connectVisitor,
	contextOf,
	giveAndConfirmEmail,
	flushAgent,
	nextEvent,
	record,
	recordConsent,
	sendMessage,
	signAgentToken,
	signIdentificationToken,
	startService,
	type AgentClient,
	type TestService,
} from './helpers';
import { onSqliteAndPostgres } from './postgres-server';
import { chatflow } from './repository-domain';

jest.setTimeout( 60_000 );

const SUPPORT_INBOX = 'inbox-support';
const SALES_INBOX = 'inbox-sales';

const GRANT: ConsentGrant = {
	kind: 'data_processing',
	granted: true,
	method: 'checkbox',
	text: 'I agree that Example Ltd processes what I write in this chat.',
	language: 'en_US',
	pageUrl: PAGE_URL,
};

function flow( id: string, inboxId: string ): CompiledChatflow {
	return {
		...chatflow( id, 1, id === 'support' ? 'Support' : 'Sales' ),
		inboxId,
		// Nobody is assigned: only the inbox decides who sees a conversation.
		assignment: { enabled: false, userIds: [], teamIds: [], rules: [] },
	};
}

const CONFIGURATION: ServiceConfiguration = {
	siteUrl: 'http://localhost:8888',
	allowedOrigins: [],
	chatflows: [
		{
			...flow( 'support', SUPPORT_INBOX ),
			contacts: { marketing: true, subscriptionType: 'Newsletter' },
		},
		flow( 'sales', SALES_INBOX ),
	],
	agents: [
		{
			id: '7',
			name: 'Ann',
			capacity: 5,
			teamIds: [],
			inboxIds: [ SUPPORT_INBOX ],
		},
		{
			id: '8',
			name: 'Bob',
			capacity: 5,
			teamIds: [],
			inboxIds: [ SALES_INBOX ],
		},
	],
	teams: [],
	inboxes: [
		{ id: SUPPORT_INBOX, name: 'Support' },
		{ id: SALES_INBOX, name: 'Sales' },
	],
};

/**
 * Connects an agent working in one inbox, with a token signed as WordPress signs it.
 *
 * @param service The service.
 * @param id      WordPress user id.
 * @param inboxId The agent's only inbox.
 */
async function agentOf(
	service: TestService,
	id: string,
	inboxId: string
): Promise< AgentClient > {
	return connectAgent(
		service,
		await signAgentToken( {
			subject: id,
			claims: { name: `Agent ${ id }`, teams: [], inboxes: [ inboxId ] },
		} )
	);
}

const changesOf = ( socket: AgentClient ) =>
	record< ConversationContextChange >(
		socket,
		'conversation:context-changed'
	);

const nextChange = ( socket: AgentClient ) =>
	nextEvent< ConversationContextChange >(
		socket,
		'conversation:context-changed'
	);

const DATABASES = onSqliteAndPostgres();

describe.each( DATABASES )(
	'conversation:context-changed on %s',
	( _name, openRepository ) => {
		let service: TestService;
		let ann: AgentClient;
		let bob: AgentClient;

		beforeEach( async () => {
			service = await startService( {
				repository: await openRepository(),
			} );
			await service.app.configuration.replace( CONFIGURATION );
			ann = await agentOf( service, '7', SUPPORT_INBOX );
			bob = await agentOf( service, '8', SALES_INBOX );
		} );

		it( "tells the agents of the conversation's inbox that a consent was recorded, once it is stored, and no one else", async () => {
			const { socket } = await connectVisitor( service );
			const conversationId = await sendMessage( socket, 'Hello' );
			const bobHeard = changesOf( bob );

			const annHears = nextChange( ann );
			const stored = await recordConsent( socket, GRANT );
			expect( await annHears ).toEqual( {
				conversationId,
				reason: 'consent',
			} );
			expect(
				( await contextOf( ann, conversationId ) ).consents
			).toEqual( [ stored ] );
			await flushAgent( bob );
			expect( bobHeard ).toEqual( [] );
		} );

		it( 'says nothing when the same answer comes again', async () => {
			const { socket } = await connectVisitor( service );
			const conversationId = await sendMessage( socket, 'Hello' );
			const annHeard = changesOf( ann );
			await recordConsent( socket, GRANT );
			await recordConsent( socket, {
				...GRANT,
				pageUrl: `${ PAGE_URL }?b`,
			} );
			// A changed answer is news again; its event comes after the repeat's would have.
			const annHearsDeclined = nextChange( ann );
			await recordConsent( socket, { ...GRANT, granted: false } );
			await annHearsDeclined;
			await flushAgent( ann );
			expect( annHeard ).toEqual( [
				{ conversationId, reason: 'consent' },
				{ conversationId, reason: 'consent' },
			] );
		} );

		it( "tells of the visitor's e-mail, with the contact in the context, and the sales inbox of its own conversation only", async () => {
			// The same person wrote in the sales chat before, from another device.
			const salesVisitor = await connectVisitor( service, {
				chatflowId: 'sales',
			} );
			const salesConversation = await sendMessage(
				salesVisitor.socket,
				'Price for 10 seats?'
			);
			const bobHearsSales = nextChange( bob );
			await giveAndConfirmEmail(
				service,
				salesVisitor.socket,
				'ann@example.com',
				'Ann Example'
			);
			expect( await bobHearsSales ).toEqual( {
				conversationId: salesConversation,
				reason: 'contact',
			} );

			const { socket } = await connectVisitor( service );
			const supportConversation = await sendMessage(
				socket,
				'My password?'
			);
			const annHeard = changesOf( ann );
			const annHears = nextChange( ann );
			const bobHears = nextChange( bob );
			const contactId = await giveAndConfirmEmail(
				service,
				socket,
				' ANN@example.com',
				'Ann Example'
			);

			// Each inbox hears of its own conversation of that contact.
			expect( await annHears ).toEqual( {
				conversationId: supportConversation,
				reason: 'contact',
			} );
			expect( await bobHears ).toEqual( {
				conversationId: salesConversation,
				reason: 'contact',
			} );
			expect(
				( await contextOf( ann, supportConversation ) ).contact
			).toEqual( {
				id: contactId,
				email: 'ann@example.com',
				name: 'Ann Example',
				marketing: true,
			} );
			await flushAgent( ann );
			// Once for the address typed (a claim), once for its confirmation.
			expect( annHeard ).toEqual( [
				{ conversationId: supportConversation, reason: 'contact' },
				{ conversationId: supportConversation, reason: 'contact' },
			] );
		} );

		it( "tells of a consent every conversation of the visitor's contact, each to its own inbox", async () => {
			const salesVisitor = await connectVisitor( service, {
				chatflowId: 'sales',
			} );
			const salesConversation = await sendMessage(
				salesVisitor.socket,
				'Price for 10 seats?'
			);
			await giveAndConfirmEmail(
				service,
				salesVisitor.socket,
				'ann@example.com',
				'Ann Example'
			);
			const { socket } = await connectVisitor( service );
			const supportConversation = await sendMessage( socket, 'Hello' );
			const bobHearsEmail = nextChange( bob );
			await giveAndConfirmEmail(
				service,
				socket,
				'ann@example.com',
				'Ann Example'
			);
			await bobHearsEmail;

			const annHears = nextChange( ann );
			const bobHears = nextChange( bob );
			const stored = await recordConsent( socket, GRANT );
			expect( await annHears ).toEqual( {
				conversationId: supportConversation,
				reason: 'consent',
			} );
			expect( await bobHears ).toEqual( {
				conversationId: salesConversation,
				reason: 'consent',
			} );
			// Given under support's chatflow: not for the sales inbox to see.
			expect(
				( await contextOf( bob, salesConversation ) ).consents
			).toEqual( [] );
			expect(
				( await contextOf( ann, supportConversation ) ).consents
			).toEqual( [ stored ] );
		} );

		it( 'tells of an identification linking the conversation the visitor already has', async () => {
			const first = await connectVisitor( service );
			const conversationId = await sendMessage( first.socket, 'Hello' );
			first.socket.disconnect();
			const bobHeard = changesOf( bob );

			const annHears = nextChange( ann );
			const again = await connectVisitor( service, {
				session: first.session.token,
				identificationEmail: 'ann@example.com',
				identificationToken:
					await signIdentificationToken( 'ann@example.com' ),
			} );
			expect( again.session.identified ).toBe( true );
			expect( await annHears ).toEqual( {
				conversationId,
				reason: 'contact',
			} );
			expect(
				( await contextOf( ann, conversationId ) ).contact
			).toMatchObject( {
				email: 'ann@example.com',
			} );
			await flushAgent( bob );
			expect( bobHeard ).toEqual( [] );
		} );
	}
);
