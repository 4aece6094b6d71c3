/**
 * Reducer of the saved replies store.
 */
import type { SavedRepliesAction } from './actions';
import type { SavedRepliesState } from './types';

export const initialState: SavedRepliesState = { replies: null };

export function reducer(
	state: SavedRepliesState = initialState,
	action: SavedRepliesAction
): SavedRepliesState {
	switch ( action.type ) {
		case 'RECEIVE_SAVED_REPLIES':
			return {
				replies: Object.fromEntries(
					action.replies.map( ( reply ) => [ reply.id, reply ] )
				),
			};
		case 'RECEIVE_SAVED_REPLY':
			return {
				replies: {
					...state.replies,
					[ action.reply.id ]: action.reply,
				},
			};
		case 'REMOVE_SAVED_REPLY': {
			const replies = { ...state.replies };
			delete replies[ action.id ];
			return { replies };
		}
		default:
			return state;
	}
}
