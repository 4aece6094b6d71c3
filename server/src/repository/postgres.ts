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
	ConversationStatus,
	ConversationSummary,
} from '../contract/events';
import type {
	AppendMessageInput,
	AppendResult,
	AppendVisitorMessageInput,
	ChatRepository,
	ConversationRecord,
	MessageAuthor,
	VisitorRecord,
} from './types';

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
];

export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;

/** Key of the advisory lock held while migrating (any constant bigint). */
const MIGRATION_LOCK_KEY = 0x6368_6174_666c;

const SUMMARY_SELECT = `
	SELECT c.*,
		m.seq AS m_seq, m.client_id AS m_client_id, m.author_type AS m_author_type,
		m.author_name AS m_author_name, m.body AS m_body, m.created_at AS m_created_at
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
} as const;

interface VisitorRow {
	id: string;
	session_hash: string;
	created_at: Date;
}

interface ConversationRow {
	id: string;
	visitor_id: string;
	chatflow_id: string;
	status: string;
	page_url: string;
	created_at: Date;
	updated_at: Date;
	last_seq: number;
}

interface MessageRow {
	conversation_id: string;
	seq: number;
	client_id: string;
	author_type: string;
	author_id: string;
	author_name: string;
	body: string;
	created_at: Date;
}

interface SummaryRow extends ConversationRow {
	m_seq: number | null;
	m_client_id: string | null;
	m_author_type: string | null;
	m_author_name: string | null;
	m_body: string | null;
	m_created_at: Date | null;
}

/** Queries run the same on the pool and on a transaction's client. */
type Queryable = Pick< Pool, 'query' > | PoolClient;

function iso( value: Date ): string {
	return value.toISOString();
}

function toVisitor( row: VisitorRow ): VisitorRecord {
	return {
		id: row.id,
		sessionHash: row.session_hash,
		createdAt: iso( row.created_at ),
	};
}

function toConversation( row: ConversationRow ): ConversationRecord {
	return {
		id: row.id,
		visitorId: row.visitor_id,
		chatflowId: row.chatflow_id,
		status: row.status as ConversationStatus,
		pageUrl: row.page_url,
		createdAt: iso( row.created_at ),
		updatedAt: iso( row.updated_at ),
		lastSeq: row.last_seq,
	};
}

function toMessage( row: MessageRow ): ChatMessage {
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

function toAuthor( row: MessageRow ): MessageAuthor {
	return {
		type: row.author_type as MessageAuthor[ 'type' ],
		id: row.author_id,
		name: row.author_name,
	};
}

function toSummary( row: SummaryRow ): ConversationSummary {
	return {
		id: row.id,
		chatflowId: row.chatflow_id,
		status: row.status as ConversationStatus,
		createdAt: iso( row.created_at ),
		visitorId: row.visitor_id,
		pageUrl: row.page_url,
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

/**
 * Brings the schema up to date in one transaction, under an advisory lock so
 * that nodes starting at the same time migrate once.
 *
 * @param pool A connected pool.
 */
async function migrate( pool: Pool ): Promise< void > {
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
	} catch ( error ) {
		await client.query( 'ROLLBACK' ).catch( () => undefined );
		throw error;
	} finally {
		client.release();
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

	appendVisitorMessage(
		input: AppendVisitorMessageInput
	): Promise< AppendResult > {
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
		return rows.map( toMessage );
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
