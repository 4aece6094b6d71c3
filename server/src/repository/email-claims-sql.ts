/**
 * E-mail claims, written once for SQLite and PostgreSQL: the address a
 * visitor typed (`contact:email`). A claim is not an identity: it never
 * creates, renames or links a contact, and its conversations and consents
 * stay the visitor's own. It becomes one only when the visitor clicks the
 * confirmation link e-mailed to that address (`takeEmailClaim`).
 *
 * One claim per visitor (the newest address typed replaces the earlier).
 * The link carries a random token; only its SHA-256 is stored, and taking
 * the claim deletes the row, so a link works once and until it expires.
 */
import { columnTypes } from './column-types';
import { contactEmailKey } from './contact-key';
import type { Dialect, Statement } from './inbox-sql';
import { iso, type Flag, type Timestamp } from './rows';
import type { EmailClaimRecord } from './types';

/**
 * The schema step.
 *
 * @param dialect The database.
 * @return The SQL of the step.
 */
export function emailClaimsMigration( dialect: Dialect ): string {
	const { time } = columnTypes( dialect );
	// No foreign key to visitors: erasure deletes visitors, then their claims.
	return `
	CREATE TABLE email_claims (
		visitor_id TEXT PRIMARY KEY,
		chatflow_id TEXT NOT NULL,
		email_key TEXT NOT NULL,
		email TEXT NOT NULL,
		name TEXT NOT NULL,
		marketing INTEGER NOT NULL DEFAULT 0,
		claimed_at ${ time } NOT NULL,
		confirmation_hash TEXT UNIQUE,
		confirmation_expires_at ${ time }
	);
	CREATE INDEX email_claims_by_key ON email_claims ( email_key );
	`;
}

/** Columns of `email_claims`. */
export interface EmailClaimRow {
	visitor_id: string;
	chatflow_id: string;
	email: string;
	name: string;
	marketing: Flag;
	claimed_at: Timestamp;
}

/**
 * Maps a claim row.
 *
 * @param row The row.
 * @return The record.
 */
export function toEmailClaim( row: EmailClaimRow ): EmailClaimRecord {
	return {
		visitorId: row.visitor_id,
		chatflowId: row.chatflow_id,
		email: row.email,
		name: row.name,
		marketing: row.marketing === true || Number( row.marketing ) === 1,
		claimedAt: iso( row.claimed_at ),
	};
}

/**
 * Stores (or replaces) a visitor's claim with its confirmation.
 *
 * @param input The claim, the hash of its link's token and when the link expires.
 * @return The statement.
 */
export function saveEmailClaimStatement(
	input: EmailClaimRecord & {
		confirmationHash: string | null;
		confirmationExpiresAt: string | null;
	}
): Statement {
	return {
		sql: `INSERT INTO email_claims ( visitor_id, chatflow_id, email_key, email, name,
				marketing, claimed_at, confirmation_hash, confirmation_expires_at )
			VALUES ( ?, ?, ?, ?, ?, ?, ?, ?, ? )
			ON CONFLICT ( visitor_id ) DO UPDATE SET chatflow_id = excluded.chatflow_id,
				email_key = excluded.email_key, email = excluded.email, name = excluded.name,
				marketing = excluded.marketing, claimed_at = excluded.claimed_at,
				confirmation_hash = excluded.confirmation_hash,
				confirmation_expires_at = excluded.confirmation_expires_at`,
		params: [
			input.visitorId,
			input.chatflowId,
			contactEmailKey( input.email ),
			input.email.trim(),
			input.name,
			input.marketing ? 1 : 0,
			input.claimedAt,
			input.confirmationHash,
			input.confirmationExpiresAt,
		],
	};
}

/**
 * A visitor's claim.
 *
 * @param visitorId The visitor.
 * @return The statement.
 */
export function emailClaimStatement( visitorId: string ): Statement {
	return {
		sql: 'SELECT * FROM email_claims WHERE visitor_id = ?',
		params: [ visitorId ],
	};
}

/**
 * Deletes and returns the claim a confirmation link names, if it has not
 * expired: the one step that makes a link single-use.
 *
 * @param confirmationHash SHA-256 (hex) of the link's token.
 * @param now              ISO 8601.
 * @return The statement; its row is the claim.
 */
export function takeEmailClaimStatement(
	confirmationHash: string,
	now: string
): Statement {
	return {
		sql: `DELETE FROM email_claims WHERE confirmation_hash = ? AND confirmation_expires_at > ?
			RETURNING *`,
		params: [ confirmationHash, now ],
	};
}

/**
 * Every claim of an address, oldest first (for the privacy export).
 *
 * @param email The address (matched by its contact key).
 * @return The statement.
 */
export function emailClaimsByAddressStatement( email: string ): Statement {
	return {
		sql: 'SELECT * FROM email_claims WHERE email_key = ? ORDER BY claimed_at',
		params: [ contactEmailKey( email ) ],
	};
}

/**
 * Deletes every claim of an address (for the privacy eraser): the address
 * is the requester's data, the claimant's chat is not.
 *
 * @param email The address.
 * @return The statement.
 */
export function deleteEmailClaimsStatement( email: string ): Statement {
	return {
		sql: 'DELETE FROM email_claims WHERE email_key = ?',
		params: [ contactEmailKey( email ) ],
	};
}

/** Claims of visitors that no longer exist (run after erasure deletes visitors). */
export const ORPHAN_EMAIL_CLAIMS_SQL =
	'DELETE FROM email_claims WHERE visitor_id NOT IN ( SELECT id FROM visitors )';
