<?php
/**
 * The admin menu's count of conversations waiting for the agent, as the chat
 * service sends it.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Admin;
use Chatflows\Inbox_Waiting_Counts;
use Chatflows\Service_Sync;

/**
 * Signed PUT chatflows/v1/service/waiting-counts and the menu bubble.
 */
final class InboxWaitingCountsTest extends TestCase {

	public function test_the_service_stores_the_counts_signed_and_the_menu_shows_the_agents_own() {
		$agent    = $this->create_user( 'chatflows_agent' );
		$other    = $this->create_user( 'chatflows_agent' );
		$response = $this->signed_put(
			array(
				'counts' => array(
					(string) $agent->ID => 3,
					(string) $other->ID => 0,
				),
			)
		);
		$this->assertSame( 200, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$this->assertSame( 3, Inbox_Waiting_Counts::for_user( $agent->ID ) );
		$this->assertSame( 0, Inbox_Waiting_Counts::for_user( $other->ID ) );

		wp_set_current_user( $agent->ID );
		$menu = $this->menu();
		$this->assertStringContainsString( 'count-3', $menu['top'] );
		$this->assertStringContainsString( '<span class="pending-count" aria-hidden="true">3</span>', $menu['top'] );
		$this->assertStringContainsString( '3 conversations waiting for you', $menu['inbox'] );

		wp_set_current_user( $other->ID );
		$this->assertStringContainsString( 'count-0', $this->menu()['top'] );
	}

	public function test_the_pages_keep_their_hook_names_whatever_the_count() {
		$agent = $this->create_user( 'administrator' );
		$this->signed_put( array( 'counts' => array( (string) $agent->ID => 5 ) ) );
		wp_set_current_user( $agent->ID );
		$this->menu();
		global $admin_page_hooks;
		$this->assertSame( 'chatflows', $admin_page_hooks[ Admin::INBOX_SLUG ] );
	}

	public function test_refuses_unsigned_calls_and_bad_bodies_naming_the_field_and_keeps_the_counts() {
		$agent = $this->create_user( 'chatflows_agent' );
		$this->signed_put( array( 'counts' => array( (string) $agent->ID => 2 ) ) );

		$unsigned = $this->rest( 'PUT', '/chatflows/v1/service/waiting-counts', array( 'counts' => array( (string) $agent->ID => 9 ) ) );
		$this->assertSame( 401, $unsigned->get_status() );

		$body       = wp_json_encode( array( 'counts' => array( (string) $agent->ID => 9 ) ) );
		$bad_secret = $this->rest(
			'PUT',
			'/chatflows/v1/service/waiting-counts',
			array( 'counts' => array( (string) $agent->ID => 9 ) ),
			Service_Sync::signature_headers( 'PUT', '/chatflows/v1/service/waiting-counts', $body, 'not the secret' )
		);
		$this->assertSame( 401, $bad_secret->get_status() );

		foreach (
			array(
				array( array( 'counts' => 'many' ), 'counts' ),
				array( array( 'counts' => array( (string) $agent->ID => -1 ) ), 'counts.' . $agent->ID ),
				array( array( 'counts' => array( (string) $agent->ID => '4' ) ), 'counts.' . $agent->ID ),
				array( array( 'counts' => array( 'admin' => 1 ) ), 'counts.admin' ),
			) as list( $sent, $field )
		) {
			$response = $this->signed_put( $sent );
			$this->assertSame( 400, $response->get_status(), wp_json_encode( $sent ) );
			$this->assertArrayHasKey( $field, $response->get_data()['data']['params'] );
		}
		$this->assertSame( 2, Inbox_Waiting_Counts::for_user( $agent->ID ), 'nothing half-saved' );
	}

	/**
	 * The Chatflows menu as the current user gets it.
	 *
	 * @return array{top: string, inbox: string} Titles of the menu and its Inbox item.
	 */
	private function menu() {
		global $menu, $submenu, $admin_page_hooks, $_registered_pages, $_parent_pages;
		require_once ABSPATH . 'wp-admin/includes/plugin.php';
		$menu              = array(); // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		$submenu           = array(); // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		$admin_page_hooks  = array(); // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		$_registered_pages = array(); // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		$_parent_pages     = array(); // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		Admin::register_menu();
		$top = '';
		foreach ( $menu as $item ) {
			if ( Admin::INBOX_SLUG === $item[2] ) {
				$top = $item[0];
			}
		}
		return array(
			'top'   => $top,
			'inbox' => $submenu[ Admin::INBOX_SLUG ][0][0] ?? '',
		);
	}

	/**
	 * PUTs counts signed as the service does.
	 *
	 * @param array $body Body.
	 * @return \WP_REST_Response
	 */
	private function signed_put( array $body ) {
		return $this->signed_rest( 'PUT', '/chatflows/v1/service/waiting-counts', $body );
	}
}
