/**
 * Visitors, conversations and their messages, tickets, read marks and
 * survey answers, written once over the query layer (`db.ts`) for SQLite
 * and PostgreSQL.
 *
 * Concurrency: appends lock the conversation row (`forUpdate`) before
 * reading the client id and the next seq, so concurrent writers on any node
 * number messages without gaps or repeats; a visitor's first messages are
 * serialized by a lock on the visitor, so concurrent first messages open
 * one conversation. (SQLite's write transactions run one at a time anyway.)
 */
import type {
	ChatMessage,
	ConversationStatus,
	ConversationSummary,
} from '@chatflows/protocol';
import {
	ATTACHMENT_SQL,
	toAttachment,
	withAttachments,
	type AttachmentRow,
} from '../attachments/rows';
import { LockScope, type Db, type SqlDialect } from './db';
import { updateTicketStatement } from './inbox-sql';
import { agentUnreadSubquery, upsertAgentReadSql } from './read-marks';
import {
	iso,
	toAuthor,
	toConversation,
	toMessage,
	toSummary,
	toTicket,
	toVisitor,
	type ConversationRow,
	type MessageRow,
	type SummaryRow,
	type Timestamp,
	type TicketRow,
	type VisitorRow,
} from './rows';
import type {
	AppendMessageInput,
	AppendResult,
	AppendVisitorMessageInput,
	AssignInput,
	AssignResult,
	ConversationRecord,
	ConversationRepository,
	StatusResult,
	SurveyAnswerRecord,
	TicketProperties,
	TicketRecord,
	VisitorRecord,
	VisitorRepository,
} from './types';

const CONVERSATION_BY_ID = 'SELECT * FROM conversations WHERE id = ?';

const SET_STATUS =
	'UPDATE conversations SET status = ?, updated_at = ? WHERE id = ? RETURNING *';

const SET_TICKET_STATE =
	'UPDATE tickets SET state = ?, updated_at = ? WHERE conversation_id = ?';

const MESSAGE_BY_CLIENT_ID =
	'SELECT * FROM messages WHERE conversation_id = ? AND client_id = ?';

/**
 * The statements whose text depends on the database, made once per dialect.
 *
 * @param dialect The database.
 */
function buildSql( dialect: SqlDialect ) {
	const { count, greatest, least, insertionOrder } = dialect;
	const newest = ( onlyOpen: boolean ) => `SELECT * FROM conversations
		WHERE visitor_id = ? AND chatflow_id = ?${
			onlyOpen ? " AND status = 'open'" : ''
		}
		ORDER BY created_at DESC, ${ insertionOrder } DESC LIMIT 1`;
	// The messages `reader` has not read in the conversation aliased `c`.
	const unreadOf = ( reader: 'agent' | 'visitor' ) =>
		`SELECT ${ count } FROM messages u
		WHERE u.conversation_id = c.id
		AND u.seq > c.${ reader }_read_seq AND u.author_type <> '${ reader }'`;
	const summarySelect = `SELECT c.*,
		m.seq AS m_seq, m.client_id AS m_client_id, m.author_type AS m_author_type,
		m.author_name AS m_author_name, m.body AS m_body, m.created_at AS m_created_at,
		( ${ unreadOf( 'agent' ) } ) AS unread_count
	FROM conversations c
	LEFT JOIN messages m ON m.conversation_id = c.id AND m.seq = c.last_seq`;
	const markRead = ( column: string ) =>
		`UPDATE conversations SET ${ column } = ${ greatest }( ${ column }, ${ least }( ?, last_seq ) )
		WHERE id = ? RETURNING *`;
	const unread = ( reader: 'agent' | 'visitor' ) =>
		`SELECT ( ${ unreadOf( reader ) } ) AS n FROM conversations c WHERE c.id = ?`;
	return {
		openConversation: newest( true ),
		latestConversation: newest( false ),
		latestWithVisitorUnread: `SELECT c.*, ( ${ unreadOf(
			'visitor'
		) } ) AS unread_count
			FROM conversations c WHERE c.visitor_id = ? AND c.chatflow_id = ?
			ORDER BY c.created_at DESC, c.${ insertionOrder } DESC LIMIT 1`,
		lockConversation: CONVERSATION_BY_ID + dialect.forUpdate,
		listSummaries: `${ summarySelect }
			ORDER BY c.updated_at DESC, c.${ insertionOrder } DESC LIMIT ?`,
		summaryById: `${ summarySelect } WHERE c.id = ?`,
		markAgentRead: markRead( 'agent_read_seq' ),
		markVisitorRead: markRead( 'visitor_read_seq' ),
		upsertAgentRead: upsertAgentReadSql( dialect ),
		unreadForAgent: `SELECT ${ agentUnreadSubquery(
			count,
			'?'
		) } AS n FROM conversations c WHERE c.id = ?`,
		unreadForAgents: unread( 'agent' ),
		unreadForVisitor: unread( 'visitor' ),
	};
}

