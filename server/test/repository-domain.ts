/**
 * The conversation domain's part of the shared repository suite: assignment,
 * status and tickets, read marks, contacts, survey answers, configuration and
 * pending notifications. `describeRepository` runs it for every database.
 */
import type {
	CompiledChatflow,
	ServiceConfiguration,
	ServiceNotification,
} from '@chatflows/protocol';
import type { ChatRepository } from '../src/repository/types';
import type { TestDatabaseFactory, TestDatabase } from './repository-contract';

const T0 = Date.parse( '2026-03-01T10:00:00.000Z' );

function at( seconds: number ): string {
	return new Date( T0 + seconds * 1000 ).toISOString();
}

const TICKET = {
	id: 'ticket-1',
	pipeline: 'support',
	status: 'new',
	priority: 'high' as const,
	category: 'billing',
	offline: false,
};

/**
 * A chatflow as WordPress compiles it.
 *
 * @param id      Chatflow id.
 * @param version Version.
 * @param name    Name.
 */
export function chatflow(
	id: string,
	version: number,
	name = `Chatflow ${ id }`
): CompiledChatflow {
	return {
		id,
		version,
		enabled: true,
		name,
		inboxId: 'inbox-1',
		assignment: { enabled: true, userIds: [ '7' ], teamIds: [], rules: [] },
		availability: { mode: 'always' },
		behaviour: {
			showTypicalReplyTime: true,
			typicalReplyTime: 'minutes',
			whenAway: 'show_away_message',
			whenOffline: 'show_return_time',
			whenAtCapacity: 'show_wait_message',
		},
		idleCloseMinutes: 0,
		ticket: {
			pipeline: 'support',
			status: 'new',
			priority: 'medium',
			category: '',
		},
		emailCapture: { enabled: false, when: 'before_chat' },
		survey: { enabled: false, question: { en_US: 'How did we do?' } },
		texts: { welcome: {}, away: {}, wait: {} },
	};
}

/**
 * A full configuration with the given chatflows.
 *
 * @param chatflows The chatflows.
 */
export function configuration(
	chatflows: CompiledChatflow[]
): ServiceConfiguration {
	return {
		siteUrl: 'http://localhost:8888',
		allowedOrigins: [],
		chatflows,
		agents: [
			{
				id: '7',
				name: 'Ann',
				capacity: 3,
				teamIds: [ 'team-1' ],
				inboxIds: [ 'inbox-1' ],
			},
		],
		teams: [ { id: 'team-1', name: 'Support', memberIds: [ '7' ] } ],
		inboxes: [ { id: 'inbox-1', name: 'Main' } ],
	};
}

const NOTIFICATION: ServiceNotification = {
	type: 'offline_message',
	chatflowId: 'support',
	conversationId: 'conversation-1',
	userIds: [],
	visitor: { email: 'ann@example.com', name: null },
	messages: [ { authorName: '', body: 'Call me back', createdAt: at( 0 ) } ],
	pageUrl: 'http://localhost:8888/pricing/',
};

/**
 * Registers the domain tests.
 *
 * @param name           Database name.
 * @param createDatabase Makes a fresh database per test.
 */
