<?php
/**
 * The public knowledge-base search of the chat window's tab.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Chatflow_Settings;
use Chatflows\Chatflows;

/**
 * `GET /chatflows/v1/knowledge-base/search`: only the chatflow's chosen, published, public content, as text.
 */
class KnowledgeBaseSearchTest extends TestCase {

	const ROUTE = '/chatflows/v1/knowledge-base/search';

	public function test_anyone_finds_published_articles_of_the_chosen_type_as_plain_text() {
		$chatflow = $this->chatflow(
			array(
				'sourceType' => 'post_type',
				'postType'   => 'page',
			)
		);
		add_shortcode( 'chatflows_test_form', '__return_empty_string' );
		// Written by someone allowed unfiltered HTML, so the script reaches the database.
		wp_set_current_user( $this->create_user( 'administrator' )->ID );
		$page = $this->post(
			array(
				'post_type'    => 'page',
				'post_title'   => 'Refunds &amp; <em>returns</em>',
				'post_content' => '<!-- wp:paragraph --><p>Ask for a <strong>refund</strong> within 30 days.<script>alert(1)</script></p><!-- /wp:paragraph --> [chatflows_test_form id="1"]',
			)
		);
		wp_set_current_user( 0 );
		$this->post(
			array(
				'post_type'  => 'post',
				'post_title' => 'Refund policy news',
			)
		);

		$response = $this->rest(
			'GET',
			self::ROUTE,
			array(
				'chatflow' => $chatflow,
				'q'        => 'refund',
			)
		);

		$this->assertSame( 200, $response->get_status() );
		$articles = $response->get_data()['articles'];
		$this->assertSame(
			array(
				array(
					'id'      => $page,
					'title'   => 'Refunds & returns',
					'excerpt' => 'Ask for a refund within 30 days.',
					'url'     => get_permalink( $page ),
				),
			),
			$articles,
			'a post of another type is not in a search of pages; tags, scripts and shortcodes are gone'
		);
		$this->assertSame( 'public, max-age=300', $response->get_headers()['Cache-Control'] );
	}

	public function test_drafts_private_and_password_protected_articles_are_never_found() {
		$chatflow = $this->chatflow(
			array(
				'sourceType' => 'post_type',
				'postType'   => 'post',
			)
		);
		$this->post(
			array(
				'post_title'  => 'Shipping draft',
				'post_status' => 'draft',
			)
		);
		$this->post(
			array(
				'post_title'  => 'Shipping internal',
				'post_status' => 'private',
			)
		);
		$this->post(
			array(
				'post_title'    => 'Shipping secret',
				'post_password' => 'letmein',
			)
		);
		$public = $this->post( array( 'post_title' => 'Shipping times' ) );
		// Even for someone who could read the others.
		wp_set_current_user( $this->create_user( 'administrator' )->ID );

		$response = $this->rest(
			'GET',
			self::ROUTE,
			array(
				'chatflow' => $chatflow,
				'q'        => 'shipping',
			)
		);

		$this->assertSame( array( $public ), wp_list_pluck( $response->get_data()['articles'], 'id' ) );
	}

	public function test_a_category_source_searches_only_that_category() {
		$help     = wp_insert_term( 'Help', 'category' )['term_id'];
		$chatflow = $this->chatflow(
			array(
				'sourceType' => 'category',
				'categoryId' => $help,
			)
		);
		$in_help  = $this->post(
			array(
				'post_title'    => 'Reset your password',
				'post_category' => array( $help ),
			)
		);
		$this->post( array( 'post_title' => 'Password day celebrated' ) );

		$response = $this->rest(
			'GET',
			self::ROUTE,
			array(
				'chatflow' => $chatflow,
				'q'        => 'password',
			)
		);

		$this->assertSame( array( $in_help ), wp_list_pluck( $response->get_data()['articles'], 'id' ) );
	}

	public function test_results_are_limited() {
		$chatflow = $this->chatflow(
			array(
				'sourceType' => 'post_type',
				'postType'   => 'post',
			)
		);
		for ( $i = 1; $i <= 8; $i++ ) {
			$this->post( array( 'post_title' => "Invoice question $i" ) );
		}

		$response = $this->rest(
			'GET',
			self::ROUTE,
			array(
				'chatflow' => $chatflow,
				'q'        => 'invoice',
			)
		);

		$this->assertCount( 5, $response->get_data()['articles'] );
	}

