/**
 * URLs as targeting rules compare them. The PHP twin is
 * `Targeting_Rules` (plugin/targeting/class-targeting-rules.php); both follow these
 * rules, checked by the shared fixtures:
 *
 * - the scheme does not matter (`http://` and `https://` are the same page),
 *   nor the fragment, nor the case, nor a trailing slash;
 * - hosts drop their user info and default port;
 * - `%XX` escapes that spell UTF-8 are decoded (`/caf%C3%A9` is `/café`);
 *   escapes that do not are kept as written;
 * - a rule value starting with `/` compares with the page's path only, any
 *   other value with `host/path`;
 * - the query string is for query parameter rules, never for URL rules.
 */

/** A URL taken apart: host (empty for a relative URL), path and raw query. */
export interface UrlParts {
	host: string;
	path: string;
	query: string;
}

const ESCAPES = /(?:%[0-9a-fA-F]{2})+/g;
const SCHEME_AND_AUTHORITY = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?\/\/([^/?#]*)/;
const HTTP_SCHEME = /^https?:\/\//i;

/**
 * Decodes each run of `%XX` escapes that spells UTF-8; other runs stay.
 *
 * @param text Text.
 */
export function decodePercent( text: string ): string {
	return text.replace( ESCAPES, ( run ) => {
		try {
			return decodeURIComponent( run );
		} catch {
			return run;
		}
	} );
}

/**
 * Lower case, escapes decoded: how every compared text starts.
 *
 * @param text Text.
 */
export function comparable( text: string ): string {
	return decodePercent( text ).toLowerCase();
}

/**
 * Takes a URL apart. A fragment is dropped.
 *
 * @param url Absolute (`https://host/path?query`) or relative (`/path?query`).
 */
export function parseUrl( url: string ): UrlParts {
	let rest = url.trim();
	let host = '';
	const authority = SCHEME_AND_AUTHORITY.exec( rest );
	if ( authority ) {
		rest = rest.slice( authority[ 0 ].length );
		host = authority[ 2 ].slice( authority[ 2 ].lastIndexOf( '@' ) + 1 );
		host = host.toLowerCase();
		const scheme = ( authority[ 1 ] ?? '' ).toLowerCase();
		if (
			( scheme === 'http' && host.endsWith( ':80' ) ) ||
			( scheme === 'https' && host.endsWith( ':443' ) )
		) {
			host = host.slice( 0, host.lastIndexOf( ':' ) );
		}
	}
	const hash = rest.indexOf( '#' );
	if ( hash >= 0 ) {
		rest = rest.slice( 0, hash );
	}
	const question = rest.indexOf( '?' );
	const path = question >= 0 ? rest.slice( 0, question ) : rest;
	return {
		host,
		path: path === '' ? '/' : path,
		query: question >= 0 ? rest.slice( question + 1 ) : '',
	};
}

/**
 * A path or `host/path` ending in exactly one slash.
 *
 * @param key Compared text.
 */
export function withSlash( key: string ): string {
	return key.replace( /\/+$/, '' ) + '/';
}

/**
 * A path or `host/path` without trailing slashes (the root path stays `/`).
 *
 * @param key Compared text.
 */
export function withoutSlash( key: string ): string {
	const trimmed = key.replace( /\/+$/, '' );
	return trimmed === '' && key.startsWith( '/' ) ? '/' : trimmed;
}

/** A page as URL rules see it: its path, and `host/path`, compared texts ending in `/`. */
export interface PageKeys {
	path: string;
	full: string;
}

/**
 * The compared texts of a page.
 *
 * @param url The page's URL.
 */
export function pageKeys( url: string ): PageKeys {
	const parts = parseUrl( url );
	const path = withSlash( comparable( parts.path ) );
	return { path, full: parts.host + path };
}

/**
 * The compared text of a rule's value: a full URL loses its scheme (and its
 * query and fragment); anything else is only lower-cased and decoded.
 *
 * @param value Rule value.
 */
export function ruleKey( value: string ): string {
	const trimmed = value.trim();
	if ( HTTP_SCHEME.test( trimmed ) ) {
		const parts = parseUrl( trimmed );
		return parts.host + comparable( parts.path );
	}
	return comparable( trimmed );
}

/**
 * Whether a wildcard pattern (`*`: any characters, `/` included) matches a
 * compared text. A pattern not ending in `*` ignores trailing slashes.
 *
 * @param pattern The compared pattern.
 * @param subject The compared text, ending in `/`.
 */
export function wildcardMatches( pattern: string, subject: string ): boolean {
	const whole = pattern.endsWith( '*' ) ? pattern : withSlash( pattern );
	const source = whole
		.split( '*' )
		.map( ( part ) => part.replace( /[.*+?^${}()|[\]\\/]/g, '\\$&' ) )
		.join( '.*' );
	return new RegExp( `^${ source }$`, 's' ).test( subject );
}

/**
 * Whether a URL rule holds for a page. An empty URL (no referrer) is no page:
 * only the negative operators hold.
 *
 * @param operator Rule operator.
 * @param value    Rule value.
 * @param url      The page's URL.
 */
export function urlRuleHolds(
	operator: string,
	value: string,
	url: string
): boolean {
	if ( url.trim() === '' ) {
		return operator === 'is_not' || operator === 'not_contains';
	}
	const keys = pageKeys( url );
	const trimmed = value.trim();
	const key = ruleKey( trimmed );
	const subject = trimmed.startsWith( '/' ) ? keys.path : keys.full;
	switch ( operator ) {
		case 'is':
			return withSlash( key ) === subject;
		case 'is_not':
			return withSlash( key ) !== subject;
		case 'starts_with':
			return subject.startsWith( key );
		case 'contains':
			return subject.includes( key );
		case 'not_contains':
			return ! subject.includes( key );
		case 'ends_with':
			return withoutSlash( subject ).endsWith( withoutSlash( key ) );
		case 'matches':
			return wildcardMatches( key, subject );
		default:
			return false;
	}
}

/**
 * A query string's parameters in order, names and values decoded (`+` is a
 * space). Repeated names repeat; `?a` and `?a=` give an empty value.
 *
 * @param query Raw query, without `?`.
 */
export function queryParameters( query: string ): Array< [ string, string ] > {
	return query
		.split( '&' )
		.filter( ( part ) => part !== '' )
		.map( ( part ) => {
			const equals = part.indexOf( '=' );
			const name = equals >= 0 ? part.slice( 0, equals ) : part;
			const value = equals >= 0 ? part.slice( equals + 1 ) : '';
			return [
				decodePercent( name.replace( /\+/g, ' ' ) ),
				decodePercent( value.replace( /\+/g, ' ' ) ),
			];
		} );
}

/**
 * Whether a query parameter rule holds for a page: names match exactly,
 * values without regard to case; any one of repeated parameters may match.
 *
 * @param operator `equals`, `contains` or `present`.
 * @param name     Parameter name.
 * @param value    Rule value.
 * @param url      The page's URL.
 */
export function queryRuleHolds(
	operator: string,
	name: string,
	value: string,
	url: string
): boolean {
	const wanted = name.trim();
	const text = value.trim().toLowerCase();
	return queryParameters( parseUrl( url ).query ).some(
		( [ parameter, given ] ) => {
			if ( parameter !== wanted ) {
				return false;
			}
			switch ( operator ) {
				case 'present':
					return true;
				case 'equals':
					return given.toLowerCase() === text;
				case 'contains':
					return given.toLowerCase().includes( text );
				default:
					return false;
			}
		}
	);
}
