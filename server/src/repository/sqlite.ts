/**
 * The embedded ChatRepository: one SQLite file through better-sqlite3.
 *
 * WAL journal with `synchronous = FULL`: a write is on disk when its
 * statement returns, so an acknowledged message survives a crash or power loss.
 * better-sqlite3 is synchronous, so each transaction runs without interleaving
 * with other work of this process.
 *
 * Two connections: the main thread's, read-only, serves the methods in
 * MAIN_THREAD_METHODS; a writer thread (`sqlite-writer.ts`) with its own
 * instance of this class runs every other method, so no fsync ever blocks
 * the event loop. WAL lets the main thread read while the writer commits.
 * Arguments and results cross threads by structured cloning: plain data.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
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
	TicketState,
	VisitorRecord,
	ConsentsQuery,
	MigrationResult,
} from './types';
import { GroupCommit } from './group-commit';
import { SqliteWriter, type SqliteWriterFailedError } from './sqlite-writer';
import { configureConnection } from './sqlite-connection';
import {
	ATTACHMENT_SQL,
	insertAttachmentParams,
	linkAttachmentParams,
	toAttachment,
	withAttachments,
	type AttachmentRow,
} from '../attachments/rows';
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
		offline INTEGER NOT NULL,
		created_at TEXT NOT NULL,
		updated_at TEXT NOT NULL
	);
	CREATE TABLE contacts (
		id TEXT PRIMARY KEY,
		email_key TEXT NOT NULL UNIQUE,
		email TEXT NOT NULL,
		name TEXT NOT NULL,
		created_at TEXT NOT NULL
	);
	CREATE TABLE survey_answers (
		conversation_id TEXT PRIMARY KEY REFERENCES conversations ( id ),
		rating INTEGER NOT NULL,
		comment TEXT NOT NULL,
		answered_at TEXT NOT NULL
	);
	CREATE TABLE chatflows (
		id TEXT PRIMARY KEY,
		version INTEGER NOT NULL,
		document TEXT NOT NULL
	);
	CREATE TABLE directory (
		id INTEGER PRIMARY KEY CHECK ( id = 1 ),
		document TEXT NOT NULL
	);
	CREATE TABLE notifications (
		id TEXT PRIMARY KEY,
		payload TEXT NOT NULL,
		attempts INTEGER NOT NULL DEFAULT 0,
		created_at TEXT NOT NULL,
		next_attempt_at TEXT NOT NULL
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
		data BLOB NOT NULL,
		created_at TEXT NOT NULL,
		conversation_id TEXT REFERENCES conversations ( id ),
		seq INTEGER,
		UNIQUE ( conversation_id, seq )
	);
	`,
	INBOX_MIGRATION,
	AGENT_READS_MIGRATION,
	privacyMigration( 'sqlite' ),
	`
	ALTER TABLE notifications ADD COLUMN digest_key TEXT;
	ALTER TABLE notifications ADD COLUMN failed_at TEXT;
	CREATE INDEX notifications_digest ON notifications ( digest_key )
		WHERE digest_key IS NOT NULL;
	`,
	emailClaimsMigration( 'sqlite' ),
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The schema steps, in order (tests build databases of earlier versions with them). */
export const SQLITE_MIGRATIONS: readonly string[] = MIGRATIONS;

/** The input of `linkContact`. */
type LinkContactInput = Parameters< ChatRepository[ 'linkContact' ] >[ 0 ];

/**
 * Methods the main thread serves from its own, read-only connection: the
 * reads on the paths of every message and connection. Every other method
 * of the class runs on the writer thread's instance (writes, and reads
 * nobody listed here, which are correct there too, only a hop away).
 */
export const MAIN_THREAD_METHODS: ReadonlySet< string > = new Set( [
	'findVisitorBySessionHash',
	'findConversation',
	'findOpenConversation',
	'findLatestConversation',
	'listConversations',
	'getConversationSummary',
	'listMessages',
	'listOpenConversations',
	'listWaitingConversations',
	'countOpenByAssignee',
	'findQueuePlace',
	'countUnread',
	'findTicket',
	'findContact',
	'findSurveyAnswer',
	'loadConfiguration',
	'listDueNotifications',
	'listDigestNotifications',
	'findAttachment',
	'readAttachmentData',
	// Not repository methods: the class's own helpers and lifecycle.
	'writeChatflow',
	'close',
] );

export interface SqliteRepositoryOptions {
	/**
	 * Called once if the writer thread dies; from then on every write is
	 * refused. The service stops (see index.ts).
	 */
	onWriterFailure?: ( error: SqliteWriterFailedError ) => void;
	/** True only for the writer thread's own instance, which writes itself. */
	inWriterThread?: boolean;
}

interface NotificationRow {
	id: string;
	payload: string;
	attempts: number;
	created_at: string;
	next_attempt_at: string;
	digest_key: string | null;
}

