<?php
/**
 * Saved replies: texts agents insert into a reply with `/` in the inbox.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * A saved reply is a post of a non-public post type (title = internal name, content = the text, plain), with
 * its shortcut, language and scope in post meta. A handful to a few hundred per site, edited rarely and read
 * whole by the inbox: posts fit, need no table of their own and go with their meta when deleted.
 *
 * Scopes: `everyone` (every agent), `inbox` (the agents of one inbox), `personal` (only its owner, the post's
 * author). Managers (`chatflows_manage`) edit the shared ones; every agent edits their own personal ones and
 * nobody else's.
 */
final class Saved_Replies {

	const POST_TYPE = 'chatflows_reply'; // Post type names have at most 20 characters.

	const SHORTCUT_META = '_chatflows_shortcut';
	const LANGUAGE_META = '_chatflows_language';
	const SCOPE_META    = '_chatflows_scope';
	const INBOX_META    = '_chatflows_inbox_id';

	const SCOPES = array( 'everyone', 'inbox', 'personal' );

	const MAX_NAME_LENGTH     = 100;
	const MAX_SHORTCUT_LENGTH = 30;
	/** The chat service's longest message (`MAX_MESSAGE_LENGTH` in the protocol package). */
	const MAX_TEXT_LENGTH = 5000;

	/**
	 * The variables a text may hold, filled when the agent inserts it. The inbox's list
	 * (`admin/src/saved-replies/variables.ts`) is held equal to this one by its unit test.
	 */
	const VARIABLES = array( 'visitor_name', 'visitor_email', 'agent_name', 'site_name', 'page_url' );

	/**
	 * Registers the post type.
	 */
	public static function register() {
		register_post_type(
			self::POST_TYPE,
			array(
				'label'            => __( 'Saved replies', 'chatflows' ),
				'public'           => false,
				'show_ui'          => false,
				'show_in_rest'     => false,
				'rewrite'          => false,
				'query_var'        => false,
				'supports'         => array( 'title', 'editor' ),
				// WordPress would delete shared replies with the manager who wrote them: delete_personal_of() does it for personal ones only.
				'delete_with_user' => false,
			)
		);
	}

	/**
	 * A saved reply as the REST API answers it, for a user.
	 *
	 * @param int $id      Post ID.
	 * @param int $user_id Who asks (for `editable`).
	 * @return array|null `{ id, name, shortcut, text, language, scope, inboxId, ownerId, editable }`; null when
	 *                    it is not a saved reply.
	 */
	public static function get( $id, $user_id ) {
		$post = $id > 0 ? get_post( $id ) : null;
		if ( ! $post || self::POST_TYPE !== $post->post_type || 'publish' !== $post->post_status ) {
			return null;
		}
		$scope             = (string) get_post_meta( $post->ID, self::SCOPE_META, true );
		$reply             = array(
			'id'       => $post->ID,
			'name'     => $post->post_title,
			'shortcut' => (string) get_post_meta( $post->ID, self::SHORTCUT_META, true ),
			'text'     => $post->post_content,
			'language' => (string) get_post_meta( $post->ID, self::LANGUAGE_META, true ),
			'scope'    => in_array( $scope, self::SCOPES, true ) ? $scope : 'personal',
			'inboxId'  => (int) get_post_meta( $post->ID, self::INBOX_META, true ),
			'ownerId'  => 'personal' === $scope ? (int) $post->post_author : 0,
		);
		$reply['editable'] = self::can_edit( $reply, $user_id );
		return $reply;
	}

	/**
	 * The saved replies a user may see: the shared ones they work with (managers: all of them) and their own
	 * personal ones. By shortcut, then language.
	 *
	 * @param int $user_id User ID.
	 * @return array[]
	 */
	public static function visible_to( $user_id ) {
		$replies = array();
		foreach ( self::ids() as $id ) {
			$reply = self::get( (int) $id, $user_id );
			if ( $reply && self::can_see( $reply, $user_id ) ) {
				$replies[] = $reply;
			}
		}
		usort(
			$replies,
			static function ( $a, $b ) {
				return array( $a['shortcut'], $a['language'], $a['id'] ) <=> array( $b['shortcut'], $b['language'], $b['id'] );
			}
		);
		return $replies;
	}

