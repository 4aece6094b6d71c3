<?php
/**
 * Where the chat service is, and the secret WordPress shares with it.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * The service URL and shared secret come from wp-config.php constants
 * (`CHATFLOWS_SERVICE_URL`, `CHATFLOWS_SERVICE_SECRET`) when defined, else
 * from options; the secret option is created on activation.
 */
final class Service_Connection {

	const SECRET_OPTION = 'chatflows_service_secret';
	const URL_OPTION    = 'chatflows_service_url';
	const DEFAULT_URL   = 'http://localhost:8889';

	/**
	 * Creates the secret option unless a constant or an earlier activation provides one.
	 */
	public static function ensure_secret() {
		if ( defined( 'CHATFLOWS_SERVICE_SECRET' ) || get_option( self::SECRET_OPTION ) ) {
			return;
		}
		// Not autoloaded: only token requests read it.
		add_option( self::SECRET_OPTION, self::generate_secret(), '', 'no' );
	}

	/**
	 * A new random secret, URL-safe.
	 *
	 * @return string 64 characters.
	 */
	public static function generate_secret() {
		return rtrim( strtr( base64_encode( random_bytes( 48 ) ), '+/', '-_' ), '=' ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
	}

	/**
	 * The shared secret, or an empty string when none is configured.
	 *
	 * @return string
	 */
	public static function secret() {
		if ( defined( 'CHATFLOWS_SERVICE_SECRET' ) ) {
			return (string) CHATFLOWS_SERVICE_SECRET;
		}
		return (string) get_option( self::SECRET_OPTION, '' );
	}

	/**
	 * A token the service accepts: issued by this site for one audience, signed with the shared secret.
	 *
	 * @param string $audience `aud` the service checks.
	 * @param array  $claims   The token's own claims.
	 * @param int    $lifetime Seconds the token stays valid.
	 * @return array|\WP_Error `token` and `expires_at` (ISO 8601, UTC), or why not.
	 */
	public static function sign_token( $audience, array $claims, $lifetime ) {
		$secret = self::secret();
		if ( '' === $secret ) {
			return new \WP_Error(
				'chatflows_no_secret',
				__( 'The chat service secret is not configured. Deactivate and activate Chatflows, or define CHATFLOWS_SERVICE_SECRET in wp-config.php.', 'chatflows' ),
				array( 'status' => 500 )
			);
		}
		$now     = time();
		$expires = $now + $lifetime;
		return array(
			'token'      => Jwt::sign(
				array_merge(
					array(
						'iss' => home_url(),
						'aud' => $audience,
					),
					$claims,
					array(
						'iat' => $now,
						'exp' => $expires,
					)
				),
				$secret
			),
			'expires_at' => gmdate( 'c', $expires ),
		);
	}

	/**
	 * Public URL of the chat service, without a trailing slash.
	 *
	 * @return string
	 */
	public static function url() {
		$url = defined( 'CHATFLOWS_SERVICE_URL' ) ? (string) CHATFLOWS_SERVICE_URL : (string) get_option( self::URL_OPTION, self::DEFAULT_URL );
		/**
		 * Filters the public URL of the Chatflows chat service.
		 *
		 * @param string $url Service URL.
		 */
		return untrailingslashit( (string) apply_filters( 'chatflows_service_url', $url ) );
	}
}
