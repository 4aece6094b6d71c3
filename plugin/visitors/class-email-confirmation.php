<?php
/**
 * The page a visitor's confirmation link opens.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * An address a visitor types in the chat is only a claim. The chat service asks WordPress (a signed
 * `email_confirmation` notification) to e-mail that address a link to this site:
 * `/?chatflows_confirm_email=<token>&chatflows_locale=<locale>`. The link opens a page here, in the
 * visitor's language, with a button; only pressing it (a POST with a nonce) sends the token, signed, to the
 * service, which then links the visitor to the contact of that address. A GET confirms nothing, so mail
 * scanners that fetch links cannot confirm someone else's claim. The token works once and expires after a
 * day; the service keeps only its hash.
 */
final class Email_Confirmation {

	/** Query and form field carrying the token. */
	const TOKEN_FIELD = 'chatflows_confirm_email';

	/** Query field carrying the language the e-mail was written in. */
	const LOCALE_FIELD = 'chatflows_locale';

	/** Nonce action of the confirmation form. */
	const NONCE_ACTION = 'chatflows_confirm_email';

	/** Where the service takes a confirmed token (`EMAIL_CONFIRMATION_PATH` in the service's contract). */
	const SERVICE_PATH = '/v1/email-confirmations';

	/** A token as the service makes it: 32 random bytes in base64url. */
	const TOKEN_PATTERN = '/^[A-Za-z0-9_-]{43}$/';

	/**
	 * Registers the page.
	 */
	public static function boot() {
		add_action( 'template_redirect', array( self::class, 'handle' ), 0 );
	}

	/**
	 * The link e-mailed to the address.
	 *
	 * @param string $token  The service's token.
	 * @param string $locale The installed locale the e-mail is written in.
	 * @return string
	 */
	public static function link( $token, $locale ) {
		return add_query_arg(
			array(
				self::TOKEN_FIELD  => rawurlencode( $token ),
				self::LOCALE_FIELD => rawurlencode( $locale ),
			),
			home_url( '/' )
		);
	}

	/**
	 * Whether a string is a token the service could have made.
	 *
	 * @param mixed $token Value.
	 * @return bool
	 */
	public static function is_token( $token ) {
		return is_string( $token ) && 1 === preg_match( self::TOKEN_PATTERN, $token );
	}

	/**
	 * `template_redirect`: shows the confirmation page, or confirms when its button was pressed.
	 */
	public static function handle() {
		// phpcs:disable WordPress.Security.NonceVerification -- the form's nonce is checked below before anything is written.
		$posted = isset( $_SERVER['REQUEST_METHOD'] ) && 'POST' === $_SERVER['REQUEST_METHOD'];
		$source = $posted ? $_POST : $_GET;
		if ( ! isset( $source[ self::TOKEN_FIELD ] ) ) {
			return;
		}
		$token  = sanitize_text_field( wp_unslash( $source[ self::TOKEN_FIELD ] ) );
		$locale = isset( $_GET[ self::LOCALE_FIELD ] ) ? sanitize_text_field( wp_unslash( $_GET[ self::LOCALE_FIELD ] ) ) : '';
		$nonce  = isset( $_POST['_wpnonce'] ) ? sanitize_text_field( wp_unslash( $_POST['_wpnonce'] ) ) : '';
		// phpcs:enable WordPress.Security.NonceVerification

		if ( in_array( $locale, get_available_languages(), true ) ) {
			switch_to_locale( $locale );
		}
		nocache_headers();
		if ( ! headers_sent() ) {
			// The token is in the address: it must not leave in a Referer header, nor be indexed.
			header( 'Referrer-Policy: no-referrer' );
			header( 'X-Robots-Tag: noindex, nofollow' );
		}

		if ( ! self::is_token( $token ) ) {
			self::page( self::paragraph( __( 'This confirmation link is not complete. Open it from the e-mail again.', 'chatflows' ) ), 400 );
		}
		if ( ! $posted ) {
			self::page( self::form( $token ), 200 );
		}
		if ( ! wp_verify_nonce( $nonce, self::NONCE_ACTION ) ) {
			self::page( self::paragraph( __( 'This page has expired. Open the link in the e-mail again.', 'chatflows' ) ), 403 );
		}
		$result = self::confirm( $token );
		self::page( self::paragraph( $result['message'] ), $result['status'] );
	}

	/**
	 * Sends the token to the service.
	 *
	 * @param string $token The token.
	 * @return array `status` and `message` for the page.
	 */
	public static function confirm( $token ) {
		$response = Service_Sync::signed_request( 'POST', self::SERVICE_PATH, array( 'token' => $token ), 10 );
		$code     = is_wp_error( $response ) ? 0 : (int) wp_remote_retrieve_response_code( $response );
		if ( 200 === $code ) {
			return array(
				'status'  => 200,
				'message' => __( 'Thank you: your e-mail address is confirmed. The team now sees that the chat is yours.', 'chatflows' ),
			);
		}
		if ( 410 === $code ) {
			return array(
				'status'  => 410,
				'message' => __( 'This link has expired or was already used. To get a new one, give your e-mail address in the chat again.', 'chatflows' ),
			);
		}
		return array(
			'status'  => 503,
			'message' => __( 'The chat could not confirm your e-mail address just now. Please open the link again later.', 'chatflows' ),
		);
	}

	/**
	 * The form with the button.
	 *
	 * @param string $token The token.
	 * @return string HTML.
	 */
	private static function form( $token ) {
		return '<p>' . esc_html__( 'Someone, hopefully you, gave this e-mail address in the chat on this site. Confirm it to let the team see that the chat is yours.', 'chatflows' ) . '</p>'
			. '<form method="post">'
			. '<input type="hidden" name="' . esc_attr( self::TOKEN_FIELD ) . '" value="' . esc_attr( $token ) . '" />'
			. wp_nonce_field( self::NONCE_ACTION, '_wpnonce', false, false )
			. '<p><button type="submit" class="button">' . esc_html__( 'Confirm my e-mail address', 'chatflows' ) . '</button></p>'
			. '</form>'
			. '<p>' . esc_html__( 'If it was not you, close this page: nothing is linked to your address.', 'chatflows' ) . '</p>';
	}

	/**
	 * Text as an HTML paragraph.
	 *
	 * @param string $text Plain text.
	 * @return string
	 */
	private static function paragraph( $text ) {
		return '<p>' . esc_html( $text ) . '</p>';
	}

	/**
	 * Prints the page and stops.
	 *
	 * @param string $html   Body, escaped.
	 * @param int    $status HTTP status.
	 */
	private static function page( $html, $status ) {
		wp_die(
			$html, // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- built escaped.
			esc_html__( 'Confirm your e-mail address', 'chatflows' ),
			array( 'response' => (int) $status )
		);
	}
}
