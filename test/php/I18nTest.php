<?php
/**
 * The plugin's translations: the text domain, and the default texts of every language in every locale.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Chatflow_Settings;
use Chatflows\Chatflows;
use Chatflows\I18n;
use Chatflows\Service_Sync;

/**
 * Switches the site's locale (core's Danish and Dutch are installed on the test site) and checks which
 * language each text comes out in.
 */
class I18nTest extends TestCase {

	/** The default label of the communications checkbox, by locale: a sentence naming the site. */
	const COMMUNICATIONS = array(
		'en_US' => 'I agree to receive other communications from %s.',
		'da_DK' => 'Jeg accepterer at modtage anden kommunikation fra %s.',
		'nl_NL' => 'Ik ga akkoord met het ontvangen van andere communicatie van %s.',
	);

	/** The default texts as a native speaker wrote them, by locale (communications: see COMMUNICATIONS). */
	const DEFAULTS = array(
		'en_US' => array(
			'welcome'       => 'Hi! How can we help you today?',
			'away'          => 'We are away right now. Leave a message and we will get back to you by e-mail.',
			'wait'          => 'Everyone on our team is busy right now. We will be with you as soon as we can.',
			'emailCapture'  => 'What is your e-mail address, so that we can follow up if we get disconnected?',
			'cookieConsent' => 'We use cookies to keep this chat working between pages. Do you accept chat cookies?',
			'dataConsent'   => 'To chat with us, we need to store and process the personal data you share in this conversation.',
			'survey'        => 'How would you rate this conversation?',
		),
		'da_DK' => array(
			'welcome'       => 'Hej! Hvordan kan vi hjælpe dig i dag?',
			'away'          => 'Vi er ikke til stede lige nu. Skriv en besked, så vender vi tilbage til dig på e-mail.',
			'wait'          => 'Alle i vores team er optaget lige nu. Vi er hos dig, så snart vi kan.',
			'emailCapture'  => 'Hvad er din e-mailadresse, så vi kan vende tilbage, hvis forbindelsen bliver afbrudt?',
			'cookieConsent' => 'Vi bruger cookies, så chatten fortsætter, når du skifter side. Accepterer du chatcookies?',
			'dataConsent'   => 'For at du kan chatte med os, skal vi gemme og behandle de personoplysninger, du deler i denne samtale.',
			'survey'        => 'Hvordan vil du bedømme denne samtale?',
		),
		'nl_NL' => array(
			'welcome'       => 'Hoi! Hoe kunnen we je vandaag helpen?',
			'away'          => 'We zijn er nu even niet. Laat een bericht achter, dan nemen we per e-mail contact met je op.',
			'wait'          => 'Iedereen in ons team is op dit moment bezig. We helpen je zo snel mogelijk.',
			'emailCapture'  => 'Wat is je e-mailadres, zodat we contact kunnen opnemen als de verbinding wegvalt?',
			'cookieConsent' => 'We gebruiken cookies zodat deze chat blijft werken als je naar een andere pagina gaat. Accepteer je chatcookies?',
			'dataConsent'   => 'Om met ons te chatten, moeten we de persoonsgegevens die je in dit gesprek deelt opslaan en verwerken.',
			'survey'        => 'Hoe beoordeel je dit gesprek?',
		),
	);

	protected function tearDown(): void {
		restore_current_locale();
		parent::tearDown();
	}

	public function test_core_danish_and_dutch_are_installed_on_the_test_site() {
		$this->assertContains( 'da_DK', get_available_languages() );
		$this->assertContains( 'nl_NL', get_available_languages() );
	}

	public function test_a_site_in_danish_loads_the_plugins_danish_strings_on_init() {
		$this->assertSame( 0, has_action( 'init', array( I18n::class, 'load_textdomain' ) ), 'before the init callbacks that register labels' );
		add_filter(
			'locale',
			static function () {
				return 'da_DK';
			}
		);
		unload_textdomain( 'chatflows', true );

		I18n::load_textdomain();

		$this->assertTrue( is_textdomain_loaded( 'chatflows' ) );
		$this->assertSame( 'Indbakke', __( 'Inbox', 'chatflows' ) );
		$this->assertSame( 'Vis chat på alle sider', __( 'Show chat on all pages', 'chatflows' ) );
		unload_textdomain( 'chatflows', true );
	}

