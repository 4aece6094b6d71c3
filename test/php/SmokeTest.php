<?php
/**
 * The test site and the test harness themselves.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

/**
 * The plugin is active with its roles and capabilities, and each test's database changes are rolled back.
 */
class SmokeTest extends TestCase {

	public function test_the_plugin_is_active() {
		$this->assertTrue( is_plugin_active( 'chatflows/chatflows.php' ) );
		$this->assertTrue( defined( 'Chatflows\VERSION' ), 'chatflows.php is loaded' );
	}

	public function test_administrators_manage_chatflows_and_answer_chats() {
		$role = get_role( 'administrator' );
		$this->assertTrue( $role->has_cap( 'chatflows_manage' ) );
		$this->assertTrue( $role->has_cap( 'chatflows_answer' ) );

		$admin = $this->create_user( 'administrator' );
		$this->assertTrue( user_can( $admin, 'chatflows_manage' ) );
		$this->assertTrue( user_can( $admin, 'chatflows_answer' ) );
	}

	public function test_chat_agents_answer_chats_only() {
		$role = get_role( 'chatflows_agent' );
		$this->assertNotNull( $role, 'the role chatflows_agent exists' );
		$this->assertSame( 'Chat agent', wp_roles()->role_names['chatflows_agent'] );
		$this->assertTrue( $role->has_cap( 'read' ) );
		$this->assertTrue( $role->has_cap( 'chatflows_answer' ) );
		$this->assertFalse( $role->has_cap( 'chatflows_manage' ) );

		$agent = $this->create_user( 'chatflows_agent' );
		$this->assertTrue( user_can( $agent, 'chatflows_answer' ) );
		$this->assertFalse( user_can( $agent, 'chatflows_manage' ) );
		$this->assertFalse( user_can( $agent, 'edit_posts' ) );
	}

	public function test_subscribers_neither_manage_nor_answer() {
		$role = get_role( 'subscriber' );
		$this->assertFalse( $role->has_cap( 'chatflows_manage' ) );
		$this->assertFalse( $role->has_cap( 'chatflows_answer' ) );

		$subscriber = $this->create_user( 'subscriber' );
		$this->assertFalse( user_can( $subscriber, 'chatflows_manage' ) );
		$this->assertFalse( user_can( $subscriber, 'chatflows_answer' ) );
	}

	public function test_the_rest_api_has_the_plugin_namespace() {
		$this->assertContains( 'chatflows/v1', rest_get_server()->get_namespaces() );

		$response = $this->rest( 'GET', '/chatflows/v1' );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 'chatflows/v1', $response->get_data()['namespace'] );
	}

	/**
	 * Writes rows and leaves them for the next test to look for.
	 *
	 * @return array What was written.
	 */
	public function test_rows_written_in_a_test_exist_during_it() {
		global $wpdb;
		$post_id = wp_insert_post(
			array(
				'post_title'  => 'Written by a test',
				'post_status' => 'publish',
			),
			true
		);
		$this->assertNotWPError( $post_id );
		$user = $this->create_user( 'subscriber' );
		update_option( 'chatflows_smoke_test_option', 'written' );

		$this->assertSame( 'Written by a test', get_post( $post_id )->post_title );
		$this->assertSame( '1', $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->posts} WHERE ID = %d", $post_id ) ) );
		return array(
			'post' => $post_id,
			'user' => $user->ID,
		);
	}

	/**
	 * @depends test_rows_written_in_a_test_exist_during_it
	 *
	 * @param array $written What the previous test wrote.
	 */
	public function test_rows_written_in_a_previous_test_are_gone( array $written ) {
		global $wpdb;
		$this->assertNull( get_post( $written['post'] ) );
		$this->assertSame( '0', $wpdb->get_var( $wpdb->prepare( "SELECT COUNT(*) FROM {$wpdb->posts} WHERE ID = %d", $written['post'] ) ) );
		$this->assertFalse( get_user_by( 'id', $written['user'] ) );
		$this->assertFalse( get_option( 'chatflows_smoke_test_option' ) );
	}

	public function test_transactions_of_the_code_under_test_stay_inside_the_test() {
		global $wpdb;
		$wpdb->query( 'START TRANSACTION' );
		update_option( 'chatflows_smoke_test_committed', 'yes' );
		$wpdb->query( 'COMMIT' );
		$wpdb->query( 'START TRANSACTION' );
		update_option( 'chatflows_smoke_test_rolled_back', 'yes' );
		$wpdb->query( 'ROLLBACK' );
		wp_cache_flush();

		$this->assertSame( '', $wpdb->last_error );
		$this->assertSame( 'yes', get_option( 'chatflows_smoke_test_committed' ) );
		$this->assertFalse( get_option( 'chatflows_smoke_test_rolled_back' ) );
	}

	/**
	 * @depends test_transactions_of_the_code_under_test_stay_inside_the_test
	 */
	public function test_a_commit_of_the_code_under_test_is_rolled_back_with_the_test() {
		$this->assertFalse( get_option( 'chatflows_smoke_test_committed' ) );
	}

	public function test_hooks_added_in_a_test_are_removed_afterwards() {
		add_filter( 'chatflows_smoke_test_filter', '__return_true' );
		$this->assertTrue( has_filter( 'chatflows_smoke_test_filter' ) );
		wp_set_current_user( $this->create_user( 'administrator' )->ID );
	}

	/**
	 * @depends test_hooks_added_in_a_test_are_removed_afterwards
	 */
	public function test_hooks_and_the_current_user_are_reset() {
		$this->assertFalse( has_filter( 'chatflows_smoke_test_filter' ) );
		$this->assertSame( 0, get_current_user_id() );
	}
}
