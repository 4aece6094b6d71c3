/**
 * Consent records end to end, on SQLite and on a real PostgreSQL server: a
 * real service, real socket.io visitors and agents. `consent:record` stores
 * what the visitor answered (once per answer), refuses a bad payload naming
 * the field, and the agent's `conversation:context` shows the records of
 * that conversation's visitor and contact only, with the marketing flag.
 */
import { createHash } from 'node:crypto';
import type { CompiledChatflow, ConsentGrant } from '@chatflows/protocol';
import { ChatLimits, DEFAULT_LIMIT_SETTINGS } from '../src/limits/rate-limits';
import {
	PAGE_URL,
	connectAgent,
	connectVisitor,
	contextOf,
	giveAndConfirmEmail,
	loose,
	recordConsent,
	sendMessage,
	signAgentToken,
	startService,
	visitorAsk,
	type TestService,
} from './helpers';
import { onSqliteAndPostgres } from './postgres-server';
import { chatflow, configuration } from './repository-domain';

jest.setTimeout( 60_000 );

const DATABASES = onSqliteAndPostgres();

const NOW = new Date( '2026-05-04T08:30:00.000Z' );

const GRANT: ConsentGrant = {
	kind: 'data_processing',
	granted: true,
	method: 'checkbox',
	text: 'I agree that Example Ltd processes what I write in this chat. Privacy policy',
	language: 'da_DK',
	pageUrl: PAGE_URL,
};

function grant( overrides: Partial< ConsentGrant > = {} ): ConsentGrant {
	return { ...GRANT, ...overrides };
}

const version = ( text: string ): string =>
	createHash( 'sha256' ).update( text ).digest( 'hex' ).slice( 0, 16 );

