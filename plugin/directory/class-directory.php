<?php
/**
 * Teams, inboxes and agents' capacity.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * Teams and inboxes are non-public post types (title = name, members in post meta): a handful per site,
 * removed with their meta by deleting the posts. An agent's capacity is user meta.
 *
 * An inbox lists agents and teams; an inbox that lists nobody (like the default inbox created on
 * activation) holds every agent.
 */
final class Directory {

	const TEAM_POST_TYPE  = 'chatflows_team';
	const INBOX_POST_TYPE = 'chatflows_inbox';

	/** Team meta: member user IDs. */
	const MEMBERS_META = '_chatflows_member_ids';
	/** Inbox meta: agent user IDs and team IDs. */
	const INBOX_AGENTS_META = '_chatflows_agent_ids';
	const INBOX_TEAMS_META  = '_chatflows_team_ids';

	/** Option: ID of the default inbox. */
	const DEFAULT_INBOX_OPTION = 'chatflows_default_inbox';

	/** User meta: the most open conversations the agent takes at once. */
	const CAPACITY_META    = 'chatflows_capacity';
	const DEFAULT_CAPACITY = 5;
	const MIN_CAPACITY     = 1;
	const MAX_CAPACITY     = 100;

	const MAX_NAME_LENGTH = 100;

	/**
	 * Registers the post types.
	 */
	public static function register() {
		foreach ( array(
			self::TEAM_POST_TYPE  => __( 'Chat teams', 'chatflows' ),
			self::INBOX_POST_TYPE => __( 'Chat inboxes', 'chatflows' ),
		) as $post_type => $label ) {
			register_post_type(
				$post_type,
				array(
					'label'        => $label,
					'public'       => false,
					'show_ui'      => false,
					'show_in_rest' => false,
					'rewrite'      => false,
					'query_var'    => false,
					'supports'     => array( 'title' ),
				)
			);
		}
	}

	/**
	 * Creates the default inbox when there is none.
	 *
	 * @return int Its ID.
	 */
	public static function ensure_default_inbox() {
		$id = (int) get_option( self::DEFAULT_INBOX_OPTION, 0 );
		if ( $id && self::INBOX_POST_TYPE === get_post_type( $id ) ) {
			// Versions before 0.2 named it "Inbox", a name the admin also gives the inbox page and the
			// chatflow's inbox field: it takes the one name the admin uses for it, unless renamed since.
			if ( 'Inbox' === get_post_field( 'post_title', $id ) ) {
				wp_update_post(
					array(
						'ID'         => $id,
						'post_title' => __( 'Default inbox', 'chatflows' ),
					)
				);
			}
			return $id;
		}
		$id = wp_insert_post(
			array(
				'post_type'   => self::INBOX_POST_TYPE,
				'post_status' => 'publish',
				'post_title'  => __( 'Default inbox', 'chatflows' ),
			)
		);
		update_option( self::DEFAULT_INBOX_OPTION, (int) $id, false );
		return (int) $id;
	}

	/**
	 * A team.
	 *
	 * @param int $id Team ID.
	 * @return array|null `{ id, name, memberIds }`.
	 */
	public static function team( $id ) {
		$post = $id > 0 ? get_post( $id ) : null;
		if ( ! $post || self::TEAM_POST_TYPE !== $post->post_type ) {
			return null;
		}
		return array(
			'id'        => $post->ID,
			'name'      => $post->post_title,
			'memberIds' => self::ids( get_post_meta( $post->ID, self::MEMBERS_META, true ) ),
		);
	}

	/**
	 * Every team, by name.
	 *
	 * @return array[]
	 */
	public static function teams() {
		return array_map( array( self::class, 'team' ), self::post_ids( self::TEAM_POST_TYPE ) );
	}

