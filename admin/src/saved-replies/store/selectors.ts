/**
 * Selectors of the saved replies store.
 */
import type { SavedRepliesState, SavedReply } from './types';

const listCache = new WeakMap< object, SavedReply[] >();

/**
 * Every reply the user may use, by shortcut then language, or null while
 * they load. The same array while the replies do not change.
 *
 * @param state Store state.
 */
export function getSavedReplies(
	state: SavedRepliesState
): SavedReply[] | null {
	const { replies } = state;
	if ( ! replies ) {
		return null;
	}
	let list = listCache.get( replies );
	if ( ! list ) {
		list = Object.values( replies ).sort(
			( a, b ) =>
				a.shortcut.localeCompare( b.shortcut ) ||
				a.language.localeCompare( b.language ) ||
				a.id - b.id
		);
		listCache.set( replies, list );
	}
	return list;
}
