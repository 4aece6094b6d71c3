/**
 * The inbox's part of the shared repository suite: views and counts, the
 * order by longest wait, search, scoping, earlier conversations, visitor
 * context and ticket edits. `describeRepository` runs it for every database.
 */
import type { ChatRepository, InboxListInput } from '../src/repository/types';
import type { TestDatabase, TestDatabaseFactory } from './repository-contract';

const T0 = Date.parse( '2026-03-01T10:00:00.000Z' );

function at( seconds: number ): string {
	return new Date( T0 + seconds * 1000 ).toISOString();
}

const TICKET = {
	pipeline: 'support',
	status: 'new',
	priority: 'medium' as const,
	category: '',
	offline: false,
};

const NO_SCOPE = { hiddenChatflowIds: [], teamIds: [] };

/**
 * Registers the inbox suite.
 *
 * @param name           Database name, shown in test names.
 * @param createDatabase Makes a fresh database per test.
 */
export function describeInboxRepository(
	name: string,
	createDatabase: TestDatabaseFactory
): void {
	describe( `${ name } repository: inbox`, () => {
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

		const open = async (): Promise< ChatRepository > => {
			const repository = await database.open();
			opened.push( repository );
			return repository;
		};

		/**
		 * A visitor writes at a second; opens their conversation when needed.
		 * @param repository
		 * @param visitor
		 * @param seconds
		 * @param body
		 * @param chatflowId
		 */
		const visitorWrites = async (
			repository: ChatRepository,
			visitor: string,
			seconds: number,
			body: string,
			chatflowId = 'support'
		): Promise< string > => {
			const result = await repository.appendVisitorMessage( {
				visitorId: visitor,
				chatflowId,
				newConversationId: `conversation-${ visitor }-${ chatflowId }`,
				pageUrl: 'http://localhost:8888/pricing/',
				clientId: `v-${ seconds }`,
				author: { type: 'visitor', id: visitor, name: '' },
				body,
				createdAt: at( seconds ),
				ticket: {
					...TICKET,
					id: `ticket-${ visitor }-${ chatflowId }`,
				},
			} );
			return result.conversation.id;
		};

		const agentWrites = async (
			repository: ChatRepository,
			conversationId: string,
			seconds: number
		): Promise< void > => {
			await repository.appendMessage( {
				conversationId,
				clientId: `a-${ seconds }`,
				author: { type: 'agent', id: '7', name: 'Ann' },
				body: 'An answer',
				createdAt: at( seconds ),
			} );
		};

		const withVisitors = async (
			...ids: string[]
		): Promise< ChatRepository > => {
			const repository = await open();
			for ( const id of ids ) {
				await repository.createVisitor( {
					id,
					sessionHash: `hash-${ id }`,
					createdAt: at( 0 ),
				} );
			}
			return repository;
		};

		const list = (
			repository: ChatRepository,
			input: Partial< InboxListInput > = {}
		) =>
			repository.listInbox( {
				userId: '7',
				scope: NO_SCOPE,
				view: 'open',
				search: '',
				limit: 200,
				...input,
			} );

		it( 'lists those waiting longest for an answer first, then the most recently active', async () => {
			const repository = await withVisitors( 'a', 'b', 'c' );
			const a = await visitorWrites( repository, 'a', 10, 'first' );
			const b = await visitorWrites( repository, 'b', 5, 'earlier' );
			const c = await visitorWrites( repository, 'c', 20, 'later' );
			// b is answered: it waits no more, however early it started.
			await agentWrites( repository, b, 30 );
			// a writes again: still waiting since its first unanswered message.
			await visitorWrites( repository, 'a', 40, 'hello?' );

			const { conversations } = await list( repository );
			expect(
				conversations.map( ( conversation ) => [
					conversation.id,
					conversation.waitingSince,
				] )
			).toEqual( [
				[ a, at( 10 ) ],
				[ c, at( 20 ) ],
				[ b, null ],
			] );
		} );

		it( 'counts each view and lists unassigned, mine, open and closed', async () => {
			const repository = await withVisitors( 'a', 'b', 'c', 'd' );
			const a = await visitorWrites( repository, 'a', 1, 'one' );
			const b = await visitorWrites( repository, 'b', 2, 'two' );
			await visitorWrites( repository, 'c', 3, 'three' );
			const d = await visitorWrites( repository, 'd', 4, 'four' );
			await repository.assignConversation( {
				conversationId: a,
				assigneeId: '7',
				teamId: null,
			} );
			await repository.assignConversation( {
				conversationId: b,
				assigneeId: '8',
				teamId: null,
			} );
			await repository.setConversationStatus( {
				conversationId: d,
				status: 'closed',
				updatedAt: at( 50 ),
			} );

			const ids = async ( view: InboxListInput[ 'view' ] ) =>
				( await list( repository, { view } ) ).conversations.map(
					( conversation ) => conversation.id
				);
			expect( ( await list( repository ) ).counts ).toEqual( {
				unassigned: 1,
				mine: 1,
				open: 3,
				closed: 1,
			} );
			expect( await ids( 'mine' ) ).toEqual( [ a ] );
			expect( await ids( 'unassigned' ) ).toEqual( [
				'conversation-c-support',
			] );
			expect( await ids( 'closed' ) ).toEqual( [ d ] );
			expect( ( await ids( 'open' ) ).sort() ).toEqual(
				[ a, b, 'conversation-c-support' ].sort()
			);
		} );

		it( 'searches the visitor’s e-mail and the messages’ text, case-insensitively and literally', async () => {
			const repository = await withVisitors( 'a', 'b', 'c' );
			const a = await visitorWrites(
				repository,
				'a',
				1,
				'My INVOICE is wrong'
			);
			const b = await visitorWrites( repository, 'b', 2, 'Hello' );
			await visitorWrites( repository, 'c', 3, 'Got 100% off?' );
			await repository.linkContact( {
				email: 'Bob@Example.com',
				name: 'Bob',
				newContactId: 'contact-b',
				conversationId: b,
				createdAt: at( 3 ),
			} );

			const search = async ( text: string ) =>
				(
					await list( repository, { search: text } )
				).conversations.map( ( conversation ) => conversation.id );
			expect( await search( 'invoice' ) ).toEqual( [ a ] );
			expect( await search( 'bob@example' ) ).toEqual( [ b ] );
			// Wildcards are matched as themselves.
			expect( await search( '0%' ) ).toEqual( [
				'conversation-c-support',
			] );
			expect( await search( '_' ) ).toEqual( [] );
			const found = await list( repository, { search: 'bob@' } );
			expect( found.counts ).toEqual( {
				unassigned: 1,
				mine: 0,
				open: 1,
				closed: 0,
			} );
			expect( found.conversations[ 0 ] ).toMatchObject( {
				visitorEmail: 'Bob@Example.com',
				visitorName: 'Bob',
			} );
		} );

		it( 'hides other inboxes’ conversations unless routed to the agent’s team or assigned to them', async () => {
			const repository = await withVisitors( 'a', 'b', 'c', 'd' );
			await visitorWrites( repository, 'a', 1, 'mine', 'support' );
			const hidden = await visitorWrites(
				repository,
				'b',
				2,
				'x',
				'sales'
			);
			const team = await visitorWrites(
				repository,
				'c',
				3,
				'y',
				'sales'
			);
			const assigned = await visitorWrites(
				repository,
				'd',
				4,
				'z',
				'sales'
			);
			await repository.assignConversation( {
				conversationId: team,
				assigneeId: null,
				teamId: 'team-1',
			} );
			await repository.assignConversation( {
				conversationId: assigned,
				assigneeId: '7',
				teamId: null,
			} );

			const result = await list( repository, {
				scope: {
					hiddenChatflowIds: [ 'sales' ],
					teamIds: [ 'team-1' ],
				},
			} );
			const ids = result.conversations.map(
				( conversation ) => conversation.id
			);
			expect( ids ).not.toContain( hidden );
			expect( ids ).toEqual(
				expect.arrayContaining( [
					'conversation-a-support',
					team,
					assigned,
				] )
			);
			expect( result.counts.open ).toBe( 3 );
		} );

		it( 'finds the same visitor’s and contact’s earlier conversations', async () => {
			const repository = await withVisitors( 'a', 'b', 'c' );
			const first = await visitorWrites(
				repository,
				'a',
				1,
				'one',
				'support'
			);
			const second = await visitorWrites(
				repository,
				'a',
				2,
				'two',
				'sales'
			);
			const otherBrowser = await visitorWrites(
				repository,
				'b',
				3,
				'three'
			);
			await visitorWrites( repository, 'c', 4, 'stranger' );
			for ( const conversationId of [ second, otherBrowser ] ) {
				await repository.linkContact( {
					email: 'ann@example.com',
					name: '',
					newContactId: 'contact-ann',
					conversationId,
					createdAt: at( 5 ),
				} );
			}

			const related = await repository.listRelatedConversations( {
				conversationId: second,
				visitorId: 'a',
				contactId: 'contact-ann',
				limit: 20,
			} );
			expect(
				related.map( ( conversation ) => conversation.id )
			).toEqual( [ otherBrowser, first ] );
			const byVisitorOnly = await repository.listRelatedConversations( {
				conversationId: first,
				visitorId: 'a',
				contactId: null,
				limit: 20,
			} );
			expect(
				byVisitorOnly.map( ( conversation ) => conversation.id )
			).toEqual( [ second ] );
		} );

		it( 'keeps the start page and moves the current page of open conversations', async () => {
			const repository = await withVisitors( 'a' );
			const id = await visitorWrites( repository, 'a', 1, 'hi' );
			const context = {
				conversationId: id,
				startPageUrl: 'http://localhost:8888/pricing/',
				startPageTitle: 'Pricing',
				currentPageUrl: 'http://localhost:8888/pricing/',
				currentPageTitle: 'Pricing',
				referrer: 'https://search.example/?q=chat',
				timeZone: 'Europe/Copenhagen',
				language: 'da-dk',
				deviceType: 'mobile',
				updatedAt: at( 1 ),
			};
			await repository.saveConversationContext( context );
			const move = ( url: string, title: string, seconds: number ) =>
				repository.moveCurrentPage( {
					visitorId: 'a',
					chatflowId: 'support',
					url,
					title,
					updatedAt: at( seconds ),
				} );
			await expect(
				move( 'http://localhost:8888/contact/', 'Contact', 2 )
			).resolves.toBe( 1 );
			const moved = {
				...context,
				currentPageUrl: 'http://localhost:8888/contact/',
				currentPageTitle: 'Contact',
				updatedAt: at( 2 ),
			};
			await expect(
				repository.findConversationContext( id )
			).resolves.toEqual( moved );
			// The same page again (a reconnection): nothing written.
			await expect(
				move( 'http://localhost:8888/contact/', 'Contact', 3 )
			).resolves.toBe( 0 );
			await expect(
				repository.findConversationContext( id )
			).resolves.toEqual( moved );
			// Only the title changed: that is a move too.
			await expect(
				move( 'http://localhost:8888/contact/', 'Contact us', 3 )
			).resolves.toBe( 1 );
			await expect(
				repository.findConversationContext( id )
			).resolves.toMatchObject( {
				currentPageTitle: 'Contact us',
				updatedAt: at( 3 ),
			} );
			// On a chatflow where the visitor has no open conversation: nothing moves.
			await expect(
				repository.moveCurrentPage( {
					visitorId: 'a',
					chatflowId: 'sales',
					url: 'http://localhost:8888/sales/',
					title: 'Sales',
					updatedAt: at( 3 ),
				} )
			).resolves.toBe( 0 );
			await expect(
				repository.findConversationContext( id )
			).resolves.toMatchObject( {
				currentPageUrl: 'http://localhost:8888/contact/',
			} );

			await repository.setConversationStatus( {
				conversationId: id,
				status: 'closed',
				updatedAt: at( 3 ),
			} );
			await expect(
				move( 'http://localhost:8888/elsewhere/', 'Elsewhere', 4 )
			).resolves.toBe( 0 );
			await expect(
				repository.findConversationContext( id )
			).resolves.toMatchObject( {
				currentPageUrl: 'http://localhost:8888/contact/',
			} );
			await expect(
				repository.findConversationContext( 'nope' )
			).resolves.toBeNull();
		} );

		it( 'changes only the ticket properties given', async () => {
			const repository = await withVisitors( 'a' );
			const id = await visitorWrites( repository, 'a', 1, 'hi' );
			const updated = await repository.updateTicket( {
				conversationId: id,
				properties: { priority: 'urgent', category: 'billing' },
				updatedAt: at( 9 ),
			} );
			expect( updated ).toMatchObject( {
				pipeline: 'support',
				status: 'new',
				priority: 'urgent',
				category: 'billing',
				updatedAt: at( 9 ),
			} );
			await expect( repository.findTicket( id ) ).resolves.toEqual(
				updated
			);
			await expect(
				repository.updateTicket( {
					conversationId: 'nope',
					properties: { status: 'x' },
					updatedAt: at( 10 ),
				} )
			).resolves.toBeNull();
		} );

		it( 'lists open conversations with who wrote last', async () => {
			const repository = await withVisitors( 'a', 'b' );
			const a = await visitorWrites( repository, 'a', 1, 'hi' );
			const b = await visitorWrites( repository, 'b', 2, 'hi' );
			await agentWrites( repository, b, 3 );
			await repository.assignConversation( {
				conversationId: b,
				assigneeId: '7',
				teamId: 'team-1',
			} );
			const activity = await repository.listOpenConversationActivity();
			expect(
				activity.sort( ( x, y ) => x.id.localeCompare( y.id ) )
			).toEqual( [
				{
					id: a,
					chatflowId: 'support',
					teamId: null,
					assigneeId: null,
					lastAuthorType: 'visitor',
				},
				{
					id: b,
					chatflowId: 'support',
					teamId: 'team-1',
					assigneeId: '7',
					lastAuthorType: 'agent',
				},
			] );
		} );
	} );
}
