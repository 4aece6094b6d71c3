/**
 * A typed e-mail address is a claim, not an identity, on SQLite and on a
 * real PostgreSQL server: real service, real socket.io visitors and agents,
 * signed calls as WordPress makes them.
 *
 * The takeover: an anonymous visitor types someone else's address with a new
 * name. The victim's contact keeps its name, flags and consents, the agent
 * never sees the victim's history beside the attacker, and the victim's
 * export and erasure hold nothing of the attacker but the claim itself. Only
 * the confirmation link, e-mailed to the address and posted back by
 * WordPress, links a visitor: once, before it expires. Transcripts go only to
 * confirmed addresses, a few an hour.
 */
import {
	type CompiledChatflow,
	type ConsentGrant,
	EMAIL_CONFIRMATION_LIFETIME_MS,
	EMAIL_CONFIRMATION_PATH,
	EMAILS_PER_ADDRESS_PER_HOUR,
	PRIVACY_ERASE_PATH,
	PRIVACY_EXPORT_PATH,
	type PrivacyErasePage,
	type PrivacyExportPage,
} from '@chatflows/protocol';
import {
	PAGE_URL,
	SECRET,
	agentAsk,
	confirmationTokenFor,
	connectAgent,
	connectVisitor,
	contextOf,
	recordConsent,
	sendMessage,
	signIdentificationToken,
	signedPost,
	startService,
	until,
	visitorAsk,
	type TestService,
} from './helpers';
import { CONFIRMATIONS_PER_CLIENT_PER_HOUR } from '../src/limits/email-budget';
import { onSqliteAndPostgres } from './postgres-server';
import { chatflow, configuration } from './repository-domain';

jest.setTimeout( 90_000 );

const DATABASES = onSqliteAndPostgres();

const NOW = new Date( '2026-05-04T08:30:00.000Z' );

const VICTIM = 'vera.victim@example.com';

const COMMUNICATIONS: ConsentGrant = {
	kind: 'communications',
	granted: true,
	method: 'checkbox',
	text: 'Send me offers by e-mail',
	language: 'en_US',
	pageUrl: PAGE_URL,
	subscriptionType: 'Offers',
};

