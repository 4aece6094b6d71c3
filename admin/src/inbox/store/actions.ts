/**
 * Actions of the inbox store. The socket connection dispatches the `receive*`
 * ones; components dispatch the rest.
 */
import type {
	ChatMessage,
	ConversationSummary,
} from '../../../../server/src/contract/events';
import type { ConnectionStatus } from './types';

/**
 * Conversations listed by the service (replaces what is known of them).
 *
 * @param conversations Conversations.
 */
export function receiveConversations( conversations: ConversationSummary[] ) {
	return { type: 'RECEIVE_CONVERSATIONS' as const, conversations };
}

/**
 * Messages of a conversation, live or caught up; repeats are ignored.
 *
 * @param conversationId Conversation.
 * @param messages       Messages in any order.
 */
export function receiveMessages(
	conversationId: string,
	messages: ChatMessage[]
) {
	return { type: 'RECEIVE_MESSAGES' as const, conversationId, messages };
}

/**
 * Opens a conversation in the inbox.
 *
 * @param conversationId Conversation, or null for none.
 */
export function selectConversation( conversationId: string | null ) {
	return { type: 'SELECT_CONVERSATION' as const, conversationId };
}

/**
 * The state of the live connection.
 *
 * @param status Status.
 * @param error  A message to show, if the connection failed.
 */
export function setConnectionStatus(
	status: ConnectionStatus,
	error: string | null = null
) {
	return { type: 'SET_CONNECTION_STATUS' as const, status, error };
}

export type InboxAction =
	| ReturnType< typeof receiveConversations >
	| ReturnType< typeof receiveMessages >
	| ReturnType< typeof selectConversation >
	| ReturnType< typeof setConnectionStatus >;
