/**
 * Attachments as a chat-window extension: the composer's attach button, and
 * the view of a message's file.
 */
import type { ChatMessage } from '@chatflows/protocol';
import type { ChatWindowContext, ComposerAction } from '../extensions';
import { languageTag } from '../text';
import {
	AttachButton,
	AttachmentView,
	attachmentLimit,
	serviceAccess,
	type AttachmentChat,
} from './attachments';

export { ATTACHMENT_STYLE } from './attachments';

/**
 * The attach button, where the visitor may send files.
 *
 * @param context The window's chat and configuration.
 */
export const attachAction: ComposerAction = ( context ) => {
	const maxSizeMb = attachmentLimit( context.config );
	const texts = context.config.texts.attachments;
	return maxSizeMb !== null && texts ? (
		<AttachButton
			chat={ context.chat as AttachmentChat }
			config={ context.config }
			texts={ texts }
			maxSizeMb={ maxSizeMb }
		/>
	) : null;
};

/**
 * A message's file, or nothing.
 *
 * @param props         Props.
 * @param props.message The message.
 * @param props.context The window's chat and configuration.
 */
export function MessageAttachment( props: {
	message: ChatMessage;
	context: ChatWindowContext;
} ) {
	const { message, context } = props;
	const texts = context.config.texts.attachments;
	if ( ! message.attachment || ! texts ) {
		return null;
	}
	return (
		<AttachmentView
			attachment={ message.attachment }
			access={ serviceAccess(
				context.config,
				context.chat as AttachmentChat
			) }
			texts={ texts }
			locale={ languageTag(
				context.config.chatflow?.language ?? context.config.locale
			) }
		/>
	);
}

/**
 * Whether a message's text says more than its file's name (which the
 * service stores as the text of a file sent without words).
 *
 * @param message The message.
 */
export function hasOwnText( message: ChatMessage ): boolean {
	return ! message.attachment || message.body !== message.attachment.name;
}
