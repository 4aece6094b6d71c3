<?php
/**
 * The signed sync between WordPress and the chat service, both directions.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Chatflows;
use Chatflows\Chatflow_Settings;
use Chatflows\Directory;
use Chatflows\Service_Connection;
use Chatflows\Service_Sync;

/**
 * What WordPress sends, how, and the routes the service calls.
 */
class ServiceSyncTest extends TestCase {

	/**
	 * Mails sent through wp_mail().
	 *
	 * @var array[]
	 */
	private $mails = array();

	protected function setUp(): void {
		parent::setUp();
		$this->stand_in_for_service();
		$this->mails = array();
		add_filter(
			'pre_wp_mail',
			function ( $preempt, $atts ) {
				$this->mails[] = $atts;
				return true;
			},
			10,
			2
		);
	}

	public function test_a_publish_sends_the_whole_configuration_signed_with_the_shared_secret() {
		$id = $this->published_chatflow();
		$this->assertCount( 1, $this->sent );
		$request = $this->sent[0];

		$this->assertSame( Service_Connection::url() . '/v1/configuration', $request['url'] );
		$this->assertSame( 'PUT', $request['args']['method'] );
		$this->assertLessThanOrEqual( 5, $request['args']['timeout'], 'a short timeout' );
		$headers   = $request['args']['headers'];
		$timestamp = $headers['X-Chatflows-Timestamp'];
		$this->assertEqualsWithDelta( time(), (int) $timestamp, 5 );
		$nonce = $headers['X-Chatflows-Nonce'];
		$this->assertMatchesRegularExpression( '/^[A-Za-z0-9_-]{16,64}$/', $nonce );
		$signed = "v2\nPUT\n/v1/configuration\n" . hash( 'sha256', $request['args']['body'] ) . "\n$timestamp\n$nonce";
		$this->assertSame( 'v2=' . hash_hmac( 'sha256', $signed, Service_Connection::secret() ), $headers['X-Chatflows-Signature'] );
		$this->assertNotSame( 'v2=' . hash_hmac( 'sha256', $signed, 'another secret' ), $headers['X-Chatflows-Signature'] );

		$body = json_decode( $request['args']['body'], true );
		$this->assertSame( home_url(), $body['siteUrl'] );
		$this->assertSame( array( (string) $id ), array_column( $body['chatflows'], 'id' ) );
		$this->assertTrue( $body['chatflows'][0]['enabled'] );
	}

	public function test_the_response_says_whether_the_service_took_it() {
		$this->answer = array(
			'headers'  => array(),
			'body'     => '{"ok":true}',
			'response' => array(
				'code'    => 200,
				'message' => 'OK',
			),
			'cookies'  => array(),
		);
		$this->assertSame( true, Service_Sync::push()['synced'] );

		$this->answer['response']['code'] = 401;
		$this->assertSame( false, Service_Sync::push()['synced'] );

		$this->answer = new \WP_Error( 'http_request_failed', 'Connection refused' );
		$result       = Service_Sync::push();
		$this->assertFalse( $result['synced'] );
		$this->assertStringContainsString( 'it will pick up the changes when it starts', $result['message'] );
	}