describe.each( DATABASES )(
	'consent records on %s',
	( _name, openRepository ) => {
		let service: TestService;
		let clock: Date;

		beforeEach( async () => {
			clock = NOW;
			service = await startService( {
				repository: await openRepository(),
				clock: () => clock,
			} );
			const marketing: CompiledChatflow = {
				...chatflow( 'support', 1, 'Support' ),
				contacts: { marketing: true, subscriptionType: 'Newsletter' },
			};
			await service.app.configuration.replace(
				configuration( [ marketing, chatflow( 'sales', 1, 'Sales' ) ] )
			);
		} );

		it( "records a consent under the visitor's session and chatflow, with the text's version and the service's time", async () => {
			const { socket, session } = await connectVisitor( service );
			const stored = await recordConsent(
				socket,
				grant( {
					kind: 'communications',
					subscriptionType: 'Newsletter',
				} )
			);
			expect( stored ).toEqual( {
				...GRANT,
				kind: 'communications',
				subscriptionType: 'Newsletter',
				id: expect.any( String ),
				visitorId: session.visitorId,
				contactId: null,
				chatflowId: 'support',
				textVersion: version( GRANT.text ),
				recordedAt: NOW.toISOString(),
			} );
		} );

		it( 'answers the stored record when the same answer comes again, and records a changed answer', async () => {
			const { socket } = await connectVisitor( service );
			const first = await recordConsent( socket, grant() );
			clock = new Date( NOW.getTime() + 60_000 );
			const again = await recordConsent(
				socket,
				grant( { pageUrl: `${ PAGE_URL }?again` } )
			);
			expect( again ).toEqual( first );
			const declined = await recordConsent(
				socket,
				grant( { granted: false } )
			);
			expect( declined.id ).not.toBe( first.id );
			expect( declined.recordedAt ).toBe( clock.toISOString() );
			const conversationId = await sendMessage( socket, 'Hello' );
			const agent = await connectAgent( service );
			const context = await contextOf( agent, conversationId );
			expect(
				context.consents.map( ( consent ) => [
					consent.id,
					consent.granted,
				] )
			).toEqual( [
				[ declined.id, false ],
				[ first.id, true ],
			] );
		} );

		it.each< [ string, Record< string, unknown >, string ] >( [
			[ 'an unknown kind', { kind: 'tracking' }, 'kind:' ],
			[
				'a granted that is not a boolean',
				{ granted: 'yes' },
				'granted:',
			],
			[ 'an unknown method', { method: 'email' }, 'method:' ],
			[ 'an empty text', { text: '   ' }, 'text:' ],
			[
				'a text of 2001 characters',
				{ text: 'a'.repeat( 2001 ) },
				'text:',
			],
			[
				'a text with markup',
				{ text: 'I agree <script>x</script>' },
				'text:',
			],
			[
				'a language that is no locale',
				{ language: 'Danish!' },
				'language:',
			],
			[
				'a page that is not http(s)',
				{ pageUrl: 'javascript:alert(1)' },
				'pageUrl:',
			],
			[
				'a page longer than 2048 characters',
				{ pageUrl: `${ PAGE_URL }?${ 'q'.repeat( 2048 ) }` },
				'pageUrl:',
			],
			[
				'a subscription type on another consent',
				{ subscriptionType: 'Newsletter' },
				'subscriptionType:',
			],
			[
				'a subscription type of 101 characters',
				{ kind: 'communications', subscriptionType: 's'.repeat( 101 ) },
				'subscriptionType:',
			],
		] )(
			'refuses %s naming the field, and stores nothing',
			async ( _case, change, field ) => {
				const { socket } = await connectVisitor( service );
				const answer = await loose( socket )
					.timeout( 3000 )
					.emitWithAck( 'consent:record', { ...GRANT, ...change } );
				expect( answer ).toEqual( {
					ok: false,
					error: {
						code: 'invalid_payload',
						message: expect.stringContaining( field ),
					},
				} );
				const conversationId = await sendMessage( socket, 'Hello' );
				const agent = await connectAgent( service );
				await expect(
					contextOf( agent, conversationId )
				).resolves.toMatchObject( { consents: [] } );
			}
		);

		it( "shows agents only the records of the conversation's own visitor", async () => {
			const ann = await connectVisitor( service );
			const bob = await connectVisitor( service );
			const annRecord = await recordConsent( ann.socket, grant() );
			const bobRecord = await recordConsent(
				bob.socket,
				grant( { kind: 'cookies', method: 'banner' } )
			);
			const annConversation = await sendMessage(
				ann.socket,
				'Hi, Ann here'
			);
			const bobConversation = await sendMessage(
				bob.socket,
				'Hi, Bob here'
			);
			const agent = await connectAgent( service );
			expect(
				( await contextOf( agent, annConversation ) ).consents
			).toEqual( [ annRecord ] );
			expect(
				( await contextOf( agent, bobConversation ) ).consents
			).toEqual( [ bobRecord ] );
			// Visitors have no event to read records back.
			await expect(
				loose( ann.socket )
					.timeout( 3000 )
					.emitWithAck( 'consent:list', {} )
			).resolves.toMatchObject( {
				ok: false,
				error: { code: 'invalid_payload' },
			} );
		} );

		it( 'shows an agent only the records given under chatflows of the inboxes they see', async () => {
			await service.app.configuration.replace( {
				...configuration( [
					chatflow( 'support', 1, 'Support' ),
					{ ...chatflow( 'sales', 1, 'Sales' ), inboxId: 'inbox-2' },
				] ),
				inboxes: [
					{ id: 'inbox-1', name: 'Support' },
					{ id: 'inbox-2', name: 'Sales' },
				],
			} );
			// One browser, one session, in both chatflows.
			const sales = await connectVisitor( service, {
				chatflowId: 'sales',
			} );
			const salesRecord = await recordConsent(
				sales.socket,
				grant( { text: 'Sales may call me about offers.' } )
			);
			const salesConversation = await sendMessage(
				sales.socket,
				'A quote, please'
			);
			const support = await connectVisitor( service, {
				session: sales.session.token,
			} );
			const supportRecord = await recordConsent(
				support.socket,
				grant()
			);
			const supportConversation = await sendMessage(
				support.socket,
				'It is broken'
			);
			const supportAgent = await connectAgent(
				service,
				await signAgentToken( { claims: { inboxes: [ 'inbox-1' ] } } )
			);
			const salesAgent = await connectAgent(
				service,
				await signAgentToken( {
					subject: '8',
					claims: { inboxes: [ 'inbox-2' ] },
				} )
			);
			const everyInbox = await connectAgent( service );
			expect(
				( await contextOf( supportAgent, supportConversation ) )
					.consents
			).toEqual( [ supportRecord ] );
			expect(
				( await contextOf( salesAgent, salesConversation ) ).consents
			).toEqual( [ salesRecord ] );
			expect(
				( await contextOf( everyInbox, supportConversation ) ).consents
			).toEqual( [ supportRecord, salesRecord ] );
		} );

		it( 'shows a consent given before the e-mail once that visitor links to the contact, on any of their devices', async () => {
			const laptop = await connectVisitor( service );
			const given = await recordConsent( laptop.socket, grant() );
			expect( given.contactId ).toBeNull();
			const phone = await connectVisitor( service );
			const conversationId = await sendMessage( phone.socket, 'Hello' );
			const captured = await giveAndConfirmEmail(
				service,
				phone.socket,
				'ann@example.com',
				undefined,
				clock
			);
			const agent = await connectAgent( service );
			expect(
				( await contextOf( agent, conversationId ) ).consents
			).toEqual( [] );

			const linked = await giveAndConfirmEmail(
				service,
				laptop.socket,
				' ANN@example.com',
				undefined,
				clock
			);
			expect( linked ).toBe( captured );
			const context = await contextOf( agent, conversationId );
			expect( context.consents ).toEqual( [
				{ ...given, contactId: captured },
			] );
			// A consent given once linked carries the contact at once.
			const later = await recordConsent(
				laptop.socket,
				grant( { kind: 'cookies', method: 'banner' } )
			);
			expect( later.contactId ).toBe( captured );
		} );

		it( "makes contacts of a marketing chatflow marketing contacts, and others not, as the agent's context shows", async () => {
			const support = await connectVisitor( service );
			const sales = await connectVisitor( service, {
				chatflowId: 'sales',
			} );
			const supportConversation = await sendMessage(
				support.socket,
				'Hi'
			);
			const salesConversation = await sendMessage( sales.socket, 'Hi' );
			await giveAndConfirmEmail(
				service,
				support.socket,
				'ann@example.com',
				undefined,
				clock
			);
			await giveAndConfirmEmail(
				service,
				sales.socket,
				'bob@example.com',
				undefined,
				clock
			);
			const agent = await connectAgent( service );
			expect(
				( await contextOf( agent, supportConversation ) ).contact
			).toMatchObject( { email: 'ann@example.com', marketing: true } );
			expect(
				( await contextOf( agent, salesConversation ) ).contact
			).toMatchObject( { email: 'bob@example.com', marketing: false } );
			// Ann writes in the sales chat later: still a marketing contact.
			const annOnSales = await connectVisitor( service, {
				chatflowId: 'sales',
			} );
			const later = await sendMessage( annOnSales.socket, 'Me again' );
			await giveAndConfirmEmail(
				service,
				annOnSales.socket,
				'ann@example.com',
				undefined,
				clock
			);
			expect( ( await contextOf( agent, later ) ).contact ).toMatchObject(
				{
					email: 'ann@example.com',
					marketing: true,
				}
			);
		} );
	}
);

describe( 'consent records and rate limits', () => {
	it( 'counts consent:record against the visitor’s events per minute', async () => {
		const service = await startService( {
			deps: {
				limits: ChatLimits.inMemory( {
					...DEFAULT_LIMIT_SETTINGS,
					visitorEventsPerMinute: 3,
				} ),
			},
		} );
		const { socket } = await connectVisitor( service );
		const answers = [];
		for ( let i = 0; i < 5; i++ ) {
			answers.push(
				await visitorAsk(
					socket,
					'consent:record',
					grant( { granted: i % 2 === 0 } )
				)
			);
		}
		expect( answers.map( ( answer ) => answer.ok ) ).toEqual( [
			true,
			true,
			true,
			false,
			false,
		] );
		expect( answers[ 3 ] ).toMatchObject( {
			ok: false,
			error: { code: 'rate_limited' },
		} );
	} );
} );
