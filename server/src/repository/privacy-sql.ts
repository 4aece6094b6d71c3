/**
 * Consent records and personal data, written once for SQLite and
 * PostgreSQL: the schema step, the statements of consent records, whose data
 * belongs to a contact (for WordPress's export and erase), and the one path
 * that deletes conversations with everything keyed by them (erasure and
 * retention alike).
 *
 * Statements use `?` placeholders (see `db.ts`).
 */
import type {
	ConsentKind,
	ConsentMethod,
	ConsentRecord,
} from '@chatflows/protocol';
import { columnTypes } from './column-types';
import type { ConsentsQuery } from './types';
import type { SqlDialect } from './db';
import type { Dialect, Statement } from './inbox-sql';
import { iso, type Flag, type Timestamp } from './rows';
import { ORPHAN_EMAIL_CLAIMS_SQL } from './email-claims-sql';

/**
 * The schema step of consent and privacy: contacts get the marketing flag,
 * visitors the contact they are linked to (filled from their conversations),
 * and the consent records.
 *
 * @param dialect The database.
 * @return The SQL of the step.
 */
export function privacyMigration( dialect: Dialect ): string {
	const { ordinal } = columnTypes( dialect );
	return `
	ALTER TABLE contacts ADD COLUMN marketing INTEGER NOT NULL DEFAULT 0;
	ALTER TABLE visitors ADD COLUMN contact_id TEXT;
	UPDATE visitors SET contact_id = (
		SELECT c.contact_id FROM conversations c
		WHERE c.visitor_id = visitors.id AND c.contact_id IS NOT NULL
		ORDER BY c.created_at DESC LIMIT 1 );
	CREATE INDEX visitors_by_contact ON visitors ( contact_id );
	CREATE TABLE consent_records (
		id TEXT PRIMARY KEY,
		${ ordinal }
		visitor_id TEXT NOT NULL REFERENCES visitors ( id ),
		contact_id TEXT,
		chatflow_id TEXT NOT NULL,
		kind TEXT NOT NULL CHECK ( kind IN ( 'cookies', 'data_processing', 'communications' ) ),
		granted INTEGER NOT NULL,
		method TEXT NOT NULL CHECK ( method IN ( 'banner', 'checkbox', 'notice', 'wp_consent_api' ) ),
		text TEXT NOT NULL,
		text_version TEXT NOT NULL,
		language TEXT NOT NULL,
		page_url TEXT NOT NULL,
		subscription_type TEXT,
		recorded_at TEXT NOT NULL
	);
	CREATE INDEX consent_records_by_visitor
		ON consent_records ( visitor_id, chatflow_id, kind );
	CREATE INDEX consent_records_by_contact ON consent_records ( contact_id );
	`;
}

/** Columns of `consent_records`. */
export interface ConsentRow {
	id: string;
	visitor_id: string;
	contact_id: string | null;
	chatflow_id: string;
	kind: string;
	granted: Flag;
	method: string;
	text: string;
	text_version: string;
	language: string;
	page_url: string;
	subscription_type: string | null;
	recorded_at: Timestamp;
}

/**
 * Maps a consent row.
 *
 * @param row The row.
 * @return The record as the contract shapes it.
 */
export function toConsentRecord( row: ConsentRow ): ConsentRecord {
	return {
		id: row.id,
		visitorId: row.visitor_id,
		contactId: row.contact_id,
		chatflowId: row.chatflow_id,
		kind: row.kind as ConsentKind,
		granted: row.granted === true || Number( row.granted ) === 1,
		method: row.method as ConsentMethod,
		text: row.text,
		textVersion: row.text_version,
		language: row.language,
		pageUrl: row.page_url,
		...( row.subscription_type !== null && {
			subscriptionType: row.subscription_type,
		} ),
		recordedAt: iso( row.recorded_at ),
	};
}

/**
 * Whether a new consent repeats the stored answer: same kind of answer to
 * the same text in the same way.
 *
 * @param stored The visitor's newest record of that kind.
 * @param next   The new one.
 * @return True when storing it would add nothing.
 */