const sqlByDialect = new WeakMap< SqlDialect, ReturnType< typeof buildSql > >();

/**
 * @param db The database.
 * @return Its statements (see `buildSql`).
 */
function sqlOf( db: Db ): ReturnType< typeof buildSql > {
	let sql = sqlByDialect.get( db.dialect );
	if ( ! sql ) {
		sql = buildSql( db.dialect );
		sqlByDialect.set( db.dialect, sql );
	}
	return sql;
}

/** Visitors. */
export class SqlVisitorRepository implements VisitorRepository {
	constructor( private readonly db: Db ) {}

	async createVisitor( visitor: VisitorRecord ): Promise< void > {
		// Every new session writes one: with the messages of the moment, one commit.
		await this.db.grouped( () =>
			this.db.exec(
				'INSERT INTO visitors ( id, session_hash, created_at ) VALUES ( ?, ?, ? )',
				[ visitor.id, visitor.sessionHash, visitor.createdAt ]
			)
		);
	}

	async findVisitorBySessionHash(
		sessionHash: string
	): Promise< VisitorRecord | null > {
		const row = await this.db.one< VisitorRow >(
			'SELECT * FROM visitors WHERE session_hash = ?',
			[ sessionHash ]
		);
		return row ? toVisitor( row ) : null;
	}
}

/** Conversations, messages, tickets, read marks and survey answers. */
export class SqlConversationRepository implements ConversationRepository {
	constructor( private readonly db: Db ) {}

	async findConversation( id: string ): Promise< ConversationRecord | null > {
		const row = await this.db.one< ConversationRow >( CONVERSATION_BY_ID, [
			id,
		] );
		return row ? toConversation( row ) : null;
	}

	async findOpenConversation(
		visitorId: string,
		chatflowId: string
	): Promise< ConversationRecord | null > {
		const row = await this.db.one< ConversationRow >(
			sqlOf( this.db ).openConversation,
			[ visitorId, chatflowId ]
		);
		return row ? toConversation( row ) : null;
	}

	async findLatestConversation(
		visitorId: string,
		chatflowId: string
	): Promise< ConversationRecord | null > {
		const row = await this.db.one< ConversationRow >(
			sqlOf( this.db ).latestConversation,
			[ visitorId, chatflowId ]
		);
		return row ? toConversation( row ) : null;
	}

	async findLatestConversationWithUnread(
		visitorId: string,
		chatflowId: string
	): Promise< {
		conversation: ConversationRecord;
		visitorUnreadCount: number;
	} | null > {
		const row = await this.db.one<
			ConversationRow & { unread_count: number }
		>( sqlOf( this.db ).latestWithVisitorUnread, [
			visitorId,
			chatflowId,
		] );
		return row
			? {
					conversation: toConversation( row ),
					visitorUnreadCount: row.unread_count,
				}
			: null;
	}

	async listConversations( options: {
		limit: number;
	} ): Promise< ConversationSummary[] > {
		const rows = await this.db.many< SummaryRow >(
			sqlOf( this.db ).listSummaries,
			[ options.limit ]
		);
		return rows.map( toSummary );
	}

	async getConversationSummary(
		id: string
	): Promise< ConversationSummary | null > {
		const row = await this.db.one< SummaryRow >(
			sqlOf( this.db ).summaryById,
			[ id ]
		);
		return row ? toSummary( row ) : null;
	}

