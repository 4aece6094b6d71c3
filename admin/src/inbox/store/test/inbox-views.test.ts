/**
 * Tests of the inbox store's views, live merging, presence, receipts,
 * context and attention.
 */
import type {
	ChatMessage,
	ConversationSummary,
	InboxDirectory,
} from '@chatflows/protocol';
import { conversationContext } from '../../test/fixtures';
import {
	receiveContext,
	receiveConversations,
	receiveDirectory,
	receivePresence,
	receiveRead,
	receiveSurveyAnswer,
	receiveTicket,
	receiveTyping,
	receiveView,
	setInbox,
	setMyStatus,
	setSearch,
	setView,
} from '../actions';
import { initialState, mergeSummary, reducer } from '../reducer';
import {
	byLongestWait,
	getAttentionIds,
	getContext,
	getCounts,
	getMyLoad,
	getPresence,
	getViewConversations,
	getVisitorReadSeq,
	isVisitorTyping,
	matchesView,
} from '../selectors';
import type { InboxState } from '../types';

const COUNTS = { unassigned: 1, mine: 1, open: 2, closed: 0 };

function message(
	conversationId: string,
	seq: number,
	authorType: ChatMessage[ 'authorType' ],
	createdAt: string
): ChatMessage {
	return {
		conversationId,
		seq,
		clientId: `c-${ seq }`,
		authorType,
		authorName: authorType === 'agent' ? 'Ann' : '',
		body: `message ${ seq }`,
		createdAt,
	};
}

function conversation(
	id: string,
	overrides: Partial< ConversationSummary > = {}
): ConversationSummary {
	return {
		id,
		chatflowId: '1',
		status: 'open',
		createdAt: '2026-01-01T10:00:00.000Z',
		updatedAt: '2026-01-01T10:00:00.000Z',
		visitorId: `visitor-${ id }`,
		pageUrl: 'http://localhost/pricing/',
		assigneeId: null,
		lastMessage: null,
		waitingSince: null,
		visitorEmail: null,
		visitorName: null,
		...overrides,
	};
}

const DIRECTORY: InboxDirectory = {
	me: { id: '7', name: 'Ann', capacity: 3, status: 'available' },
	agents: [
		{ id: '7', name: 'Ann', capacity: 3, status: 'available' },
		{ id: '8', name: 'Bob', capacity: 2, status: 'away' },
	],
	teams: [ { id: 't1', name: 'Sales' } ],
	inboxes: [ { id: 'i1', name: 'Support' } ],
};

/**
 * A state where the service listed conversations of the open view to Ann.
 * @param conversations
 */
function listed( conversations: ConversationSummary[] ): InboxState {
	let state = reducer( initialState, receiveDirectory( DIRECTORY ) );
	state = reducer( state, receiveView( 'open', '', conversations, COUNTS ) );
	return state;
}

describe( 'merging live updates', () => {
	it( 'keeps the contact a list gave, which live updates do not carry', () => {
		const merged = mergeSummary(
			conversation( 'a', {
				visitorEmail: 'x@example.com',
				visitorName: 'X',
			} ),
			{
				...conversation( 'a' ),
				visitorEmail: undefined,
				visitorName: undefined,
			}
		);
		expect( merged ).toMatchObject( {
			visitorEmail: 'x@example.com',
			visitorName: 'X',
		} );
	} );

	it( 'starts a wait at the visitor’s message, keeps it through more, ends it at an agent’s', () => {
		const live = ( last: ChatMessage ): ConversationSummary => ( {
			...conversation( 'a' ),
			waitingSince: undefined,
			lastMessage: last,
		} );
		let known = mergeSummary(
			undefined,
			live( message( 'a', 1, 'visitor', 'T1' ) )
		);
		expect( known.waitingSince ).toBe( 'T1' );
		known = mergeSummary(
			known,
			live( message( 'a', 2, 'visitor', 'T2' ) )
		);
		expect( known.waitingSince ).toBe( 'T1' );
		known = mergeSummary( known, live( message( 'a', 3, 'agent', 'T3' ) ) );
		expect( known.waitingSince ).toBeNull();
		known = mergeSummary(
			known,
			live( message( 'a', 4, 'visitor', 'T4' ) )
		);
		expect( known.waitingSince ).toBe( 'T4' );
		// A late, older update changes nothing.
		known = mergeSummary( known, live( message( 'a', 3, 'agent', 'T3' ) ) );
		expect( known.waitingSince ).toBe( 'T4' );
		known = mergeSummary( known, {
			...live( message( 'a', 4, 'visitor', 'T4' ) ),
			status: 'closed',
		} );
		expect( known.waitingSince ).toBeNull();
	} );

	it( 'keeps the assignee when an update leaves it out', () => {
		const merged = mergeSummary( conversation( 'a', { assigneeId: '7' } ), {
			id: 'a',
			chatflowId: '1',
			status: 'open',
			createdAt: 'T',
			updatedAt: 'T2',
			visitorId: 'visitor-a',
			pageUrl: '',
			lastMessage: null,
		} );
		expect( merged.assigneeId ).toBe( '7' );
		expect( merged.updatedAt ).toBe( 'T2' );
	} );
} );