	public function test_chatflows_without_a_knowledge_base_or_not_published_are_refused() {
		$this->post( array( 'post_title' => 'Opening hours' ) );
		$off = $this->chatflow( array( 'enabled' => false ) );

		$response = $this->rest(
			'GET',
			self::ROUTE,
			array(
				'chatflow' => $off,
				'q'        => 'hours',
			)
		);
		$this->assertSame( 403, $response->get_status() );
		$this->assertSame( 'chatflows_knowledge_base_off', $response->get_data()['code'] );

		$draft    = $this->chatflow( array(), 'draft' );
		$response = $this->rest(
			'GET',
			self::ROUTE,
			array(
				'chatflow' => $draft,
				'q'        => 'hours',
			)
		);
		$this->assertSame( 404, $response->get_status() );

		$not_a_chatflow = $this->post( array( 'post_title' => 'Hours' ) );
		$response       = $this->rest(
			'GET',
			self::ROUTE,
			array(
				'chatflow' => $not_a_chatflow,
				'q'        => 'hours',
			)
		);
		$this->assertSame( 404, $response->get_status() );
	}

	public function test_a_chosen_type_that_is_not_public_finds_nothing() {
		register_post_type( 'chatflows_internal', array( 'public' => false ) );
		$chatflow = $this->chatflow( array( 'sourceType' => 'post_type' ) );
		// Stored before the type became private, so the editor's validation did not catch it.
		$settings                              = Chatflows::settings( $chatflow );
		$settings['knowledgeBase']['postType'] = 'chatflows_internal';
		update_post_meta( $chatflow, Chatflows::SETTINGS_META, wp_slash( wp_json_encode( $settings ) ) );
		$this->post(
			array(
				'post_type'  => 'chatflows_internal',
				'post_title' => 'Internal pricing notes',
			)
		);

		$response = $this->rest(
			'GET',
			self::ROUTE,
			array(
				'chatflow' => $chatflow,
				'q'        => 'pricing',
			)
		);

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( array(), $response->get_data()['articles'] );
		unregister_post_type( 'chatflows_internal' );
	}

	public function test_bad_input_is_refused_naming_the_parameter() {
		$chatflow = $this->chatflow( array() );

		$empty = $this->rest(
			'GET',
			self::ROUTE,
			array(
				'chatflow' => $chatflow,
				'q'        => '   ',
			)
		);
		$this->assertSame( 400, $empty->get_status() );
		$this->assertArrayHasKey( 'q', $empty->get_data()['data']['params'] );

		$long = $this->rest(
			'GET',
			self::ROUTE,
			array(
				'chatflow' => $chatflow,
				'q'        => str_repeat(
					'a',
					101
				),
			)
		);
		$this->assertSame( 400, $long->get_status() );
		$this->assertArrayHasKey( 'q', $long->get_data()['data']['params'] );

		$missing = $this->rest( 'GET', self::ROUTE, array( 'q' => 'hours' ) );
		$this->assertSame( 400, $missing->get_status() );
		$this->assertContains( 'chatflow', $missing->get_data()['data']['params'] );
	}

	/**
	 * A chatflow with its knowledge base configured.
	 *
	 * @param array  $knowledge_base Knowledge-base settings over enabled, all posts.
	 * @param string $status         Post status.
	 * @return int Chatflow ID.
	 */
	private function chatflow( array $knowledge_base, $status = 'publish' ) {
		$settings                  = Chatflow_Settings::defaults();
		$settings['knowledgeBase'] = array_merge( $settings['knowledgeBase'], array( 'enabled' => true ), $knowledge_base );
		$id                        = Chatflows::create( 'Help chat', $settings, $status );
		$this->assertNotWPError( $id );
		return $id;
	}

	/**
	 * A published post.
	 *
	 * @param array $args wp_insert_post() arguments.
	 * @return int Post ID.
	 */
	private function post( array $args ) {
		$id = wp_insert_post( $args + array( 'post_status' => 'publish' ), true );
		$this->assertNotWPError( $id );
		return $id;
	}
}
