/**
 * Tests of the inbox store's reducer and selectors.
 */
import type { ChatMessage, ConversationSummary } from '@chatflows/protocol';
import { conversationContext } from '../../test/fixtures';
import {
	dropReply,
	queueReply,
	receiveContext,
	receiveContextChange,
	receiveConversations,
	receiveMessages,
	selectConversation,
	setConnectionStatus,
} from '../actions';
import { initialState, reducer } from '../reducer';
import {
	getConnection,
	getContext,
	getConversations,
	getConversationsWithPendingReplies,
	getMessages,
	getPendingReplies,
	getSelectedConversationId,
} from '../selectors';

function conversation( id: string, updatedAt: string ): ConversationSummary {
	return {
		id,
		chatflowId: '1',
		status: 'open',
		createdAt: updatedAt,
		updatedAt,
		visitorId: `visitor-${ id }`,
		pageUrl: 'http://localhost/pricing/',
		lastMessage: null,
	};
}

function message( seq: number, body = `message ${ seq }` ): ChatMessage {
	return {
		conversationId: 'c1',
		seq,
		clientId: `client-${ seq }`,
		authorType: 'visitor',
		authorName: '',
		body,
		createdAt: '2026-01-01T00:00:00.000Z',
	};
}

describe( 'inbox store', () => {
	it( 'lists conversations most recently active first, and updates one in place', () => {
		let state = reducer(
			initialState,
			receiveConversations( [
				conversation( 'a', '2026-01-01T10:00:00Z' ),
				conversation( 'b', '2026-01-01T11:00:00Z' ),
			] )
		);
		expect( getConversations( state ).map( ( item ) => item.id ) ).toEqual(
			[ 'b', 'a' ]
		);

		state = reducer(
			state,
			receiveConversations( [
				conversation( 'a', '2026-01-01T12:00:00Z' ),
			] )
		);
		expect( getConversations( state ).map( ( item ) => item.id ) ).toEqual(
			[ 'a', 'b' ]
		);
	} );

	it( 'returns the same sorted list while conversations do not change', () => {
		let state = reducer(
			initialState,
			receiveConversations( [
				conversation( 'a', '2026-01-01T10:00:00Z' ),
			] )
		);
		const first = getConversations( state );
		state = reducer( state, selectConversation( 'a' ) );
		expect( getConversations( state ) ).toBe( first );
		expect( getSelectedConversationId( state ) ).toBe( 'a' );
	} );

	it( 'keeps each message once, in sequence order, whatever order they arrive in', () => {
		let state = reducer(
			initialState,
			receiveMessages( 'c1', [ message( 2 ), message( 1 ) ] )
		);
		state = reducer(
			state,
			receiveMessages( 'c1', [
				message( 2 ),
				message( 3 ),
				message( 1 ),
			] )
		);
		expect(
			getMessages( state, 'c1' ).map( ( item ) => item.seq )
		).toEqual( [ 1, 2, 3 ] );
	} );

	it( 'does not change state when only known messages arrive again', () => {
		const state = reducer(
			initialState,
			receiveMessages( 'c1', [ message( 1 ) ] )
		);
		expect(
			reducer( state, receiveMessages( 'c1', [ message( 1 ) ] ) )
		).toBe( state );
	} );

	it( 'gives an empty list for a conversation without messages', () => {
		expect( getMessages( initialState, 'unknown' ) ).toEqual( [] );
	} );

	it( 'records the connection status and its error', () => {
		const state = reducer(
			initialState,
			setConnectionStatus( 'failed', 'The token has expired.' )
		);
		expect( getConnection( state ) ).toEqual( {
			status: 'failed',
			error: 'The token has expired.',
		} );
	} );

	it( 'keeps the shown context until its fresh one arrives, and forgets another conversation’s changed context', () => {
		let state = reducer(
			initialState,
			receiveContext( conversationContext( 'a' ) )
		);
		state = reducer( state, receiveContext( conversationContext( 'b' ) ) );
		state = reducer( state, selectConversation( 'a' ) );

		state = reducer(
			state,
			receiveContextChange( { conversationId: 'b', reason: 'consent' } )
		);
		expect( getContext( state, 'b' ) ).toBeUndefined();
		expect( getContext( state, 'a' ) ).toEqual(
			conversationContext( 'a' )
		);

		expect(
			reducer(
				state,
				receiveContextChange( {
					conversationId: 'a',
					reason: 'contact',
				} )
			)
		).toBe( state );
		expect(
			reducer(
				state,
				receiveContextChange( {
					conversationId: 'never-loaded',
					reason: 'consent',
				} )
			)
		).toBe( state );
	} );

	it( 'keeps the agent’s replies in the order typed until stored, however the stored one arrives, and shows each once', () => {
		let state = reducer(
			initialState,
			queueReply( 'c1', { clientId: 'client-2', body: 'first' } )
		);
		state = reducer(
			state,
			queueReply( 'c1', { clientId: 'client-3', body: 'second' } )
		);
		state = reducer(
			state,
			queueReply( 'c2', { clientId: 'other', body: 'elsewhere' } )
		);
		expect(
			getPendingReplies( state, 'c1' ).map( ( reply ) => reply.clientId )
		).toEqual( [ 'client-2', 'client-3' ] );
		expect( getConversationsWithPendingReplies( state ) ).toEqual( [
			'c1',
			'c2',
		] );

		// The first reply's acknowledgement, then its broadcast (a retry's): once.
		state = reducer( state, receiveMessages( 'c1', [ message( 2 ) ] ) );
		state = reducer( state, receiveMessages( 'c1', [ message( 2 ) ] ) );
		expect( getMessages( state, 'c1' ).map( ( m ) => m.seq ) ).toEqual( [
			2,
		] );
		expect(
			getPendingReplies( state, 'c1' ).map( ( reply ) => reply.clientId )
		).toEqual( [ 'client-3' ] );

		// The second one caught up after a reconnect, before its acknowledgement.
		state = reducer(
			state,
			receiveMessages( 'c1', [ message( 1 ), message( 3 ) ] )
		);
		expect( getPendingReplies( state, 'c1' ) ).toEqual( [] );
		expect( getConversationsWithPendingReplies( state ) ).toEqual( [
			'c2',
		] );
		expect( getMessages( state, 'c1' ).map( ( m ) => m.seq ) ).toEqual( [
			1, 2, 3,
		] );

		// Refused for good: it leaves the outbox.
		state = reducer( state, dropReply( 'c2', 'other' ) );
		expect( getConversationsWithPendingReplies( state ) ).toEqual( [] );
	} );
} );
