/**
 * State of the agent inbox.
 */
import type {
	ChatMessage,
	ConversationSummary,
} from '../../../../server/src/contract/events';

export type ConnectionStatus =
	'connecting' | 'connected' | 'reconnecting' | 'failed';

export interface InboxState {
	/** Conversations by id. */
	conversations: Record< string, ConversationSummary >;
	/** Each conversation's messages, ordered by seq, without doubles. */
	messages: Record< string, ChatMessage[] >;
	selectedConversationId: string | null;
	connection: { status: ConnectionStatus; error: string | null };
}