describe( 'views', () => {
	it( 'orders by longest wait, then the most recently active', () => {
		const waitingLong = conversation( 'long', {
			waitingSince: '2026-01-01T09:00:00.000Z',
		} );
		const waitingShort = conversation( 'short', {
			waitingSince: '2026-01-01T09:30:00.000Z',
		} );
		const answeredRecent = conversation( 'recent', {
			updatedAt: '2026-01-01T11:00:00.000Z',
		} );
		const answeredOld = conversation( 'old' );
		expect(
			[ answeredOld, waitingShort, answeredRecent, waitingLong ]
				.sort( byLongestWait )
				.map( ( c ) => c.id )
		).toEqual( [ 'long', 'short', 'recent', 'old' ] );
	} );

	it( 'moves a claimed conversation from unassigned to mine at once, before the service lists again', () => {
		let state = listed( [ conversation( 'a' ), conversation( 'b' ) ] );
		state = reducer( state, setView( 'unassigned' ) );
		expect( getViewConversations( state ).map( ( c ) => c.id ) ).toEqual( [
			'a',
			'b',
		] );
		state = reducer(
			state,
			receiveConversations( [ conversation( 'a', { assigneeId: '7' } ) ] )
		);
		expect( getViewConversations( state ).map( ( c ) => c.id ) ).toEqual( [
			'b',
		] );
		state = reducer( state, setView( 'mine' ) );
		expect( getViewConversations( state ).map( ( c ) => c.id ) ).toEqual( [
			'a',
		] );
		expect( matchesView( conversation( 'a' ), 'mine', null ) ).toBe(
			false
		);
	} );

	it( 'never shows a live update of a conversation the service did not list to this agent', () => {
		let state = listed( [ conversation( 'a' ) ] );
		state = reducer(
			state,
			receiveConversations( [ conversation( 'other-inbox' ) ] )
		);
		expect( getViewConversations( state ).map( ( c ) => c.id ) ).toEqual( [
			'a',
		] );
		expect( getAttentionIds( state ) ).toEqual( [] );
	} );

	it( 'shows only the service’s matches while searching, and ignores late lists of other views', () => {
		let state = listed( [ conversation( 'a' ), conversation( 'b' ) ] );
		state = reducer( state, setSearch( 'invoice' ) );
		state = reducer(
			state,
			receiveView( 'open', 'invoice', [ conversation( 'b' ) ], {
				...COUNTS,
				open: 1,
			} )
		);
		expect( getViewConversations( state ).map( ( c ) => c.id ) ).toEqual( [
			'b',
		] );
		expect( getCounts( state )?.open ).toBe( 1 );

		// The open view without search, listed for attention, changes neither.
		const before = getViewConversations( state );
		state = reducer(
			state,
			receiveView( 'open', '', [ conversation( 'a' ) ], COUNTS )
		);
		expect( getViewConversations( state ).map( ( c ) => c.id ) ).toEqual(
			before.map( ( c ) => c.id )
		);
		expect( getCounts( state )?.open ).toBe( 1 );
	} );

	it( 'narrowed to one inbox, shows only the service’s list for it, and its counts', () => {
		let state = listed( [ conversation( 'a' ), conversation( 'b' ) ] );
		state = reducer( state, setInbox( 'i1' ) );
		state = reducer(
			state,
			receiveView(
				'open',
				'',
				[ conversation( 'b' ) ],
				{ ...COUNTS, open: 1 },
				'i1'
			)
		);
		expect( getViewConversations( state ).map( ( c ) => c.id ) ).toEqual( [
			'b',
		] );
		// The list of every inbox, fetched for attention, changes neither.
		state = reducer(
			state,
			receiveView(
				'open',
				'',
				[ conversation( 'a' ), conversation( 'b' ) ],
				COUNTS
			)
		);
		expect( getViewConversations( state ).map( ( c ) => c.id ) ).toEqual( [
			'b',
		] );
		expect( getCounts( state )?.open ).toBe( 1 );
		state = reducer( state, setInbox( null ) );
		expect(
			getViewConversations( state )
				.map( ( c ) => c.id )
				.sort()
		).toEqual( [ 'a', 'b' ] );
	} );

	it( 'returns the same array while nothing it depends on changes', () => {
		const state = listed( [ conversation( 'a' ) ] );
		expect( getViewConversations( state ) ).toBe(
			getViewConversations( state )
		);
	} );
} );

