/**
 * Pure helpers for the visitor's outbox: messages typed but not yet
 * acknowledged by the service.
 */
import type { ChatMessage } from '@chatflows/protocol';

/** A message typed by the visitor that the service has not acknowledged yet. */
export interface PendingMessage {
	clientId: string;
	body: string;
	/** A file uploaded for this message (see `ATTACHMENTS_PATH`). */
	attachmentId?: string;
}

/**
 * The outbox after the service stored some messages: acknowledged ones leave it.
 *
 * @param pending Messages waiting, in the order typed.
 * @param stored  Messages the service has stored.
 * @return Those still waiting.
 */
export function withoutStored(
	pending: PendingMessage[],
	stored: ChatMessage[]
): PendingMessage[] {
	const storedIds = new Set( stored.map( ( message ) => message.clientId ) );
	const left = pending.filter(
		( message ) => ! storedIds.has( message.clientId )
	);
	return left.length === pending.length ? pending : left;
}
