/**
 * Selectors of the inbox store.
 */
import type {
	ChatMessage,
	ConversationSummary,
} from '../../../../server/src/contract/events';
import type { InboxState } from './types';

const NO_MESSAGES: ChatMessage[] = [];
const sortedCache = new WeakMap<
	InboxState[ 'conversations' ],
	ConversationSummary[]
>();

/**
 * Conversations, the most recently active first. The same array is returned
 * while the conversations do not change, so components do not re-render.
 *
 * @param state Store state.
 */
export function getConversations( state: InboxState ): ConversationSummary[] {
	let sorted = sortedCache.get( state.conversations );
	if ( ! sorted ) {
		sorted = Object.values( state.conversations ).sort( ( a, b ) =>
			b.updatedAt.localeCompare( a.updatedAt )
		);
		sortedCache.set( state.conversations, sorted );
	}
	return sorted;
}

/**
 * A conversation by id.
 *
 * @param state          Store state.
 * @param conversationId Conversation.
 */
export function getConversation(
	state: InboxState,
	conversationId: string
): ConversationSummary | undefined {
	return state.conversations[ conversationId ];
}

/**
 * Messages of a conversation, ordered.
 *
 * @param state          Store state.
 * @param conversationId Conversation.
 */
export function getMessages(
	state: InboxState,
	conversationId: string
): ChatMessage[] {
	return state.messages[ conversationId ] ?? NO_MESSAGES;
}

/**
 * The conversation open in the inbox.
 *
 * @param state Store state.
 */
export function getSelectedConversationId( state: InboxState ): string | null {
	return state.selectedConversationId;
}

/**
 * The live connection's status and error.
 *
 * @param state Store state.
 */
export function getConnection( state: InboxState ): InboxState[ 'connection' ] {
	return state.connection;
}
