/**
 * The embedded ChatRepository: one SQLite file through better-sqlite3.
 *
 * WAL journal with `synchronous = FULL`: a write is on disk when its
 * statement returns, so an acknowledged message survives a crash or power loss.
 * better-sqlite3 is synchronous, so each transaction runs without interleaving
 * with other work of this process.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
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

/** Schema steps; `PRAGMA user_version` holds how many have been applied. */
const MIGRATIONS: string[] = [
	`
	CREATE TABLE visitors (
		id TEXT PRIMARY KEY,
		session_hash TEXT NOT NULL UNIQUE,
		created_at TEXT NOT NULL
	);
	CREATE TABLE conversations (
		id TEXT PRIMARY KEY,
		visitor_id TEXT NOT NULL REFERENCES visitors ( id ),
		chatflow_id TEXT NOT NULL,
		status TEXT NOT NULL CHECK ( status IN ( 'open', 'closed' ) ),
		page_url TEXT NOT NULL DEFAULT '',
		created_at TEXT NOT NULL,
		updated_at TEXT NOT NULL,
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
		created_at TEXT NOT NULL,
		PRIMARY KEY ( conversation_id, seq ),
		UNIQUE ( conversation_id, client_id )
	) WITHOUT ROWID;
	`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

interface VisitorRow {
	id: string;
	session_hash: string;
	created_at: string;
}

interface ConversationRow {
	id: string;
	visitor_id: string;
	chatflow_id: string;
	status: string;
	page_url: string;
	created_at: string;
	updated_at: string;
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
	created_at: string;
}

interface SummaryRow extends ConversationRow {
	m_seq: number | null;
	m_client_id: string | null;
	m_author_type: string | null;
	m_author_name: string | null;
	m_body: string | null;
	m_created_at: string | null;
}

function toVisitor( row: VisitorRow ): VisitorRecord {
	return {
		id: row.id,
		sessionHash: row.session_hash,
		createdAt: row.created_at,
	};
}

function toConversation( row: ConversationRow ): ConversationRecord {
	return {
		id: row.id,
		visitorId: row.visitor_id,
		chatflowId: row.chatflow_id,
		status: row.status as ConversationStatus,
		pageUrl: row.page_url,
		createdAt: row.created_at,
		updatedAt: row.updated_at,
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
		createdAt: row.created_at,
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
		createdAt: row.created_at,
		visitorId: row.visitor_id,
		pageUrl: row.page_url,
		updatedAt: row.updated_at,
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
						createdAt: row.m_created_at ?? '',
					},
	};
}

const SUMMARY_SELECT = `
	SELECT c.*,
		m.seq AS m_seq, m.client_id AS m_client_id, m.author_type AS m_author_type,
		m.author_name AS m_author_name, m.body AS m_body, m.created_at AS m_created_at
	FROM conversations c
	LEFT JOIN messages m ON m.conversation_id = c.id AND m.seq = c.last_seq
`;

/**
 * Brings the schema up to date inside one transaction.
 *
 * @param db An open database.
 */
function migrate( db: Database.Database ): void {
	const current = db.pragma( 'user_version', { simple: true } ) as number;
	if ( current > MIGRATIONS.length ) {
		throw new Error(
			`The database schema (version ${ current }) is newer than this service supports (version ${ MIGRATIONS.length }).`
		);
	}
	if ( current === MIGRATIONS.length ) {
		return;
	}
	db.transaction( () => {
		for ( let version = current; version < MIGRATIONS.length; version++ ) {
			db.exec( MIGRATIONS[ version ] );
		}
		db.pragma( `user_version = ${ MIGRATIONS.length }` );
	} ).immediate();
}

export class SqliteChatRepository implements ChatRepository {
	private readonly db: Database.Database;

	private readonly statements;

	private readonly appendVisitorTx: (
		input: AppendVisitorMessageInput
	) => AppendResult;

	private readonly appendTx: (
		input: AppendMessageInput
	) => AppendResult | null;

	private closed = false;

