/**
 * Personal data by e-mail address, for WordPress's privacy tools (Tools →
 * Export / Erase Personal Data). WordPress → service, signed as the
 * configuration endpoints are (see `chatflow-sync/signature.ts`), JSON bodies:
 *
 * - `POST PRIVACY_EXPORT_PATH` with a `PrivacyRequest` answers `200 PrivacyExportPage`.
 * - `POST PRIVACY_ERASE_PATH` with a `PrivacyRequest` answers `200 PrivacyErasePage`.
 * - `400 { error: { code: 'invalid_payload', message, fields } }` for a bad body,
 *   `401` for a bad signature.
 *
 * Whose data: the contact with that e-mail (matched case-insensitively), every
 * visitor linked to it (identification, e-mail capture, or a conversation
 * linked to it), and their conversations (messages, agents' internal notes, files,
 * ticket, survey answer) and consent records, except those linked to another contact: in a
 * browser two people used, each keeps their own, and the visitor stays
 * (unlinked) while it holds the other's. A contact exists only for a verified
 * identity (identification token, or a confirmation link clicked).
 *
 * Besides, the unconfirmed claims of that address (`claims`): that a visitor
 * typed it, with the name typed and when. Only the claim: whoever typed it may
 * be a stranger, so their conversations and consents are never exported or
 * erased under this address. Erasure deletes the claims.
 */

import type {
	AttachmentReference,
	AuthorType,
	ConsentRecord,
	ConversationStatus,
	TicketDetails,
} from './events';

export const PRIVACY_EXPORT_PATH = '/v1/privacy/export';
export const PRIVACY_ERASE_PATH = '/v1/privacy/erase';

/** Conversations per export page and per erase batch. */
export const PRIVACY_PAGE_SIZE = 20;

export interface PrivacyRequest {
	/** The e-mail address WordPress's request is for (1–254 characters). */
	email: string;
	/** 1-based, as WordPress counts its exporter and eraser pages. */
	page: number;
}

/** One conversation with everything stored for it. */
export interface PrivacyConversation {
	id: string;
	chatflowId: string;
	status: ConversationStatus;
	pageUrl: string;
	createdAt: string;
	updatedAt: string;
	messages: Array< {
		seq: number;
		authorType: AuthorType;
		/** The agent's name as stored; '' for the visitor. */
		authorName: string;
		body: string;
		createdAt: string;
		attachment?: AttachmentReference;
	} >;
	ticket: TicketDetails | null;
	survey: { rating: number; comment: string; answeredAt: string } | null;
	/** Agents' internal notes about the conversation (absent from older services). */
	notes?: Array< {
		seq: number;
		authorName: string;
		body: string;
		createdAt: string;
	} >;
}

/**
 * One page of an export. The contact and the consent records come on page 1
 * only; conversations `PRIVACY_PAGE_SIZE` at a time, oldest first.
 */
export interface PrivacyExportPage {
	contact: {
		id: string;
		email: string;
		name: string;
		marketing: boolean;
		createdAt: string;
	} | null;
	consents: ConsentRecord[];
	/** Page 1 only: visitors typed this address and never confirmed it (absent from older services). */
	claims?: Array< { email: string; name: string; claimedAt: string } >;
	conversations: PrivacyConversation[];
	/** True when no later page holds anything. */
	done: boolean;
}

/**
 * One batch of an erasure: up to `PRIVACY_PAGE_SIZE` conversations deleted
 * (with messages, internal notes, files, tickets, survey answers); on the last batch also the
 * consent records, the visitors' sessions and the contact. Each call deletes
 * what is left, whatever `page` says, so a retried call never skips anything.
 */
export interface PrivacyErasePage {
	/** Conversations, consent records, contacts and unconfirmed claims deleted by this call. */
	itemsRemoved: number;
	/** Kept on purpose (none today: nothing is kept for legal reasons). */
	itemsRetained: number;
	/** True when nothing of this e-mail address is left. */
	done: boolean;
}
