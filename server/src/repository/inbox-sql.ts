/**
 * The inbox's queries, written once for SQLite and PostgreSQL: views and
 * their counts, search, scoping to the agent's inboxes, the order by longest
 * wait, the visitor's context, earlier conversations and ticket edits.
 *
 * Statements use `?` placeholders (see `db.ts`).
 */
import type { DialectName, SqlDialect } from './db';
import { agentUnreadSubquery } from './read-marks';
import type {
	AuthorType,
	ConversationSummary,
	InboxCounts,
	InboxView,
	TicketProperties,
} from '@chatflows/protocol';
import type {
	ConversationContextRecord,
	InboxListInput,
	OpenConversationActivity,
} from './types';
import { iso, toSummary, type SummaryRow, type Timestamp } from './rows';

/** The databases, as the schema steps name them. */
export type Dialect = DialectName;

/** A statement and its parameters. */
export interface Statement {
	sql: string;
	params: unknown[];
}

/**
 * Turns text into a LIKE pattern matching it anywhere, with `\` escaping
 * the wildcards it contains.
 *
 * @param text What the agent searched for.
 * @return The pattern, in lower case.
 */
export function containsPattern( text: string ): string {
	return `%${ text.toLowerCase().replace( /[\\%_]/g, ( c ) => `\\${ c }` ) }%`;
}

const placeholders = ( values: unknown[] ): string =>
	values.map( () => '?' ).join( ', ' );

/**
 * The WHERE clause shared by a view's list and the counts: the agent's
 * scope and the search.
 *
 * @param input What the agent asked.
 * @return Conditions (joined with AND) and their parameters.
 */
function scopeAndSearch( input: InboxListInput ): Statement {
	const conditions: string[] = [];
	const params: unknown[] = [];
	const { scope } = input;
	if ( scope.hiddenChatflowIds.length > 0 ) {
		// Conversations of other inboxes stay visible when routed to one of the
		// agent's teams or assigned to them.
		const visible = [
			`c.chatflow_id NOT IN ( ${ placeholders(
				scope.hiddenChatflowIds
			) } )`,
		];
		params.push( ...scope.hiddenChatflowIds );
		if ( scope.teamIds.length > 0 ) {
			visible.push(
				`c.team_id IN ( ${ placeholders( scope.teamIds ) } )`
			);
			params.push( ...scope.teamIds );
		}
		visible.push( 'c.assignee_id = ?' );
		params.push( input.userId );
		conditions.push( `( ${ visible.join( ' OR ' ) } )` );
	}
	if ( input.search !== '' ) {
		const pattern = containsPattern( input.search );
		conditions.push(
			`( LOWER( ct.email ) LIKE ? ESCAPE '\\'
			OR EXISTS ( SELECT 1 FROM messages s WHERE s.conversation_id = c.id
				AND LOWER( s.body ) LIKE ? ESCAPE '\\' ) )`
		);
		params.push( pattern, pattern );
	}
	return {
		sql: conditions.length ? conditions.join( ' AND ' ) : '1 = 1',
		params,
	};
}

/**
 * The condition of one view.
 *
 * @param view   The view.
 * @param userId The agent.
 * @return The condition and its parameters.
 */
function viewCondition( view: InboxView, userId: string ): Statement {
	switch ( view ) {
		case 'unassigned':
			return {
				sql: "c.status = 'open' AND c.assignee_id IS NULL",
				params: [],
			};
		case 'mine':
			return {
				sql: "c.status = 'open' AND c.assignee_id = ?",
				params: [ userId ],
			};
		case 'closed':
			return { sql: "c.status = 'closed'", params: [] };
		default:
			return { sql: "c.status = 'open'", params: [] };
	}
}

/**
 * Columns of a conversation as the inbox lists it: the summary's, the
 * contact's e-mail and name, and since when the visitor waits for an answer
 * (their oldest message after the last agent message, open conversations only).
 *
 * @param dialect    The database.
 * @param forAgentId True: the unread count is that of one agent, whose id is
 *                   the first parameter (`?`); else after every agent's mark.
 * @return The SELECT … FROM … JOIN part.
 */
