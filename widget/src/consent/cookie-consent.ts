/**
 * The one rule for what the widget keeps in the visitor's browser, used by
 * the loader and by the chat window alike:
 *
 * - nothing is ever stored in the admin's preview;
 * - when neither the chatflow nor the page asks for cookie consent, or the
 *   page identified the visitor (identification e-mail and token: the site
 *   knows them and answers for their consent), storing is allowed;
 * - otherwise the answer comes from the site's consent plugin when the page
 *   runs one through the WP Consent API (its answer for the category, live),
 *   else from the visitor's answer to the banner on this page view, else from
 *   an acceptance stored on an earlier page view. Until one of them says yes,
 *   nothing is written: the session and conversation live in memory, for this
 *   page view only.
 *
 * The loader creates one `CookieConsent` per placed widget and hands the very
 * same object to the chat window (as `config.consent`), so an answer given in
 * the banner beside the launcher holds in the window too.
 */
import type {
	ChatflowsSettings,
	CookieConsent,
	WidgetConfig,
} from '../page-settings';

// Declared with the page settings that carry it; still importable from here.
export type { CookieConsent } from '../page-settings';

/** In local storage once the visitor accepted: '1'. Written only after the acceptance. */
export const ACCEPTED_KEY = 'chatflows:consent';

/** The page's WP Consent API, when a consent plugin runs it. */
interface WpConsentApiWindow {
	wp_has_consent?: ( category?: string ) => boolean;
	wp_consent_type?: string;
	wp_fallback_consent_type?: string;
}

/**
 * The cookie consent of a widget about to be placed.
 *
 * @param config     The chatflow's configuration.
 * @param page       The page's `enableWidgetCookieBanner`.
 * @param identified Whether the page passed an identification e-mail and token.
 */
export function cookieConsent(
	config: WidgetConfig,
	page: ChatflowsSettings[ 'enableWidgetCookieBanner' ],
	identified: boolean
): CookieConsent {
	const cookies = config.chatflow?.consent?.cookies;
	return {
		// The page's `false` never turns off a banner the chatflow asks for: the site's
		// owner chose consent in the chatflow. A visitor the page identified is known
		// to the site, which answers for their consent: no banner.
		required:
			( ! identified && !! ( page || cookies?.enabled ) ) ||
			!! config.preview,
		exitIntent:
			page === 'ON_EXIT_INTENT' ||
			( ! page && cookies?.when === 'exit_intent' ),
		category: cookies?.category,
		answer: config.preview ? false : undefined,
	};
}

/**
 * The answer of the site's consent plugin, when the page has the WP Consent
 * API and a consent type is set (without one, the API allows everything:
 * the chat's own banner asks instead).
 *
 * @param category The consent category.
 * @return true or false, or undefined when no consent plugin answers.
 */
export function wpConsentAnswer( category?: string ): boolean | undefined {
	const page = window as WpConsentApiWindow;
	return typeof page.wp_has_consent === 'function' &&
		( page.wp_consent_type || page.wp_fallback_consent_type )
		? !! page.wp_has_consent( category )
		: undefined;
}

/**
 * Runs `task` on one of the browser's storages, ungated: only for the
 * consent's own key, and for the storage modules once `mayStore()` said yes.
 *
 * @param kind Which storage.
 * @param task What to do with it.
 * @return What `task` returned; undefined when the storage is blocked or full.
 */
export function inStorage< T >(
	kind: 'localStorage' | 'sessionStorage',
	task: ( store: Storage ) => T
): T | undefined {
	try {
		return task( window[ kind ] );
	} catch {
		// Blocked by the browser's privacy settings, or full: the chat works for this page view.
		return undefined;
	}
}

/** Whether the visitor accepted on an earlier page view. */
function acceptedEarlier(): boolean {
	return (
		inStorage( 'localStorage', ( store ) =>
			store.getItem( ACCEPTED_KEY )
		) === '1'
	);
}

/**
 * Whether the widget may write to the browser's storage now.
 *
 * @param consent The widget's consent; none: nothing asks for consent.
 */
export function mayStore( consent?: CookieConsent ): boolean {
	return (
		! consent?.required ||
		( consent.answer ??
			wpConsentAnswer( consent.category ) ??
			acceptedEarlier() )
	);
}

/**
 * Whether the chat's own banner must ask: consent is required, nobody
 * answered it yet, and no consent plugin answers for the chat.
 *
 * @param consent The widget's consent.
 */
export function bannerNeeded( consent?: CookieConsent ): boolean {
	return (
		!! consent?.required &&
		consent.answer === undefined &&
		wpConsentAnswer( consent.category ) === undefined &&
		! acceptedEarlier()
	);
}

/**
 * The visitor answered the banner: an acceptance is stored (from now on
 * allowed) for the next page views; a refusal only holds for this page view.
 *
 * @param consent  The widget's consent.
 * @param accepted Accepted or declined.
 */
export function answerBanner(
	consent: CookieConsent,
	accepted: boolean
): void {
	consent.answer = accepted;
	if ( accepted ) {
		inStorage( 'localStorage', ( store ) =>
			store.setItem( ACCEPTED_KEY, '1' )
		);
	}
	consent.listeners?.forEach( ( listener ) => listener() );
}