	/**
	 * Whether a user may see (and use) a saved reply.
	 *
	 * @param array $reply   A reply from get().
	 * @param int   $user_id User ID.
	 * @return bool
	 */
	public static function can_see( array $reply, $user_id ) {
		if ( 'personal' === $reply['scope'] ) {
			return $user_id > 0 && $reply['ownerId'] === (int) $user_id;
		}
		if ( user_can( $user_id, Capabilities::MANAGE ) ) {
			return true;
		}
		if ( ! user_can( $user_id, Capabilities::ANSWER ) ) {
			return false;
		}
		return 'everyone' === $reply['scope']
			|| in_array( $reply['inboxId'], Directory::inbox_ids_of( $user_id, Directory::team_ids_of( $user_id ) ), true );
	}

	/**
	 * Whether a user may change or delete a saved reply: managers the shared ones, owners their personal ones.
	 *
	 * @param array $reply   A reply from get().
	 * @param int   $user_id User ID.
	 * @return bool
	 */
	public static function can_edit( array $reply, $user_id ) {
		return self::may_hold_scope( $reply['scope'], $user_id )
			&& ( 'personal' !== $reply['scope'] || $reply['ownerId'] === (int) $user_id );
	}

	/**
	 * Whether a user may write a reply of a scope: shared ones need `chatflows_manage`, personal ones
	 * `chatflows_answer`.
	 *
	 * @param string $scope   Scope.
	 * @param int    $user_id User ID.
	 * @return bool
	 */
	public static function may_hold_scope( $scope, $user_id ) {
		return $user_id > 0 && user_can( $user_id, 'personal' === $scope ? Capabilities::ANSWER : Capabilities::MANAGE );
	}

	/**
	 * Messages by field for a reply's fields, merged onto the stored ones when updating.
	 *
	 * @param array $fields   `{ name, shortcut, text, language, scope, inboxId }`, all of them (merged).
	 * @param int   $owner_id Whose personal reply it is (the author).
	 * @param int   $id       The reply being changed; 0 when creating.
	 * @return array<string,string>
	 */
	public static function validate( array $fields, $owner_id, $id = 0 ) {
		$errors = array();
		$name   = $fields['name'];
		if ( ! is_string( $name ) || '' === trim( $name ) ) {
			$errors['name'] = __( 'Enter a name for the saved reply.', 'chatflows' );
		} elseif ( mb_strlen( $name ) > self::MAX_NAME_LENGTH ) {
			/* translators: %d: most characters. */
			$errors['name'] = sprintf( __( 'The name must be at most %d characters long.', 'chatflows' ), self::MAX_NAME_LENGTH );
		}

		$shortcut = $fields['shortcut'];
		if ( ! is_string( $shortcut ) || 1 !== preg_match( '/^[\p{L}\p{N}_-]{1,' . self::MAX_SHORTCUT_LENGTH . '}$/u', $shortcut ) ) {
			$errors['shortcut'] = sprintf(
				/* translators: %d: most characters. */
				__( 'The shortcut must be 1 to %d letters, digits, hyphens or underscores, without spaces.', 'chatflows' ),
				self::MAX_SHORTCUT_LENGTH
			);
		}

		$text = $fields['text'];
		if ( ! is_string( $text ) || '' === trim( $text ) ) {
			$errors['text'] = __( 'Enter the text of the saved reply.', 'chatflows' );
		} elseif ( mb_strlen( $text ) > self::MAX_TEXT_LENGTH ) {
			/* translators: %d: most characters. */
			$errors['text'] = sprintf( __( 'The text must be at most %d characters long.', 'chatflows' ), self::MAX_TEXT_LENGTH );
		} else {
			$unknown = array_diff( self::variables_in( $text ), self::VARIABLES );
			if ( $unknown ) {
				$errors['text'] = sprintf(
					/* translators: 1: the unknown variables, e.g. {name}; 2: the variables there are. */
					__( 'Unknown variable: %1$s. The variables are %2$s.', 'chatflows' ),
					'{' . implode( '}, {', $unknown ) . '}',
					'{' . implode( '}, {', self::VARIABLES ) . '}'
				);
			}
		}

		if ( ! in_array( $fields['language'], array_merge( array( '' ), Chatflow_Settings::LOCALES ), true ) ) {
			$errors['language'] = __( 'Choose English, Danish, Dutch or any language.', 'chatflows' );
		}

		if ( ! in_array( $fields['scope'], self::SCOPES, true ) ) {
			$errors['scope'] = __( 'Choose who uses the saved reply: everyone, one inbox, or only you.', 'chatflows' );
		} elseif ( 'inbox' === $fields['scope'] && ( ! is_numeric( $fields['inboxId'] ) || ! Directory::inbox( (int) $fields['inboxId'] ) ) ) {
			$errors['inboxId'] = __( 'Choose the inbox whose agents use the saved reply.', 'chatflows' );
		}

		if ( ! isset( $errors['shortcut'] ) && ! isset( $errors['scope'] ) && ! isset( $errors['inboxId'] ) && ! isset( $errors['language'] ) && self::shortcut_taken( $fields, $owner_id, $id ) ) {
			$errors['shortcut'] = __( 'Another saved reply for the same agents already has this shortcut in this language.', 'chatflows' );
		}
		return $errors;
	}

