/**
 * Visitors name their chatflow; the service serves only those WordPress
 * published. Attacks from outside on a real service, on SQLite and on
 * PostgreSQL: made-up, unpublished and deleted chatflow ids are refused at
 * the handshake and for every event that would start something, the moment
 * before any configuration arrived is refused as retryable, and nothing the
 * service keeps per chatflow grows with ids a visitor invents.
 */
import type { ConversationSummary } from '@chatflows/protocol';
import {
	agentAsk,
	connectAgent,
	connectVisitor,
	expectConnectError,
	openChatflow,
	openVisitor,
	recordConsent,
	sendMessage,
	startService,
	TEST_CONFIGURATION,
	visitorAsk,
	type TestService,
} from './helpers';
import { onSqliteAndPostgres, type RepositoryOpener } from './postgres-server';

jest.setTimeout( 60_000 );

const DATABASES = onSqliteAndPostgres();

/**
 * `support` published, `off` switched off, `gone` published then deleted.
 * @param openRepository
 */
async function serviceWithChatflows(
	openRepository: RepositoryOpener
): Promise< TestService > {
	const service = await startService( {
		repository: await openRepository(),
		configuration: {
			...TEST_CONFIGURATION,
			chatflows: [
				openChatflow( 'support' ),
				{ ...openChatflow( 'off' ), enabled: false },
				openChatflow( 'gone' ),
			],
		},
	} );
	await service.app.configuration.deleteChatflow( 'gone' );
	return service;
}

async function openConversations(
	service: TestService
): Promise< ConversationSummary[] > {
	const agent = await connectAgent( service );
	const list = await agentAsk( agent, 'inbox:list', { view: 'open' } );
	agent.disconnect();
	if ( ! list.ok ) {
		throw new Error( list.error.message );
	}
	return list.data.conversations;
}

describe.each( DATABASES )(
	'chatflows visitors name, on %s',
	( _name, open ) => {
		it.each( [
			[ 'a made-up', 'made-up-by-a-visitor' ],
			[ 'an unpublished', 'off' ],
			[ 'a deleted', 'gone' ],
		] )(
			'refuses %s chatflow at the handshake, and no conversation opens',
			async ( _label, chatflowId ) => {
				const service = await serviceWithChatflows( open );
				const refused = await expectConnectError(
					openVisitor( service, { chatflowId } )
				);
				expect( refused.data?.code ).toBe( 'chatflow_unavailable' );
				expect( refused.message ).toMatch( /^chatflowId: / );
				await expect( openConversations( service ) ).resolves.toEqual(
					[]
				);
			}
		);

		it( 'refuses, once a chatflow is switched off or deleted, what a connected visitor would start there, and lets an open conversation go on', async () => {
			const service = await startService( {
				repository: await open(),
			} );
			const talking = await connectVisitor( service );
			const conversationId = await sendMessage( talking.socket, 'Hello' );
			const idle = await connectVisitor( service );
			const sales = await connectVisitor( service, {
				chatflowId: 'sales',
			} );
			await service.app.configuration.replace( {
				...TEST_CONFIGURATION,
				chatflows: [ { ...openChatflow( 'support' ), enabled: false } ],
			} );
			const unavailable = {
				ok: false,
				error: { code: 'chatflow_unavailable' },
			};
			await expect(
				visitorAsk( idle.socket, 'message:send', {
					clientId: 'c-1',
					body: 'Anyone?',
				} )
			).resolves.toMatchObject( unavailable );
			await expect(
				visitorAsk( idle.socket, 'contact:email', {
					email: 'someone@example.com',
				} )
			).resolves.toMatchObject( unavailable );
			// Deleted: nothing new at all.
			await expect(
				visitorAsk( sales.socket, 'message:send', {
					clientId: 'c-1',
					body: 'Anyone?',
				} )
			).resolves.toMatchObject( unavailable );
			await expect(
				recordConsent( sales.socket, {
					kind: 'cookies',
					granted: true,
					method: 'banner',
					text: 'We keep your chat in this browser.',
					language: 'en_US',
					pageUrl: 'http://localhost:8888/pricing/',
				} )
			).rejects.toThrow( /not available/ );
			// The visitor who was talking goes on, and may come back.
			await expect(
				sendMessage( talking.socket, 'Still there?' )
			).resolves.toBe( conversationId );
			talking.socket.disconnect();
			const back = await connectVisitor( service, {
				session: talking.session.token,
			} );
			await expect(
				sendMessage( back.socket, 'Back again' )
			).resolves.toBe( conversationId );
			const conversations = await openConversations( service );
			expect( conversations.map( ( { id } ) => id ) ).toEqual( [
				conversationId,
			] );
		} );

		it( 'refuses visitors with a retryable code until the first configuration arrives', async () => {
			const service = await startService( {
				repository: await open(),
				configuration: null,
			} );
			const refused = await expectConnectError( openVisitor( service ) );
			expect( refused.data?.code ).toBe( 'configuration_pending' );
			const availability = await fetch(
				`${ service.url }/v1/availability/support`
			);
			expect( availability.status ).toBe( 503 );
			expect( await availability.json() ).toMatchObject( {
				error: { code: 'configuration_pending' },
			} );
			await service.app.configuration.replace( TEST_CONFIGURATION );
			const visitor = await connectVisitor( service );
			await expect(
				sendMessage( visitor.socket, 'Hi' )
			).resolves.toEqual( expect.any( String ) );
		} );

		it( 'keeps availability only for the chatflows WordPress holds, whatever ids visitors invent', async () => {
			const service = await serviceWithChatflows( open );
			const sentAvailability = (
				service.app.domain.availability as unknown as {
					sentAvailability: Map< string, string >;
				}
			 ).sentAvailability;
			await connectVisitor( service );
			const invented = Array.from(
				{ length: 20 },
				( _, index ) => `invented-${ index }`
			);
			// Whatever the service answers (the old one let them in).
			await Promise.all(
				invented.map(
					( chatflowId ) =>
						new Promise( ( resolve ) => {
							const socket = openVisitor( service, {
								chatflowId,
							} );
							socket.once( 'session', resolve );
							socket.once( 'connect_error', resolve );
						} )
				)
			);
			// An agent's arrival re-announces every chatflow's availability.
			await connectAgent( service );
			await service.app.domain.assignment.rebalance();
			expect( [ ...sentAvailability.keys() ] ).toEqual( [ 'support' ] );
			await service.app.configuration.deleteChatflow( 'support' );
			await service.app.domain.assignment.rebalance();
			expect( sentAvailability.size ).toBe( 0 );
		} );
	}
);
