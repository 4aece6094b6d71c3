<?php
/**
 * The widget is on the pages a chatflow serves, and nowhere else.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Chatflow_Post_Type;
use Chatflows\Chatflows;
use Chatflows\Chatflow_Settings;
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

		$post = self::factory_post(
			array(
				'post_type'   => 'post',
				'post_status' => 'publish',
			)
		);
		$this->visit( $this->create_page( $post ) );
		$this->assertNull( Frontend::chatflow_for_request(), 'an ID that is not a chatflow' );
	}

	public function test_archives_show_no_chat() {
		global $wp_query, $wp_the_query;
		$wp_the_query = new \WP_Query( array( 'post_type' => 'post' ) ); // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		$wp_query     = $wp_the_query; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		$this->assertNull( Frontend::chatflow_for_request() );
	}

	public function test_a_page_that_chooses_a_chatflow_gets_it_before_an_all_pages_chatflow() {
		$all_pages = $this->create_configured_chatflow( 'Everywhere', true );
		$chosen    = $this->create_configured_chatflow( 'Pricing chat', false );

		$this->visit( $this->create_page( $chosen ) );
		$this->assertSame( $chosen, Frontend::chatflow_for_request()->ID );

		$this->visit( $this->create_page( 0 ) );
		$this->assertSame( $all_pages, Frontend::chatflow_for_request()->ID, 'a page without its own choice' );
	}

	public function test_the_first_published_all_pages_chatflow_by_priority_serves_every_page() {
		$first  = $this->create_configured_chatflow( 'First', true );
		$second = $this->create_configured_chatflow( 'Second', true );
		$this->visit( $this->create_page( 0 ) );
		$this->assertSame( $first, Frontend::chatflow_for_request()->ID );

		Chatflows::update( $second, array( 'priority' => 0 ) );
		Chatflows::update( $first, array( 'priority' => 5 ) );
		$this->visit( $this->create_page( 0 ) );
		$this->assertSame( $second, Frontend::chatflow_for_request()->ID, 'after reordering' );

		Chatflows::update( $second, array( 'status' => 'draft' ) );
		$this->visit( $this->create_page( 0 ) );
		$this->assertSame( $first, Frontend::chatflow_for_request()->ID, 'an unpublished one is skipped' );

		Chatflows::delete( $first );
		$this->visit( $this->create_page( 0 ) );
		$this->assertNull( Frontend::chatflow_for_request() );
	}

	public function test_a_chatflow_not_for_all_pages_leaves_other_pages_without_chat_and_queries() {
		$this->create_configured_chatflow( 'Pricing chat', false );
		// Rules of every kind that do not hold for this page: deciding that reads no database either.
		$rule = static function ( $field, $operator, $value, $name = '' ) {
			return compact( 'field', 'operator', 'name', 'value' );
		};
		$this->create_configured_chatflow(
			'Ruled chat',
			false,
			array(
				'target' => array(
					'include' => array(
						array( 'rules' => array( $rule( 'url', 'starts_with', '/shop' ), $rule( 'contact', 'is', 'known' ) ) ),
						array( 'rules' => array( $rule( 'query', 'equals', 'ads', 'utm_source' ) ) ),
					),
					'exclude' => array( $rule( 'url', 'matches', '/blog/*' ) ),
				),
			)
		);
		$this->visit( $this->create_page( 0 ) );
		global $wpdb;
		$queries = $wpdb->num_queries;

		Frontend::enqueue();

		$this->assertSame( $queries, $wpdb->num_queries, 'no database query: ' . $wpdb->last_query );
		$this->assertFalse( wp_script_is( Frontend::LOADER_HANDLE, 'enqueued' ) );
	}

	public function test_the_inline_config_carries_the_public_settings_with_texts_escaped() {
		$text     = '</script><script>alert(1)</script> & more';
		$chatflow = $this->create_configured_chatflow(
			'Pricing chat',
			false,
			array(
				'display'        => array( 'accentColor' => '#112233' ),
				'welcomeMessage' => array( 'en_US' => $text ),
				'options'        => array( 'cookieConsent' => array( 'enabled' => true ) ),
			)
		);
		$this->visit( $this->create_page( $chatflow ) );
		Frontend::enqueue();

		$inline = trim( implode( "\n", wp_scripts()->get_data( Frontend::LOADER_HANDLE, 'before' ) ) );
		$this->assertStringNotContainsString( '</script>', $inline );
		$this->assertStringNotContainsString( '<script>', $inline );
		$this->assertStringContainsString( '\u003C/script\u003E', $inline );
		$config = json_decode( substr( $inline, strlen( 'window.chatflowsConfig = ' ), -1 ), true );
		$public = $config['chatflow'];
		$this->assertSame( $text, $public['welcomeMessage'], 'the text itself is unchanged' );
		$this->assertSame( '#112233', $public['accentColor'] );
		$this->assertSame( 'en_US', $public['language'] );
		$this->assertTrue( $public['consent']['cookies']['enabled'] );
		$this->assertSame( Chatflow_Settings::default_texts()['cookieConsent'], $public['consent']['cookies']['text'] );
		$this->assertSame( 'I agree to receive other communications from ' . get_bloginfo( 'name' ) . '.', $public['consent']['communications']['label'] );
		$this->assertSame( 'prompt', $public['displayBehaviour']['desktop'] );
		$this->assertSame( 5, $public['displayBehaviour']['triggers']['timeOnPageSeconds'] );
		$this->assertArrayHasKey( 'awayMessage', $public['availability'] );
		$this->assertFalse( $public['knowledgeBase']['enabled'] );
	}

	/**
	 * Creates a published chatflow with settings, through the plugin's API.
	 *
	 * @param string $title     Name.
	 * @param bool   $all_pages Whether it shows on all pages.
	 * @param array  $settings  More settings.
	 * @return int ID.
	 */
	private function create_configured_chatflow( $title, $all_pages, array $settings = array() ) {
		$settings['target'] = array( 'allPages' => $all_pages ) + ( $settings['target'] ?? array() );
		$complete           = Chatflow_Settings::merge( Chatflow_Settings::defaults(), $settings );
		$this->assertSame( array(), Chatflow_Settings::validate( $complete ) );
		$id = Chatflows::create( $title, $complete, 'publish' );
		$this->assertIsInt( $id );
		return $id;
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