	async appendVisitorMessage(
		input: AppendVisitorMessageInput
	): Promise< AppendResult > {
		// Without `onlyToOpen` the transaction always stores or finds a message.
		return ( await appendVisitor( this.db, input ) ) as AppendResult;
	}

	appendToOpenConversation(
		input: AppendVisitorMessageInput
	): Promise< AppendResult | null > {
		return appendVisitor( this.db, { ...input, onlyToOpen: true } );
	}

	appendMessage( input: AppendMessageInput ): Promise< AppendResult | null > {
		return this.db.grouped( () =>
			this.db.transaction( async ( tx ) => {
				const row = await lockConversation( tx, input.conversationId );
				return row
					? store( tx, toConversation( row ), input, false )
					: null;
			} )
		);
	}

	async listMessages(
		conversationId: string,
		afterSeq: number
	): Promise< ChatMessage[] > {
		const rows = await this.db.many< MessageRow >(
			'SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq',
			[ conversationId, afterSeq ]
		);
		// Nothing after the seq (a client that is up to date): no attachment either.
		if ( rows.length === 0 ) {
			return [];
		}
		const attachments = await this.db.many< AttachmentRow >(
			ATTACHMENT_SQL.ofConversation,
			[ conversationId, afterSeq ]
		);
		return withAttachments(
			rows.map( toMessage ),
			attachments.map( toAttachment )
		);
	}

	assignConversation( input: AssignInput ): Promise< AssignResult | null > {
		return this.db.transaction( async ( tx ) => {
			const row = await lockConversation( tx, input.conversationId );
			if ( ! row ) {
				return null;
			}
			if (
				row.status !== 'open' ||
				( input.expectedAssigneeId !== undefined &&
					row.assignee_id !== input.expectedAssigneeId )
			) {
				return { conversation: toConversation( row ), changed: false };
			}
			const updated = ( await tx.one< ConversationRow >(
				'UPDATE conversations SET assignee_id = ?, team_id = ? WHERE id = ? RETURNING *',
				[ input.assigneeId, input.teamId, input.conversationId ]
			) ) as ConversationRow;
			return { conversation: toConversation( updated ), changed: true };
		} );
	}

	setConversationStatus( input: {
		conversationId: string;
		status: ConversationStatus;
		updatedAt: string;
	} ): Promise< StatusResult | null > {
		return this.db.transaction( async ( tx ) => {
			const row = await lockConversation( tx, input.conversationId );
			if ( ! row ) {
				return null;
			}
			if ( row.status === input.status ) {
				return { conversation: toConversation( row ), changed: false };
			}
			const updated = ( await tx.one< ConversationRow >( SET_STATUS, [
				input.status,
				input.updatedAt,
				input.conversationId,
			] ) ) as ConversationRow;
			await tx.exec( SET_TICKET_STATE, [
				input.status === 'closed' ? 'closed' : 'reopened',
				input.updatedAt,
				input.conversationId,
			] );
			return { conversation: toConversation( updated ), changed: true };
		} );
	}

	async markRead( input: {
		conversationId: string;
		reader: 'agent' | 'visitor';
		seq: number;
		agentId?: string;
	} ): Promise< ConversationRecord | null > {
		const sql = sqlOf( this.db );
		const mark = ( db: Db ) =>
			db.one< ConversationRow >(
				input.reader === 'agent'
					? sql.markAgentRead
					: sql.markVisitorRead,
				[ input.seq, input.conversationId ]
			);
		const { agentId } = input;
		const row =
			input.reader === 'agent' && agentId !== undefined
				? await this.db.transaction( async ( tx ) => {
						await tx.exec( sql.upsertAgentRead, [
							agentId,
							input.seq,
							input.conversationId,
						] );
						return mark( tx );
					} )
				: await mark( this.db );
		return row ? toConversation( row ) : null;
	}

