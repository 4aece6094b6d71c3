/**
 * Reducer of the inbox store.
 */
import { mergeMessages } from '../../../../server/src/contract/message-list';
import type { InboxAction } from './actions';
import type { InboxState } from './types';

export const initialState: InboxState = {
	conversations: {},
	messages: {},
	selectedConversationId: null,
	connection: { status: 'connecting', error: null },
};

export function reducer(
	state: InboxState = initialState,
	action: InboxAction
): InboxState {
	switch ( action.type ) {
		case 'RECEIVE_CONVERSATIONS': {
			const conversations = { ...state.conversations };
			for ( const conversation of action.conversations ) {
				conversations[ conversation.id ] = conversation;
			}
			return { ...state, conversations };
		}
		case 'RECEIVE_MESSAGES': {
			const current = state.messages[ action.conversationId ] ?? [];
			const merged = mergeMessages( current, action.messages );
			if (
				merged === current &&
				state.messages[ action.conversationId ]
			) {
				return state;
			}
			return {
				...state,
				messages: {
					...state.messages,
					[ action.conversationId ]: merged,
				},
			};
		}
		case 'SELECT_CONVERSATION':
			return { ...state, selectedConversationId: action.conversationId };
		case 'SET_CONNECTION_STATUS':
			return {
				...state,
				connection: { status: action.status, error: action.error },
			};
		default:
			return state;
	}
}
