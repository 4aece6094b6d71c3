<?php
/**
 * Saved replies through the REST API: who sees and who changes which, validation, and what the inbox page gets.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Admin;
use Chatflows\Directory;
use Chatflows\Saved_Replies;

/**
 * `chatflows/v1/saved-replies`.
 */
class SavedRepliesRestTest extends TestCase {

	const BASE = '/chatflows/v1/saved-replies';

	/**
	 * A valid reply's fields.
	 *
	 * @param array $overrides Fields to change.
	 * @return array
	 */
	private static function reply( array $overrides = array() ) {
		return $overrides + array(
			'name'     => 'Thanks',
			'shortcut' => 'thanks',
			'text'     => 'Thank you, {visitor_name}!',
			'language' => 'en_US',
			'scope'    => 'everyone',
		);
	}

	/**
	 * Creates a reply as the current user and answers its ID.
	 *
	 * @param array $fields Fields.
	 * @return int
	 */
	private function create( array $fields ) {
		$response = $this->rest( 'POST', self::BASE, self::reply( $fields ) );
		$this->assertSame( 201, $response->get_status(), wp_json_encode( $response->get_data() ) );
		return $response->get_data()['id'];
	}

	public function test_only_agents_and_managers_may_use_saved_replies() {
		wp_set_current_user( $this->create_user( 'administrator' )->ID );
		$id = $this->create( array() );
		foreach ( array(
			'logged out' => array( 0, 401 ),
			'subscriber' => array( $this->create_user( 'subscriber' )->ID, 403 ),
		) as $who => list( $user_id, $status ) ) {
			wp_set_current_user( $user_id );
			foreach ( array(
				array( 'GET', self::BASE, array() ),
				array( 'POST', self::BASE, self::reply( array( 'scope' => 'personal' ) ) ),
				array( 'GET', self::BASE . "/$id", array() ),
				array( 'PUT', self::BASE . "/$id", array( 'text' => 'Changed' ) ),
				array( 'DELETE', self::BASE . "/$id", array() ),
			) as list( $method, $route, $params ) ) {
				$this->assertSame( $status, $this->rest( $method, $route, $params )->get_status(), "$who: $method $route" );
			}
		}
		$this->assertSame( 'Thank you, {visitor_name}!', get_post( $id )->post_content );
	}

	public function test_an_agent_cannot_write_a_shared_reply_nor_touch_someone_elses_personal_one() {
		$manager = $this->create_user( 'administrator' );
		$alex    = $this->create_user( 'chatflows_agent' );
		$sam     = $this->create_user( 'chatflows_agent' );
		wp_set_current_user( $manager->ID );
		$shared = $this->create( array() );
		wp_set_current_user( $sam->ID );
		$sams = $this->create(
			array(
				'scope'    => 'personal',
				'shortcut' => 'mine',
			)
		);

		wp_set_current_user( $alex->ID );
		// Alex sees the shared reply, but may not change or delete it, nor create one.
		$this->assertSame( 200, $this->rest( 'GET', self::BASE . "/$shared" )->get_status() );
		$this->assertFalse( $this->rest( 'GET', self::BASE . "/$shared" )->get_data()['editable'] );
		$refused = $this->rest( 'PUT', self::BASE . "/$shared", array( 'text' => 'Hacked' ) );
		$this->assertSame( 403, $refused->get_status() );
		$this->assertSame( 'chatflows_cannot_edit_saved_reply', $refused->get_data()['code'] );
		$this->assertSame( 403, $this->rest( 'DELETE', self::BASE . "/$shared" )->get_status() );
		$this->assertSame( 403, $this->rest( 'POST', self::BASE, self::reply( array( 'shortcut' => 'new' ) ) )->get_status() );
		// Sam's personal reply does not exist for Alex: not listed, not readable, not writable, not deletable.
		$this->assertSame( 404, $this->rest( 'GET', self::BASE . "/$sams" )->get_status() );
		$this->assertSame( 404, $this->rest( 'PUT', self::BASE . "/$sams", array( 'text' => 'Hacked' ) )->get_status() );
		$this->assertSame( 404, $this->rest( 'DELETE', self::BASE . "/$sams" )->get_status() );
		$this->assertSame( array( $shared ), wp_list_pluck( $this->rest( 'GET', self::BASE )->get_data(), 'id' ) );

		// Alex's own personal reply: Alex writes it, but may not share it.
		$alexs = $this->create(
			array(
				'scope'    => 'personal',
				'shortcut' => 'mine',
			)
		);
		$this->assertSame( 200, $this->rest( 'PUT', self::BASE . "/$alexs", array( 'text' => 'Mine, {agent_name}' ) )->get_status() );
		$this->assertSame( 403, $this->rest( 'PUT', self::BASE . "/$alexs", array( 'scope' => 'everyone' ) )->get_status() );

		// Not even a manager reads or changes someone's personal reply.
		wp_set_current_user( $manager->ID );
		$this->assertSame( 404, $this->rest( 'PUT', self::BASE . "/$sams", array( 'text' => 'Managed' ) )->get_status() );

		$this->assertSame( 'Thank you, {visitor_name}!', get_post( $shared )->post_content );
		$this->assertSame( 'Thank you, {visitor_name}!', get_post( $sams )->post_content );
		$this->assertSame( 'Mine, {agent_name}', get_post( $alexs )->post_content );
		$this->assertSame( 'personal', get_post_meta( $alexs, Saved_Replies::SCOPE_META, true ) );
	}