export function isSameAnswer(
	stored: ConsentRecord,
	next: ConsentRecord
): boolean {
	return (
		stored.granted === next.granted &&
		stored.method === next.method &&
		stored.textVersion === next.textVersion
	);
}

/**
 * The visitor's newest answer of one kind under one chatflow.
 *
 * @param dialect The database.
 * @param record  Whose answer.
 * @return The statement.
 */
export function latestConsentStatement(
	dialect: SqlDialect,
	record: Pick< ConsentRecord, 'visitorId' | 'chatflowId' | 'kind' >
): Statement {
	return {
		sql: `SELECT * FROM consent_records
			WHERE visitor_id = ? AND chatflow_id = ? AND kind = ?
			ORDER BY recorded_at DESC, ${ dialect.insertionOrder } DESC LIMIT 1`,
		params: [ record.visitorId, record.chatflowId, record.kind ],
	};
}

/**
 * Stores a consent record.
 *
 * @param record The record.
 * @return The statement.
 */
export function insertConsentStatement( record: ConsentRecord ): Statement {
	return {
		sql: `INSERT INTO consent_records
			( id, visitor_id, contact_id, chatflow_id, kind, granted, method, text,
				text_version, language, page_url, subscription_type, recorded_at )
			VALUES ( ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? )`,
		params: [
			record.id,
			record.visitorId,
			record.contactId,
			record.chatflowId,
			record.kind,
			record.granted ? 1 : 0,
			record.method,
			record.text,
			record.textVersion,
			record.language,
			record.pageUrl,
			record.subscriptionType ?? null,
			record.recordedAt,
		],
	};
}

/**
 * The contact a visitor is linked to.
 *
 * @param visitorId The visitor.
 * @return The statement; its row has `contact_id`.
 */
export function visitorContactStatement( visitorId: string ): Statement {
	return {
		sql: 'SELECT contact_id FROM visitors WHERE id = ?',
		params: [ visitorId ],
	};
}

/**
 * Links a visitor to a contact, with the consents they gave while anonymous.
 *
 * @param visitorId The visitor.
 * @param contactId The contact.
 * @return The statements, in order.
 */
export function linkVisitorStatements(
	visitorId: string,
	contactId: string
): Statement[] {
	return [
		{
			sql: 'UPDATE visitors SET contact_id = ? WHERE id = ?',
			params: [ contactId, visitorId ],
		},
		{
			sql: 'UPDATE consent_records SET contact_id = ? WHERE visitor_id = ? AND contact_id IS NULL',
			params: [ contactId, visitorId ],
		},
	];
}

/**
 * Consent records of a visitor and of everyone linked to the same contact,
 * newest first.
 *
 * @param dialect         The database.
 * @param input           Whose records.
 * @param input.visitorId The visitor.
 * @param input.contactId Their contact, if any.
 * @param input.limit     Most rows.
 * @return The statement.
 */
export function consentsStatement(
	dialect: SqlDialect,
	input: ConsentsQuery
): Statement {
	const owner =
		input.contactId === null
			? 'visitor_id = ?'
			: `( visitor_id = ? OR contact_id = ?
				OR visitor_id IN ( SELECT id FROM visitors WHERE contact_id = ? ) )`;
	const params: unknown[] =
		input.contactId === null
			? [ input.visitorId ]
			: [ input.visitorId, input.contactId, input.contactId ];
	const hidden = input.hiddenChatflowIds ?? [];
	const scope = hidden.length
		? ` AND chatflow_id NOT IN ( ${ hidden.map( () => '?' ).join( ', ' ) } )`
		: '';
	return {
		sql: `SELECT * FROM consent_records WHERE ${ owner }${ scope }
			ORDER BY recorded_at DESC, ${ dialect.insertionOrder } DESC LIMIT ?`,
		params: [ ...params, ...hidden, input.limit ],
	};
}

/* ---------- a contact's personal data ---------- */

