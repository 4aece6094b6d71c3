/**
 * Everything the loader remembers in the browser, in one place, gated by the
 * visitor's cookie consent (the rule is in `consent/cookie-consent.ts`):
 * whether the chat was open (this tab), and when the visitor last minimised
 * it (all pages and chatflows of the site).
 */
import {
	inStorage,
	mayStore,
	type CookieConsent,
} from '../consent/cookie-consent';

/** Remembers, for this tab only, that the chat was open, so the next page reopens it. */
const OPEN_KEY = 'chatflows:open';
/** When the visitor last minimised the chat or dismissed the prompt (milliseconds since the epoch). */
const MINIMISED_KEY = 'chatflows:minimised';
/** Every key of the widget starts with this (the window's session included). */
const PREFIX = 'chatflows:';

/** How long a visitor who minimised the chat is not prompted again. */
export const QUIET_PERIOD_MS = 24 * 60 * 60 * 1000;

let consent: CookieConsent | undefined;

/**
 * Gates remembering on this consent from now on.
 *
 * @param widgetConsent The placed widget's consent; none: nothing asks for consent.
 */
export function gateStorage( widgetConsent?: CookieConsent ): void {
	consent = widgetConsent;
}

/**
 * Runs `task` on a storage when consent allows and the storage is reachable.
 *
 * @param kind Which storage.
 * @param task What to do with it.
 * @return What `task` returned; undefined when storage is off, blocked or full.
 */
function withStorage< T >(
	kind: 'localStorage' | 'sessionStorage',
	task: ( store: Storage ) => T
): T | undefined {
	return mayStore( consent ) ? inStorage( kind, task ) : undefined;
}

/** Whether the chat was open on the previous page of this tab. */
export function wasOpen(): boolean {
	return (
		withStorage( 'sessionStorage', ( store ) =>
			store.getItem( OPEN_KEY )
		) === '1'
	);
}

/**
 * Remembers, for this tab, whether the chat is open.
 *
 * @param open Open or not.
 */
export function rememberOpen( open: boolean ): void {
	withStorage( 'sessionStorage', ( store ) =>
		open ? store.setItem( OPEN_KEY, '1' ) : store.removeItem( OPEN_KEY )
	);
}

/**
 * Remembers that the visitor minimised the chat or dismissed its prompt.
 *
 * @param now The current time in milliseconds.
 */
export function rememberMinimised( now = Date.now() ): void {
	withStorage( 'localStorage', ( store ) =>
		store.setItem( MINIMISED_KEY, String( now ) )
	);
}

/**
 * Whether the visitor minimised the chat within the last 24 hours.
 *
 * @param now The current time in milliseconds.
 */
export function minimisedRecently( now = Date.now() ): boolean {
	const at = Number(
		withStorage( 'localStorage', ( store ) =>
			store.getItem( MINIMISED_KEY )
		)
	);
	return at > 0 && at <= now && now - at < QUIET_PERIOD_MS;
}

/**
 * Forgets everything the widget stored: the visitor's session, open state,
 * the quiet period and the cookie acceptance. Not gated: removing stores
 * nothing (it also serves a consent withdrawn).
 */
export function forgetAll(): void {
	for ( const kind of [ 'localStorage', 'sessionStorage' ] as const ) {
		inStorage( kind, ( store ) =>
			Object.keys( store )
				.filter( ( key ) => key.startsWith( PREFIX ) )
				.forEach( ( key ) => store.removeItem( key ) )
		);
	}
}
