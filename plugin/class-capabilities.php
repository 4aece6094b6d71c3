<?php
/**
 * Capabilities and the agent role.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * `chatflows_manage` edits chatflows; `chatflows_answer` answers chats.
 */
final class Capabilities {

	const MANAGE     = 'chatflows_manage';
	const ANSWER     = 'chatflows_answer';
	const AGENT_ROLE = 'chatflows_agent';

	/**
	 * Gives administrators both capabilities and adds the "Chat agent" role.
	 */
	public static function install() {
		$administrator = get_role( 'administrator' );
		if ( $administrator ) {
			$administrator->add_cap( self::MANAGE );
			$administrator->add_cap( self::ANSWER );
		}

		if ( ! get_role( self::AGENT_ROLE ) ) {
			add_role(
				self::AGENT_ROLE,
				/* translators: Name of the user role that may answer chats. */
				__( 'Chat agent', 'chatflows' ),
				array(
					'read'       => true,
					self::ANSWER => true,
				)
			);
		}
	}

	/**
	 * REST permission callback of every route that manages chatflows, teams and inboxes.
	 *
	 * @return true|\WP_Error
	 */
	public static function rest_check_manage() {
		if ( current_user_can( self::MANAGE ) ) {
			return true;
		}
		return new \WP_Error(
			'chatflows_cannot_manage',
			__( 'Sorry, you are not allowed to manage chatflows.', 'chatflows' ),
			array( 'status' => rest_authorization_required_code() )
		);
	}

	/**
	 * The Chatflows capabilities a user has, for the agent token.
	 *
	 * @param \WP_User $user The user.
	 * @return string[]
	 */
	public static function of_user( \WP_User $user ) {
		return array_values(
			array_filter(
				array( self::MANAGE, self::ANSWER ),
				static function ( $capability ) use ( $user ) {
					return $user->has_cap( $capability );
				}
			)
		);
	}
}