	async countUnread(
		conversationId: string,
		reader: 'agent' | 'visitor',
		agentId?: string
	): Promise< number > {
		const sql = sqlOf( this.db );
		const row =
			reader === 'agent' && agentId !== undefined
				? await this.db.one< { n: number } >( sql.unreadForAgent, [
						agentId,
						conversationId,
					] )
				: await this.db.one< { n: number } >(
						reader === 'agent'
							? sql.unreadForAgents
							: sql.unreadForVisitor,
						[ conversationId ]
					);
		return row ? row.n : 0;
	}

	async findTicket( conversationId: string ): Promise< TicketRecord | null > {
		const row = await this.db.one< TicketRow >(
			'SELECT * FROM tickets WHERE conversation_id = ?',
			[ conversationId ]
		);
		return row ? toTicket( row ) : null;
	}

	async updateTicket( input: {
		conversationId: string;
		properties: Partial< TicketProperties >;
		updatedAt: string;
	} ): Promise< TicketRecord | null > {
		const statement = updateTicketStatement(
			input.conversationId,
			input.properties,
			input.updatedAt
		);
		const row = await this.db.one< TicketRow >(
			statement.sql,
			statement.params
		);
		return row ? toTicket( row ) : null;
	}

	async saveSurveyAnswer( answer: SurveyAnswerRecord ): Promise< void > {
		await this.db.exec(
			`INSERT INTO survey_answers ( conversation_id, rating, comment, answered_at )
			VALUES ( ?, ?, ?, ? )
			ON CONFLICT ( conversation_id ) DO UPDATE SET
			rating = excluded.rating, comment = excluded.comment, answered_at = excluded.answered_at`,
			[
				answer.conversationId,
				answer.rating,
				answer.comment,
				answer.answeredAt,
			]
		);
	}

	async findSurveyAnswer(
		conversationId: string
	): Promise< SurveyAnswerRecord | null > {
		const row = await this.db.one< {
			conversation_id: string;
			rating: number;
			comment: string;
			answered_at: Timestamp;
		} >( 'SELECT * FROM survey_answers WHERE conversation_id = ?', [
			conversationId,
		] );
		return row
			? {
					conversationId: row.conversation_id,
					rating: row.rating,
					comment: row.comment,
					answeredAt: iso( row.answered_at ),
				}
			: null;
	}
}

/**
 * A visitor's message, in a transaction that may share its commit.
 *
 * @param db    The database.
 * @param input The message.
 * @return What was stored; null when `onlyToOpen` and there is no open conversation.
 */
function appendVisitor(
	db: Db,
	input: AppendVisitorMessageInput & { onlyToOpen?: boolean }
): Promise< AppendResult | null > {
	return db.grouped( () =>
		db.transaction( ( tx ) => appendVisitorMessage( tx, input ) )
	);
}

/**
 * Reads a conversation, locked until the transaction ends.
 *
 * @param tx The transaction.
 * @param id The conversation.
 * @return Its row, or null.
 */
function lockConversation(
	tx: Db,
	id: string
): Promise< ConversationRow | null > {
	return tx.one< ConversationRow >( sqlOf( tx ).lockConversation, [ id ] );
}

/**
 * Locks a conversation this transaction has read (where the database locks
 * rows; SQLite's transaction already holds the whole database).
 *
 * @param tx  The transaction.
 * @param row The conversation as read.
 * @return The conversation, locked.
 */
async function relock(
	tx: Db,
	row: ConversationRow
): Promise< ConversationRow > {
	return tx.dialect.forUpdate === ''
		? row
		: ( ( await lockConversation( tx, row.id ) ) ?? row );
}

/**
 * A visitor's message: into their open conversation under the chatflow, or
 * a reopened closed one, or a new one.
 *
 * @param tx    The transaction.
 * @param input The message.
 * @return What was stored; null when `onlyToOpen` and there is no open conversation.
 */
