/**
 * Signed calls between WordPress and the service, both directions. The same
 * rules as `Service_Sync` in the plugin; `test/fixtures/signed-call.json` is
 * checked by a jest test and a PHP test so the two sides cannot drift.
 *
 *     X-Chatflows-Timestamp: <Unix seconds>
 *     X-Chatflows-Nonce: <16–64 of A-Z a-z 0-9 _ ->, new for every call
 *     X-Chatflows-Signature: v2=<hex HMAC-SHA256 of the canonical string>
 *
 * The canonical string is the lines `v2`, the method (upper case), the
 * target, the hex SHA-256 of the raw body, the timestamp and the nonce,
 * joined by "\n". The target is the path the receiver routes (for the
 * service: its own path, after any proxy prefix is taken off; for
 * WordPress: the REST route, e.g. `/chatflows/v1/service/notify`, whatever
 * the site's folder or permalinks), then `?` and the canonical query when
 * there is one: every `name=value` pair RFC 3986-encoded, sorted, joined
 * by `&`. A receiver refuses a bad signature, a timestamp more than
 * `MAX_CLOCK_SKEW_SECONDS` from its clock, and a nonce it has seen within
 * that window (see nonce-store.ts).
 */
import {
	createHash,
	createHmac,
	randomBytes,
	timingSafeEqual,
} from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-chatflows-timestamp';
export const NONCE_HEADER = 'x-chatflows-nonce';
export const SIGNATURE_HEADER = 'x-chatflows-signature';
export const MAX_CLOCK_SKEW_SECONDS = 300;

const VERSION = 'v2';
const SIGNATURE_PATTERN = /^v2=([0-9a-f]{64})$/;
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
const TIMESTAMP_PATTERN = /^\d{1,12}$/;

/** One signed call, as its sender builds it or its receiver sees it. */
export interface SignedCall {
	method: string;
	/** Path and query as the receiver routes them (canonicalised here). */
	target: string;
	/** The exact bytes of the body ('' for none). */
	body: Buffer | string;
	timestamp: string;
	nonce: string;
}

/**
 * A string percent-encoded as RFC 3986 (PHP's `rawurlencode`).
 *
 * @param value Text.
 */
function encodeRfc3986( value: string ): string {
	return encodeURIComponent( value ).replace(
		/[!'()*]/g,
		( char ) => `%${ char.charCodeAt( 0 ).toString( 16 ).toUpperCase() }`
	);
}

/**
 * The canonical form of a path with its query: the path as given, the query's
 * pairs decoded, re-encoded and sorted, so both sides agree whatever order or
 * escaping a client library chose.
 *
 * @param target Path, optionally with `?query`.
 * @return The target that is signed (and should be sent).
 */
export function canonicalTarget( target: string ): string {
	const mark = target.indexOf( '?' );
	if ( mark === -1 ) {
		return target;
	}
	const pairs: string[] = [];
	new URLSearchParams( target.slice( mark + 1 ) ).forEach(
		( value, name ) => {
			pairs.push(
				`${ encodeRfc3986( name ) }=${ encodeRfc3986( value ) }`
			);
		}
	);
	pairs.sort();
	const path = target.slice( 0, mark );
	return pairs.length ? `${ path }?${ pairs.join( '&' ) }` : path;
}

/**
 * The string the HMAC covers.
 *
 * @param call The call.
 */
export function canonicalString( call: SignedCall ): string {
	return [
		VERSION,
		call.method.toUpperCase(),
		canonicalTarget( call.target ),
		createHash( 'sha256' ).update( call.body ).digest( 'hex' ),
		call.timestamp,
		call.nonce,
	].join( '\n' );
}

function hmac( secret: string, call: SignedCall ): Buffer {
	return createHmac( 'sha256', secret )
		.update( canonicalString( call ) )
		.digest();
}

/** What a sender puts on the wire. */
export interface SignedRequest {
	/** The canonical target: send exactly this path and query. */
	target: string;
	headers: Record< string, string >;
}

/**
 * Signs one call: every call either side makes goes through here (the
 * service) or `Service_Sync::signed_request` (WordPress).
 *
 * @param secret      The shared secret.
 * @param call        What is sent.
 * @param call.method HTTP method.
 * @param call.target Path (and query) as the receiver routes it.
 * @param call.body   The exact body ('' for none).
 * @param now         The current time.
 * @param nonce       A fresh random nonce unless given (test vectors).
 * @return The target to send and the headers.
 */
export function signRequest(
	secret: string,
	call: { method: string; target: string; body: string },
	now: Date,
	nonce: string = randomBytes( 18 ).toString( 'base64url' )
): SignedRequest {
	const signed: SignedCall = {
		...call,
		target: canonicalTarget( call.target ),
		timestamp: String( Math.floor( now.getTime() / 1000 ) ),
		nonce,
	};
	return {
		target: signed.target,
		headers: {
			'X-Chatflows-Timestamp': signed.timestamp,
			'X-Chatflows-Nonce': nonce,
			'X-Chatflows-Signature': `${ VERSION }=${ hmac(
				secret,
				signed
			).toString( 'hex' ) }`,
		},
	};
}

export type SignatureFailure =
	| 'signature_missing'
	| 'signature_invalid'
	| 'timestamp_invalid'
	| 'signature_replayed';

/** The signature headers of a call, as received. */
export interface ReceivedSignature {
	timestamp: string | undefined;
	nonce: string | undefined;
	signature: string | undefined;
}

/**
 * Checks a signed call's headers against what arrived (not the nonce's
 * freshness: see nonce-store.ts).
 *
 * @param secret      The shared secret.
 * @param received    The signature headers.
 * @param call        Method, target and body as received.
 * @param call.method Method.
 * @param call.target Path and query as received.
 * @param call.body   Raw body.
 * @param now         The current time.
 * @return null when valid, otherwise why not.
 */
export function verifySignature(
	secret: string,
	received: ReceivedSignature,
	call: { method: string; target: string; body: Buffer | string },
	now: Date
): SignatureFailure | null {
	const { timestamp, nonce, signature } = received;
	if ( ! timestamp || ! signature || ! nonce ) {
		return 'signature_missing';
	}
	if ( ! TIMESTAMP_PATTERN.test( timestamp ) ) {
		return 'timestamp_invalid';
	}
	const skew = Math.abs(
		Math.floor( now.getTime() / 1000 ) - Number( timestamp )
	);
	if ( skew > MAX_CLOCK_SKEW_SECONDS ) {
		return 'timestamp_invalid';
	}
	const match = SIGNATURE_PATTERN.exec( signature );
	if ( ! match || ! NONCE_PATTERN.test( nonce ) ) {
		return 'signature_invalid';
	}
	const expected = hmac( secret, { ...call, timestamp, nonce } );
	const given = Buffer.from( match[ 1 ], 'hex' );
	return given.length === expected.length &&
		timingSafeEqual( given, expected )
		? null
		: 'signature_invalid';
}

/**
 * Until when a nonce must be remembered: its call is refused by the
 * timestamp check afterwards.
 *
 * @param timestamp The call's timestamp (Unix seconds, valid).
 * @return Milliseconds since the epoch.
 */
export function nonceExpiresAt( timestamp: string ): number {
	return ( Number( timestamp ) + MAX_CLOCK_SKEW_SECONDS + 1 ) * 1000;
}
