<?php
/**
 * The retention setting: validation, the REST API, the Chatflows → Privacy screen, and the service told.
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
 * `chatflows_retention_days`.
 */
class RetentionSettingTest extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		$this->stand_in_for_service();
		$this->answer_with( array() );
		global $wp_settings_errors;
		$wp_settings_errors = array(); // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited -- reset between tests.
	}

	public function test_the_configuration_carries_the_retention_and_each_chatflows_contacts_settings() {
		$this->assertSame( array( 'closedConversationDays' => 0 ), Service_Sync::configuration()['retention'], 'kept until erased by default' );

		$settings                                 = Chatflow_Settings::defaults();
		$settings['options']['marketingContacts'] = true;
		$settings['options']['communicationsConsent']['subscriptionType'] = 'marketing';
		$id = Chatflows::create( 'Website chat', $settings, 'publish' );
		$this->assertSame(
			array(
				'marketing'        => true,
				'subscriptionType' => 'marketing',
			),
			Service_Sync::compile( get_post( $id ) )['contacts']
		);
		$plain = Chatflows::create( 'Other chat', Chatflow_Settings::defaults(), 'publish' );
		$this->assertSame(
			array(
				'marketing'        => false,
				'subscriptionType' => 'one_to_one',
			),
			Service_Sync::compile( get_post( $plain ) )['contacts']
		);
	}

	public function test_a_changed_retention_goes_to_the_service_at_once() {
		update_option( Privacy_Settings::OPTION, 30 );
		$this->assertCount( 1, $this->sent );
		$this->assertSame( Service_Connection::url() . '/v1/configuration', $this->sent[0]['url'] );
		$this->assertSame( array( 'closedConversationDays' => 30 ), $this->sent_body( 0 )['retention'] );

		update_option( Privacy_Settings::OPTION, 30 );
		$this->assertCount( 1, $this->sent, 'no change, nothing sent' );
		update_option( Privacy_Settings::OPTION, 365 );
		$this->assertSame( 365, $this->sent_body()['retention']['closedConversationDays'] );
	}

	public function test_only_whole_days_from_0_to_3650_are_saved_and_a_wrong_value_is_named() {
		update_option( Privacy_Settings::OPTION, '45' );
		$this->assertSame( 45, Privacy_Settings::retention_days() );
		$this->assertSame( 45, get_option( Privacy_Settings::OPTION ), 'stored as a number' );

		foreach ( array( '-1', '3651', '1.5', 'thirty', '', array( 5 ) ) as $wrong ) {
			update_option( Privacy_Settings::OPTION, $wrong );
			$this->assertSame( 45, get_option( Privacy_Settings::OPTION ), 'kept: ' . wp_json_encode( $wrong ) );
		}
		$errors = get_settings_errors( Privacy_Settings::OPTION );
		$this->assertCount( 1, $errors, 'one message, however often sanitized' );
		$this->assertStringContainsString( 'Keep closed conversations for', $errors[0]['message'] );
		$this->assertStringContainsString( '3650', $errors[0]['message'] );

		update_option( Privacy_Settings::OPTION, '3650' );
		$this->assertSame( 3650, Privacy_Settings::retention_days() );
		update_option( Privacy_Settings::OPTION, 0 );
		$this->assertSame( 0, Privacy_Settings::retention_days() );
	}

	public function test_administrators_change_it_through_the_rest_api_with_its_schema() {
		wp_set_current_user( $this->create_user( 'administrator' )->ID );
		$response = $this->rest( 'POST', '/wp/v2/settings', array( Privacy_Settings::OPTION => 120 ) );
		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 120, $response->get_data()[ Privacy_Settings::OPTION ] );
		$this->assertSame( 120, Privacy_Settings::retention_days() );

		$refused = $this->rest( 'POST', '/wp/v2/settings', array( Privacy_Settings::OPTION => 4000 ) );
		$this->assertSame( 400, $refused->get_status() );
		$this->assertArrayHasKey( Privacy_Settings::OPTION, $refused->get_data()['data']['params'] );
		$this->assertSame( 120, Privacy_Settings::retention_days(), 'nothing saved' );

		wp_set_current_user( $this->create_user( 'editor' )->ID );
		$this->assertSame( 403, $this->rest( 'POST', '/wp/v2/settings', array( Privacy_Settings::OPTION => 1 ) )->get_status() );
		$this->assertSame( 120, Privacy_Settings::retention_days() );
	}

	public function test_the_privacy_screen_is_a_settings_api_form_for_administrators() {
		update_option( Privacy_Settings::OPTION, 90 );
		wp_set_current_user( $this->create_user( 'administrator' )->ID );
		set_current_screen( 'dashboard' );
		Privacy_Settings::register();
		Privacy_Settings::add_fields();

		add_settings_error( 'general', 'settings_updated', 'Settings saved.', 'success' );
		ob_start();
		Privacy_Settings::render_page();
		$html = ob_get_clean();

		$this->assertStringContainsString( 'Settings saved.', $html, 'the page shows the Settings API\'s notices itself' );

		$this->assertStringContainsString( 'action="' . esc_url( admin_url( 'options.php' ) ) . '"', $html );
		$this->assertStringContainsString( "name='option_page' value='chatflows_privacy'", $html );
		$this->assertMatchesRegularExpression( '/name="_wpnonce" value="[0-9a-f]{10}"/', $html );
		$this->assertMatchesRegularExpression( '/<input type="number" id="chatflows_retention_days" name="chatflows_retention_days" value="90" min="0" max="3650"/', $html );
		$this->assertStringContainsString( '<label for="chatflows_retention_days">Keep closed conversations for</label>', $html );
		$this->assertStringContainsString( 'Chat privacy', $html );
		$this->assertArrayHasKey( Privacy_Settings::OPTION, get_registered_settings() );
		// options.php saves only the options its group registered.
		$this->assertContains( Privacy_Settings::OPTION, $GLOBALS['new_allowed_options']['chatflows_privacy'] );
	}

	public function test_the_privacy_screen_is_refused_to_others_and_listed_in_the_menu_for_administrators() {
		wp_set_current_user( $this->create_user( 'chatflows_agent' )->ID );
		add_filter(
			'wp_die_handler',
			static function () {
				return static function ( $message ) {
					throw new \RuntimeException( is_string( $message ) ? $message : 'died' );
				};
			}
		);
		try {
			Privacy_Settings::render_page();
			$this->fail( 'an agent must not see the privacy screen' );
		} catch ( \RuntimeException $refused ) {
			$this->assertStringContainsString( 'not allowed', $refused->getMessage() );
		}

		global $submenu;
		$this->assertFalse( Privacy_Settings::add_page(), 'no menu item for an agent' );
		wp_set_current_user( $this->create_user( 'administrator' )->ID );
		$this->assertNotFalse( Privacy_Settings::add_page() );
		$this->assertContains( Privacy_Settings::PAGE_SLUG, array_column( $submenu['chatflows-inbox'], 2 ) );
		$this->assertSame( 20, has_action( 'admin_menu', array( Privacy_Settings::class, 'add_page' ) ), 'after the plugin\'s own menu' );
	}
}
