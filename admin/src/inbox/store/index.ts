/**
 * The `chatflows/inbox` data store, fed by the agent's socket connection.
 */
import { createReduxStore, register } from '@wordpress/data';

import * as actions from './actions';
import { initialState, reducer } from './reducer';
import * as selectors from './selectors';
import {
	initialNotesState,
	notesReducer,
	type NotesAction,
	type NotesState,
	areMentionsLoaded,
	getAgentsWriting,
	getMentions,
	getNotes,
	getUnseenMentionCount,
	isShowingMentions,
	markMentionsSeenLocally,
	receiveAgentTyping,
	receiveMention,
	receiveMentions,
	receiveNotes,
	showMentions,
} from './notes';
import type { InboxAction } from './actions';
import type { InboxState } from './types';

export const STORE_NAME = 'chatflows/inbox';

type StoreState = InboxState & { notes: NotesState };

/**
 * The store's reducer and the notes slice's beside it (the same state
 * object while neither changed, so selectors keep their results).
 *
 * @param state  The state.
 * @param action Any action.
 */
function combined(
	state: StoreState = { ...initialState, notes: initialNotesState },
	action: InboxAction | NotesAction
): StoreState {
	const base = reducer( state, action as InboxAction );
	const notes = notesReducer( state.notes, action );
	if ( base === state && notes === state.notes ) {
		return state;
	}
	return { ...base, notes };
}

export const store = createReduxStore( STORE_NAME, {
	reducer: combined,
	actions: {
		...actions,
		receiveNotes,
		receiveMentions,
		receiveMention,
		markMentionsSeenLocally,
		showMentions,
		receiveAgentTyping,
	},
	selectors: {
		...selectors,
		getNotes,
		getMentions,
		getUnseenMentionCount,
		isShowingMentions,
		getAgentsWriting,
		areMentionsLoaded,
	},
} );

register( store );