function pendingNotification( row: NotificationRow ): PendingNotification {
	return {
		id: row.id,
		notification: JSON.parse( row.payload ) as ServiceNotification,
		attempts: row.attempts,
		nextAttemptAt: row.next_attempt_at,
		createdAt: row.created_at,
		digestKey: row.digest_key,
	};
}

const SUMMARY_SELECT = `
	SELECT c.*,
		m.seq AS m_seq, m.client_id AS m_client_id, m.author_type AS m_author_type,
		m.author_name AS m_author_name, m.body AS m_body, m.created_at AS m_created_at,
		( SELECT COUNT(*) FROM messages u
			WHERE u.conversation_id = c.id AND u.seq > c.agent_read_seq AND u.author_type <> 'agent'
		) AS unread_count
	FROM conversations c
	LEFT JOIN messages m ON m.conversation_id = c.id AND m.seq = c.last_seq
`;

/**
 * Brings the schema up to date inside one transaction.
 *
 * @param db An open database.
 * @return The versions before and after.
 */
function migrate( db: Database.Database ): MigrationResult {
	const current = db.pragma( 'user_version', { simple: true } ) as number;
	if ( current > MIGRATIONS.length ) {
		throw new Error(
			`The database schema (version ${ current }) is newer than this service supports (version ${ MIGRATIONS.length }).`
		);
	}
	if ( current < MIGRATIONS.length ) {
		db.transaction( () => {
			for (
				let version = current;
				version < MIGRATIONS.length;
				version++
			) {
				db.exec( MIGRATIONS[ version ] );
			}
			db.pragma( `user_version = ${ MIGRATIONS.length }` );
		} ).immediate();
	}
	return { from: current, to: MIGRATIONS.length };
}

/**
 * Brings a SQLite file's schema up to date (creating the file and its folder
 * when missing) without starting a repository: `chatflows-service migrate`.
 *
 * @param file Path of the SQLite file.
 * @return The versions before and after.
 */
export function migrateSqliteFile( file: string ): MigrationResult {
	fs.mkdirSync( path.dirname( path.resolve( file ) ), { recursive: true } );
	const db = new Database( file );
	try {
		configureConnection( db );
		return migrate( db );
	} finally {
		db.close();
	}
}

export class SqliteChatRepository implements ChatRepository {
	private readonly db: Database.Database;

	private readonly statements;

	private readonly appendVisitorTx: (
		input: AppendVisitorMessageInput & { onlyToOpen?: boolean }
	) => AppendResult | null;

	private readonly appendTx: (
		input: AppendMessageInput
	) => AppendResult | null;

	private closed = false;

	/** Statements of `attachments` (see `attachments/rows.ts`). */
	private readonly attachmentStatements;

	/** Messages and new visitors are written in batches, one fsync per batch. */
	private readonly groupCommit: GroupCommit;

	/** The writer thread; null in the writer thread's own instance. */
	private readonly writer: SqliteWriter | null;

