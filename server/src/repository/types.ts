/**
 * Storage for visitors, conversations and messages.
 *
 * Database-neutral and asynchronous, so SQLite (the embedded default) and
 * PostgreSQL (scale-out) implement the same interface. Every method resolves
 * only after its write is durable.
 */
import type {
	AuthorType,
	ChatMessage,
	ConversationStatus,
	ConversationSummary,
} from '../contract/events';

export interface VisitorRecord {
	id: string;
	/** Hex SHA-256 of the session token; the token itself is never stored. */
	sessionHash: string;
	createdAt: string;
}

export interface ConversationRecord {
	id: string;
	visitorId: string;
	chatflowId: string;
	status: ConversationStatus;
	pageUrl: string;
	createdAt: string;
	updatedAt: string;
	/** Seq of the newest message, 0 when there is none. */
	lastSeq: number;
}

/** Who writes a message, as stored. */
export interface MessageAuthor {
	type: AuthorType;
	/** The visitor id, or the agent's WordPress user id. */
	id: string;
	/** Display name; empty for visitors. */
	name: string;
}

interface AppendBase {
	clientId: string;
	author: MessageAuthor;
	/** Plain text, already validated. */
	body: string;
	/** ISO 8601, UTC. */
	createdAt: string;
}

/** A visitor's message: goes to their open conversation under the chatflow, or opens one. */
export interface AppendVisitorMessageInput extends AppendBase {
	visitorId: string;
	chatflowId: string;
	/** Id for the conversation, used only when a new one must be opened. */
	newConversationId: string;
	/** Page the conversation starts on, used only when a new one is opened. */
	pageUrl: string;
}

/** A message in a known conversation (an agent's reply). */
export interface AppendMessageInput extends AppendBase {
	conversationId: string;
}

export interface AppendResult {
	/** The conversation after the write. */
	conversation: ConversationRecord;
	/** The stored message: the new one, or the earlier one with the same client id. */
	message: ChatMessage;
	/** The author of `message` (differs from the input's when another author used the client id). */
	author: MessageAuthor;
	/** False when the client id was already stored and nothing was written. */
	created: boolean;
	/** True when this write opened the conversation. */
	conversationCreated: boolean;
}

export interface ChatRepository {
	createVisitor: ( visitor: VisitorRecord ) => Promise< void >;
	findVisitorBySessionHash: (
		sessionHash: string
	) => Promise< VisitorRecord | null >;

	findConversation: ( id: string ) => Promise< ConversationRecord | null >;
	/** The visitor's newest open conversation under the chatflow. */
	findOpenConversation: (
		visitorId: string,
		chatflowId: string
	) => Promise< ConversationRecord | null >;
	/** Conversations, the most recently updated first, each with its newest message. */
	listConversations: ( options: {
		limit: number;
	} ) => Promise< ConversationSummary[] >;
	/** One conversation as the inbox shows it. */
	getConversationSummary: (
		id: string
	) => Promise< ConversationSummary | null >;

	/**
	 * Stores a visitor's message in one transaction: finds or opens the
	 * conversation, takes the next seq. A repeated client id returns the
	 * stored message and writes nothing.
	 */
	appendVisitorMessage: (
		input: AppendVisitorMessageInput
	) => Promise< AppendResult >;
	/**
	 * Stores a message in an existing conversation in one transaction.
	 * Resolves null when the conversation does not exist.
	 */
	appendMessage: (
		input: AppendMessageInput
	) => Promise< AppendResult | null >;
	/** Messages with seq greater than `afterSeq`, in seq order. */
	listMessages: (
		conversationId: string,
		afterSeq: number
	) => Promise< ChatMessage[] >;

	/** Closes the database; pending writes are finished first. */
	close: () => Promise< void >;
}
