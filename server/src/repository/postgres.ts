/**
 * The scale-out ChatRepository: PostgreSQL through `pg`, shared by every
 * service node. Chosen with `CHATFLOWS_DATABASE_URL=postgres://…`.
 *
 * Layout, to keep it easy to extend in step with `sqlite.ts`:
 * - `MIGRATIONS`: schema steps, applied in order on start under an advisory
 *   lock, so nodes starting together migrate once;
 * - `SQL`: every statement, one entry per use;
 * - row mappers (`toConversation`, …);
 * - `PostgresChatRepository`: one method per interface method; writes that
 *   must be atomic run in `transaction()`.
 *
 * Durability: a method resolves after COMMIT returns, and PostgreSQL's
 * default `synchronous_commit = on` flushes the WAL before that.
 * Concurrency: appends lock the conversation row (`FOR UPDATE`) before
 * reading the client id and the next seq, so concurrent writers on any node
 * number messages without gaps or repeats; a visitor's first messages are
 * serialized by a transaction-scoped advisory lock on the visitor, so
 * concurrent first messages open one conversation.
 */
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import type {
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
import type {
	AppendMessageInput,
	AppendResult,
	AppendVisitorMessageInput,
	AgentOpenCount,
	AssignInput,
	AssignResult,
	AttachmentRecord,
	ChatRepository,
	ContactRecord,
	ConversationContextRecord,
	EmailClaimRecord,
	ConversationRecord,
	ErasureBatch,
	InboxListInput,
	OpenConversationActivity,
	TicketProperties,
	PendingNotification,
	QueuePlace,
	StatusResult,
	SurveyAnswerRecord,
	TicketRecord,
	VisitorRecord,
	ConsentsQuery,
	MigrationResult,
} from './types';
import { contactEmailKey } from './contact-key';
import {
	deleteEmailClaimsStatement,
	emailClaimStatement,
	emailClaimsByAddressStatement,
	emailClaimsMigration,
	saveEmailClaimStatement,
	takeEmailClaimStatement,
	toEmailClaim,
	type EmailClaimRow,
} from './email-claims-sql';
import {
	claimContactVisitorsStatement,
	closedBeforeStatement,
	consentsStatement,
	contactByKeyStatement,
	contactConsentsStatement,
	contactConversationsStatement,
	deleteConversationsStatements,
	eraseContactStatements,
	insertConsentStatement,
	isSameAnswer,
	latestConsentStatement,
	linkVisitorStatements,
	privacyMigration,
	toConsentRecord,
	visitorContactStatement,
	type ConsentRow,
} from './privacy-sql';
import {
	openCountsByAssigneeSql,
	queuePlaceSql,
	waitingConversationsSql,
} from './queue-sql';
import {
	AGENT_READS_MIGRATION,
	agentUnreadSubquery,
	upsertAgentReadSql,
} from './read-marks';
import {
	CONTEXT_BY_CONVERSATION,
	INBOX_MIGRATION,
	OPEN_WITH_LAST_AUTHOR,
	UPDATE_CURRENT_PAGE,
	UPSERT_CONTEXT,
	contextParams,
	forDialect,
	inboxCountsStatement,
	inboxListStatement,
	relatedConversationsStatement,
	toContextRecord,
	toCounts,
	toInboxSummary,
	toOpenActivity,
	updateTicketStatement,
	type ContextRow,
	type InboxSummaryRow,
	type OpenWithLastAuthorRow,
	type Statement,
} from './inbox-sql';
import {
	ATTACHMENT_SQL as ATTACHMENT_STATEMENTS,
	insertAttachmentParams,
	linkAttachmentParams,
	toAttachment,
	withAttachments,
	type AttachmentRow,
} from '../attachments/rows';
import {
	iso,
	toAuthor,
	toContact,
	toConversation,
	toMessage,
	toSummary,
	toTicket,
	toVisitor,
	type ContactRow,
	type ConversationRow,
	type MessageRow,
	type SummaryRow,
	type TicketRow,
	type VisitorRow,
} from './rows';

/** Schema steps; the table `chatflows_schema` holds how many have been applied. */
const MIGRATIONS: string[] = [
	`
	CREATE TABLE visitors (
		id TEXT PRIMARY KEY,
		session_hash TEXT NOT NULL UNIQUE,
		created_at TIMESTAMPTZ NOT NULL
	);
	CREATE TABLE conversations (
		id TEXT PRIMARY KEY,
		-- Insertion order, to break ties between equal timestamps as SQLite's rowid does.
		ordinal BIGINT GENERATED ALWAYS AS IDENTITY,
		visitor_id TEXT NOT NULL REFERENCES visitors ( id ),
		chatflow_id TEXT NOT NULL,
		status TEXT NOT NULL CHECK ( status IN ( 'open', 'closed' ) ),
		page_url TEXT NOT NULL DEFAULT '',
		created_at TIMESTAMPTZ NOT NULL,
		updated_at TIMESTAMPTZ NOT NULL,
		last_seq INTEGER NOT NULL DEFAULT 0
	);
	CREATE INDEX conversations_by_visitor
		ON conversations ( visitor_id, chatflow_id, status, created_at );
	CREATE INDEX conversations_by_activity ON conversations ( updated_at );
	CREATE TABLE messages (
		conversation_id TEXT NOT NULL REFERENCES conversations ( id ),
		seq INTEGER NOT NULL,
		client_id TEXT NOT NULL,
		author_type TEXT NOT NULL CHECK ( author_type IN ( 'visitor', 'agent', 'system' ) ),
		author_id TEXT NOT NULL,
		author_name TEXT NOT NULL DEFAULT '',
		body TEXT NOT NULL,
		created_at TIMESTAMPTZ NOT NULL,
		PRIMARY KEY ( conversation_id, seq ),
		UNIQUE ( conversation_id, client_id )
	);
	`,
	`
	ALTER TABLE conversations ADD COLUMN assignee_id TEXT;
	ALTER TABLE conversations ADD COLUMN team_id TEXT;
	ALTER TABLE conversations ADD COLUMN contact_id TEXT;
	ALTER TABLE conversations ADD COLUMN agent_read_seq INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE conversations ADD COLUMN visitor_read_seq INTEGER NOT NULL DEFAULT 0;
	CREATE INDEX conversations_open ON conversations ( status, created_at );
	CREATE TABLE tickets (
		id TEXT PRIMARY KEY,
		conversation_id TEXT NOT NULL UNIQUE REFERENCES conversations ( id ),
		chatflow_id TEXT NOT NULL,
		pipeline TEXT NOT NULL,
		status TEXT NOT NULL,
		priority TEXT NOT NULL,
		category TEXT NOT NULL,
		state TEXT NOT NULL CHECK ( state IN ( 'open', 'closed', 'reopened' ) ),
		offline BOOLEAN NOT NULL,
		created_at TIMESTAMPTZ NOT NULL,
		updated_at TIMESTAMPTZ NOT NULL
	);
	CREATE TABLE contacts (
		id TEXT PRIMARY KEY,
		email_key TEXT NOT NULL UNIQUE,
		email TEXT NOT NULL,
		name TEXT NOT NULL,
		created_at TIMESTAMPTZ NOT NULL
	);
	CREATE TABLE survey_answers (
		conversation_id TEXT PRIMARY KEY REFERENCES conversations ( id ),
		rating INTEGER NOT NULL,
		comment TEXT NOT NULL,
		answered_at TIMESTAMPTZ NOT NULL
	);
	CREATE TABLE chatflows (
		id TEXT PRIMARY KEY,
		version BIGINT NOT NULL,
		document JSONB NOT NULL
	);
	CREATE TABLE directory (
		id INTEGER PRIMARY KEY CHECK ( id = 1 ),
		document JSONB NOT NULL
	);
	CREATE TABLE notifications (
		id TEXT PRIMARY KEY,
		payload JSONB NOT NULL,
		attempts INTEGER NOT NULL DEFAULT 0,
		created_at TIMESTAMPTZ NOT NULL,
		next_attempt_at TIMESTAMPTZ NOT NULL
	);
	CREATE INDEX notifications_due ON notifications ( next_attempt_at );
	`,
	`
	CREATE TABLE attachments (
		id TEXT PRIMARY KEY,
		chatflow_id TEXT NOT NULL,
		uploader_type TEXT NOT NULL CHECK ( uploader_type IN ( 'visitor', 'agent' ) ),
		uploader_id TEXT NOT NULL,
		name TEXT NOT NULL,
		content_type TEXT NOT NULL,
		size INTEGER NOT NULL,
		data BYTEA NOT NULL,
		created_at TIMESTAMPTZ NOT NULL,
		conversation_id TEXT REFERENCES conversations ( id ),
		seq INTEGER,
		UNIQUE ( conversation_id, seq )
	);
	`,
	INBOX_MIGRATION,
	AGENT_READS_MIGRATION,
	privacyMigration( 'postgres' ),
	`
	ALTER TABLE notifications ADD COLUMN digest_key TEXT, ADD COLUMN failed_at TIMESTAMPTZ;
	CREATE INDEX notifications_digest ON notifications ( digest_key )
		WHERE digest_key IS NOT NULL;
	`,
	emailClaimsMigration( 'postgres' ),
];

/** Statements of `attachments`, numbered for PostgreSQL. */
const ATTACHMENT_SQL = Object.fromEntries(
	Object.entries( ATTACHMENT_STATEMENTS ).map( ( [ name, sql ] ) => [
		name,
		forDialect( 'postgres', { sql, params: [] } ).sql,
	] )
) as Record< keyof typeof ATTACHMENT_STATEMENTS, string >;

export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;

/** The schema steps, in order (tests build databases of earlier versions with them). */
export const POSTGRES_MIGRATIONS: readonly string[] = MIGRATIONS;

/** Key of the advisory lock held while migrating (any constant bigint). */
const MIGRATION_LOCK_KEY = 0x6368_6174_666c;

const SUMMARY_SELECT = `
	SELECT c.*,
		m.seq AS m_seq, m.client_id AS m_client_id, m.author_type AS m_author_type,
		m.author_name AS m_author_name, m.body AS m_body, m.created_at AS m_created_at,
		( SELECT COUNT(*)::int FROM messages u
			WHERE u.conversation_id = c.id AND u.seq > c.agent_read_seq AND u.author_type <> 'agent'
		) AS unread_count
	FROM conversations c
	LEFT JOIN messages m ON m.conversation_id = c.id AND m.seq = c.last_seq
`;

/** Every statement, by use. */
const SQL = {
	insertVisitor:
		'INSERT INTO visitors ( id, session_hash, created_at ) VALUES ( $1, $2, $3 )',
	visitorBySession: 'SELECT * FROM visitors WHERE session_hash = $1',
	conversationById: 'SELECT * FROM conversations WHERE id = $1',
	lockConversation: 'SELECT * FROM conversations WHERE id = $1 FOR UPDATE',
	lockVisitor: 'SELECT pg_advisory_xact_lock( hashtextextended( $1, 0 ) )',
	openConversation: `SELECT * FROM conversations
		WHERE visitor_id = $1 AND chatflow_id = $2 AND status = 'open'
		ORDER BY created_at DESC, ordinal DESC LIMIT 1`,
	insertConversation: `INSERT INTO conversations
		( id, visitor_id, chatflow_id, status, page_url, created_at, updated_at, last_seq )
		VALUES ( $1, $2, $3, 'open', $4, $5, $5, 0 ) RETURNING *`,
	nextSeq: `UPDATE conversations SET last_seq = last_seq + 1, updated_at = $1
		WHERE id = $2 RETURNING *`,
	messageByClientId:
		'SELECT * FROM messages WHERE conversation_id = $1 AND client_id = $2',
	insertMessage: `INSERT INTO messages
		( conversation_id, seq, client_id, author_type, author_id, author_name, body, created_at )
		VALUES ( $1, $2, $3, $4, $5, $6, $7, $8 )`,
	messagesAfter:
		'SELECT * FROM messages WHERE conversation_id = $1 AND seq > $2 ORDER BY seq',
	listSummaries: `${ SUMMARY_SELECT } ORDER BY c.updated_at DESC, c.ordinal DESC LIMIT $1`,
	summaryById: `${ SUMMARY_SELECT } WHERE c.id = $1`,
	latestConversation: `SELECT * FROM conversations
		WHERE visitor_id = $1 AND chatflow_id = $2
		ORDER BY created_at DESC, ordinal DESC LIMIT 1`,
	openConversations: `SELECT * FROM conversations WHERE status = 'open'
		ORDER BY created_at, ordinal`,
	setAssignee:
		'UPDATE conversations SET assignee_id = $1, team_id = $2 WHERE id = $3 RETURNING *',
	setStatus:
		'UPDATE conversations SET status = $1, updated_at = $2 WHERE id = $3 RETURNING *',
	setTicketState:
		'UPDATE tickets SET state = $1, updated_at = $2 WHERE conversation_id = $3',
	insertTicket: `INSERT INTO tickets
		( id, conversation_id, chatflow_id, pipeline, status, priority, category, state, offline, created_at, updated_at )
		VALUES ( $1, $2, $3, $4, $5, $6, $7, 'open', $8, $9, $9 )`,
	ticketByConversation: 'SELECT * FROM tickets WHERE conversation_id = $1',
	markAgentRead: `UPDATE conversations SET agent_read_seq = GREATEST( agent_read_seq, LEAST( $1, last_seq ) )
		WHERE id = $2 RETURNING *`,
	markVisitorRead: `UPDATE conversations SET visitor_read_seq = GREATEST( visitor_read_seq, LEAST( $1, last_seq ) )
		WHERE id = $2 RETURNING *`,
	upsertAgentRead: upsertAgentReadSql( 'postgres' ),
	unreadForAgent: `SELECT ${ agentUnreadSubquery(
		'COUNT(*)::int',
		'$1'
	) } AS n FROM conversations c WHERE c.id = $2`,
	unreadForAgents: `SELECT COUNT(*)::int AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id
		WHERE c.id = $1 AND m.seq > c.agent_read_seq AND m.author_type <> 'agent'`,
	unreadForVisitor: `SELECT COUNT(*)::int AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id
		WHERE c.id = $1 AND m.seq > c.visitor_read_seq AND m.author_type <> 'visitor'`,
	lockContactKey: 'SELECT pg_advisory_xact_lock( hashtextextended( $1, 1 ) )',
	contactByKey: 'SELECT * FROM contacts WHERE email_key = $1',
	contactById: 'SELECT * FROM contacts WHERE id = $1',
	insertContact:
		'INSERT INTO contacts ( id, email_key, email, name, created_at, marketing ) VALUES ( $1, $2, $3, $4, $5, $6 )',
	markMarketing: 'UPDATE contacts SET marketing = 1 WHERE id = $1',
	lockConsents: 'SELECT pg_advisory_xact_lock( hashtextextended( $1, 3 ) )',
	renameContact: 'UPDATE contacts SET name = $1 WHERE id = $2',
	linkContact: 'UPDATE conversations SET contact_id = $1 WHERE id = $2',
	upsertSurvey: `INSERT INTO survey_answers ( conversation_id, rating, comment, answered_at )
		VALUES ( $1, $2, $3, $4 )
		ON CONFLICT ( conversation_id ) DO UPDATE SET
		rating = excluded.rating, comment = excluded.comment, answered_at = excluded.answered_at`,
	surveyByConversation:
		'SELECT * FROM survey_answers WHERE conversation_id = $1',
	upsertChatflow: `INSERT INTO chatflows ( id, version, document ) VALUES ( $1, $2, $3 )
		ON CONFLICT ( id ) DO UPDATE SET version = excluded.version, document = excluded.document
		WHERE excluded.version >= chatflows.version`,
	deleteChatflow: 'DELETE FROM chatflows WHERE id = $1',
	deleteChatflowsExcept:
		'DELETE FROM chatflows WHERE NOT ( id = ANY ( $1::text[] ) )',
	allChatflows: 'SELECT document FROM chatflows ORDER BY id',
	upsertDirectory: `INSERT INTO directory ( id, document ) VALUES ( 1, $1 )
		ON CONFLICT ( id ) DO UPDATE SET document = excluded.document`,
	directory: 'SELECT document FROM directory WHERE id = 1',
	lockConfiguration:
		'SELECT pg_advisory_xact_lock( hashtextextended( $1, 2 ) )',
	insertNotification: `INSERT INTO notifications ( id, payload, attempts, created_at, next_attempt_at, digest_key )
		VALUES ( $1, $2, 0, $3, $4, $5 ) ON CONFLICT ( id ) DO NOTHING`,
	dueNotifications: `SELECT * FROM notifications WHERE failed_at IS NULL AND next_attempt_at <= $1
		ORDER BY next_attempt_at, created_at LIMIT $2`,
	digestNotifications: `SELECT * FROM notifications WHERE failed_at IS NULL AND digest_key = $1
		ORDER BY created_at, id LIMIT $2`,
	failNotification: 'UPDATE notifications SET failed_at = $1 WHERE id = $2',
	deleteNotification: 'DELETE FROM notifications WHERE id = $1',
	postponeNotification:
		'UPDATE notifications SET attempts = attempts + 1, next_attempt_at = $1 WHERE id = $2',
} as const;

interface NotificationRow {
	id: string;
	payload: ServiceNotification;
	attempts: number;
	created_at: Date;
	next_attempt_at: Date;
	digest_key: string | null;
}

function pendingNotification( row: NotificationRow ): PendingNotification {
	return {
		id: row.id,
		notification: row.payload,
		attempts: row.attempts,
		nextAttemptAt: iso( row.next_attempt_at ),
		createdAt: iso( row.created_at ),
		digestKey: row.digest_key,
	};
}

/** Queries run the same on the pool and on a transaction's client. */
type Queryable = Pick< Pool, 'query' > | PoolClient;

/**
 * Runs a statement and resolves its rows.
 *
 * @param db        The pool or a transaction.
 * @param statement The statement, numbered for PostgreSQL.
 */
async function rowsOf< R extends object >(
	db: Queryable,
	statement: Statement
): Promise< R[] > {
	const { rows } = await db.query< R >( statement.sql, statement.params );
	return rows;
}

/**
 * Runs a statement and resolves how many rows it changed.
 *
 * @param db        The pool or a transaction.
 * @param statement The statement, numbered for PostgreSQL.
 */
async function changesOf(
	db: Queryable,
	statement: Statement
): Promise< number > {
	const result = await db.query( statement.sql, statement.params );
	return result.rowCount ?? 0;
}

/**
 * Brings the schema up to date in one transaction, under an advisory lock so
 * that nodes starting at the same time migrate once.
 *
 * @param pool A connected pool.
 */
async function migrate( pool: Pool ): Promise< MigrationResult > {
	const client = await pool.connect();
	try {
		await client.query( 'BEGIN' );
		await client.query( 'SELECT pg_advisory_xact_lock( $1 )', [
			MIGRATION_LOCK_KEY,
		] );
		await client.query(
			'CREATE TABLE IF NOT EXISTS chatflows_schema ( version INTEGER NOT NULL )'
		);
		const { rows } = await client.query< { version: number } >(
			'SELECT version FROM chatflows_schema'
		);
		const current = rows.length ? rows[ 0 ].version : 0;
		if ( current > MIGRATIONS.length ) {
			throw new Error(
				`The database schema (version ${ current }) is newer than this service supports (version ${ MIGRATIONS.length }).`
			);
		}
		for ( let version = current; version < MIGRATIONS.length; version++ ) {
			await client.query( MIGRATIONS[ version ] );
		}
		if ( rows.length === 0 ) {
			await client.query(
				'INSERT INTO chatflows_schema ( version ) VALUES ( $1 )',
				[ MIGRATIONS.length ]
			);
		} else if ( current !== MIGRATIONS.length ) {
			await client.query( 'UPDATE chatflows_schema SET version = $1', [
				MIGRATIONS.length,
			] );
		}
		await client.query( 'COMMIT' );
		return { from: current, to: MIGRATIONS.length };
	} catch ( error ) {
		await client.query( 'ROLLBACK' ).catch( () => undefined );
		throw error;
	} finally {
		client.release();
	}
}

/**
 * Brings a PostgreSQL database's schema up to date without starting a
 * repository: `chatflows-service migrate`.
 *
 * @param connectionString A `postgres://user:password@host:port/database` URL.
 * @return The versions before and after.
 */
export async function migratePostgresDatabase(
	connectionString: string
): Promise< MigrationResult > {
	const pool = new Pool( {
		connectionString,
		connectionTimeoutMillis: 10_000,
		max: 1,
	} );
	pool.on( 'error', () => undefined );
	try {
		return await migrate( pool );
	} finally {
		await pool.end().catch( () => undefined );
	}
}

export class PostgresChatRepository implements ChatRepository {
	private readonly pool: Pool;

	private closing: Promise< void > | null = null;

	/**
	 * Wraps a pool whose schema is up to date; use openPostgresRepository().
	 *
	 * @param pool The connection pool.
	 */
	constructor( pool: Pool ) {
		this.pool = pool;
	}

	/**
	 * Runs `work` in one transaction on one connection: committed when it
	 * resolves, rolled back when it throws.
	 *
	 * @param work The statements.
	 */
	private async transaction< T >(
		work: ( client: PoolClient ) => Promise< T >
	): Promise< T > {
		const client = await this.pool.connect();
		try {
			await client.query( 'BEGIN' );
			const result = await work( client );
			await client.query( 'COMMIT' );
			return result;
		} catch ( error ) {
			await client.query( 'ROLLBACK' ).catch( () => undefined );
			throw error;
		} finally {
			client.release();
		}
	}

	private async one< R extends object >(
		db: Queryable,
		sql: string,
		params: unknown[]
	): Promise< R | null > {
		const { rows } = await db.query< R >( sql, params );
		return rows.length ? rows[ 0 ] : null;
	}

	/**
	 * Stores a message in a conversation whose row this transaction has
	 * locked; a known client id returns the stored message instead.
	 *
	 * @param client              The transaction.
	 * @param conversation        The locked conversation.
	 * @param input               The message.
	 * @param conversationCreated Whether this transaction opened the conversation.
	 */
	private async store(
		client: PoolClient,
		conversation: ConversationRecord,
		input: AppendMessageInput | AppendVisitorMessageInput,
		conversationCreated: boolean
	): Promise< AppendResult > {
		const existing = await this.one< MessageRow >(
			client,
			SQL.messageByClientId,
			[ conversation.id, input.clientId ]
		);
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
			( await this.one< ConversationRow >( client, SQL.nextSeq, [
				input.createdAt,
				conversation.id,
			] ) ) as ConversationRow
		);
		const row: MessageRow = {
			conversation_id: conversation.id,
			seq: updated.lastSeq,
			client_id: input.clientId,
			author_type: input.author.type,
			author_id: input.author.id,
			author_name: input.author.name,
			body: input.body,
			created_at: new Date( input.createdAt ),
		};
		await client.query( SQL.insertMessage, [
			row.conversation_id,
			row.seq,
			row.client_id,
			row.author_type,
			row.author_id,
			row.author_name,
			row.body,
			input.createdAt,
		] );
		return {
			conversation: updated,
			message: toMessage( row ),
			author: toAuthor( row ),
			created: true,
			conversationCreated,
		};
	}

	async createVisitor( visitor: VisitorRecord ): Promise< void > {
		await this.pool.query( SQL.insertVisitor, [
			visitor.id,
			visitor.sessionHash,
			visitor.createdAt,
		] );
	}

	async findVisitorBySessionHash(
		sessionHash: string
	): Promise< VisitorRecord | null > {
		const row = await this.one< VisitorRow >(
			this.pool,
			SQL.visitorBySession,
			[ sessionHash ]
		);
		return row ? toVisitor( row ) : null;
	}

	async findConversation( id: string ): Promise< ConversationRecord | null > {
		const row = await this.one< ConversationRow >(
			this.pool,
			SQL.conversationById,
			[ id ]
		);
		return row ? toConversation( row ) : null;
	}

	async findOpenConversation(
		visitorId: string,
		chatflowId: string
	): Promise< ConversationRecord | null > {
		const row = await this.one< ConversationRow >(
			this.pool,
			SQL.openConversation,
			[ visitorId, chatflowId ]
		);
		return row ? toConversation( row ) : null;
	}

	async listConversations( options: {
		limit: number;
	} ): Promise< ConversationSummary[] > {
		const { rows } = await this.pool.query< SummaryRow >(
			SQL.listSummaries,
			[ options.limit ]
		);
		return rows.map( toSummary );
	}

	async getConversationSummary(
		id: string
	): Promise< ConversationSummary | null > {
		const row = await this.one< SummaryRow >( this.pool, SQL.summaryById, [
			id,
		] );
		return row ? toSummary( row ) : null;
	}

	async appendVisitorMessage(
		input: AppendVisitorMessageInput
	): Promise< AppendResult > {
		// Without `onlyToOpen` the transaction always stores or finds a message.
		return ( await this.appendVisitorTx( input ) ) as AppendResult;
	}

	appendToOpenConversation(
		input: AppendVisitorMessageInput
	): Promise< AppendResult | null > {
		return this.appendVisitorTx( { ...input, onlyToOpen: true } );
	}

	private appendVisitorTx(
		input: AppendVisitorMessageInput & { onlyToOpen?: boolean }
	): Promise< AppendResult | null > {
		return this.transaction( async ( client ) => {
			await client.query( SQL.lockVisitor, [ input.visitorId ] );
			const open = await this.one< ConversationRow >(
				client,
				SQL.openConversation,
				[ input.visitorId, input.chatflowId ]
			);
			if ( open ) {
				const locked = ( await this.one< ConversationRow >(
					client,
					SQL.lockConversation,
					[ open.id ]
				) ) as ConversationRow;
				return this.store(
					client,
					toConversation( locked ),
					input,
					false
				);
			}
			if ( input.onlyToOpen ) {
				return null;
			}
			const latest = input.reopenClosed
				? await this.one< ConversationRow >(
						client,
						SQL.latestConversation,
						[ input.visitorId, input.chatflowId ]
					)
				: null;
			if ( latest ) {
				await client.query( SQL.lockConversation, [ latest.id ] );
				const repeated = await this.one< MessageRow >(
					client,
					SQL.messageByClientId,
					[ latest.id, input.clientId ]
				);
				if ( repeated ) {
					return {
						conversation: toConversation( latest ),
						message: toMessage( repeated ),
						author: toAuthor( repeated ),
						created: false,
						conversationCreated: false,
					};
				}
				const reopened = ( await this.one< ConversationRow >(
					client,
					SQL.setStatus,
					[ 'open', input.createdAt, latest.id ]
				) ) as ConversationRow;
				await client.query( SQL.setTicketState, [
					'reopened',
					input.createdAt,
					latest.id,
				] );
				return {
					...( await this.store(
						client,
						toConversation( reopened ),
						input,
						false
					) ),
					conversationReopened: true,
				};
			}
			const created = ( await this.one< ConversationRow >(
				client,
				SQL.insertConversation,
				[
					input.newConversationId,
					input.visitorId,
					input.chatflowId,
					input.pageUrl,
					input.createdAt,
				]
			) ) as ConversationRow;
			if ( input.ticket ) {
				const ticket = input.ticket;
				await client.query( SQL.insertTicket, [
					ticket.id,
					input.newConversationId,
					input.chatflowId,
					ticket.pipeline,
					ticket.status,
					ticket.priority,
					ticket.category,
					ticket.offline,
					input.createdAt,
				] );
			}
			return this.store( client, toConversation( created ), input, true );
		} );
	}

	appendMessage( input: AppendMessageInput ): Promise< AppendResult | null > {
		return this.transaction( async ( client ) => {
			const row = await this.one< ConversationRow >(
				client,
				SQL.lockConversation,
				[ input.conversationId ]
			);
			if ( ! row ) {
				return null;
			}
			return this.store( client, toConversation( row ), input, false );
		} );
	}

	async listMessages(
		conversationId: string,
		afterSeq: number
	): Promise< ChatMessage[] > {
		const { rows } = await this.pool.query< MessageRow >(
			SQL.messagesAfter,
			[ conversationId, afterSeq ]
		);
		const attachments = await this.pool.query< AttachmentRow >(
			ATTACHMENT_SQL.ofConversation,
			[ conversationId, afterSeq ]
		);
		return withAttachments(
			rows.map( toMessage ),
			attachments.rows.map( toAttachment )
		);
	}

	async saveAttachment(
		attachment: AttachmentRecord,
		data: Buffer
	): Promise< void > {
		await this.pool.query(
			ATTACHMENT_SQL.insert,
			insertAttachmentParams( attachment, data )
		);
	}

	async findAttachment( id: string ): Promise< AttachmentRecord | null > {
		const row = await this.one< AttachmentRow >(
			this.pool,
			ATTACHMENT_SQL.byId,
			[ id ]
		);
		return row ? toAttachment( row ) : null;
	}

	async readAttachmentData( id: string ): Promise< Buffer | null > {
		const row = await this.one< { data: Buffer } >(
			this.pool,
			ATTACHMENT_SQL.data,
			[ id ]
		);
		return row ? row.data : null;
	}

	async linkAttachment(
		input: Parameters< ChatRepository[ 'linkAttachment' ] >[ 0 ]
	): Promise< AttachmentRecord | null > {
		const row = await this.one< AttachmentRow >(
			this.pool,
			ATTACHMENT_SQL.link,
			linkAttachmentParams( input )
		);
		return row ? toAttachment( row ) : null;
	}

	async countUnsentAttachments(
		uploaderType: AttachmentRecord[ 'uploaderType' ],
		uploaderId: string
	): Promise< number > {
		const row = await this.one< { n: number } >(
			this.pool,
			ATTACHMENT_SQL.countUnsent,
			[ uploaderType, uploaderId ]
		);
		return row?.n ?? 0;
	}

	async deleteUnsentAttachments( before: string ): Promise< number > {
		const result = await this.pool.query( ATTACHMENT_SQL.deleteUnsent, [
			before,
		] );
		return result.rowCount ?? 0;
	}

	async findLatestConversation(
		visitorId: string,
		chatflowId: string
	): Promise< ConversationRecord | null > {
		const row = await this.one< ConversationRow >(
			this.pool,
			SQL.latestConversation,
			[ visitorId, chatflowId ]
		);
		return row ? toConversation( row ) : null;
	}

	async listOpenConversations(): Promise< ConversationRecord[] > {
		const { rows } = await this.pool.query< ConversationRow >(
			SQL.openConversations
		);
		return rows.map( toConversation );
	}

	async listWaitingConversations(): Promise< ConversationRecord[] > {
		const { rows } = await this.pool.query< ConversationRow >(
			waitingConversationsSql( 'postgres' )
		);
		return rows.map( toConversation );
	}

	async countOpenByAssignee(): Promise< AgentOpenCount[] > {
		const { rows } = await this.pool.query< {
			user_id: string;
			open: number;
		} >( openCountsByAssigneeSql( 'postgres' ) );
		return rows.map( ( row ) => ( {
			userId: row.user_id,
			open: row.open,
		} ) );
	}

	async findQueuePlace(
		conversationId: string
	): Promise< QueuePlace | null > {
		const row = await this.one< QueuePlace >(
			this.pool,
			queuePlaceSql( 'postgres' ),
			[ conversationId ]
		);
		return row && row.place > 0
			? { place: row.place, waiting: row.waiting }
			: null;
	}

	assignConversation( input: AssignInput ): Promise< AssignResult | null > {
		return this.transaction( async ( client ) => {
			const row = await this.one< ConversationRow >(
				client,
				SQL.lockConversation,
				[ input.conversationId ]
			);
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
			const updated = ( await this.one< ConversationRow >(
				client,
				SQL.setAssignee,
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
		return this.transaction( async ( client ) => {
			const row = await this.one< ConversationRow >(
				client,
				SQL.lockConversation,
				[ input.conversationId ]
			);
			if ( ! row ) {
				return null;
			}
			if ( row.status === input.status ) {
				return { conversation: toConversation( row ), changed: false };
			}
			const updated = ( await this.one< ConversationRow >(
				client,
				SQL.setStatus,
				[ input.status, input.updatedAt, input.conversationId ]
			) ) as ConversationRow;
			await client.query( SQL.setTicketState, [
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
		const statement =
			input.reader === 'agent' ? SQL.markAgentRead : SQL.markVisitorRead;
		const { agentId } = input;
		if ( input.reader !== 'agent' || agentId === undefined ) {
			const row = await this.one< ConversationRow >(
				this.pool,
				statement,
				[ input.seq, input.conversationId ]
			);
			return row ? toConversation( row ) : null;
		}
		return this.transaction( async ( client ) => {
			await client.query( SQL.upsertAgentRead, [
				agentId,
				input.seq,
				input.conversationId,
			] );
			const row = await this.one< ConversationRow >( client, statement, [
				input.seq,
				input.conversationId,
			] );
			return row ? toConversation( row ) : null;
		} );
	}

	async countUnread(
		conversationId: string,
		reader: 'agent' | 'visitor',
		agentId?: string
	): Promise< number > {
		const row =
			reader === 'agent' && agentId !== undefined
				? await this.one< { n: number } >(
						this.pool,
						SQL.unreadForAgent,
						[ agentId, conversationId ]
					)
				: await this.one< { n: number } >(
						this.pool,
						reader === 'agent'
							? SQL.unreadForAgents
							: SQL.unreadForVisitor,
						[ conversationId ]
					);
		return row ? row.n : 0;
	}

	async findTicket( conversationId: string ): Promise< TicketRecord | null > {
		const row = await this.one< TicketRow >(
			this.pool,
			SQL.ticketByConversation,
			[ conversationId ]
		);
		return row ? toTicket( row ) : null;
	}

	linkContact(
		input: Parameters< ChatRepository[ 'linkContact' ] >[ 0 ]
	): Promise< ContactRecord > {
		return this.transaction( async ( client ) => {
			const key = contactEmailKey( input.email );
			// Two nodes capturing the same new e-mail at once create one contact.
			await client.query( SQL.lockContactKey, [ key ] );
			let row = await this.one< ContactRow >( client, SQL.contactByKey, [
				key,
			] );
			if ( ! row ) {
				row = {
					id: input.newContactId,
					email: input.email.trim(),
					name: input.name,
					marketing: input.marketing ? 1 : 0,
					created_at: new Date( input.createdAt ),
				};
				await client.query( SQL.insertContact, [
					row.id,
					key,
					row.email,
					row.name,
					input.createdAt,
					row.marketing,
				] );
			} else if (
				input.rename &&
				input.name !== '' &&
				input.name !== row.name
			) {
				await client.query( SQL.renameContact, [ input.name, row.id ] );
				row = { ...row, name: input.name };
			}
			if ( input.marketing && ! toContact( row ).marketing ) {
				await client.query( SQL.markMarketing, [ row.id ] );
				row = { ...row, marketing: 1 };
			}
			if ( input.conversationId !== null ) {
				await client.query( SQL.linkContact, [
					row.id,
					input.conversationId,
				] );
			}
			if ( input.visitorId !== undefined ) {
				for ( const statement of linkVisitorStatements(
					'postgres',
					input.visitorId,
					row.id
				) ) {
					await client.query( statement.sql, statement.params );
				}
			}
			return toContact( row );
		} );
	}

	async findVisitorContactId( visitorId: string ): Promise< string | null > {
		const [ row ] = await this.all< { contact_id: string | null } >(
			visitorContactStatement( 'postgres', visitorId )
		);
		return row?.contact_id ?? null;
	}

	async saveEmailClaim(
		claim: Parameters< ChatRepository[ 'saveEmailClaim' ] >[ 0 ]
	): Promise< void > {
		const statement = saveEmailClaimStatement( 'postgres', claim );
		await this.pool.query( statement.sql, statement.params );
	}

	async findEmailClaim(
		visitorId: string
	): Promise< EmailClaimRecord | null > {
		const [ row ] = await this.all< EmailClaimRow >(
			emailClaimStatement( 'postgres', visitorId )
		);
		return row ? toEmailClaim( row ) : null;
	}

	async takeEmailClaim( input: {
		confirmationHash: string;
		now: string;
	} ): Promise< EmailClaimRecord | null > {
		const [ row ] = await this.all< EmailClaimRow >(
			takeEmailClaimStatement(
				'postgres',
				input.confirmationHash,
				input.now
			)
		);
		return row ? toEmailClaim( row ) : null;
	}

	async listEmailClaims( email: string ): Promise< EmailClaimRecord[] > {
		return (
			await this.all< EmailClaimRow >(
				emailClaimsByAddressStatement( 'postgres', email )
			)
		).map( toEmailClaim );
	}

	async deleteEmailClaims( email: string ): Promise< number > {
		const statement = deleteEmailClaimsStatement( 'postgres', email );
		return (
			( await this.pool.query( statement.sql, statement.params ) )
				.rowCount ?? 0
		);
	}

	async findContact( id: string ): Promise< ContactRecord | null > {
		const row = await this.one< ContactRow >( this.pool, SQL.contactById, [
			id,
		] );
		return row ? toContact( row ) : null;
	}

	async saveSurveyAnswer( answer: SurveyAnswerRecord ): Promise< void > {
		await this.pool.query( SQL.upsertSurvey, [
			answer.conversationId,
			answer.rating,
			answer.comment,
			answer.answeredAt,
		] );
	}

	async findSurveyAnswer(
		conversationId: string
	): Promise< SurveyAnswerRecord | null > {
		const row = await this.one< {
			conversation_id: string;
			rating: number;
			comment: string;
			answered_at: Date;
		} >( this.pool, SQL.surveyByConversation, [ conversationId ] );
		return row
			? {
					conversationId: row.conversation_id,
					rating: row.rating,
					comment: row.comment,
					answeredAt: iso( row.answered_at ),
				}
			: null;
	}

	async replaceConfiguration(
		configuration: ServiceConfiguration
	): Promise< ServiceConfiguration > {
		await this.transaction( async ( client ) => {
			await client.query( SQL.lockConfiguration, [ 'configuration' ] );
			const { chatflows, ...directory } = configuration;
			await client.query( SQL.upsertDirectory, [
				JSON.stringify( directory ),
			] );
			await client.query( SQL.deleteChatflowsExcept, [
				chatflows.map( ( flow ) => flow.id ),
			] );
			for ( const chatflow of chatflows ) {
				await client.query( SQL.upsertChatflow, [
					chatflow.id,
					chatflow.version,
					JSON.stringify( chatflow ),
				] );
			}
		} );
		return ( await this.loadConfiguration() ) as ServiceConfiguration;
	}

	async saveChatflow( chatflow: CompiledChatflow ): Promise< boolean > {
		const result = await this.pool.query( SQL.upsertChatflow, [
			chatflow.id,
			chatflow.version,
			JSON.stringify( chatflow ),
		] );
		return ( result.rowCount ?? 0 ) > 0;
	}

	async deleteChatflow( id: string ): Promise< boolean > {
		const result = await this.pool.query( SQL.deleteChatflow, [ id ] );
		return ( result.rowCount ?? 0 ) > 0;
	}

	async loadConfiguration(): Promise< ServiceConfiguration | null > {
		const directory = await this.one< {
			document: Omit< ServiceConfiguration, 'chatflows' >;
		} >( this.pool, SQL.directory, [] );
		const { rows } = await this.pool.query< {
			document: CompiledChatflow;
		} >( SQL.allChatflows );
		const chatflows = rows.map( ( row ) => row.document );
		if ( ! directory && chatflows.length === 0 ) {
			return null;
		}
		const rest = directory
			? directory.document
			: {
					siteUrl: '',
					allowedOrigins: [],
					agents: [],
					teams: [],
					inboxes: [],
				};
		return { ...rest, chatflows };
	}

	async enqueueNotification(
		input: Parameters< ChatRepository[ 'enqueueNotification' ] >[ 0 ]
	): Promise< void > {
		await this.pool.query( SQL.insertNotification, [
			input.id,
			JSON.stringify( input.notification ),
			input.createdAt,
			input.nextAttemptAt ?? input.createdAt,
			input.digestKey ?? null,
		] );
	}

	async listDueNotifications(
		now: string,
		limit: number
	): Promise< PendingNotification[] > {
		const { rows } = await this.pool.query< NotificationRow >(
			SQL.dueNotifications,
			[ now, limit ]
		);
		return rows.map( pendingNotification );
	}

	async listDigestNotifications(
		digestKey: string,
		limit: number
	): Promise< PendingNotification[] > {
		const { rows } = await this.pool.query< NotificationRow >(
			SQL.digestNotifications,
			[ digestKey, limit ]
		);
		return rows.map( pendingNotification );
	}

	async failNotification( id: string, failedAt: string ): Promise< void > {
		await this.pool.query( SQL.failNotification, [ failedAt, id ] );
	}

	async completeNotification( id: string ): Promise< void > {
		await this.pool.query( SQL.deleteNotification, [ id ] );
	}

	async postponeNotification(
		id: string,
		nextAttemptAt: string
	): Promise< void > {
		await this.pool.query( SQL.postponeNotification, [
			nextAttemptAt,
			id,
		] );
	}

	/* ---------- inbox (statements in inbox-sql.ts) ---------- */

	private async all< R extends object >(
		statement: Statement
	): Promise< R[] > {
		const { rows } = await this.pool.query< R >(
			statement.sql,
			statement.params
		);
		return rows;
	}

	async listInbox( input: InboxListInput ): Promise< {
		conversations: ConversationSummary[];
		counts: InboxCounts;
	} > {
		const [ rows, [ counts ] ] = await Promise.all( [
			this.all< InboxSummaryRow >(
				inboxListStatement( 'postgres', input )
			),
			this.all< Record< InboxView, string > >(
				inboxCountsStatement( 'postgres', input )
			),
		] );
		return {
			conversations: rows.map( toInboxSummary ),
			counts: toCounts( counts ),
		};
	}

	async listRelatedConversations( input: {
		conversationId: string;
		visitorId: string;
		contactId: string | null;
		limit: number;
	} ): Promise< ConversationSummary[] > {
		return (
			await this.all< InboxSummaryRow >(
				relatedConversationsStatement( 'postgres', input )
			)
		).map( toInboxSummary );
	}

	async listOpenConversationActivity(): Promise<
		OpenConversationActivity[]
	> {
		return (
			await this.all< OpenWithLastAuthorRow >( {
				sql: OPEN_WITH_LAST_AUTHOR,
				params: [],
			} )
		).map( toOpenActivity );
	}

	async saveConversationContext(
		context: ConversationContextRecord
	): Promise< void > {
		await this.all(
			forDialect( 'postgres', {
				sql: UPSERT_CONTEXT,
				params: contextParams( context ),
			} )
		);
	}

	async updateCurrentPage( input: {
		visitorId: string;
		url: string;
		title: string;
		updatedAt: string;
	} ): Promise< void > {
		await this.all(
			forDialect( 'postgres', {
				sql: UPDATE_CURRENT_PAGE,
				params: [
					input.url,
					input.title,
					input.updatedAt,
					input.visitorId,
				],
			} )
		);
	}

	async findConversationContext(
		conversationId: string
	): Promise< ConversationContextRecord | null > {
		const [ row ] = await this.all< ContextRow >(
			forDialect( 'postgres', {
				sql: CONTEXT_BY_CONVERSATION,
				params: [ conversationId ],
			} )
		);
		return row ? toContextRecord( row ) : null;
	}

	async updateTicket( input: {
		conversationId: string;
		properties: Partial< TicketProperties >;
		updatedAt: string;
	} ): Promise< TicketRecord | null > {
		const [ row ] = await this.all< TicketRow >(
			forDialect(
				'postgres',
				updateTicketStatement(
					input.conversationId,
					input.properties,
					input.updatedAt
				)
			)
		);
		return row ? toTicket( row ) : null;
	}

	/* ---------- consent and personal data (statements in privacy-sql.ts) ---------- */

	async findContactByEmail( email: string ): Promise< ContactRecord | null > {
		const [ row ] = await this.all< ContactRow >(
			contactByKeyStatement( 'postgres', contactEmailKey( email ) )
		);
		return row ? toContact( row ) : null;
	}

	recordConsent(
		record: ConsentRecord
	): Promise< { record: ConsentRecord; created: boolean } > {
		return this.transaction( async ( client ) => {
			// The same answer sent twice at once (two tabs, two nodes) is stored once.
			await client.query( SQL.lockConsents, [ record.visitorId ] );
			const latest = await rowsOf< ConsentRow >(
				client,
				latestConsentStatement( 'postgres', record )
			);
			const stored = latest.length
				? toConsentRecord( latest[ 0 ] )
				: null;
			if ( stored && isSameAnswer( stored, record ) ) {
				return { record: stored, created: false };
			}
			const [ visitor ] = await rowsOf< { contact_id: string | null } >(
				client,
				visitorContactStatement( 'postgres', record.visitorId )
			);
			const created = {
				...record,
				contactId: record.contactId ?? visitor?.contact_id ?? null,
			};
			await rowsOf(
				client,
				insertConsentStatement( 'postgres', created )
			);
			return { record: created, created: true };
		} );
	}

	async listConsents( input: ConsentsQuery ): Promise< ConsentRecord[] > {
		return (
			await this.all< ConsentRow >(
				consentsStatement( 'postgres', input )
			)
		).map( toConsentRecord );
	}

	async listContactConversations( input: {
		contactId: string;
		offset: number;
		limit: number;
	} ): Promise< ConversationRecord[] > {
		return (
			await this.all< ConversationRow >(
				contactConversationsStatement( 'postgres', input )
			)
		).map( toConversation );
	}

	async listContactConsents( contactId: string ): Promise< ConsentRecord[] > {
		return (
			await this.all< ConsentRow >(
				contactConsentsStatement( 'postgres', contactId )
			)
		).map( toConsentRecord );
	}

	/**
	 * Deletes conversations with everything keyed by them, in the caller's
	 * transaction.
	 *
	 * @param client The transaction.
	 * @param ids    Conversation ids.
	 * @return How many conversations went.
	 */
	private async deleteConversations(
		client: PoolClient,
		ids: string[]
	): Promise< number > {
		if ( ids.length === 0 ) {
			return 0;
		}
		let deleted = 0;
		for ( const statement of deleteConversationsStatements(
			'postgres',
			ids
		) ) {
			deleted = await changesOf( client, statement );
		}
		return deleted;
	}

	erasePersonalData( input: {
		contactId: string;
		limit: number;
	} ): Promise< ErasureBatch > {
		return this.transaction( async ( client ): Promise< ErasureBatch > => {
			// Two erasure calls for one contact run one after the other.
			await client.query( SQL.lockContactKey, [ input.contactId ] );
			await changesOf(
				client,
				claimContactVisitorsStatement( 'postgres', input.contactId )
			);
			const ids = (
				await rowsOf< ConversationRow >(
					client,
					contactConversationsStatement( 'postgres', {
						contactId: input.contactId,
						offset: 0,
						limit: input.limit + 1,
					} )
				)
			).map( ( row ) => row.id );
			const batch = ids.slice( 0, input.limit );
			const conversationsRemoved = await this.deleteConversations(
				client,
				batch
			);
			if ( ids.length > batch.length ) {
				return {
					conversationsRemoved,
					consentsRemoved: 0,
					contactsRemoved: 0,
					visitorIds: [],
					done: false,
				};
			}
			const last = eraseContactStatements( 'postgres', input.contactId );
			const visitorIds = (
				await rowsOf< { id: string } >( client, last.visitors )
			).map( ( row ) => row.id );
			const consentsRemoved = await changesOf( client, last.consents );
			for ( const statement of last.rest ) {
				await changesOf( client, statement );
			}
			const contactsRemoved = await changesOf( client, last.contact );
			return {
				conversationsRemoved,
				consentsRemoved,
				contactsRemoved,
				visitorIds,
				done: true,
			};
		} );
	}

	deleteClosedConversations( input: {
		closedBefore: string;
		limit: number;
	} ): Promise< number > {
		return this.transaction( async ( client ) => {
			const ids = (
				await rowsOf< { id: string } >(
					client,
					closedBeforeStatement(
						'postgres',
						input.closedBefore,
						input.limit
					)
				)
			).map( ( row ) => row.id );
			return this.deleteConversations( client, ids );
		} );
	}

	close(): Promise< void > {
		// pool.end() waits for checked-out clients, so started writes finish first.
		if ( ! this.closing ) {
			this.closing = this.pool.end();
		}
		return this.closing;
	}
}

/**
 * Connects to PostgreSQL, migrates the schema and returns the repository.
 *
 * @param connectionString A `postgres://user:password@host:port/database` URL.
 * @param options          Extra pool settings (size, timeouts).
 * @return The repository; rejects when the database cannot be reached or migrated.
 */
export async function openPostgresRepository(
	connectionString: string,
	options: Omit< PoolConfig, 'connectionString' > = {}
): Promise< PostgresChatRepository > {
	const pool = new Pool( {
		connectionString,
		connectionTimeoutMillis: 10_000,
		...options,
	} );
	// An idle client losing its connection emits here; the next query reconnects.
	pool.on( 'error', () => undefined );
	try {
		await migrate( pool );
	} catch ( error ) {
		await pool.end().catch( () => undefined );
		throw error;
	}
	return new PostgresChatRepository( pool );
}
