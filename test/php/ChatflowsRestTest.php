<?php
/**
 * The chatflows REST API: permissions, validation, conflicts and the life of a chatflow.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Chatflow_Post_Type;
use Chatflows\Chatflows;
use Chatflows\Directory;

/**
 * `chatflows/v1/chatflows` and its sub-routes.
 */
class ChatflowsRestTest extends TestCase {

	const BASE = '/chatflows/v1/chatflows';

	protected function setUp(): void {
		parent::setUp();
		// Record what WordPress sends; the connection is refused.
		$this->stand_in_for_service();
	}

	public function test_every_route_has_a_permission_check() {
		$routes = rest_get_server()->get_routes( 'chatflows/v1' );
		unset( $routes['/chatflows/v1'] ); // The namespace's index, which core serves.
		foreach ( $routes as $route => $endpoints ) {
			foreach ( $endpoints as $endpoint ) {
				$this->assertIsCallable( $endpoint['permission_callback'] ?? null, $route );
			}
		}
		foreach ( array( '', '/(?P<id>\d+)', '/(?P<id>\d+)/duplicate', '/(?P<id>\d+)/publish', '/(?P<id>\d+)/unpublish' ) as $suffix ) {
			$this->assertArrayHasKey( self::BASE . $suffix, $routes );
		}
	}

	public function test_only_managers_may_use_any_chatflow_route() {
		$id       = $this->create_as_manager( 'Website chat' );
		$requests = array(
			array( 'GET', self::BASE, array() ),
			array( 'POST', self::BASE, array( 'title' => 'Other' ) ),
			array( 'GET', self::BASE . "/$id", array() ),
			array(
				'PUT',
				self::BASE . "/$id",
				array(
					'version' => 1,
					'title'   => 'Renamed',
				),
			),
			array( 'DELETE', self::BASE . "/$id", array() ),
			array( 'POST', self::BASE . "/$id/duplicate", array() ),
			array( 'POST', self::BASE . "/$id/publish", array() ),
			array( 'POST', self::BASE . "/$id/unpublish", array() ),
		);
		$users    = array(
			'logged out' => array( 0, 401 ),
			'subscriber' => array( $this->create_user( 'subscriber' )->ID, 403 ),
			'agent'      => array( $this->create_user( 'chatflows_agent' )->ID, 403 ),
		);
		foreach ( $users as $who => list( $user_id, $status ) ) {
			wp_set_current_user( $user_id );
			foreach ( $requests as list( $method, $route, $params ) ) {
				$response = $this->rest( $method, $route, $params );
				$this->assertSame( $status, $response->get_status(), "$who: $method $route" );
				$this->assertSame( 'chatflows_cannot_manage', $response->get_data()['code'] );
			}
		}
		$this->assertSame( 'Website chat', get_post( $id )->post_title, 'nothing changed' );
		$this->assertCount( 1, Chatflows::all() );
	}

