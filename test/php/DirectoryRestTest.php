<?php
/**
 * Teams, agents' capacity and inboxes through the REST API, and what the agent token says of them.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Directory;
use Chatflows\Service_Connection;

/**
 * `chatflows/v1/teams`, `/agents`, `/inboxes`.
 */
class DirectoryRestTest extends TestCase {

	const BASE = '/chatflows/v1';

	protected function setUp(): void {
		parent::setUp();
		$this->stand_in_for_service();
	}

	public function test_only_managers_may_use_the_directory_routes() {
		$agent    = $this->create_user( 'chatflows_agent' );
		$team     = Directory::save_team(
			array(
				'name'      => 'Sales',
				'memberIds' => array(),
			)
		);
		$inbox    = Directory::ensure_default_inbox();
		$requests = array(
			array( 'GET', '/teams', array() ),
			array( 'POST', '/teams', array( 'name' => 'Support' ) ),
			array( 'GET', "/teams/$team", array() ),
			array( 'PUT', "/teams/$team", array( 'name' => 'Renamed' ) ),
			array( 'DELETE', "/teams/$team", array() ),
			array( 'GET', '/agents', array() ),
			array( 'GET', "/agents/{$agent->ID}", array() ),
			array( 'PUT', "/agents/{$agent->ID}", array( 'capacity' => 9 ) ),
			array( 'GET', '/inboxes', array() ),
			array( 'POST', '/inboxes', array( 'name' => 'Support' ) ),
			array( 'GET', "/inboxes/$inbox", array() ),
			array( 'PUT', "/inboxes/$inbox", array( 'name' => 'Renamed' ) ),
			array( 'DELETE', "/inboxes/$inbox", array() ),
		);
		$users    = array(
			'logged out' => array( 0, 401 ),
			'subscriber' => array( $this->create_user( 'subscriber' )->ID, 403 ),
			'agent'      => array( $agent->ID, 403 ),
		);
		foreach ( $users as $who => list( $user_id, $status ) ) {
			wp_set_current_user( $user_id );
			foreach ( $requests as list( $method, $route, $params ) ) {
				$response = $this->rest( $method, self::BASE . $route, $params );
				$this->assertSame( $status, $response->get_status(), "$who: $method $route" );
			}
		}
		$this->assertSame( 'Sales', Directory::team( $team )['name'] );
		$this->assertSame( Directory::DEFAULT_CAPACITY, Directory::capacity( $agent->ID ) );
		$this->assertSame( 0, $this->pushes() );
	}

	public function test_a_manager_creates_renames_and_deletes_a_team_of_agents() {
		$this->as_manager();
		$alex = $this->create_user( 'chatflows_agent', array( 'display_name' => 'Alex' ) );
		$sam  = $this->create_user( 'chatflows_agent', array( 'display_name' => 'Sam' ) );

		$created = $this->rest(
			'POST',
			self::BASE . '/teams',
			array(
				'name'      => ' Sales ',
				'memberIds' => array(
					$alex->ID,
					$sam->ID,
				),
			)
		);
		$this->assertSame( 201, $created->get_status() );
		$team = $created->get_data();
		$this->assertSame( 'Sales', $team['name'] );
		$this->assertSame( array( $alex->ID, $sam->ID ), $team['memberIds'] );
		$this->assertArrayHasKey( 'service', $team );

		$updated = $this->rest( 'PUT', self::BASE . "/teams/{$team['id']}", array( 'memberIds' => array( $sam->ID ) ) );
		$this->assertSame( 200, $updated->get_status() );
		$this->assertSame( 'Sales', $updated->get_data()['name'], 'name kept' );
		$this->assertSame( array( $sam->ID ), Directory::team( $team['id'] )['memberIds'] );

		$this->assertSame( array( $team['id'] ), array_column( $this->rest( 'GET', self::BASE . '/teams' )->get_data(), 'id' ) );
		$this->assertSame( 200, $this->rest( 'DELETE', self::BASE . "/teams/{$team['id']}" )->get_status() );
		$this->assertNull( Directory::team( $team['id'] ) );
		$this->assertSame( 3, $this->pushes(), 'the service is told of every change' );
	}

	public function test_team_members_must_be_agents_and_a_team_needs_a_name() {
		$this->as_manager();
		$subscriber = $this->create_user( 'subscriber' );
		$agent      = $this->create_user( 'chatflows_agent' );

		$response = $this->rest(
			'POST',
			self::BASE . '/teams',
			array(
				'name'      => '',
				'memberIds' => array(
					$agent->ID,
					$subscriber->ID,
				),
			)
		);

		$this->assertSame( 400, $response->get_status() );
		$this->assertSame( 'rest_invalid_param', $response->get_data()['code'] );
		$this->assertSame( array( 'name', 'memberIds[1]' ), array_keys( $response->get_data()['data']['params'] ) );
		$this->assertSame( array(), Directory::teams() );
		$this->assertSame( 400, $this->rest( 'POST', self::BASE . '/teams', array( 'name' => str_repeat( 'x', 101 ) ) )->get_status() );
	}

