/**
 * Messages that carry an attachment: checked before the message is stored,
 * linked right after. A lost acknowledgement makes the client send again
 * with the same client id, which links the same attachment to the same
 * message once more (a no-op), so a crash between the two writes heals.
 */
import { ClientError } from '../handler';
import type {
	AppendResult,
	AttachmentRecord,
	ChatRepository,
} from '../repository/types';
import { toAttachmentReference } from './rows';

/** Who sends the message. */
export interface AttachmentSender {
	type: AttachmentRecord[ 'uploaderType' ];
	id: string;
	/** A visitor's chatflow: their uploads belong to it. */
	chatflowId?: string;
}

const NOT_YOURS = 'attachmentId: not a file you uploaded';

/**
 * Refuses, before anything is stored, an attachment the sender may not send
 * with this message.
 *
 * @param repository   The repository.
 * @param attachmentId The id sent with the message.
 * @param clientId     The message's client id.
 * @param sender       Who sends it.
 * @throws ClientError `invalid_payload` naming `attachmentId`.
 */
export async function checkAttachment(
	repository: ChatRepository,
	attachmentId: string,
	clientId: string,
	sender: AttachmentSender
): Promise< void > {
	const attachment = await repository.findAttachment( attachmentId );
	if (
		! attachment ||
		attachment.uploaderType !== sender.type ||
		attachment.uploaderId !== sender.id ||
		( sender.chatflowId !== undefined &&
			attachment.chatflowId !== sender.chatflowId )
	) {
		throw new ClientError( 'invalid_payload', NOT_YOURS );
	}
	if ( attachment.conversationId !== null && attachment.seq !== null ) {
		// Already sent: only a resend of that same message may name it again.
		const [ sent ] = await repository.listMessages(
			attachment.conversationId,
			attachment.seq - 1
		);
		if ( sent?.clientId !== clientId ) {
			throw new ClientError(
				'invalid_payload',
				'attachmentId: already sent in another message'
			);
		}
	}
}

/**
 * Puts the attachment in the stored message and in `result.message`, so
 * the acknowledgement and the broadcast carry it.
 *
 * @param repository   The repository.
 * @param result       What the append stored (or found for a repeated client id).
 * @param attachmentId The checked attachment.
 * @param sender       Who sent it.
 * @return False when another message took the attachment meanwhile.
 */
export async function attachToMessage(
	repository: ChatRepository,
	result: AppendResult,
	attachmentId: string,
	sender: AttachmentSender
): Promise< boolean > {
	const linked = await repository.linkAttachment( {
		attachmentId,
		conversationId: result.message.conversationId,
		seq: result.message.seq,
		uploaderType: sender.type,
		uploaderId: sender.id,
	} );
	if ( ! linked ) {
		return false;
	}
	result.message = {
		...result.message,
		attachment: toAttachmentReference( linked ),
	};
	return true;
}