	/**
	 * Opens (and creates, with its folder) the database file.
	 *
	 * @param file Path of the SQLite file.
	 */
	constructor( file: string ) {
		fs.mkdirSync( path.dirname( path.resolve( file ) ), {
			recursive: true,
		} );
		this.db = new Database( file );
		try {
			this.db.pragma( 'journal_mode = WAL' );
			this.db.pragma( 'synchronous = FULL' );
			this.db.pragma( 'foreign_keys = ON' );
			this.db.pragma( 'busy_timeout = 5000' );
			migrate( this.db );
		} catch ( error ) {
			this.db.close();
			throw error;
		}

		const db = this.db;
		this.statements = {
			insertVisitor: db.prepare(
				'INSERT INTO visitors ( id, session_hash, created_at ) VALUES ( ?, ?, ? )'
			),
			visitorBySession: db.prepare(
				'SELECT * FROM visitors WHERE session_hash = ?'
			),
			conversationById: db.prepare(
				'SELECT * FROM conversations WHERE id = ?'
			),
			openConversation: db.prepare(
				`SELECT * FROM conversations
				WHERE visitor_id = ? AND chatflow_id = ? AND status = 'open'
				ORDER BY created_at DESC, rowid DESC LIMIT 1`
			),
			insertConversation: db.prepare(
				`INSERT INTO conversations
				( id, visitor_id, chatflow_id, status, page_url, created_at, updated_at, last_seq )
				VALUES ( ?, ?, ?, 'open', ?, ?, ?, 0 )`
			),
			nextSeq: db.prepare(
				`UPDATE conversations SET last_seq = last_seq + 1, updated_at = ?
				WHERE id = ? RETURNING *`
			),
			messageByClientId: db.prepare(
				'SELECT * FROM messages WHERE conversation_id = ? AND client_id = ?'
			),
			insertMessage: db.prepare(
				`INSERT INTO messages
				( conversation_id, seq, client_id, author_type, author_id, author_name, body, created_at )
				VALUES ( ?, ?, ?, ?, ?, ?, ?, ? )`
			),
			messagesAfter: db.prepare(
				'SELECT * FROM messages WHERE conversation_id = ? AND seq > ? ORDER BY seq'
			),
			listSummaries: db.prepare(
				`${ SUMMARY_SELECT } ORDER BY c.updated_at DESC, c.rowid DESC LIMIT ?`
			),
			summaryById: db.prepare( `${ SUMMARY_SELECT } WHERE c.id = ?` ),
		};

		const store = (
			conversation: ConversationRecord,
			input: AppendMessageInput | AppendVisitorMessageInput,
			conversationCreated: boolean
		): AppendResult => {
			const existing = this.statements.messageByClientId.get(
				conversation.id,
				input.clientId
			) as MessageRow | undefined;
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
				this.statements.nextSeq.get(
					input.createdAt,
					conversation.id
				) as ConversationRow
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
			this.statements.insertMessage.run(
				row.conversation_id,
				row.seq,
				row.client_id,
				row.author_type,
				row.author_id,
				row.author_name,
				row.body,
				row.created_at
			);
			return {
				conversation: updated,
				message: toMessage( row ),
				author: toAuthor( row ),
				created: true,
				conversationCreated,
			};
		};

		const appendVisitor = db.transaction(
			( input: AppendVisitorMessageInput ): AppendResult => {
				const open = this.statements.openConversation.get(
					input.visitorId,
					input.chatflowId
				) as ConversationRow | undefined;
				if ( open ) {
					return store( toConversation( open ), input, false );
				}
				this.statements.insertConversation.run(
					input.newConversationId,
					input.visitorId,
					input.chatflowId,
					input.pageUrl,
					input.createdAt,
					input.createdAt
				);
				const created = toConversation(
					this.statements.conversationById.get(
						input.newConversationId
					) as ConversationRow
				);
				return store( created, input, true );
			}
		);
		this.appendVisitorTx = ( input ) => appendVisitor.immediate( input );

		const append = db.transaction(
			( input: AppendMessageInput ): AppendResult | null => {
				const row = this.statements.conversationById.get(
					input.conversationId
				) as ConversationRow | undefined;
				if ( ! row ) {
					return null;
				}
				return store( toConversation( row ), input, false );
			}
		);
		this.appendTx = ( input ) => append.immediate( input );
	}

	async createVisitor( visitor: VisitorRecord ): Promise< void > {
		this.statements.insertVisitor.run(
			visitor.id,
			visitor.sessionHash,
			visitor.createdAt
		);
	}

	async findVisitorBySessionHash(
		sessionHash: string
	): Promise< VisitorRecord | null > {
		const row = this.statements.visitorBySession.get( sessionHash ) as
			VisitorRow | undefined;
		return row ? toVisitor( row ) : null;
	}

	async findConversation( id: string ): Promise< ConversationRecord | null > {
		const row = this.statements.conversationById.get( id ) as
			ConversationRow | undefined;
		return row ? toConversation( row ) : null;
	}

	async findOpenConversation(
		visitorId: string,
		chatflowId: string
	): Promise< ConversationRecord | null > {
		const row = this.statements.openConversation.get(
			visitorId,
			chatflowId
		) as ConversationRow | undefined;
		return row ? toConversation( row ) : null;
	}

	async listConversations( options: {
		limit: number;
	} ): Promise< ConversationSummary[] > {
		const rows = this.statements.listSummaries.all(
			options.limit
		) as SummaryRow[];
		return rows.map( toSummary );
	}

	async getConversationSummary(
		id: string
	): Promise< ConversationSummary | null > {
		const row = this.statements.summaryById.get( id ) as
			SummaryRow | undefined;
		return row ? toSummary( row ) : null;
	}

	async appendVisitorMessage(
		input: AppendVisitorMessageInput
	): Promise< AppendResult > {
		return this.appendVisitorTx( input );
	}

	async appendMessage(
		input: AppendMessageInput
	): Promise< AppendResult | null > {
		return this.appendTx( input );
	}

	async listMessages(
		conversationId: string,
		afterSeq: number
	): Promise< ChatMessage[] > {
		const rows = this.statements.messagesAfter.all(
			conversationId,
			afterSeq
		) as MessageRow[];
		return rows.map( toMessage );
	}

	async close(): Promise< void > {
		if ( this.closed ) {
			return;
		}
		this.closed = true;
		// Folds the WAL back into the main file so the database is one file at rest.
		try {
			this.db.pragma( 'wal_checkpoint(TRUNCATE)' );
		} finally {
			this.db.close();
		}
	}
}

/**
 * Opens the SQLite repository.
 *
 * @param file Path of the database file; its folder is created when missing.
 * @return The repository.
 */
export function openSqliteRepository( file: string ): SqliteChatRepository {
	return new SqliteChatRepository( file );
}
