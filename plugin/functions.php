<?php
/**
 * Functions for the site's own code.
 *
 * @package Chatflows
 */

defined( 'ABSPATH' ) || exit;

if ( ! function_exists( 'chatflows_identification_token' ) ) {
	/**
	 * Signs a short-lived identification token for one of the site's known
	 * contacts, to pass to the chat widget with the same address
	 * (`window.chatflowsSettings.identificationEmail` and
	 * `identificationToken`). Print it only into responses made for that
	 * person (never into a page a full-page cache may serve to others).
	 *
	 * @param string $email    The contact's e-mail address.
	 * @param string $name     The contact's name; '' when unknown.
	 * @param int    $lifetime Seconds the token stays valid (default 600, at most a day).
	 * @return array|WP_Error `token`, `email` and `expires_at`, or why not (an invalid e-mail names the field).
	 */
	function chatflows_identification_token( $email, $name = '', $lifetime = Chatflows\Identification::LIFETIME ) {
		return Chatflows\Identification::sign( $email, $name, $lifetime );
	}
}