	public function test_a_chatflow_compiles_to_what_the_service_contract_says() {
		$agent = $this->create_user( 'chatflows_agent', array( 'display_name' => 'Alex' ) );
		update_user_meta( $agent->ID, Directory::CAPACITY_META, 3 );
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
		$id    = $this->published_chatflow(
			array(
				'inboxId'        => $inbox,
				'welcomeMessage' => array( 'da_DK' => 'Hej!' ),
				'assignment'     => array(
					'enabled' => true,
					'userIds' => array( $agent->ID ),
					'teamIds' => array( $team ),
				),
				'availability'   => array(
					'mode'        => 'office_hours',
					'timeZone'    => 'Europe/Copenhagen',
					'hours'       => array(
						array(
							'day'   => 1,
							'start' => '09:00',
							'end'   => '17:00',
						),
					),
					'whenOffline' => 'hide_launcher',
				),
				'options'        => array(
					'idleCloseMinutes' => 30,
					'survey'           => array(
						'enabled'  => true,
						'question' => array( 'en_US' => 'Happy?' ),
					),
				),
			)
		);

		$configuration = json_decode( wp_json_encode( Service_Sync::configuration() ), true );
		$compiled      = $configuration['chatflows'][0];

		$this->assertSame( (string) $id, $compiled['id'] );
		$this->assertSame( Chatflows::version( $id ), $compiled['version'] );
		$this->assertSame( 'Website chat', $compiled['name'] );
		$this->assertSame( (string) $inbox, $compiled['inboxId'] );
		$this->assertSame(
			array(
				'enabled' => true,
				'userIds' => array( (string) $agent->ID ),
				'teamIds' => array( (string) $team ),
				'rules'   => array(),
			),
			$compiled['assignment']
		);
		$this->assertSame(
			array(
				'mode'     => 'office_hours',
				'timeZone' => 'Europe/Copenhagen',
				'hours'    => array(
					array(
						'day'   => 1,
						'start' => '09:00',
						'end'   => '17:00',
					),
				),
			),
			$compiled['availability']
		);
		$this->assertSame( 'hide_launcher', $compiled['behaviour']['whenOffline'] );
		$this->assertSame( 30, $compiled['idleCloseMinutes'] );
		$this->assertSame(
			array(
				'enabled' => true,
				'when'    => 'after_first_message',
			),
			$compiled['emailCapture']
		);
		$this->assertSame( 'Happy?', $compiled['survey']['question']['en_US'] );
		$this->assertSame( 'Hej!', $compiled['texts']['welcome']['da_DK'] );
		$this->assertSame( Chatflow_Settings::default_texts()['welcome'], $compiled['texts']['welcome']['en_US'], 'default for a language without text' );
		$this->assertSame( array( 'en_US', 'da_DK', 'nl_NL' ), array_keys( $compiled['texts']['away'] ) );

		$agents = array_column( $configuration['agents'], null, 'id' );
		$this->assertSame( 3, $agents[ (string) $agent->ID ]['capacity'] );
		$this->assertSame( array( (string) $team ), $agents[ (string) $agent->ID ]['teamIds'] );
		$this->assertContains( (string) $inbox, $agents[ (string) $agent->ID ]['inboxIds'] );
		$this->assertSame(
			array(
				array(
					'id'        => (string) $team,
					'name'      => 'Sales',
					'memberIds' => array( (string) $agent->ID ),
				),
			),
			$configuration['teams']
		);
		$this->assertContains(
			array(
				'id'   => (string) $inbox,
				'name' => 'Sales',
			),
			$configuration['inboxes']
		);
		$this->assertContains( 'http://localhost:8880', $configuration['allowedOrigins'] );
	}

	public function test_a_chatflow_with_custom_branding_as_alias_sends_the_alias() {
		wp_set_current_user( $this->create_user( 'administrator' )->ID );
		$branded = $this->rest(
			'POST',
			'/chatflows/v1/chatflows',
			array(
				'title'    => 'Branded',
				'settings' => array(
					'heading' => array(
						'mode'       => 'custom_branding',
						'teamName'   => 'Acme Support',
						'imageId'    => 0,
						'useAsAlias' => true,
					),
				),
			)
		);
		$this->assertSame( 201, $branded->get_status(), wp_json_encode( $branded->get_data() ) );
		$plain = $this->rest(
			'POST',
			'/chatflows/v1/chatflows',
			array(
				'title'    => 'Plain',
				'settings' => array(
					'heading' => array(
						'mode'       => 'custom_branding',
						'teamName'   => 'Acme Support',
						'imageId'    => 0,
						'useAsAlias' => false,
					),
				),
			)
		);
		$this->assertSame( 'Acme Support', Service_Sync::compile( get_post( $branded->get_data()['id'] ) )['alias'] );
		$this->assertSame( '', Service_Sync::compile( get_post( $plain->get_data()['id'] ) )['alias'] );
	}

