<?php
/**
 * The widget's texts reach the browser in the chat's language: a fixed language whatever the page's, or
 * the page's own.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Chatflow_Post_Type;
use Chatflows\Chatflow_Settings;
use Chatflows\Chatflows;
use Chatflows\Frontend;

/**
 * What the loader's inline configuration carries, page locale by page locale.
 */
class WidgetLocaleTest extends TestCase {

	protected function tearDown(): void {
		restore_current_locale();
		$GLOBALS['wp_scripts'] = null;
		parent::tearDown();
	}

	public function test_a_chat_fixed_to_danish_is_danish_on_an_english_page() {
		$chatflow = $this->create_chatflow(
			array(
				'options'        => array( 'language' => 'da_DK' ),
				'welcomeMessage' => array(
					'en_US' => 'Hello!',
					'nl_NL' => 'Hallo!',
				),
			)
		);

		$config = $this->config_on_page_of( $chatflow );

		$this->assertSame( 'da-DK', $config['locale'], 'a BCP 47 tag for the widget\'s Intl formats' );
		$this->assertSame( 'da_DK', $config['chatflow']['language'] );
		$this->assertSame( 'Åbn chat', $config['texts']['openChat'] );
		$this->assertSame( 'Chat med os', $config['texts']['heading'] );
		$this->assertSame( 'Vi svarer typisk inden for få minutter.', $config['texts']['window']['replyTime']['minutes'] );
		$this->assertSame( 'Vi er ikke til stede lige nu. Vi er tilbage %s.', $config['texts']['window']['returnTime'] );
		$this->assertSame( 'Vedhæft en fil', $config['texts']['attachments']['attach'] );
		$this->assertSame( 'Søg', $config['texts']['knowledge']['search'] );
		$this->assertSame( 'Hej! Hvordan kan vi hjælpe dig i dag?', $config['chatflow']['welcomeMessage'], 'no Danish text: the Danish default, not another language\'s text' );
		$this->assertSame( Chatflow_Settings::default_texts_in( 'da_DK' )['away'], $config['chatflow']['availability']['awayMessage'] );
		$this->assertSame( 'Open chat', __( 'Open chat', 'chatflows' ), 'the English page\'s own strings afterwards' );
	}

	public function test_a_chat_in_the_pages_language_follows_a_danish_and_a_dutch_page() {
		$chatflow = $this->create_chatflow(
			array(
				'options'        => array(
					'language'      => 'page',
					'cookieConsent' => array( 'enabled' => true ),
				),
				'welcomeMessage' => array( 'da_DK' => 'Velkommen hos os!' ),
			)
		);

		$this->assertTrue( switch_to_locale( 'da_DK' ) );
		$danish = $this->config_on_page_of( $chatflow );
		$this->assertSame( 'da-DK', $danish['locale'] );
		$this->assertSame( 'da_DK', $danish['chatflow']['language'] );
		$this->assertSame( 'Åbn chat', $danish['texts']['openChat'] );
		$this->assertSame( 'Skriv en besked til os', $danish['texts']['window']['offlineHeading'] );
		$this->assertSame( 'Velkommen hos os!', $danish['chatflow']['welcomeMessage'] );
		$this->assertSame( 'Vi bruger cookies, så chatten fortsætter, når du skifter side. Accepterer du chatcookies?', $danish['chatflow']['consent']['cookies']['text'] );

		$this->assertTrue( switch_to_locale( 'nl_NL' ) );
		$dutch = $this->config_on_page_of( $chatflow );
		$this->assertSame( 'nl-NL', $dutch['locale'] );
		$this->assertSame( 'nl_NL', $dutch['chatflow']['language'] );
		$this->assertSame( 'Chat openen', $dutch['texts']['openChat'] );
		$this->assertSame( 'Versturen', $dutch['texts']['send'] );
		$this->assertSame( 'Hoi! Hoe kunnen we je vandaag helpen?', $dutch['chatflow']['welcomeMessage'] );
		$this->assertSame( 'Hoe beoordeel je dit gesprek?', $dutch['chatflow']['survey']['question'] );
	}

