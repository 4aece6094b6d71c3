<?php
/**
 * Storing and reading chatflows.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * A chatflow is a `chatflows_chatflow` post: title = name, published = on, menu_order = priority
 * (lower first).
 *
 * Settings are JSON in post meta rather than in post_content: post_content passes through kses and
 * content filters on save (which would rewrite texts that contain HTML-like characters, and texts are
 * plain text kept exactly), and gets revisions we do not need. A version number in its own meta
 * increases with every save, for conflict detection and for the service, which keeps the newest.
 */
final class Chatflows {

	const SETTINGS_META = '_chatflows_settings';
	const VERSION_META  = '_chatflows_version';

	/**
	 * Option earlier versions kept (the chatflow shown on all pages), replaced by Targeting::INDEX_OPTION;
	 * no longer written, only removed on uninstall.
	 */
	const ALL_PAGES_OPTION = 'chatflows_all_pages_chatflow';

	const MAX_TITLE_LENGTH = 200;

	/**
	 * The chatflow post with an ID, if it is one.
	 *
	 * @param int $id Post ID.
	 * @return \WP_Post|null
	 */
	public static function post( $id ) {
		$post = $id > 0 ? get_post( $id ) : null;
		if ( ! $post || Chatflow_Post_Type::POST_TYPE !== $post->post_type || 'trash' === $post->post_status ) {
			return null;
		}
		return $post;
	}

	/**
	 * Every chatflow, by priority.
	 *
	 * @param bool $published_only Only those that are on.
	 * @return \WP_Post[]
	 */
	public static function all( $published_only = false ) {
		return get_posts(
			array(
				'post_type'      => Chatflow_Post_Type::POST_TYPE,
				'post_status'    => $published_only ? 'publish' : array( 'publish', 'draft' ),
				'posts_per_page' => -1,
				'orderby'        => array(
					'menu_order' => 'ASC',
					'ID'         => 'ASC',
				),
				'no_found_rows'  => true,
			)
		);
	}

	/**
	 * A chatflow's complete settings (stored settings over the defaults, so older chatflows gain new fields).
	 *
	 * @param int $id Chatflow ID.
	 * @return array
	 */
	public static function settings( $id ) {
		$stored = json_decode( (string) get_post_meta( $id, self::SETTINGS_META, true ), true );
		return Chatflow_Settings::merge( Chatflow_Settings::defaults(), is_array( $stored ) ? Chatflow_Settings::upgrade( $stored ) : array() );
	}

	/**
	 * The name visitors see as the author of agents' messages under custom branding used as alias; '' for none.
	 *
	 * @param array $settings A chatflow's complete settings.
	 * @return string
	 */
	public static function alias( array $settings ) {
		return 'custom_branding' === $settings['heading']['mode'] && $settings['heading']['useAsAlias'] ? (string) $settings['heading']['teamName'] : '';
	}

	/**
	 * A chatflow's version.
	 *
	 * @param int $id Chatflow ID.
	 * @return int
	 */
	public static function version( $id ) {
		return (int) get_post_meta( $id, self::VERSION_META, true );
	}

	/**
	 * Validates a title.
	 *
	 * @param mixed $title Title.
	 * @return array<string,string>
	 */
	public static function validate_title( $title ) {
		if ( ! is_string( $title ) || '' === trim( $title ) ) {
			return array( 'title' => __( 'Enter a name for the chatflow.', 'chatflows' ) );
		}
		if ( mb_strlen( $title ) > self::MAX_TITLE_LENGTH ) {
			/* translators: %d: most characters. */
			return array( 'title' => sprintf( __( 'The name must be at most %d characters long.', 'chatflows' ), self::MAX_TITLE_LENGTH ) );
		}
		return array();
	}

