/**
 * The embedded database: one SQLite file through better-sqlite3, under the
 * repositories of `chat-repository.ts` (this module is SQLite's dialect:
 * the connection, its migrations, the writer thread).
 *
 * WAL journal with `synchronous = FULL`: a write is on disk when its
 * statement returns, so an acknowledged message survives a crash or power loss.
 * better-sqlite3 is synchronous, so each transaction runs without interleaving
 * with other work of this process: the `Db` here resolves every statement
 * at once, and a transaction's work never waits for anything else.
 *
 * Two connections: the main thread's, read-only, serves the methods in
 * MAIN_THREAD_METHODS; a writer thread (`sqlite-writer.ts`) with its own
 * repository runs every other method, so no fsync ever blocks the event
 * loop, and commits messages in groups (`group-commit.ts`). WAL lets the
 * main thread read while the writer commits. Arguments and results cross
 * threads by structured cloning: plain data.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createChatRepository } from './chat-repository';
import { StatementCache, type Db, type SqlDialect } from './db';
import { emailClaimsMigration } from './email-claims-sql';
import { GroupCommit } from './group-commit';
import { INBOX_MIGRATION } from './inbox-sql';
import { NOTES_MIGRATION } from './notes';
import { privacyMigration } from './privacy-sql';
import { AGENT_READS_MIGRATION } from './read-marks';
import { configureConnection } from './sqlite-connection';
import { SqliteWriter, type SqliteWriterFailedError } from './sqlite-writer';
import type { ChatRepository, MigrationResult } from './types';

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
	NOTES_MIGRATION,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** The schema steps, in order (tests build databases of earlier versions with them). */
export const SQLITE_MIGRATIONS: readonly string[] = MIGRATIONS;

/**
 * Methods the main thread serves from its own, read-only connection: the
 * reads on the paths of every message and connection. Every other method
 * runs on the writer thread's repository (writes, and reads nobody listed
 * here, which are correct there too, only a hop away).
 */
export const MAIN_THREAD_METHODS: ReadonlySet< string > = new Set( [
	'findVisitorBySessionHash',
	'findConversation',
	'findOpenConversation',
	'findLatestConversation',
	'listConversations',
	'getConversationSummary',
	'listMessages',
	'listNotes',
	'listMentions',
	'listMentionReads',
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
	'close',
] );

export interface SqliteRepositoryOptions {
	/**
	 * Called once if the writer thread dies; from then on every write is
	 * refused. The service stops (see index.ts).
	 */
	onWriterFailure?: ( error: SqliteWriterFailedError ) => void;
	/** True only for the writer thread's own repository, which writes itself. */
	inWriterThread?: boolean;
}

/** The SQLite repository, with its writer thread. */
export type SqliteChatRepository = ChatRepository & {
	/** The writer thread, for operations and tests; null inside that thread. */
	readonly writerThread: SqliteWriter | null;
};

const SQLITE: SqlDialect = {
	name: 'sqlite',
	forUpdate: '',
	insertionOrder: 'rowid',
	count: 'COUNT(*)',
	greatest: 'MAX',
	least: 'MIN',
};

const NOTHING_TO_WAIT_FOR = Promise.resolve();

/**
 * A synchronous statement's outcome as a settled promise (cheaper than an
 * async function on every read of the message path).
 *
 * @param run The statement.
 * @return Its result, or its error as a rejection.
 */
function settled< T >( run: () => T ): Promise< T > {
	try {
		return Promise.resolve( run() );
	} catch ( error ) {
		return Promise.reject( error );
	}
}

/** The query layer over one better-sqlite3 connection. */
class SqliteDb implements Db {
	readonly dialect = SQLITE;

	private readonly statements: StatementCache< Database.Statement >;

	private readonly begin: Database.Statement;

	private readonly commit: Database.Statement;

	private readonly rollback: Database.Statement;

	/**
	 * @param connection  The connection.
	 * @param groupCommit Batches the writes that may share a commit; null
	 *                    on the main thread, which does not write.
	 */
	constructor(
		private readonly connection: Database.Database,
		private readonly groupCommit: GroupCommit | null
	) {
		this.statements = new StatementCache( ( sql ) =>
			connection.prepare( sql )
		);
		this.begin = connection.prepare( 'BEGIN IMMEDIATE' );
		this.commit = connection.prepare( 'COMMIT' );
		this.rollback = connection.prepare( 'ROLLBACK' );
	}