	public function test_agents_see_the_replies_of_their_own_inboxes_only() {
		$alex    = $this->create_user( 'chatflows_agent' );
		$sam     = $this->create_user( 'chatflows_agent' );
		$sales   = Directory::save_inbox(
			array(
				'name'     => 'Sales',
				'agentIds' => array( $alex->ID ),
			)
		);
		$manager = $this->create_user( 'administrator' );
		wp_set_current_user( $manager->ID );
		$everyone = $this->create( array() );
		$of_sales = $this->create(
			array(
				'scope'    => 'inbox',
				'inboxId'  => $sales,
				'shortcut' => 'offer',
			)
		);
		$this->assertEqualsCanonicalizing( array( $everyone, $of_sales ), wp_list_pluck( $this->rest( 'GET', self::BASE )->get_data(), 'id' ) );
		wp_set_current_user( $alex->ID );
		$this->assertEqualsCanonicalizing( array( $everyone, $of_sales ), wp_list_pluck( $this->rest( 'GET', self::BASE )->get_data(), 'id' ) );
		wp_set_current_user( $sam->ID );
		$this->assertSame( array( $everyone ), wp_list_pluck( $this->rest( 'GET', self::BASE )->get_data(), 'id' ) );
		$this->assertSame( 404, $this->rest( 'GET', self::BASE . "/$of_sales" )->get_status() );
	}

	public function test_a_manager_creates_changes_and_deletes_a_shared_reply_sanitized() {
		wp_set_current_user( $this->create_user( 'administrator' )->ID );
		$created = $this->rest(
			'POST',
			self::BASE,
			self::reply(
				array(
					'name'     => ' <b>Shipping</b> ',
					'shortcut' => 'Forsendelse',
					'text'     => "Hej {visitor_name}<script>alert(1)</script>\nVi sender i dag.",
					'language' => 'da_DK',
				)
			)
		);
		$this->assertSame( 201, $created->get_status() );
		$reply = $created->get_data();
		$this->assertSame( 'Shipping', $reply['name'] );
		$this->assertSame( 'forsendelse', $reply['shortcut'] );
		$this->assertSame( "Hej {visitor_name}\nVi sender i dag.", $reply['text'] );
		$this->assertSame( 'da_DK', $reply['language'] );
		$this->assertSame( 'everyone', $reply['scope'] );
		$this->assertTrue( $reply['editable'] );

		$changed = $this->rest( 'PUT', self::BASE . "/{$reply['id']}", array( 'language' => 'nl_NL' ) );
		$this->assertSame( 200, $changed->get_status() );
		$this->assertSame( 'nl_NL', $changed->get_data()['language'] );
		$this->assertSame( "Hej {visitor_name}\nVi sender i dag.", $changed->get_data()['text'] );

		$deleted = $this->rest( 'DELETE', self::BASE . "/{$reply['id']}" );
		$this->assertTrue( $deleted->get_data()['deleted'] );
		$this->assertNull( get_post( $reply['id'] ) );
	}

