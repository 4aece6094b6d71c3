<?php
/**
 * The count of conversations waiting for each agent, shown in the admin menu.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * The chat service knows who waits for whom; it sends each agent's count,
 * signed, whenever the counts change (within seconds). WordPress keeps them in
 * one autoloaded option, so showing the count on every admin page costs no
 * query and no call to the service.
 */
final class Inbox_Waiting_Counts {

	const NAMESPACE_NAME = 'chatflows/v1';

	const OPTION = 'chatflows_waiting_counts';

	/** Most agents one request may carry. */
	const MAX_AGENTS = 10000;

	/** Highest count accepted for one agent. */
	const MAX_COUNT = 1000000;

	/**
	 * Registers `PUT chatflows/v1/service/waiting-counts`, for the service only.
	 */
	public function register_routes() {
		register_rest_route(
			self::NAMESPACE_NAME,
			'/service/waiting-counts',
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
		update_option( self::OPTION, $clean, true );
		return rest_ensure_response( array( 'stored' => count( $counts ) ) );
	}

	/**
	 * Conversations waiting for a user, as the service last said.
	 *
	 * @param int $user_id User ID.
	 * @return int
	 */
	public static function for_user( $user_id ) {
		$counts = get_option( self::OPTION, array() );
		$key    = (string) (int) $user_id;
		return is_array( $counts ) && isset( $counts[ $key ] ) ? max( 0, (int) $counts[ $key ] ) : 0;
	}

	/**
	 * The bubble beside a menu item, as WordPress draws its own counts; the
	 * inbox updates it live (`chatflows-waiting-count`). Always present, hidden
	 * at zero by WordPress's `count-0` style.
	 *
	 * @param int $count Conversations waiting.
	 * @return string HTML.
	 */
	public static function bubble( $count ) {
		$count = max( 0, (int) $count );
		return sprintf(
			' <span class="awaiting-mod chatflows-waiting-count count-%1$d"><span class="pending-count" aria-hidden="true">%2$s</span><span class="screen-reader-text">%3$s</span></span>',
			$count,
			esc_html( number_format_i18n( $count ) ),
			esc_html(
				sprintf(
					/* translators: %s: number of conversations. */
					_n( '%s conversation waiting for you', '%s conversations waiting for you', $count, 'chatflows' ),
					number_format_i18n( $count )
				)
			)
		);
	}
}