	/**
	 * Opens (and creates, with its folder) the database file and starts the
	 * writer thread.
	 *
	 * @param file    Path of the SQLite file.
	 * @param options Options.
	 */
	constructor( file: string, options: SqliteRepositoryOptions = {} ) {
		fs.mkdirSync( path.dirname( path.resolve( file ) ), {
			recursive: true,
		} );
		this.db = new Database( file );
		try {
			configureConnection( this.db );
			if ( ! options.inWriterThread ) {
				migrate( this.db );
			}
		} catch ( error ) {
			this.db.close();
			throw error;
		}

		const db = this.db;
		this.groupCommit = new GroupCommit( db );
		this.writer = null;
		if ( ! options.inWriterThread ) {
			db.pragma( 'query_only = ON' );
			const writer = new SqliteWriter(
				file,
				options.onWriterFailure ?? ( () => undefined )
			);
			this.writer = writer;
			const prototype = SqliteChatRepository.prototype;
			for ( const name of Object.getOwnPropertyNames( prototype ) ) {
				const descriptor = Object.getOwnPropertyDescriptor(
					prototype,
					name
				);
				if (
					name === 'constructor' ||
					MAIN_THREAD_METHODS.has( name ) ||
					typeof descriptor?.value !== 'function'
				) {
					continue;
				}
				( this as Record< string, unknown > )[ name ] = (
					...args: unknown[]
				) => writer.call( name, args );
			}
		}
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
			latestConversation: db.prepare(
				`SELECT * FROM conversations
				WHERE visitor_id = ? AND chatflow_id = ?
				ORDER BY created_at DESC, rowid DESC LIMIT 1`
			),
			openConversations: db.prepare(
				`SELECT * FROM conversations WHERE status = 'open'
				ORDER BY created_at, rowid`
			),
			waitingConversations: db.prepare(
				waitingConversationsSql( 'sqlite' )
			),
			openCountsByAssignee: db.prepare(
				openCountsByAssigneeSql( 'sqlite' )
			),
			queuePlace: db.prepare( queuePlaceSql( 'sqlite' ) ),
			setAssignee: db.prepare(
				'UPDATE conversations SET assignee_id = ?, team_id = ? WHERE id = ? RETURNING *'
			),
			setStatus: db.prepare(
				'UPDATE conversations SET status = ?, updated_at = ? WHERE id = ? RETURNING *'
			),
			setTicketState: db.prepare(
				'UPDATE tickets SET state = ?, updated_at = ? WHERE conversation_id = ?'
			),
			insertTicket: db.prepare(
				`INSERT INTO tickets
				( id, conversation_id, chatflow_id, pipeline, status, priority, category, state, offline, created_at, updated_at )
				VALUES ( ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ? )`
			),
			ticketByConversation: db.prepare(
				'SELECT * FROM tickets WHERE conversation_id = ?'
			),
			markAgentRead: db.prepare(
				`UPDATE conversations SET agent_read_seq = MAX( agent_read_seq, MIN( ?, last_seq ) )
				WHERE id = ? RETURNING *`
			),
			markVisitorRead: db.prepare(
				`UPDATE conversations SET visitor_read_seq = MAX( visitor_read_seq, MIN( ?, last_seq ) )
				WHERE id = ? RETURNING *`
			),
			upsertAgentRead: db.prepare( upsertAgentReadSql( 'sqlite' ) ),
			unreadForAgent: db.prepare(
				`SELECT ${ agentUnreadSubquery(
					'COUNT(*)',
					'?'
				) } AS n FROM conversations c WHERE c.id = ?`
			),
			unreadForAgents: db.prepare(
				`SELECT COUNT(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id
				WHERE c.id = ? AND m.seq > c.agent_read_seq AND m.author_type <> 'agent'`
			),
			unreadForVisitor: db.prepare(
				`SELECT COUNT(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id
				WHERE c.id = ? AND m.seq > c.visitor_read_seq AND m.author_type <> 'visitor'`
			),
			contactByKey: db.prepare(
				'SELECT * FROM contacts WHERE email_key = ?'
			),
			contactById: db.prepare( 'SELECT * FROM contacts WHERE id = ?' ),
			insertContact: db.prepare(
				'INSERT INTO contacts ( id, email_key, email, name, created_at, marketing ) VALUES ( ?, ?, ?, ?, ?, ? )'
			),
			markMarketing: db.prepare(
				'UPDATE contacts SET marketing = 1 WHERE id = ?'
			),
			renameContact: db.prepare(
				'UPDATE contacts SET name = ? WHERE id = ?'
			),
			linkContact: db.prepare(
				'UPDATE conversations SET contact_id = ? WHERE id = ?'
			),
			upsertSurvey: db.prepare(
				`INSERT INTO survey_answers ( conversation_id, rating, comment, answered_at )
				VALUES ( ?, ?, ?, ? )
				ON CONFLICT ( conversation_id ) DO UPDATE SET
				rating = excluded.rating, comment = excluded.comment, answered_at = excluded.answered_at`
			),
			surveyByConversation: db.prepare(
				'SELECT * FROM survey_answers WHERE conversation_id = ?'
			),
			upsertChatflow: db.prepare(
				`INSERT INTO chatflows ( id, version, document ) VALUES ( ?, ?, ? )
				ON CONFLICT ( id ) DO UPDATE SET version = excluded.version, document = excluded.document
				WHERE excluded.version >= chatflows.version`
			),
			deleteChatflow: db.prepare( 'DELETE FROM chatflows WHERE id = ?' ),
			chatflowIds: db.prepare( 'SELECT id FROM chatflows' ),
			allChatflows: db.prepare(
				'SELECT document FROM chatflows ORDER BY id'
			),
			upsertDirectory: db.prepare(
				`INSERT INTO directory ( id, document ) VALUES ( 1, ? )
				ON CONFLICT ( id ) DO UPDATE SET document = excluded.document`
			),
			directory: db.prepare(
				'SELECT document FROM directory WHERE id = 1'
			),
			insertNotification: db.prepare(
				`INSERT INTO notifications ( id, payload, attempts, created_at, next_attempt_at, digest_key )
				VALUES ( ?, ?, 0, ?, ?, ? ) ON CONFLICT ( id ) DO NOTHING`
			),
			dueNotifications: db.prepare(
				`SELECT * FROM notifications WHERE failed_at IS NULL AND next_attempt_at <= ?
				ORDER BY next_attempt_at, created_at LIMIT ?`
			),
			digestNotifications: db.prepare(
				`SELECT * FROM notifications WHERE failed_at IS NULL AND digest_key = ?
				ORDER BY created_at, id LIMIT ?`
			),
			failNotification: db.prepare(
				'UPDATE notifications SET failed_at = ? WHERE id = ?'
			),
			deleteNotification: db.prepare(
				'DELETE FROM notifications WHERE id = ?'
			),
			postponeNotification: db.prepare(
				'UPDATE notifications SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?'
			),
		};

