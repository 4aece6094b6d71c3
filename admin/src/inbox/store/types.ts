/**
 * State of the agent inbox.
 */
import type {
	AgentPresenceStatus,
	ChatMessage,
	ConversationContext,
	ConversationSummary,
	InboxCounts,
	InboxDirectory,
	InboxView,
	PendingMessage,
} from '@chatflows/protocol';

export type ConnectionStatus =
	'connecting' | 'connected' | 'reconnecting' | 'failed';

/** What the browser allows for notifications; `unsupported` without the API. */
export type NotificationPermissionState =
	'default' | 'granted' | 'denied' | 'unsupported';

export interface InboxState {
	/** Conversations by id, as last heard (lists and live updates). */
	conversations: Record< string, ConversationSummary >;
	/** Each conversation's messages, ordered by seq, without doubles. */
	messages: Record< string, ChatMessage[] >;
	/**
	 * The agent's replies not yet acknowledged, per conversation, in the
	 * order typed: sent again with the same client id until stored.
	 */
	outbox: Record< string, PendingMessage[] >;
	selectedConversationId: string | null;
	connection: { status: ConnectionStatus; error: string | null };
	/** The view shown, and the search typed. */
	view: InboxView;
	search: string;
	/** One of the agent's inboxes, or null for all of them. */
	inboxId: string | null;
	/** The ids the service listed for the view and search, in its order (longest wait first). */
	viewIds: string[];
	/** Counts of every view, as the service last listed them. */
	counts: InboxCounts | null;
	/**
	 * Ids the service ever listed to this agent: within their inboxes. Live
	 * updates reach every agent; only these are shown and notified.
	 */
	scopedIds: Record< string, true >;
	directory: InboxDirectory | null;
	/** Agents' presence as announced live, over the directory's. */
	presence: Record< string, AgentPresenceStatus | 'offline' >;
	/** This agent's own choice. */
	myStatus: AgentPresenceStatus;
	/** Conversations whose visitor is typing. */
	visitorTyping: Record< string, boolean >;
	/** Highest seq the visitor has read, per conversation. */
	visitorReadSeq: Record< string, number >;
	/** The context panel's data, per conversation. */
	contexts: Record< string, ConversationContext >;
	notificationPermission: NotificationPermissionState;
}
