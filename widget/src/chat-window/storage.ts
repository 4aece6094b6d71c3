/**
 * Every read and write of the browser's storage by the chat window goes
 * through here, gated by the visitor's cookie consent (the rule is in
 * `consent/cookie-consent.ts`, shared with the loader). Blocked storage never
 * breaks the chat: reads give null, writes are dropped.
 */
import {
	inStorage,
	mayStore,
	type CookieConsent,
} from '../consent/cookie-consent';

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

let consent: CookieConsent | undefined;

/**
 * Gates storage on this consent from now on (a refusal does not erase what is stored).
 *
 * @param widgetConsent The widget's cookie consent; none: nothing asks for consent.
 */
export function gateStorage( widgetConsent?: CookieConsent ): void {
	consent = widgetConsent;
}

/**
 * A stored value.
 *
 * @param key Key.
 * @return The value, or null when absent, forbidden or blocked.
 */
export function readStored( key: StorageKey ): string | null {
	return mayStore( consent )
		? ( inStorage( 'localStorage', ( store ) => store.getItem( key ) ) ??
				null )
		: null;
}

/**
 * Stores a value, or removes it when `value` is null.
 *
 * @param key   Key.
 * @param value Value.
 */
export function writeStored( key: StorageKey, value: string | null ): void {
	if ( mayStore( consent ) ) {
		inStorage( 'localStorage', ( store ) =>
			value === null
				? store.removeItem( key )
				: store.setItem( key, value )
		);
	}
}
