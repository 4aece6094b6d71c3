<?php
/**
 * The privacy exporter and eraser against the real chat service (server/dist, built by
 * `npm run build:server`) holding real chat data: a visitor's messages, file, e-mail, consents, ticket and
 * survey answer, made over socket.io by test/php/fixtures/seed-service.mjs.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Chatflow_Settings;
use Chatflows\Chatflows;
use Chatflows\Privacy_Settings;
use Chatflows\Service_Connection;
use Chatflows\Service_Sync;

/**
 * Export, erase, export again: nothing left, and nobody else's data touched.
 */
class PrivacyToolsTest extends TestCase {

	use Runs_Chat_Service;

	protected function setUp(): void {
		parent::setUp();
		$this->set_up_service();
	}

	protected function tearDown(): void {
		$this->tear_down_service();
		parent::tearDown();
	}

	public function test_export_finds_everything_of_the_person_and_after_erasure_nothing_is_left() {
		$settings                                 = Chatflow_Settings::defaults();
		$settings['options']['survey']['enabled'] = true;
		$settings['options']['marketingContacts'] = true;
		$chatflow                                 = Chatflows::create( 'Website chat', $settings, 'publish' );
		// The longest retention the setting allows.
		update_option( Privacy_Settings::OPTION, Privacy_Settings::MAX_DAYS );
		$this->assertTrue( Service_Sync::push()['synced'], 'the service takes the configuration, retention and contacts included' );

		$page_url = home_url( '/pricing/?ref=mail' );
		$consent  = array(
			'kind'     => 'data_processing',
			'granted'  => true,
			'method'   => 'checkbox',
			'text'     => 'I agree that Chatflows stores & processes what I write.',
			'language' => 'da_DK',
			'pageUrl'  => $page_url,
		);
		$visitors = array(
			array(
				'email'      => 'ada@example.com',
				'name'       => 'Ada Lovelace',
				'pageUrl'    => $page_url,
				'language'   => 'da-DK',
				'messages'   => array( 'Hello, my order <b>#42</b> is late', 'Are you there?' ),
				'file'       => 'receipt.png',
				'consents'   => array(
					$consent,
					array(
						'kind'             => 'communications',
						'granted'          => false,
						'method'           => 'checkbox',
						'text'             => 'Send me news by e-mail',
						'language'         => 'da_DK',
						'pageUrl'          => $page_url,
						'subscriptionType' => 'newsletter',
					),
				),
				'agentReply' => 'Happy to help, Ada',
				'agentNote'  => 'Ada <b>asked</b> about order 42 twice',
				'survey'     => array(
					'rating'  => 4,
					'comment' => 'Quick & kind',
				),
			),
			array(
				'email'    => 'bob@example.com',
				'name'     => 'Bob',
				'pageUrl'  => home_url( '/' ),
				'language' => 'en-US',
				'messages' => array( 'Bob here, keep my data' ),
				'consents' => array( array_merge( $consent, array( 'text' => 'Bob agrees' ) ) ),
			),
		);
		// More of Ada's conversations (from other browsers) than one export page holds.
		for ( $i = 1; $i <= 21; $i++ ) {
			$visitors[] = array(
				'email'    => 'ada@example.com',
				'name'     => 'Ada Lovelace',
				'pageUrl'  => home_url( '/contact/' ),
				'language' => 'en-US',
				'messages' => array( "Question number $i" ),
			);
		}
		// Someone else types Ada's address and never confirms it: a claim, not Ada's data.
		$claimant = array(
			'email'    => 'ada@example.com',
			'name'     => 'Mallory',
			'pageUrl'  => home_url( '/' ),
			'language' => 'en-US',
			'messages' => array( 'Mallory wants the order history' ),
		);
		$seeded   = $this->seed( (string) $chatflow, array_merge( $this->identified( $visitors ), array( $claimant ) ) );
		$ada      = $seeded['visitors'][0];

		// Export, page by page as WordPress does, with the address in another case.
		$pages = $this->export_all( 'Ada@Example.com' );
		$this->assertGreaterThanOrEqual( 2, count( $pages ), '22 conversations take more than one page' );
		$items = array_merge( ...$pages );
		$text  = wp_json_encode( $items );

		$contacts = $this->group( $items, 'chatflows-contact' );
		$this->assertCount( 1, $contacts );
		$this->assertSame( 'ada@example.com', $contacts[0]['E-mail address'] );
		$this->assertSame( 'Ada Lovelace', $contacts[0]['Name'] );
		$this->assertSame( 'Yes', $contacts[0]['Marketing contact'], 'the chatflow makes marketing contacts' );

		$consents = $this->group( $items, 'chatflows-consents' );
		$this->assertCount( 2, $consents );
		$given = $this->find( $consents, 'Consent', 'Processing of personal data' );
		$this->assertSame( 'Given', $given['Answer'] );
		$this->assertSame( 'Checkbox', $given['How'] );
		$this->assertSame( esc_html( $consent['text'] ), $given['Text shown'] );
		$this->assertSame( substr( hash( 'sha256', $consent['text'] ), 0, 16 ), $given['Text version'] );
		$this->assertSame( 'da_DK', $given['Language'] );
		$this->assertSame( 'Website chat', $given['Chatflow'] );
		$this->assertSame( esc_html( $page_url ), $given['Page'] );
		$this->assertSame( $this->record_of( $ada, 'data_processing' )['recordedAt'], $given['Time'] );
		$declined = $this->find( $consents, 'Consent', 'Communications' );
		$this->assertSame( 'Declined', $declined['Answer'] );
		$this->assertSame( 'newsletter', $declined['Subscription type'] );

		$conversations = $this->group( $items, 'chatflows-conversations' );
		$this->assertCount( 22, $conversations );
		$first = $this->find( $conversations, 'Conversation', $ada['conversationId'] );
		$this->assertSame( 'Closed', $first['Status'] );
		$this->assertSame( 'Website chat', $first['Chatflow'] );
		$this->assertSame( '4', $first['Messages'] );

		$messages = $this->group( $items, 'chatflows-messages' );
		$this->assertCount( 4 + 21, $messages );
		$this->assertSame( 'Visitor', $this->find( $messages, 'Message', esc_html( 'Hello, my order <b>#42</b> is late' ) )['From'] );
		$this->assertSame( 'Grace Hopper', $this->find( $messages, 'Message', 'Happy to help, Ada' )['From'] );
		$file = $this->find( $messages, 'File name', 'receipt.png' );
		$this->assertSame( 'image/png', $file['File type'] );
		$this->assertSame( size_format( $ada['attachment']['size'], 1 ), $file['File size'] );
		$this->assertNotNull( $this->find( $messages, 'Message', 'Question number 21' ) );

		$notes = $this->group( $items, 'chatflows-notes' );
		$this->assertCount( 1, $notes, 'the agents\' internal note about her' );
		$this->assertSame( esc_html( 'Ada <b>asked</b> about order 42 twice' ), $notes[0]['Note'] );
		$this->assertSame( 'Grace Hopper', $notes[0]['From'] );
		$this->assertSame( $ada['conversationId'], $notes[0]['Conversation'] );

		$tickets = $this->group( $items, 'chatflows-tickets' );
		$this->assertCount( 22, $tickets );
		$this->assertSame( 'closed', $this->find( $tickets, 'Conversation', $ada['conversationId'] )['State'] );
		$surveys = $this->group( $items, 'chatflows-survey-answers' );
		$this->assertCount( 1, $surveys );
		$this->assertSame( '4', $surveys[0]['Rating'] );
		$this->assertSame( 'Quick &amp; kind', $surveys[0]['Comment'] );

		$this->assertStringNotContainsString( 'Bob', $text, 'nothing of another person' );
		$this->assertStringNotContainsString( 'Mallory wants', $text, 'nothing of whoever typed the address' );
		$claims = $this->group( $items, 'chatflows-email-claims' );
		$this->assertCount( 1, $claims, 'only that it was typed' );
		$this->assertSame( 'Mallory', $claims[0]['Name typed'] );
		$this->assertSame( 'ada@example.com', $claims[0]['E-mail address'] );

		// Erase until done, then nothing is left.
		$removed = false;
		for ( $page = 1, $done = false; ! $done; $page++ ) {
			$this->assertLessThan( 20, $page, 'the eraser ends' );
			$result = $this->eraser()( 'ada@example.com', $page );
			$this->assertNotWPError( $result );
			$this->assertSame( array( 'items_removed', 'items_retained', 'messages', 'done' ), array_keys( $result ) );
			$this->assertFalse( $result['items_retained'] );
			$removed = $removed || $result['items_removed'];
			$done    = $result['done'];
		}
		$this->assertTrue( $removed );
		$this->assertSame( array( array() ), $this->export_all( 'ada@example.com' ), 'nothing of Ada is left' );
		$this->assertSame( 404, $this->download( $ada['attachment']['id'] ), 'her file is gone too' );

		$again = $this->eraser()( 'ada@example.com', 1 );
		$this->assertSame( array( false, true ), array( $again['items_removed'], $again['done'] ), 'erasing again finds nothing' );

		// Bob is untouched.
		$bob = array_merge( ...$this->export_all( 'bob@example.com' ) );
		$this->assertSame( 'Bob here, keep my data', $this->group( $bob, 'chatflows-messages' )[0]['Message'] );
		$this->assertSame( 'Bob agrees', $this->group( $bob, 'chatflows-consents' )[0]['Text shown'] );
		$this->assertCount( 1, $this->group( $bob, 'chatflows-contact' ) );
	}