	public function test_a_chat_fixed_to_english_is_english_on_a_danish_page() {
		$chatflow = $this->create_chatflow( array( 'options' => array( 'language' => 'en_US' ) ) );
		$this->assertTrue( switch_to_locale( 'da_DK' ) );

		$config = $this->config_on_page_of( $chatflow );

		$this->assertSame( 'en-US', $config['locale'] );
		$this->assertSame( 'Open chat', $config['texts']['openChat'] );
		$this->assertSame( 'We typically reply within a day.', $config['texts']['window']['replyTime']['day'] );
		$this->assertSame( 'Hi! How can we help you today?', $config['chatflow']['welcomeMessage'] );
		$this->assertSame( 'Åbn chat', __( 'Open chat', 'chatflows' ), 'the Danish page\'s own strings afterwards' );
	}

	public function test_every_widget_text_on_a_danish_page_is_translated() {
		$chatflow = $this->create_chatflow( array() );
		$this->assertTrue( switch_to_locale( 'da_DK' ) );
		$danish = $this->config_on_page_of( $chatflow );
		restore_current_locale();
		$english = $this->config_on_page_of( $chatflow );

		$same = array();
		array_walk_recursive(
			$english['texts'],
			static function ( $text, $key ) use ( &$same, $danish ) {
				if ( in_array( $text, self::flatten( $danish['texts'] ), true ) && ! in_array( $text, array( 'Chat', 'Team', 'Send' ), true ) ) {
					$same[] = "$key: $text";
				}
			}
		);
		$this->assertSame( array(), $same, 'texts the same in English and Danish (beyond words both languages share)' );
	}

	/**
	 * Every string of nested texts.
	 *
	 * @param array $texts Texts.
	 * @return string[]
	 */
	private static function flatten( array $texts ) {
		$all = array();
		array_walk_recursive(
			$texts,
			static function ( $text ) use ( &$all ) {
				$all[] = $text;
			}
		);
		return $all;
	}

	/**
	 * The inline configuration the loader gets on a page that chooses a chatflow.
	 *
	 * @param int $chatflow Chatflow.
	 * @return array
	 */
	private function config_on_page_of( $chatflow ) {
		global $wp_query, $wp_the_query;
		$page = wp_insert_post(
			array(
				'post_type'   => 'page',
				'post_status' => 'publish',
				'post_title'  => 'Kontakt',
			)
		);
		update_post_meta( $page, Chatflow_Post_Type::PAGE_CHATFLOW_META, $chatflow );
		wp_cache_flush();
		$wp_the_query = new \WP_Query( array( 'page_id' => $page ) ); // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		$wp_query     = $wp_the_query; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited
		$wp_query->the_post();
		$GLOBALS['wp_scripts'] = null;

		Frontend::enqueue();

		$inline = trim( implode( "\n", wp_scripts()->get_data( Frontend::LOADER_HANDLE, 'before' ) ) );
		$this->assertStringStartsWith( 'window.chatflowsConfig = ', $inline );
		return json_decode( substr( $inline, strlen( 'window.chatflowsConfig = ' ), -1 ), true );
	}

	/**
	 * A published chatflow with settings.
	 *
	 * @param array $settings Settings besides the defaults.
	 * @return int ID.
	 */
	private function create_chatflow( array $settings ) {
		$settings['target'] = array( 'allPages' => false );
		$complete           = Chatflow_Settings::merge( Chatflow_Settings::defaults(), $settings );
		$this->assertSame( array(), Chatflow_Settings::validate( $complete ) );
		$id = Chatflows::create( 'Website chat', $complete, 'publish' );
		$this->assertIsInt( $id );
		return $id;
	}
}