		this.attachmentStatements = Object.fromEntries(
			Object.entries( ATTACHMENT_SQL ).map( ( [ name, sql ] ) => [
				name,
				db.prepare( sql ),
			] )
		) as Record< keyof typeof ATTACHMENT_SQL, Database.Statement >;

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
			(
				input: AppendVisitorMessageInput & { onlyToOpen?: boolean }
			): AppendResult | null => {
				const open = this.statements.openConversation.get(
					input.visitorId,
					input.chatflowId
				) as ConversationRow | undefined;
				if ( open ) {
					return store( toConversation( open ), input, false );
				}
				if ( input.onlyToOpen ) {
					return null;
				}
				const latest = input.reopenClosed
					? ( this.statements.latestConversation.get(
							input.visitorId,
							input.chatflowId
						) as ConversationRow | undefined )
					: undefined;
				if ( latest ) {
					const repeated = this.statements.messageByClientId.get(
						latest.id,
						input.clientId
					) as MessageRow | undefined;
					if ( repeated ) {
						return {
							conversation: toConversation( latest ),
							message: toMessage( repeated ),
							author: toAuthor( repeated ),
							created: false,
							conversationCreated: false,
						};
					}
					const reopened = toConversation(
						this.statements.setStatus.get(
							'open',
							input.createdAt,
							latest.id
						) as ConversationRow
					);
					this.statements.setTicketState.run(
						'reopened',
						input.createdAt,
						latest.id
					);
					return {
						...store( reopened, input, false ),
						conversationReopened: true,
					};
				}
				this.statements.insertConversation.run(
					input.newConversationId,
					input.visitorId,
					input.chatflowId,
					input.pageUrl,
					input.createdAt,
					input.createdAt
				);
				if ( input.ticket ) {
					const ticket = input.ticket;
					this.statements.insertTicket.run(
						ticket.id,
						input.newConversationId,
						input.chatflowId,
						ticket.pipeline,
						ticket.status,
						ticket.priority,
						ticket.category,
						ticket.offline ? 1 : 0,
						input.createdAt,
						input.createdAt
					);
				}
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

		this.assignTx = db.transaction(
			( input: AssignInput ): AssignResult | null => {
				const row = this.statements.conversationById.get(
					input.conversationId
				) as ConversationRow | undefined;
				if ( ! row ) {
					return null;
				}
				if (
					row.status !== 'open' ||
					( input.expectedAssigneeId !== undefined &&
						row.assignee_id !== input.expectedAssigneeId )
				) {
					return {
						conversation: toConversation( row ),
						changed: false,
					};
				}
				const updated = this.statements.setAssignee.get(
					input.assigneeId,
					input.teamId,
					input.conversationId
				) as ConversationRow;
				return {
					conversation: toConversation( updated ),
					changed: true,
				};
			}
		);

		this.statusTx = db.transaction(
			( input: {
				conversationId: string;
				status: ConversationStatus;
				updatedAt: string;
			} ): StatusResult | null => {
				const row = this.statements.conversationById.get(
					input.conversationId
				) as ConversationRow | undefined;
				if ( ! row ) {
					return null;
				}
				if ( row.status === input.status ) {
					return {
						conversation: toConversation( row ),
						changed: false,
					};
				}
				const updated = this.statements.setStatus.get(
					input.status,
					input.updatedAt,
					input.conversationId
				) as ConversationRow;
				const ticketState: TicketState =
					input.status === 'closed' ? 'closed' : 'reopened';
				this.statements.setTicketState.run(
					ticketState,
					input.updatedAt,
					input.conversationId
				);
				return {
					conversation: toConversation( updated ),
					changed: true,
				};
			}
		);

		this.contactTx = db.transaction(
			( input: LinkContactInput ): ContactRecord => {
				const key = contactEmailKey( input.email );
				let row = this.statements.contactByKey.get( key ) as
					ContactRow | undefined;
				if ( ! row ) {
					row = {
						id: input.newContactId,
						email: input.email.trim(),
						name: input.name,
						marketing: input.marketing ? 1 : 0,
						created_at: input.createdAt,
					};
					this.statements.insertContact.run(
						row.id,
						key,
						row.email,
						row.name,
						row.created_at,
						row.marketing
					);
				} else if (
					input.rename &&
					input.name !== '' &&
					input.name !== row.name
				) {
					this.statements.renameContact.run( input.name, row.id );
					row = { ...row, name: input.name };
				}
				if ( input.marketing && ! toContact( row ).marketing ) {
					this.statements.markMarketing.run( row.id );
					row = { ...row, marketing: 1 };
				}
				if ( input.conversationId !== null ) {
					this.statements.linkContact.run(
						row.id,
						input.conversationId
					);
				}
				if ( input.visitorId !== undefined ) {
					for ( const statement of linkVisitorStatements(
						'sqlite',
						input.visitorId,
						row.id
					) ) {
						this.run( statement );
					}
				}
				return toContact( row );
			}
		);

		this.configurationTx = db.transaction(
			( configuration: ServiceConfiguration ): void => {
				const { chatflows, ...directory } = configuration;
				this.statements.upsertDirectory.run(
					JSON.stringify( directory )
				);
				const keep = new Set( chatflows.map( ( flow ) => flow.id ) );
				for ( const row of this.statements.chatflowIds.all() as Array< {
					id: string;
				} > ) {
					if ( ! keep.has( row.id ) ) {
						this.statements.deleteChatflow.run( row.id );
					}
				}
				for ( const chatflow of chatflows ) {
					this.writeChatflow( chatflow );
				}
			}
		);
	}

