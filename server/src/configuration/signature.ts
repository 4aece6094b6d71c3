/**
 * Signed calls between WordPress and the service, both directions:
 * `X-Chatflows-Timestamp` (Unix seconds) and
 * `X-Chatflows-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`
 * with the shared secret. A receiver refuses a bad signature, or a timestamp
 * more than `MAX_CLOCK_SKEW_SECONDS` away from its own clock.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const TIMESTAMP_HEADER = 'x-chatflows-timestamp';
export const SIGNATURE_HEADER = 'x-chatflows-signature';
export const MAX_CLOCK_SKEW_SECONDS = 300;

const SIGNATURE_PATTERN = /^sha256=([0-9a-f]{64})$/;

/**
 * The headers that sign a body.
 *
 * @param secret The shared secret.
 * @param body   The exact bytes sent ('' for none).
 * @param now    The current time.
 * @return Header name → value.
 */
export function signRequest(
	secret: string,
	body: string,
	now: Date
): Record< string, string > {
	const timestamp = String( Math.floor( now.getTime() / 1000 ) );
	const digest = createHmac( 'sha256', secret )
		.update( `${ timestamp }.${ body }` )
		.digest( 'hex' );
	return {
		'X-Chatflows-Timestamp': timestamp,
		'X-Chatflows-Signature': `sha256=${ digest }`,
	};
}

export type SignatureFailure =
	'signature_missing' | 'signature_invalid' | 'timestamp_invalid';

/**
 * Checks a signed request.
 *
 * @param secret    The shared secret.
 * @param timestamp The timestamp header, as received.
 * @param signature The signature header, as received.
 * @param body      The raw body.
 * @param now       The current time.
 * @return null when valid, otherwise why not.
 */
export function verifySignature(
	secret: string,
	timestamp: string | undefined,
	signature: string | undefined,
	body: Buffer | string,
	now: Date
): SignatureFailure | null {
	if ( ! timestamp || ! signature ) {
		return 'signature_missing';
	}
	if ( ! /^\d{1,12}$/.test( timestamp ) ) {
		return 'timestamp_invalid';
	}
	const skew = Math.abs(
		Math.floor( now.getTime() / 1000 ) - Number( timestamp )
	);
	if ( skew > MAX_CLOCK_SKEW_SECONDS ) {
		return 'timestamp_invalid';
	}
	const match = SIGNATURE_PATTERN.exec( signature );
	if ( ! match ) {
		return 'signature_invalid';
	}
	const expected = createHmac( 'sha256', secret )
		.update( `${ timestamp }.` )
		.update( body )
		.digest();
	const received = Buffer.from( match[ 1 ], 'hex' );
	return received.length === expected.length &&
		timingSafeEqual( received, expected )
		? null
		: 'signature_invalid';
}