	/**
	 * The names of the `{variables}` in a text, each once.
	 *
	 * @param string $text Text.
	 * @return string[]
	 */
	public static function variables_in( $text ) {
		preg_match_all( '/\{([a-z][a-z_]*)\}/', $text, $matches );
		return array_values( array_unique( $matches[1] ) );
	}

	/**
	 * Creates or updates a reply. Validate first.
	 *
	 * @param array $fields   Every field, sanitized.
	 * @param int   $owner_id The author (whose personal reply it is).
	 * @param int   $id       Reply to update; 0 to create.
	 * @return int Its ID.
	 */
	public static function save( array $fields, $owner_id, $id = 0 ) {
		$postarr = array(
			'ID'           => $id,
			'post_type'    => self::POST_TYPE,
			'post_status'  => 'publish',
			'post_title'   => trim( $fields['name'] ),
			'post_content' => $fields['text'],
			'post_author'  => $owner_id,
			'meta_input'   => array(
				self::SHORTCUT_META => mb_strtolower( $fields['shortcut'] ),
				self::LANGUAGE_META => $fields['language'],
				self::SCOPE_META    => $fields['scope'],
				self::INBOX_META    => 'inbox' === $fields['scope'] ? (int) $fields['inboxId'] : 0,
			),
		);
		// Posts of a type without revisions or filters of their own: the text is stored as sanitized, plain.
		return (int) ( $id ? wp_update_post( wp_slash( $postarr ) ) : wp_insert_post( wp_slash( $postarr ) ) );
	}

	/**
	 * Deletes a user's personal replies when the user is deleted (shared ones stay: they belong to the team).
	 *
	 * @param int $user_id User ID.
	 */
	public static function delete_personal_of( $user_id ) {
		$ids = get_posts(
			array(
				'post_type'      => self::POST_TYPE,
				'post_status'    => 'any',
				'author'         => (int) $user_id,
				'posts_per_page' => -1,
				'fields'         => 'ids',
				'no_found_rows'  => true,
				'meta_key'       => self::SCOPE_META, // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_key -- only when a user is deleted.
				'meta_value'     => 'personal', // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_value -- as above.
			)
		);
		foreach ( $ids as $id ) {
			wp_delete_post( (int) $id, true );
		}
	}

	/**
	 * Whether another reply for the same agents has the shortcut in the language.
	 *
	 * @param array $fields   Fields, valid.
	 * @param int   $owner_id Owner, for personal replies.
	 * @param int   $id       The reply itself, not counted.
	 * @return bool
	 */
	private static function shortcut_taken( array $fields, $owner_id, $id ) {
		$shortcut = mb_strtolower( $fields['shortcut'] );
		$inbox_id = 'inbox' === $fields['scope'] ? (int) $fields['inboxId'] : 0;
		$ids      = self::ids(
			array(
				'meta_key'   => self::SHORTCUT_META, // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_key -- on saving a reply only.
				'meta_value' => $shortcut, // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_value -- as above.
			)
		);
		foreach ( $ids as $other_id ) {
			if ( (int) $other_id === (int) $id ) {
				continue;
			}
			$other = self::get( (int) $other_id, 0 );
			if ( $other && $other['scope'] === $fields['scope'] && $other['language'] === $fields['language'] && $other['inboxId'] === $inbox_id
				&& ( 'personal' !== $fields['scope'] || $other['ownerId'] === (int) $owner_id ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * IDs of the saved replies, oldest first.
	 *
	 * @param array $query More WP_Query arguments.
	 * @return int[]
	 */
	private static function ids( array $query = array() ) {
		return array_map(
			'intval',
			get_posts(
				$query + array(
					'post_type'      => self::POST_TYPE,
					'post_status'    => 'publish',
					'posts_per_page' => -1,
					'fields'         => 'ids',
					'no_found_rows'  => true,
					'orderby'        => 'ID',
					'order'          => 'ASC',
				)
			)
		);
	}
}