	public function test_a_user_becoming_or_leaving_an_agent_updates_the_service_once_at_the_end_of_the_request() {
		$user = $this->create_user( 'subscriber' );
		remove_action( 'shutdown', array( Service_Sync::class, 'push' ) );

		$user->set_role( 'chatflows_agent' );
		$user->add_role( 'editor' );
		$this->assertSame( 10, has_action( 'shutdown', array( Service_Sync::class, 'push' ) ) );
		$this->assertSame( array(), $this->sent, 'not during the request' );

		Service_Sync::push();
		$body = json_decode( $this->sent[0]['args']['body'], true );
		$this->assertContains( (string) $user->ID, array_column( $body['agents'], 'id' ) );

		remove_action( 'shutdown', array( Service_Sync::class, 'push' ) );
		$subscriber = $this->create_user( 'subscriber' );
		$this->assertFalse( has_action( 'shutdown', array( Service_Sync::class, 'push' ) ), 'an ordinary sign-up does not concern the service' );
		wp_update_user(
			array(
				'ID'           => $subscriber->ID,
				'display_name' => 'Not an agent',
			)
		);
		$this->assertFalse( has_action( 'shutdown', array( Service_Sync::class, 'push' ) ), 'a non-agent\'s profile does not concern the service' );
		wp_update_user(
			array(
				'ID'           => $user->ID,
				'display_name' => 'Renamed agent',
			)
		);
		$this->assertSame( 10, has_action( 'shutdown', array( Service_Sync::class, 'push' ) ) );

		remove_action( 'shutdown', array( Service_Sync::class, 'push' ) );
		wp_delete_user( $user->ID );
		$this->assertSame( 10, has_action( 'shutdown', array( Service_Sync::class, 'push' ) ), 'a deleted agent' );
		remove_action( 'shutdown', array( Service_Sync::class, 'push' ) );
	}

	public function test_the_service_pulls_the_configuration_only_with_a_good_fresh_signature() {
		$id     = $this->published_chatflow();
		$route  = '/chatflows/v1/service/configuration';
		$secret = Service_Connection::secret();
		$good   = Service_Sync::signature_headers( 'GET', $route, '', $secret );
		$signed = static function ( $timestamp, $key ) use ( $route ) {
			$nonce = wp_generate_password( 22, false );
			return array(
				'X-Chatflows-Timestamp' => (string) $timestamp,
				'X-Chatflows-Nonce'     => $nonce,
				'X-Chatflows-Signature' => Service_Sync::sign( 'GET', $route, '', (string) $timestamp, $nonce, $key ),
			);
		};

		$cases = array(
			'missing'     => array(),
			'no stamp'    => array_diff_key( $good, array( 'X-Chatflows-Timestamp' => 1 ) ),
			'no nonce'    => array_diff_key( $good, array( 'X-Chatflows-Nonce' => 1 ) ),
			'bad'         => $signed( time(), 'wrong secret' ),
			'stale'       => $signed( time() - 301, $secret ),
			'future'      => $signed( time() + 301, $secret ),
			'other stamp' => array( 'X-Chatflows-Timestamp' => (string) ( time() - 1 ) ) + $good,
			'other nonce' => array( 'X-Chatflows-Nonce' => wp_generate_password( 22, false ) ) + $good,
		);
		foreach ( $cases as $case => $headers ) {
			$response = $this->rest( 'GET', $route, array(), $headers );
			$this->assertSame( 401, $response->get_status(), $case );
			$this->assertArrayNotHasKey( 'chatflows', $response->get_data(), $case );
		}

		$response = $this->rest( 'GET', $route, array(), $good );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( (string) $id, $response->get_data()['chatflows'][0]['id'] );
		$this->assertSame( 'no-store', $response->get_headers()['Cache-Control'] );
	}