	private readonly assignTx: Database.Transaction<
		( input: AssignInput ) => AssignResult | null
	>;

	private readonly statusTx: Database.Transaction<
		( input: {
			conversationId: string;
			status: ConversationStatus;
			updatedAt: string;
		} ) => StatusResult | null
	>;

	private readonly contactTx: Database.Transaction<
		( input: LinkContactInput ) => ContactRecord
	>;

	private readonly configurationTx: Database.Transaction<
		( configuration: ServiceConfiguration ) => void
	>;

	private writeChatflow( chatflow: CompiledChatflow ): boolean {
		return (
			this.statements.upsertChatflow.run(
				chatflow.id,
				chatflow.version,
				JSON.stringify( chatflow )
			).changes > 0
		);
	}

	async findLatestConversation(
		visitorId: string,
		chatflowId: string
	): Promise< ConversationRecord | null > {
		const row = this.statements.latestConversation.get(
			visitorId,
			chatflowId
		) as ConversationRow | undefined;
		return row ? toConversation( row ) : null;
	}

	async listOpenConversations(): Promise< ConversationRecord[] > {
		return (
			this.statements.openConversations.all() as ConversationRow[]
		 ).map( toConversation );
	}

	async listWaitingConversations(): Promise< ConversationRecord[] > {
		return (
			this.statements.waitingConversations.all() as ConversationRow[]
		 ).map( toConversation );
	}

	async countOpenByAssignee(): Promise< AgentOpenCount[] > {
		return (
			this.statements.openCountsByAssignee.all() as Array< {
				user_id: string;
				open: number;
			} >
		 ).map( ( row ) => ( { userId: row.user_id, open: row.open } ) );
	}

	async findQueuePlace(
		conversationId: string
	): Promise< QueuePlace | null > {
		const row = this.statements.queuePlace.get( conversationId ) as
			QueuePlace | undefined;
		return row && row.place > 0
			? { place: row.place, waiting: row.waiting }
			: null;
	}

	async assignConversation(
		input: AssignInput
	): Promise< AssignResult | null > {
		return this.assignTx.immediate( input );
	}

	async setConversationStatus( input: {
		conversationId: string;
		status: ConversationStatus;
		updatedAt: string;
	} ): Promise< StatusResult | null > {
		return this.statusTx.immediate( input );
	}

	async markRead( input: {
		conversationId: string;
		reader: 'agent' | 'visitor';
		seq: number;
		agentId?: string;
	} ): Promise< ConversationRecord | null > {
		const statement =
			input.reader === 'agent'
				? this.statements.markAgentRead
				: this.statements.markVisitorRead;
		const mark = this.db.transaction( () => {
			if ( input.reader === 'agent' && input.agentId !== undefined ) {
				this.statements.upsertAgentRead.run(
					input.agentId,
					input.seq,
					input.conversationId
				);
			}
			return statement.get( input.seq, input.conversationId ) as
				ConversationRow | undefined;
		} );
		const row = mark.immediate();
		return row ? toConversation( row ) : null;
	}

	async countUnread(
		conversationId: string,
		reader: 'agent' | 'visitor',
		agentId?: string
	): Promise< number > {
		if ( reader === 'agent' && agentId !== undefined ) {
			const row = this.statements.unreadForAgent.get(
				agentId,
				conversationId
			) as { n: number } | undefined;
			return row ? row.n : 0;
		}
		const statement =
			reader === 'agent'
				? this.statements.unreadForAgents
				: this.statements.unreadForVisitor;
		return ( statement.get( conversationId ) as { n: number } ).n;
	}

	async findTicket( conversationId: string ): Promise< TicketRecord | null > {
		const row = this.statements.ticketByConversation.get(
			conversationId
		) as TicketRow | undefined;
		return row ? toTicket( row ) : null;
	}

	async linkContact( input: LinkContactInput ): Promise< ContactRecord > {
		return this.contactTx.immediate( input );
	}

