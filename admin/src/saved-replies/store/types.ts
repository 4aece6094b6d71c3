/**
 * Saved replies as the `chatflows/v1/saved-replies` REST routes answer them.
 */

/** English, Danish, Dutch; '' for a reply in any language. */
export type SavedReplyLanguage = '' | 'en_US' | 'da_DK' | 'nl_NL';

/** Every agent, the agents of one inbox, or only its owner. */
export type SavedReplyScope = 'everyone' | 'inbox' | 'personal';

export interface SavedReply {
	id: number;
	/** Internal name, shown to agents only. */
	name: string;
	/** Typed after `/` in the reply box; lower case. */
	shortcut: string;
	/** Plain text, with `{variables}`. */
	text: string;
	language: SavedReplyLanguage;
	scope: SavedReplyScope;
	/** The inbox of an `inbox` reply; 0 otherwise. */
	inboxId: number;
	/** The owner of a personal reply; 0 for shared ones. */
	ownerId: number;
	/** Whether the current user may change or delete it. */
	editable: boolean;
}

/** What a save sends. */
export type SavedReplyDraft = Omit< SavedReply, 'id' | 'ownerId' | 'editable' >;

export interface SavedRepliesState {
	/** By id, once loaded. */
	replies: Record< number, SavedReply > | null;
}
