<?php
/**
 * Tells the chat service at once when a user's rights to answer chats change.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * An agent's open inbox connection was opened with a token that states their capabilities, teams and inboxes. When
 * any of these change (role, capabilities, team or inbox membership, removed from the site, deleted), the service is
 * sent the user's rights now, signed, to `POST {service}/v1/agents/access` (server/src/contract/agent-access.ts): it
 * re-scopes or ends that user's connections on every node, and refuses tokens signed before the change. Changes to
 * users are gathered during the request and sent once at its end; a service that is down misses the call, and the
 * token's short life (Rest_Agent_Token_Controller::LIFETIME) is then what cuts the agent off.
 */
final class Agent_Access {

	const PATH = '/v1/agents/access';

	/**
	 * Users whose rights may have changed in this request: ID => whether they could answer chats before.
	 *
	 * @var array<int,bool>
	 */
	private static $pending = array();

	/**
	 * Hooks every place WordPress changes a user's rights.
	 */
	public static function register() {
		// Before the change: what the user could do, so a user who loses the capability is told too.
		foreach ( array( 'add_user_metadata', 'update_user_metadata', 'delete_user_metadata' ) as $filter ) {
			add_filter( $filter, array( self::class, 'before_capabilities_change' ), 10, 3 );
		}
		foreach ( array( 'delete_user', 'wpmu_delete_user', 'remove_user_from_blog' ) as $action ) {
			add_action( $action, array( self::class, 'note' ) );
		}
		// Also after the change, for code paths that skip the filters above.
		foreach ( array( 'set_user_role', 'add_user_role', 'remove_user_role', 'profile_update', 'deleted_user' ) as $action ) {
			add_action( $action, array( self::class, 'note' ) );
		}
	}

	/**
	 * `{add,update,delete}_user_metadata`: notes the user before their capabilities (and so roles) change.
	 *
	 * @param mixed  $check    Short-circuit value, passed on untouched.
	 * @param int    $user_id  User ID.
	 * @param string $meta_key Meta key.
	 * @return mixed $check.
	 */
	public static function before_capabilities_change( $check, $user_id, $meta_key ) {
		global $wpdb;
		if ( $wpdb->get_blog_prefix() . 'capabilities' === $meta_key ) {
			self::note( $user_id );
		}
		return $check;
	}

	/**
	 * Notes a user whose rights may change, and sends their rights at the end of the request.
	 *
	 * @param int $user_id User ID.
	 */
	public static function note( $user_id ) {
		$user_id = (int) $user_id;
		if ( $user_id <= 0 ) {
			return;
		}
		if ( ! array_key_exists( $user_id, self::$pending ) ) {
			self::$pending[ $user_id ] = null !== self::rights_of( $user_id );
		}
		if ( ! has_action( 'shutdown', array( self::class, 'send_pending' ) ) ) {
			add_action( 'shutdown', array( self::class, 'send_pending' ) );
		}
	}

	/**
	 * Sends the rights of the users noted in this request who were or are agents (ordinary users cost nothing).
	 *
	 * @return array|\WP_Error|null The service's response; null when there was nothing to send.
	 */
	public static function send_pending() {
		$user_ids      = array();
		$pending       = self::$pending;
		self::$pending = array();
		foreach ( $pending as $user_id => $was_agent ) {
			if ( $was_agent || null !== self::rights_of( $user_id ) ) {
				$user_ids[] = $user_id;
			}
		}
		return $user_ids ? self::send( $user_ids ) : null;
	}

	/**
	 * Sends every agent's rights: after a team or inbox changed, which may change anyone's scope.
	 *
	 * @return array|\WP_Error|null The service's response; null when there are no agents.
	 */
	public static function send_all_agents() {
		$user_ids = array_map( 'intval', array_column( Directory::agents(), 'id' ) );
		return $user_ids ? self::send( $user_ids ) : null;
	}

	/**
	 * What a user may do in the inbox now, as their next agent token states it.
	 *
	 * @param int $user_id User ID.
	 * @return array|null `{ caps, teams, inboxes }`; null when the user may not answer chats on this site.
	 */
	public static function rights_of( $user_id ) {
		$user = get_userdata( $user_id );
		// Removed from the site (multisite): the site's capabilities go with it.
		if ( ! $user || ! $user->exists() || ! $user->has_cap( Capabilities::ANSWER ) ) {
			return null;
		}
		$team_ids = Directory::team_ids_of( $user->ID );
		return array(
			'caps'    => Capabilities::of_user( $user ),
			'teams'   => array_map( 'strval', $team_ids ),
			'inboxes' => array_map( 'strval', Directory::inbox_ids_of( $user->ID, $team_ids ) ),
		);
	}

	/**
	 * Sends the rights of some users, signed.
	 *
	 * @param int[] $user_ids User IDs.
	 * @return array|\WP_Error The service's response.
	 */
	private static function send( array $user_ids ) {
		$agents = array();
		foreach ( $user_ids as $user_id ) {
			$rights   = self::rights_of( $user_id );
			$agents[] = null === $rights
				? array(
					'userId'  => (string) $user_id,
					'revoked' => true,
				)
				: array( 'userId' => (string) $user_id ) + $rights;
		}
		return Service_Sync::signed_request(
			'POST',
			self::PATH,
			array(
				'changedAt' => time(),
				'agents'    => $agents,
			)
		);
	}
}
