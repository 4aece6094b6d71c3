<?php
/**
 * REST route by which the chat service sends the count of conversations waiting for each agent.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * `PUT chatflows/v1/service/waiting-counts`, for the service only (signed): the counts the admin menu shows
 * (`Inbox_Waiting_Counts`).
 */
final class Rest_Waiting_Counts_Controller extends Rest_Controller {

	/** Most agents one request may carry. */
	const MAX_AGENTS = 10000;

	/** Highest count accepted for one agent. */
	const MAX_COUNT = 1000000;

	/**
	 * The routes' base.
	 *
	 * @var string
	 */
	protected $rest_base = 'service/waiting-counts';

	/**
	 * Registers `PUT chatflows/v1/service/waiting-counts`, for the service only.
	 */
	public function register_routes() {
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base,
			array(
				'methods'             => 'PUT',
				'callback'            => array( $this, 'store' ),
				'permission_callback' => array( Service_Sync::class, 'verify_request' ),
			)
		);
	}

	/**
	 * Replaces the stored counts with `{ "counts": { "<user id>": <count>, … } }`.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function store( $request ) {
		$body   = json_decode( (string) $request->get_body(), true );
		$counts = is_array( $body ) && isset( $body['counts'] ) && is_array( $body['counts'] ) ? $body['counts'] : null;
		if ( null === $counts || count( $counts ) > self::MAX_AGENTS ) {
			return Rest_Chatflows_Controller::invalid(
				array( 'counts' => __( 'counts must be an object of user IDs and whole numbers.', 'chatflows' ) )
			);
		}
		$errors = array();
		$clean  = array();
		foreach ( $counts as $user_id => $count ) {
			if ( ! preg_match( '/^[1-9][0-9]{0,19}$/', (string) $user_id ) || ! is_int( $count ) || $count < 0 || $count > self::MAX_COUNT ) {
				/* translators: %s: a user ID as sent. */
				$errors[ 'counts.' . $user_id ] = sprintf( __( 'The count of user %s must be a whole number from 0.', 'chatflows' ), (string) $user_id );
				continue;
			}
			if ( $count > 0 ) {
				$clean[ (string) $user_id ] = $count;
			}
		}
		if ( $errors ) {
			return Rest_Chatflows_Controller::invalid( $errors );
		}
		// Autoloaded: the admin menu reads it on every page.
		update_option( Inbox_Waiting_Counts::OPTION, $clean, true );
		return rest_ensure_response( array( 'stored' => count( $counts ) ) );
	}
}
