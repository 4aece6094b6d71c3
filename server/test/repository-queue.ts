/**
 * The assignment queue's part of the shared repository suite: the waiting
 * conversations, the agents' open counts and one conversation's place, each
 * compared with what `listOpenConversations` says. `describeRepository`
 * runs it for every database.
 */
import type { ChatRepository } from '../src/repository/types';
import type { TestDatabase, TestDatabaseFactory } from './repository-contract';

const T0 = Date.parse( '2026-03-01T10:00:00.000Z' );

function at( seconds: number ): string {
	return new Date( T0 + seconds * 1000 ).toISOString();
}

/**
 * Registers the queue tests.
 *
 * @param name           Database name, shown in test names.
 * @param createDatabase Makes a fresh database per test.
 */
export function describeQueueRepository(
	name: string,
	createDatabase: TestDatabaseFactory
): void {
	describe( `${ name } repository: assignment queue`, () => {
		let database: TestDatabase;
		let repository: ChatRepository;

		/**
		 * Opens a conversation for a new visitor.
		 *
		 * @param id         Conversation (and visitor) number.
		 * @param chatflowId Chatflow.
		 * @param seconds    When it opens (several may share an instant).
		 */
		const openConversation = async (
			id: number,
			chatflowId: string,
			seconds: number
		): Promise< void > => {
			await repository.createVisitor( {
				id: `visitor-${ id }`,
				sessionHash: `hash-${ id }`,
				createdAt: at( 0 ),
			} );
			await repository.appendVisitorMessage( {
				visitorId: `visitor-${ id }`,
				chatflowId,
				newConversationId: `conversation-${ id }`,
				pageUrl: '',
				clientId: 'c1',
				author: { type: 'visitor', id: `visitor-${ id }`, name: '' },
				body: 'Hello',
				createdAt: at( seconds ),
			} );
		};

		const assign = ( id: number, assigneeId: string ) =>
			repository.assignConversation( {
				conversationId: `conversation-${ id }`,
				assigneeId,
				teamId: null,
			} );

		beforeEach( async () => {
			database = await createDatabase();
			repository = await database.open();
			// Out of time order, and three in the same instant: the order
			// is by opening time, then by insertion.
			await openConversation( 1, 'support', 10 );
			await openConversation( 2, 'sales', 5 );
			await openConversation( 3, 'support', 20 );
			await openConversation( 4, 'support', 20 );
			await openConversation( 5, 'sales', 20 );
			await openConversation( 6, 'support', 20 );
			await openConversation( 7, 'support', 30 );
		} );

		afterEach( async () => {
			await repository.close();
			await database.drop();
		} );

		it( 'lists the waiting conversations in the order of the open ones', async () => {
			await assign( 4, '7' );
			await repository.setConversationStatus( {
				conversationId: 'conversation-7',
				status: 'closed',
				updatedAt: at( 40 ),
			} );
			const open = await repository.listOpenConversations();
			const waiting = await repository.listWaitingConversations();
			expect( waiting.map( ( c ) => c.id ) ).toEqual( [
				'conversation-2',
				'conversation-1',
				'conversation-3',
				'conversation-5',
				'conversation-6',
			] );
			expect( waiting ).toEqual(
				open.filter( ( c ) => c.assigneeId === null )
			);
		} );

		it( 'counts open conversations per assignee, closed ones left out', async () => {
			await expect( repository.countOpenByAssignee() ).resolves.toEqual(
				[]
			);
			await assign( 1, '7' );
			await assign( 3, '7' );
			await assign( 5, '8' );
			await assign( 6, '7' );
			await repository.setConversationStatus( {
				conversationId: 'conversation-6',
				status: 'closed',
				updatedAt: at( 40 ),
			} );
			const counts = await repository.countOpenByAssignee();
			expect(
				[ ...counts ].sort( ( a, b ) =>
					a.userId.localeCompare( b.userId )
				)
			).toEqual( [
				{ userId: '7', open: 2 },
				{ userId: '8', open: 1 },
			] );
		} );

		it( 'gives a waiting conversation its place in its chatflow’s queue, as the open list orders it', async () => {
			await assign( 3, '7' );
			const places: Record< string, unknown > = {};
			for ( let id = 1; id <= 7; id++ ) {
				places[ id ] = await repository.findQueuePlace(
					`conversation-${ id }`
				);
			}
			// support waits: 1, 4, 6, 7 (3 is assigned); sales: 2, 5.
			expect( places ).toEqual( {
				1: { place: 1, waiting: 4 },
				2: { place: 1, waiting: 2 },
				3: null,
				4: { place: 2, waiting: 4 },
				5: { place: 2, waiting: 2 },
				6: { place: 3, waiting: 4 },
				7: { place: 4, waiting: 4 },
			} );
			// The same places as counting through the open list.
			const counted = new Map< string, number >();
			for ( const conversation of await repository.listOpenConversations() ) {
				if ( conversation.assigneeId !== null ) {
					continue;
				}
				const place =
					( counted.get( conversation.chatflowId ) ?? 0 ) + 1;
				counted.set( conversation.chatflowId, place );
				expect(
					await repository.findQueuePlace( conversation.id )
				).toMatchObject( { place } );
			}
			await repository.setConversationStatus( {
				conversationId: 'conversation-1',
				status: 'closed',
				updatedAt: at( 40 ),
			} );
			await expect(
				repository.findQueuePlace( 'conversation-1' )
			).resolves.toBeNull();
			await expect(
				repository.findQueuePlace( 'conversation-6' )
			).resolves.toEqual( { place: 2, waiting: 3 } );
			await expect(
				repository.findQueuePlace( 'no-such-conversation' )
			).resolves.toBeNull();
		} );
	} );
}
