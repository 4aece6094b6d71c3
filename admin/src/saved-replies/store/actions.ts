/**
 * Actions of the saved replies store: `receive*` / `remove*` record what the
 * REST API returned; the thunks call it and reject with its error unchanged
 * (field errors name the field, for the form).
 */
import apiFetch from '@wordpress/api-fetch';

import { SAVED_REPLIES_PATH } from './api';
import type { SavedReply, SavedReplyDraft } from './types';

/**
 * Every saved reply the user may use.
 *
 * @param replies Replies.
 */
export function receiveSavedReplies( replies: SavedReply[] ) {
	return { type: 'RECEIVE_SAVED_REPLIES' as const, replies };
}

/**
 * One reply, created or changed.
 *
 * @param reply Reply.
 */
export function receiveSavedReply( reply: SavedReply ) {
	return { type: 'RECEIVE_SAVED_REPLY' as const, reply };
}

/**
 * Forgets a deleted reply.
 *
 * @param id Reply id.
 */
export function removeSavedReply( id: number ) {
	return { type: 'REMOVE_SAVED_REPLY' as const, id };
}

export type SavedRepliesAction =
	| ReturnType< typeof receiveSavedReplies >
	| ReturnType< typeof receiveSavedReply >
	| ReturnType< typeof removeSavedReply >;

interface ThunkArgs {
	dispatch: ( action: SavedRepliesAction ) => void;
}

/**
 * Creates a reply (without id) or changes one.
 *
 * @param draft Its fields.
 * @param id    The reply to change; none to create.
 */
export const saveSavedReply =
	( draft: SavedReplyDraft, id?: number ) =>
	async ( { dispatch }: ThunkArgs ): Promise< SavedReply > => {
		const saved = await apiFetch< SavedReply >( {
			path: id ? `${ SAVED_REPLIES_PATH }/${ id }` : SAVED_REPLIES_PATH,
			method: id ? 'PUT' : 'POST',
			data: draft,
		} );
		dispatch( receiveSavedReply( saved ) );
		return saved;
	};

/**
 * Deletes a reply.
 *
 * @param id Reply id.
 */
export const deleteSavedReply =
	( id: number ) =>
	async ( { dispatch }: ThunkArgs ): Promise< void > => {
		await apiFetch( {
			path: `${ SAVED_REPLIES_PATH }/${ id }`,
			method: 'DELETE',
		} );
		dispatch( removeSavedReply( id ) );
	};
