<?php
/**
 * Deleting the plugin leaves nothing of it behind.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Chatflow_Post_Type;
use Chatflows\Chatflow_Settings;
use Chatflows\Chatflows;
use Chatflows\Directory;
use Chatflows\Rest_Service_Controller;
use Chatflows\Targeting;
use Chatflows\Targeting_Outside_Pages;

/**
 * uninstall.php.
 */
class UninstallTest extends TestCase {

	public function test_uninstall_removes_the_plugins_posts_meta_options_role_and_capabilities() {
		$agent    = $this->create_user( 'chatflows_agent' );
		$chatflow = Chatflows::create( 'Website chat', Chatflow_Settings::defaults(), 'publish' );
		$team     = Directory::save_team( array( 'name' => 'Sales', 'memberIds' => array( $agent->ID ) ) );
		$inbox    = Directory::ensure_default_inbox();
		update_user_meta( $agent->ID, Directory::CAPACITY_META, 7 );
		$page = wp_insert_post( array( 'post_type' => 'page', 'post_status' => 'publish', 'post_title' => 'Pricing' ) );
		update_post_meta( $page, Chatflow_Post_Type::PAGE_CHATFLOW_META, $chatflow );
		update_post_meta( $page, Targeting::NO_CHAT_META, true );
		update_option( Targeting_Outside_Pages::ORIGINS_OPTION, array( 'https://shop.example.com' ) );
		// Left by earlier versions.
		update_option( Chatflows::ALL_PAGES_OPTION, $chatflow );
		update_option( Rest_Service_Controller::SENT_OPTION, array( 'n-1' => time() ), false );
		$this->assertNotFalse( get_option( Targeting::INDEX_OPTION ) );

		if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
			define( 'WP_UNINSTALL_PLUGIN', 'chatflows/chatflows.php' );
		}
		include dirname( __DIR__, 2 ) . '/uninstall.php';

		foreach ( array( $chatflow, $team, $inbox ) as $id ) {
			$this->assertNull( get_post( $id ) );
			$this->assertEmpty( get_metadata_raw( 'post', $id, Chatflows::SETTINGS_META ) );
		}
		$this->assertEmpty( get_metadata_raw( 'post', $page, Chatflow_Post_Type::PAGE_CHATFLOW_META ) );
		$this->assertEmpty( get_metadata_raw( 'post', $page, Targeting::NO_CHAT_META ) );
		$this->assertFalse( get_option( Targeting::INDEX_OPTION ) );
		$this->assertFalse( get_option( Targeting_Outside_Pages::ORIGINS_OPTION ) );
		$this->assertEmpty( get_metadata_raw( 'user', $agent->ID, Directory::CAPACITY_META ) );
		$this->assertFalse( get_option( Directory::DEFAULT_INBOX_OPTION ) );
		$this->assertFalse( get_option( Chatflows::ALL_PAGES_OPTION ) );
		$this->assertFalse( get_option( Rest_Service_Controller::SENT_OPTION ) );
		$this->assertFalse( get_option( 'chatflows_service_secret' ) );
		$this->assertNull( get_role( 'chatflows_agent' ) );
		$this->assertFalse( get_role( 'administrator' )->has_cap( 'chatflows_manage' ) );
		$this->assertNotNull( get_post( $page ), 'the site\'s own content stays' );
	}
}
