<?php
/**
 * The widget is on the pages a chatflow serves, and nowhere else.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Chatflow_Post_Type;
use Chatflows\Frontend;

/**
 * Render-time decision and what it prints.
 */
class FrontendTest extends TestCase {

	protected function tearDown(): void {
		$GLOBALS['wp_scripts'] = null;
		parent::tearDown();
	}

	public function test_a_page_that_chooses_a_published_chatflow_gets_the_loader_and_its_config() {
		$chatflow = $this->create_chatflow( 'publish' );
		$page     = $this->create_page( $chatflow );

		$this->visit( $page );
		Frontend::enqueue();

		$this->assertTrue( wp_script_is( Frontend::LOADER_HANDLE, 'enqueued' ) );
		$inline = trim( implode( "\n", wp_scripts()->get_data( Frontend::LOADER_HANDLE, 'before' ) ) );
		$this->assertStringStartsWith( 'window.chatflowsConfig = ', $inline );
		$config = json_decode( substr( $inline, strlen( 'window.chatflowsConfig = ' ), -1 ), true );
		$this->assertSame( (string) $chatflow, $config['chatflowId'] );
		$this->assertSame( 'Open chat', $config['texts']['openChat'] );
		$this->assertSame( 'Message', $config['texts']['message'] );
		$this->assertStringContainsString( 'build/widget/chat-window.js', $config['chatWindowUrl'] );

		$tag = Frontend::defer_loader( "<script src='loader.js' id='chatflows-loader-js'></script>", Frontend::LOADER_HANDLE );
		$this->assertStringContainsString( ' defer src=', $tag );
		$this->assertSame( "<script src='x.js'></script>", Frontend::defer_loader( "<script src='x.js'></script>", 'jquery' ) );
	}

	public function test_a_page_without_a_chatflow_gets_nothing_and_costs_no_query() {
		$page = $this->create_page( 0 );
		$this->visit( $page );
		global $wpdb;
		$queries = $wpdb->num_queries;

		Frontend::enqueue();

		$this->assertSame( $queries, $wpdb->num_queries, 'no database query on a page without chat: ' . $wpdb->last_query );
		$this->assertFalse( wp_script_is( Frontend::LOADER_HANDLE, 'enqueued' ) );
	}

	public function test_a_chatflow_that_is_off_or_not_a_chatflow_shows_nothing() {
		$this->visit( $this->create_page( $this->create_chatflow( 'draft' ) ) );
		$this->assertNull( Frontend::chatflow_for_request(), 'an unpublished (off) chatflow' );

		$post = self::factory_post( array( 'post_type' => 'post', 'post_status' => 'publish' ) );
		$this->visit( $this->create_page( $post ) );
		$this->assertNull( Frontend::chatflow_for_request(), 'an ID that is not a chatflow' );
	}

	public function test_archives_show_no_chat() {
		global $wp_query, $wp_the_query;
		$wp_the_query = new \WP_Query( array( 'post_type' => 'post' ) ); // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		$wp_query     = $wp_the_query; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		$this->assertNull( Frontend::chatflow_for_request() );
	}

	/**
	 * Makes the main query the one WordPress runs for a page.
	 *
	 * @param int $page_id Page.
	 */
	private function visit( $page_id ) {
		global $wp_query, $wp_the_query;
		// A new request starts with empty caches (no persistent object cache here).
		wp_cache_flush();
		$wp_the_query = new \WP_Query( array( 'page_id' => $page_id ) ); // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		$wp_query     = $wp_the_query; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		$wp_query->the_post();
		$GLOBALS['wp_scripts'] = null;
	}

	private function create_chatflow( $status ) {
		return self::factory_post(
			array(
				'post_type'   => Chatflow_Post_Type::POST_TYPE,
				'post_status' => $status,
				'post_title'  => 'Website chat',
			)
		);
	}

	private function create_page( $chatflow_id ) {
		$page = self::factory_post(
			array(
				'post_type'   => 'page',
				'post_status' => 'publish',
				'post_title'  => 'Pricing',
			)
		);
		if ( $chatflow_id ) {
			update_post_meta( $page, Chatflow_Post_Type::PAGE_CHATFLOW_META, $chatflow_id );
		}
		return $page;
	}

	private static function factory_post( array $args ) {
		$id = wp_insert_post( $args + array( 'post_title' => 'Post' ), true );
		if ( is_wp_error( $id ) ) {
			self::fail( $id->get_error_message() );
		}
		return $id;
	}
}