	/**
	 * Creates or updates a team. Validate first with validate_team().
	 *
	 * @param array $fields `{ name, memberIds }`.
	 * @param int   $id     Team to update; 0 to create.
	 * @return int Team ID.
	 */
	public static function save_team( array $fields, $id = 0 ) {
		$postarr = array(
			'ID'          => $id,
			'post_type'   => self::TEAM_POST_TYPE,
			'post_status' => 'publish',
		);
		if ( isset( $fields['name'] ) ) {
			$postarr['post_title'] = $fields['name'];
		}
		if ( isset( $fields['memberIds'] ) ) {
			$postarr['meta_input'] = array( self::MEMBERS_META => self::ids( $fields['memberIds'] ) );
		}
		return (int) ( $id ? wp_update_post( wp_slash( $postarr ) ) : wp_insert_post( wp_slash( $postarr ) ) );
	}

	/**
	 * Messages by field for a team's fields.
	 *
	 * @param array $fields   Fields from a request.
	 * @param bool  $creating Whether the name is required.
	 * @return array<string,string>
	 */
	public static function validate_team( array $fields, $creating ) {
		$errors = self::validate_name( $fields, $creating );
		if ( array_key_exists( 'memberIds', $fields ) ) {
			$errors += self::validate_user_ids( $fields['memberIds'], 'memberIds' );
		}
		return $errors;
	}

	/**
	 * Deletes a team and removes it from inboxes.
	 *
	 * @param int $id Team ID.
	 */
	public static function delete_team( $id ) {
		foreach ( self::post_ids( self::INBOX_POST_TYPE ) as $inbox_id ) {
			$team_ids = self::ids( get_post_meta( $inbox_id, self::INBOX_TEAMS_META, true ) );
			if ( in_array( $id, $team_ids, true ) ) {
				update_post_meta( $inbox_id, self::INBOX_TEAMS_META, array_values( array_diff( $team_ids, array( $id ) ) ) );
			}
		}
		wp_delete_post( $id, true );
	}

	/**
	 * An inbox.
	 *
	 * @param int $id Inbox ID.
	 * @return array|null `{ id, name, agentIds, teamIds, isDefault }`.
	 */
	public static function inbox( $id ) {
		$post = $id > 0 ? get_post( $id ) : null;
		if ( ! $post || self::INBOX_POST_TYPE !== $post->post_type ) {
			return null;
		}
		return array(
			'id'        => $post->ID,
			'name'      => $post->post_title,
			'agentIds'  => self::ids( get_post_meta( $post->ID, self::INBOX_AGENTS_META, true ) ),
			'teamIds'   => self::ids( get_post_meta( $post->ID, self::INBOX_TEAMS_META, true ) ),
			'isDefault' => (int) get_option( self::DEFAULT_INBOX_OPTION, 0 ) === $post->ID,
		);
	}

	/**
	 * Every inbox, by name.
	 *
	 * @return array[]
	 */
	public static function inboxes() {
		self::ensure_default_inbox();
		return array_map( array( self::class, 'inbox' ), self::post_ids( self::INBOX_POST_TYPE ) );
	}

	/**
	 * Messages by field for an inbox's fields.
	 *
	 * @param array $fields   Fields from a request.
	 * @param bool  $creating Whether the name is required.
	 * @return array<string,string>
	 */
	public static function validate_inbox( array $fields, $creating ) {
		$errors = self::validate_name( $fields, $creating );
		if ( array_key_exists( 'agentIds', $fields ) ) {
			$errors += self::validate_user_ids( $fields['agentIds'], 'agentIds' );
		}
		if ( array_key_exists( 'teamIds', $fields ) ) {
			if ( ! is_array( $fields['teamIds'] ) ) {
				$errors['teamIds'] = __( 'teamIds must be a list of team IDs.', 'chatflows' );
			} else {
				foreach ( array_values( $fields['teamIds'] ) as $index => $team_id ) {
					if ( ! is_numeric( $team_id ) || ! self::team( (int) $team_id ) ) {
						$errors[ "teamIds[{$index}]" ] = __( 'This team does not exist.', 'chatflows' );
					}
				}
			}
		}
		return $errors;
	}