	public function test_the_text_domain_follows_the_site_locale() {
		$this->assertSame( 'Chat with us', __( 'Chat with us', 'chatflows' ) );

		$this->assertTrue( switch_to_locale( 'da_DK' ) );
		$this->assertSame( 'Chat med os', __( 'Chat with us', 'chatflows' ) );
		$this->assertSame( 'Alle sider', __( 'All pages', 'chatflows' ) );

		$this->assertTrue( switch_to_locale( 'nl_NL' ) );
		$this->assertSame( 'Chat met ons', __( 'Chat with us', 'chatflows' ) );
		$this->assertSame( 'Inbox', __( 'Inbox', 'chatflows' ) );
		$this->assertSame( '1 gesprek wacht op je', sprintf( _n( '%s conversation waiting for you', '%s conversations waiting for you', 1, 'chatflows' ), 1 ) );
		$this->assertSame( '3 gesprekken wachten op je', sprintf( _n( '%s conversation waiting for you', '%s conversations waiting for you', 3, 'chatflows' ), 3 ) );
		$this->assertSame( 'Zoeken', _x( 'Search', 'button', 'chatflows' ) );

		restore_current_locale();
		$this->assertSame( 'Chat with us', __( 'Chat with us', 'chatflows' ) );
	}

	public function test_each_language_has_its_own_default_texts_whatever_the_current_locale() {
		foreach ( array( 'en_US', 'da_DK', 'nl_NL' ) as $current ) {
			if ( 'en_US' !== $current ) {
				$this->assertTrue( switch_to_locale( $current ) );
			}
			foreach ( self::DEFAULTS as $locale => $expected ) {
				$defaults = Chatflow_Settings::default_texts_in( $locale );
				$this->assertEquals( $expected + array( 'communications' => sprintf( self::COMMUNICATIONS[ $locale ], get_bloginfo( 'name' ) ) ), $defaults, "$locale defaults asked for on a $current page" );
			}
			// The page's own strings are back afterwards.
			$this->assertSame( self::DEFAULTS[ $current ]['welcome'], __( 'Hi! How can we help you today?', 'chatflows' ), "the $current page's strings after the lookups" );
			restore_current_locale();
		}
	}

	public function test_a_stored_text_wins_and_an_empty_one_falls_back_to_that_languages_default() {
		$this->assertTrue( switch_to_locale( 'nl_NL' ) );
		$stored = array(
			'en_US' => 'Hello there',
			'da_DK' => "  \n ",
		);

		$this->assertSame( 'Hello there', Chatflow_Settings::text( $stored, 'welcome', 'en_US' ) );
		$this->assertSame( self::DEFAULTS['da_DK']['welcome'], Chatflow_Settings::text( $stored, 'welcome', 'da_DK' ), 'only spaces: the Danish default' );
		$this->assertSame( self::DEFAULTS['nl_NL']['survey'], Chatflow_Settings::text( $stored, 'survey', 'nl_NL' ), 'no Dutch text: the Dutch default' );
		$this->assertSame( self::DEFAULTS['en_US']['away'], Chatflow_Settings::text( null, 'away', 'en_US' ), 'the English default on a Dutch page' );
		$this->assertSame( sprintf( self::COMMUNICATIONS['da_DK'], get_bloginfo( 'name' ) ), Chatflow_Settings::text( array(), 'communications', 'da_DK' ), 'the communications label defaults to a sentence naming the site' );
	}

	public function test_a_chats_locale_is_its_fixed_language_or_the_pages_matched_to_a_shipped_one() {
		$this->assertSame( 'da_DK', I18n::chat_locale( 'da_DK', 'nl_NL' ), 'a fixed language ignores the page' );
		$this->assertSame( 'nl_NL', I18n::chat_locale( 'page', 'nl_NL' ) );
		$this->assertSame( 'nl_NL', I18n::chat_locale( 'page', 'nl_BE' ), 'the same language' );
		$this->assertSame( 'da_DK', I18n::chat_locale( 'page', 'da' ) );
		$this->assertSame( 'en_US', I18n::chat_locale( 'page', 'en_GB' ) );
		$this->assertSame( 'en_US', I18n::chat_locale( 'page', 'de_DE' ), 'a language without texts: English' );

		$this->assertSame( 'en_US', I18n::chat_locale( 'page' ), 'the current locale' );
		$this->assertTrue( switch_to_locale( 'da_DK' ) );
		$this->assertSame( 'da_DK', I18n::chat_locale( 'page' ) );

		$this->assertSame( 'da-DK', I18n::language_tag( 'da_DK' ) );
		$this->assertSame( 'en-US', I18n::language_tag( 'en_US' ) );
	}