	/**
	 * Creates a chatflow, off, after the others. Settings must be valid and complete.
	 *
	 * @param string $title    Name.
	 * @param array  $settings Settings.
	 * @param string $status   `draft` (off) or `publish` (on).
	 * @return int|\WP_Error Chatflow ID.
	 */
	public static function create( $title, array $settings, $status = 'draft' ) {
		$last     = self::all();
		$priority = $last ? (int) end( $last )->menu_order + 1 : 0;
		$id       = wp_insert_post(
			array(
				'post_type'   => Chatflow_Post_Type::POST_TYPE,
				'post_status' => $status,
				'post_title'  => wp_slash( $title ),
				'menu_order'  => $priority,
				'meta_input'  => array(
					self::SETTINGS_META => wp_slash( wp_json_encode( $settings ) ),
					self::VERSION_META  => 1,
				),
			),
			true
		);
		if ( ! is_wp_error( $id ) ) {
			Targeting::refresh_index();
		}
		return $id;
	}

	/**
	 * Saves a chatflow's fields and increases its version.
	 *
	 * @param int   $id     Chatflow ID.
	 * @param array $fields Any of `title`, `settings` (valid, complete), `status`, `priority`.
	 * @return int|\WP_Error The new version.
	 */
	public static function update( $id, array $fields ) {
		$postarr = array( 'ID' => $id );
		if ( isset( $fields['title'] ) ) {
			$postarr['post_title'] = wp_slash( $fields['title'] );
		}
		if ( isset( $fields['status'] ) ) {
			$postarr['post_status'] = $fields['status'];
		}
		if ( isset( $fields['priority'] ) ) {
			$postarr['menu_order'] = (int) $fields['priority'];
		}
		$version               = self::version( $id ) + 1;
		$postarr['meta_input'] = array( self::VERSION_META => $version );
		if ( isset( $fields['settings'] ) ) {
			$postarr['meta_input'][ self::SETTINGS_META ] = wp_slash( wp_json_encode( $fields['settings'] ) );
		}
		$result = wp_update_post( $postarr, true );
		if ( is_wp_error( $result ) ) {
			return $result;
		}
		Targeting::refresh_index();
		return $version;
	}

	/**
	 * Changes some settings of a chatflow through the same validation as the REST API (for code such as
	 * importers and site set-up).
	 *
	 * @param int   $id      Chatflow ID.
	 * @param array $partial Settings to change; the others keep their stored values.
	 * @return int|\WP_Error The new version, or `rest_invalid_param` naming the offending fields.
	 */
	public static function save_settings( $id, array $partial ) {
		$settings = Chatflow_Settings::merge( self::settings( $id ), $partial );
		$errors   = Chatflow_Settings::validate( $settings );
		if ( $errors ) {
			return Rest_Chatflows_Controller::invalid( $errors );
		}
		return self::update( $id, array( 'settings' => Chatflow_Settings::sanitize( $settings ) ) );
	}

	/**
	 * Deletes a chatflow for good, and the pages' choice of it.
	 *
	 * @param int $id Chatflow ID.
	 */
	public static function delete( $id ) {
		wp_delete_post( $id, true );
		delete_metadata( 'post', 0, Chatflow_Post_Type::PAGE_CHATFLOW_META, $id, true );
		Targeting::refresh_index();
	}

	/**
	 * A short, translated summary of where a chatflow shows.
	 *
	 * @param array $settings Settings.
	 * @return string
	 */
	public static function target_summary( array $settings ) {
		$target     = $settings['target'];
		$exclusions = count( $target['exclude'] ?? array() );
		$groups     = count( $target['include'] ?? array() );
		if ( ! empty( $target['allPages'] ) ) {
			return $exclusions
				/* translators: %d: number of exclusion rules. */
				? sprintf( _n( 'All pages, with %d exclusion', 'All pages, with %d exclusions', $exclusions, 'chatflows' ), $exclusions )
				: __( 'All pages', 'chatflows' );
		}
		if ( $groups ) {
			/* translators: %d: number of groups of rules. */
			return sprintf( _n( 'Pages matching %d group of rules', 'Pages matching any of %d groups of rules', $groups, 'chatflows' ), $groups );
		}
		return __( 'Pages that choose this chatflow', 'chatflows' );
	}
}
