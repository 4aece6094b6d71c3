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