function summarySelect( dialect: SqlDialect, forAgentId = false ): string {
	const { count } = dialect;
	// Insertion order breaks ties between equal timestamps (SQLite's rowid is
	// not part of c.* and would be lost in a subquery).
	const rowOrder = `c.${ dialect.insertionOrder }`;
	return `
	SELECT c.*, ${ rowOrder } AS row_order,
		m.seq AS m_seq, m.client_id AS m_client_id, m.author_type AS m_author_type,
		m.author_name AS m_author_name, m.body AS m_body, m.created_at AS m_created_at,
		${
			forAgentId
				? agentUnreadSubquery( count, '?' )
				: `( SELECT ${ count } FROM messages u
			WHERE u.conversation_id = c.id AND u.seq > c.agent_read_seq AND u.author_type <> 'agent'
		)`
		} AS unread_count,
		ct.email AS contact_email, ct.name AS contact_name,
		CASE WHEN c.status = 'open' THEN (
			SELECT MIN( w.created_at ) FROM messages w
			WHERE w.conversation_id = c.id AND w.author_type = 'visitor'
				AND w.seq > COALESCE( ( SELECT MAX( a.seq ) FROM messages a
					WHERE a.conversation_id = c.id AND a.author_type = 'agent' ), 0 )
		) END AS waiting_since
	FROM conversations c
	LEFT JOIN messages m ON m.conversation_id = c.id AND m.seq = c.last_seq
	LEFT JOIN contacts ct ON ct.id = c.contact_id`;
}

/** A row of `summarySelect`. */
export interface InboxSummaryRow extends SummaryRow {
	contact_email: string | null;
	contact_name: string | null;
	waiting_since: Timestamp | null;
}

/**
 * Maps a row of `summarySelect`.
 *
 * @param row The row.
 * @return The conversation as the inbox lists it.
 */
export function toInboxSummary( row: InboxSummaryRow ): ConversationSummary {
	return {
		...toSummary( row ),
		// PostgreSQL's COUNT cast is an int already; SQLite's is a number too.
		unreadCount: Number( row.unread_count ),
		waitingSince: row.waiting_since ? iso( row.waiting_since ) : null,
		visitorEmail: row.contact_email,
		visitorName:
			row.contact_name === null || row.contact_name === ''
				? null
				: row.contact_name,
	};
}

/**
 * Conversations of one view: the longest waiting first, then the most
 * recently active (closed ones: the most recently closed first).
 *
 * @param dialect The database.
 * @param input   What the agent asked.
 * @return The statement.
 */
export function inboxListStatement(
	dialect: SqlDialect,
	input: InboxListInput
): Statement {
	const where = scopeAndSearch( input );
	const view = viewCondition( input.view, input.userId );
	const order =
		input.view === 'closed'
			? 'c.updated_at DESC, c.row_order DESC'
			: 'CASE WHEN c.waiting_since IS NULL THEN 1 ELSE 0 END, c.waiting_since ASC, c.updated_at DESC, c.row_order DESC';
	return {
		sql: `SELECT * FROM ( ${ summarySelect( dialect, true ) }
			WHERE ${ view.sql } AND ${ where.sql } ) AS c
			ORDER BY ${ order } LIMIT ?`,
		// The agent's own unread counts.
		params: [ input.userId, ...view.params, ...where.params, input.limit ],
	};
}

/**
 * How many conversations each view holds, within the same scope and search.
 *
 * @param input What the agent asked.
 * @return The statement; its one row has `unassigned`, `mine`, `open`, `closed`.
 */
