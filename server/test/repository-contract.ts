/**
 * The behaviour every ChatRepository must have, as one suite that each
 * database's test file runs with its own factory:
 *
 *     describeRepository( 'SQLite', async () => sqliteTestDatabase() );
 *
 * New repository methods get their tests here, so SQLite and PostgreSQL stay
 * in step.
 */
import { describeDomainRepository } from './repository-domain';
import { describeInboxRepository } from './repository-inbox';
import { describePrivacyRepository } from './repository-privacy';
import { describeQueueRepository } from './repository-queue';
import type {
	AppendVisitorMessageInput,
	ChatRepository,
} from '../src/repository/types';

/** One empty database that a test may open (and reopen after closing). */
export interface TestDatabase {
	/** Opens a repository on this database; the schema is created or migrated. */
	open: () => Promise< ChatRepository >;
	/** Removes the database; repositories opened on it are closed first by the suite. */
	drop: () => Promise< void >;
}

/** Creates a fresh, empty database for one test. */
export type TestDatabaseFactory = () => Promise< TestDatabase >;

const T0 = Date.parse( '2026-03-01T10:00:00.000Z' );

/**
 * An ISO timestamp some seconds after a fixed instant, so ordering never
 * depends on the machine's clock.
 *
 * @param seconds Seconds after the fixed instant.
 */
export function at( seconds: number ): string {
	return new Date( T0 + seconds * 1000 ).toISOString();
}

/**
 * A visitor's message with sensible defaults.
 *
 * @param overrides Fields to change.
 */
export function visitorMessage(
	overrides: Partial< AppendVisitorMessageInput > = {}
): AppendVisitorMessageInput {
	const visitorId = overrides.visitorId ?? 'visitor-1';
	return {
		visitorId,
		chatflowId: 'support',
		newConversationId: 'conversation-1',
		pageUrl: 'http://localhost:8888/pricing/',
		clientId: 'c1',
		author: { type: 'visitor', id: visitorId, name: '' },
		body: 'Hello',
		createdAt: at( 0 ),
		...overrides,
	};
}

/**
 * Registers the shared repository suite.
 *
 * @param name           Database name, shown in test names.
 * @param createDatabase Makes a fresh database per test.
 */
