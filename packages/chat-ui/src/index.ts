/**
 * `@chatflows/chat-ui`: what the chat's screens share, free of any framework,
 * for the visitor's chat window (`widget/`, Preact) and the wp-admin screens
 * (`admin/`, React): the chat's texts as WordPress prints them, initials for
 * avatars without an image, and files shown or saved through object URLs.
 */
export type {
	AttachmentTexts,
	ChatWindowTexts,
	KnowledgeBaseTexts,
	WidgetTexts,
} from './texts';
export { initialsOf } from './initials';
export { saveFile, showFile } from './object-url';
