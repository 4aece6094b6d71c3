<?php
/**
 * WordPress's settings rules against the fixtures the TypeScript rules (packages/chatflow-model, used by the admin's
 * form and the chat service) also pass: test/fixtures/settings.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Chatflow_Settings;

/**
 * Table-driven over the shared fixtures.
 */
class ChatflowSettingsFixturesTest extends TestCase {

	/**
	 * The cases of validation.json, keyed by name.
	 *
	 * @return array<string,array{0:array}>
	 */
	public function cases() {
		// phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- a local fixture.
		$cases = json_decode( file_get_contents( dirname( __DIR__ ) . '/fixtures/settings/validation.json' ), true );
		$named = array();
		foreach ( $cases as $case ) {
			$named[ $case['name'] ] = array( $case );
		}
		return $named;
	}

	/**
	 * The default settings with values written at dotted paths.
	 *
	 * @param array $set Values by path.
	 * @return array
	 */
	private static function settings_with( array $set ) {
		$settings = Chatflow_Settings::defaults();
		foreach ( $set as $path => $value ) {
			$node = &$settings;
			foreach ( explode( '.', $path ) as $key ) {
				$node = &$node[ $key ];
			}
			$node = $value;
			unset( $node );
		}
		return $settings;
	}

	/**
	 * @dataProvider cases
	 *
	 * @param array $fixture Case.
	 */
	public function test_settings_are_judged_as_the_typescript_rules_judge_them( array $fixture ) {
		$errors = Chatflow_Settings::validate( self::settings_with( $fixture['set'] ) );
		$paths  = array_keys( $errors );
		sort( $paths );
		$expected = $fixture['errors'];
		sort( $expected );
		$this->assertSame( $expected, $paths, wp_json_encode( $errors ) );
		foreach ( $errors as $message ) {
			$this->assertNotSame( '', trim( $message ) );
		}
	}

	public function test_a_colour_of_three_digits_is_named_as_a_colour() {
		$errors = Chatflow_Settings::validate( self::settings_with( array( 'display.accentColor' => '#abc' ) ) );
		$this->assertStringContainsString( '#2563eb', $errors['settings.display.accentColor'] );
	}
}