export function inboxCountsStatement( input: InboxListInput ): Statement {
	const where = scopeAndSearch( input );
	return {
		sql: `SELECT
			COALESCE( SUM( CASE WHEN c.status = 'open' AND c.assignee_id IS NULL THEN 1 ELSE 0 END ), 0 ) AS unassigned,
			COALESCE( SUM( CASE WHEN c.status = 'open' AND c.assignee_id = ? THEN 1 ELSE 0 END ), 0 ) AS mine,
			COALESCE( SUM( CASE WHEN c.status = 'open' THEN 1 ELSE 0 END ), 0 ) AS open,
			COALESCE( SUM( CASE WHEN c.status = 'closed' THEN 1 ELSE 0 END ), 0 ) AS closed
			FROM conversations c LEFT JOIN contacts ct ON ct.id = c.contact_id
			WHERE ${ where.sql }`,
		params: [ input.userId, ...where.params ],
	};
}

/**
 * Maps the counts row (PostgreSQL sums are strings).
 *
 * @param row The row.
 * @return The counts.
 */
export function toCounts( row: Record< InboxView, unknown > ): InboxCounts {
	return {
		unassigned: Number( row.unassigned ),
		mine: Number( row.mine ),
		open: Number( row.open ),
		closed: Number( row.closed ),
	};
}

/**
 * The other conversations of the same visitor or contact, newest first.
 *
 * @param dialect              The database.
 * @param input                The conversation and whom it belongs to.
 * @param input.conversationId The conversation left out.
 * @param input.visitorId      Its visitor.
 * @param input.contactId      Its contact, if any.
 * @param input.limit          Most rows.
 * @return The statement.
 */
export function relatedConversationsStatement(
	dialect: SqlDialect,
	input: {
		conversationId: string;
		visitorId: string;
		contactId: string | null;
		limit: number;
	}
): Statement {
	const tieBreak = `c.${ dialect.insertionOrder }`;
	const owner =
		input.contactId === null
			? 'c.visitor_id = ?'
			: '( c.visitor_id = ? OR c.contact_id = ? )';
	const params: unknown[] = [ input.visitorId ];
	if ( input.contactId !== null ) {
		params.push( input.contactId );
	}
	return {
		sql: `${ summarySelect( dialect ) }
			WHERE ${ owner } AND c.id <> ?
			ORDER BY c.created_at DESC, ${ tieBreak } DESC LIMIT ?`,
		params: [ ...params, input.conversationId, input.limit ],
	};
}

/** Open conversations with who wrote last: what the admin menu's counts need. */
export const OPEN_WITH_LAST_AUTHOR = `SELECT c.id, c.chatflow_id, c.team_id, c.assignee_id, m.author_type AS last_author_type
	FROM conversations c
	LEFT JOIN messages m ON m.conversation_id = c.id AND m.seq = c.last_seq
	WHERE c.status = 'open'`;

export interface OpenWithLastAuthorRow {
	id: string;
	chatflow_id: string;
	team_id: string | null;
	assignee_id: string | null;
	last_author_type: string | null;
}

/**
 * @param row A row of `OPEN_WITH_LAST_AUTHOR`.
 * @return The conversation's activity.
 */
export function toOpenActivity(
	row: OpenWithLastAuthorRow
): OpenConversationActivity {
	return {
		id: row.id,
		chatflowId: row.chatflow_id,
		teamId: row.team_id,
		assigneeId: row.assignee_id,
		lastAuthorType: row.last_author_type as AuthorType | null,
	};
}

/** Columns of `conversation_contexts`. */
export interface ContextRow {
	conversation_id: string;
	start_page_url: string;
	start_page_title: string;
	current_page_url: string;
	current_page_title: string;
	referrer: string;
	time_zone: string;
	language: string;
	device_type: string;
	updated_at: Timestamp;
}

/**
 * Maps a context row.
 *
 * @param row The row.
 * @return The record.
 */
export function toContextRecord( row: ContextRow ): ConversationContextRecord {
	return {
		conversationId: row.conversation_id,
		startPageUrl: row.start_page_url,
		startPageTitle: row.start_page_title,
		currentPageUrl: row.current_page_url,
		currentPageTitle: row.current_page_title,
		referrer: row.referrer,
		timeZone: row.time_zone,
		language: row.language,
		deviceType: row.device_type,
		updatedAt: iso( row.updated_at ),
	};
}

