/**
 * Which chatflow serves this visitor, in the browser.
 *
 * WordPress settles the page-level rules (URL, query parameters, the page's
 * own choice) when it renders the page, so the HTML never depends on who the
 * visitor is. `window.chatflowsConfig` is then either
 * - one `WidgetConfig`: that chatflow serves everyone, or
 * - `{ candidates: [ { config, visitorRules } ], visitorUrl? }`: chatflows in
 *   priority order whose visitor rules (known contact, WordPress user and
 *   role, device, referrer, page language) decide; the first whose rules hold
 *   serves the visitor. `visitorUrl` is there when a rule is about the
 *   WordPress user: the loader asks it who the visitor is.
 *
 * Use: `resolveVisitorConfig( window.chatflowsConfig )` (asks WordPress only
 * when a candidate has a user or role rule), or, synchronously,
 * `resolveWidgetConfig( window.chatflowsConfig, readVisitorTraits() )`, where
 * rules on the WordPress user never hold.
 */
import type { WidgetConfig } from '../page-settings';
import {
	conditionsHold,
	needsUser,
	type Device,
	type VisitorConditions,
	type VisitorTraits,
} from '@chatflows/chatflow-model';

/** localStorage key the chat window sets to `1` once the visitor gave their e-mail address. */
export const CONTACT_FLAG = 'chatflows:contact';

/** A chatflow that serves the page if its visitor rules hold. */
export interface Candidate {
	config: WidgetConfig;
	visitorRules: VisitorConditions;
}

/** What WordPress prints when visitor rules decide. */
export interface CandidateList {
	candidates: Candidate[];
	/** Answers `{ loggedIn, roles }` for the visitor's WordPress cookies. */
	visitorUrl?: string;
}

function isObject( value: unknown ): value is Record< string, unknown > {
	return typeof value === 'object' && value !== null;
}

function isWidgetConfig( value: unknown ): value is WidgetConfig {
	return (
		isObject( value ) &&
		typeof value.chatflowId === 'string' &&
		typeof value.serviceUrl === 'string'
	);
}

function isConditions( value: unknown ): value is VisitorConditions {
	return (
		isObject( value ) &&
		Array.isArray( value.groups ) &&
		value.groups.every( Array.isArray ) &&
		Array.isArray( value.exclude )
	);
}

/**
 * The candidate list in a raw configuration, if it is one.
 *
 * @param raw `window.chatflowsConfig`.
 */
export function candidateList( raw: unknown ): CandidateList | null {
	if ( ! isObject( raw ) || ! Array.isArray( raw.candidates ) ) {
		return null;
	}
	const candidates = raw.candidates.filter(
		( candidate: unknown ): candidate is Candidate =>
			isObject( candidate ) &&
			isWidgetConfig( candidate.config ) &&
			isConditions( candidate.visitorRules )
	);
	return {
		candidates,
		visitorUrl:
			typeof raw.visitorUrl === 'string' ? raw.visitorUrl : undefined,
	};
}

/**
 * The configuration of the chatflow that serves this visitor, or null for no
 * chat. Accepts both shapes WordPress prints (see the file's comment).
 *
 * @param raw    `window.chatflowsConfig`.
 * @param traits The visitor, e.g. `readVisitorTraits()`.
 */
export function resolveWidgetConfig(
	raw: unknown,
	traits: VisitorTraits
): WidgetConfig | null {
	if ( isWidgetConfig( raw ) ) {
		return raw;
	}
	const list = candidateList( raw );
	return (
		list?.candidates.find( ( candidate ) =>
			conditionsHold( candidate.visitorRules, traits )
		)?.config ?? null
	);
}

/**
 * The kind of device, from the user agent, the viewport's width and touch.
 *
 * @param userAgent   `navigator.userAgent`.
 * @param width       The viewport's width in CSS pixels.
 * @param touchPoints `navigator.maxTouchPoints`.
 */
export function deviceOf(
	userAgent: string,
	width: number,
	touchPoints: number
): Device {
	if (
		/iPad|Tablet|PlayBook|Silk|Kindle/i.test( userAgent ) ||
		( /Android/i.test( userAgent ) && ! /Mobile/i.test( userAgent ) ) ||
		// iPadOS presents itself as a Mac with a touch screen.
		( /Macintosh/i.test( userAgent ) && touchPoints > 1 )
	) {
		return 'tablet';
	}
	if ( /Mobi|iPhone|iPod|Windows Phone/i.test( userAgent ) || width < 768 ) {
		return 'mobile';
	}
	return width <= 1024 && touchPoints > 0 ? 'tablet' : 'desktop';
}

function knownContact(): boolean {
	try {
		return window.localStorage.getItem( CONTACT_FLAG ) === '1';
	} catch {
		// Storage can be blocked: then the visitor is not known.
		return false;
	}
}

/**
 * What the browser knows about the visitor right away (not the WordPress
 * user: see `resolveVisitorConfig`).
 */
export function readVisitorTraits(): VisitorTraits {
	return {
		contact: knownContact() ? 'known' : 'unknown',
		device: deviceOf(
			navigator.userAgent,
			window.innerWidth,
			navigator.maxTouchPoints ?? 0
		),
		referrer: document.referrer,
		language: document.documentElement.lang,
	};
}

/**
 * Asks WordPress whether the visitor is logged in, and with which roles
 * (an answer that depends on the visitor's cookies, never cached).
 *
 * @param url `visitorUrl` of the candidate list.
 */
export async function fetchVisitorUser(
	url: string
): Promise< NonNullable< VisitorTraits[ 'user' ] > > {
	const response = await fetch( url, {
		credentials: 'same-origin',
		headers: { Accept: 'application/json' },
	} );
	const body: unknown = response.ok ? await response.json() : null;
	if (
		isObject( body ) &&
		typeof body.loggedIn === 'boolean' &&
		Array.isArray( body.roles )
	) {
		return {
			loggedIn: body.loggedIn,
			roles: body.roles.filter(
				( role: unknown ): role is string => typeof role === 'string'
			),
		};
	}
	throw new Error( 'Chatflows: WordPress did not say who the visitor is.' );
}

/**
 * The configuration of the chatflow that serves this visitor, asking
 * WordPress who the visitor is only when a candidate's rules need it. When
 * WordPress cannot be asked, rules on the WordPress user do not hold.
 *
 * @param raw    `window.chatflowsConfig`.
 * @param traits The visitor; default `readVisitorTraits()`.
 */
export async function resolveVisitorConfig(
	raw: unknown,
	traits: VisitorTraits = readVisitorTraits()
): Promise< WidgetConfig | null > {
	const list = candidateList( raw );
	if (
		list?.visitorUrl &&
		! traits.user &&
		list.candidates.some( ( candidate ) =>
			needsUser( candidate.visitorRules )
		)
	) {
		try {
			traits = {
				...traits,
				user: await fetchVisitorUser( list.visitorUrl ),
			};
		} catch {
			// Unknown user: the other candidates still decide.
		}
	}
	return resolveWidgetConfig( raw, traits );
}
