<?php
/**
 * Removes everything the plugin stored, when it is deleted from the Plugins screen.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * Chatflows, teams and inboxes (posts and their meta), the pages' choice of chatflow, agents'
 * capacities, the plugin's options and transients, its scheduled events, the agent role and the capabilities.
 */
final class Uninstaller {

	/** What the plugin's option names, meta keys and cron hooks start with. */
	const PREFIX = 'chatflows_';

	/**
	 * Deletes the plugin's data.
	 */
	public static function uninstall() {
		foreach ( array( Chatflow_Post_Type::POST_TYPE, Directory::TEAM_POST_TYPE, Directory::INBOX_POST_TYPE, Saved_Replies::POST_TYPE ) as $post_type ) {
			$ids = get_posts(
				array(
					'post_type'      => $post_type,
					'post_status'    => 'any',
					'posts_per_page' => -1,
					'fields'         => 'ids',
					'no_found_rows'  => true,
				)
			);
			foreach ( $ids as $id ) {
				wp_delete_post( $id, true );
			}
		}
		delete_metadata( 'post', 0, Chatflow_Post_Type::PAGE_CHATFLOW_META, '', true );
		delete_metadata( 'post', 0, Targeting::NO_CHAT_META, '', true );
		delete_metadata( 'user', 0, Directory::CAPACITY_META, '', true );
		foreach ( array( Chatflows::ALL_PAGES_OPTION, Directory::DEFAULT_INBOX_OPTION, Service_Connection::SECRET_OPTION, Service_Connection::URL_OPTION, Inbox_Waiting_Counts::OPTION, Targeting::INDEX_OPTION, Targeting_Outside_Pages::ORIGINS_OPTION, Rest_Service_Controller::SENT_OPTION, Privacy_Settings::OPTION ) as $option ) {
			delete_option( $option );
		}
		self::delete_by_prefix();
		self::clear_scheduled_events();
		self::strip_users();
		remove_role( Capabilities::AGENT_ROLE );
		foreach ( wp_roles()->role_objects as $role ) {
			$role->remove_cap( Capabilities::MANAGE );
			$role->remove_cap( Capabilities::ANSWER );
		}
	}

	/**
	 * Whatever else carries the plugin's prefix: options and transients (`chatflows_…`), post meta
	 * (`_chatflows_…`) and user meta (`chatflows_…`, `_chatflows_…`), so nothing a version left behind survives.
	 */
	private static function delete_by_prefix() {
		global $wpdb;
		// Direct and uncached, on purpose: no API lists options or meta keys by prefix, and an uninstall runs
		// once, so there is nothing a cache could serve again. Each name found is then deleted through the API.
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- see above.
		$names = $wpdb->get_col(
			$wpdb->prepare(
				"SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE %s OR option_name LIKE %s OR option_name LIKE %s OR option_name LIKE %s OR option_name LIKE %s",
				$wpdb->esc_like( self::PREFIX ) . '%',
				$wpdb->esc_like( '_transient_' . self::PREFIX ) . '%',
				$wpdb->esc_like( '_transient_timeout_' . self::PREFIX ) . '%',
				$wpdb->esc_like( '_site_transient_' . self::PREFIX ) . '%',
				$wpdb->esc_like( '_site_transient_timeout_' . self::PREFIX ) . '%'
			)
		);
		foreach ( $names as $name ) {
			// Through the API, so caches (notoptions, alloptions) forget them too.
			delete_option( $name );
		}
		foreach ( array( 'post', 'user' ) as $type ) {
			$table = _get_meta_table( $type );
			$keys  = $wpdb->get_col( $wpdb->prepare( "SELECT DISTINCT meta_key FROM {$table} WHERE meta_key LIKE %s OR meta_key LIKE %s", $wpdb->esc_like( self::PREFIX ) . '%', $wpdb->esc_like( '_' . self::PREFIX ) . '%' ) ); // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared, WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching -- a core table name; uncached on purpose, as above.
			foreach ( $keys as $key ) {
				delete_metadata( $type, 0, $key, '', true );
			}
		}
	}

	/**
	 * Users keep neither the agent role nor capabilities given to them one by one (both live in the user's
	 * capabilities meta, which removing the role leaves alone). Users left without a role get the site's
	 * default role, as new users do.
	 */
	private static function strip_users() {
		global $wpdb;
		$users = get_users(
			array(
				'meta_key'     => $wpdb->get_blog_prefix() . 'capabilities', // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_key -- runs once, on uninstall.
				'meta_value'   => '"' . self::PREFIX, // phpcs:ignore WordPress.DB.SlowDBQuery.slow_db_query_meta_value -- as above.
				'meta_compare' => 'LIKE',
			)
		);
		foreach ( $users as $user ) {
			$user->remove_role( Capabilities::AGENT_ROLE );
			$user->remove_cap( Capabilities::MANAGE );
			$user->remove_cap( Capabilities::ANSWER );
			if ( ! $user->roles ) {
				$user->set_role( (string) get_option( 'default_role', 'subscriber' ) );
			}
		}
	}

	/**
	 * Every scheduled event of a `chatflows_…` hook.
	 */
	private static function clear_scheduled_events() {
		$hooks = array();
		foreach ( (array) _get_cron_array() as $events ) {
			foreach ( array_keys( (array) $events ) as $hook ) {
				if ( 0 === strpos( (string) $hook, self::PREFIX ) ) {
					$hooks[ $hook ] = true;
				}
			}
		}
		foreach ( array_keys( $hooks ) as $hook ) {
			// Whatever the events' arguments (wp_clear_scheduled_hook() clears one set of arguments only).
			wp_unschedule_hook( $hook );
		}
	}
}