	public function test_wordpress_writes_the_chat_data_into_its_export_file_escaped_once() {
		$chatflow = Chatflows::create( 'Website chat', Chatflow_Settings::defaults(), 'publish' );
		$this->assertTrue( Service_Sync::push()['synced'] );
		$this->seed(
			(string) $chatflow,
			$this->identified(
				array(
					array(
						'email'    => 'ada@example.com',
						'name'     => 'Ada',
						'pageUrl'  => home_url( '/pricing/?a=1&b=2' ),
						'language' => 'en-US',
						'messages' => array( '<b>bold</b> & "quoted"' ),
						'file'     => 'receipt.png',
					),
				)
			)
		);
		$request_id = wp_create_user_request( 'ada@example.com', 'export_personal_data' );
		$this->assertNotWPError( $request_id );

		// What wp_ajax_wp_privacy_export_personal_data() does, exporter by exporter and page by page.
		$exporters = apply_filters( 'wp_privacy_personal_data_exporters', array() );
		$index     = 0;
		foreach ( $exporters as $key => $exporter ) {
			++$index;
			for ( $page = 1, $done = false; ! $done; $page++ ) {
				$response = call_user_func( $exporter['callback'], 'ada@example.com', $page );
				$this->assertNotWPError( $response, $key );
				$response = apply_filters( 'wp_privacy_personal_data_export_page', $response, $index, 'ada@example.com', $page, $request_id, false, $key );
				$done     = $response['done'];
			}
		}
		$zip_file = wp_privacy_exports_dir() . get_post_meta( $request_id, '_export_file_name', true );
		$this->assertFileExists( $zip_file );
		$zip = new \ZipArchive();
		$this->assertTrue( $zip->open( $zip_file ) );
		$html = $zip->getFromName( 'index.html' );
		$json = json_decode( $zip->getFromName( 'export.json' ), true );
		$zip->close();
		unlink( $zip_file );

		foreach ( array( 'Chat contact', 'Chat conversations', 'Chat messages', 'Chat tickets' ) as $label ) {
			$this->assertStringContainsString( '>' . $label, $html );
		}
		$this->assertStringContainsString( '&lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;', $html, 'shown as text' );
		$this->assertStringNotContainsString( '<b>bold</b>', $html );
		$this->assertStringNotContainsString( '&amp;lt;', $html, 'never escaped twice' );
		$this->assertStringContainsString( 'receipt.png', $html );
		$this->assertStringContainsString( 'href="' . esc_url( home_url( '/pricing/?a=1&b=2' ) ) . '"', $html, 'the page is a working link' );
		$groups = reset( $json );
		$this->assertSame( 'Chat messages', $groups['chatflows-messages']['group_label'], 'in the JSON report too' );
	}

