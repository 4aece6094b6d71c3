/**
 * WordPress's privacy tools against the service, on SQLite and on a real
 * PostgreSQL server: data seeded by real visitors and agents (messages, a
 * file, e-mail capture, survey, consents), then the signed export (paged)
 * and erasure (in batches, until nothing of the address is left, while
 * everyone else's data stays).
 */
import {
	type AttachmentReference,
	ATTACHMENTS_PATH,
	type ConsentGrant,
	PRIVACY_ERASE_PATH,
	PRIVACY_EXPORT_PATH,
	PRIVACY_PAGE_SIZE,
	type PrivacyErasePage,
	type PrivacyExportPage,
} from '@chatflows/protocol';
import {
	PAGE_URL,
	agentAsk,
	connectAgent,
	connectVisitor,
	giveAndConfirmEmail,
	nextEvent,
	sendMessage,
	signAgentToken,
	signIdentificationToken,
	signedPost,
	startService,
	visitorAsk,
	type TestService,
	type VisitorClient,
	signedHeaders,
} from './helpers';
import { onSqliteAndPostgres } from './postgres-server';
import { chatflow, configuration } from './repository-domain';

jest.setTimeout( 120_000 );

const DATABASES = onSqliteAndPostgres();

const PNG = Buffer.concat( [
	Buffer.from( [ 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a ] ),
	Buffer.from( '0000000dIHDR-rest-of-a-tiny-image' ),
] );

const CONSENT: ConsentGrant = {
	kind: 'data_processing',
	granted: true,
	method: 'checkbox',
	text: 'I agree that Example Ltd processes what I write.',
	language: 'en_US',
	pageUrl: PAGE_URL,
};

const exportPage = async (
	service: TestService,
	email: string,
	page: number
): Promise< PrivacyExportPage > => {
	const reply = await signedPost< PrivacyExportPage >(
		service,
		PRIVACY_EXPORT_PATH,
		{ email, page }
	);
	expect( reply.status ).toBe( 200 );
	return reply.json;
};

const erase = async (
	service: TestService,
	email: string,
	page: number
): Promise< PrivacyErasePage > => {
	const reply = await signedPost< PrivacyErasePage >(
		service,
		PRIVACY_ERASE_PATH,
		{
			email,
			page,
		}
	);
	expect( reply.status ).toBe( 200 );
	return reply.json;
};

/**
 * Expects nothing held for an address: an empty export and nothing to erase.
 *
 * @param service   The service.
 * @param email     The address.
 * @param erasePage The page WordPress's erasure call names.
 */
async function expectNothingHeld(
	service: TestService,
	email: string,
	erasePage: number
): Promise< void > {
	await expect( exportPage( service, email, 1 ) ).resolves.toEqual( {
		contact: null,
		consents: [],
		claims: [],
		conversations: [],
		done: true,
	} );
	await expect( erase( service, email, erasePage ) ).resolves.toEqual( {
		itemsRemoved: 0,
		itemsRetained: 0,
		done: true,
	} );
}

