/**
 * Storage for visitors, conversations and messages.
 *
 * Database-neutral and asynchronous, so SQLite (the embedded default) and
 * PostgreSQL (scale-out) implement the same interface. Every method resolves
 * only after its write is durable.
 */
import type {
	AttachmentContentType,
	AuthorType,
	ChatMessage,
	CompiledChatflow,
	ConsentRecord,
	ConversationStatus,
	ConversationSummary,
	InboxCounts,
	InboxView,
	ServiceConfiguration,
	ServiceNotification,
} from '@chatflows/protocol';
import type { NoteRepository } from './notes';

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
	/** WordPress user id of the agent it is assigned to; null while it waits. */
	assigneeId: string | null;
	/** Team it was routed or transferred to, if any. */
	teamId: string | null;
	/** Contact linked by e-mail capture. */
	contactId: string | null;
	/** Highest seq any agent has read (each agent's own mark is kept too, see markRead). */
	agentReadSeq: number;
	/** Highest seq the visitor has read. */
	visitorReadSeq: number;
}

/** Ticket properties copied from the chatflow when a conversation opens. */
export interface TicketProperties {
	pipeline: string;
	status: string;
	priority: 'low' | 'medium' | 'high' | 'urgent';
	category: string;
}

/** Follows the conversation: open, closed, or reopened after a close. */
export type TicketState = 'open' | 'closed' | 'reopened';

export interface TicketRecord extends TicketProperties {
	id: string;
	conversationId: string;
	chatflowId: string;
	state: TicketState;
	/** True when the conversation opened while nobody could answer. */
	offline: boolean;
	createdAt: string;
	updatedAt: string;
}

export interface ContactRecord {
	id: string;
	/** As the visitor typed it, trimmed. */
	email: string;
	name: string;
	/** Created (or once linked) under a chatflow whose contacts are marketing contacts. */
	marketing: boolean;
	createdAt: string;
}

/**
 * An address a visitor typed (`contact:email`): a claim, not an identity
 * (see email-claims-sql.ts). Linked to a contact only once confirmed.
 */
export interface EmailClaimRecord {
	visitorId: string;
	/** The chatflow the visitor typed it in. */
	chatflowId: string;
	/** As typed, trimmed. */
	email: string;
	/** The name typed with it; '' when none. */
	name: string;
	/** Typed under a chatflow whose contacts are marketing contacts. */
	marketing: boolean;
	claimedAt: string;
}

/** What one erasure call deleted (see `ChatRepository.erasePersonalData`). */
export interface ErasureBatch {
	conversationsRemoved: number;
	consentsRemoved: number;
	/** 1 when the contact itself went (the last batch), else 0. */
	contactsRemoved: number;
	/** Visitors deleted (their sessions end): their sockets are to be disconnected. */
	visitorIds: string[];
	/** True when nothing of the contact is left. */
	done: boolean;
}

export interface SurveyAnswerRecord {
	conversationId: string;
	/** 1 to 5. */
	rating: number;
	comment: string;
	answeredAt: string;
}

export interface PendingNotification {
	id: string;
	notification: ServiceNotification;
	/** Failed deliveries so far. */
	attempts: number;
	/** ISO 8601; not sent before. */
	nextAttemptAt: string;
	/** ISO 8601; when it was stored. */
	createdAt: string;
	/** Held beyond its chatflow's e-mail cap: sent in the digest of this key. */
	digestKey: string | null;
}

/** Who writes a message, as stored. */
export interface MessageAuthor {
	type: AuthorType;
	/** The visitor id, or the agent's WordPress user id. */
	id: string;
	/** Display name; empty for visitors. */
	name: string;
}

