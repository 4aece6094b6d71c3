<?php
/**
 * Which chatflow a request shows, the page's own choice, and the targeting routes.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Chatflow_Post_Type;
use Chatflows\Chatflow_Settings;
use Chatflows\Chatflows;
use Chatflows\Frontend;
use Chatflows\Service_Sync;
use Chatflows\Targeting;
use Chatflows\Targeting_Blocks;
use Chatflows\Targeting_Outside_Pages;

/**
 * Render-time targeting and its REST routes, against the real WordPress.
 */
class TargetingTest extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		// The chat service is not running: pushes fail fast, and saves still succeed.
		$this->stand_in_for_service();
	}

	protected function tearDown(): void {
		$GLOBALS['wp_scripts'] = null;
		parent::tearDown();
	}

	public function test_a_url_rule_shows_its_chatflow_on_matching_pages_only() {
		$pricing = $this->chatflow( 'Sales', $this->target( array( array( $this->rule( 'url', 'is', '/pricing' ) ) ) ) );

		$this->visit( $this->page( 'Pricing', 'pricing' ), '/pricing/' );
		Frontend::enqueue();
		$this->assertSame( (string) $pricing, $this->printed_config()['chatflowId'] );

		$this->visit( $this->page( 'About', 'about' ), '/about/' );
		Frontend::enqueue();
		$this->assertFalse( wp_script_is( Frontend::LOADER_HANDLE, 'enqueued' ) );
	}

	public function test_an_exclusion_hides_the_chat_on_the_privacy_policy() {
		$this->chatflow( 'Everywhere', $this->target( array(), true, array( $this->rule( 'url', 'is', '/privacy-policy' ) ) ) );

		$this->visit( $this->page( 'Privacy', 'privacy-policy' ), '/privacy-policy/' );
		$this->assertNull( Frontend::chatflow_for_request() );

		$this->visit( $this->page( 'Pricing', 'pricing' ), '/pricing/' );
		$this->assertNotNull( Frontend::chatflow_for_request() );
	}

	public function test_a_query_parameter_rule_shows_the_chat_only_with_the_parameter() {
		$ads  = $this->chatflow( 'Ads', $this->target( array( array( $this->rule( 'query', 'equals', 'ads', 'utm_source' ) ) ) ) );
		$page = $this->page( 'Pricing', 'pricing' );

		$this->visit( $page, '/pricing/?utm_source=ads' );
		$this->assertSame( $ads, Frontend::chatflow_for_request()->ID );

		$this->visit( $page, '/pricing/' );
		$this->assertNull( Frontend::chatflow_for_request() );

		$this->visit( $page, '/pricing/?utm_source=mail' );
		$this->assertNull( Frontend::chatflow_for_request() );
	}

	public function test_the_first_published_chatflow_by_priority_whose_rules_hold_serves() {
		$first  = $this->chatflow( 'First', $this->target( array( array( $this->rule( 'url', 'contains', 'pricing' ) ) ) ) );
		$second = $this->chatflow( 'Second', $this->target( array(), true ) );
		$page   = $this->page( 'Pricing', 'pricing' );

		$this->visit( $page, '/pricing/' );
		$this->assertSame( $first, Frontend::chatflow_for_request()->ID );

		$this->as_manager();
		$response = $this->rest( 'PUT', '/chatflows/v1/chatflows/order', array( 'ids' => array( $second, $first ) ) );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( array( $second, $first ), wp_list_pluck( $response->get_data()['chatflows'], 'id' ) );
		$this->visit( $page, '/pricing/' );
		$this->assertSame( $second, Frontend::chatflow_for_request()->ID, 'after reordering' );

		Chatflows::update( $second, array( 'status' => 'draft' ) );
		$this->visit( $page, '/pricing/' );
		$this->assertSame( $first, Frontend::chatflow_for_request()->ID, 'an unpublished one is skipped' );
	}

	public function test_the_order_must_name_every_chatflow_once() {
		$first = $this->chatflow( 'First', $this->target( array(), true ) );
		$this->chatflow( 'Second', $this->target( array(), true ) );
		$this->as_manager();
		$response = $this->rest( 'PUT', '/chatflows/v1/chatflows/order', array( 'ids' => array( $first, $first ) ) );
		$this->assertSame( 400, $response->get_status() );
		$this->assertArrayHasKey( 'ids', $response->get_data()['data']['params'] );
	}

	public function test_visitor_rules_print_the_candidates_for_the_loader_and_nothing_about_the_visitor() {
		$contacts = $this->chatflow( 'Contacts', $this->target( array( array( $this->rule( 'contact', 'is', 'known' ) ) ) ) );
		$everyone = $this->chatflow( 'Everyone', $this->target( array(), true ) );
		$this->chatflow( 'Never reached', $this->target( array(), true ) );

		$this->visit( $this->page( 'Pricing', 'pricing' ), '/pricing/' );
		Frontend::enqueue();
		$config = $this->printed_config();

		$this->assertSame(
			array( (string) $contacts, (string) $everyone ),
			array_map(
				static function ( $candidate ) {
					return $candidate['config']['chatflowId'];
				},
				$config['candidates']
			)
		);
		$this->assertSame(
			array(
				'groups'  => array( array( $this->rule( 'contact', 'is', 'known' ) ) ),
				'exclude' => array(),
			),
			$config['candidates'][0]['visitorRules']
		);
		$this->assertSame( array( array() ), $config['candidates'][1]['visitorRules']['groups'] );
		$this->assertArrayNotHasKey( 'visitorUrl', $config, 'no rule on the WordPress user' );

		// The same HTML for a logged-in administrator.
		wp_set_current_user( $this->create_user( 'administrator' )->ID );
		$this->visit( $this->page( 'Pricing 2', 'pricing-2' ), '/pricing/' );
		Frontend::enqueue();
		$this->assertSame( $config, $this->printed_config() );
	}

	public function test_a_rule_on_the_wordpress_user_gives_the_loader_a_place_to_ask() {
		$this->chatflow( 'Members', $this->target( array( array( $this->rule( 'role', 'is', 'subscriber' ) ) ) ) );
		$this->visit( $this->page( 'Pricing', 'pricing' ), '/pricing/' );
		Frontend::enqueue();
		$config = $this->printed_config();
		$this->assertCount( 1, $config['candidates'] );
		$this->assertStringContainsString( 'admin-ajax.php?action=' . Targeting::VISITOR_ACTION, $config['visitorUrl'] );
	}

	public function test_the_visitor_answer_tells_logged_in_state_and_roles() {
		$this->assertSame(
			array(
				'loggedIn' => false,
				'roles'    => array(),
			),
			$this->visitor_answer()
		);
		wp_set_current_user( $this->create_user( 'editor' )->ID );
		$this->assertSame(
			array(
				'loggedIn' => true,
				'roles'    => array( 'editor' ),
			),
			$this->visitor_answer()
		);
	}

	public function test_never_show_chat_beats_every_rule_and_the_block() {
		$everyone = $this->chatflow( 'Everyone', $this->target( array(), true ) );
		$page     = $this->page( 'Quiet', 'quiet', $this->block( $everyone ) );
		update_post_meta( $page, Targeting::NO_CHAT_META, true );

		$this->visit( $page, '/quiet/' );
		Frontend::enqueue();
		$this->assertFalse( wp_script_is( Frontend::LOADER_HANDLE, 'enqueued' ) );
		$this->assertStringNotContainsString( 'chatflows-inline', do_blocks( get_post( $page )->post_content ), 'no inline element either' );
	}

	public function test_the_block_embeds_its_chatflow_inline_and_beats_the_rules() {
		$this->chatflow( 'Everyone', $this->target( array(), true ) );
		$inline = $this->chatflow( 'Inline', $this->target( array() ) );
		$page   = $this->page( 'Contact', 'contact', $this->block( $inline ) );

		$this->visit( $page, '/contact/' );
		Frontend::enqueue();
		$config = $this->printed_config();
		$this->assertSame( (string) $inline, $config['chatflowId'] );
		$this->assertSame( '#chatflows-inline-' . $inline, $config['inlineEmbedSelector'] );

		$html = do_blocks( get_post( $page )->post_content );
		$this->assertMatchesRegularExpression( '/<div [^>]*id="chatflows-inline-' . $inline . '"/', $html );
		$this->assertStringContainsString( 'chatflows-inline', $html );
	}

	public function test_a_block_that_only_chooses_the_chatflow_embeds_nothing() {
		$chosen = $this->chatflow( 'Chosen', $this->target( array() ) );
		$page   = $this->page( 'Contact', 'contact', $this->block( $chosen, 'select' ) );

		$this->visit( $page, '/contact/' );
		Frontend::enqueue();
		$config = $this->printed_config();
		$this->assertSame( (string) $chosen, $config['chatflowId'] );
		$this->assertArrayNotHasKey( 'inlineEmbedSelector', $config );
		$this->assertStringNotContainsString( 'chatflows-inline', do_blocks( get_post( $page )->post_content ) );
	}

	public function test_a_block_naming_a_chatflow_that_is_off_follows_the_rules() {
		$everyone = $this->chatflow( 'Everyone', $this->target( array(), true ) );
		$off      = $this->chatflow( 'Off', $this->target( array() ), 'draft' );
		$page     = $this->page( 'Contact', 'contact', $this->block( $off ) );
		$this->visit( $page, '/contact/' );
		$this->assertSame( $everyone, Frontend::chatflow_for_request()->ID );
		$this->assertStringNotContainsString( 'chatflows-inline', do_blocks( get_post( $page )->post_content ) );
	}

	public function test_editors_set_the_pages_choice_through_the_rest_api() {
		$chatflow = $this->chatflow( 'Chosen', $this->target( array() ) );
		$editor   = $this->create_user( 'editor' );
		$page     = $this->page( 'Pricing', 'pricing' );
		wp_set_current_user( $editor->ID );

		$response = $this->rest( 'POST', "/wp/v2/pages/$page", array( 'meta' => array( Chatflow_Post_Type::PAGE_CHATFLOW_META => $chatflow ) ) );
		$this->assertSame( 200, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$this->assertSame( $chatflow, $response->get_data()['meta'][ Chatflow_Post_Type::PAGE_CHATFLOW_META ] );
		$response = $this->rest( 'POST', "/wp/v2/pages/$page", array( 'meta' => array( Targeting::NO_CHAT_META => true ) ) );
		$this->assertTrue( $response->get_data()['meta'][ Targeting::NO_CHAT_META ] );

		wp_set_current_user( $this->create_user( 'contributor' )->ID );
		$response = $this->rest( 'POST', "/wp/v2/pages/$page", array( 'meta' => array( Targeting::NO_CHAT_META => false ) ) );
		$this->assertContains( $response->get_status(), array( 401, 403 ) );
		$this->assertTrue( (bool) get_post_meta( $page, Targeting::NO_CHAT_META, true ), 'unchanged' );
	}

	public function test_the_page_choices_are_for_people_who_edit_posts() {
		$chatflow = $this->chatflow( 'Chosen', $this->target( array() ), 'draft' );
		wp_set_current_user( $this->create_user( 'subscriber' )->ID );
		$this->assertSame( 403, $this->rest( 'GET', '/chatflows/v1/page-choices' )->get_status() );

		wp_set_current_user( $this->create_user( 'author' )->ID );
		$response = $this->rest( 'GET', '/chatflows/v1/page-choices' );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( $chatflow, $response->get_data()[0]['id'] );
		$this->assertFalse( $response->get_data()[0]['enabled'] );
		$this->assertSame( Chatflow_Settings::default_texts()['welcome'], $response->get_data()[0]['welcomeMessage'] );
	}

	public function test_the_tester_names_the_chatflow_and_the_deciding_rule() {
		$this->chatflow( 'Off', $this->target( array(), true ), 'draft' );
		$excluded = $this->chatflow( 'Main', $this->target( array(), true, array( $this->rule( 'url', 'starts_with', '/shop' ) ) ) );
		$shop     = $this->chatflow(
			'Shop',
			$this->target(
				array(
					array( $this->rule( 'device', 'is', 'mobile' ) ),
					array( $this->rule( 'url', 'matches', '/shop/*' ), $this->rule( 'contact', 'is', 'known' ) ),
				)
			)
		);
		$this->as_manager();

		$answer = $this->rest(
			'POST',
			'/chatflows/v1/target-test',
			array(
				'url'    => home_url( '/shop/cart' ),
				'traits' => array( 'contact' => 'known' ),
			)
		)->get_data();
		$this->assertSame( $shop, $answer['chatflow']['id'] );
		$this->assertSame( 'settings.target.include[1]', $answer['decidedBy']['path'] );
		$this->assertSame( array( 'off', 'no', 'yes' ), wp_list_pluck( $answer['steps'], 'result' ) );
		$this->assertSame( 'settings.target.exclude[0]', $answer['steps'][1]['path'] );
		$this->assertSame( $excluded, $answer['steps'][1]['id'] );

		$answer = $this->rest( 'POST', '/chatflows/v1/target-test', array( 'url' => home_url( '/shop/cart' ) ) )->get_data();
		$this->assertNull( $answer['chatflow'], 'an unknown visitor on a desktop' );
		$this->assertNotSame( '', $answer['message'] );
	}

	public function test_the_tester_reports_the_pages_own_choice() {
		$this->chatflow( 'Everyone', $this->target( array(), true ) );
		$page = $this->page( 'Quiet', 'quiet' );
		update_post_meta( $page, Targeting::NO_CHAT_META, true );
		$this->as_manager();
		$answer = $this->rest( 'POST', '/chatflows/v1/target-test', array( 'url' => get_permalink( $page ) ) )->get_data();
		$this->assertNull( $answer['chatflow'] );
		$this->assertSame( 'page_no_chat', $answer['decidedBy']['kind'] );

		$blocked = $this->chatflow( 'Block chat', $this->target( array() ) );
		$chosen  = $this->chatflow( 'Chosen chat', $this->target( array() ) );
		$off     = $this->chatflow( 'Off chat', $this->target( array() ), 'draft' );
		$page    = $this->page( 'Talk', 'talk', $this->block( $blocked ) );
		update_post_meta( $page, Chatflow_Post_Type::PAGE_CHATFLOW_META, $chosen );
		$answer = $this->rest( 'POST', '/chatflows/v1/target-test', array( 'url' => get_permalink( $page ) ) )->get_data();
		$this->assertSame( $blocked, $answer['chatflow']['id'] );
		$this->assertSame( 'page_block', $answer['decidedBy']['kind'] );

		$page = $this->page( 'Ask', 'ask', $this->block( $off ) );
		update_post_meta( $page, Chatflow_Post_Type::PAGE_CHATFLOW_META, $chosen );
		$answer = $this->rest( 'POST', '/chatflows/v1/target-test', array( 'url' => get_permalink( $page ) ) )->get_data();
		$this->assertSame( $chosen, $answer['chatflow']['id'], 'a block naming an unpublished chatflow gives way to the panel' );
		$this->assertSame( 'page_chatflow', $answer['decidedBy']['kind'] );
	}

	public function test_the_tester_refuses_bad_input_naming_the_field_and_non_managers() {
		$this->as_manager();
		$response = $this->rest( 'POST', '/chatflows/v1/target-test', array( 'url' => 'pricing' ) );
		$this->assertSame( 400, $response->get_status() );
		$this->assertArrayHasKey( 'url', $response->get_data()['data']['params'] );
		$response = $this->rest(
			'POST',
			'/chatflows/v1/target-test',
			array(
				'url'    => 'https://example.com/',
				'traits' => array( 'device' => 'watch' ),
			)
		);
		$this->assertArrayHasKey( 'traits.device', $response->get_data()['data']['params'] );

		wp_set_current_user( $this->create_user( 'editor' )->ID );
		$this->assertSame( 403, $this->rest( 'POST', '/chatflows/v1/target-test', array( 'url' => 'https://example.com/' ) )->get_status() );
	}

	public function test_invalid_rules_are_refused_through_rest_and_nothing_is_saved() {
		$id = $this->chatflow( 'Sales', $this->target( array(), true ) );
		$this->as_manager();
		$response = $this->rest(
			'PUT',
			"/chatflows/v1/chatflows/$id",
			array(
				'version'  => Chatflows::version( $id ),
				'settings' => array( 'target' => $this->target( array( array( $this->rule( 'url', 'is', '/a' ), $this->rule( 'url', 'matches', '/blog/**' ) ) ) ) ),
			)
		);
		$this->assertSame( 400, $response->get_status() );
		$this->assertSame( array( 'settings.target.include[0].rules[1].value' ), array_keys( $response->get_data()['data']['params'] ) );
		$this->assertTrue( Chatflows::settings( $id )['target']['allPages'], 'nothing saved' );
	}

	public function test_outside_origins_are_validated_saved_and_sent_to_the_service() {
		$this->as_manager();
		$response = $this->rest( 'PUT', '/chatflows/v1/outside-origins', array( 'origins' => array( 'https://shop.example.com', 'shop.example.com/cart' ) ) );
		$this->assertSame( 400, $response->get_status() );
		$this->assertSame( array( 'origins[1]' ), array_keys( $response->get_data()['data']['params'] ) );
		$this->assertSame( array(), Targeting_Outside_Pages::origins(), 'nothing saved' );

		$response = $this->rest( 'PUT', '/chatflows/v1/outside-origins', array( 'origins' => array( 'HTTPS://Shop.Example.com:443/', 'http://landing.example:8080' ) ) );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( array( 'https://shop.example.com', 'http://landing.example:8080' ), $response->get_data()['origins'] );
		$this->assertStringContainsString( 'build/widget/outside-page.js', $response->get_data()['embed']['script'] );
		$this->assertStringEndsWith( '/chatflows/v1/embed', $response->get_data()['embed']['endpoint'] );
		// The URLs only: the admin screen writes the snippet and shows it as text; the plugin prints no script.
		$this->assertStringNotContainsString( '<script', wp_json_encode( $response->get_data() ) );
		$this->assertContains( 'https://shop.example.com', Service_Sync::configuration()['allowedOrigins'] );
		$this->assertContains( 'http://landing.example:8080', Service_Sync::configuration()['allowedOrigins'] );

		$data = $this->rest( 'GET', '/chatflows/v1/targeting' )->get_data();
		$this->assertSame( array( 'https://shop.example.com', 'http://landing.example:8080' ), $data['origins'] );
		$this->assertContains( 'editor', wp_list_pluck( $data['roles'], 'value' ) );

		wp_set_current_user( $this->create_user( 'editor' )->ID );
		$this->assertSame( 403, $this->rest( 'PUT', '/chatflows/v1/outside-origins', array( 'origins' => array() ) )->get_status() );
	}

	public function test_the_embed_route_answers_listed_sites_only_with_public_settings() {
		$shop = $this->chatflow( 'Shop', $this->target( array( array( $this->rule( 'url', 'matches', 'https://shop.example.com/*' ) ) ) ) );
		update_option( Targeting_Outside_Pages::ORIGINS_OPTION, array( 'https://shop.example.com' ) );

		$refused = $this->rest( 'GET', '/chatflows/v1/embed', array( 'url' => 'https://elsewhere.example/cart' ) );
		$this->assertSame( 403, $refused->get_status() );
		$this->assertSame( 'chatflows_origin_not_allowed', $refused->get_data()['code'] );

		$response = $this->rest( 'GET', '/chatflows/v1/embed', array( 'url' => 'https://shop.example.com/cart?x=1' ) );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( (string) $shop, $response->get_data()['config']['chatflowId'] );
		$this->assertStringContainsString( 'build/widget/loader.js', $response->get_data()['loaderUrl'] );
		$this->assertSame( 'public, max-age=300', $response->get_headers()['Cache-Control'] );

		// Pages on other origins import the chat window through the REST API, which sends CORS headers.
		$this->assertStringContainsString( '/wp-json/chatflows/v1/widget/chat-window.js?ver=', $response->get_data()['config']['chatWindowUrl'] );
		$module = new \WP_REST_Request( 'GET', '/chatflows/v1/widget/chat-window.js' );
		$module->set_url_params( array( 'file' => 'chat-window' ) );
		$served = rest_do_request( $module );
		$this->assertSame( 200, $served->get_status() );
		ob_start();
		$handled = Targeting_Outside_Pages::serve_module( false, $served, $module );
		$body    = ob_get_clean();
		$this->assertTrue( $handled );
		$this->assertSame( file_get_contents( \Chatflows\Plugin::path( 'build/widget/chat-window.js' ) ), $body ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents
		$this->assertFalse( Targeting_Outside_Pages::serve_module( false, rest_do_request( new \WP_REST_Request( 'GET', '/chatflows/v1/targeting' ) ), new \WP_REST_Request( 'GET', '/chatflows/v1/targeting' ) ), 'other routes are left alone' );

		update_option( Targeting_Outside_Pages::ORIGINS_OPTION, array( 'https://shop.example.com', 'https://blog.example.com' ) );
		$this->assertNull( $this->rest( 'GET', '/chatflows/v1/embed', array( 'url' => 'https://blog.example.com/' ) )->get_data()['config'], 'a listed site no chatflow serves' );
	}

	public function test_a_page_no_chatflow_serves_costs_no_query_with_many_rules() {
		$this->chatflow( 'Pricing', $this->target( array( array( $this->rule( 'url', 'is', '/pricing' ), $this->rule( 'contact', 'is', 'known' ) ) ) ) );
		$this->chatflow( 'Ads', $this->target( array( array( $this->rule( 'query', 'present', '', 'utm_source' ) ) ) ) );
		$this->chatflow( 'Blog', $this->target( array( array( $this->rule( 'url', 'matches', '/blog/*' ) ) ), false ) );
		$this->chatflow( 'Everyone but privacy', $this->target( array(), true, array( $this->rule( 'url', 'contains', 'privacy' ) ) ) );
		$this->visit( $this->page( 'Privacy', 'privacy-policy' ), '/privacy-policy/' );
		global $wpdb;
		$queries = $wpdb->num_queries;

		Frontend::enqueue();

		$this->assertSame( $queries, $wpdb->num_queries, 'no database query: ' . $wpdb->last_query );
		$this->assertFalse( wp_script_is( Frontend::LOADER_HANDLE, 'enqueued' ) );
		$this->assertSame( array(), wp_scripts()->queue );
	}

	/**
	 * A rule.
	 *
	 * @param string $field    Field.
	 * @param string $operator Operator.
	 * @param string $value    Value.
	 * @param string $name     Query parameter name.
	 * @return array
	 */
	private function rule( $field, $operator, $value, $name = '' ) {
		return array(
			'field'    => $field,
			'operator' => $operator,
			'name'     => $name,
			'value'    => $value,
		);
	}

	/**
	 * A target.
	 *
	 * @param array[] $groups    Groups, each a list of rules.
	 * @param bool    $all_pages All pages.
	 * @param array[] $exclude   Exclusions.
	 * @return array
	 */
	private function target( array $groups, $all_pages = false, array $exclude = array() ) {
		return array(
			'allPages' => $all_pages,
			'include'  => array_map(
				static function ( $rules ) {
					return array( 'rules' => $rules );
				},
				$groups
			),
			'exclude'  => $exclude,
		);
	}

	/**
	 * Creates a chatflow through the plugin's API, after the others.
	 *
	 * @param string $title  Name.
	 * @param array  $target Target settings.
	 * @param string $status `publish` or `draft`.
	 * @return int ID.
	 */
	private function chatflow( $title, array $target, $status = 'publish' ) {
		$settings = Chatflow_Settings::merge( Chatflow_Settings::defaults(), array( 'target' => $target ) );
		$this->assertSame( array(), Chatflow_Settings::validate( $settings ) );
		$id = Chatflows::create( $title, Chatflow_Settings::sanitize( $settings ), $status );
		$this->assertIsInt( $id );
		return $id;
	}

	/**
	 * The block's markup.
	 *
	 * @param int    $chatflow_id Chatflow.
	 * @param string $mode        `inline` or `select`.
	 * @return string
	 */
	private function block( $chatflow_id, $mode = 'inline' ) {
		return '<!-- wp:paragraph --><p>Talk to us.</p><!-- /wp:paragraph -->' . "\n" .
			'<!-- wp:chatflows/live-chat ' . wp_json_encode(
				array(
					'chatflowId' => $chatflow_id,
					'mode'       => $mode,
				)
			) . ' /-->';
	}

	/**
	 * Creates a published page.
	 *
	 * @param string $title   Title.
	 * @param string $slug    Slug.
	 * @param string $content Content.
	 * @return int ID.
	 */
	private function page( $title, $slug, $content = '' ) {
		$id = wp_insert_post(
			array(
				'post_type'    => 'page',
				'post_status'  => 'publish',
				'post_title'   => $title,
				'post_name'    => $slug,
				'post_content' => $content,
			),
			true
		);
		$this->assertNotWPError( $id );
		return $id;
	}

	/**
	 * Makes the main query the one WordPress runs for a page at a URL path.
	 *
	 * @param int    $page_id Page.
	 * @param string $uri     Request URI, e.g. `/pricing/?utm_source=ads`.
	 */
	private function visit( $page_id, $uri ) {
		global $wp_query, $wp_the_query, $post;
		$_SERVER['REQUEST_URI'] = $uri;
		// A new request starts with empty caches (no persistent object cache here).
		wp_cache_flush();
		$wp_the_query = new \WP_Query( array( 'page_id' => $page_id ) ); // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		$wp_query     = $wp_the_query; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		$wp_query->the_post();
		$GLOBALS['wp_scripts'] = null;
	}

	/**
	 * The configuration printed before the loader.
	 *
	 * @return array
	 */
	private function printed_config() {
		$this->assertTrue( wp_script_is( Frontend::LOADER_HANDLE, 'enqueued' ) );
		$inline = trim( implode( "\n", wp_scripts()->get_data( Frontend::LOADER_HANDLE, 'before' ) ) );
		$this->assertStringStartsWith( 'window.chatflowsConfig = ', $inline );
		return json_decode( substr( $inline, strlen( 'window.chatflowsConfig = ' ), -1 ), true );
	}

	/**
	 * What admin-ajax answers the loader about the current user.
	 *
	 * @return array
	 */
	private function visitor_answer() {
		add_filter( 'wp_doing_ajax', '__return_true' );
		add_filter(
			'wp_die_ajax_handler',
			static function () {
				return static function () {
					throw new \RuntimeException( 'done' );
				};
			}
		);
		ob_start();
		try {
			Targeting::answer_visitor();
		} catch ( \RuntimeException $done ) {
			unset( $done );
		}
		return json_decode( (string) ob_get_clean(), true );
	}

	/**
	 * Acts as a user who may manage chatflows.
	 */
	private function as_manager() {
		wp_set_current_user( $this->create_user( 'administrator' )->ID );
	}
}