	async findVisitorContactId( visitorId: string ): Promise< string | null > {
		const [ row ] = this.all< { contact_id: string | null } >(
			visitorContactStatement( 'sqlite', visitorId )
		);
		return row?.contact_id ?? null;
	}

	async saveEmailClaim(
		claim: Parameters< ChatRepository[ 'saveEmailClaim' ] >[ 0 ]
	): Promise< void > {
		this.run( saveEmailClaimStatement( 'sqlite', claim ) );
	}

	async findEmailClaim(
		visitorId: string
	): Promise< EmailClaimRecord | null > {
		const [ row ] = this.all< EmailClaimRow >(
			emailClaimStatement( 'sqlite', visitorId )
		);
		return row ? toEmailClaim( row ) : null;
	}

	async takeEmailClaim( input: {
		confirmationHash: string;
		now: string;
	} ): Promise< EmailClaimRecord | null > {
		const [ row ] = this.all< EmailClaimRow >(
			takeEmailClaimStatement(
				'sqlite',
				input.confirmationHash,
				input.now
			)
		);
		return row ? toEmailClaim( row ) : null;
	}

	async listEmailClaims( email: string ): Promise< EmailClaimRecord[] > {
		return this.all< EmailClaimRow >(
			emailClaimsByAddressStatement( 'sqlite', email )
		).map( toEmailClaim );
	}

	async deleteEmailClaims( email: string ): Promise< number > {
		return this.run( deleteEmailClaimsStatement( 'sqlite', email ) );
	}

	async findContact( id: string ): Promise< ContactRecord | null > {
		const row = this.statements.contactById.get( id ) as
			ContactRow | undefined;
		return row ? toContact( row ) : null;
	}

	async saveSurveyAnswer( answer: SurveyAnswerRecord ): Promise< void > {
		this.statements.upsertSurvey.run(
			answer.conversationId,
			answer.rating,
			answer.comment,
			answer.answeredAt
		);
	}

	async findSurveyAnswer(
		conversationId: string
	): Promise< SurveyAnswerRecord | null > {
		const row = this.statements.surveyByConversation.get(
			conversationId
		) as
			| {
					conversation_id: string;
					rating: number;
					comment: string;
					answered_at: string;
			  }
			| undefined;
		return row
			? {
					conversationId: row.conversation_id,
					rating: row.rating,
					comment: row.comment,
					answeredAt: row.answered_at,
				}
			: null;
	}

	async replaceConfiguration(
		configuration: ServiceConfiguration
	): Promise< ServiceConfiguration > {
		this.configurationTx.immediate( configuration );
		return ( await this.loadConfiguration() ) as ServiceConfiguration;
	}

	async saveChatflow( chatflow: CompiledChatflow ): Promise< boolean > {
		return this.writeChatflow( chatflow );
	}

	async deleteChatflow( id: string ): Promise< boolean > {
		return this.statements.deleteChatflow.run( id ).changes > 0;
	}

	async loadConfiguration(): Promise< ServiceConfiguration | null > {
		const directory = this.statements.directory.get() as
			{ document: string } | undefined;
		const chatflows = (
			this.statements.allChatflows.all() as Array< { document: string } >
		 ).map( ( row ) => JSON.parse( row.document ) as CompiledChatflow );
		if ( ! directory && chatflows.length === 0 ) {
			return null;
		}
		const rest = directory
			? ( JSON.parse( directory.document ) as Omit<
					ServiceConfiguration,
					'chatflows'
				> )
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
		// With the messages written at the same time: one fsync for all.
		await this.groupCommit.run( () =>
			this.statements.insertNotification.run(
				input.id,
				JSON.stringify( input.notification ),
				input.createdAt,
				input.nextAttemptAt ?? input.createdAt,
				input.digestKey ?? null
			)
		);
	}

	async listDueNotifications(
		now: string,
		limit: number
	): Promise< PendingNotification[] > {
		return (
			this.statements.dueNotifications.all(
				now,
				limit
			) as NotificationRow[]
		 ).map( pendingNotification );
	}

	async listDigestNotifications(
		digestKey: string,
		limit: number
	): Promise< PendingNotification[] > {
		return (
			this.statements.digestNotifications.all(
				digestKey,
				limit
			) as NotificationRow[]
		 ).map( pendingNotification );
	}

	async failNotification( id: string, failedAt: string ): Promise< void > {
		this.statements.failNotification.run( failedAt, id );
	}

	async completeNotification( id: string ): Promise< void > {
		this.statements.deleteNotification.run( id );
	}

	async postponeNotification(
		id: string,
		nextAttemptAt: string
	): Promise< void > {
		this.statements.postponeNotification.run( nextAttemptAt, id );
	}

