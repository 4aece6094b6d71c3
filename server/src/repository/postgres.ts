/**
 * The scale-out database: PostgreSQL through `pg`, shared by every service
 * node, under the repositories of `chat-repository.ts` (this module is
 * PostgreSQL's dialect: the pool, transactions, locks and migrations).
 * Chosen with `CHATFLOWS_DATABASE_URL=postgres://…`.
 *
 * Migrations are applied in order on start under an advisory lock, so
 * nodes starting together migrate once.
 *
 * Durability: a method resolves after COMMIT returns, and PostgreSQL's
 * default `synchronous_commit = on` flushes the WAL before that.
 * Concurrency: rows a transaction will change are read `FOR UPDATE`; rows
 * that do not exist yet (a visitor's first conversation, a new contact) are
 * serialized by transaction-scoped advisory locks (`Db.lock`).
 */
import { Pool, type PoolClient, type PoolConfig } from 'pg';
import { createChatRepository } from './chat-repository';
import {
	StatementCache,
	numberPlaceholders,
	type Db,
	type LockScope,
	type SqlDialect,
} from './db';
import { emailClaimsMigration } from './email-claims-sql';
import { NOTES_MIGRATION } from './notes';
import { INBOX_MIGRATION } from './inbox-sql';
import { privacyMigration } from './privacy-sql';
import { AGENT_READS_MIGRATION } from './read-marks';
import type { ChatRepository, MigrationResult } from './types';

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
	NOTES_MIGRATION,
];

export const POSTGRES_SCHEMA_VERSION = MIGRATIONS.length;

/** The schema steps, in order (tests build databases of earlier versions with them). */
export const POSTGRES_MIGRATIONS: readonly string[] = MIGRATIONS;

/** Key of the advisory lock held while migrating (any constant bigint). */
const MIGRATION_LOCK_KEY = 0x6368_6174_666c;

const POSTGRES: SqlDialect = {
	name: 'postgres',
	forUpdate: ' FOR UPDATE',
	insertionOrder: 'ordinal',
	count: 'COUNT(*)::int',
	greatest: 'GREATEST',
	least: 'LEAST',
};

/** Statements with `?` placeholders, numbered once each. */
const numbered = new StatementCache( numberPlaceholders );

/** The query layer over the pool, or over one transaction's client. */
class PostgresDb implements Db {
	readonly dialect = POSTGRES;

	/**
	 * @param pool   The pool.
	 * @param client The transaction's client; null outside a transaction.
	 */
	constructor(
		private readonly pool: Pool,
		private readonly client: PoolClient | null = null
	) {}

	async many< R >(
		sql: string,
		params: readonly unknown[] = []
	): Promise< R[] > {
		return ( await this.query< R >( sql, params ) ).rows;
	}

	async one< R >(
		sql: string,
		params: readonly unknown[] = []
	): Promise< R | null > {
		const { rows } = await this.query< R >( sql, params );
		return rows.length ? rows[ 0 ] : null;
	}

	async exec(
		sql: string,
		params: readonly unknown[] = []
	): Promise< number > {
		return ( await this.query( sql, params ) ).rowCount;
	}

	async transaction< T >( work: ( tx: Db ) => Promise< T > ): Promise< T > {
		if ( this.client ) {
			return work( this );
		}
		const client = await this.pool.connect();
		try {
			await client.query( 'BEGIN' );
			const result = await work( new PostgresDb( this.pool, client ) );
			await client.query( 'COMMIT' );
			return result;
		} catch ( error ) {
			await client.query( 'ROLLBACK' ).catch( () => undefined );
			throw error;
		} finally {
			client.release();
		}
	}

	grouped< T >( work: () => Promise< T > ): Promise< T > {
		// Each write commits on its own; PostgreSQL itself groups WAL flushes.
		return work();
	}

	async lock( scope: LockScope, key: string ): Promise< void > {
		await this.exec(
			`SELECT pg_advisory_xact_lock( hashtextextended( ?, ${ scope } ) )`,
			[ key ]
		);
	}

	private async query< R >(
		sql: string,
		params: readonly unknown[]
	): Promise< { rows: R[]; rowCount: number } > {
		const result = await ( this.client ?? this.pool ).query(
			numbered.get( sql ),
			params as unknown[]
		);
		return { rows: result.rows as R[], rowCount: result.rowCount ?? 0 };
	}
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
): Promise< ChatRepository > {
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
	let closing: Promise< void > | null = null;
	// pool.end() waits for checked-out clients, so started writes finish first.
	const close = () => ( closing ??= pool.end() );
	return createChatRepository( new PostgresDb( pool ), close );
}