export function describeDomainRepository(
	name: string,
	createDatabase: TestDatabaseFactory
): void {
	describe( `${ name } repository: conversation domain`, () => {
		let database: TestDatabase;
		const opened: ChatRepository[] = [];

		const open = async (): Promise< ChatRepository > => {
			const repository = await database.open();
			opened.push( repository );
			return repository;
		};

		/**
		 * The catch-up's one query answers the newest conversation (as
		 * `findLatestConversation` reads it) and the visitor's unread count.
		 *
		 * @param repository The repository.
		 * @param unread     The count expected.
		 */
		const expectLatestWithUnread = async (
			repository: ChatRepository,
			unread: number
		): Promise< void > => {
			await expect(
				repository.findLatestConversationWithUnread(
					'visitor-1',
					'support'
				)
			).resolves.toEqual( {
				conversation: await repository.findLatestConversation(
					'visitor-1',
					'support'
				),
				visitorUnreadCount: unread,
			} );
		};

		/** A repository with one visitor and one open conversation (seq 1, with a ticket). */
		const openWithConversation = async (): Promise< ChatRepository > => {
			const repository = await open();
			await repository.createVisitor( {
				id: 'visitor-1',
				sessionHash: 'hash-visitor-1',
				createdAt: at( 0 ),
			} );
			await repository.appendVisitorMessage( {
				visitorId: 'visitor-1',
				chatflowId: 'support',
				newConversationId: 'conversation-1',
				pageUrl: '',
				clientId: 'c1',
				author: { type: 'visitor', id: 'visitor-1', name: '' },
				body: 'Hello',
				createdAt: at( 0 ),
				ticket: TICKET,
				reopenClosed: true,
			} );
			return repository;
		};

		beforeEach( async () => {
			database = await createDatabase();
		} );

		afterEach( async () => {
			for ( const repository of opened.splice( 0 ) ) {
				await repository.close();
			}
			await database.drop();
		} );

		describe( 'tickets and status', () => {
			it( 'creates the ticket with the conversation, with the given properties', async () => {
				const repository = await openWithConversation();
				await expect(
					repository.findTicket( 'conversation-1' )
				).resolves.toEqual( {
					id: 'ticket-1',
					conversationId: 'conversation-1',
					chatflowId: 'support',
					pipeline: 'support',
					status: 'new',
					priority: 'high',
					category: 'billing',
					state: 'open',
					offline: false,
					createdAt: at( 0 ),
					updatedAt: at( 0 ),
				} );
			} );

			it( 'moves the ticket along when the conversation closes and reopens', async () => {
				const repository = await openWithConversation();
				const closed = await repository.setConversationStatus( {
					conversationId: 'conversation-1',
					status: 'closed',
					updatedAt: at( 10 ),
				} );
				expect( closed?.changed ).toBe( true );
				expect( closed?.conversation.status ).toBe( 'closed' );
				await expect(
					repository.findTicket( 'conversation-1' )
				).resolves.toMatchObject( {
					state: 'closed',
					updatedAt: at( 10 ),
				} );
				const again = await repository.setConversationStatus( {
					conversationId: 'conversation-1',
					status: 'closed',
					updatedAt: at( 11 ),
				} );
				expect( again?.changed ).toBe( false );

				await repository.setConversationStatus( {
					conversationId: 'conversation-1',
					status: 'open',
					updatedAt: at( 20 ),
				} );
				await expect(
					repository.findTicket( 'conversation-1' )
				).resolves.toMatchObject( { state: 'reopened' } );
				await expect(
					repository.setConversationStatus( {
						conversationId: 'nope',
						status: 'closed',
						updatedAt: at( 1 ),
					} )
				).resolves.toBeNull();
			} );

			it( 'reopens the visitor’s closed conversation when they write again', async () => {
				const repository = await openWithConversation();
				await repository.setConversationStatus( {
					conversationId: 'conversation-1',
					status: 'closed',
					updatedAt: at( 10 ),
				} );
				const result = await repository.appendVisitorMessage( {
					visitorId: 'visitor-1',
					chatflowId: 'support',
					newConversationId: 'conversation-2',
					pageUrl: '',
					clientId: 'c2',
					author: { type: 'visitor', id: 'visitor-1', name: '' },
					body: 'One more thing',
					createdAt: at( 30 ),
					reopenClosed: true,
				} );
				expect( result.conversationReopened ).toBe( true );
				expect( result.conversation ).toMatchObject( {
					id: 'conversation-1',
					status: 'open',
					lastSeq: 2,
				} );
				await expect(
					repository.findTicket( 'conversation-1' )
				).resolves.toMatchObject( { state: 'reopened' } );
				await expect(
					repository.findConversation( 'conversation-2' )
				).resolves.toBeNull();
			} );

			it( 'does not reopen for a repeat of a message already stored', async () => {
				const repository = await openWithConversation();
				await repository.setConversationStatus( {
					conversationId: 'conversation-1',
					status: 'closed',
					updatedAt: at( 10 ),
				} );
				const repeat = await repository.appendVisitorMessage( {
					visitorId: 'visitor-1',
					chatflowId: 'support',
					newConversationId: 'conversation-2',
					pageUrl: '',
					clientId: 'c1',
					author: { type: 'visitor', id: 'visitor-1', name: '' },
					body: 'Hello',
					createdAt: at( 30 ),
					reopenClosed: true,
				} );
				expect( repeat.created ).toBe( false );
				expect( repeat.conversation.status ).toBe( 'closed' );
			} );

			it( 'lists open conversations oldest first, and the visitor’s latest', async () => {
				const repository = await openWithConversation();
				await repository.createVisitor( {
					id: 'visitor-2',
					sessionHash: 'hash-visitor-2',
					createdAt: at( 0 ),
				} );
				await repository.appendVisitorMessage( {
					visitorId: 'visitor-2',
					chatflowId: 'support',
					newConversationId: 'conversation-2',
					pageUrl: '',
					clientId: 'c1',
					author: { type: 'visitor', id: 'visitor-2', name: '' },
					body: 'Hi',
					createdAt: at( 5 ),
				} );
				const openOnes = await repository.listOpenConversations();
				expect( openOnes.map( ( c ) => c.id ) ).toEqual( [
					'conversation-1',
					'conversation-2',
				] );
				await repository.setConversationStatus( {
					conversationId: 'conversation-1',
					status: 'closed',
					updatedAt: at( 10 ),
				} );
				expect(
					( await repository.listOpenConversations() ).map(
						( c ) => c.id
					)
				).toEqual( [ 'conversation-2' ] );
				await expect(
					repository.findLatestConversation( 'visitor-1', 'support' )
				).resolves.toMatchObject( {
					id: 'conversation-1',
					status: 'closed',
				} );
				await expect(
					repository.findLatestConversation( 'visitor-1', 'sales' )
				).resolves.toBeNull();
				// The catch-up's query finds the same newest conversation, closed or not.
				await expectLatestWithUnread( repository, 0 );
				await expect(
					repository.findLatestConversationWithUnread(
						'visitor-1',
						'sales'
					)
				).resolves.toBeNull();
			} );
		} );

		describe( 'assignment', () => {
			it( 'claims atomically: of two claims of an unassigned conversation exactly one wins', async () => {
				const repository = await openWithConversation();
				const [ first, second ] = await Promise.all( [
					repository.assignConversation( {
						conversationId: 'conversation-1',
						assigneeId: '7',
						teamId: null,
						expectedAssigneeId: null,
					} ),
					repository.assignConversation( {
						conversationId: 'conversation-1',
						assigneeId: '8',
						teamId: null,
						expectedAssigneeId: null,
					} ),
				] );
				expect( [ first?.changed, second?.changed ].sort() ).toEqual( [
					false,
					true,
				] );
				const winner = first?.changed ? '7' : '8';
				await expect(
					repository.findConversation( 'conversation-1' )
				).resolves.toMatchObject( { assigneeId: winner } );
				expect( second?.conversation.assigneeId ).toBe( winner );
			} );

			it( 'transfers unconditionally and to a team, never a closed conversation', async () => {
				const repository = await openWithConversation();
				const moved = await repository.assignConversation( {
					conversationId: 'conversation-1',
					assigneeId: null,
					teamId: 'team-2',
				} );
				expect( moved?.conversation ).toMatchObject( {
					assigneeId: null,
					teamId: 'team-2',
				} );
				await repository.setConversationStatus( {
					conversationId: 'conversation-1',
					status: 'closed',
					updatedAt: at( 10 ),
				} );
				const refused = await repository.assignConversation( {
					conversationId: 'conversation-1',
					assigneeId: '7',
					teamId: null,
				} );
				expect( refused?.changed ).toBe( false );
				await expect(
					repository.assignConversation( {
						conversationId: 'nope',
						assigneeId: '7',
						teamId: null,
					} )
				).resolves.toBeNull();
			} );
		} );

		describe( 'read marks and unread counts', () => {
			it( 'counts the other side’s messages after the read mark, which never goes back', async () => {
				const repository = await openWithConversation();
				for ( const [ index, author ] of [
					[ 2, 'agent' ],
					[ 3, 'agent' ],
					[ 4, 'visitor' ],
				] as const ) {
					await repository.appendMessage( {
						conversationId: 'conversation-1',
						clientId: `m${ index }`,
						author: {
							type: author,
							id: author === 'agent' ? '7' : 'visitor-1',
							name: '',
						},
						body: `message ${ index }`,
						createdAt: at( index ),
					} );
				}
				await expect(
					repository.countUnread( 'conversation-1', 'agent' )
				).resolves.toBe( 2 );
				await expect(
					repository.countUnread( 'conversation-1', 'visitor' )
				).resolves.toBe( 2 );
				// The catch-up's one query answers the same count with the conversation.
				await expectLatestWithUnread( repository, 2 );

				const read = await repository.markRead( {
					conversationId: 'conversation-1',
					reader: 'visitor',
					seq: 3,
				} );
				expect( read?.visitorReadSeq ).toBe( 3 );
				await expect(
					repository.countUnread( 'conversation-1', 'visitor' )
				).resolves.toBe( 0 );
				await expectLatestWithUnread( repository, 0 );
				const backwards = await repository.markRead( {
					conversationId: 'conversation-1',
					reader: 'visitor',
					seq: 1,
				} );
				expect( backwards?.visitorReadSeq ).toBe( 3 );
				// Never beyond the last message.
				const beyond = await repository.markRead( {
					conversationId: 'conversation-1',
					reader: 'agent',
					seq: 99,
				} );
				expect( beyond?.agentReadSeq ).toBe( 4 );
				await expect(
					repository.countUnread( 'conversation-1', 'agent' )
				).resolves.toBe( 0 );
				await expect(
					repository.markRead( {
						conversationId: 'nope',
						reader: 'agent',
						seq: 1,
					} )
				).resolves.toBeNull();
			} );

			it( 'keeps each agent’s own mark; the conversation keeps the highest', async () => {
				const repository = await openWithConversation();
				for ( const index of [ 2, 3 ] ) {
					await repository.appendMessage( {
						conversationId: 'conversation-1',
						clientId: `m${ index }`,
						author: { type: 'visitor', id: 'visitor-1', name: '' },
						body: `message ${ index }`,
						createdAt: at( index ),
					} );
				}
				const unread = ( agentId: string ) =>
					repository.countUnread(
						'conversation-1',
						'agent',
						agentId
					);
				await expect( unread( '7' ) ).resolves.toBe( 3 );
				await expect( unread( '8' ) ).resolves.toBe( 3 );

				const byAnn = await repository.markRead( {
					conversationId: 'conversation-1',
					reader: 'agent',
					seq: 2,
					agentId: '7',
				} );
				expect( byAnn?.agentReadSeq ).toBe( 2 );
				await expect( unread( '7' ) ).resolves.toBe( 1 );
				await expect( unread( '8' ) ).resolves.toBe( 3 );

				// Bob reads less: the highest mark stays Ann's; Ann's never goes back.
				const byBob = await repository.markRead( {
					conversationId: 'conversation-1',
					reader: 'agent',
					seq: 1,
					agentId: '8',
				} );
				expect( byBob?.agentReadSeq ).toBe( 2 );
				await repository.markRead( {
					conversationId: 'conversation-1',
					reader: 'agent',
					seq: 1,
					agentId: '7',
				} );
				await expect( unread( '7' ) ).resolves.toBe( 1 );
				await expect( unread( '8' ) ).resolves.toBe( 2 );
				// Without an agent: after every agent's mark.
				await expect(
					repository.countUnread( 'conversation-1', 'agent' )
				).resolves.toBe( 1 );

				// An agent's messages are never unread; beyond the last message is capped.
				await repository.appendMessage( {
					conversationId: 'conversation-1',
					clientId: 'a1',
					author: { type: 'agent', id: '7', name: 'Ann' },
					body: 'reply',
					createdAt: at( 4 ),
				} );
				await expect( unread( '8' ) ).resolves.toBe( 2 );
				const beyond = await repository.markRead( {
					conversationId: 'conversation-1',
					reader: 'agent',
					seq: 99,
					agentId: '8',
				} );
				expect( beyond?.agentReadSeq ).toBe( 4 );
				await expect( unread( '8' ) ).resolves.toBe( 0 );
				await expect(
					repository.markRead( {
						conversationId: 'nope',
						reader: 'agent',
						seq: 1,
						agentId: '8',
					} )
				).resolves.toBeNull();
			} );
		} );

		describe( 'contacts and survey', () => {
			it( 'matches contacts by e-mail trimmed and case-insensitively, and links the conversation', async () => {
				const repository = await openWithConversation();
				const created = await repository.linkContact( {
					email: ' Ann@Example.com ',
					name: 'Ann',
					newContactId: 'contact-1',
					conversationId: 'conversation-1',
					createdAt: at( 1 ),
				} );
				expect( created ).toEqual( {
					id: 'contact-1',
					email: 'Ann@Example.com',
					name: 'Ann',
					marketing: false,
					createdAt: at( 1 ),
				} );
				const again = await repository.linkContact( {
					email: 'ann@example.COM',
					name: '',
					newContactId: 'contact-2',
					conversationId: null,
					createdAt: at( 2 ),
				} );
				expect( again.id ).toBe( 'contact-1' );
				await expect(
					repository.findContact( 'contact-2' )
				).resolves.toBeNull();
				await expect(
					repository.findConversation( 'conversation-1' )
				).resolves.toMatchObject( { contactId: 'contact-1' } );
			} );

			it( 'stores one survey answer per conversation, the last one wins', async () => {
				const repository = await openWithConversation();
				await expect(
					repository.findSurveyAnswer( 'conversation-1' )
				).resolves.toBeNull();
				await repository.saveSurveyAnswer( {
					conversationId: 'conversation-1',
					rating: 2,
					comment: '',
					answeredAt: at( 1 ),
				} );
				await repository.saveSurveyAnswer( {
					conversationId: 'conversation-1',
					rating: 5,
					comment: 'Great',
					answeredAt: at( 2 ),
				} );
				await expect(
					repository.findSurveyAnswer( 'conversation-1' )
				).resolves.toEqual( {
					conversationId: 'conversation-1',
					rating: 5,
					comment: 'Great',
					answeredAt: at( 2 ),
				} );
			} );
		} );

		describe( 'configuration', () => {
			it( 'is null before WordPress sent any, and survives reopening', async () => {
				const repository = await open();
				await expect(
					repository.loadConfiguration()
				).resolves.toBeNull();
				const sent = configuration( [
					chatflow( 'a', 1 ),
					chatflow( 'b', 1 ),
				] );
				await expect(
					repository.replaceConfiguration( sent )
				).resolves.toEqual( sent );
				await repository.close();
				const reopened = await open();
				await expect( reopened.loadConfiguration() ).resolves.toEqual(
					sent
				);
			} );

			it( 'keeps the newest version of each chatflow and drops those missing from a full configuration', async () => {
				const repository = await open();
				await repository.replaceConfiguration(
					configuration( [
						chatflow( 'a', 5, 'new' ),
						chatflow( 'b', 1 ),
					] )
				);
				const stored = await repository.replaceConfiguration(
					configuration( [
						chatflow( 'a', 4, 'old' ),
						chatflow( 'c', 1 ),
					] )
				);
				expect(
					stored.chatflows.map( ( flow ) => [ flow.id, flow.name ] )
				).toEqual( [
					[ 'a', 'new' ],
					[ 'c', 'Chatflow c' ],
				] );

				await expect(
					repository.saveChatflow( chatflow( 'a', 3, 'older' ) )
				).resolves.toBe( false );
				await expect(
					repository.saveChatflow( chatflow( 'a', 6, 'newer' ) )
				).resolves.toBe( true );
				await expect(
					repository.saveChatflow( chatflow( 'd', 1 ) )
				).resolves.toBe( true );
				await expect( repository.deleteChatflow( 'c' ) ).resolves.toBe(
					true
				);
				await expect( repository.deleteChatflow( 'c' ) ).resolves.toBe(
					false
				);
				const loaded = await repository.loadConfiguration();
				expect(
					loaded?.chatflows.map( ( flow ) => [ flow.id, flow.name ] )
				).toEqual( [
					[ 'a', 'newer' ],
					[ 'd', 'Chatflow d' ],
				] );
				expect( loaded?.agents[ 0 ].capacity ).toBe( 3 );
			} );
		} );

		describe( 'pending notifications', () => {
			it( 'hands out due notifications, postpones failures and forgets deliveries', async () => {
				const repository = await open();
				await repository.enqueueNotification( {
					id: 'n1',
					notification: NOTIFICATION,
					createdAt: at( 0 ),
				} );
				await repository.enqueueNotification( {
					id: 'n1',
					notification: NOTIFICATION,
					createdAt: at( 1 ),
				} );
				const due = await repository.listDueNotifications(
					at( 0 ),
					10
				);
				expect( due ).toEqual( [
					{
						id: 'n1',
						notification: NOTIFICATION,
						attempts: 0,
						nextAttemptAt: at( 0 ),
						createdAt: at( 0 ),
						digestKey: null,
					},
				] );
				await repository.postponeNotification( 'n1', at( 60 ) );
				await expect(
					repository.listDueNotifications( at( 59 ), 10 )
				).resolves.toEqual( [] );
				await expect(
					repository.listDueNotifications( at( 60 ), 10 )
				).resolves.toMatchObject( [ { id: 'n1', attempts: 1 } ] );
				await repository.completeNotification( 'n1' );
				await expect(
					repository.listDueNotifications( at( 999 ), 10 )
				).resolves.toEqual( [] );
			} );

			it( 'holds notifications for a digest until it is due, and never hands out failed ones', async () => {
				const repository = await open();
				for ( const [ id, key, second ] of [
					[ 'h2', 'support:7:', 2 ],
					[ 'h1', 'support:7:', 1 ],
					[ 'other', 'sales:7:', 3 ],
				] as const ) {
					await repository.enqueueNotification( {
						id,
						notification: NOTIFICATION,
						createdAt: at( second ),
						nextAttemptAt: at( 900 ),
						digestKey: key,
					} );
				}
				await repository.enqueueNotification( {
					id: 'alone',
					notification: NOTIFICATION,
					createdAt: at( 4 ),
				} );
				await expect(
					repository.listDueNotifications( at( 899 ), 10 )
				).resolves.toMatchObject( [
					{ id: 'alone', digestKey: null },
				] );
				await expect(
					repository.listDueNotifications( at( 900 ), 10 )
				).resolves.toHaveLength( 4 );
				const held = await repository.listDigestNotifications(
					'support:7:',
					10
				);
				expect( held ).toEqual( [
					{
						id: 'h1',
						notification: NOTIFICATION,
						attempts: 0,
						nextAttemptAt: at( 900 ),
						createdAt: at( 1 ),
						digestKey: 'support:7:',
					},
					expect.objectContaining( { id: 'h2' } ),
				] );

				await repository.failNotification( 'h1', at( 901 ) );
				await repository.failNotification( 'alone', at( 901 ) );
				expect(
					(
						await repository.listDueNotifications( at( 999 ), 10 )
					).map( ( pending ) => pending.id )
				).toEqual( [ 'h2', 'other' ] );
				expect(
					(
						await repository.listDigestNotifications(
							'support:7:',
							10
						)
					).map( ( pending ) => pending.id )
				).toEqual( [ 'h2' ] );
			} );
		} );
	} );
}
