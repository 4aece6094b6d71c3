/**
 * Consent records and personal data in the shared repository suite: records
 * and their dedupe, linking anonymous records to a contact, the marketing
 * flag, a contact's conversations, erasure in batches and retention's
 * deletion of old closed conversations. `describeRepository` runs it for
 * every database.
 */
import type { ConsentRecord } from '@chatflows/protocol';
import type { ChatRepository } from '../src/repository/types';
import type { TestDatabase, TestDatabaseFactory } from './repository-contract';

const T0 = Date.parse( '2026-03-01T10:00:00.000Z' );

function at( seconds: number ): string {
	return new Date( T0 + seconds * 1000 ).toISOString();
}

/**
 * A consent record with sensible defaults.
 *
 * @param overrides Fields to change.
 */
function consent( overrides: Partial< ConsentRecord > = {} ): ConsentRecord {
	return {
		id: `consent-${ Math.random().toString( 36 ).slice( 2 ) }`,
		visitorId: 'visitor-1',
		contactId: null,
		chatflowId: 'support',
		kind: 'data_processing',
		granted: true,
		method: 'checkbox',
		text: 'I agree that you process what I write.',
		textVersion: 'aaaaaaaaaaaaaaaa',
		language: 'en_US',
		pageUrl: 'http://localhost:8888/pricing/',
		recordedAt: at( 0 ),
		...overrides,
	};
}

/**
 * Registers the consent and privacy suite.
 *
 * @param name           Database name, shown in test names.
 * @param createDatabase Makes a fresh database per test.
 */