/** A file uploaded to the service; in a message once `conversationId` and `seq` are set. */
export interface AttachmentRecord {
	/** Random, unguessable. */
	id: string;
	/** The visitor's chatflow; '' for an agent's upload. */
	chatflowId: string;
	uploaderType: 'visitor' | 'agent';
	/** The visitor id, or the agent's WordPress user id. */
	uploaderId: string;
	name: string;
	contentType: AttachmentContentType;
	size: number;
	createdAt: string;
	conversationId: string | null;
	seq: number | null;
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
	/**
	 * Ticket created with a new conversation, with these properties. A
	 * conversation opened without them gets none.
	 */
	ticket?: TicketProperties & { id: string; offline: boolean };
	/**
	 * When true and the visitor's newest conversation under the chatflow is
	 * closed, that one is reopened instead of opening a new one.
	 */
	reopenClosed?: boolean;
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
	/** True when this write reopened a closed conversation. */
	conversationReopened?: boolean;
}

/** Changes an assignment, optionally only if it still has an expected value. */
/** One agent's open conversations, counted by the database. */
export interface AgentOpenCount {
	userId: string;
	open: number;
}

/** A waiting conversation's place in its chatflow's queue. */
export interface QueuePlace {
	/** 1-based place among the chatflow's waiting conversations, oldest first. */
	place: number;
	/** How many conversations of the chatflow wait in all. */
	waiting: number;
}

export interface AssignInput {
	conversationId: string;
	assigneeId: string | null;
	teamId: string | null;
	/**
	 * Compare-and-set: the write happens only while the current assignee is
	 * this value (null: unassigned). Omitted: unconditional.
	 */
	expectedAssigneeId?: string | null;
}

export interface AssignResult {
	conversation: ConversationRecord;
	/** False when the expected assignee did not match, or the conversation is closed. */
	changed: boolean;
}

export interface StatusResult {
	conversation: ConversationRecord;
	/** False when it already had that status. */
	changed: boolean;
}

/** What the widget told about the visitor of one conversation (strings are '' when unknown). */
export interface ConversationContextRecord {
	conversationId: string;
	startPageUrl: string;
	startPageTitle: string;
	currentPageUrl: string;
	currentPageTitle: string;
	referrer: string;
	timeZone: string;
	language: string;
	/** `desktop`, `tablet`, `mobile` or ''. */
	deviceType: string;
	updatedAt: string;
}

/** Which conversations an agent sees: all but those of other inboxes, unless routed to their team or assigned to them. */
/** Whose consent records to list (see `listConsents`). */
export interface ConsentsQuery {
	visitorId: string;
	contactId: string | null;
	limit: number;
	/** Chatflows whose records are left out; none when absent. */
	hiddenChatflowIds?: string[];
}

export interface InboxScope {
	/** Chatflows of inboxes the agent does not work in. */
	hiddenChatflowIds: string[];
	/** The agent's teams. */
	teamIds: string[];
}

/** One view of the inbox, as an agent asks for it. */
export interface InboxListInput {
	userId: string;
	scope: InboxScope;
	view: InboxView;
	/** '' for no search. */
	search: string;
	limit: number;
}

/** An open conversation and who wrote its newest message. */
export interface OpenConversationActivity {
	id: string;
	chatflowId: string;
	teamId: string | null;
	assigneeId: string | null;
	lastAuthorType: AuthorType | null;
}

/** Visitors: who holds a session. */
export interface VisitorRepository {
	createVisitor: ( visitor: VisitorRecord ) => Promise< void >;
	findVisitorBySessionHash: (
		sessionHash: string
	) => Promise< VisitorRecord | null >;
}

