/**
 * Resolvers: the first time a screen selects the replies, they are fetched.
 */
import apiFetch from '@wordpress/api-fetch';

import { receiveSavedReplies, type SavedRepliesAction } from './actions';
import { SAVED_REPLIES_PATH } from './api';
import type { SavedReply } from './types';

/** Fetches the replies the user may use. */
export const getSavedReplies =
	() =>
	async ( {
		dispatch,
	}: {
		dispatch: ( action: SavedRepliesAction ) => void;
	} ) => {
		dispatch(
			receiveSavedReplies(
				await apiFetch< SavedReply[] >( { path: SAVED_REPLIES_PATH } )
			)
		);
	};
