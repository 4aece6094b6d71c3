/**
 * Every read and write of the browser's storage by the chat window goes
 * through here, so that one place can gate it (e.g. on the visitor's consent).
 * Blocked storage never breaks the chat: reads give null, writes are dropped.
 */

/** Keys the chat window keeps in `localStorage`. */
export const STORAGE_KEYS = {
	/** The visitor's session token, so a reload resumes the conversation. */
	session: 'chatflows:session',
	/** '1' once the visitor gave an e-mail address (read by known-contact targeting). */
	contact: 'chatflows:contact',
	/** '1' when the visitor turned the new-message sound on. */
	sound: 'chatflows:sound',
} as const;

export type StorageKey = ( typeof STORAGE_KEYS )[ keyof typeof STORAGE_KEYS ];

let allowed = true;

/**
 * Allows or forbids storage from now on (forbidding does not erase what is stored).
 *
 * @param isAllowed Whether the chat window may use the browser's storage.
 */
export function setStorageAllowed( isAllowed: boolean ): void {
	allowed = isAllowed;
}

/**
 * A stored value.
 *
 * @param key Key.
 * @return The value, or null when absent, forbidden or blocked.
 */
export function readStored( key: StorageKey ): string | null {
	if ( ! allowed ) {
		return null;
	}
	try {
		return window.localStorage.getItem( key );
	} catch {
		return null;
	}
}

/**
 * Stores a value, or removes it when `value` is null.
 *
 * @param key   Key.
 * @param value Value.
 */
export function writeStored( key: StorageKey, value: string | null ): void {
	if ( ! allowed ) {
		return;
	}
	try {
		if ( value === null ) {
			window.localStorage.removeItem( key );
		} else {
			window.localStorage.setItem( key, value );
		}
	} catch {
		// Without storage the chat still works for this page view.
	}
}