describe.each( DATABASES )(
	'privacy export and erasure on %s',
	( _name, openRepository ) => {
		let service: TestService;

		beforeEach( async () => {
			service = await startService( {
				repository: await openRepository(),
			} );
			await service.app.configuration.replace(
				configuration( [
					{
						...chatflow( 'support', 1, 'Support' ),
						survey: {
							enabled: true,
							question: { en_US: 'How did we do?' },
						},
					},
				] )
			);
		} );

		/**
		 * Ann's first visit: consents, a message, a file, her e-mail, the
		 * agent's answer, the close and her survey answer.
		 *
		 * @return Her socket, conversation and file.
		 */
		const seedAnn = async (): Promise< {
			socket: VisitorClient;
			conversationId: string;
			file: AttachmentReference;
		} > => {
			const { socket, session } = await connectVisitor( service );
			await visitorAsk( socket, 'consent:record', {
				...CONSENT,
				kind: 'cookies',
				method: 'banner',
			} );
			await visitorAsk( socket, 'consent:record', CONSENT );
			const conversationId = await sendMessage(
				socket,
				'My order is late'
			);
			const response = await fetch(
				`${ service.url }${ ATTACHMENTS_PATH }?name=receipt.png&chatflowId=support`,
				{
					method: 'POST',
					headers: {
						'Content-Type': 'application/octet-stream',
						Authorization: `Bearer ${ session.token }`,
					},
					body: PNG,
				}
			);
			const { attachment: file } = ( await response.json() ) as {
				attachment: AttachmentReference;
			};
			const withFile = await visitorAsk( socket, 'message:send', {
				clientId: 'with-file',
				body: 'Here is the receipt',
				attachmentId: file.id,
			} );
			expect( withFile.ok ).toBe( true );
			await giveAndConfirmEmail(
				service,
				socket,
				'Ann@Example.com',
				'Ann'
			);
			const agent = await connectAgent( service );
			await agentAsk( agent, 'message:send', {
				conversationId,
				clientId: 'reply',
				body: 'Sorry, it ships today',
			} );
			// An internal note is personal data about Ann too.
			const note = await agentAsk( agent, 'note:send', {
				conversationId,
				clientId: 'note',
				body: 'Ann is a repeat customer',
				mentions: [],
			} );
			expect( note.ok ).toBe( true );
			await agentAsk( agent, 'conversation:close', { conversationId } );
			const survey = await visitorAsk( socket, 'survey:answer', {
				conversationId,
				rating: 4,
				comment: 'Quick',
			} );
			expect( survey.ok ).toBe( true );
			agent.disconnect();
			return { socket, conversationId, file };
		};

		/**
		 * Bob: a visitor with his own messages, e-mail and consent.
		 *
		 * @return His socket and conversation.
		 */
		const seedBob = async () => {
			const { socket } = await connectVisitor( service );
			await visitorAsk( socket, 'consent:record', CONSENT );
			const conversationId = await sendMessage( socket, 'Bob here' );
			await giveAndConfirmEmail( service, socket, 'bob@example.com' );
			return { socket, conversationId };
		};

		it( 'exports an address’s contact, consents and conversations page by page, then erases them batch by batch until nothing is left, and no one else’s', async () => {
			const ann = await seedAnn();
			const bob = await seedBob();
			// Ann on PRIVACY_PAGE_SIZE more devices, one chat each.
			const devices: VisitorClient[] = [];
			for ( let i = 0; i < PRIVACY_PAGE_SIZE; i++ ) {
				// Identified by the site there (an address gets only a few confirmation e-mails an hour).
				const { socket } = await connectVisitor( service, {
					identificationEmail: ' ann@EXAMPLE.com',
					identificationToken: await signIdentificationToken(
						'ann@EXAMPLE.com',
						{
							name: 'Ann',
						}
					),
				} );
				await sendMessage( socket, `Device ${ i }` );
				devices.push( socket );
			}

			const first = await exportPage( service, 'ANN@example.com', 1 );
			expect( first.contact ).toEqual( {
				id: expect.any( String ),
				email: 'Ann@Example.com',
				name: 'Ann',
				marketing: false,
				createdAt: expect.any( String ),
			} );
			expect(
				first.consents.map( ( consent ) => [
					consent.kind,
					consent.text,
				] )
			).toEqual( [
				[ 'data_processing', CONSENT.text ],
				[ 'cookies', CONSENT.text ],
			] );
			expect( first.consents[ 0 ].contactId ).toBe( first.contact?.id );
			expect( first.conversations ).toHaveLength( PRIVACY_PAGE_SIZE );
			expect( first.done ).toBe( false );
			// Oldest first: Ann's first chat, with everything stored for it.
			expect( first.conversations[ 0 ] ).toEqual( {
				id: ann.conversationId,
				chatflowId: 'support',
				status: 'closed',
				pageUrl: PAGE_URL,
				createdAt: expect.any( String ),
				updatedAt: expect.any( String ),
				messages: [
					{
						seq: 1,
						authorType: 'visitor',
						authorName: '',
						body: 'My order is late',
						createdAt: expect.any( String ),
					},
					{
						seq: 2,
						authorType: 'visitor',
						authorName: '',
						body: 'Here is the receipt',
						createdAt: expect.any( String ),
						attachment: ann.file,
					},
					{
						seq: 3,
						authorType: 'agent',
						authorName: 'Alice Agent',
						body: 'Sorry, it ships today',
						createdAt: expect.any( String ),
					},
				],
				notes: [
					{
						seq: 1,
						authorName: 'Alice Agent',
						body: 'Ann is a repeat customer',
						createdAt: expect.any( String ),
					},
				],
				ticket: expect.objectContaining( {
					conversationId: ann.conversationId,
					state: 'closed',
				} ),
				survey: {
					rating: 4,
					comment: 'Quick',
					answeredAt: expect.any( String ),
				},
			} );
			const second = await exportPage( service, 'ann@example.com', 2 );
			expect( second ).toEqual( {
				contact: null,
				consents: [],
				claims: [],
				conversations: [
					expect.objectContaining( {
						messages: [
							expect.objectContaining( {
								body: `Device ${ PRIVACY_PAGE_SIZE - 1 }`,
							} ),
						],
					} ),
				],
				done: true,
			} );

			const disconnected = nextEvent( ann.socket, 'disconnect' );
			const batch1 = await erase( service, 'ann@example.com', 1 );
			expect( batch1 ).toEqual( {
				itemsRemoved: PRIVACY_PAGE_SIZE,
				itemsRetained: 0,
				done: false,
			} );
			expect( ann.socket.connected ).toBe( true );
			// WordPress's next call may say page 2: each call deletes what is left.
			const batch2 = await erase( service, 'Ann@example.com', 2 );
			// The last conversation, two consent records and the contact.
			expect( batch2 ).toEqual( {
				itemsRemoved: 4,
				itemsRetained: 0,
				done: true,
			} );
			await disconnected;
			await expectNothingHeld( service, 'ann@example.com', 3 );
			await expect(
				service.repository.findConversation( ann.conversationId )
			).resolves.toBeNull();
			const download = await fetch(
				`${ service.url }${ ATTACHMENTS_PATH }/${ ann.file.id }`,
				{
					headers: {
						Authorization: `Bearer ${ await signAgentToken() }`,
					},
				}
			);
			expect( download.status ).toBe( 404 );

			// Bob keeps everything and goes on chatting.
			const bobs = await exportPage( service, 'bob@example.com', 1 );
			expect( bobs.contact?.email ).toBe( 'bob@example.com' );
			expect( bobs.consents ).toHaveLength( 1 );
			expect( bobs.conversations ).toEqual( [
				expect.objectContaining( {
					id: bob.conversationId,
					messages: [
						expect.objectContaining( { body: 'Bob here' } ),
					],
				} ),
			] );
			expect( bob.socket.connected ).toBe( true );
			await expect(
				sendMessage( bob.socket, 'Still here' )
			).resolves.toBe( bob.conversationId );
		} );

		it( 'answers an address nobody used with an empty export and nothing to erase', async () => {
			await seedBob();
			await expectNothingHeld( service, 'nobody@example.com', 1 );
		} );

		it.each( [ PRIVACY_EXPORT_PATH, PRIVACY_ERASE_PATH ] )(
			'%s refuses a bad signature (401) and a bad body naming the fields (400), erasing nothing',
			async ( path ) => {
				await seedBob();
				const forged = await signedPost< { error: { code: string } } >(
					service,
					path,
					{ email: 'bob@example.com', page: 1 },
					'another-secret-that-is-long-enough-0123456789'
				);
				expect( forged.status ).toBe( 401 );
				expect( forged.json.error.code ).toBe( 'signature_invalid' );
				const unsigned = await fetch( `${ service.url }${ path }`, {
					method: 'POST',
					headers: { 'Content-Type': 'application/json' },
					body: JSON.stringify( {
						email: 'bob@example.com',
						page: 1,
					} ),
				} );
				expect( unsigned.status ).toBe( 401 );
				const bad = await signedPost< {
					error: {
						code: string;
						message: string;
						fields: Array< { field: string } >;
					};
				} >( service, path, { email: '', page: 0 } );
				expect( bad.status ).toBe( 400 );
				expect( bad.json.error.code ).toBe( 'invalid_payload' );
				expect(
					bad.json.error.fields.map( ( entry ) => entry.field )
				).toEqual( [ 'email', 'page' ] );
				const empty = await fetch( `${ service.url }${ path }`, {
					method: 'POST',
					headers: signedHeaders( 'POST', path, '' ),
				} );
				expect( empty.status ).toBe( 400 );
				const emptyError = ( await empty.json() ) as {
					error: { fields: Array< { field: string } > };
				};
				expect(
					emptyError.error.fields.map( ( entry ) => entry.field )
				).toEqual( [ 'email', 'page' ] );
				const tooLong = await signedPost< {
					error: { fields: Array< { field: string } > };
				} >( service, path, {
					email: `${ 'a'.repeat( 250 ) }@example.com`,
					page: 1.5,
				} );
				expect( tooLong.status ).toBe( 400 );
				expect(
					tooLong.json.error.fields.map( ( entry ) => entry.field )
				).toEqual( [ 'email', 'page' ] );
				await expect(
					exportPage( service, 'bob@example.com', 1 )
				).resolves.toMatchObject( {
					contact: { email: 'bob@example.com' },
					conversations: [ expect.anything() ],
				} );
			}
		);
	}
);