	public function test_a_service_that_is_not_running_gives_an_error_wordpress_shows() {
		$this->stop_service();

		$export = $this->exporter()( 'ada@example.com', 1 );
		$this->assertWPError( $export );
		$this->assertSame( 'chatflows_service_unreachable', $export->get_error_code() );
		$this->assertSame( 'The chat service could not be reached, so the chat data of this person could not be exported. Make sure the chat service is running, then try again.', $export->get_error_message() );

		$erase = $this->eraser()( 'ada@example.com', 1 );
		$this->assertWPError( $erase );
		$this->assertSame( 'chatflows_service_unreachable', $erase->get_error_code() );
	}

	public function test_a_service_with_another_secret_refuses_and_that_is_an_error_too() {
		add_filter(
			'pre_option_' . Service_Connection::SECRET_OPTION,
			static function () {
				return str_repeat( 'not the shared secret ', 3 );
			}
		);
		$export = $this->exporter()( 'ada@example.com', 1 );
		$this->assertWPError( $export );
		$this->assertSame( 'chatflows_service_refused', $export->get_error_code() );
		$this->assertStringContainsString( '401', $export->get_error_message() );
	}

	/**
	 * The visitors, each identified by the site (a typed address is only a claim, linked to nobody).
	 *
	 * @param array[] $visitors As for seed().
	 * @return array[]
	 */
	private function identified( array $visitors ) {
		foreach ( $visitors as &$visitor ) {
			$visitor['identificationToken'] = chatflows_identification_token( $visitor['email'], $visitor['name'] )['token'];
		}
		return $visitors;
	}

