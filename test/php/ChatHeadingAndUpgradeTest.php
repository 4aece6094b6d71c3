<?php
/**
 * The chat heading's specific users and teams (what the widget gets, with avatars), the default label of
 * the communications checkbox, and chatflows stored by an older version.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Chatflow_Settings;
use Chatflows\Chatflows;
use Chatflows\Directory;
use Chatflows\Frontend;

/**
 * `heading.userIds` / `heading.teamIds`, `Chatflow_Settings::upgrade()` and the communications label.
 */
class ChatHeadingAndUpgradeTest extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		$this->stand_in_for_service();
	}

	public function test_the_widget_gets_the_chosen_users_with_avatars_then_the_teams() {
		$alex = $this->create_user( 'chatflows_agent', array( 'display_name' => 'Alex Agent' ) );
		$team = Directory::save_team(
			array(
				'name'      => 'Sales',
				'memberIds' => array( $alex->ID ),
			)
		);
		$id   = $this->create_chatflow(
			array(
				'heading' => array(
					'userIds' => array( $alex->ID ),
					'teamIds' => array( $team ),
				),
			)
		);

		update_option( 'show_avatars', 1 );
		$people = Frontend::public_settings( get_post( $id ) )['heading']['people'];
		$this->assertSame( array( 'Alex Agent', 'Sales' ), array_column( $people, 'name' ) );
		$this->assertSame( get_avatar_url( $alex->ID, array( 'size' => 96 ) ), $people[0]['imageUrl'] );
		$this->assertNotSame( '', $people[0]['imageUrl'] );
		$this->assertSame( '', $people[1]['imageUrl'], 'teams have no avatar' );

		// A site that shows no avatars shows initials instead.
		update_option( 'show_avatars', 0 );
		$this->assertSame( '', Frontend::public_settings( get_post( $id ) )['heading']['people'][0]['imageUrl'] );

		// Other heading modes show nobody; a user who may no longer answer chats is left out.
		Chatflows::save_settings( $id, array( 'heading' => array( 'mode' => 'contact_owner' ) ) );
		$this->assertSame( array(), Frontend::public_settings( get_post( $id ) )['heading']['people'] );
		Chatflows::save_settings( $id, array( 'heading' => array( 'mode' => 'users_and_teams' ) ) );
		$alex->set_role( 'subscriber' );
		$this->assertSame( array( 'Sales' ), array_column( Frontend::public_settings( get_post( $id ) )['heading']['people'], 'name' ) );
	}

	public function test_the_agents_list_carries_avatars_the_editor_shows() {
		$alex = $this->create_user( 'chatflows_agent', array( 'display_name' => 'Alex Agent' ) );
		update_option( 'show_avatars', 1 );
		$this->assertSame( get_avatar_url( $alex->ID, array( 'size' => 96 ) ), Directory::agent( $alex->ID )['avatarUrl'] );
		update_option( 'show_avatars', 0 );
		$this->assertSame( '', Directory::agent( $alex->ID )['avatarUrl'] );
	}

	public function test_an_older_chatflow_shows_its_assigned_users_and_teams_and_keeps_its_consent_choices() {
		$alex = $this->create_user( 'chatflows_agent' );
		$id   = $this->create_chatflow( array() );
		// As an older version stored it: no heading people, consent off (then the default), free-text type.
		$old = Chatflow_Settings::defaults();
		unset( $old['heading']['userIds'], $old['heading']['teamIds'] );
		$old['assignment']                          = array(
			'enabled' => true,
			'userIds' => array( $alex->ID ),
			'teamIds' => array(),
		);
		$old['options']['cookieConsent']['enabled'] = false;
		$old['options']['dataConsent']['enabled']   = false;
		$old['options']['communicationsConsent']['subscriptionType'] = 'Newsletter';
		update_post_meta( $id, Chatflows::SETTINGS_META, wp_slash( wp_json_encode( $old ) ) );

		$settings = Chatflows::settings( $id );
		$this->assertSame( array( $alex->ID ), $settings['heading']['userIds'] );
		$this->assertSame( array(), $settings['heading']['teamIds'] );
		$this->assertFalse( $settings['options']['cookieConsent']['enabled'], 'a new default never changes a saved chatflow' );
		$this->assertFalse( $settings['options']['dataConsent']['enabled'] );
		$this->assertSame( 'one_to_one', $settings['options']['communicationsConsent']['subscriptionType'] );
		$this->assertSame( array(), Chatflow_Settings::validate( $settings ), 'an upgraded chatflow saves' );

		// Stored people are kept as they are.
		$old['heading']['userIds'] = array();
		$old['heading']['teamIds'] = array();
		update_post_meta( $id, Chatflows::SETTINGS_META, wp_slash( wp_json_encode( $old ) ) );
		$this->assertSame( array(), Chatflows::settings( $id )['heading']['userIds'] );
	}

	public function test_the_communications_label_defaults_to_a_sentence_naming_the_site_in_each_language() {
		update_option( 'blogname', 'Acme' );
		$this->assertSame( 'I agree to receive other communications from Acme.', Chatflow_Settings::default_texts_in( 'en_US' )['communications'] );
		$this->assertSame( 'Jeg accepterer at modtage anden kommunikation fra Acme.', Chatflow_Settings::default_texts_in( 'da_DK' )['communications'] );
		$this->assertSame( 'Ik ga akkoord met het ontvangen van andere communicatie van Acme.', Chatflow_Settings::default_texts_in( 'nl_NL' )['communications'] );
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
		$id = Chatflows::create( 'Heading chat', Chatflow_Settings::sanitize( $complete ), 'publish' );
		$this->assertIsInt( $id );
		return $id;
	}
}