export function describeRepository(
	name: string,
	createDatabase: TestDatabaseFactory
): void {
	describe( `${ name } repository`, () => {
		let database: TestDatabase;
		const opened: ChatRepository[] = [];

		/** Opens the test's database; the suite closes it afterwards. */
		const open = async (): Promise< ChatRepository > => {
			const repository = await database.open();
			opened.push( repository );
			return repository;
		};

		/**
		 * Opens the database with visitor-1 (and more visitors) created.
		 * @param {...any} ids
		 */
		const openWithVisitors = async (
			...ids: string[]
		): Promise< ChatRepository > => {
			const repository = await open();
			for ( const id of [ 'visitor-1', ...ids ] ) {
				await repository.createVisitor( {
					id,
					sessionHash: `hash-${ id }`,
					createdAt: at( 0 ),
				} );
			}
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

		describe( 'visitors', () => {
			it( 'finds a visitor by the hash of their session', async () => {
				const repository = await open();
				const visitor = {
					id: 'visitor-1',
					sessionHash: 'a'.repeat( 64 ),
					createdAt: at( 0 ),
				};
				await repository.createVisitor( visitor );
				await expect(
					repository.findVisitorBySessionHash( 'a'.repeat( 64 ) )
				).resolves.toEqual( visitor );
				await expect(
					repository.findVisitorBySessionHash( 'b'.repeat( 64 ) )
				).resolves.toBeNull();
			} );

			it( 'refuses a second visitor with the same session hash', async () => {
				const repository = await openWithVisitors();
				await expect(
					repository.createVisitor( {
						id: 'visitor-2',
						sessionHash: 'hash-visitor-1',
						createdAt: at( 1 ),
					} )
					// Not toThrow(): a native driver's error class may come from another realm.
				).rejects.toBeTruthy();
				await expect(
					repository.findVisitorBySessionHash( 'hash-visitor-1' )
				).resolves.toMatchObject( { id: 'visitor-1' } );
			} );
		} );

		describe( 'visitor messages', () => {
			it( 'opens a conversation with the first message, numbered from 1', async () => {
				const repository = await openWithVisitors();
				const result =
					await repository.appendVisitorMessage( visitorMessage() );
				expect( result.created ).toBe( true );
				expect( result.conversationCreated ).toBe( true );
				expect( result.conversation ).toEqual( {
					id: 'conversation-1',
					visitorId: 'visitor-1',
					chatflowId: 'support',
					status: 'open',
					pageUrl: 'http://localhost:8888/pricing/',
					createdAt: at( 0 ),
					updatedAt: at( 0 ),
					lastSeq: 1,
					assigneeId: null,
					teamId: null,
					contactId: null,
					agentReadSeq: 0,
					visitorReadSeq: 0,
				} );
				expect( result.message ).toEqual( {
					conversationId: 'conversation-1',
					seq: 1,
					clientId: 'c1',
					authorType: 'visitor',
					authorName: '',
					body: 'Hello',
					createdAt: at( 0 ),
				} );
				expect( result.author ).toEqual( {
					type: 'visitor',
					id: 'visitor-1',
					name: '',
				} );
			} );

			it( 'adds later messages to the open conversation without gaps', async () => {
				const repository = await openWithVisitors();
				await repository.appendVisitorMessage( visitorMessage() );
				const second = await repository.appendVisitorMessage(
					visitorMessage( {
						clientId: 'c2',
						body: 'Still there?',
						newConversationId: 'unused',
						createdAt: at( 5 ),
					} )
				);
				expect( second.conversationCreated ).toBe( false );
				expect( second.conversation.id ).toBe( 'conversation-1' );
				expect( second.conversation.updatedAt ).toBe( at( 5 ) );
				expect( second.message.seq ).toBe( 2 );
				await expect(
					repository.findConversation( 'unused' )
				).resolves.toBeNull();
			} );

			it( 'stores a repeated client id once and returns the stored message', async () => {
				const repository = await openWithVisitors();
				const first =
					await repository.appendVisitorMessage( visitorMessage() );
				const repeat = await repository.appendVisitorMessage(
					visitorMessage( { body: 'changed', createdAt: at( 9 ) } )
				);
				expect( repeat.created ).toBe( false );
				expect( repeat.message ).toEqual( first.message );
				await expect(
					repository.listMessages( 'conversation-1', 0 )
				).resolves.toEqual( [ first.message ] );
			} );

			it( 'keeps conversations of different chatflows and visitors apart', async () => {
				const repository = await openWithVisitors( 'visitor-2' );
				const a =
					await repository.appendVisitorMessage( visitorMessage() );
				const b = await repository.appendVisitorMessage(
					visitorMessage( {
						chatflowId: 'sales',
						newConversationId: 'conversation-2',
					} )
				);
				const c = await repository.appendVisitorMessage(
					visitorMessage( {
						visitorId: 'visitor-2',
						newConversationId: 'conversation-3',
					} )
				);
				expect(
					[ a, b, c ].map( ( r ) => [
						r.conversation.id,
						r.message.seq,
					] )
				).toEqual( [
					[ 'conversation-1', 1 ],
					[ 'conversation-2', 1 ],
					[ 'conversation-3', 1 ],
				] );
				await expect(
					repository.findOpenConversation( 'visitor-1', 'sales' )
				).resolves.toMatchObject( { id: 'conversation-2' } );
				await expect(
					repository.findOpenConversation( 'visitor-2', 'sales' )
				).resolves.toBeNull();
			} );

			it( 'opens one conversation for concurrent first messages', async () => {
				const repository = await openWithVisitors();
				const results = await Promise.all(
					[ 'a', 'b', 'c' ].map( ( clientId, i ) =>
						repository.appendVisitorMessage(
							visitorMessage( {
								clientId,
								body: clientId,
								newConversationId: `conversation-${ i }`,
							} )
						)
					)
				);
				expect(
					new Set( results.map( ( r ) => r.conversation.id ) ).size
				).toBe( 1 );
				expect(
					results.filter( ( r ) => r.conversationCreated )
				).toHaveLength( 1 );
				expect( results.map( ( r ) => r.message.seq ).sort() ).toEqual(
					[ 1, 2, 3 ]
				);
			} );

			it( 'numbers concurrent messages without gaps or repeats', async () => {
				const repository = await openWithVisitors();
				await repository.appendVisitorMessage( visitorMessage() );
				const results = await Promise.all(
					Array.from( { length: 20 }, ( _, i ) =>
						repository.appendMessage( {
							conversationId: 'conversation-1',
							clientId: `burst-${ i }`,
							author: { type: 'agent', id: '7', name: 'Alice' },
							body: `reply ${ i }`,
							createdAt: at( 1 ),
						} )
					)
				);
				const seqs = results
					.map( ( r ) => r?.message.seq ?? 0 )
					.sort( ( x, y ) => x - y );
				expect( seqs ).toEqual(
					Array.from( { length: 20 }, ( _, i ) => i + 2 )
				);
			} );
		} );

		describe( 'replies only into an open conversation', () => {
			it( 'stores a reply in the open conversation, numbered onwards', async () => {
				const repository = await openWithVisitors();
				await repository.appendVisitorMessage( visitorMessage() );
				const reply = await repository.appendToOpenConversation(
					visitorMessage( {
						clientId: 'c2',
						body: 'Still there?',
						newConversationId: 'unused',
						createdAt: at( 5 ),
					} )
				);
				expect( reply ).toMatchObject( {
					created: true,
					conversationCreated: false,
					conversation: { id: 'conversation-1', updatedAt: at( 5 ) },
					message: { seq: 2, body: 'Still there?' },
				} );
				expect( reply?.conversationReopened ).toBeFalsy();
				const repeat = await repository.appendToOpenConversation(
					visitorMessage( { clientId: 'c2', body: 'changed' } )
				);
				expect( repeat?.created ).toBe( false );
				expect( repeat?.message ).toEqual( reply?.message );
			} );

			it( 'resolves null and writes nothing without an open conversation', async () => {
				const repository = await openWithVisitors();
				await expect(
					repository.appendToOpenConversation( visitorMessage() )
				).resolves.toBeNull();
				await expect(
					repository.findLatestConversation( 'visitor-1', 'support' )
				).resolves.toBeNull();
				await repository.appendVisitorMessage( visitorMessage() );
				await repository.setConversationStatus( {
					conversationId: 'conversation-1',
					status: 'closed',
					updatedAt: at( 2 ),
				} );
				await expect(
					repository.appendToOpenConversation(
						visitorMessage( { clientId: 'c2', createdAt: at( 3 ) } )
					)
				).resolves.toBeNull();
				await expect(
					repository.findConversation( 'conversation-1' )
				).resolves.toMatchObject( { status: 'closed' } );
				await expect(
					repository.listMessages( 'conversation-1', 0 )
				).resolves.toHaveLength( 1 );
			} );
		} );

		describe( 'messages in a known conversation', () => {
			it( 'appends an agent reply with its author', async () => {
				const repository = await openWithVisitors();
				await repository.appendVisitorMessage( visitorMessage() );
				const reply = await repository.appendMessage( {
					conversationId: 'conversation-1',
					clientId: 'a1',
					author: { type: 'agent', id: '7', name: 'Alice Agent' },
					body: 'Hi, how can I help?',
					createdAt: at( 3 ),
				} );
				expect( reply?.created ).toBe( true );
				expect( reply?.message ).toMatchObject( {
					seq: 2,
					authorType: 'agent',
					authorName: 'Alice Agent',
				} );
				expect( reply?.author ).toEqual( {
					type: 'agent',
					id: '7',
					name: 'Alice Agent',
				} );
			} );

			it( 'reports the original author when another reuses a client id', async () => {
				const repository = await openWithVisitors();
				await repository.appendVisitorMessage( visitorMessage() );
				const reuse = await repository.appendMessage( {
					conversationId: 'conversation-1',
					clientId: 'c1',
					author: { type: 'agent', id: '7', name: 'Alice' },
					body: 'not stored',
					createdAt: at( 3 ),
				} );
				expect( reuse?.created ).toBe( false );
				expect( reuse?.author ).toEqual( {
					type: 'visitor',
					id: 'visitor-1',
					name: '',
				} );
			} );

			it( 'resolves null for an unknown conversation and writes nothing', async () => {
				const repository = await openWithVisitors();
				await expect(
					repository.appendMessage( {
						conversationId: 'missing',
						clientId: 'a1',
						author: { type: 'agent', id: '7', name: 'Alice' },
						body: 'nobody',
						createdAt: at( 1 ),
					} )
				).resolves.toBeNull();
				await expect(
					repository.listMessages( 'missing', 0 )
				).resolves.toEqual( [] );
			} );

			it( 'lists exactly the messages after a seq, in order', async () => {
				const repository = await openWithVisitors();
				for ( let i = 1; i <= 5; i++ ) {
					await repository.appendVisitorMessage(
						visitorMessage( {
							clientId: `c${ i }`,
							body: `m${ i }`,
							createdAt: at( i ),
						} )
					);
				}
				const after = await repository.listMessages(
					'conversation-1',
					2
				);
				expect( after.map( ( m ) => [ m.seq, m.body ] ) ).toEqual( [
					[ 3, 'm3' ],
					[ 4, 'm4' ],
					[ 5, 'm5' ],
				] );
				await expect(
					repository.listMessages( 'conversation-1', 5 )
				).resolves.toEqual( [] );
			} );

			it( 'keeps text exactly as sent, markup and emoji included', async () => {
				const repository = await openWithVisitors();
				const body =
					'<img src=x onerror=alert(1)> \'quotes\' "and" 😀 \\ %';
				await repository.appendVisitorMessage(
					visitorMessage( { body } )
				);
				const [ stored ] = await repository.listMessages(
					'conversation-1',
					0
				);
				expect( stored.body ).toBe( body );
			} );
		} );

		describe( 'the inbox', () => {
			it( 'lists conversations most recently updated first, each with its newest message', async () => {
				const repository = await openWithVisitors( 'visitor-2' );
				await repository.appendVisitorMessage( visitorMessage() );
				await repository.appendVisitorMessage(
					visitorMessage( {
						visitorId: 'visitor-2',
						newConversationId: 'conversation-2',
						createdAt: at( 10 ),
					} )
				);
				await repository.appendVisitorMessage(
					visitorMessage( {
						clientId: 'c2',
						body: 'newest',
						createdAt: at( 20 ),
					} )
				);
				const list = await repository.listConversations( {
					limit: 10,
				} );
				expect( list.map( ( c ) => c.id ) ).toEqual( [
					'conversation-1',
					'conversation-2',
				] );
				expect( list[ 0 ] ).toEqual( {
					id: 'conversation-1',
					chatflowId: 'support',
					status: 'open',
					createdAt: at( 0 ),
					visitorId: 'visitor-1',
					pageUrl: 'http://localhost:8888/pricing/',
					assigneeId: null,
					teamId: null,
					unreadCount: 2,
					updatedAt: at( 20 ),
					lastMessage: {
						conversationId: 'conversation-1',
						seq: 2,
						clientId: 'c2',
						authorType: 'visitor',
						authorName: '',
						body: 'newest',
						createdAt: at( 20 ),
					},
				} );
				await expect(
					repository.listConversations( { limit: 1 } )
				).resolves.toHaveLength( 1 );
				await expect(
					repository.getConversationSummary( 'conversation-2' )
				).resolves.toEqual( list[ 1 ] );
				await expect(
					repository.getConversationSummary( 'missing' )
				).resolves.toBeNull();
			} );
		} );

		describe( 'durability', () => {
			it( 'keeps everything after closing and opening again, numbering onwards', async () => {
				const first = await openWithVisitors();
				const stored =
					await first.appendVisitorMessage( visitorMessage() );
				await first.close();

				const second = await open();
				await expect(
					second.findVisitorBySessionHash( 'hash-visitor-1' )
				).resolves.toMatchObject( { id: 'visitor-1' } );
				await expect(
					second.listMessages( 'conversation-1', 0 )
				).resolves.toEqual( [ stored.message ] );
				const next = await second.appendVisitorMessage(
					visitorMessage( { clientId: 'c2', createdAt: at( 1 ) } )
				);
				expect( next.message.seq ).toBe( 2 );
			} );

			it( 'closes more than once without failing', async () => {
				const repository = await open();
				await repository.close();
				await expect( repository.close() ).resolves.toBeUndefined();
			} );
		} );
	} );
	describeDomainRepository( name, createDatabase );
	describeInboxRepository( name, createDatabase );
	describePrivacyRepository( name, createDatabase );
	describeQueueRepository( name, createDatabase );
}