	public function test_bad_input_names_every_field_and_saves_nothing() {
		wp_set_current_user( $this->create_user( 'administrator' )->ID );
		$response = $this->rest(
			'POST',
			self::BASE,
			array(
				'name'     => '',
				'shortcut' => 'two words',
				'text'     => 'Hello {visitor_nickname}',
				'language' => 'de_DE',
				'scope'    => 'inbox',
				'inboxId'  => 999999,
			)
		);
		$this->assertSame( 400, $response->get_status() );
		$this->assertSame( 'rest_invalid_param', $response->get_data()['code'] );
		$params = $response->get_data()['data']['params'];
		$this->assertEqualsCanonicalizing( array( 'name', 'shortcut', 'text', 'language', 'inboxId' ), array_keys( $params ) );
		$this->assertStringContainsString( '{visitor_nickname}', $params['text'] );
		$this->assertSame( 400, $this->rest( 'POST', self::BASE, self::reply( array( 'scope' => 'team' ) ) )->get_status() );
		$this->assertSame( 400, $this->rest( 'POST', self::BASE, self::reply( array( 'text' => str_repeat( 'a', 5001 ) ) ) )->get_status() );
		$this->assertSame( array(), get_posts( array( 'post_type' => Saved_Replies::POST_TYPE ) ) );
	}

	public function test_a_shortcut_is_used_once_per_language_among_the_same_agents() {
		wp_set_current_user( $this->create_user( 'administrator' )->ID );
		$this->create( array() );
		$this->create( array( 'language' => 'da_DK' ) );
		$this->create( array( 'scope' => 'personal' ) );
		$twice = $this->rest( 'POST', self::BASE, self::reply( array( 'shortcut' => 'THANKS' ) ) );
		$this->assertSame( 400, $twice->get_status() );
		$this->assertArrayHasKey( 'shortcut', $twice->get_data()['data']['params'] );
	}

	public function test_personal_replies_go_with_their_owner_and_shared_ones_stay() {
		require_once ABSPATH . 'wp-admin/includes/user.php';
		$manager = $this->create_user( 'administrator' );
		wp_set_current_user( $manager->ID );
		$shared   = $this->create( array() );
		$personal = $this->create( array( 'scope' => 'personal' ) );
		wp_set_current_user( 0 );
		wp_delete_user( $manager->ID );
		$this->assertNull( get_post( $personal ) );
		$this->assertNotNull( get_post( $shared ) );
	}

	public function test_the_inbox_page_knows_each_chatflows_alias_inbox_and_knowledge_base() {
		wp_set_current_user( $this->create_user( 'administrator' )->ID );
		update_option( 'blogname', 'Bolt & Co' );
		$chatflow = \Chatflows\Chatflows::create(
			'Support',
			array(
				'heading'       => array(
					'mode'       => 'custom_branding',
					'teamName'   => 'Bolt support',
					'useAsAlias' => true,
				),
				'knowledgeBase' => array( 'enabled' => true ),
			),
			'publish'
		);
		$data     = Admin::inbox_page_data();
		$this->assertSame( 'Bolt & Co', $data['siteName'] );
		$this->assertSame(
			array(
				'alias'         => 'Bolt support',
				'inboxId'       => Directory::ensure_default_inbox(),
				'knowledgeBase' => true,
			),
			( (array) $data['chatflows'] )[ (string) $chatflow ]
		);
	}
}
