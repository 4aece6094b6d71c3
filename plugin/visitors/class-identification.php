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
 *
 * What a token vouches for: the service links the visitor to the contact of
 * its `email`, with that contact's history, so the address must be one the
 * signer knows belongs to the person. For a logged-in user (`for_user()`) the
 * token vouches for the user (`sub`, their id) and carries `email` only when
 * WordPress confirmed that address: the one the account was created with, a
 * change made through core's confirmation link (`_new_email`, the profile
 * screen), or a change made by someone else who may edit the user (an
 * administrator) or by the site's code with nobody logged in. A user who
 * changes their own address without confirmation (e.g. `POST /wp/v2/users/me`)
 * keeps their last confirmed address, and a token for the new one carries none.
 */
final class Identification {

	/** Audience the service requires. */
	const AUDIENCE = 'chatflows-identification';

	/** Seconds a token stays valid by default: enough to load the page and connect. */
	const LIFETIME = 600;

	/** Longest lifetime a caller may ask for. */
	const MAX_LIFETIME = DAY_IN_SECONDS;

	/** User meta: the user's e-mail address WordPress last confirmed. */
	const CONFIRMED_META = 'chatflows_confirmed_email';

	/**
	 * Registers the hooks that note confirmed addresses.
	 */
	public static function boot() {
		add_action( 'user_register', array( self::class, 'on_register' ) );
		add_action( 'profile_update', array( self::class, 'on_profile_update' ), 10, 2 );
	}

	/**
	 * A new account's address is confirmed: self-registration e-mails it the link to set a password, and
	 * an administrator or the site's code made the others.
	 *
	 * @param int $user_id The new user.
	 */
	public static function on_register( $user_id ) {
		$user = get_userdata( $user_id );
		if ( $user ) {
			update_user_meta( $user->ID, self::CONFIRMED_META, $user->user_email );
		}
	}

	/**
	 * Notes a changed address when the change was confirmed (see the class comment).
	 *
	 * @param int      $user_id       The user.
	 * @param \WP_User $old_user_data The user before the change.
	 */
	public static function on_profile_update( $user_id, $old_user_data = null ) {
		$user = get_userdata( $user_id );
		if ( ! $user || ! $old_user_data instanceof \WP_User || 0 === strcasecmp( $old_user_data->user_email, $user->user_email ) ) {
			return;
		}
		if ( self::change_is_confirmed( $user ) ) {
			update_user_meta( $user->ID, self::CONFIRMED_META, $user->user_email );
		}
	}

	/**
	 * Whether the address a user was just given is vouched for.
	 *
	 * @param \WP_User $user The user, with the new address.
	 * @return bool
	 */
	private static function change_is_confirmed( \WP_User $user ) {
		$current = get_current_user_id();
		if ( $current !== $user->ID ) {
			// Someone who may edit this user (an administrator), or the site's code with nobody logged in.
			return 0 === $current || current_user_can( 'edit_user', $user->ID );
		}
		// The user's own change counts only as core's confirmation link (profile.php?newuseremail=<hash>),
		// which went to the new address; core deletes `_new_email` after this hook.
		$pending = get_user_meta( $user->ID, '_new_email', true );
		$hash    = isset( $_GET['newuseremail'] ) ? sanitize_text_field( wp_unslash( $_GET['newuseremail'] ) ) : ''; // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- the hash is the proof; core checks it too.
		return '' !== $hash
			&& is_array( $pending )
			&& isset( $pending['hash'], $pending['newemail'] )
			&& hash_equals( (string) $pending['hash'], $hash )
			&& 0 === strcasecmp( trim( (string) $pending['newemail'] ), $user->user_email );
	}

	/**
	 * The user's address if WordPress confirmed it, else ''.
	 *
	 * @param \WP_User $user The user.
	 * @return string
	 */
	public static function confirmed_email( \WP_User $user ) {
		$confirmed = (string) get_user_meta( $user->ID, self::CONFIRMED_META, true );
		return '' !== $confirmed && 0 === strcasecmp( $confirmed, $user->user_email ) ? $user->user_email : '';
	}

	/**
	 * Signs a token for a logged-in user: it vouches for the user, and for their address only when WordPress
	 * confirmed it.
	 *
	 * @param \WP_User $user The user.
	 * @return array|\WP_Error `token`, `email` (null when not confirmed) and `expires_at`, or why not.
	 */
	public static function for_user( \WP_User $user ) {
		$email  = self::confirmed_email( $user );
		$claims = array(
			'sub'  => (string) $user->ID,
			'name' => self::plain_name( $user->display_name ),
		);
		if ( '' !== $email ) {
			$claims['email'] = $email;
		}
		$signed = Service_Connection::sign_token( self::AUDIENCE, $claims, self::LIFETIME );
		return is_wp_error( $signed ) ? $signed : array( 'email' => '' !== $email ? $email : null ) + $signed;
	}

	/**
	 * A name as the token carries it: plain text, at most 250 characters.
	 *
	 * @param string $name Name.
	 * @return string
	 */
	private static function plain_name( $name ) {
		return mb_substr( trim( wp_strip_all_tags( (string) $name ) ), 0, 250 );
	}

	/**
	 * Signs a token for a contact, vouching for the address: call it only for an address your site knows
	 * belongs to that person (e.g. one it confirmed).
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
				'name'  => self::plain_name( $name ),
			),
			$lifetime
		);
		return is_wp_error( $signed ) ? $signed : array( 'email' => $email ) + $signed;
	}
}
