/**
 * Attachment rows as both databases return them, and how messages get their
 * attachment reference from them.
 */
import type {
	AttachmentContentType,
	AttachmentReference,
	ChatMessage,
} from '../contract/events';
import { iso, type Timestamp } from '../repository/rows';
import type { AttachmentRecord } from '../repository/types';

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