	/**
	 * Creates or updates an inbox. Validate first with validate_inbox().
	 *
	 * @param array $fields `{ name, agentIds, teamIds }`.
	 * @param int   $id     Inbox to update; 0 to create.
	 * @return int Inbox ID.
	 */
	public static function save_inbox( array $fields, $id = 0 ) {
		$postarr = array(
			'ID'          => $id,
			'post_type'   => self::INBOX_POST_TYPE,
			'post_status' => 'publish',
			'meta_input'  => array(),
		);
		if ( isset( $fields['name'] ) ) {
			$postarr['post_title'] = $fields['name'];
		}
		if ( isset( $fields['agentIds'] ) ) {
			$postarr['meta_input'][ self::INBOX_AGENTS_META ] = self::ids( $fields['agentIds'] );
		}
		if ( isset( $fields['teamIds'] ) ) {
			$postarr['meta_input'][ self::INBOX_TEAMS_META ] = self::ids( $fields['teamIds'] );
		}
		return (int) ( $id ? wp_update_post( wp_slash( $postarr ) ) : wp_insert_post( wp_slash( $postarr ) ) );
	}

	/**
	 * Agents: users who may answer chats.
	 *
	 * @return array[] `{ id, name, avatarUrl, capacity, teamIds, inboxIds }`, by name.
	 */
	public static function agents() {
		$users   = get_users(
			array(
				'capability' => Capabilities::ANSWER,
				'orderby'    => 'display_name',
				'fields'     => 'all',
			)
		);
		$teams   = self::teams();
		$inboxes = self::inboxes();
		return array_map(
			static function ( \WP_User $user ) use ( $teams, $inboxes ) {
				return self::agent_entry( $user, $teams, $inboxes );
			},
			$users
		);
	}

	/**
	 * One agent.
	 *
	 * @param int $user_id User ID.
	 * @return array|null Null when the user may not answer chats.
	 */
	public static function agent( $user_id ) {
		$user = self::agent_user( $user_id );
		return $user ? self::agent_entry( $user, self::teams(), self::inboxes() ) : null;
	}

	/**
	 * The user behind an agent ID, when that user may answer chats.
	 *
	 * @param int $user_id User ID.
	 * @return \WP_User|null
	 */
	public static function agent_user( $user_id ) {
		$user = $user_id > 0 ? get_userdata( $user_id ) : false;
		return $user && $user->has_cap( Capabilities::ANSWER ) ? $user : null;
	}

	/**
	 * A user's avatar, as WordPress's own screens show it; '' when the site shows no avatars.
	 *
	 * @param int $user_id User ID.
	 * @return string URL.
	 */
	public static function avatar_url( $user_id ) {
		if ( ! get_option( 'show_avatars' ) ) {
			return '';
		}
		$url = get_avatar_url( $user_id, array( 'size' => 96 ) );
		return $url ? $url : '';
	}

	/**
	 * An agent's directory entry.
	 *
	 * @param \WP_User $user    User.
	 * @param array[]  $teams   Every team.
	 * @param array[]  $inboxes Every inbox.
	 * @return array
	 */
	private static function agent_entry( \WP_User $user, array $teams, array $inboxes ) {
		$team_ids = self::team_ids_of( $user->ID, $teams );
		return array(
			'id'        => $user->ID,
			'name'      => $user->display_name,
			'avatarUrl' => self::avatar_url( $user->ID ),
			'capacity'  => self::capacity( $user->ID ),
			'teamIds'   => $team_ids,
			'inboxIds'  => self::inbox_ids_of( $user->ID, $team_ids, $inboxes ),
		);
	}

	/**
	 * Teams a user belongs to.
	 *
	 * @param int          $user_id User ID.
	 * @param array[]|null $teams   Every team, when already loaded.
	 * @return int[]
	 */
	public static function team_ids_of( $user_id, $teams = null ) {
		$ids = array();
		foreach ( null === $teams ? self::teams() : $teams as $team ) {
			if ( in_array( (int) $user_id, $team['memberIds'], true ) ) {
				$ids[] = $team['id'];
			}
		}
		return $ids;
	}

