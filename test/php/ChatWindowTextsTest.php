<?php
/**
 * The chat window's texts, printed with the widget's configuration.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Admin;
use Chatflows\Chatflow_Settings;
use Chatflows\Chatflows;
use Chatflows\Frontend;

/**
 * Every text the window shows comes from WordPress, translated, with the placeholders the widget fills in.
 */
class ChatWindowTextsTest extends TestCase {

	/**
	 * Keys the widget reads (`ChatWindowTexts` in widget/src/page-settings.ts), with the placeholders each must keep.
	 */
	const KEYS = array(
		'chatTab'            => array(),
		'sound'              => array(),
		'returnTime'         => array( '%s' ),
		'queuePosition'      => array( '%1$s', '%2$s' ),
		'typing'             => array( '%s' ),
		'seen'               => array(),
		'emailLabel'         => array(),
		'emailSubmit'        => array(),
		'emailInvalid'       => array(),
		'emailSaved'         => array(),
		'offlineHeading'     => array(),
		'offlineIntro'       => array(),
		'unreachable'        => array(),
		'unavailable'        => array(),
		'offlineSubmit'      => array(),
		'offlineSent'        => array(),
		'offlineQueued'      => array(),
		'messageRequired'    => array(),
		'surveyRating'       => array( '%1$s', '%2$s' ),
		'surveyComment'      => array(),
		'surveySubmit'       => array(),
		'surveyThanks'       => array(),
		'surveyChooseRating' => array(),
		'conversationClosed' => array(),
		'startNew'           => array(),
		'skip'               => array(),
		'startHint'          => array(),
		'rateLimited'        => array(),
		'notDelivered'       => array(),
		'cookieBanner'       => array(),
		'cookieAccept'       => array(),
		'cookieDecline'      => array(),
		'dataAgree'          => array(),
		'dataAgreeFirst'     => array(),
		'privacyPolicy'      => array(),
	);

	public function test_every_window_text_is_there_with_its_placeholders() {
		$texts = Frontend::window_texts();
		$this->assertEqualsCanonicalizing( array_merge( array_keys( self::KEYS ), array( 'replyTime' ) ), array_keys( $texts ) );
		foreach ( self::KEYS as $key => $placeholders ) {
			$this->assertIsString( $texts[ $key ], $key );
			$this->assertNotSame( '', trim( $texts[ $key ] ), $key );
			foreach ( $placeholders as $placeholder ) {
				$this->assertStringContainsString( $placeholder, $texts[ $key ], $key );
			}
		}
		$this->assertSame( array( 'minutes', 'hour', 'hours', 'day' ), array_keys( $texts['replyTime'] ) );
		foreach ( $texts['replyTime'] as $time => $text ) {
			$this->assertNotSame( '', trim( $text ), "replyTime.$time" );
		}
	}

	public function test_the_texts_follow_the_page_language() {
		$english = Frontend::window_texts();
		$this->assertTrue( switch_to_locale( 'da_DK' ) );
		try {
			$danish = Frontend::window_texts();
		} finally {
			restore_previous_locale();
		}
		$translated = array_filter(
			array_keys( self::KEYS ),
			static function ( $key ) use ( $english, $danish ) {
				return $english[ $key ] !== $danish[ $key ];
			}
		);
		$this->assertNotEmpty( $translated, 'the window texts are translated into Danish' );
	}

	public function test_the_admin_preview_gets_the_same_texts_in_the_admin_language() {
		$this->assertSame( Frontend::window_texts(), Admin::chatflows_page_data()['windowTexts'] );
		$this->assertTrue( switch_to_locale( 'da_DK' ) );
		try {
			$danish  = Frontend::window_texts();
			$preview = Admin::chatflows_page_data()['windowTexts'];
		} finally {
			restore_previous_locale();
		}
		$this->assertSame( $danish, $preview );
		$this->assertNotSame( Frontend::window_texts()['sound'], $preview['sound'], 'the preview speaks the admin language' );
	}

	public function test_the_inline_configuration_carries_them_and_the_public_settings_the_window_needs() {
		$settings = Chatflow_Settings::merge(
			Chatflow_Settings::defaults(),
			array(
				'heading'      => array(
					'mode'       => 'custom_branding',
					'teamName'   => 'Support <Crew>',
					'imageId'    => 0,
					'useAsAlias' => true,
				),
				'emailCapture' => array(
					'enabled' => true,
					'when'    => 'before_chat',
					'message' => array( 'en_US' => 'Your e-mail first.' ),
				),
			)
		);
		$id       = Chatflows::create( 'Window texts', $settings, 'publish' );
		$this->assertIsInt( $id );

		$config = Frontend::public_config( get_post( $id ) );

		$this->assertSame( Frontend::window_texts(), $config['texts']['window'] );
		$this->assertSame(
			array(
				'mode'       => 'custom_branding',
				'teamName'   => 'Support <Crew>',
				'imageUrl'   => '',
				'useAsAlias' => true,
				'people'     => array(),
			),
			$config['chatflow']['heading']
		);
		$this->assertSame(
			array(
				'enabled' => true,
				'when'    => 'before_chat',
				'message' => 'Your e-mail first.',
			),
			$config['chatflow']['emailCapture']
		);
		foreach ( array( 'showTypicalReplyTime', 'typicalReplyTime', 'whenAway', 'whenOffline', 'whenAtCapacity', 'awayMessage', 'waitMessage' ) as $key ) {
			$this->assertArrayHasKey( $key, $config['chatflow']['availability'] );
		}
		$this->assertArrayHasKey( 'question', $config['chatflow']['survey'] );
	}
}
