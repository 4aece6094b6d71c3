<?php
/**
 * Identification tokens: the service links a visitor who presents one to the
 * contact it names.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * Signs identification tokens with the secret WordPress shares with the
 * chat service. A token names one e-mail address and expires soon; pass it to
 * the widget with that address (`window.chatflowsSettings.identificationEmail`
 * and `identificationToken`), never in HTML a cache may serve to others.
 */
final class Identification {

	/** Audience the service requires. */
	const AUDIENCE = 'chatflows-identification';

	/** Seconds a token stays valid by default: enough to load the page and connect. */
	const LIFETIME = 600;

	/** Longest lifetime a caller may ask for. */
	const MAX_LIFETIME = DAY_IN_SECONDS;

	/**
	 * Signs a token for a contact.
	 *
	 * @param string $email    The contact's e-mail address.
	 * @param string $name     The contact's name, or ''.
	 * @param int    $lifetime Seconds the token stays valid (1 to a day).
	 * @return array|\WP_Error `token`, `email` and `expires_at` (ISO 8601, UTC), or why not.
	 */
	public static function sign( $email, $name = '', $lifetime = self::LIFETIME ) {
		$email = is_string( $email ) ? trim( $email ) : '';
		if ( '' === $email || strlen( $email ) > 254 || ! is_email( $email ) ) {
			return new \WP_Error(
				'chatflows_invalid_email',
				__( 'email: must be an e-mail address like name@example.com.', 'chatflows' ),
				array(
					'status' => 400,
					'field'  => 'email',
				)
			);
		}
		$lifetime = (int) $lifetime;
		if ( $lifetime < 1 || $lifetime > self::MAX_LIFETIME ) {
			return new \WP_Error(
				'chatflows_invalid_lifetime',
				/* translators: %d: the longest lifetime in seconds. */
				sprintf( __( 'lifetime: must be 1 to %d seconds.', 'chatflows' ), self::MAX_LIFETIME ),
				array(
					'status' => 400,
					'field'  => 'lifetime',
				)
			);
		}
		$signed = Service_Connection::sign_token(
			self::AUDIENCE,
			array(
				'email' => $email,
				'name'  => mb_substr( trim( wp_strip_all_tags( (string) $name ) ), 0, 250 ),
			),
			$lifetime
		);
		return is_wp_error( $signed ) ? $signed : array( 'email' => $email ) + $signed;
	}
}