	many< R >( sql: string, params: readonly unknown[] = [] ): Promise< R[] > {
		return settled(
			() => this.statements.get( sql ).all( ...params ) as R[]
		);
	}

	one< R >(
		sql: string,
		params: readonly unknown[] = []
	): Promise< R | null > {
		return settled(
			() => ( this.statements.get( sql ).get( ...params ) as R ) ?? null
		);
	}

	exec( sql: string, params: readonly unknown[] = [] ): Promise< number > {
		return settled(
			() => this.statements.get( sql ).run( ...params ).changes
		);
	}

	async transaction< T >( work: ( tx: Db ) => Promise< T > ): Promise< T > {
		if ( this.connection.inTransaction ) {
			// Inside a group's savepoint: part of it.
			return work( this );
		}
		this.begin.run();
		try {
			const result = await work( this );
			this.commit.run();
			return result;
		} catch ( error ) {
			if ( this.connection.inTransaction ) {
				this.rollback.run();
			}
			throw error;
		}
	}

	grouped< T >( work: () => Promise< T > ): Promise< T > {
		return this.groupCommit ? this.groupCommit.run( work ) : work();
	}

	lock(): Promise< void > {
		// Write transactions (BEGIN IMMEDIATE) already run one at a time.
		return NOTHING_TO_WAIT_FOR;
	}
}

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
 * Opens (and creates, with its folder) a SQLite file, configured.
 *
 * @param file    Path of the SQLite file.
 * @param prepare Run on the fresh connection (it is closed if this throws).
 * @return The connection.
 */
function openConnection(
	file: string,
	prepare: ( db: Database.Database ) => void = () => undefined
): Database.Database {
	fs.mkdirSync( path.dirname( path.resolve( file ) ), { recursive: true } );
	const db = new Database( file );
	try {
		configureConnection( db );
		prepare( db );
	} catch ( error ) {
		db.close();
		throw error;
	}
	return db;
}

/**
 * Brings a SQLite file's schema up to date (creating the file and its folder
 * when missing) without starting a repository: `chatflows-service migrate`.
 *
 * @param file Path of the SQLite file.
 * @return The versions before and after.
 */
export function migrateSqliteFile( file: string ): MigrationResult {
	let result: MigrationResult = { from: 0, to: 0 };
	const db = openConnection( file, ( connection ) => {
		result = migrate( connection );
	} );
	db.close();
	return result;
}

/**
 * The writer thread's repository: it writes itself, committing messages in
 * groups.
 *
 * @param file Path of the SQLite file, its schema up to date.
 * @return The repository.
 */
function openWriterRepository( file: string ): SqliteChatRepository {
	const connection = openConnection( file );
	const groupCommit = new GroupCommit( connection );
	let closed = false;
	const close = async (): Promise< void > => {
		if ( closed ) {
			return;
		}
		closed = true;
		await groupCommit.flush();
		// Folds the WAL back into the main file so the database is one file at rest.
		try {
			connection.pragma( 'wal_checkpoint(TRUNCATE)' );
		} finally {
			connection.close();
		}
	};
	return Object.assign(
		createChatRepository( new SqliteDb( connection, groupCommit ), close ),
		{ writerThread: null }
	);
}

/**
 * Opens the SQLite repository: migrates the file, reads on this thread and
 * starts the writer thread for everything else.
 *
 * @param file    Path of the database file; its folder is created when missing.
 * @param options Options.
 * @return The repository.
 */
export function openSqliteRepository(
	file: string,
	options: SqliteRepositoryOptions = {}
): SqliteChatRepository {
	if ( options.inWriterThread ) {
		return openWriterRepository( file );
	}
	const connection = openConnection( file, ( db ) => {
		migrate( db );
		db.pragma( 'query_only = ON' );
	} );
	const writer = new SqliteWriter(
		file,
		options.onWriterFailure ?? ( () => undefined )
	);
	let closing: Promise< void > | null = null;
	const close = (): Promise< void > => {
		// The writer commits what it was sent and checkpoints.
		closing ??= writer.close().finally( () => connection.close() );
		return closing;
	};
	const repository = createChatRepository(
		new SqliteDb( connection, null ),
		close
	) as unknown as Record< string, unknown >;
	for ( const name of Object.keys( repository ) ) {
		if ( ! MAIN_THREAD_METHODS.has( name ) ) {
			repository[ name ] = ( ...args: unknown[] ) =>
				writer.call( name, args );
		}
	}
	return Object.assign( repository as unknown as ChatRepository, {
		writerThread: writer,
	} );
}
