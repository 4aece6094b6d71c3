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
use Chatflows\Privacy_Settings;
use Chatflows\Rest_Service_Controller;
use Chatflows\Targeting;
use Chatflows\Targeting_Outside_Pages;

/**
 * uninstall.php.
 */
class UninstallTest extends TestCase {

	public function test_uninstall_removes_the_plugins_posts_meta_options_transients_events_role_and_capabilities() {
		$agent    = $this->create_user( 'chatflows_agent' );
		$chatflow = Chatflows::create( 'Website chat', Chatflow_Settings::defaults(), 'publish' );
		$team     = Directory::save_team(
			array(
				'name'      => 'Sales',
				'memberIds' => array( $agent->ID ),
			)
		);
		$inbox    = Directory::ensure_default_inbox();
		update_user_meta( $agent->ID, Directory::CAPACITY_META, 7 );
		$page = wp_insert_post(
			array(
				'post_type'   => 'page',
				'post_status' => 'publish',
				'post_title'  => 'Pricing',
			)
		);
		update_post_meta( $page, Chatflow_Post_Type::PAGE_CHATFLOW_META, $chatflow );
		update_post_meta( $page, Targeting::NO_CHAT_META, true );
		update_option( Targeting_Outside_Pages::ORIGINS_OPTION, array( 'https://shop.example.com' ) );
		// Left by earlier versions.
		update_option( Chatflows::ALL_PAGES_OPTION, $chatflow );
		update_option( Rest_Service_Controller::SENT_OPTION, array( 'n-1' => time() ), false );
		$this->assertNotFalse( get_option( Targeting::INDEX_OPTION ) );
		update_option( Privacy_Settings::OPTION, 30 );
		// Whatever a version stores under the plugin's prefix: transients, scheduled events, meta.
		set_transient( 'chatflows_cache', array( 1 ), HOUR_IN_SECONDS );
		set_site_transient( 'chatflows_site_cache', 'x', HOUR_IN_SECONDS );
		update_option( 'chatflows_from_an_older_version', 'x' );
		wp_schedule_event( time() + HOUR_IN_SECONDS, 'hourly', 'chatflows_sweep' );
		wp_schedule_single_event( time() + HOUR_IN_SECONDS, 'chatflows_retry', array( 'n-1' ) );
		wp_schedule_single_event( time() + HOUR_IN_SECONDS, 'another_plugins_event' );
		update_post_meta( $page, '_chatflows_seen', 1 );
		update_user_meta( $agent->ID, 'chatflows_inbox_view', 'mine' );
		update_option( 'another_plugins_option', 'stays' );
		$editor = $this->create_user( 'editor' );
		$editor->add_cap( 'chatflows_answer' );

		if ( ! defined( 'WP_UNINSTALL_PLUGIN' ) ) {
			define( 'WP_UNINSTALL_PLUGIN', 'chatflows/chatflows.php' );
		}
		include dirname( __DIR__, 2 ) . '/uninstall.php';
		global $wpdb;

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
		$this->assertSame( 'gone', get_option( Privacy_Settings::OPTION, 'gone' ), 'the registered default must not hide a leftover' );
		$this->assertFalse( get_transient( 'chatflows_cache' ) );
		$this->assertFalse( get_site_transient( 'chatflows_site_cache' ) );
		$this->assertFalse( get_option( 'chatflows_from_an_older_version' ) );
		$this->assertFalse( wp_next_scheduled( 'chatflows_sweep' ) );
		$this->assertFalse( wp_next_scheduled( 'chatflows_retry', array( 'n-1' ) ) );
		$this->assertEmpty( get_metadata_raw( 'post', $page, '_chatflows_seen' ) );
		$this->assertEmpty( get_metadata_raw( 'user', $agent->ID, 'chatflows_inbox_view' ) );
		$this->assertSame( array(), $wpdb->get_col( "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE '%chatflows%'" ), 'no option, transient or timeout of the plugin is left' );
		$this->assertNotFalse( wp_next_scheduled( 'another_plugins_event' ), 'other plugins\' events stay' );
		$this->assertSame( 'stays', get_option( 'another_plugins_option' ) );
		$this->assertNull( get_role( 'chatflows_agent' ) );
		$agent_caps  = get_user_meta( $agent->ID, $wpdb->get_blog_prefix() . 'capabilities', true );
		$editor_caps = get_user_meta( $editor->ID, $wpdb->get_blog_prefix() . 'capabilities', true );
		$this->assertSame( array( 'subscriber' => true ), $agent_caps, 'an agent only becomes a subscriber' );
		$this->assertSame( array( 'editor' => true ), $editor_caps, 'a capability given to one user is gone, the role stays' );
		$this->assertFalse( get_role( 'administrator' )->has_cap( 'chatflows_manage' ) );
		$this->assertNotNull( get_post( $page ), 'the site\'s own content stays' );
	}
}