export function describePrivacyRepository(
	name: string,
	createDatabase: TestDatabaseFactory
): void {
	describe( `${ name } repository: consent and personal data`, () => {
		let database: TestDatabase;
		const opened: ChatRepository[] = [];

		beforeEach( async () => {
			database = await createDatabase();
		} );

		afterEach( async () => {
			for ( const repository of opened.splice( 0 ) ) {
				await repository.close();
			}
			await database.drop();
		} );

		const open = async (
			...visitors: string[]
		): Promise< ChatRepository > => {
			const repository = await database.open();
			opened.push( repository );
			for ( const id of visitors ) {
				await repository.createVisitor( {
					id,
					sessionHash: `hash-${ id }`,
					createdAt: at( 0 ),
				} );
			}
			return repository;
		};

		/**
		 * A conversation of a visitor with a message, a ticket, a survey
		 * answer, a read mark, a context, a file and a pending e-mail.
		 *
		 * @param repository The repository.
		 * @param visitorId  Its visitor.
		 * @param id         Its id.
		 * @param seconds    When it opens.
		 */
		const fullConversation = async (
			repository: ChatRepository,
			visitorId: string,
			id: string,
			seconds: number
		): Promise< void > => {
			await repository.appendVisitorMessage( {
				visitorId,
				chatflowId: 'support',
				newConversationId: id,
				pageUrl: 'http://localhost:8888/pricing/',
				clientId: `c-${ id }`,
				author: { type: 'visitor', id: visitorId, name: '' },
				body: `Hello from ${ id }`,
				createdAt: at( seconds ),
				ticket: {
					id: `ticket-${ id }`,
					pipeline: 'support',
					status: 'new',
					priority: 'medium',
					category: '',
					offline: false,
				},
			} );
			await repository.markRead( {
				conversationId: id,
				reader: 'agent',
				seq: 1,
				agentId: '7',
			} );
			await repository.saveConversationContext( {
				conversationId: id,
				startPageUrl: 'http://localhost:8888/pricing/',
				startPageTitle: 'Pricing',
				currentPageUrl: 'http://localhost:8888/pricing/',
				currentPageTitle: 'Pricing',
				referrer: '',
				timeZone: 'Europe/Copenhagen',
				language: 'da-dk',
				deviceType: 'desktop',
				updatedAt: at( seconds ),
			} );
			const attachmentId = `file-${ id }`
				.padEnd( 24, '0' )
				.slice( 0, 24 );
			await repository.saveAttachment(
				{
					id: attachmentId,
					chatflowId: 'support',
					uploaderType: 'visitor',
					uploaderId: visitorId,
					name: 'photo.png',
					contentType: 'image/png',
					size: 3,
					createdAt: at( seconds ),
					conversationId: null,
					seq: null,
				},
				Buffer.from( [ 1, 2, 3 ] )
			);
			await repository.linkAttachment( {
				attachmentId,
				conversationId: id,
				seq: 1,
				uploaderType: 'visitor',
				uploaderId: visitorId,
			} );
			await repository.enqueueNotification( {
				id: `transcript:${ id }:1`,
				notification: {
					id: `transcript:${ id }:1`,
					type: 'transcript',
				} as never,
				createdAt: at( seconds ),
			} );
			await repository.setConversationStatus( {
				conversationId: id,
				status: 'closed',
				updatedAt: at( seconds + 1 ),
			} );
			await repository.saveSurveyAnswer( {
				conversationId: id,
				rating: 5,
				comment: 'Thanks',
				answeredAt: at( seconds + 2 ),
			} );
		};

		/**
		 * Whether anything keyed by a conversation is left.
		 *
		 * @param repository The repository.
		 * @param id         The conversation.
		 */
		const leftOf = async (
			repository: ChatRepository,
			id: string
		): Promise< unknown[] > =>
			(
				await Promise.all( [
					repository.findConversation( id ),
					repository.listMessages( id, 0 ),
					repository.findTicket( id ),
					repository.findSurveyAnswer( id ),
					repository.findConversationContext( id ),
					repository.findAttachment(
						`file-${ id }`.padEnd( 24, '0' ).slice( 0, 24 )
					),
					repository
						.listDueNotifications( at( 100_000 ), 100 )
						.then( ( due ) =>
							due.filter( ( n ) => n.id.includes( id ) )
						),
				] )
			).filter(
				( value ) =>
					value !== null &&
					! ( Array.isArray( value ) && value.length === 0 )
			);

		it( 'records a consent once per answer: the same again answers the stored one, a changed answer is new', async () => {
			const repository = await open( 'visitor-1' );
			const first = await repository.recordConsent(
				consent( { id: 'consent-1' } )
			);
			expect( first ).toEqual( {
				record: consent( { id: 'consent-1' } ),
				created: true,
			} );
			const again = await repository.recordConsent(
				consent( { id: 'consent-2', recordedAt: at( 5 ) } )
			);
			expect( again ).toEqual( {
				record: consent( { id: 'consent-1' } ),
				created: false,
			} );
			const declined = await repository.recordConsent(
				consent( {
					id: 'consent-3',
					granted: false,
					recordedAt: at( 6 ),
				} )
			);
			expect( declined.created ).toBe( true );
			// Given again after declining: the newest record is the answer.
			const regranted = await repository.recordConsent(
				consent( { id: 'consent-4', recordedAt: at( 7 ) } )
			);
			expect( regranted.created ).toBe( true );
			const reworded = await repository.recordConsent(
				consent( {
					id: 'consent-5',
					textVersion: 'bbbbbbbbbbbbbbbb',
					recordedAt: at( 8 ),
				} )
			);
			expect( reworded.created ).toBe( true );
			const communications = await repository.recordConsent(
				consent( {
					id: 'consent-6',
					kind: 'communications',
					subscriptionType: 'Newsletter',
					recordedAt: at( 8 ),
				} )
			);
			expect( communications.record.subscriptionType ).toBe(
				'Newsletter'
			);
			const listed = await repository.listConsents( {
				visitorId: 'visitor-1',
				contactId: null,
				limit: 50,
			} );
			// Newest first; equal instants in the order recorded, newest first.
			expect( listed.map( ( record ) => record.id ) ).toEqual( [
				'consent-6',
				'consent-5',
				'consent-4',
				'consent-3',
				'consent-1',
			] );
			await expect(
				repository.listConsents( {
					visitorId: 'visitor-1',
					contactId: null,
					limit: 2,
				} )
			).resolves.toHaveLength( 2 );
		} );

		it( 'gives anonymous consents to the contact the visitor links to, and lists the records of every visitor of that contact', async () => {
			const repository = await open(
				'visitor-1',
				'visitor-2',
				'visitor-3'
			);
			await repository.recordConsent( consent( { id: 'before-email' } ) );
			await repository.recordConsent(
				consent( { id: 'stranger', visitorId: 'visitor-3' } )
			);
			const contact = await repository.linkContact( {
				email: 'ann@example.com',
				name: 'Ann',
				newContactId: 'contact-1',
				conversationId: null,
				createdAt: at( 1 ),
				visitorId: 'visitor-1',
			} );
			// The same person on another device.
			await repository.linkContact( {
				email: 'ANN@example.com',
				name: '',
				newContactId: 'contact-2',
				conversationId: null,
				createdAt: at( 2 ),
				visitorId: 'visitor-2',
			} );
			const after = await repository.recordConsent(
				consent( {
					id: 'on-phone',
					visitorId: 'visitor-2',
					kind: 'cookies',
					method: 'banner',
					recordedAt: at( 3 ),
				} )
			);
			expect( after.record.contactId ).toBe( contact.id );
			const listed = await repository.listConsents( {
				visitorId: 'visitor-1',
				contactId: contact.id,
				limit: 50,
			} );
			expect(
				listed.map( ( record ) => [ record.id, record.contactId ] )
			).toEqual( [
				[ 'on-phone', 'contact-1' ],
				[ 'before-email', 'contact-1' ],
			] );
			await expect(
				repository.listConsents( {
					visitorId: 'visitor-3',
					contactId: null,
					limit: 50,
				} )
			).resolves.toEqual( [
				expect.objectContaining( { id: 'stranger' } ),
			] );
		} );

		it( 'makes a contact a marketing contact and never unmakes it', async () => {
			const repository = await open( 'visitor-1' );
			const plain = await repository.linkContact( {
				email: 'bob@example.com',
				name: '',
				newContactId: 'contact-1',
				conversationId: null,
				createdAt: at( 1 ),
			} );
			expect( plain.marketing ).toBe( false );
			const upgraded = await repository.linkContact( {
				email: 'bob@example.com',
				name: '',
				newContactId: 'contact-2',
				conversationId: null,
				createdAt: at( 2 ),
				marketing: true,
			} );
			expect( upgraded ).toMatchObject( {
				id: 'contact-1',
				marketing: true,
			} );
			await repository.linkContact( {
				email: 'bob@example.com',
				name: '',
				newContactId: 'contact-3',
				conversationId: null,
				createdAt: at( 3 ),
				marketing: false,
			} );
			await expect(
				repository.findContact( 'contact-1' )
			).resolves.toMatchObject( { marketing: true } );
			await expect(
				repository.findContactByEmail( ' BOB@Example.com ' )
			).resolves.toMatchObject( { id: 'contact-1', marketing: true } );
			await expect(
				repository.findContactByEmail( 'nobody@example.com' )
			).resolves.toBeNull();
		} );

		it( "lists a contact's conversations oldest first and erases them in batches, then the consents, visitors and contact", async () => {
			const repository = await open(
				'visitor-1',
				'visitor-2',
				'visitor-3'
			);
			// visitor-1 chats twice, then gives the e-mail in the second chat.
			await fullConversation( repository, 'visitor-1', 'conv-a', 10 );
			await fullConversation( repository, 'visitor-1', 'conv-b', 20 );
			await repository.recordConsent( consent( { id: 'mine' } ) );
			const contact = await repository.linkContact( {
				email: 'ann@example.com',
				name: 'Ann',
				newContactId: 'contact-1',
				conversationId: 'conv-b',
				createdAt: at( 30 ),
			} );
			// visitor-2 is linked only through a conversation.
			await fullConversation( repository, 'visitor-2', 'conv-c', 40 );
			await repository.linkContact( {
				email: 'ann@example.com',
				name: '',
				newContactId: 'contact-2',
				conversationId: 'conv-c',
				createdAt: at( 41 ),
			} );
			// Someone else.
			await fullConversation( repository, 'visitor-3', 'conv-other', 50 );
			await repository.recordConsent(
				consent( { id: 'theirs', visitorId: 'visitor-3' } )
			);

			const page = ( offset: number, limit: number ) =>
				repository.listContactConversations( {
					contactId: contact.id,
					offset,
					limit,
				} );
			expect( ( await page( 0, 10 ) ).map( ( c ) => c.id ) ).toEqual( [
				'conv-a',
				'conv-b',
				'conv-c',
			] );
			expect( ( await page( 2, 2 ) ).map( ( c ) => c.id ) ).toEqual( [
				'conv-c',
			] );
			expect(
				( await repository.listContactConsents( contact.id ) ).map(
					( record ) => record.id
				)
			).toEqual( [ 'mine' ] );

			const first = await repository.erasePersonalData( {
				contactId: contact.id,
				limit: 2,
			} );
			expect( first ).toEqual( {
				conversationsRemoved: 2,
				consentsRemoved: 0,
				contactsRemoved: 0,
				visitorIds: [],
				done: false,
			} );
			await expect( leftOf( repository, 'conv-a' ) ).resolves.toEqual(
				[]
			);
			const second = await repository.erasePersonalData( {
				contactId: contact.id,
				limit: 2,
			} );
			expect( {
				...second,
				visitorIds: [ ...second.visitorIds ].sort(),
			} ).toEqual( {
				conversationsRemoved: 1,
				consentsRemoved: 1,
				contactsRemoved: 1,
				visitorIds: [ 'visitor-1', 'visitor-2' ],
				done: true,
			} );
			for ( const id of [ 'conv-a', 'conv-b', 'conv-c' ] ) {
				await expect( leftOf( repository, id ) ).resolves.toEqual( [] );
			}
			await expect(
				repository.findContact( contact.id )
			).resolves.toBeNull();
			await expect(
				repository.findVisitorBySessionHash( 'hash-visitor-1' )
			).resolves.toBeNull();
			await expect(
				repository.findVisitorBySessionHash( 'hash-visitor-2' )
			).resolves.toBeNull();
			// The other visitor keeps everything.
			await expect(
				leftOf( repository, 'conv-other' )
			).resolves.toHaveLength( 7 );
			await expect(
				repository.findVisitorBySessionHash( 'hash-visitor-3' )
			).resolves.not.toBeNull();
			await expect(
				repository.listConsents( {
					visitorId: 'visitor-3',
					contactId: null,
					limit: 50,
				} )
			).resolves.toHaveLength( 1 );
			// A retried call finds nothing left.
			await expect(
				repository.erasePersonalData( {
					contactId: contact.id,
					limit: 2,
				} )
			).resolves.toMatchObject( {
				conversationsRemoved: 0,
				contactsRemoved: 0,
				done: true,
			} );
		} );

		it( "leaves another address's conversations and consents alone when one browser gave two addresses", async () => {
			const repository = await open( 'visitor-1', 'visitor-2' );
			// Captured in the conversation: it and its visitor are linked.
			const link = (
				email: string,
				visitorId: string,
				conversationId: string,
				seconds: number
			) =>
				repository.linkContact( {
					email,
					name: '',
					newContactId: `contact-${ conversationId }`,
					conversationId,
					visitorId,
					createdAt: at( seconds ),
				} );
			// visitor-1 gives Ann's address, later Ben's; visitor-2 Ben's, later Ann's.
			await fullConversation( repository, 'visitor-1', 'conv-a1', 10 );
			const ann = await link(
				'ann@example.com',
				'visitor-1',
				'conv-a1',
				11
			);
			await fullConversation( repository, 'visitor-1', 'conv-b1', 20 );
			const ben = await link(
				'ben@example.com',
				'visitor-1',
				'conv-b1',
				21
			);
			// Given while the browser is Ben's, and a chat without an address: Ben's too.
			await repository.recordConsent( consent( { id: 'bens' } ) );
			await fullConversation( repository, 'visitor-1', 'conv-x1', 25 );
			await fullConversation( repository, 'visitor-2', 'conv-b2', 30 );
			await link( 'ben@example.com', 'visitor-2', 'conv-b2', 31 );
			await fullConversation( repository, 'visitor-2', 'conv-a2', 40 );
			await link( 'ann@example.com', 'visitor-2', 'conv-a2', 41 );
			const conversationsOf = async ( contactId: string ) =>
				(
					await repository.listContactConversations( {
						contactId,
						offset: 0,
						limit: 10,
					} )
				).map( ( conversation ) => conversation.id );
			const consentsOf = async ( contactId: string ) =>
				( await repository.listContactConsents( contactId ) ).map(
					( record ) => record.id
				);

			expect( await conversationsOf( ann.id ) ).toEqual( [
				'conv-a1',
				'conv-a2',
			] );
			expect( await consentsOf( ann.id ) ).toEqual( [] );

			await expect(
				repository.erasePersonalData( {
					contactId: ann.id,
					limit: 10,
				} )
			).resolves.toMatchObject( {
				conversationsRemoved: 2,
				consentsRemoved: 0,
				contactsRemoved: 1,
				done: true,
			} );
			for ( const id of [ 'conv-a1', 'conv-a2' ] ) {
				await expect( leftOf( repository, id ) ).resolves.toEqual( [] );
			}
			for ( const id of [ 'conv-b1', 'conv-x1', 'conv-b2' ] ) {
				await expect( leftOf( repository, id ) ).resolves.toHaveLength(
					7
				);
			}
			expect( await conversationsOf( ben.id ) ).toEqual( [
				'conv-b1',
				'conv-x1',
				'conv-b2',
			] );
			expect( await consentsOf( ben.id ) ).toEqual( [ 'bens' ] );
			for ( const visitor of [ 'visitor-1', 'visitor-2' ] ) {
				await expect(
					repository.findVisitorBySessionHash( `hash-${ visitor }` )
				).resolves.not.toBeNull();
			}

			// Ben's erasure then takes the rest, browsers included.
			const last = await repository.erasePersonalData( {
				contactId: ben.id,
				limit: 10,
			} );
			expect( {
				...last,
				visitorIds: [ ...last.visitorIds ].sort(),
			} ).toEqual( {
				conversationsRemoved: 3,
				consentsRemoved: 1,
				contactsRemoved: 1,
				visitorIds: [ 'visitor-1', 'visitor-2' ],
				done: true,
			} );
			for ( const id of [ 'conv-b1', 'conv-x1', 'conv-b2' ] ) {
				await expect( leftOf( repository, id ) ).resolves.toEqual( [] );
			}
			for ( const visitor of [ 'visitor-1', 'visitor-2' ] ) {
				await expect(
					repository.findVisitorBySessionHash( `hash-${ visitor }` )
				).resolves.toBeNull();
			}
		} );

		it( 'deletes closed conversations last active before an instant, with everything keyed by them', async () => {
			const repository = await open( 'visitor-1', 'visitor-2' );
			await fullConversation( repository, 'visitor-1', 'old-closed', 0 );
			await fullConversation(
				repository,
				'visitor-2',
				'recent-closed',
				0
			);
			// Opened as long ago, closed later.
			await repository.setConversationStatus( {
				conversationId: 'recent-closed',
				status: 'open',
				updatedAt: at( 500 ),
			} );
			await repository.setConversationStatus( {
				conversationId: 'recent-closed',
				status: 'closed',
				updatedAt: at( 1000 ),
			} );
			await repository.appendVisitorMessage( {
				visitorId: 'visitor-1',
				chatflowId: 'other',
				newConversationId: 'old-open',
				pageUrl: '',
				clientId: 'c-old-open',
				author: { type: 'visitor', id: 'visitor-1', name: '' },
				body: 'Still here',
				createdAt: at( 0 ),
			} );
			await expect(
				repository.deleteClosedConversations( {
					closedBefore: at( 600 ),
					limit: 100,
				} )
			).resolves.toBe( 1 );
			await expect( leftOf( repository, 'old-closed' ) ).resolves.toEqual(
				[]
			);
			await expect(
				repository.findConversation( 'recent-closed' )
			).resolves.not.toBeNull();
			await expect(
				repository.findConversation( 'old-open' )
			).resolves.not.toBeNull();
			await expect(
				repository.deleteClosedConversations( {
					closedBefore: at( 600 ),
					limit: 100,
				} )
			).resolves.toBe( 0 );
		} );
	} );
}
