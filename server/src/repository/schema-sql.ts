/**
 * The schema, written once for SQLite and PostgreSQL: every step in order,
 * with the few column types that differ named by `columnTypes`. A database's
 * version is how many steps it has applied, so a step is never edited once
 * shipped (its SQL may only be re-expressed to the same result) and new ones
 * go at the end.
 */
import { columnTypes } from './column-types';
import type { DialectName } from './db';
import { emailClaimsMigration } from './email-claims-sql';
import { INBOX_MIGRATION } from './inbox-sql';
import { NOTES_MIGRATION } from './notes';
import { privacyMigration } from './privacy-sql';
import { AGENT_READS_MIGRATION } from './read-marks';

/**
 * Every schema step of a database, in order.
 *
 * @param dialect The database.
 * @return The SQL of each step.
 */
export function schemaMigrations( dialect: DialectName ): readonly string[] {
	const { time, flag, counter, json, bytes, ordinal, withoutRowid } =
		columnTypes( dialect );
	// Released steps keep their text to the byte (storage-layer.test.ts holds
	// their hashes): hence these two fragments as each database shipped them.
	const conversationsOrdinal =
		ordinal === ''
			? ''
			: `
		-- Insertion order, to break ties between equal timestamps as SQLite's rowid does.
		${ ordinal }`;
	const digestColumns =
		dialect === 'postgres'
			? `ALTER TABLE notifications ADD COLUMN digest_key TEXT, ADD COLUMN failed_at ${ time };`
			: `ALTER TABLE notifications ADD COLUMN digest_key TEXT;
	ALTER TABLE notifications ADD COLUMN failed_at ${ time };`;
	return [
		`
	CREATE TABLE visitors (
		id TEXT PRIMARY KEY,
		session_hash TEXT NOT NULL UNIQUE,
		created_at ${ time } NOT NULL
	);
	CREATE TABLE conversations (
		id TEXT PRIMARY KEY,${ conversationsOrdinal }
		visitor_id TEXT NOT NULL REFERENCES visitors ( id ),
		chatflow_id TEXT NOT NULL,
		status TEXT NOT NULL CHECK ( status IN ( 'open', 'closed' ) ),
		page_url TEXT NOT NULL DEFAULT '',
		created_at ${ time } NOT NULL,
		updated_at ${ time } NOT NULL,
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
		created_at ${ time } NOT NULL,
		PRIMARY KEY ( conversation_id, seq ),
		UNIQUE ( conversation_id, client_id )
	)${ withoutRowid };
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
		offline ${ flag } NOT NULL,
		created_at ${ time } NOT NULL,
		updated_at ${ time } NOT NULL
	);
	CREATE TABLE contacts (
		id TEXT PRIMARY KEY,
		email_key TEXT NOT NULL UNIQUE,
		email TEXT NOT NULL,
		name TEXT NOT NULL,
		created_at ${ time } NOT NULL
	);
	CREATE TABLE survey_answers (
		conversation_id TEXT PRIMARY KEY REFERENCES conversations ( id ),
		rating INTEGER NOT NULL,
		comment TEXT NOT NULL,
		answered_at ${ time } NOT NULL
	);
	CREATE TABLE chatflows (
		id TEXT PRIMARY KEY,
		version ${ counter } NOT NULL,
		document ${ json } NOT NULL
	);
	CREATE TABLE directory (
		id INTEGER PRIMARY KEY CHECK ( id = 1 ),
		document ${ json } NOT NULL
	);
	CREATE TABLE notifications (
		id TEXT PRIMARY KEY,
		payload ${ json } NOT NULL,
		attempts INTEGER NOT NULL DEFAULT 0,
		created_at ${ time } NOT NULL,
		next_attempt_at ${ time } NOT NULL
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
		data ${ bytes } NOT NULL,
		created_at ${ time } NOT NULL,
		conversation_id TEXT REFERENCES conversations ( id ),
		seq INTEGER,
		UNIQUE ( conversation_id, seq )
	);
	`,
		INBOX_MIGRATION,
		AGENT_READS_MIGRATION,
		privacyMigration( dialect ),
		`
	${ digestColumns }
	CREATE INDEX notifications_digest ON notifications ( digest_key )
		WHERE digest_key IS NOT NULL;
	`,
		emailClaimsMigration( dialect ),
		NOTES_MIGRATION,
	];
}
