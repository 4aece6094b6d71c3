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
 * signed, whenever the counts change (within seconds; see
 * `Rest_Waiting_Counts_Controller`). WordPress keeps them in one autoloaded
 * option, so showing the count on every admin page costs no query and no call
 * to the service.
 */
final class Inbox_Waiting_Counts {

	const OPTION = 'chatflows_waiting_counts';

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
