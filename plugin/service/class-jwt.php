<?php
/**
 * Compact HS256 JSON Web Tokens, the format the chat service verifies.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * Signs tokens with HMAC-SHA256. WordPress only signs; the service verifies.
 */
final class Jwt {

	/**
	 * Signs claims.
	 *
	 * @param array  $claims Claims; `iat` and `exp` must be set by the caller.
	 * @param string $secret Shared secret.
	 * @return string The compact token.
	 */
	public static function sign( array $claims, $secret ) {
		$header  = self::base64url(
			wp_json_encode(
				array(
					'alg' => 'HS256',
					'typ' => 'JWT',
				)
			)
		);
		$payload = self::base64url( wp_json_encode( $claims ) );
		$input   = $header . '.' . $payload;
		return $input . '.' . self::base64url( hash_hmac( 'sha256', $input, $secret, true ) );
	}

	/**
	 * Base64url without padding (RFC 7515).
	 *
	 * @param string $data Bytes.
	 * @return string
	 */
	private static function base64url( $data ) {
		return rtrim( strtr( base64_encode( $data ), '+/', '-_' ), '=' ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
	}
}