	public function test_a_locale_is_matched_exactly_in_any_spelling_else_by_its_language() {
		$locales = array( 'en_US', 'pt_PT', 'pt_BR' );
		$this->assertSame( 'pt_BR', I18n::match_locale( 'pt-br', $locales ), 'a browser\'s tag, case aside' );
		$this->assertSame( 'pt_PT', I18n::match_locale( 'pt_AO', $locales ), 'the first of the same language' );
		$this->assertSame( 'pt_PT', I18n::match_locale( 'pt', $locales ) );
		$this->assertNull( I18n::match_locale( 'de-DE', $locales ) );
		$this->assertNull( I18n::match_locale( '', $locales ) );
	}

	public function test_in_locale_translates_only_inside_and_restores_the_page_strings_even_after_an_error() {
		$this->assertTrue( switch_to_locale( 'da_DK' ) );
		$inside = I18n::in_locale(
			'nl_NL',
			static function () {
				return __( 'Open chat', 'chatflows' );
			}
		);
		$this->assertSame( 'Chat openen', $inside );
		$this->assertSame( 'Åbn chat', __( 'Open chat', 'chatflows' ) );

		$english = I18n::in_locale(
			'en_US',
			static function () {
				return __( 'Open chat', 'chatflows' );
			}
		);
		$this->assertSame( 'Open chat', $english );

		$nested = I18n::in_locale(
			'nl_NL',
			static function () {
				return array(
					I18n::in_locale(
						'da_DK',
						static function () {
							return __( 'Open chat', 'chatflows' );
						}
					),
					__( 'Open chat', 'chatflows' ),
				);
			}
		);
		$this->assertSame( array( 'Åbn chat', 'Chat openen' ), $nested, 'the page\'s locale asked for inside another one' );

		try {
			I18n::in_locale(
				'nl_NL',
				static function () {
					throw new \RuntimeException( 'failed' );
				}
			);
			$this->fail( 'the exception goes through' );
		} catch ( \RuntimeException $error ) {
			$this->assertSame( 'failed', $error->getMessage() );
		}
		$this->assertSame( 'Åbn chat', __( 'Open chat', 'chatflows' ) );
	}

	public function test_the_editor_gets_every_languages_defaults_by_the_path_it_edits() {
		$this->assertTrue( switch_to_locale( 'nl_NL' ) );
		$texts = Chatflow_Settings::default_texts_by_path();

		$this->assertSame( self::DEFAULTS['da_DK']['welcome'], $texts['welcomeMessage']['da_DK'] );
		$this->assertSame( self::DEFAULTS['en_US']['cookieConsent'], $texts['options.cookieConsent.text']['en_US'] );
		$this->assertSame( self::DEFAULTS['nl_NL']['survey'], $texts['options.survey.question']['nl_NL'] );
		$this->assertSame( sprintf( self::COMMUNICATIONS['da_DK'], get_bloginfo( 'name' ) ), $texts['options.communicationsConsent.label']['da_DK'] );
		$defaults = Chatflow_Settings::defaults();
		foreach ( array_keys( Chatflow_Settings::TEXT_PATHS ) as $path ) {
			$value = $defaults;
			foreach ( explode( '.', $path ) as $key ) {
				$this->assertArrayHasKey( $key, $value, "$path is a setting" );
				$value = $value[ $key ];
			}
			$this->assertSame( array(), $value, "$path is a text per language, empty by default" );
			$this->assertSame( Chatflow_Settings::LOCALES, array_keys( $texts[ $path ] ) );
		}
	}

	public function test_the_service_gets_every_languages_text_from_an_admin_in_another_locale() {
		$id = Chatflows::create(
			'Website chat',
			Chatflow_Settings::merge(
				Chatflow_Settings::defaults(),
				array(
					'welcomeMessage' => array( 'nl_NL' => 'Welkom bij ons!' ),
					'options'        => array( 'survey' => array( 'enabled' => true ) ),
				)
			),
			'publish'
		);
		$this->assertIsInt( $id );
		$this->assertTrue( switch_to_locale( 'nl_NL' ) );

		$compiled = json_decode( wp_json_encode( Service_Sync::compile( get_post( $id ) ) ), true );

		$this->assertSame(
			array(
				'en_US' => self::DEFAULTS['en_US']['welcome'],
				'da_DK' => self::DEFAULTS['da_DK']['welcome'],
				'nl_NL' => 'Welkom bij ons!',
			),
			$compiled['texts']['welcome']
		);
		$this->assertSame( self::DEFAULTS['da_DK']['away'], $compiled['texts']['away']['da_DK'] );
		$this->assertSame( self::DEFAULTS['en_US']['wait'], $compiled['texts']['wait']['en_US'] );
		$this->assertSame( self::DEFAULTS['da_DK']['survey'], $compiled['survey']['question']['da_DK'] );
	}
}