describe.each( DATABASES )(
	'e-mail claims on %s',
	( _name, openRepository ) => {
		let service: TestService;
		let clock: Date;

		beforeEach( async () => {
			clock = NOW;
			service = await startService( {
				repository: await openRepository(),
				clock: () => clock,
			} );
			// The victim chats under "support"; the attacker picks "offers",
			// whose contacts are marketing contacts.
			const offers: CompiledChatflow = {
				...chatflow( 'offers', 1, 'Offers' ),
				contacts: { marketing: true, subscriptionType: 'Offers' },
			};
			await service.app.configuration.replace(
				configuration( [ chatflow( 'support', 1, 'Support' ), offers ] )
			);
		} );

		/**
		 * A signed call from WordPress, at the service's time.
		 *
		 * @param path   The endpoint.
		 * @param body   The body.
		 * @param secret The secret it is signed with.
		 */
		const post = < T = unknown >(
			path: string,
			body: unknown,
			secret = SECRET
		) => signedPost< T >( service, path, body, secret, clock );

		/**
		 * The victim, identified by the site, with a conversation and a declined consent.
		 */
		async function victimChats() {
			const { socket, session } = await connectVisitor( service, {
				chatflowId: 'support',
				identificationEmail: VICTIM,
				identificationToken: await signIdentificationToken( VICTIM, {
					name: 'Vera Victim',
				} ),
			} );
			expect( session.identified ).toBe( true );
			await recordConsent( socket, {
				...COMMUNICATIONS,
				granted: false,
			} );
			const conversationId = await sendMessage(
				socket,
				'My order 4711 to Elm Street is late'
			);
			return { socket, conversationId };
		}

		it( 'an anonymous visitor typing the victim’s address and a new name changes nothing of the victim', async () => {
			const victim = await victimChats();
			const before =
				await service.repository.findContactByEmail( VICTIM );
			expect( before ).toEqual(
				expect.objectContaining( {
					name: 'Vera Victim',
					marketing: false,
				} )
			);

			const { socket: attacker } = await connectVisitor( service, {
				chatflowId: 'offers',
			} );
			await recordConsent( attacker, COMMUNICATIONS );
			const attackerConversation = await sendMessage(
				attacker,
				'Mallory wants the order history'
			);
			const claimed = await visitorAsk( attacker, 'contact:email', {
				email: '  VERA.Victim@Example.com ',
				name: 'Mallory',
			} );
			expect( claimed ).toEqual( {
				ok: true,
				data: { contactId: null, confirmationSent: true },
			} );
			// A later message changes nothing either.
			await sendMessage( attacker, 'Still Mallory' );

			// The contact: same name, not a marketing contact.
			expect(
				await service.repository.findContactByEmail( VICTIM )
			).toEqual( before );

			const agent = await connectAgent( service );
			const seen = await contextOf( agent, attackerConversation );
			expect( seen.contact ).toBeNull();
			expect( seen.claim ).toEqual( {
				email: 'VERA.Victim@Example.com',
				name: 'Mallory',
				claimedAt: NOW.toISOString(),
			} );
			expect( seen.earlier ).toEqual( [] );
			expect( seen.consents.map( ( r ) => r.contactId ) ).toEqual( [
				null,
			] );

			// The victim's side: only her own consents, no claim.
			const victimSeen = await contextOf( agent, victim.conversationId );
			expect( victimSeen.contact?.name ).toBe( 'Vera Victim' );
			expect( victimSeen.claim ).toBeNull();
			expect(
				victimSeen.consents.map( ( r ) => [ r.kind, r.granted ] )
			).toEqual( [ [ 'communications', false ] ] );
			expect(
				victimSeen.earlier.map( ( summary ) => summary.id )
			).not.toContain( attackerConversation );

			// The victim's export: her data, and the claim only as a claim.
			const exported = await post< PrivacyExportPage >(
				PRIVACY_EXPORT_PATH,
				{
					email: VICTIM,
					page: 1,
				}
			);
			expect( exported.status ).toBe( 200 );
			const page = exported.json;
			expect( page.contact ).toEqual(
				expect.objectContaining( {
					name: 'Vera Victim',
					marketing: false,
				} )
			);
			expect( page.consents.map( ( r ) => r.granted ) ).toEqual( [
				false,
			] );
			expect( page.conversations.map( ( c ) => c.id ) ).toEqual( [
				victim.conversationId,
			] );
			expect( JSON.stringify( page.conversations ) ).not.toContain(
				'Mallory'
			);
			expect( page.claims ).toEqual( [
				{
					email: 'VERA.Victim@Example.com',
					name: 'Mallory',
					claimedAt: NOW.toISOString(),
				},
			] );

			// Erasing the victim removes the claim, not the attacker's chat.
			let done = false;
			for ( let call = 1; ! done && call < 10; call++ ) {
				const erased = await post< PrivacyErasePage >(
					PRIVACY_ERASE_PATH,
					{
						email: VICTIM,
						page: call,
					}
				);
				expect( erased.status ).toBe( 200 );
				done = erased.json.done;
			}
			expect(
				(
					await service.repository.listMessages(
						attackerConversation,
						0
					)
				).map( ( m ) => m.body )
			).toEqual( [ 'Mallory wants the order history', 'Still Mallory' ] );
			expect(
				( await contextOf( agent, attackerConversation ) ).claim
			).toBeNull();
			const after = await post< PrivacyExportPage >(
				PRIVACY_EXPORT_PATH,
				{
					email: VICTIM,
					page: 1,
				}
			);
			expect( after.json ).toEqual( {
				contact: null,
				consents: [],
				claims: [],
				conversations: [],
				done: true,
			} );
		} );

		it( 'the confirmation link e-mailed to the address links the visitor once, before it expires, and never carries what the visitor typed', async () => {
			const { socket } = await connectVisitor( service, {
				chatflowId: 'offers',
			} );
			await recordConsent( socket, COMMUNICATIONS );
			const conversationId = await sendMessage( socket, 'Hello' );
			await visitorAsk( socket, 'contact:email', {
				email: 'nora@example.com',
				name: 'Nora <b>News</b>',
			} );
			const due = await service.repository.listDueNotifications(
				'9999-12-31T00:00:00.000Z',
				100
			);
			const link = due.find(
				( pending ) =>
					pending.notification.type === 'email_confirmation'
			)!.notification;
			expect( link ).toEqual(
				expect.objectContaining( {
					visitor: { email: 'nora@example.com', name: null },
					messages: [],
				} )
			);
			expect( JSON.stringify( link ) ).not.toContain( 'Nora' );
			const token = link.confirmationToken!;
			expect( token ).toMatch( /^[A-Za-z0-9_-]{43}$/ );
			expect(
				await service.repository.findContactByEmail(
					'nora@example.com'
				)
			).toBeNull();

			// Unsigned or forged: refused, and nothing linked.
			expect(
				(
					await post(
						EMAIL_CONFIRMATION_PATH,
						{ token },
						'another secret that is long enough 0123456789'
					)
				).status
			).toBe( 401 );
			expect(
				(
					await post( EMAIL_CONFIRMATION_PATH, {
						token: 'A'.repeat( 43 ),
					} )
				).status
			).toBe( 410 );

			const confirmed = await post( EMAIL_CONFIRMATION_PATH, { token } );
			expect( confirmed ).toEqual( {
				status: 200,
				json: { confirmed: true },
			} );
			const contact =
				await service.repository.findContactByEmail(
					'nora@example.com'
				);
			expect( contact ).toEqual(
				expect.objectContaining( {
					name: 'Nora <b>News</b>',
					marketing: true,
				} )
			);
			const agent = await connectAgent( service );
			const context = await contextOf( agent, conversationId );
			expect( context.contact?.id ).toBe( contact!.id );
			expect( context.claim ).toBeNull();
			expect( context.consents[ 0 ].contactId ).toBe( contact!.id );

			// Used: a second click does nothing.
			expect(
				(
					await post( EMAIL_CONFIRMATION_PATH, {
						token,
					} )
				).status
			).toBe( 410 );

			// Expired: a day later, a new link no longer works.
			const { socket: late } = await connectVisitor( service, {
				chatflowId: 'support',
			} );
			await visitorAsk( late, 'contact:email', {
				email: 'late@example.com',
			} );
			const lateToken = await confirmationTokenFor(
				service,
				'late@example.com'
			);
			clock = new Date(
				NOW.getTime() + EMAIL_CONFIRMATION_LIFETIME_MS + 1000
			);
			expect(
				(
					await post( EMAIL_CONFIRMATION_PATH, {
						token: lateToken,
					} )
				).status
			).toBe( 410 );
			expect(
				await service.repository.findContactByEmail(
					'late@example.com'
				)
			).toBeNull();
		} );

		it( 'sends at most a few confirmation links an hour from one client address, however many free sessions it opens', async () => {
			const answers = [];
			for ( let i = 0; i <= CONFIRMATIONS_PER_CLIENT_PER_HOUR; i++ ) {
				const { socket } = await connectVisitor( service );
				const answer = await visitorAsk( socket, 'contact:email', {
					email: `stranger-${ i }@example.com`,
				} );
				answers.push( answer.ok && answer.data.confirmationSent );
				socket.disconnect();
			}
			expect( answers ).toEqual( [
				...Array( CONFIRMATIONS_PER_CLIENT_PER_HOUR ).fill( true ),
				false,
			] );
			// Another client address still gets its link.
			const { socket: neighbour } = await connectVisitor(
				service,
				{},
				{ localAddress: '127.0.0.2' }
			);
			const answer = await visitorAsk( neighbour, 'contact:email', {
				email: 'neighbour@example.com',
			} );
			expect( answer.ok && answer.data.confirmationSent ).toBe( true );
		} );

		it( 'sends a few confirmation links per address and per visitor an hour, and transcripts only to confirmed addresses', async () => {
			// Fresh visitors, one address: only the first few get a link sent.
			const answers = [];
			for ( let i = 0; i <= EMAILS_PER_ADDRESS_PER_HOUR; i++ ) {
				const { socket } = await connectVisitor( service );
				const answer = await visitorAsk( socket, 'contact:email', {
					email: 'stranger@example.com',
				} );
				answers.push( answer.ok && answer.data.confirmationSent );
			}
			expect( answers ).toEqual( [
				...Array( EMAILS_PER_ADDRESS_PER_HOUR ).fill( true ),
				false,
			] );
			// One visitor, many addresses: the same.
			const { socket: spammer } = await connectVisitor( service );
			const spread = [];
			for ( let i = 0; i <= EMAILS_PER_ADDRESS_PER_HOUR; i++ ) {
				const answer = await visitorAsk( spammer, 'contact:email', {
					email: `stranger${ i }@example.com`,
				} );
				spread.push( answer.ok && answer.data.confirmationSent );
			}
			expect( spread ).toEqual( [
				...Array( EMAILS_PER_ADDRESS_PER_HOUR ).fill( true ),
				false,
			] );
			const links = (
				await service.repository.listDueNotifications(
					'9999-12-31T00:00:00.000Z',
					100
				)
			).filter( ( p ) => p.notification.type === 'email_confirmation' );
			expect( links ).toHaveLength( 2 * EMAILS_PER_ADDRESS_PER_HOUR );

			// A claimed, unconfirmed address gets no transcript.
			const agent = await connectAgent( service );
			const transcripts = async () =>
				(
					await service.repository.listDueNotifications(
						'9999-12-31T00:00:00.000Z',
						100
					)
				).filter( ( p ) => p.notification.type === 'transcript' );
			const { socket: claimant } = await connectVisitor( service );
			const claimed = await sendMessage( claimant, 'Send me this' );
			await visitorAsk( claimant, 'contact:email', {
				email: 'victim2@example.com',
			} );
			const closed = await agentAsk( agent, 'conversation:close', {
				conversationId: claimed,
			} );
			expect( closed.ok ).toBe( true );
			// What the close does, awaited: whatever it would send is queued after it.
			await service.app.domain.conversationClosed(
				( await service.repository.findConversation( claimed ) )!
			);
			expect( await transcripts() ).toEqual( [] );

			// A confirmed one does, a few an hour.
			const owner = await connectVisitor( service, {
				identificationEmail: 'owner@example.com',
				identificationToken:
					await signIdentificationToken( 'owner@example.com' ),
			} );
			let conversationId = '';
			for ( let i = 1; i <= EMAILS_PER_ADDRESS_PER_HOUR; i++ ) {
				conversationId = await sendMessage(
					owner.socket,
					`Round ${ i }`
				);
				await agentAsk( agent, 'conversation:close', {
					conversationId,
				} );
				await until(
					async () => ( await transcripts() ).length === i,
					`transcript ${ i }`
				);
			}
			await sendMessage( owner.socket, 'One more' );
			await agentAsk( agent, 'conversation:close', { conversationId } );
			await service.app.domain.conversationClosed(
				( await service.repository.findConversation( conversationId ) )!
			);
			const sent = await transcripts();
			expect( sent ).toHaveLength( EMAILS_PER_ADDRESS_PER_HOUR );
			expect(
				sent.every(
					( p ) =>
						p.notification.visitor.email === 'owner@example.com'
				)
			).toBe( true );
		} );
	}
);
