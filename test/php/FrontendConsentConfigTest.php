<?php
/**
 * What the widget learns of a chatflow's consent and availability options from the page's configuration.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Chatflow_Settings;
use Chatflows\Chatflows;
use Chatflows\Frontend;

/**
 * The consent category (WP Consent API), the communications subscription type and the states that hide the
 * launcher, as the loader and the chat window read them.
 */
class FrontendConsentConfigTest extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		// Publishing tells the service: no service here, the calls fail at once.
		$this->stand_in_for_service();
	}

	public function test_the_consent_category_is_preferences_unless_a_filter_names_another() {
		$chatflow = get_post( $this->create_chatflow( array() ) );
		$this->assertSame( 'preferences', Frontend::public_settings( $chatflow )['consent']['cookies']['category'] );

		$seen = null;
		add_filter(
			'chatflows_consent_category',
			static function ( $category, $post ) use ( &$seen ) {
				$seen = $post;
				return 'functional';
			},
			10,
			2
		);
		$this->assertSame( 'functional', Frontend::public_settings( $chatflow )['consent']['cookies']['category'] );
		$this->assertSame( $chatflow->ID, $seen->ID, 'the filter is told which chatflow serves the page' );
	}

	public function test_a_category_that_is_no_category_name_falls_back_to_preferences() {
		$chatflow = get_post( $this->create_chatflow( array() ) );
		foreach ( array( '', 'Pre ferences', '<b>', array( 'marketing' ), 42 ) as $wrong ) {
			$filter = static function () use ( $wrong ) {
				return $wrong;
			};
			add_filter( 'chatflows_consent_category', $filter );
			$this->assertSame( 'preferences', Frontend::public_settings( $chatflow )['consent']['cookies']['category'], wp_json_encode( $wrong ) );
			remove_filter( 'chatflows_consent_category', $filter );
		}
	}

	public function test_the_communications_checkbox_carries_its_subscription_type() {
		$chatflow       = get_post(
			$this->create_chatflow(
				array(
					'options' => array(
						'communicationsConsent' => array(
							'enabled'          => true,
							'subscriptionType' => 'marketing',
						),
					),
				)
			)
		);
		$communications = Frontend::public_settings( $chatflow )['consent']['communications'];
		$this->assertTrue( $communications['enabled'] );
		$this->assertSame( 'marketing', $communications['subscriptionType'] );
	}

	public function test_the_states_that_hide_the_launcher_are_listed_for_the_loader() {
		$none = get_post( $this->create_chatflow( array() ) );
		$this->assertSame( array(), Frontend::public_settings( $none )['availability']['hideLauncherWhen'] );

		$hiding = get_post(
			$this->create_chatflow(
				array(
					'availability' => array(
						'whenAway'       => 'hide_launcher',
						'whenOffline'    => 'show_return_time',
						'whenAtCapacity' => 'hide_launcher',
					),
				)
			)
		);
		$this->assertSame( array( 'away', 'at_capacity' ), Frontend::public_settings( $hiding )['availability']['hideLauncherWhen'] );
	}

	/**
	 * Creates a published chatflow through the plugin's API.
	 *
	 * @param array $settings Settings besides the defaults.
	 * @return int ID.
	 */
	private function create_chatflow( array $settings ) {
		$complete = Chatflow_Settings::merge( Chatflow_Settings::defaults(), $settings );
		$this->assertSame( array(), Chatflow_Settings::validate( $complete ) );
		$id = Chatflows::create( 'Consent chat', $complete, 'publish' );
		$this->assertIsInt( $id );
		return $id;
	}
}