/** Conversations and their messages, tickets, read marks and survey answers. */
export interface ConversationRepository {
	findConversation: ( id: string ) => Promise< ConversationRecord | null >;
	/** The visitor's newest open conversation under the chatflow. */
	findOpenConversation: (
		visitorId: string,
		chatflowId: string
	) => Promise< ConversationRecord | null >;
	/** The visitor's newest conversation under the chatflow, open or closed. */
	findLatestConversation: (
		visitorId: string,
		chatflowId: string
	) => Promise< ConversationRecord | null >;
	/**
	 * The same, with the count of messages its visitor has not read (what
	 * `countUnread( id, 'visitor' )` answers), in one query: a reconnecting
	 * visitor's catch-up.
	 */
	findLatestConversationWithUnread: (
		visitorId: string,
		chatflowId: string
	) => Promise< {
		conversation: ConversationRecord;
		visitorUnreadCount: number;
	} | null >;
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
	 * As `appendVisitorMessage`, but only into the visitor's open
	 * conversation under the chatflow: resolves null, writing nothing, when
	 * they have none. Lets a reply skip the checks only opening needs without
	 * reading the conversation first (the transaction reads it anyway).
	 */
	appendToOpenConversation: (
		input: AppendVisitorMessageInput
	) => Promise< AppendResult | null >;
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
	/** Assigns, transfers or unassigns, atomically (see `expectedAssigneeId`). Null: no such conversation. */
	assignConversation: (
		input: AssignInput
	) => Promise< AssignResult | null >;
	/**
	 * Closes or reopens a conversation and moves its ticket along
	 * (closed / reopened). Closing also clears nothing else: the assignee stays.
	 */
	setConversationStatus: ( input: {
		conversationId: string;
		status: ConversationStatus;
		updatedAt: string;
	} ) => Promise< StatusResult | null >;
	/**
	 * Records that the visitor, or one agent, read up to `seq` (never goes
	 * back, never beyond the last message). An agent's read also moves
	 * `agentReadSeq`, the highest mark of any agent.
	 */
	markRead: ( input: {
		conversationId: string;
		reader: 'agent' | 'visitor';
		seq: number;
		/** The agent who read (WordPress user id); required when `reader` is 'agent'. */
		agentId?: string;
	} ) => Promise< ConversationRecord | null >;
	/**
	 * Messages after the reader's read mark not written by that side: for an
	 * agent, after their own mark (with `agentId`) or after every agent's
	 * (`agentReadSeq`, without).
	 */
	countUnread: (
		conversationId: string,
		reader: 'agent' | 'visitor',
		agentId?: string
	) => Promise< number >;
	findTicket: ( conversationId: string ) => Promise< TicketRecord | null >;
	/** Changes some properties of a conversation's ticket. Null: it has no ticket. */
	updateTicket: ( input: {
		conversationId: string;
		properties: Partial< TicketProperties >;
		updatedAt: string;
	} ) => Promise< TicketRecord | null >;
	/** Stores (or replaces) the survey answer of a conversation. */
	saveSurveyAnswer: ( answer: SurveyAnswerRecord ) => Promise< void >;
	findSurveyAnswer: (
		conversationId: string
	) => Promise< SurveyAnswerRecord | null >;
}

/** The open conversations as assignment and the queue see them. */
export interface QueueRepository {
	/** Open conversations, oldest first: the queue is those without an assignee. */
	listOpenConversations: () => Promise< ConversationRecord[] >;
	/** Open conversations without an assignee, in the order of `listOpenConversations`. */
	listWaitingConversations: () => Promise< ConversationRecord[] >;
	/** Open conversations per assignee (agents with none are left out). */
	countOpenByAssignee: () => Promise< AgentOpenCount[] >;
	/** A conversation's place in its chatflow's queue; null when it does not wait. */
	findQueuePlace: ( conversationId: string ) => Promise< QueuePlace | null >;
	/** Open conversations with the author type of their newest message. */
	listOpenConversationActivity: () => Promise< OpenConversationActivity[] >;
}