	async createVisitor( visitor: VisitorRecord ): Promise< void > {
		await this.groupCommit.run( () =>
			this.statements.insertVisitor.run(
				visitor.id,
				visitor.sessionHash,
				visitor.createdAt
			)
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
		return this.groupCommit.run(
			// Without `onlyToOpen` the transaction always stores or finds a message.
			() => this.appendVisitorTx( input ) as AppendResult
		);
	}

	async appendToOpenConversation(
		input: AppendVisitorMessageInput
	): Promise< AppendResult | null > {
		return this.groupCommit.run( () =>
			this.appendVisitorTx( { ...input, onlyToOpen: true } )
		);
	}

	async appendMessage(
		input: AppendMessageInput
	): Promise< AppendResult | null > {
		return this.groupCommit.run( () => this.appendTx( input ) );
	}

	async listMessages(
		conversationId: string,
		afterSeq: number
	): Promise< ChatMessage[] > {
		const rows = this.statements.messagesAfter.all(
			conversationId,
			afterSeq
		) as MessageRow[];
		const attachments = this.attachmentStatements.ofConversation.all(
			conversationId,
			afterSeq
		) as AttachmentRow[];
		return withAttachments(
			rows.map( toMessage ),
			attachments.map( toAttachment )
		);
	}

	async saveAttachment(
		attachment: AttachmentRecord,
		data: Buffer
	): Promise< void > {
		this.attachmentStatements.insert.run(
			...insertAttachmentParams( attachment, data )
		);
	}

	async findAttachment( id: string ): Promise< AttachmentRecord | null > {
		const row = this.attachmentStatements.byId.get( id ) as
			AttachmentRow | undefined;
		return row ? toAttachment( row ) : null;
	}

	async readAttachmentData( id: string ): Promise< Buffer | null > {
		const row = this.attachmentStatements.data.get( id ) as
			{ data: Buffer } | undefined;
		return row ? row.data : null;
	}

	async linkAttachment(
		input: Parameters< ChatRepository[ 'linkAttachment' ] >[ 0 ]
	): Promise< AttachmentRecord | null > {
		const row = this.attachmentStatements.link.get(
			...linkAttachmentParams( input )
		) as AttachmentRow | undefined;
		return row ? toAttachment( row ) : null;
	}

	async countUnsentAttachments(
		uploaderType: AttachmentRecord[ 'uploaderType' ],
		uploaderId: string
	): Promise< number > {
		const row = this.attachmentStatements.countUnsent.get(
			uploaderType,
			uploaderId
		) as { n: number };
		return row.n;
	}

	async deleteUnsentAttachments( before: string ): Promise< number > {
		return this.attachmentStatements.deleteUnsent.run( before ).changes;
	}

	/* ---------- inbox (statements in inbox-sql.ts) ---------- */

	private all< R >( statement: Statement ): R[] {
		return this.db
			.prepare( statement.sql )
			.all( ...statement.params ) as R[];
	}

	async listInbox( input: InboxListInput ): Promise< {
		conversations: ConversationSummary[];
		counts: InboxCounts;
	} > {
		const rows = this.all< InboxSummaryRow >(
			inboxListStatement( 'sqlite', input )
		);
		const [ counts ] = this.all< Record< InboxView, number > >(
			inboxCountsStatement( 'sqlite', input )
		);
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
		return this.all< InboxSummaryRow >(
			relatedConversationsStatement( 'sqlite', input )
		).map( toInboxSummary );
	}

	async listOpenConversationActivity(): Promise<
		OpenConversationActivity[]
	> {
		return this.all< OpenWithLastAuthorRow >( {
			sql: OPEN_WITH_LAST_AUTHOR,
			params: [],
		} ).map( toOpenActivity );
	}

	async saveConversationContext(
		context: ConversationContextRecord
	): Promise< void > {
		// Every new conversation writes one: with its neighbours, one fsync.
		await this.groupCommit.run( () =>
			this.db.prepare( UPSERT_CONTEXT ).run( ...contextParams( context ) )
		);
	}

	async updateCurrentPage( input: {
		visitorId: string;
		url: string;
		title: string;
		updatedAt: string;
	} ): Promise< void > {
		await this.groupCommit.run( () =>
			this.db
				.prepare( UPDATE_CURRENT_PAGE )
				.run( input.url, input.title, input.updatedAt, input.visitorId )
		);
	}

	async findConversationContext(
		conversationId: string
	): Promise< ConversationContextRecord | null > {
		const row = this.db
			.prepare( CONTEXT_BY_CONVERSATION )
			.get( conversationId ) as ContextRow | undefined;
		return row ? toContextRecord( row ) : null;
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
		const row = this.db
			.prepare( statement.sql )
			.get( ...statement.params ) as TicketRow | undefined;
		return row ? toTicket( row ) : null;
	}

	/* ---------- consent and personal data (statements in privacy-sql.ts) ---------- */

	private run( statement: Statement ): number {
		return this.db.prepare( statement.sql ).run( ...statement.params )
			.changes;
	}

	async findContactByEmail( email: string ): Promise< ContactRecord | null > {
		const [ row ] = this.all< ContactRow >(
			contactByKeyStatement( 'sqlite', contactEmailKey( email ) )
		);
		return row ? toContact( row ) : null;
	}

	async recordConsent(
		record: ConsentRecord
	): Promise< { record: ConsentRecord; created: boolean } > {
		return this.db
			.transaction( () => {
				const [ latest ] = this.all< ConsentRow >(
					latestConsentStatement( 'sqlite', record )
				);
				const stored = latest ? toConsentRecord( latest ) : null;
				if ( stored && isSameAnswer( stored, record ) ) {
					return { record: stored, created: false };
				}
				const [ visitor ] = this.all< { contact_id: string | null } >(
					visitorContactStatement( 'sqlite', record.visitorId )
				);
				const created = {
					...record,
					contactId: record.contactId ?? visitor?.contact_id ?? null,
				};
				this.run( insertConsentStatement( 'sqlite', created ) );
				return { record: created, created: true };
			} )
			.immediate();
	}

	async listConsents( input: ConsentsQuery ): Promise< ConsentRecord[] > {
		return this.all< ConsentRow >(
			consentsStatement( 'sqlite', input )
		).map( toConsentRecord );
	}

	async listContactConversations( input: {
		contactId: string;
		offset: number;
		limit: number;
	} ): Promise< ConversationRecord[] > {
		return this.all< ConversationRow >(
			contactConversationsStatement( 'sqlite', input )
		).map( toConversation );
	}

	async listContactConsents( contactId: string ): Promise< ConsentRecord[] > {
		return this.all< ConsentRow >(
			contactConsentsStatement( 'sqlite', contactId )
		).map( toConsentRecord );
	}

	/**
	 * Deletes conversations with everything keyed by them; inside a transaction.
	 *
	 * @param ids Conversation ids.
	 * @return How many conversations went.
	 */
	private deleteConversations( ids: string[] ): number {
		if ( ids.length === 0 ) {
			return 0;
		}
		let deleted = 0;
		for ( const statement of deleteConversationsStatements(
			'sqlite',
			ids
		) ) {
			deleted = this.run( statement );
		}
		return deleted;
	}

	async erasePersonalData( input: {
		contactId: string;
		limit: number;
	} ): Promise< ErasureBatch > {
		return this.db
			.transaction( (): ErasureBatch => {
				this.run(
					claimContactVisitorsStatement( 'sqlite', input.contactId )
				);
				const ids = this.all< ConversationRow >(
					contactConversationsStatement( 'sqlite', {
						contactId: input.contactId,
						offset: 0,
						limit: input.limit + 1,
					} )
				).map( ( row ) => row.id );
				const batch = ids.slice( 0, input.limit );
				const conversationsRemoved = this.deleteConversations( batch );
				if ( ids.length > batch.length ) {
					return {
						conversationsRemoved,
						consentsRemoved: 0,
						contactsRemoved: 0,
						visitorIds: [],
						done: false,
					};
				}
				const last = eraseContactStatements(
					'sqlite',
					input.contactId
				);
				const visitorIds = this.all< { id: string } >(
					last.visitors
				).map( ( row ) => row.id );
				const consentsRemoved = this.run( last.consents );
				last.rest.forEach( ( statement ) => this.run( statement ) );
				const contactsRemoved = this.run( last.contact );
				return {
					conversationsRemoved,
					consentsRemoved,
					contactsRemoved,
					visitorIds,
					done: true,
				};
			} )
			.immediate();
	}

	async deleteClosedConversations( input: {
		closedBefore: string;
		limit: number;
	} ): Promise< number > {
		return this.db
			.transaction( () =>
				this.deleteConversations(
					this.all< { id: string } >(
						closedBeforeStatement(
							'sqlite',
							input.closedBefore,
							input.limit
						)
					).map( ( row ) => row.id )
				)
			)
			.immediate();
	}

	async close(): Promise< void > {
		if ( this.closed ) {
			return;
		}
		this.closed = true;
		if ( this.writer ) {
			// The writer commits what it was sent and checkpoints.
			try {
				await this.writer.close();
			} finally {
				this.db.close();
			}
			return;
		}
		this.groupCommit.flush();
		// Folds the WAL back into the main file so the database is one file at rest.
		try {
			this.db.pragma( 'wal_checkpoint(TRUNCATE)' );
		} finally {
			this.db.close();
		}
	}

	/** The writer thread, for operations and tests; null inside that thread. */
	get writerThread(): SqliteWriter | null {
		return this.writer;
	}
}

/**
 * Opens the SQLite repository.
 *
 * @param file    Path of the database file; its folder is created when missing.
 * @param options Options.
 * @return The repository.
 */
export function openSqliteRepository(
	file: string,
	options: SqliteRepositoryOptions = {}
): SqliteChatRepository {
	return new SqliteChatRepository( file, options );
}