	public function test_a_manager_creates_a_chatflow_as_a_draft_with_every_default() {
		$this->as_manager();
		$response = $this->rest( 'POST', self::BASE, array( 'title' => 'Sales chat' ) );

		$this->assertSame( 201, $response->get_status() );
		$data = $response->get_data();
		$this->assertSame( 'Sales chat', $data['title'] );
		$this->assertFalse( $data['enabled'] );
		$this->assertSame( 1, $data['version'] );
		$this->assertSame( 'draft', get_post_status( $data['id'] ) );
		$this->assertMatchesRegularExpression( '/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/', $data['modified'] );
		$settings = json_decode( wp_json_encode( $data['settings'] ), true );
		$this->assertSame( '#2563eb', $settings['display']['accentColor'] );
		$this->assertSame( 'users', $settings['availability']['mode'] );
		$this->assertSame( 5, $settings['displayBehaviour']['triggers']['timeOnPageSeconds'] );
		$this->assertFalse( $settings['target']['allPages'] );
		// The Options tab as HubSpot's article describes a new live chat: consent to chat cookies (before the
		// chat) and to process data on; consent to communications, marketing contacts and the survey off.
		$options = $settings['options'];
		$this->assertTrue( $options['cookieConsent']['enabled'] );
		$this->assertSame( 'before_chat', $options['cookieConsent']['when'] );
		$this->assertTrue( $options['dataConsent']['enabled'] );
		$this->assertSame( 'explicit', $options['dataConsent']['mode'] );
		$this->assertFalse( $options['communicationsConsent']['enabled'] );
		$this->assertSame( 'one_to_one', $options['communicationsConsent']['subscriptionType'] );
		$this->assertFalse( $options['marketingContacts'] );
		$this->assertFalse( $options['survey']['enabled'] );
		$this->assertSame( 'users_and_teams', $settings['heading']['mode'] );
		$this->assertSame( array(), $settings['heading']['userIds'] );
		$this->assertSame( array(), $settings['heading']['teamIds'] );
		$this->assertSame( '{}', wp_json_encode( $data['settings']->welcomeMessage ), 'texts per language are JSON objects' );
		$this->assertSame( 'Pages that choose this chatflow', $data['target'] );
		$this->assertSame( array( 'synced', 'message' ), array_keys( $data['service'] ) );
	}

	public function test_a_second_chatflow_comes_after_the_first_and_the_list_is_by_priority() {
		$first  = $this->create_as_manager( 'First' );
		$second = $this->create_as_manager( 'Second' );
		$this->assertSame(
			200,
			$this->rest(
				'PUT',
				self::BASE . "/$second",
				array(
					'version'  => 1,
					'priority' => 0,
				)
			)->get_status()
		);
		$this->assertSame(
			200,
			$this->rest(
				'PUT',
				self::BASE . "/$first",
				array(
					'version'  => 1,
					'priority' => 1,
				)
			)->get_status()
		);

		$list = $this->rest( 'GET', self::BASE )->get_data();
		$this->assertSame( array( $second, $first ), array_column( $list, 'id' ) );
		$this->assertSame( array( 'id', 'title', 'enabled', 'modified', 'version', 'priority', 'target', 'settings' ), array_keys( $list[0] ) );
	}

