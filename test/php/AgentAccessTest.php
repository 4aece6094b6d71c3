<?php
/**
 * WordPress tells the chat service, signed, when a user's rights to answer chats change, so the service cuts or
 * narrows that user's open inbox connections (the service side is tested in server/test/agent-access.test.ts).
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Agent_Access;
use Chatflows\Capabilities;
use Chatflows\Directory;
use Chatflows\Service_Connection;
use Chatflows\Service_Sync;

/**
 * `POST {service}/v1/agents/access` on role, capability, team and inbox changes and deletions.
 */
class AgentAccessTest extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		$this->stand_in_for_service();
	}

	/**
	 * The rights changes sent to the service, each checked to be signed, as `{ changedAt, agents }`.
	 *
	 * @return array[]
	 */
	private function reports() {
		$reports = array();
		foreach ( $this->sent as $request ) {
			if ( Service_Connection::url() . Agent_Access::PATH !== $request['url'] ) {
				continue;
			}
			$this->assertSame( 'POST', $request['args']['method'] );
			$headers = $request['args']['headers'];
			$this->assertTrue(
				Service_Sync::verify( 'POST', Agent_Access::PATH, $request['args']['body'], $headers['X-Chatflows-Timestamp'], $headers['X-Chatflows-Nonce'], $headers['X-Chatflows-Signature'] ),
				'signed with the shared secret'
			);
			$reports[] = json_decode( $request['args']['body'], true );
		}
		return $reports;
	}

	/**
	 * Ends the request: what was gathered is sent.
	 */
	private function end_of_request() {
		$this->assertSame( 10, has_action( 'shutdown', array( Agent_Access::class, 'send_pending' ) ), 'sent at the end of the request' );
		Agent_Access::send_pending();
	}

	public function test_an_agent_demoted_to_subscriber_is_revoked_once_at_the_end_of_the_request() {
		$agent = $this->create_user( 'chatflows_agent' );
		Agent_Access::send_pending();
		$this->sent = array();

		$agent->set_role( 'subscriber' );
		$this->assertSame( array(), $this->reports(), 'not during the request' );
		$this->end_of_request();

		$reports = $this->reports();
		$this->assertCount( 1, $reports );
		$this->assertEqualsWithDelta( time(), $reports[0]['changedAt'], 5 );
		$this->assertSame(
			array(
				array(
					'userId'  => (string) $agent->ID,
					'revoked' => true,
				),
			),
			$reports[0]['agents']
		);
	}

	public function test_a_deleted_agent_is_revoked() {
		$agent = $this->create_user( 'chatflows_agent' );
		Agent_Access::send_pending();
		$this->sent = array();

		require_once ABSPATH . 'wp-admin/includes/user.php';
		wp_delete_user( $agent->ID );
		$this->end_of_request();

		$this->assertSame(
			array(
				array(
					'userId'  => (string) $agent->ID,
					'revoked' => true,
				),
			),
			$this->reports()[0]['agents']
		);
	}

	public function test_a_capability_taken_or_given_directly_is_reported() {
		$editor = $this->create_user( 'editor' );
		Agent_Access::send_pending();
		$this->sent = array();

		$editor->add_cap( Capabilities::ANSWER );
		$this->end_of_request();
		$given = $this->reports()[0]['agents'][0];
		$this->assertSame( (string) $editor->ID, $given['userId'] );
		$this->assertSame( array( Capabilities::ANSWER ), $given['caps'] );
		$this->assertSame( array( 'userId', 'caps', 'teams', 'inboxes' ), array_keys( $given ) );

		$this->sent = array();
		$editor->remove_cap( Capabilities::ANSWER );
		$this->end_of_request();
		$this->assertSame( array( 'revoked' => true ), array_diff_key( $this->reports()[0]['agents'][0], array( 'userId' => 1 ) ) );
	}

	public function test_removing_an_agent_from_a_team_sends_their_narrower_scope() {
		wp_set_current_user( $this->create_user( 'administrator' )->ID );
		$agent = $this->create_user( 'chatflows_agent' );
		$other = $this->create_user( 'chatflows_agent' );
		$team  = Directory::save_team(
			array(
				'name'      => 'Billing',
				'memberIds' => array( $agent->ID ),
			)
		);
		$inbox = Directory::save_inbox(
			array(
				'name'    => 'Billing inbox',
				'teamIds' => array( $team ),
			)
		);
		$this->assertContains( (string) $inbox, Agent_Access::rights_of( $agent->ID )['inboxes'] );
		$this->sent = array();

		$response = $this->rest( 'PUT', "/chatflows/v1/teams/$team", array( 'memberIds' => array( $other->ID ) ) );
		$this->assertSame( 200, $response->get_status() );

		$reports = $this->reports();
		$this->assertCount( 1, $reports, 'at once, for every agent' );
		$by_user = array_column( $reports[0]['agents'], null, 'userId' );
		$this->assertSame( array(), $by_user[ (string) $agent->ID ]['teams'] );
		$this->assertNotContains( (string) $inbox, $by_user[ (string) $agent->ID ]['inboxes'] );
		$this->assertSame( array( (string) $team ), $by_user[ (string) $other->ID ]['teams'] );
		$this->assertContains( (string) $inbox, $by_user[ (string) $other->ID ]['inboxes'] );
		// What the token the agent gets next says, too.
		$this->assertSame( Agent_Access::rights_of( $agent->ID )['inboxes'], $by_user[ (string) $agent->ID ]['inboxes'] );
	}

	public function test_ordinary_users_cost_nothing() {
		Agent_Access::send_pending();
		$this->sent = array();
		$subscriber = $this->create_user( 'subscriber' );
		wp_update_user(
			array(
				'ID'           => $subscriber->ID,
				'display_name' => 'Not an agent',
			)
		);
		$subscriber->set_role( 'author' );
		$this->assertNull( Agent_Access::send_pending() );
		$this->assertSame( array(), $this->sent );
	}
}