	public function test_notify_e_mails_the_assigned_team_in_plain_text() {
		$alex = $this->create_user( 'chatflows_agent', array( 'user_email' => 'alex@example.com' ) );
		$sam  = $this->create_user( 'chatflows_agent', array( 'user_email' => 'sam@example.com' ) );
		$this->create_user( 'chatflows_agent', array( 'user_email' => 'other@example.com' ) );
		$team = Directory::save_team(
			array(
				'name'      => 'Sales',
				'memberIds' => array( $sam->ID ),
			)
		);
		$id   = $this->published_chatflow(
			array(
				'assignment' => array(
					'enabled' => true,
					'userIds' => array( $alex->ID ),
					'teamIds' => array( $team ),
				),
			)
		);

		$response = $this->signed_notify( $this->notification( $id ) );

		$this->assertSame( 200, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$this->assertSame( 2, $response->get_data()['recipients'] );
		$this->assertCount( 1, $this->mails );
		$mail = $this->mails[0];
		$this->assertEqualsCanonicalizing( array( 'alex@example.com', 'sam@example.com' ), $mail['to'] );
		$this->assertStringNotContainsString( "\n", $mail['subject'] );
		$this->assertStringContainsString( 'A visitor left a message in "Website chat"', $mail['subject'] );
		$this->assertContains( 'Content-Type: text/plain; charset=UTF-8', $mail['headers'] );
		$this->assertStringContainsString( '<b>Is there a discount?</b>', $mail['message'], 'the visitor text, as text' );
		$this->assertStringContainsString( 'Visitor: Robin', $mail['message'] );
		$this->assertStringContainsString( 'https://example.com/pricing/', $mail['message'] );
	}

	public function test_notify_e_mails_the_given_agents_only() {
		$alex       = $this->create_user( 'chatflows_agent', array( 'user_email' => 'alex@example.com' ) );
		$subscriber = $this->create_user( 'subscriber', array( 'user_email' => 'sub@example.com' ) );
		$id         = $this->published_chatflow();

		$notification            = $this->notification( $id );
		$notification['userIds'] = array( (string) $alex->ID, (string) $subscriber->ID );
		$this->signed_notify( $notification );

		$this->assertSame( array( 'alex@example.com' ), $this->mails[0]['to'] );
	}

	public function test_a_digest_is_one_plain_e_mail_listing_the_folded_conversations() {
		$alex = $this->create_user( 'chatflows_agent', array( 'user_email' => 'alex@example.com' ) );
		$id   = $this->published_chatflow();

		$notification                   = $this->notification( $id );
		$notification['type']           = 'digest';
		$notification['id']             = 'digest:x:1';
		$notification['conversationId'] = '';
		$notification['pageUrl']        = '';
		$notification['userIds']        = array( (string) $alex->ID );
		$notification['visitor']        = array(
			'email' => null,
			'name'  => null,
		);
		$notification['messages'][]     = array(
			'authorName' => 'Kim',
			'body'       => "Second\nline",
			'createdAt'  => '2026-01-01T10:01:00Z',
			'authorType' => 'visitor',
		);
		$notification['count']          = 7;
		$response                       = $this->signed_notify( $notification );

		$this->assertSame( 200, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$this->assertCount( 1, $this->mails );
		$mail = $this->mails[0];
		$this->assertSame( array( 'alex@example.com' ), $mail['to'] );
		$this->assertStringContainsString( '7 more conversations in "Website chat"', $mail['subject'] );
		$this->assertStringContainsString( '<b>Is there a discount?</b>', $mail['message'] );
		$this->assertStringContainsString( 'Kim:', $mail['message'] );
		$this->assertStringContainsString( '… and 5 more.', $mail['message'] );
		$this->assertStringContainsString( 'page=chatflows-inbox', $mail['message'] );
	}

	public function test_a_transcript_goes_to_the_visitor_only_in_their_language() {
		$this->create_user( 'chatflows_agent', array( 'user_email' => 'alex@example.com' ) );
		$id = $this->published_chatflow();

		$notification             = $this->notification( $id );
		$notification['type']     = 'transcript';
		$notification['id']       = 'transcript:c-1:2';
		$notification['locale']   = 'da-DK';
		$notification['messages'] = array(
			array(
				'authorName' => '',
				'authorType' => 'visitor',
				'body'       => 'Do you ship to Denmark?',
				'createdAt'  => '2026-01-01T10:00:00Z',
			),
			array(
				'authorName' => 'Alex',
				'authorType' => 'agent',
				'body'       => 'Yes, in two days.',
				'createdAt'  => '2026-01-01T10:01:00Z',
			),
		);
		$response                 = $this->signed_notify( $notification );

		$this->assertSame( 200, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$this->assertCount( 1, $this->mails );
		$mail = $this->mails[0];
		$this->assertSame( array( 'robin@example.com' ), (array) $mail['to'] );
		$this->assertStringContainsString( 'Udskrift af en samtale i "Website chat"', $mail['subject'], 'in the visitor’s language' );
		$this->assertStringContainsString( 'Yes, in two days.', $mail['message'] );
		$this->assertStringContainsString( 'Alex:', $mail['message'] );
		$this->assertStringNotContainsString( 'wp-admin', $mail['message'], 'no link into wp-admin for a visitor' );
		$this->assertSame( 'en_US', determine_locale(), 'the site’s language is back' );

		// No address given: nothing to send.
		$notification['id']               = 'transcript:c-2:1';
		$notification['visitor']['email'] = null;
		$this->assertFalse( $this->signed_notify( $notification )->get_data()['sent'] );
		$this->assertCount( 1, $this->mails );
	}

	public function test_a_confirmation_link_goes_to_the_typed_address_in_the_visitors_language_with_nothing_the_visitor_typed() {
		$id                                = $this->published_chatflow();
		$token                             = str_repeat( 'Ab9_-', 8 ) . 'xyz';
		$notification                      = $this->notification( $id );
		$notification['id']                = 'email_confirmation:abc';
		$notification['type']              = 'email_confirmation';
		$notification['conversationId']    = '';
		$notification['visitor']           = array(
			'email' => 'nora@example.com',
			'name'  => null,
		);
		$notification['messages']          = array();
		$notification['locale']            = 'da-DK';
		$notification['confirmationToken'] = $token;

		$response = $this->signed_notify( $notification );

		$this->assertSame( 200, $response->get_status(), wp_json_encode( $response->get_data() ) );
		$this->assertCount( 1, $this->mails );
		$mail = $this->mails[0];
		$this->assertSame( array( 'nora@example.com' ), (array) $mail['to'] );
		$this->assertStringContainsString( 'Bekræft din e-mailadresse', $mail['subject'], 'in the visitor’s language' );
		$link = add_query_arg(
			array(
				'chatflows_confirm_email' => $token,
				'chatflows_locale'        => 'da_DK',
			),
			home_url( '/' )
		);
		$this->assertStringContainsString( $link, $mail['message'] );
		$this->assertStringNotContainsString( 'wp-admin', $mail['message'] );
		$this->assertStringNotContainsString( 'Website chat', $mail['message'] . $mail['subject'], 'not even the chatflow’s name' );

		// A token that is not one: refused, nothing sent.
		$notification['id']                = 'email_confirmation:def';
		$notification['confirmationToken'] = 'https://evil.example/';
		$refused                           = $this->signed_notify( $notification );
		$this->assertSame( 400, $refused->get_status() );
		$this->assertArrayHasKey( 'confirmationToken', $refused->get_data()['data']['params'] );
		$this->assertCount( 1, $this->mails );
	}

	public function test_each_notification_id_is_e_mailed_once_and_a_failed_e_mail_is_retried() {
		$this->create_user( 'chatflows_agent', array( 'user_email' => 'alex@example.com' ) );
		$id                      = $this->published_chatflow();
		$notification            = $this->notification( $id );
		$notification['id']      = 'new_conversation:c-1';
		$notification['type']    = 'new_conversation';
		$notification['userIds'] = array( (string) get_user_by( 'email', 'alex@example.com' )->ID );

		// wp_mail fails: WordPress says so, so the service tries again later.
		$failing = function () {
			return false;
		};
		add_filter( 'pre_wp_mail', $failing, 20 );
		$failed = $this->signed_notify( $notification );
		remove_filter( 'pre_wp_mail', $failing, 20 );
		$this->assertSame( 503, $failed->get_status() );
		$this->mails = array();

		$first = $this->signed_notify( $notification );
		$this->assertSame( 200, $first->get_status() );
		$this->assertStringContainsString( 'A new conversation in "Website chat"', $this->mails[0]['subject'] );
		$again = $this->signed_notify( $notification );
		$this->assertSame( 200, $again->get_status() );
		$this->assertTrue( $again->get_data()['duplicate'] );
		$this->assertCount( 1, $this->mails, 'a retry of a delivered notification sends nothing' );
	}

	public function test_notify_refuses_bad_signatures_and_bad_bodies_and_sends_nothing() {
		$id   = $this->published_chatflow();
		$body = wp_json_encode( $this->notification( $id ) );

		$unsigned = $this->rest( 'POST', '/chatflows/v1/service/notify', $this->notification( $id ) );
		$this->assertSame( 401, $unsigned->get_status() );
		$tampered = $this->rest(
			'POST',
			'/chatflows/v1/service/notify',
			$this->notification( $id ) + array( 'extra' => 1 ),
			Service_Sync::signature_headers( 'POST', '/chatflows/v1/service/notify', $body, Service_Connection::secret() )
		);
		$this->assertSame( 401, $tampered->get_status(), 'the signature covers the body' );

		$invalid = $this->signed_notify(
			array(
				'type'       => 'spam',
				'chatflowId' => (string) $id,
			)
		);
		$this->assertSame( 400, $invalid->get_status() );
		$this->assertArrayHasKey( 'type', $invalid->get_data()['data']['params'] );
		$this->assertArrayHasKey( 'messages', $invalid->get_data()['data']['params'] );
		$this->assertSame( array(), $this->mails );
	}

	/**
	 * Creates and publishes a chatflow through the REST API as a manager.
	 *
	 * @param array $settings Settings.
	 * @return int ID.
	 */
	private function published_chatflow( array $settings = array() ) {
		$user = wp_get_current_user();
		wp_set_current_user( $this->create_user( 'administrator' )->ID );
		$created = $this->rest(
			'POST',
			'/chatflows/v1/chatflows',
			array(
				'title'    => 'Website chat',
				'settings' => (object) $settings,
			)
		);
		$this->assertSame( 201, $created->get_status(), wp_json_encode( $created->get_data() ) );
		$id         = $created->get_data()['id'];
		$this->sent = array();
		$this->assertSame( 200, $this->rest( 'POST', "/chatflows/v1/chatflows/$id/publish" )->get_status() );
		wp_set_current_user( $user->ID );
		return $id;
	}

	/**
	 * A valid `ServiceNotification`.
	 *
	 * @param int $chatflow_id Chatflow.
	 * @return array
	 */
	private function notification( $chatflow_id ) {
		return array(
			'type'           => 'offline_message',
			'chatflowId'     => (string) $chatflow_id,
			'conversationId' => 'c-1',
			'userIds'        => array(),
			'visitor'        => array(
				'email' => 'robin@example.com',
				'name'  => 'Robin',
			),
			'messages'       => array(
				array(
					'authorName' => '',
					'body'       => '<b>Is there a discount?</b>',
					'createdAt'  => '2026-01-01T10:00:00Z',
				),
			),
			'pageUrl'        => 'https://example.com/pricing/',
		);
	}

	/**
	 * Posts a notification signed as the service does.
	 *
	 * @param array $notification Body.
	 * @return \WP_REST_Response
	 */
	private function signed_notify( array $notification ) {
		return $this->signed_rest( 'POST', '/chatflows/v1/service/notify', $notification );
	}
}