async function appendVisitorMessage(
	tx: Db,
	input: AppendVisitorMessageInput & { onlyToOpen?: boolean }
): Promise< AppendResult | null > {
	await tx.lock( LockScope.visitor, input.visitorId );
	const open = await tx.one< ConversationRow >(
		sqlOf( tx ).openConversation,
		[ input.visitorId, input.chatflowId ]
	);
	if ( open ) {
		const locked = await relock( tx, open );
		return store( tx, toConversation( locked ), input, false );
	}
	if ( input.onlyToOpen ) {
		return null;
	}
	const latest = input.reopenClosed
		? await tx.one< ConversationRow >( sqlOf( tx ).latestConversation, [
				input.visitorId,
				input.chatflowId,
			] )
		: null;
	if ( latest ) {
		const locked = await relock( tx, latest );
		const repeated = await tx.one< MessageRow >( MESSAGE_BY_CLIENT_ID, [
			locked.id,
			input.clientId,
		] );
		if ( repeated ) {
			return {
				conversation: toConversation( locked ),
				message: toMessage( repeated ),
				author: toAuthor( repeated ),
				created: false,
				conversationCreated: false,
			};
		}
		const reopened = ( await tx.one< ConversationRow >( SET_STATUS, [
			'open',
			input.createdAt,
			locked.id,
		] ) ) as ConversationRow;
		await tx.exec( SET_TICKET_STATE, [
			'reopened',
			input.createdAt,
			locked.id,
		] );
		return {
			...( await store( tx, toConversation( reopened ), input, false ) ),
			conversationReopened: true,
		};
	}
	const created = ( await tx.one< ConversationRow >(
		`INSERT INTO conversations
		( id, visitor_id, chatflow_id, status, page_url, created_at, updated_at, last_seq )
		VALUES ( ?, ?, ?, 'open', ?, ?, ?, 0 ) RETURNING *`,
		[
			input.newConversationId,
			input.visitorId,
			input.chatflowId,
			input.pageUrl,
			input.createdAt,
			input.createdAt,
		]
	) ) as ConversationRow;
	if ( input.ticket ) {
		const ticket = input.ticket;
		await tx.exec(
			`INSERT INTO tickets
			( id, conversation_id, chatflow_id, pipeline, status, priority, category, state, offline, created_at, updated_at )
			VALUES ( ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ? )`,
			[
				ticket.id,
				input.newConversationId,
				input.chatflowId,
				ticket.pipeline,
				ticket.status,
				ticket.priority,
				ticket.category,
				// 1 and 0 are booleans to PostgreSQL too.
				ticket.offline ? 1 : 0,
				input.createdAt,
				input.createdAt,
			]
		);
	}
	return store( tx, toConversation( created ), input, true );
}

/**
 * Stores a message in a conversation this transaction has locked; a known
 * client id returns the stored message instead.
 *
 * @param tx                  The transaction.
 * @param conversation        The locked conversation.
 * @param input               The message.
 * @param conversationCreated Whether this transaction opened the conversation.
 * @return What was stored or found.
 */
async function store(
	tx: Db,
	conversation: ConversationRecord,
	input: AppendMessageInput | AppendVisitorMessageInput,
	conversationCreated: boolean
): Promise< AppendResult > {
	const existing = await tx.one< MessageRow >( MESSAGE_BY_CLIENT_ID, [
		conversation.id,
		input.clientId,
	] );
	if ( existing ) {
		return {
			conversation,
			message: toMessage( existing ),
			author: toAuthor( existing ),
			created: false,
			conversationCreated,
		};
	}
	const updated = toConversation(
		( await tx.one< ConversationRow >(
			`UPDATE conversations SET last_seq = last_seq + 1, updated_at = ?
			WHERE id = ? RETURNING *`,
			[ input.createdAt, conversation.id ]
		) ) as ConversationRow
	);
	const row: MessageRow = {
		conversation_id: conversation.id,
		seq: updated.lastSeq,
		client_id: input.clientId,
		author_type: input.author.type,
		author_id: input.author.id,
		author_name: input.author.name,
		body: input.body,
		created_at: input.createdAt,
	};
	await tx.exec(
		`INSERT INTO messages
		( conversation_id, seq, client_id, author_type, author_id, author_name, body, created_at )
		VALUES ( ?, ?, ?, ?, ?, ?, ?, ? )`,
		[
			row.conversation_id,
			row.seq,
			row.client_id,
			row.author_type,
			row.author_id,
			row.author_name,
			row.body,
			row.created_at,
		]
	);
	return {
		conversation: updated,
		message: toMessage( row ),
		author: toAuthor( row ),
		created: true,
		conversationCreated,
	};
}