describe( 'the agent and the others', () => {
	it( 'follows presence from the directory, live announcements and the agent’s own choice', () => {
		let state = reducer( initialState, receiveDirectory( DIRECTORY ) );
		expect( getPresence( state, '8' ) ).toBe( 'away' );
		state = reducer(
			state,
			receivePresence( { userId: '8', status: 'available' } )
		);
		expect( getPresence( state, '8' ) ).toBe( 'available' );
		state = reducer( state, setMyStatus( 'away' ) );
		expect( getPresence( state, '7' ) ).toBe( 'away' );
		expect( getPresence( state, 'nobody' ) ).toBe( 'offline' );
	} );

	it( 'gives the agent’s open conversations against their capacity', () => {
		expect( getMyLoad( initialState ) ).toBeNull();
		expect( getMyLoad( listed( [] ) ) ).toEqual( { open: 1, capacity: 3 } );
	} );

	it( 'gives the same load object while the state is the same, so useSelect sees no change', () => {
		const state = listed( [] );
		expect( getMyLoad( state ) ).toBe( getMyLoad( state ) );
		expect( getMyLoad( { ...state } ) ).toBe( getMyLoad( state ) );
	} );

	it( 'lists what needs the agent: waiting, unassigned or theirs, open, in scope', () => {
		const state = listed( [
			conversation( 'unassigned-waiting', { waitingSince: 'T1' } ),
			conversation( 'mine-waiting', {
				waitingSince: 'T2',
				assigneeId: '7',
			} ),
			conversation( 'bobs-waiting', {
				waitingSince: 'T3',
				assigneeId: '8',
			} ),
			conversation( 'answered' ),
		] );
		expect( getAttentionIds( state ) ).toEqual( [
			'mine-waiting',
			'unassigned-waiting',
		] );
	} );
} );

describe( 'typing, receipts, context', () => {
	it( 'shows the visitor typing and how far they read; another agent’s read clears the unread count', () => {
		let state = listed( [
			conversation( 'a', {
				unreadCount: 2,
				lastMessage: message( 'a', 2, 'visitor', 'T' ),
			} ),
		] );
		state = reducer(
			state,
			receiveTyping( { conversationId: 'a', typing: true } )
		);
		expect( isVisitorTyping( state, 'a' ) ).toBe( true );
		state = reducer(
			state,
			receiveRead( { conversationId: 'a', reader: 'visitor', seq: 3 } )
		);
		state = reducer(
			state,
			receiveRead( { conversationId: 'a', reader: 'visitor', seq: 1 } )
		);
		expect( getVisitorReadSeq( state, 'a' ) ).toBe( 3 );
		state = reducer(
			state,
			receiveRead( { conversationId: 'a', reader: 'agent', seq: 1 } )
		);
		expect( state.conversations.a.unreadCount ).toBe( 2 );
		state = reducer(
			state,
			receiveRead( { conversationId: 'a', reader: 'agent', seq: 2 } )
		);
		expect( state.conversations.a.unreadCount ).toBe( 0 );
	} );

	it( 'updates the ticket and the survey answer of a loaded context', () => {
		const context = conversationContext( 'a', {
			ticket: {
				id: 't',
				conversationId: 'a',
				pipeline: 'support',
				status: 'new',
				priority: 'medium',
				category: '',
				state: 'open',
				offline: false,
				updatedAt: 'T',
			},
		} );
		let state = reducer( initialState, receiveContext( context ) );
		state = reducer(
			state,
			receiveTicket( { ...context.ticket!, priority: 'urgent' } )
		);
		state = reducer(
			state,
			receiveSurveyAnswer(
				{ conversationId: 'a', rating: 5, comment: 'Great' },
				'T9'
			)
		);
		expect( getContext( state, 'a' ) ).toMatchObject( {
			ticket: { priority: 'urgent' },
			survey: { rating: 5, comment: 'Great', answeredAt: 'T9' },
		} );
		// Nothing to update for a context never loaded.
		expect(
			reducer(
				state,
				receiveTicket( { ...context.ticket!, conversationId: 'zzz' } )
			)
		).toBe( state );
	} );
} );