/** Contacts, the addresses visitors claim, and consent records. */
export interface ContactRepository {
	/**
	 * Finds the contact with this e-mail (trimmed, case-insensitive) or creates
	 * it, and links the conversation to it when one is given, and the visitor
	 * (with the consents they gave while anonymous) when one is given.
	 * `marketing` true makes it a marketing contact; it never unmakes one.
	 * Only for a verified identity (an identification token, a confirmed
	 * claim): a typed address is an `EmailClaimRecord`.
	 */
	linkContact: ( input: {
		email: string;
		/** The name of a new contact; an existing one keeps its own unless `rename`. */
		name: string;
		/** Gives an existing contact `name` (when not ''): the site's identification vouches for it. */
		rename?: boolean;
		newContactId: string;
		conversationId: string | null;
		createdAt: string;
		visitorId?: string;
		marketing?: boolean;
	} ) => Promise< ContactRecord >;
	findContact: ( id: string ) => Promise< ContactRecord | null >;
	/** The contact with this e-mail, matched trimmed and case-insensitively. */
	findContactByEmail: ( email: string ) => Promise< ContactRecord | null >;
	/** The contact a visitor is linked to (identification, a confirmed address), if any. */
	findVisitorContactId: ( visitorId: string ) => Promise< string | null >;
	/** Stores (or replaces) the visitor's claim, with the hash of its confirmation link's token. */
	saveEmailClaim: (
		claim: EmailClaimRecord & {
			confirmationHash: string | null;
			confirmationExpiresAt: string | null;
		}
	) => Promise< void >;
	findEmailClaim: ( visitorId: string ) => Promise< EmailClaimRecord | null >;
	/** Deletes and resolves the claim whose link token hashes to this, unless expired at `now`. */
	takeEmailClaim: ( input: {
		confirmationHash: string;
		now: string;
	} ) => Promise< EmailClaimRecord | null >;
	/** Claims of an address (trimmed, case-insensitive), oldest first. */
	listEmailClaims: ( email: string ) => Promise< EmailClaimRecord[] >;
	/** Deletes the claims of an address; resolves how many. */
	deleteEmailClaims: ( email: string ) => Promise< number >;
	/**
	 * Stores a consent record, unless the visitor's newest answer of that
	 * kind under that chatflow is the same (granted, method, text version):
	 * then resolves that one with `created` false. `contactId` null takes
	 * the contact the visitor is linked to, if any.
	 */
	recordConsent: (
		record: ConsentRecord
	) => Promise< { record: ConsentRecord; created: boolean } >;
	/**
	 * Consent records of the visitor and of every visitor linked to the
	 * contact, newest first, except those given under `hiddenChatflowIds`
	 * (chatflows outside the reading agent's scope).
	 */
	listConsents: ( input: ConsentsQuery ) => Promise< ConsentRecord[] >;
}

/** A contact's personal data (export, erasure) and retention. */
export interface PrivacyRepository {
	/**
	 * A contact's conversations, oldest first: those linked to it and every
	 * conversation of the visitors linked to it.
	 */
	listContactConversations: ( input: {
		contactId: string;
		offset: number;
		limit: number;
	} ) => Promise< ConversationRecord[] >;
	/** Every consent record of the contact and of its visitors, newest first. */
	listContactConsents: ( contactId: string ) => Promise< ConsentRecord[] >;
	/**
	 * Deletes the contact's next `limit` conversations (with everything keyed
	 * by them, as `deleteClosedConversations`), and once none is left its
	 * consent records, visitors and the contact itself. One transaction.
	 */
	erasePersonalData: ( input: {
		contactId: string;
		limit: number;
	} ) => Promise< ErasureBatch >;
	/**
	 * Deletes up to `limit` closed conversations whose last activity (their
	 * close, or anything after it) is before `closedBefore`, with their
	 * messages, files, ticket, survey answer, read marks, context and pending
	 * e-mails. Resolves how many went.
	 */
	deleteClosedConversations: ( input: {
		closedBefore: string;
		limit: number;
	} ) => Promise< number >;
}

/** Uploaded files. */
export interface AttachmentRepository {
	/** Stores an uploaded file, not yet in any message. */
	saveAttachment: (
		attachment: AttachmentRecord,
		data: Buffer
	) => Promise< void >;
	findAttachment: ( id: string ) => Promise< AttachmentRecord | null >;
	/** The file's bytes; null when there is no such attachment. */
	readAttachmentData: ( id: string ) => Promise< Buffer | null >;
	/**
	 * Puts an attachment in a stored message, once: only the uploader's own
	 * attachment, not in another message yet (linking it again to the same
	 * message changes nothing). Null when it cannot be linked.
	 */
	linkAttachment: ( input: {
		attachmentId: string;
		conversationId: string;
		seq: number;
		uploaderType: AttachmentRecord[ 'uploaderType' ];
		uploaderId: string;
	} ) => Promise< AttachmentRecord | null >;
	/** How many of an uploader's files are in no message yet. */
	countUnsentAttachments: (
		uploaderType: AttachmentRecord[ 'uploaderType' ],
		uploaderId: string
	) => Promise< number >;
	/** Deletes files uploaded before `before` (ISO 8601) and never sent; resolves how many. */
	deleteUnsentAttachments: ( before: string ) => Promise< number >;
}