	public function test_a_team_a_chatflow_assigns_to_cannot_be_deleted() {
		$this->as_manager();
		$agent    = $this->create_user( 'chatflows_agent' );
		$team     = Directory::save_team(
			array(
				'name'      => 'Sales',
				'memberIds' => array( $agent->ID ),
			)
		);
		$response = $this->rest(
			'POST',
			self::BASE . '/chatflows',
			array(
				'title'    => 'Website chat',
				'settings' => array(
					'assignment' => array(
						'enabled' => true,
						'userIds' => array(),
						'teamIds' => array( $team ),
					),
				),
			)
		);
		$this->assertSame( 201, $response->get_status() );

		$delete = $this->rest( 'DELETE', self::BASE . "/teams/$team" );
		$this->assertSame( 409, $delete->get_status() );
		$this->assertSame( 'chatflows_team_in_use', $delete->get_data()['code'] );
		$this->assertNotNull( Directory::team( $team ) );
	}

	public function test_agents_are_the_users_who_may_answer_chats_with_capacity_and_teams() {
		$this->as_manager();
		$agent = $this->create_user( 'chatflows_agent', array( 'display_name' => 'Alex Agent' ) );
		$this->create_user( 'subscriber' );
		$team = Directory::save_team(
			array(
				'name'      => 'Sales',
				'memberIds' => array( $agent->ID ),
			)
		);

		$agents = $this->rest( 'GET', self::BASE . '/agents' )->get_data();

		$by_id = array_column( $agents, null, 'id' );
		$this->assertArrayHasKey( $agent->ID, $by_id );
		foreach ( $agents as $entry ) {
			$this->assertTrue( user_can( $entry['id'], 'chatflows_answer' ) );
		}
		$this->assertSame( 'Alex Agent', $by_id[ $agent->ID ]['name'] );
		$this->assertSame( Directory::DEFAULT_CAPACITY, $by_id[ $agent->ID ]['capacity'] );
		$this->assertSame( array( $team ), $by_id[ $agent->ID ]['teamIds'] );
		$this->assertSame( array( Directory::ensure_default_inbox() ), $by_id[ $agent->ID ]['inboxIds'] );
		$this->assertSame( 404, $this->rest( 'GET', self::BASE . '/agents/' . $this->create_user( 'subscriber' )->ID )->get_status() );
	}

	public function test_a_manager_sets_an_agents_capacity_within_1_to_100() {
		$this->as_manager();
		$agent = $this->create_user( 'chatflows_agent' );

		$response = $this->rest( 'PUT', self::BASE . "/agents/{$agent->ID}", array( 'capacity' => 12 ) );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 12, $response->get_data()['capacity'] );
		$this->assertSame( 12, Directory::capacity( $agent->ID ) );
		$this->assertSame( 1, $this->pushes() );