/**
 * The visitors whose data is the contact's: linked to it, or linked to no
 * contact and with a conversation linked to it. (A browser's newest address
 * is who uses it.) Two parameters: the contact id twice.
 */
const CONTACT_VISITORS = `SELECT id FROM visitors WHERE contact_id = ?
	OR ( contact_id IS NULL
		AND id IN ( SELECT visitor_id FROM conversations WHERE contact_id = ? ) )`;

/**
 * Rows (conversations, consent records) that are the contact's: linked to
 * it, or linked to no contact and of one of its visitors. A row linked to
 * another contact is that person's, even in a browser both used, and so is
 * an unlinked row of a browser that gave another address since. Three
 * parameters: the contact id three times.
 */
const OWNED_BY_CONTACT = `( contact_id = ?
	OR ( contact_id IS NULL AND visitor_id IN ( ${ CONTACT_VISITORS } ) ) )`;

/**
 * The contact with this e-mail (matched by its key, see contact-key.ts).
 *
 * @param emailKey The contact key of the e-mail.
 * @return The statement.
 */
export function contactByKeyStatement( emailKey: string ): Statement {
	return {
		sql: 'SELECT * FROM contacts WHERE email_key = ?',
		params: [ emailKey ],
	};
}

/**
 * The contact's conversations (linked to it, or of its visitors), oldest first.
 *
 * @param dialect         The database.
 * @param input           Which page.
 * @param input.contactId The contact.
 * @param input.offset    Rows to skip.
 * @param input.limit     Most rows.
 * @return The statement.
 */
export function contactConversationsStatement(
	dialect: SqlDialect,
	input: { contactId: string; offset: number; limit: number }
): Statement {
	const id = input.contactId;
	return {
		sql: `SELECT * FROM conversations WHERE ${ OWNED_BY_CONTACT }
			ORDER BY created_at, ${ dialect.insertionOrder }
			LIMIT ? OFFSET ?`,
		params: [ id, id, id, input.limit, input.offset ],
	};
}

/**
 * Every consent record of the contact and of its visitors, newest first.
 *
 * @param dialect   The database.
 * @param contactId The contact.
 * @return The statement.
 */
export function contactConsentsStatement(
	dialect: SqlDialect,
	contactId: string
): Statement {
	return {
		sql: `SELECT * FROM consent_records WHERE ${ OWNED_BY_CONTACT }
			ORDER BY recorded_at DESC, ${ dialect.insertionOrder } DESC`,
		params: [ contactId, contactId, contactId ],
	};
}

/**
 * Links to the contact every visitor linked to no contact with a
 * conversation linked to it, so that deleting those conversations does not
 * lose who its visitors are. (A visitor linked to another contact stays
 * theirs.)
 *
 * @param contactId The contact.
 * @return The statement.
 */
export function claimContactVisitorsStatement( contactId: string ): Statement {
	return {
		sql: `UPDATE visitors SET contact_id = ? WHERE contact_id IS NULL
			AND id IN ( SELECT visitor_id FROM conversations WHERE contact_id = ? )`,
		params: [ contactId, contactId ],
	};
}

/**
 * The last of a contact's data, once their conversations are gone: consent
 * records, files never sent, visitors (their sessions) and the contact.
 * A visitor linked to the contact that still holds another contact's
 * conversations or consent records (a browser two people used) stays, for
 * them, without the link. Run after `claimContactVisitorsStatement`, in one
 * transaction.
 *
 * @param contactId The contact.
 * @return The statements, in order; the first returns the ids of the
 *         visitors deleted, the second the consent records deleted, the
 *         last the contacts.
 */
