/**
 * Attachment rows as both databases return them, and how messages get their
 * attachment reference from them.
 */
import type {
	AttachmentContentType,
	AttachmentReference,
	ChatMessage,
} from '@chatflows/protocol';
import { iso, type Timestamp } from '../repository/rows';
import type { AttachmentRecord, ChatRepository } from '../repository/types';

/** The `attachments` table without its bytes. */
export interface AttachmentRow {
	id: string;
	chatflow_id: string;
	uploader_type: string;
	uploader_id: string;
	name: string;
	content_type: string;
	size: number | string;
	created_at: Timestamp;
	conversation_id: string | null;
	seq: number | null;
}

/** Columns of an attachment without its bytes, for SELECTs. */
export const ATTACHMENT_COLUMNS =
	'id, chatflow_id, uploader_type, uploader_id, name, content_type, size, created_at, conversation_id, seq';

/**
 * Statements of `attachments`, written once for both databases: `?`
 * placeholders, which PostgreSQL gets numbered (see `db.ts`).
 */
export const ATTACHMENT_SQL = {
	insert: `INSERT INTO attachments
		( id, chatflow_id, uploader_type, uploader_id, name, content_type, size, data, created_at )
		VALUES ( ?, ?, ?, ?, ?, ?, ?, ?, ? )`,
	byId: `SELECT ${ ATTACHMENT_COLUMNS } FROM attachments WHERE id = ?`,
	data: 'SELECT data FROM attachments WHERE id = ?',
	link: `UPDATE attachments SET conversation_id = ?, seq = ?
		WHERE id = ? AND uploader_type = ? AND uploader_id = ?
		AND ( conversation_id IS NULL OR ( conversation_id = ? AND seq = ? ) )
		RETURNING ${ ATTACHMENT_COLUMNS }`,
	ofConversation: `SELECT ${ ATTACHMENT_COLUMNS } FROM attachments
		WHERE conversation_id = ? AND seq > ? ORDER BY seq`,
	// An integer in both (PostgreSQL's COUNT is a bigint, read as a string).
	countUnsent: `SELECT CAST( COUNT(*) AS INTEGER ) AS n FROM attachments
		WHERE uploader_type = ? AND uploader_id = ? AND conversation_id IS NULL`,
	deleteUnsent:
		'DELETE FROM attachments WHERE conversation_id IS NULL AND created_at < ?',
};

/**
 * @param attachment The attachment.
 * @param data       Its bytes.
 * @return The parameters of `ATTACHMENT_SQL.insert`.
 */
export function insertAttachmentParams(
	attachment: AttachmentRecord,
	data: Buffer
): unknown[] {
	return [
		attachment.id,
		attachment.chatflowId,
		attachment.uploaderType,
		attachment.uploaderId,
		attachment.name,
		attachment.contentType,
		attachment.size,
		data,
		attachment.createdAt,
	];
}

/**
 * @param input The link asked for.
 * @return The parameters of `ATTACHMENT_SQL.link`.
 */
export function linkAttachmentParams(
	input: Parameters< ChatRepository[ 'linkAttachment' ] >[ 0 ]
): unknown[] {
	return [
		input.conversationId,
		input.seq,
		input.attachmentId,
		input.uploaderType,
		input.uploaderId,
		input.conversationId,
		input.seq,
	];
}

/**
 * @param row A row of `attachments`.
 * @return The record.
 */
export function toAttachment( row: AttachmentRow ): AttachmentRecord {
	return {
		id: row.id,
		chatflowId: row.chatflow_id,
		uploaderType: row.uploader_type as AttachmentRecord[ 'uploaderType' ],
		uploaderId: row.uploader_id,
		name: row.name,
		contentType: row.content_type as AttachmentContentType,
		size: Number( row.size ),
		createdAt: iso( row.created_at ),
		conversationId: row.conversation_id,
		seq: row.seq,
	};
}

/**
 * What a message carries of an attachment.
 *
 * @param attachment The stored attachment.
 * @return The reference clients see.
 */
export function toAttachmentReference(
	attachment: AttachmentRecord
): AttachmentReference {
	return {
		id: attachment.id,
		name: attachment.name,
		contentType: attachment.contentType,
		size: attachment.size,
	};
}

/**
 * Gives each message the attachment linked to its seq.
 *
 * @param messages    Messages of one conversation.
 * @param attachments Attachments linked to that conversation.
 * @return The messages, those with an attachment as new objects.
 */
export function withAttachments(
	messages: ChatMessage[],
	attachments: AttachmentRecord[]
): ChatMessage[] {
	if ( attachments.length === 0 ) {
		return messages;
	}
	const bySeq = new Map(
		attachments.map( ( attachment ) => [ attachment.seq, attachment ] )
	);
	return messages.map( ( message ) => {
		const attachment = bySeq.get( message.seq );
		return attachment
			? { ...message, attachment: toAttachmentReference( attachment ) }
			: message;
	} );
}