/** The agents' inbox: views, related conversations, the visitor's context. */
export interface InboxRepository {
	/** One view of the inbox and the count of every view, within the agent's scope and search. */
	listInbox: ( input: InboxListInput ) => Promise< {
		conversations: ConversationSummary[];
		counts: InboxCounts;
	} >;
	/** The same visitor's or contact's other conversations, newest first. */
	listRelatedConversations: ( input: {
		conversationId: string;
		visitorId: string;
		contactId: string | null;
		limit: number;
	} ) => Promise< ConversationSummary[] >;
	/** Stores a conversation's visitor context; saving again keeps the start page. */
	saveConversationContext: (
		context: ConversationContextRecord
	) => Promise< void >;
	/**
	 * The visitor is on a page (a page change, or a new connection): when they
	 * have an open conversation under `chatflowId`, moves the current page of
	 * their open conversations, writing only those on another page. One
	 * statement; resolves how many conversations moved.
	 */
	moveCurrentPage: ( input: {
		visitorId: string;
		chatflowId: string;
		url: string;
		title: string;
		updatedAt: string;
	} ) => Promise< number >;
	findConversationContext: (
		conversationId: string
	) => Promise< ConversationContextRecord | null >;
}

/** The chatflows and directory WordPress pushed. */
export interface ConfigurationRepository {
	/**
	 * Stores everything WordPress sent. Each chatflow keeps the newer of the
	 * stored and the sent version; chatflows missing from it are removed.
	 * Resolves the configuration as stored.
	 */
	replaceConfiguration: (
		configuration: ServiceConfiguration
	) => Promise< ServiceConfiguration >;
	/** Stores one chatflow unless a newer version is stored. Resolves true when written. */
	saveChatflow: ( chatflow: CompiledChatflow ) => Promise< boolean >;
	/** Resolves true when it existed. */
	deleteChatflow: ( id: string ) => Promise< boolean >;
	/** The stored configuration; null before WordPress ever sent one. */
	loadConfiguration: () => Promise< ServiceConfiguration | null >;
}

/** Calls to WordPress waiting to be made (the outbox). */
export interface NotificationRepository {
	/** Stores a call to WordPress to be made (and retried) later. */
	enqueueNotification: ( input: {
		id: string;
		notification: ServiceNotification;
		createdAt: string;
		/** Not before (default: `createdAt`). */
		nextAttemptAt?: string;
		/** Held for the digest of this key (default: none, sent alone). */
		digestKey?: string | null;
	} ) => Promise< void >;
	/** Notifications due at `now`, oldest first; failed ones never. */
	listDueNotifications: (
		now: string,
		limit: number
	) => Promise< PendingNotification[] >;
	/** The pending notifications held for one digest, oldest first. */
	listDigestNotifications: (
		digestKey: string,
		limit: number
	) => Promise< PendingNotification[] >;
	/** Refused for good (or retried too long): kept, never sent again. */
	failNotification: ( id: string, failedAt: string ) => Promise< void >;
	/** Delivered: forget it. */
	completeNotification: ( id: string ) => Promise< void >;
	/** Failed: try again at `nextAttemptAt`. */
	postponeNotification: (
		id: string,
		nextAttemptAt: string
	) => Promise< void >;
}

/**
 * Everything the service stores: the narrow repositories together (new code
 * and tests take the narrow one they need).
 */
export type ChatRepository = VisitorRepository &
	ConversationRepository &
	QueueRepository &
	ContactRepository &
	PrivacyRepository &
	AttachmentRepository &
	InboxRepository &
	ConfigurationRepository &
	NotificationRepository &
	NoteRepository & {
		/** Closes the database; pending writes are finished first. */
		close: () => Promise< void >;
	};

/** Schema versions before and after bringing a database up to date. */
export interface MigrationResult {
	from: number;
	to: number;
}