		foreach ( array( 0, 101, -3, 'many', 2.5 ) as $bad ) {
			$refused = $this->rest( 'PUT', self::BASE . "/agents/{$agent->ID}", array( 'capacity' => $bad ) );
			$this->assertSame( 400, $refused->get_status(), wp_json_encode( $bad ) );
			$this->assertArrayHasKey( 'capacity', $refused->get_data()['data']['params'] );
		}
		$this->assertSame( 12, Directory::capacity( $agent->ID ), 'unchanged' );
	}

	public function test_a_default_inbox_exists_and_more_inboxes_can_be_added() {
		$this->as_manager();
		$sales_agent   = $this->create_user( 'chatflows_agent' );
		$support_agent = $this->create_user( 'chatflows_agent' );
		$team          = Directory::save_team(
			array(
				'name'      => 'Support team',
				'memberIds' => array( $support_agent->ID ),
			)
		);

		$inboxes = $this->rest( 'GET', self::BASE . '/inboxes' )->get_data();
		$this->assertCount( 1, $inboxes );
		$this->assertTrue( $inboxes[0]['isDefault'] );
		$this->assertSame( 'Default inbox', $inboxes[0]['name'], 'the name the editor gives it' );

		$sales   = $this->rest(
			'POST',
			self::BASE . '/inboxes',
			array(
				'name'     => 'Sales',
				'agentIds' => array( $sales_agent->ID ),
			)
		);
		$support = $this->rest(
			'POST',
			self::BASE . '/inboxes',
			array(
				'name'    => 'Support',
				'teamIds' => array( $team ),
			)
		);
		$this->assertSame( 201, $sales->get_status() );
		$this->assertSame( 201, $support->get_status() );
		$this->assertFalse( $sales->get_data()['isDefault'] );

		$this->assertContains( $sales->get_data()['id'], Directory::agent( $sales_agent->ID )['inboxIds'] );
		$this->assertNotContains( $support->get_data()['id'], Directory::agent( $sales_agent->ID )['inboxIds'] );
		$this->assertContains( $support->get_data()['id'], Directory::agent( $support_agent->ID )['inboxIds'], 'through the team' );

		$bad = $this->rest(
			'POST',
			self::BASE . '/inboxes',
			array(
				'name'     => 'X',
				'teamIds'  => array( 999999 ),
				'agentIds' => array( 999999 ),
			)
		);
		$this->assertSame( 400, $bad->get_status() );
		$this->assertSame( array( 'agentIds[0]', 'teamIds[0]' ), array_keys( $bad->get_data()['data']['params'] ) );

		$this->assertSame( 200, $this->rest( 'PUT', self::BASE . "/inboxes/{$sales->get_data()['id']}", array( 'name' => 'Sales EU' ) )->get_status() );
		$this->assertSame( 'Sales EU', Directory::inbox( $sales->get_data()['id'] )['name'] );
	}

	public function test_a_default_inbox_named_inbox_by_an_earlier_version_takes_the_one_name_unless_renamed() {
		$this->as_manager();
		$id = Directory::ensure_default_inbox();
		wp_update_post(
			array(
				'ID'         => $id,
				'post_title' => 'Inbox',
			)
		);
		$this->assertSame( 'Default inbox', Directory::inboxes()[0]['name'] );

		$this->rest( 'PUT', self::BASE . "/inboxes/$id", array( 'name' => 'Front desk' ) );
		$this->assertSame( 'Front desk', Directory::inboxes()[0]['name'], 'a name of its own stays' );
	}

	public function test_the_default_inbox_and_inboxes_in_use_cannot_be_deleted() {
		$this->as_manager();
		$default = Directory::ensure_default_inbox();
		$this->assertSame( 409, $this->rest( 'DELETE', self::BASE . "/inboxes/$default" )->get_status() );

		$sales = Directory::save_inbox( array( 'name' => 'Sales' ) );
		$this->rest(
			'POST',
			self::BASE . '/chatflows',
			array(
				'title'    => 'Chat',
				'settings' => array( 'inboxId' => $sales ),
			)
		);
		$this->assertSame( 'chatflows_inbox_in_use', $this->rest( 'DELETE', self::BASE . "/inboxes/$sales" )->get_data()['code'] );

		$unused = Directory::save_inbox( array( 'name' => 'Unused' ) );
		$this->assertSame( 200, $this->rest( 'DELETE', self::BASE . "/inboxes/$unused" )->get_status() );
		$this->assertNull( Directory::inbox( $unused ) );
	}

	public function test_the_agent_token_carries_the_agents_teams_and_inboxes() {
		$agent = $this->create_user( 'chatflows_agent' );
		$team  = Directory::save_team(
			array(
				'name'      => 'Sales',
				'memberIds' => array( $agent->ID ),
			)
		);
		$inbox = Directory::save_inbox(
			array(
				'name'    => 'Sales',
				'teamIds' => array( $team ),
			)
		);
		wp_set_current_user( $agent->ID );

		$token  = $this->rest( 'POST', self::BASE . '/agent-token' )->get_data()['token'];
		$parts  = explode( '.', $token );
		$claims = json_decode( base64_decode( strtr( $parts[1], '-_', '+/' ) ), true ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode

		$this->assertSame( rtrim( strtr( base64_encode( hash_hmac( 'sha256', $parts[0] . '.' . $parts[1], Service_Connection::secret(), true ) ), '+/', '-_' ), '=' ), $parts[2] ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
		$this->assertSame( array( (string) $team ), $claims['teams'] );
		$this->assertContains( (string) $inbox, $claims['inboxes'] );
		$this->assertContains( (string) Directory::ensure_default_inbox(), $claims['inboxes'] );
	}

	/**
	 * Logs in a new administrator.
	 */
	private function as_manager() {
		wp_set_current_user( $this->create_user( 'administrator' )->ID );
	}

	/**
	 * Number of configuration pushes sent to the service.
	 *
	 * @return int
	 */
	private function pushes() {
		return count(
			array_filter(
				$this->sent,
				static function ( $request ) {
					return '/v1/configuration' === wp_parse_url( $request['url'], PHP_URL_PATH );
				}
			)
		);
	}
}
