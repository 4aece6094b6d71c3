<?php
/**
 * The privacy exporter and eraser as WordPress calls them, against a stand-in service answering what
 * server/src/contract/privacy.ts says: the request they send, how the answer maps into export groups, and the
 * errors WordPress shows. PrivacyToolsTest runs them against the real service.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Chatflow_Settings;
use Chatflows\Chatflows;
use Chatflows\Privacy;
use Chatflows\Privacy_Settings;
use Chatflows\Service_Connection;

/**
 * Exporter, eraser, suggested policy text and the WP Consent API declaration.
 */
class PrivacyExportTest extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		$this->stand_in_for_service();
	}

	public function test_the_exporter_asks_the_service_for_the_page_signed_and_maps_every_group() {
		$chatflow = Chatflows::create( 'Website chat', Chatflow_Settings::defaults(), 'publish' );
		$this->answer_with( $this->export_page( (string) $chatflow ) );

		$page = $this->exporter()( 'Ada@Example.com', 1 );

		$this->assertCount( 1, $this->sent );
		$request = $this->sent[0];
		$this->assertSame( Service_Connection::url() . '/v1/privacy/export', $request['url'] );
		$this->assertSame( 'POST', $request['args']['method'] );
		$this->assertSame(
			array(
				'email' => 'Ada@Example.com',
				'page'  => 1,
			),
			json_decode( $request['args']['body'], true )
		);
		$timestamp = $request['args']['headers']['X-Chatflows-Timestamp'];
		$nonce     = $request['args']['headers']['X-Chatflows-Nonce'];
		$signed    = "v2\nPOST\n/v1/privacy/export\n" . hash( 'sha256', $request['args']['body'] ) . "\n$timestamp\n$nonce";
		$this->assertSame( 'v2=' . hash_hmac( 'sha256', $signed, Service_Connection::secret() ), $request['args']['headers']['X-Chatflows-Signature'] );

		$this->assertNotWPError( $page );
		$this->assertTrue( $page['done'] );
		$groups = $this->by_group( $page['data'] );
		$this->assertSame(
			array( 'chatflows-contact', 'chatflows-consents', 'chatflows-conversations', 'chatflows-messages', 'chatflows-tickets', 'chatflows-survey-answers' ),
			array_keys( $groups )
		);
		foreach ( $page['data'] as $item ) {
			$this->assertNotEmpty( $item['group_label'] );
			$this->assertNotEmpty( $item['item_id'] );
		}

		$contact = $groups['chatflows-contact'][0];
		$this->assertSame( 'Chat contact', $contact['group_label'] );
		$this->assertSame( 'ada@example.com', $contact['values']['E-mail address'] );
		$this->assertSame( 'Ada &lt;Lovelace&gt;', $contact['values']['Name'], 'values are escaped' );
		$this->assertSame( 'Yes', $contact['values']['Marketing contact'] );

		$consent = $groups['chatflows-consents'][0]['values'];
		$this->assertSame( 'Processing of personal data', $consent['Consent'] );
		$this->assertSame( 'Given', $consent['Answer'] );
		$this->assertSame( 'Checkbox', $consent['How'] );
		$this->assertSame( 'I agree that you store &amp; process my data.', $consent['Text shown'] );
		$this->assertSame( '0123456789abcdef', $consent['Text version'] );
		$this->assertSame( 'da_DK', $consent['Language'] );
		$this->assertSame( '2026-11-20T10:00:00.000Z', $consent['Time'] );
		$this->assertSame( 'Website chat', $consent['Chatflow'], 'the chatflow by name' );
		$this->assertSame( 'https://shop.example.com/pricing/', $consent['Page'] );
		$declined = $groups['chatflows-consents'][1]['values'];
		$this->assertSame( 'Declined', $declined['Answer'] );
		$this->assertSame( esc_html( 'The site\'s consent tool (WP Consent API)' ), $declined['How'] );
		$this->assertSame( 'Chatflow 999999 (deleted)', $declined['Chatflow'] );
		$this->assertSame( 'newsletter', $declined['Subscription type'] );

		$conversation = $groups['chatflows-conversations'][0]['values'];
		$this->assertSame( 'c1', $conversation['Conversation'] );
		$this->assertSame( 'Closed', $conversation['Status'] );
		$this->assertSame( 'Website chat', $conversation['Chatflow'] );
		$this->assertSame( '2', $conversation['Messages'] );

		$messages = $groups['chatflows-messages'];
		$this->assertSame( 'Visitor', $messages[0]['values']['From'] );
		$this->assertSame( '&lt;b&gt;Hello&lt;/b&gt;', $messages[0]['values']['Message'] );
		$this->assertSame( 'Grace', $messages[1]['values']['From'] );
		$this->assertSame( 'invoice.pdf', $messages[1]['values']['File name'] );
		$this->assertSame( 'application/pdf', $messages[1]['values']['File type'] );
		$this->assertSame( size_format( 2048, 1 ), $messages[1]['values']['File size'] );
		$this->assertNotSame( $messages[0]['item_id'], $messages[1]['item_id'] );

		$ticket = $groups['chatflows-tickets'][0]['values'];
		$this->assertSame( 'support', $ticket['Pipeline'] );
		$this->assertSame( 'closed', $ticket['State'] );
		$survey = $groups['chatflows-survey-answers'][0]['values'];
		$this->assertSame( '5', $survey['Rating'] );
		$this->assertSame( 'Quick &amp; kind', $survey['Comment'] );
	}

	public function test_later_pages_and_nothing_found() {
		$this->answer_with(
			array(
				'contact'       => null,
				'consents'      => array(),
				'conversations' => array(),
				'done'          => false,
			)
		);
		$page = $this->exporter()( 'nobody@example.com', 3 );
		$this->assertSame(
			array(
				'data' => array(),
				'done' => false,
			),
			$page
		);
		$this->assertSame( 3, json_decode( $this->sent[0]['args']['body'], true )['page'] );
	}

	public function test_an_unreachable_service_is_an_error_wordpress_shows_never_an_empty_export() {
		$export = $this->exporter()( 'ada@example.com', 1 );
		$this->assertWPError( $export );
		$this->assertSame( 'chatflows_service_unreachable', $export->get_error_code() );
		$this->assertStringContainsString( 'could not be exported', $export->get_error_message() );

		$erase = $this->eraser()( 'ada@example.com', 1 );
		$this->assertWPError( $erase );
		$this->assertStringContainsString( 'could not be erased', $erase->get_error_message() );
	}

	public function test_without_the_shared_secret_nothing_is_sent_and_the_error_says_so() {
		add_filter( 'pre_option_' . Service_Connection::SECRET_OPTION, '__return_empty_string' );
		$export = $this->exporter()( 'ada@example.com', 1 );
		$this->assertWPError( $export );
		$this->assertSame( 'chatflows_no_secret', $export->get_error_code() );
		$this->assertSame( 'chatflows_no_secret', $this->eraser()( 'ada@example.com', 1 )->get_error_code() );
		$this->assertSame( array(), $this->sent );
	}

	public function test_a_refusal_or_an_unreadable_answer_is_an_error_too() {
		$this->answer_with( array( 'error' => array( 'code' => 'signature_invalid' ) ), 401 );
		$refused = $this->exporter()( 'ada@example.com', 1 );
		$this->assertWPError( $refused );
		$this->assertStringContainsString( '401', $refused->get_error_message() );

		$this->answer_with( array( 'error' => array( 'code' => 'internal' ) ), 500 );
		$failed = $this->eraser()( 'ada@example.com', 1 );
		$this->assertSame( 'chatflows_service_failed', $failed->get_error_code() );
		$this->assertStringContainsString( '500', $failed->get_error_message() );

		$this->answer_with( array( 'error' => array( 'code' => 'not_found' ) ), 404 );
		$this->assertSame( 'chatflows_service_outdated', $this->exporter()( 'ada@example.com', 1 )->get_error_code() );
		$this->assertStringContainsString( 'Update the chat service', $this->eraser()( 'ada@example.com', 1 )->get_error_message() );

		$this->answer_with( array( 'something' => 'else' ) );
		$this->assertSame( 'chatflows_service_unreadable', $this->exporter()( 'ada@example.com', 1 )->get_error_code() );
		$this->assertSame( 'chatflows_service_unreadable', $this->eraser()( 'ada@example.com', 1 )->get_error_code() );

		$this->answer['body'] = 'not json';
		$this->assertSame( 'chatflows_service_unreadable', $this->exporter()( 'ada@example.com', 1 )->get_error_code() );
	}

	public function test_the_eraser_reports_what_the_service_removed_page_by_page() {
		$this->answer_with(
			array(
				'itemsRemoved'  => 20,
				'itemsRetained' => 0,
				'done'          => false,
			)
		);
		$this->assertSame(
			array(
				'items_removed'  => true,
				'items_retained' => false,
				'messages'       => array(),
				'done'           => false,
			),
			$this->eraser()( 'ada@example.com', 1 )
		);
		$this->assertSame( Service_Connection::url() . '/v1/privacy/erase', $this->sent[0]['url'] );
		$this->assertSame(
			array(
				'email' => 'ada@example.com',
				'page'  => 1,
			),
			json_decode( $this->sent[0]['args']['body'], true )
		);

		$this->answer_with(
			array(
				'itemsRemoved'  => 0,
				'itemsRetained' => 2,
				'done'          => true,
			)
		);
		$last = $this->eraser()( 'ada@example.com', 2 );
		$this->assertFalse( $last['items_removed'] );
		$this->assertTrue( $last['items_retained'] );
		$this->assertSame( array( 'The chat service kept 2 items of chat data.' ), $last['messages'] );
		$this->assertTrue( $last['done'] );
	}

	public function test_the_suggested_policy_text_says_what_where_how_long_and_the_rights() {
		update_option( Privacy_Settings::OPTION, 90 );
		$text = Privacy::policy_text();
		foreach ( array( 'messages', 'files you attach', 'e-mail address and name', 'pages you were on', 'language and time zone', 'kind of device', 'consents', 'keeps nothing in your browser until you accept', 'separate chat service', '90 days', 'erase' ) as $needle ) {
			$this->assertStringContainsString( $needle, $text );
		}
		$this->assertStringContainsString( 'href="' . esc_url( Service_Connection::url() ) . '"', $text );

		update_option( Privacy_Settings::OPTION, 0 );
		$this->assertStringContainsString( 'kept until you ask us to erase them', Privacy::policy_text() );

		// As WordPress collects it on admin_init, for Settings → Privacy → Policy Guide.
		set_current_screen( 'dashboard' );
		$GLOBALS['wp_current_filter'][] = 'admin_init';
		Privacy::add_policy_content();
		array_pop( $GLOBALS['wp_current_filter'] );
		$suggested = wp_list_pluck( \WP_Privacy_Policy_Content::get_suggested_policy_text(), 'policy_text', 'plugin_name' );
		$this->assertArrayHasKey( 'Chatflows', $suggested );
		$this->assertSame( Privacy::policy_text(), $suggested['Chatflows'] );
		$this->assertNotFalse( has_action( 'admin_init', array( Privacy::class, 'add_policy_content' ) ) );
	}

	public function test_the_plugin_declares_itself_to_the_wp_consent_api() {
		$this->assertTrue( apply_filters( 'wp_consent_api_registered_chatflows/chatflows.php', false ) );
	}

	/**
	 * Export items by group, each with its values by label.
	 *
	 * @param array $items Export items.
	 * @return array
	 */
	private function by_group( array $items ) {
		$groups = array();
		foreach ( $items as $item ) {
			$item['values']                = wp_list_pluck( $item['data'], 'value', 'name' );
			$groups[ $item['group_id'] ][] = $item;
		}
		return $groups;
	}

	/**
	 * A `PrivacyExportPage` with one of everything.
	 *
	 * @param string $chatflow_id A chatflow that exists.
	 * @return array
	 */
	private function export_page( $chatflow_id ) {
		return array(
			'contact'       => array(
				'id'        => 'k1',
				'email'     => 'ada@example.com',
				'name'      => 'Ada <Lovelace>',
				'marketing' => true,
				'createdAt' => '2026-11-20T09:59:00.000Z',
			),
			'consents'      => array(
				array(
					'id'          => 'r1',
					'visitorId'   => 'v1',
					'contactId'   => 'k1',
					'chatflowId'  => $chatflow_id,
					'kind'        => 'data_processing',
					'granted'     => true,
					'method'      => 'checkbox',
					'text'        => 'I agree that you store & process my data.',
					'textVersion' => '0123456789abcdef',
					'language'    => 'da_DK',
					'pageUrl'     => 'https://shop.example.com/pricing/',
					'recordedAt'  => '2026-11-20T10:00:00.000Z',
				),
				array(
					'id'               => 'r2',
					'visitorId'        => 'v1',
					'contactId'        => 'k1',
					'chatflowId'       => '999999',
					'kind'             => 'communications',
					'granted'          => false,
					'method'           => 'wp_consent_api',
					'text'             => 'marketing',
					'textVersion'      => 'fedcba9876543210',
					'language'         => 'en_US',
					'pageUrl'          => 'https://shop.example.com/',
					'subscriptionType' => 'newsletter',
					'recordedAt'       => '2026-11-20T10:01:00.000Z',
				),
			),
			'conversations' => array(
				array(
					'id'         => 'c1',
					'chatflowId' => $chatflow_id,
					'status'     => 'closed',
					'pageUrl'    => 'https://shop.example.com/pricing/',
					'createdAt'  => '2026-11-20T10:00:00.000Z',
					'updatedAt'  => '2026-11-20T10:05:00.000Z',
					'messages'   => array(
						array(
							'seq'        => 1,
							'authorType' => 'visitor',
							'authorName' => '',
							'body'       => '<b>Hello</b>',
							'createdAt'  => '2026-11-20T10:00:00.000Z',
						),
						array(
							'seq'        => 2,
							'authorType' => 'agent',
							'authorName' => 'Grace',
							'body'       => 'invoice.pdf',
							'createdAt'  => '2026-11-20T10:01:00.000Z',
							'attachment' => array(
								'id'          => 'a1',
								'name'        => 'invoice.pdf',
								'contentType' => 'application/pdf',
								'size'        => 2048,
							),
						),
					),
					'ticket'     => array(
						'id'             => 't1',
						'conversationId' => 'c1',
						'pipeline'       => 'support',
						'status'         => 'new',
						'priority'       => 'medium',
						'category'       => '',
						'state'          => 'closed',
						'offline'        => false,
						'updatedAt'      => '2026-11-20T10:05:00.000Z',
					),
					'survey'     => array(
						'rating'     => 5,
						'comment'    => 'Quick & kind',
						'answeredAt' => '2026-11-20T10:06:00.000Z',
					),
				),
			),
			'done'          => true,
		);
	}
}
