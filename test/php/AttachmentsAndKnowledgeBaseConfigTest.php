<?php
/**
 * The attachment setting and the knowledge base reach the widget and the service.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Chatflow_Settings;
use Chatflows\Chatflows;
use Chatflows\Frontend;
use Chatflows\Service_Sync;

/**
 * Public configuration, compiled configuration and validation of `options.attachments`.
 */
class AttachmentsAndKnowledgeBaseConfigTest extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		// No service here: every call to it fails at once.
		$this->stand_in_for_service();
	}

	public function test_the_widget_gets_the_attachment_limit_the_search_url_and_its_texts() {
		$settings                             = Chatflow_Settings::defaults();
		$settings['options']['attachments']   = array(
			'enabled'   => true,
			'maxSizeMb' => 3,
		);
		$settings['knowledgeBase']['enabled'] = true;
		$id                                   = Chatflows::create( 'Help chat', $settings, 'publish' );

		$config = Frontend::public_config( get_post( $id ) );

		$this->assertSame(
			array(
				'enabled'   => true,
				'maxSizeMb' => 3,
			),
			$config['chatflow']['attachments']
		);
		$this->assertSame(
			array(
				'enabled'   => true,
				'searchUrl' => rest_url( 'chatflows/v1/knowledge-base/search' ),
			),
			$config['chatflow']['knowledgeBase']
		);
		$this->assertSame( 'Attach a file', $config['texts']['attachments']['attach'] );
		$this->assertSame( 'Search help articles', $config['texts']['knowledge']['searchLabel'] );
		foreach ( array_merge( $config['texts']['attachments'], $config['texts']['knowledge'] ) as $key => $text ) {
			$this->assertNotSame( '', $text, $key );
		}
	}

	public function test_without_a_knowledge_base_the_widget_gets_no_search_url() {
		$id     = Chatflows::create( 'Chat', Chatflow_Settings::defaults(), 'publish' );
		$config = Frontend::public_config( get_post( $id ) );

		$this->assertSame(
			array(
				'enabled'   => false,
				'searchUrl' => '',
			),
			$config['chatflow']['knowledgeBase']
		);
		$this->assertSame(
			array(
				'enabled'   => true,
				'maxSizeMb' => 5,
			),
			$config['chatflow']['attachments'],
			'on by default, up to 5 MB'
		);
	}

	public function test_the_service_gets_the_attachment_setting() {
		$settings                           = Chatflow_Settings::defaults();
		$settings['options']['attachments'] = array(
			'enabled'   => false,
			'maxSizeMb' => 2,
		);
		Chatflows::create( 'Chat', $settings, 'publish' );

		$compiled = json_decode( wp_json_encode( Service_Sync::configuration() ), true )['chatflows'][0];

		$this->assertSame(
			array(
				'enabled'   => false,
				'maxSizeMb' => 2,
			),
			$compiled['attachments']
		);
	}

	/**
	 * @dataProvider bad_limits
	 *
	 * @param mixed $limit A limit that must be refused.
	 */
	public function test_a_limit_outside_1_to_10_megabytes_is_refused_naming_the_field( $limit ) {
		wp_set_current_user( $this->create_user( 'administrator' )->ID );

		$response = $this->rest(
			'POST',
			'/chatflows/v1/chatflows',
			array(
				'title'    => 'Chat',
				'settings' => array(
					'options' => array(
						'attachments' => array(
							'enabled'   => true,
							'maxSizeMb' => $limit,
						),
					),
				),
			)
		);

		$this->assertSame( 400, $response->get_status() );
		$this->assertArrayHasKey( 'settings.options.attachments.maxSizeMb', $response->get_data()['data']['params'] );
		$this->assertCount( 0, Chatflows::all() );
	}

	/**
	 * Limits the schema refuses.
	 *
	 * @return array[]
	 */
	public function bad_limits() {
		return array(
			'zero'        => array( 0 ),
			'above 10'    => array( 11 ),
			'not a whole' => array( 2.5 ),
		);
	}
}
