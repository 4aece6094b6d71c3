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
 * capacities, the plugin's options, the agent role and the capabilities.
 */
final class Uninstaller {

	/**
	 * Deletes the plugin's data.
	 */
	public static function uninstall() {
		foreach ( array( Chatflow_Post_Type::POST_TYPE, Directory::TEAM_POST_TYPE, Directory::INBOX_POST_TYPE ) as $post_type ) {
			$ids = get_posts(
				array(
					'post_type'        => $post_type,
					'post_status'      => 'any',
					'posts_per_page'   => -1,
					'fields'           => 'ids',
					'no_found_rows'    => true,
					'suppress_filters' => true,
				)
			);
			foreach ( $ids as $id ) {
				wp_delete_post( $id, true );
			}
		}
		delete_metadata( 'post', 0, Chatflow_Post_Type::PAGE_CHATFLOW_META, '', true );
		delete_metadata( 'post', 0, Targeting::NO_CHAT_META, '', true );
		delete_metadata( 'user', 0, Directory::CAPACITY_META, '', true );
		foreach ( array( Chatflows::ALL_PAGES_OPTION, Directory::DEFAULT_INBOX_OPTION, Service_Connection::SECRET_OPTION, Service_Connection::URL_OPTION, Inbox_Waiting_Counts::OPTION, Targeting::INDEX_OPTION, Targeting_Outside_Pages::ORIGINS_OPTION, Rest_Service_Controller::SENT_OPTION ) as $option ) {
			delete_option( $option );
		}
		remove_role( Capabilities::AGENT_ROLE );
		foreach ( wp_roles()->role_objects as $role ) {
			$role->remove_cap( Capabilities::MANAGE );
			$role->remove_cap( Capabilities::ANSWER );
		}
	}
}
