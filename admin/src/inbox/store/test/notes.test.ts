/**
 * Tests of the inbox store's notes slice: notes by seq without doubles,
 * mentions and their unseen count, other agents writing; and the store
 * itself keeps its state object while nothing changed.
 */
import { createRegistry } from '@wordpress/data';
import type {
	AgentTypingIndicator,
	InternalNote,
	MentionItem,
} from '@chatflows/protocol';
import {
	getAgentsWriting,
	getMentions,
	getNotes,
	getUnseenMentionCount,
	initialNotesState,
	markMentionsSeenLocally,
	notesReducer,
	othersWriting,
	receiveAgentTyping,
	receiveMention,
	receiveMentions,
	receiveNotes,
	type NotesState,
} from '../notes';
import { store } from '..';

function note( seq: number, conversationId = 'c1' ): InternalNote {
	return {
		conversationId,
		seq,
		clientId: `n${ seq }`,
		authorId: '7',
		authorName: 'Alice',
		body: `note ${ seq }`,
		mentions: [],
		createdAt: `2026-01-01T00:00:0${ seq }.000Z`,
	};
}

function typing(
	agentId: string,
	on: boolean,
	mode: AgentTypingIndicator[ 'mode' ] = 'reply'
): AgentTypingIndicator {
	return {
		conversationId: 'c1',
		agentId,
		agentName: `Agent ${ agentId }`,
		typing: on,
		mode,
	};
}

const wrap = ( notes: NotesState ) => ( { notes } );

describe( 'the notes slice', () => {
	it( 'keeps each conversation’s notes by seq, once each', () => {
		let state = notesReducer(
			initialNotesState,
			receiveNotes( 'c1', [ note( 2 ), note( 1 ) ] )
		);
		state = notesReducer( state, receiveNotes( 'c1', [ note( 2 ) ] ) );
		state = notesReducer(
			state,
			receiveNotes( 'c2', [ note( 1, 'c2' ) ] )
		);
		expect( getNotes( wrap( state ), 'c1' ).map( ( n ) => n.seq ) ).toEqual(
			[ 1, 2 ]
		);
		expect( getNotes( wrap( state ), 'c2' ) ).toHaveLength( 1 );
		expect( getNotes( wrap( state ), 'c3' ) ).toEqual( [] );
	} );

	it( 'counts unseen mentions, adds live ones once, and marks all seen', () => {
		const listed: MentionItem[] = [
			{ note: note( 1 ), seen: true },
			{ note: note( 2 ), seen: false },
		];
		let state = notesReducer(
			initialNotesState,
			receiveMentions( listed )
		);
		expect( getUnseenMentionCount( wrap( state ) ) ).toBe( 1 );
		const live = { note: note( 3 ), seen: false };
		state = notesReducer( state, receiveMention( live ) );
		state = notesReducer( state, receiveMention( live ) );
		expect(
			getMentions( wrap( state ) ).map( ( m ) => m.note.seq )
		).toEqual( [ 3, 1, 2 ] );
		expect( getUnseenMentionCount( wrap( state ) ) ).toBe( 2 );
		state = notesReducer( state, markMentionsSeenLocally() );
		expect( getUnseenMentionCount( wrap( state ) ) ).toBe( 0 );
	} );

	it( 'shows other agents writing until they stop or the connection drops', () => {
		let state = notesReducer(
			initialNotesState,
			receiveAgentTyping( typing( '8', true, 'note' ) )
		);
		state = notesReducer(
			state,
			receiveAgentTyping( typing( '7', true ) )
		);
		const writers = getAgentsWriting( wrap( state ), 'c1' );
		// This agent's own other tabs are not "someone else".
		expect( othersWriting( writers, '7' ) ).toEqual( [
			typing( '8', true, 'note' ),
		] );
		state = notesReducer(
			state,
			receiveAgentTyping( typing( '8', false ) )
		);
		expect(
			othersWriting( getAgentsWriting( wrap( state ), 'c1' ), '7' )
		).toEqual( [] );
		state = notesReducer(
			state,
			receiveAgentTyping( typing( '8', true ) )
		);
		state = notesReducer( state, { type: 'CLEAR_TYPING' } );
		expect( getAgentsWriting( wrap( state ), 'c1' ) ).toEqual( {} );
	} );
} );

describe( 'the inbox store with notes', () => {
	it( 'serves the notes actions and selectors beside the others, keeping its state while nothing changes', () => {
		const registry = createRegistry();
		registry.register( store );
		const stateNow = (): unknown =>
			(
				registry.stores as Record<
					string,
					{ store: { getState: () => unknown } }
				>
			 )[ store.name ].store.getState();
		const before = stateNow();
		registry.dispatch( store ).receiveNotes( 'c1', [] );
		expect( stateNow() ).toBe( before );
		registry.dispatch( store ).receiveNotes( 'c1', [ note( 1 ) ] );
		expect( registry.select( store ).getNotes( 'c1' ) ).toHaveLength( 1 );
		registry.dispatch( store ).showMentions( true );
		expect( registry.select( store ).isShowingMentions() ).toBe( true );
		// The rest of the store is untouched by the slice.
		expect( registry.select( store ).getView() ).toBe( 'open' );
	} );
} );