	/**
	 * Inboxes an agent works in: those listing the agent or one of the agent's teams, and those listing nobody.
	 *
	 * @param int          $user_id  User ID.
	 * @param int[]        $team_ids The user's teams.
	 * @param array[]|null $inboxes  Every inbox, when already loaded.
	 * @return int[]
	 */
	public static function inbox_ids_of( $user_id, array $team_ids, $inboxes = null ) {
		$ids = array();
		foreach ( null === $inboxes ? self::inboxes() : $inboxes as $inbox ) {
			$open_to_all = ! $inbox['agentIds'] && ! $inbox['teamIds'];
			if ( $open_to_all || in_array( (int) $user_id, $inbox['agentIds'], true ) || array_intersect( $team_ids, $inbox['teamIds'] ) ) {
				$ids[] = $inbox['id'];
			}
		}
		return $ids;
	}

	/**
	 * An agent's capacity.
	 *
	 * @param int $user_id User ID.
	 * @return int
	 */
	public static function capacity( $user_id ) {
		$stored = get_user_meta( $user_id, self::CAPACITY_META, true );
		return '' === $stored ? self::DEFAULT_CAPACITY : (int) $stored;
	}

	/**
	 * Validates a name field.
	 *
	 * @param array $fields   Fields.
	 * @param bool  $required Whether it must be present.
	 * @return array<string,string>
	 */
	private static function validate_name( array $fields, $required ) {
		if ( ! array_key_exists( 'name', $fields ) ) {
			return $required ? array( 'name' => __( 'Enter a name.', 'chatflows' ) ) : array();
		}
		if ( ! is_string( $fields['name'] ) || '' === trim( $fields['name'] ) ) {
			return array( 'name' => __( 'Enter a name.', 'chatflows' ) );
		}
		if ( mb_strlen( $fields['name'] ) > self::MAX_NAME_LENGTH ) {
			/* translators: %d: most characters. */
			return array( 'name' => sprintf( __( 'The name must be at most %d characters long.', 'chatflows' ), self::MAX_NAME_LENGTH ) );
		}
		return array();
	}

	/**
	 * Validates a list of agents' user IDs.
	 *
	 * @param mixed  $ids   Value.
	 * @param string $field Field name.
	 * @return array<string,string>
	 */
	private static function validate_user_ids( $ids, $field ) {
		if ( ! is_array( $ids ) ) {
			/* translators: %s: field name. */
			return array( $field => sprintf( __( '%s must be a list of user IDs.', 'chatflows' ), $field ) );
		}
		$errors = array();
		foreach ( array_values( $ids ) as $index => $user_id ) {
			$user = is_numeric( $user_id ) ? get_userdata( (int) $user_id ) : false;
			if ( ! $user || ! $user->has_cap( Capabilities::ANSWER ) ) {
				$errors[ "{$field}[{$index}]" ] = __( 'This user does not exist or may not answer chats.', 'chatflows' );
			}
		}
		return $errors;
	}

	/**
	 * Unique positive integers.
	 *
	 * @param mixed $ids Value.
	 * @return int[]
	 */
	private static function ids( $ids ) {
		return is_array( $ids ) ? array_values( array_unique( array_filter( array_map( 'intval', $ids ) ) ) ) : array();
	}

	/**
	 * IDs of every post of a type, by title.
	 *
	 * @param string $post_type Post type.
	 * @return int[]
	 */
	private static function post_ids( $post_type ) {
		return array_map(
			'intval',
			get_posts(
				array(
					'post_type'      => $post_type,
					'post_status'    => 'publish',
					'posts_per_page' => -1,
					'orderby'        => 'title',
					'order'          => 'ASC',
					'fields'         => 'ids',
					'no_found_rows'  => true,
				)
			)
		);
	}
}
