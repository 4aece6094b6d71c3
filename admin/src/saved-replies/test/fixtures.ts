/**
 * Shared test data for saved replies.
 */
import type { SavedReply } from '../store/types';

/**
 * A shared saved reply for any language, changed by `overrides`.
 *
 * @param overrides Values to use instead.
 */
export function savedReply( overrides: Partial< SavedReply > ): SavedReply {
	return {
		id: 1,
		name: 'Thanks',
		shortcut: 'thanks',
		text: 'Thank you!',
		language: '',
		scope: 'everyone',
		inboxId: 0,
		ownerId: 0,
		editable: false,
		...overrides,
	};
}