/** Inserts a conversation's context; a second save keeps the start page. */
export const UPSERT_CONTEXT = `INSERT INTO conversation_contexts
	( conversation_id, start_page_url, start_page_title, current_page_url, current_page_title,
		referrer, time_zone, language, device_type, updated_at )
	VALUES ( ?, ?, ?, ?, ?, ?, ?, ?, ?, ? )
	ON CONFLICT ( conversation_id ) DO UPDATE SET
		current_page_url = excluded.current_page_url,
		current_page_title = excluded.current_page_title,
		time_zone = excluded.time_zone,
		language = excluded.language,
		device_type = excluded.device_type,
		updated_at = excluded.updated_at`;

/**
 * Parameters of `UPSERT_CONTEXT`.
 *
 * @param record The context.
 * @return The parameters, in order.
 */
export function contextParams( record: ConversationContextRecord ): unknown[] {
	return [
		record.conversationId,
		record.startPageUrl,
		record.startPageTitle,
		record.currentPageUrl,
		record.currentPageTitle,
		record.referrer,
		record.timeZone,
		record.language,
		record.deviceType,
		record.updatedAt,
	];
}

/** Moves the current page of a visitor's open conversations. */
/**
 * Moves the current page of a visitor's open conversations, in one statement
 * (a reconnection asks it every time): only when the visitor has an open
 * conversation under the chatflow they are on, and only rows whose page
 * differs (a reconnection on the same page writes nothing).
 */
export const MOVE_CURRENT_PAGE = `UPDATE conversation_contexts SET
	current_page_url = ?, current_page_title = ?, updated_at = ?
	WHERE conversation_id IN (
		SELECT id FROM conversations WHERE visitor_id = ? AND status = 'open' )
	AND ( current_page_url <> ? OR current_page_title <> ? )
	AND EXISTS ( SELECT 1 FROM conversations
		WHERE visitor_id = ? AND chatflow_id = ? AND status = 'open' )`;

export const CONTEXT_BY_CONVERSATION =
	'SELECT * FROM conversation_contexts WHERE conversation_id = ?';

/**
 * Changes the given ticket properties of a conversation's ticket.
 *
 * @param conversationId The conversation.
 * @param properties     Only the properties to change (at least one).
 * @param updatedAt      When.
 * @return The statement; it returns the updated row.
 */
export function updateTicketStatement(
	conversationId: string,
	properties: Partial< TicketProperties >,
	updatedAt: string
): Statement {
	const columns: Array< keyof TicketProperties > = [
		'pipeline',
		'status',
		'priority',
		'category',
	];
	const sets: string[] = [];
	const params: unknown[] = [];
	for ( const column of columns ) {
		const value = properties[ column ];
		if ( value !== undefined ) {
			sets.push( `${ column } = ?` );
			params.push( value );
		}
	}
	sets.push( 'updated_at = ?' );
	params.push( updatedAt, conversationId );
	return {
		sql: `UPDATE tickets SET ${ sets.join(
			', '
		) } WHERE conversation_id = ? RETURNING *`,
		params,
	};
}

/** The schema step both databases apply (types are portable: TEXT only). */
export const INBOX_MIGRATION = `
	CREATE TABLE conversation_contexts (
		conversation_id TEXT PRIMARY KEY REFERENCES conversations ( id ),
		start_page_url TEXT NOT NULL,
		start_page_title TEXT NOT NULL,
		current_page_url TEXT NOT NULL,
		current_page_title TEXT NOT NULL,
		referrer TEXT NOT NULL,
		time_zone TEXT NOT NULL,
		language TEXT NOT NULL,
		device_type TEXT NOT NULL,
		updated_at TEXT NOT NULL
	);
	CREATE INDEX conversations_by_contact ON conversations ( contact_id );
	CREATE INDEX conversations_by_status_activity ON conversations ( status, updated_at );
`;