export function eraseContactStatements( contactId: string ): {
	visitors: Statement;
	consents: Statement;
	rest: Statement[];
	contact: Statement;
} {
	const statement = ( sql: string, params: unknown[] ) => ( { sql, params } );
	// What is still another's once the contact's conversations and consents are gone.
	const keptForOthers = `EXISTS ( SELECT 1 FROM conversations c WHERE c.visitor_id = visitors.id )
		OR EXISTS ( SELECT 1 FROM consent_records r WHERE r.visitor_id = visitors.id
			AND r.contact_id IS NOT NULL AND r.contact_id <> ? )`;
	return {
		visitors: statement(
			`SELECT id FROM visitors WHERE contact_id = ? AND NOT ( ${ keptForOthers } )`,
			[ contactId, contactId ]
		),
		consents: statement(
			`DELETE FROM consent_records WHERE contact_id = ? OR ( contact_id IS NULL
				AND visitor_id IN ( SELECT id FROM visitors WHERE contact_id = ? ) )`,
			[ contactId, contactId ]
		),
		rest: [
			statement(
				`DELETE FROM attachments WHERE conversation_id IS NULL AND uploader_type = 'visitor'
				AND uploader_id IN ( SELECT id FROM visitors WHERE contact_id = ? )`,
				[ contactId ]
			),
			statement(
				`DELETE FROM visitors WHERE contact_id = ? AND NOT ( ${ keptForOthers } )`,
				[ contactId, contactId ]
			),
			statement(
				'UPDATE visitors SET contact_id = NULL WHERE contact_id = ?',
				[ contactId ]
			),
			// What those visitors typed went with them.
			statement( ORPHAN_EMAIL_CLAIMS_SQL, [] ),
		],
		contact: statement( 'DELETE FROM contacts WHERE id = ?', [
			contactId,
		] ),
	};
}

/* ---------- deleting conversations: erasure and retention ---------- */

/**
 * Closed conversations with no activity since before an instant, the oldest
 * first: those retention deletes.
 *
 * @param closedBefore ISO 8601.
 * @param limit        Most rows.
 * @return The statement; its rows have `id`.
 */
export function closedBeforeStatement(
	closedBefore: string,
	limit: number
): Statement {
	return {
		sql: `SELECT id FROM conversations WHERE status = 'closed' AND updated_at < ?
			ORDER BY updated_at LIMIT ?`,
		params: [ closedBefore, limit ],
	};
}

/**
 * `\`-escapes LIKE's wildcards.
 *
 * @param text Literal text.
 * @return The text for a LIKE pattern with `ESCAPE '\'`.
 */
function likeLiteral( text: string ): string {
	return text.replace( /[\\%_]/g, ( c ) => `\\${ c }` );
}

/**
 * Deletes conversations with everything keyed by them: files, messages,
 * ticket, survey answer, read marks, visitor context, pending e-mails about
 * them. The one deletion path of erasure and retention; run in one
 * transaction.
 *
 * @param ids Conversation ids (at least one).
 * @return The statements, in order; the last deletes the conversations.
 */
export function deleteConversationsStatements( ids: string[] ): Statement[] {
	const list = ids.map( () => '?' ).join( ', ' );
	const byConversation = (
		table: string,
		column = 'conversation_id'
	): Statement => ( {
		sql: `DELETE FROM ${ table } WHERE ${ column } IN ( ${ list } )`,
		params: ids,
	} );
	// Notification ids name their conversation (see conversation-domain.ts).
	const notificationIds = ids.flatMap( ( id ) => [
		`offline_message:${ id }`,
		`new_conversation:${ id }`,
	] );
	const notifications = {
		sql: `DELETE FROM notifications WHERE id IN ( ${ notificationIds
			.map( () => '?' )
			.join( ', ' ) } ) OR ${ ids
			.map( () => "id LIKE ? ESCAPE '\\'" )
			.join( ' OR ' ) }`,
		params: [
			...notificationIds,
			...ids.map( ( id ) => `transcript:${ likeLiteral( id ) }:%` ),
		],
	};
	return [
		byConversation( 'attachments' ),
		byConversation( 'note_mentions' ),
		byConversation( 'notes' ),
		byConversation( 'messages' ),
		byConversation( 'tickets' ),
		byConversation( 'survey_answers' ),
		byConversation( 'agent_reads' ),
		byConversation( 'conversation_contexts' ),
		notifications,
		byConversation( 'conversations', 'id' ),
	];
}