	public function test_a_manager_updates_some_settings_and_keeps_the_others() {
		$id       = $this->create_as_manager( 'Website chat', array( 'welcomeMessage' => array( 'en_US' => 'Hello' ) ) );
		$response = $this->rest(
			'PUT',
			self::BASE . "/$id",
			array(
				'version'  => 1,
				'title'    => 'Renamed',
				'settings' => array(
					'display'      => array( 'accentColor' => '#ff0000' ),
					'availability' => array(
						'mode'     => 'office_hours',
						'timeZone' => 'Europe/Copenhagen',
						'hours'    => array(
							array(
								'day'   => 1,
								'start' => '09:00',
								'end'   => '12:00',
							),
							array(
								'day'   => 1,
								'start' => '13:00',
								'end'   => '24:00',
							),
						),
					),
				),
			)
		);
		$this->assertSame( 200, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$data     = $response->get_data();
		$settings = Chatflows::settings( $id );
		$this->assertSame( 2, $data['version'] );
		$this->assertSame( 'Renamed', get_post( $id )->post_title );
		$this->assertSame( '#ff0000', $settings['display']['accentColor'] );
		$this->assertSame( 'Europe/Copenhagen', $settings['availability']['timeZone'] );
		$this->assertSame( 'show_return_time', $settings['availability']['whenOffline'], 'not sent: kept' );
		$this->assertSame( array( 'en_US' => 'Hello' ), $settings['welcomeMessage'], 'not sent: kept' );
	}

	public function test_removing_a_language_from_a_text_resets_it_to_the_default() {
		$id = $this->create_as_manager(
			'Website chat',
			array(
				'welcomeMessage' => array(
					'en_US' => 'Hello',
					'da_DK' => 'Hej',
				),
			)
		);
		$this->rest(
			'PUT',
			self::BASE . "/$id",
			array(
				'version'  => 1,
				'settings' => array( 'welcomeMessage' => array( 'da_DK' => 'Hej' ) ),
			)
		);
		$this->assertSame( array( 'da_DK' => 'Hej' ), Chatflows::settings( $id )['welcomeMessage'] );
	}

	/**
	 * Each kind of bad input the issue lists, refused with the field named.
	 *
	 * @dataProvider bad_settings
	 *
	 * @param array  $settings Settings to send.
	 * @param string $field    The field the error must name.
	 */
	public function test_bad_settings_are_refused_naming_the_field_and_nothing_is_saved( array $settings, $field ) {
		$id         = $this->create_as_manager( 'Website chat' );
		$before     = get_post_meta( $id, Chatflows::SETTINGS_META, true );
		$this->sent = array();
		$request    = array(
			'version'  => 1,
			'title'    => 'Must not be saved',
			'settings' => $settings,
		);

		$response = $this->rest( 'PUT', self::BASE . "/$id", $request );

		$this->assertSame( 400, $response->get_status() );
		$data = $response->get_data();
		$this->assertSame( 'rest_invalid_param', $data['code'] );
		$this->assertArrayHasKey( $field, $data['data']['params'], wp_json_encode( $data['data']['params'] ) );
		$this->assertNotSame( '', $data['data']['params'][ $field ] );
		$this->assertSame( $before, get_post_meta( $id, Chatflows::SETTINGS_META, true ), 'settings unchanged' );
		$this->assertSame( 'Website chat', get_post( $id )->post_title, 'title unchanged' );
		$this->assertSame( 1, Chatflows::version( $id ), 'version unchanged' );
		$this->assertSame( array(), $this->sent, 'the service is not told' );

		// Creating with the same settings is refused too, and creates nothing.
		$create = $this->rest(
			'POST',
			self::BASE,
			array(
				'title'    => 'New',
				'settings' => $settings,
			)
		);
		$this->assertSame( 400, $create->get_status() );
		$this->assertArrayHasKey( $field, $create->get_data()['data']['params'] );
		$this->assertCount( 1, Chatflows::all() );
	}

	/**
	 * Bad settings and the field each one must name.
	 *
	 * @return array[]
	 */
	public function bad_settings() {
		$hours = static function ( array $ranges ) {
			return array(
				'availability' => array(
					'mode'     => 'office_hours',
					'timeZone' => 'UTC',
					'hours'    => $ranges,
				),
			);
		};
		return array(
			'colour not a colour'         => array( array( 'display' => array( 'accentColor' => 'red; background:url(x)' ) ), 'settings.display.accentColor' ),
			'negative seconds'            => array( array( 'displayBehaviour' => array( 'triggers' => array( 'timeOnPageSeconds' => -1 ) ) ), 'settings.displayBehaviour.triggers.timeOnPageSeconds' ),
			'absurd seconds'              => array( array( 'displayBehaviour' => array( 'triggers' => array( 'timeOnPageSeconds' => 99999 ) ) ), 'settings.displayBehaviour.triggers.timeOnPageSeconds' ),
			'scroll over 100'             => array( array( 'displayBehaviour' => array( 'triggers' => array( 'scrollPercent' => 101 ) ) ), 'settings.displayBehaviour.triggers.scrollPercent' ),
			'scroll under 0'              => array( array( 'displayBehaviour' => array( 'triggers' => array( 'scrollPercent' => -5 ) ) ), 'settings.displayBehaviour.triggers.scrollPercent' ),
			'overlapping office hours'    => array(
				$hours(
					array(
						array(
							'day'   => 1,
							'start' => '09:00',
							'end'   => '12:00',
						),
						array(
							'day'   => 1,
							'start' => '11:00',
							'end'   => '14:00',
						),
					)
				),
				'settings.availability.hours[1].start',
			),
			'inverted office hours'       => array(
				$hours(
					array(
						array(
							'day'   => 2,
							'start' => '09:00',
							'end'   => '12:00',
						),
						array(
							'day'   => 2,
							'start' => '17:00',
							'end'   => '13:00',
						),
					)
				),
				'settings.availability.hours[1].end',
			),
			'empty office-hour range'     => array(
				$hours(
					array(
						array(
							'day'   => 3,
							'start' => '09:00',
							'end'   => '09:00',
						),
					)
				),
				'settings.availability.hours[0].end',
			),
			'no office hours at all'      => array( $hours( array() ), 'settings.availability.hours' ),
			'not a time'                  => array(
				$hours(
					array(
						array(
							'day'   => 3,
							'start' => '9am',
							'end'   => '17:00',
						),
					)
				),
				'settings.availability.hours[0].start',
			),
			'day out of range'            => array(
				$hours(
					array(
						array(
							'day'   => 7,
							'start' => '09:00',
							'end'   => '17:00',
						),
					)
				),
				'settings.availability.hours[0].day',
			),
			'unknown time zone'           => array( array( 'availability' => array( 'timeZone' => 'Mars/Olympus_Mons' ) ), 'settings.availability.timeZone' ),
			'assignment with nobody'      => array(
				array(
					'assignment' => array(
						'enabled' => true,
						'userIds' => array(),
						'teamIds' => array(),
					),
				),
				'settings.assignment.userIds',
			),
			'assignment to a non-agent'   => array(
				array(
					'assignment' => array(
						'enabled' => true,
						'userIds' => array( 999999 ),
						'teamIds' => array(),
					),
				),
				'settings.assignment.userIds[0]',
			),
			'assignment to no such team'  => array(
				array(
					'assignment' => array(
						'enabled' => true,
						'userIds' => array(),
						'teamIds' => array( 999999 ),
					),
				),
				'settings.assignment.teamIds[0]',
			),
			'text over the sane length'   => array( array( 'welcomeMessage' => array( 'en_US' => str_repeat( 'a', 1001 ) ) ), 'settings.welcomeMessage.en_US' ),
			'text in an unknown language' => array( array( 'welcomeMessage' => array( 'fr_FR' => 'Bonjour' ) ), 'settings.welcomeMessage.fr_FR' ),
			'unknown enum value'          => array( array( 'displayBehaviour' => array( 'desktop' => 'popup' ) ), 'settings.displayBehaviour.desktop' ),
			'unknown setting'             => array( array( 'colour' => '#fff' ), 'settings.colour' ),
			'wrong type'                  => array( array( 'emailCapture' => array( 'enabled' => 'perhaps' ) ), 'settings.emailCapture.enabled' ),
			'privacy link not a link'     => array( array( 'options' => array( 'dataConsent' => array( 'privacyPolicyUrl' => 'javascript:alert(1)' ) ) ), 'settings.options.dataConsent.privacyPolicyUrl' ),
			'no such inbox'               => array( array( 'inboxId' => 999999 ), 'settings.inboxId' ),
			'heading shows a non-agent'   => array( array( 'heading' => array( 'userIds' => array( 999999 ) ) ), 'settings.heading.userIds[0]' ),
			'heading shows no such team'  => array( array( 'heading' => array( 'teamIds' => array( 999999 ) ) ), 'settings.heading.teamIds[0]' ),
			'heading ids not a list'      => array( array( 'heading' => array( 'userIds' => 'everyone' ) ), 'settings.heading.userIds' ),
			'unknown subscription type'   => array( array( 'options' => array( 'communicationsConsent' => array( 'subscriptionType' => 'one_to_one<script>' ) ) ), 'settings.options.communicationsConsent.subscriptionType' ),
		);
	}

	public function test_every_offending_field_is_named_at_once() {
		$id       = $this->create_as_manager( 'Website chat' );
		$response = $this->rest(
			'PUT',
			self::BASE . "/$id",
			array(
				'version'  => 1,
				'title'    => '',
				'settings' => array(
					'display'          => array( 'accentColor' => 'blue' ),
					'displayBehaviour' => array( 'triggers' => array( 'scrollPercent' => 200 ) ),
				),
			)
		);
		$this->assertSame( 400, $response->get_status() );
		$params = $response->get_data()['data']['params'];
		$this->assertArrayHasKey( 'title', $params );
		$this->assertArrayHasKey( 'settings.display.accentColor', $params );
		$this->assertArrayHasKey( 'settings.displayBehaviour.triggers.scrollPercent', $params );
		$this->assertStringContainsString( 'colour', $params['settings.display.accentColor'] );
	}

	public function test_a_missing_title_is_refused_on_create() {
		$this->as_manager();
		$response = $this->rest( 'POST', self::BASE, array( 'settings' => array() ) );
		$this->assertSame( 400, $response->get_status() );
		$this->assertArrayHasKey( 'title', $response->get_data()['data']['params'] );
		$this->assertCount( 0, Chatflows::all() );
	}

	public function test_assignment_to_an_agent_and_a_team_is_accepted() {
		$agent = $this->create_user( 'chatflows_agent' );
		$team  = Directory::save_team(
			array(
				'name'      => 'Sales',
				'memberIds' => array( $agent->ID ),
			)
		);
		$id    = $this->create_as_manager(
			'Website chat',
			array(
				'assignment' => array(
					'enabled' => true,
					'userIds' => array( $agent->ID ),
					'teamIds' => array( $team ),
				),
			)
		);
		$this->assertSame( array( $agent->ID ), Chatflows::settings( $id )['assignment']['userIds'] );
	}

	public function test_html_in_texts_is_stored_and_returned_as_text() {
		$text = '<script>alert("x")</script> <b>bold</b> & "quotes" \\ back\'slash';
		$id   = $this->create_as_manager( 'Website chat', array( 'welcomeMessage' => array( 'en_US' => $text ) ) );

		$this->assertSame( $text, Chatflows::settings( $id )['welcomeMessage']['en_US'] );
		$read = $this->rest( 'GET', self::BASE . "/$id" )->get_data();
		$this->assertSame( $text, $read['settings']->welcomeMessage->en_US );
	}

	public function test_a_save_over_a_newer_version_is_refused_with_409_and_nothing_saved() {
		$id = $this->create_as_manager( 'Website chat' );
		// Another editor saves first.
		$this->assertSame(
			200,
			$this->rest(
				'PUT',
				self::BASE . "/$id",
				array(
					'version' => 1,
					'title'   => 'Theirs',
				)
			)->get_status()
		);

		$response = $this->rest(
			'PUT',
			self::BASE . "/$id",
			array(
				'version'  => 1,
				'title'    => 'Mine',
				'settings' => array( 'display' => array( 'accentColor' => '#000000' ) ),
			)
		);

		$this->assertSame( 409, $response->get_status() );
		$this->assertSame( 'chatflows_conflict', $response->get_data()['code'] );
		$this->assertSame( 2, $response->get_data()['data']['version'] );
		$this->assertSame( 'Theirs', get_post( $id )->post_title );
		$this->assertSame( '#2563eb', Chatflows::settings( $id )['display']['accentColor'] );
	}

	public function test_publish_and_unpublish_turn_a_chatflow_on_and_off_and_tell_the_service() {
		$id         = $this->create_as_manager( 'Website chat' );
		$this->sent = array();

		$on = $this->rest( 'POST', self::BASE . "/$id/publish" );
		$this->assertSame( 200, $on->get_status() );
		$this->assertTrue( $on->get_data()['enabled'] );
		$this->assertSame( 'publish', get_post_status( $id ) );
		$this->assertSame( 2, $on->get_data()['version'] );
		$this->assertFalse( $on->get_data()['service']['synced'], 'nothing listens in the tests' );
		$this->assertStringContainsString( 'will pick up the changes when it starts', $on->get_data()['service']['message'] );
		$this->assertCount( 1, $this->sent );
		$this->assertSame( 'PUT', $this->sent[0]['args']['method'] );

		$off = $this->rest( 'POST', self::BASE . "/$id/unpublish" );
		$this->assertFalse( $off->get_data()['enabled'] );
		$this->assertSame( 'draft', get_post_status( $id ) );
		$this->assertCount( 2, $this->sent );
	}

	public function test_publishing_refuses_settings_that_are_no_longer_valid() {
		$agent = $this->create_user( 'chatflows_agent' );
		$id    = $this->create_as_manager(
			'Website chat',
			array(
				'assignment' => array(
					'enabled' => true,
					'userIds' => array( $agent->ID ),
					'teamIds' => array(),
				),
			)
		);
		$agent->set_role( 'subscriber' );

		$response = $this->rest( 'POST', self::BASE . "/$id/publish" );
		$this->assertSame( 400, $response->get_status() );
		$this->assertArrayHasKey( 'settings.assignment.userIds[0]', $response->get_data()['data']['params'] );
		$this->assertSame( 'draft', get_post_status( $id ) );
	}

	public function test_duplicate_copies_settings_as_a_new_draft() {
		$id = $this->create_as_manager( 'Website chat', array( 'display' => array( 'accentColor' => '#123456' ) ) );
		$this->rest( 'POST', self::BASE . "/$id/publish" );

		$response = $this->rest( 'POST', self::BASE . "/$id/duplicate" );

		$this->assertSame( 201, $response->get_status() );
		$copy = $response->get_data();
		$this->assertNotSame( $id, $copy['id'] );
		$this->assertSame( 'Website chat (copy)', $copy['title'] );
		$this->assertFalse( $copy['enabled'] );
		$this->assertSame( 1, $copy['version'] );
		$this->assertSame( '#123456', Chatflows::settings( $copy['id'] )['display']['accentColor'] );
		$this->assertGreaterThan( get_post( $id )->menu_order, $copy['priority'] );
	}

	public function test_delete_removes_the_chatflow_and_the_pages_choice_of_it() {
		$id   = $this->create_as_manager( 'Website chat' );
		$page = wp_insert_post(
			array(
				'post_type'   => 'page',
				'post_status' => 'publish',
				'post_title'  => 'Pricing',
			)
		);
		update_post_meta( $page, Chatflow_Post_Type::PAGE_CHATFLOW_META, $id );

		$response = $this->rest( 'DELETE', self::BASE . "/$id" );

		$this->assertSame( 200, $response->get_status() );
		$this->assertTrue( $response->get_data()['deleted'] );
		$this->assertNull( get_post( $id ) );
		$this->assertEmpty( get_metadata_raw( 'post', $page, Chatflow_Post_Type::PAGE_CHATFLOW_META ) );
		$this->assertSame( 404, $this->rest( 'GET', self::BASE . "/$id" )->get_status() );
	}

	public function test_an_id_that_is_not_a_chatflow_is_not_found() {
		$this->as_manager();
		$post = wp_insert_post(
			array(
				'post_type'   => 'post',
				'post_status' => 'publish',
				'post_title'  => 'News',
			)
		);
		foreach ( array( array( 'GET', '' ), array( 'DELETE', '' ), array( 'POST', '/publish' ), array( 'POST', '/duplicate' ) ) as list( $method, $suffix ) ) {
			$this->assertSame( 404, $this->rest( $method, self::BASE . "/$post$suffix" )->get_status(), "$method $suffix" );
		}
		$this->assertSame( 'publish', get_post_status( $post ) );
	}

	/**
	 * Logs in a new administrator.
	 */
	private function as_manager() {
		if ( ! current_user_can( 'chatflows_manage' ) ) {
			wp_set_current_user( $this->create_user( 'administrator' )->ID );
		}
	}

	/**
	 * Creates a chatflow through the REST API as a manager.
	 *
	 * @param string $title    Name.
	 * @param array  $settings Settings.
	 * @return int ID.
	 */
	private function create_as_manager( $title, array $settings = array() ) {
		$this->as_manager();
		$response = $this->rest(
			'POST',
			self::BASE,
			array(
				'title'    => $title,
				'settings' => (object) $settings,
			)
		);
		$this->assertSame( 201, $response->get_status(), wp_json_encode( $response->get_data() ) );
		return $response->get_data()['id'];
	}
}
