/**
 * Consent answers as the chat window records them with the service, and the
 * moments the cookie consent's answer may change. Plain TypeScript, no UI:
 * the live chat (`visitor-chat.ts`) and the window both use it.
 */
import type {
	ConsentGrant,
	ConsentKind,
	ConsentMethod,
} from '@chatflows/protocol';
import type { CookieConsent } from '../consent/cookie-consent';

/** The event a WP Consent API consent plugin fires when the visitor changes their choices. */
export const WP_CONSENT_CHANGE = 'wp_listen_for_consent_change';

/** The event a consent plugin fires once it set the consent type (until then the API has no answer). */
export const WP_CONSENT_TYPE_DEFINED = 'wp_consent_type_defined';

/** A consent answer as the chat records it (the chat adds its language and the page). */
export type ConsentAnswer = Omit< ConsentGrant, 'language' | 'pageUrl' >;

/**
 * A consent answer.
 *
 * @param kind             Which consent.
 * @param granted          Given or declined.
 * @param method           How.
 * @param text             The exact text shown.
 * @param subscriptionType The communications consent's subscription type.
 */
export function consentAnswer(
	kind: ConsentKind,
	granted: boolean,
	method: ConsentMethod,
	text: string,
	subscriptionType?: string
): ConsentAnswer {
	return {
		kind,
		granted,
		method,
		text,
		...( subscriptionType && { subscriptionType } ),
	};
}

/**
 * Calls `listener` after every answer to the cookie consent, from the banner
 * here or beside the launcher, or from the site's consent plugin (a changed
 * choice, or its consent type set late).
 *
 * @param consent  The widget's cookie consent.
 * @param listener Called after each change.
 * @return Stops listening.
 */
export function watchCookieConsent(
	consent: CookieConsent,
	listener: () => void
): () => void {
	const listeners = ( consent.listeners ??= [] );
	listeners.push( listener );
	for ( const event of [ WP_CONSENT_CHANGE, WP_CONSENT_TYPE_DEFINED ] ) {
		document.addEventListener( event, listener );
	}
	return () => {
		const index = listeners.indexOf( listener );
		if ( index >= 0 ) {
			listeners.splice( index, 1 );
		}
		for ( const event of [ WP_CONSENT_CHANGE, WP_CONSENT_TYPE_DEFINED ] ) {
			document.removeEventListener( event, listener );
		}
	};
}