	/**
	 * Every page of an export as WordPress asks for them, each page's items.
	 *
	 * @param string $email E-mail address.
	 * @return array[] Items by page.
	 */
	private function export_all( $email ) {
		$pages = array();
		for ( $page = 1, $done = false; ! $done; $page++ ) {
			$this->assertLessThan( 20, $page, 'the export ends' );
			$result = $this->exporter()( $email, $page );
			$this->assertNotWPError( $result );
			// What core's wp_privacy_process_personal_data_export_page() requires of an exporter.
			$this->assertIsArray( $result['data'] );
			$this->assertIsBool( $result['done'] );
			$pages[] = $result['data'];
			$done    = $result['done'];
		}
		return $pages;
	}

	/**
	 * The values by label of a group's items.
	 *
	 * @param array  $items    Export items.
	 * @param string $group_id Group.
	 * @return array[]
	 */
	private function group( array $items, $group_id ) {
		$values = array();
		foreach ( $items as $item ) {
			if ( $group_id === $item['group_id'] ) {
				$values[] = wp_list_pluck( $item['data'], 'value', 'name' );
			}
		}
		return $values;
	}

	/**
	 * The first item whose field has a value.
	 *
	 * @param array[] $items Values by label.
	 * @param string  $name  Label.
	 * @param string  $value Value.
	 * @return array
	 */
	private function find( array $items, $name, $value ) {
		foreach ( $items as $item ) {
			if ( isset( $item[ $name ] ) && $value === $item[ $name ] ) {
				return $item;
			}
		}
		$this->fail( "No item with $name = $value" );
	}

	/**
	 * The consent record the service stored for a seeded visitor.
	 *
	 * @param array  $visitor Seeded visitor.
	 * @param string $kind    Consent kind.
	 * @return array
	 */
	private function record_of( array $visitor, $kind ) {
		foreach ( $visitor['consents'] as $record ) {
			if ( $kind === $record['kind'] ) {
				return $record;
			}
		}
		$this->fail( "No $kind record was seeded" );
	}

	/**
	 * Status of an agent's download of an attachment.
	 *
	 * @param string $id Attachment.
	 * @return int HTTP status.
	 */
	private function download( $id ) {
		$response = wp_remote_get(
			$this->service_url . '/v1/attachments/' . rawurlencode( $id ),
			array( 'headers' => array( 'Authorization' => 'Bearer ' . $this->agent_token() ) )
		);
		$this->assertNotWPError( $response );
		return (int) wp_remote_retrieve_response_code( $response );
	}
}
