/**
 * Rows as both databases return them, and their mapping to records. SQLite
 * gives timestamps as ISO strings and flags as 0/1; PostgreSQL as Date and
 * boolean: one set of mappers serves both.
 */
import type {
	ChatMessage,
	ConversationStatus,
	ConversationSummary,
} from '@chatflows/protocol';
import type {
	ContactRecord,
	ConversationRecord,
	MessageAuthor,
	TicketRecord,
	TicketState,
	VisitorRecord,
} from './types';

/** A timestamp column: an ISO string (SQLite) or a Date (PostgreSQL). */
export type Timestamp = string | Date;

/** A boolean column: 0/1 (SQLite) or a boolean (PostgreSQL). */
export type Flag = number | boolean;

/**
 * A timestamp as ISO 8601 UTC.
 *
 * @param value The column's value.
 */
export function iso( value: Timestamp ): string {
	return typeof value === 'string' ? value : value.toISOString();
}

export interface VisitorRow {
	id: string;
	session_hash: string;
	created_at: Timestamp;
}

export interface ConversationRow {
	id: string;
	visitor_id: string;
	chatflow_id: string;
	status: string;
	page_url: string;
	created_at: Timestamp;
	updated_at: Timestamp;
	last_seq: number;
	assignee_id: string | null;
	team_id: string | null;
	contact_id: string | null;
	agent_read_seq: number;
	visitor_read_seq: number;
}

export interface TicketRow {
	id: string;
	conversation_id: string;
	chatflow_id: string;
	pipeline: string;
	status: string;
	priority: string;
	category: string;
	state: string;
	offline: Flag;
	created_at: Timestamp;
	updated_at: Timestamp;
}

export interface ContactRow {
	id: string;
	email: string;
	name: string;
	/** Absent from rows built in memory before the flag existed: false. */
	marketing?: Flag;
	created_at: Timestamp;
}

export function toTicket( row: TicketRow ): TicketRecord {
	return {
		id: row.id,
		conversationId: row.conversation_id,
		chatflowId: row.chatflow_id,
		pipeline: row.pipeline,
		status: row.status,
		priority: row.priority as TicketRecord[ 'priority' ],
		category: row.category,
		state: row.state as TicketState,
		offline: row.offline === true || row.offline === 1,
		createdAt: iso( row.created_at ),
		updatedAt: iso( row.updated_at ),
	};
}

export function toContact( row: ContactRow ): ContactRecord {
	return {
		id: row.id,
		email: row.email,
		name: row.name,
		marketing: row.marketing === true || Number( row.marketing ) === 1,
		createdAt: iso( row.created_at ),
	};
}

export interface MessageRow {
	conversation_id: string;
	seq: number;
	client_id: string;
	author_type: string;
	author_id: string;
	author_name: string;
	body: string;
	created_at: Timestamp;
}

export interface SummaryRow extends ConversationRow {
	m_seq: number | null;
	m_client_id: string | null;
	m_author_type: string | null;
	m_author_name: string | null;
	m_body: string | null;
	unread_count: number;
	m_created_at: Timestamp | null;
}

export function toVisitor( row: VisitorRow ): VisitorRecord {
	return {
		id: row.id,
		sessionHash: row.session_hash,
		createdAt: iso( row.created_at ),
	};
}

export function toConversation( row: ConversationRow ): ConversationRecord {
	return {
		id: row.id,
		visitorId: row.visitor_id,
		chatflowId: row.chatflow_id,
		status: row.status as ConversationStatus,
		pageUrl: row.page_url,
		createdAt: iso( row.created_at ),
		updatedAt: iso( row.updated_at ),
		lastSeq: row.last_seq,
		assigneeId: row.assignee_id,
		teamId: row.team_id,
		contactId: row.contact_id,
		agentReadSeq: row.agent_read_seq,
		visitorReadSeq: row.visitor_read_seq,
	};
}

export function toMessage( row: MessageRow ): ChatMessage {
	return {
		conversationId: row.conversation_id,
		seq: row.seq,
		clientId: row.client_id,
		authorType: row.author_type as ChatMessage[ 'authorType' ],
		authorName: row.author_name,
		body: row.body,
		createdAt: iso( row.created_at ),
	};
}

export function toAuthor( row: MessageRow ): MessageAuthor {
	return {
		type: row.author_type as MessageAuthor[ 'type' ],
		id: row.author_id,
		name: row.author_name,
	};
}

export function toSummary( row: SummaryRow ): ConversationSummary {
	return {
		id: row.id,
		chatflowId: row.chatflow_id,
		status: row.status as ConversationStatus,
		createdAt: iso( row.created_at ),
		visitorId: row.visitor_id,
		pageUrl: row.page_url,
		assigneeId: row.assignee_id,
		teamId: row.team_id,
		unreadCount: row.unread_count,
		updatedAt: iso( row.updated_at ),
		lastMessage:
			row.m_seq === null
				? null
				: {
						conversationId: row.id,
						seq: row.m_seq,
						clientId: row.m_client_id ?? '',
						authorType:
							row.m_author_type as ChatMessage[ 'authorType' ],
						authorName: row.m_author_name ?? '',
						body: row.m_body ?? '',
						createdAt: row.m_created_at
							? iso( row.m_created_at )
							: '',
					},
	};
}
