<?php
/**
 * The PHP rule engine against the fixtures the browser's engine also passes (test/fixtures/targeting).
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Chatflow_Settings;
use Chatflows\Targeting_Rules;

/**
 * Table-driven over the shared fixtures.
 */
class TargetingRulesTest extends TestCase {

	/**
	 * Cases of one fixture file, keyed by name.
	 *
	 * @param string $file File name.
	 * @return array<string,array{0:array}>
	 */
	private static function fixtures( $file ) {
		// phpcs:ignore WordPress.WP.AlternativeFunctions.file_get_contents_file_get_contents -- a local fixture.
		$cases = json_decode( file_get_contents( dirname( __DIR__ ) . '/fixtures/targeting/' . $file ), true );
		$named = array();
		foreach ( $cases as $case ) {
			$named[ $case['name'] ] = array( $case );
		}
		return $named;
	}

	/**
	 * A rule as the fixtures write it (`name` may be left out).
	 *
	 * @param array $rule Rule.
	 * @return array
	 */
	private static function rule( array $rule ) {
		return $rule + array( 'name' => '' );
	}

	public function page_rules() {
		return self::fixtures( 'url-rules.json' ) + self::fixtures( 'query-rules.json' );
	}

	/**
	 * @dataProvider page_rules
	 *
	 * @param array $fixture Case.
	 */
	public function test_url_and_query_parameter_rules( array $fixture ) {
		$this->assertSame( $fixture['expect'], Targeting_Rules::rule_holds( self::rule( $fixture['rule'] ), $fixture['url'], null ) );
	}

	public function visitor_rules() {
		return self::fixtures( 'visitor-rules.json' );
	}

	/**
	 * @dataProvider visitor_rules
	 *
	 * @param array $fixture Case.
	 */
	public function test_visitor_rules( array $fixture ) {
		$this->assertSame( $fixture['expect'], Targeting_Rules::rule_holds( self::rule( $fixture['rule'] ), 'https://example.com/', $fixture['traits'] ) );
		$this->assertNull( Targeting_Rules::rule_holds( self::rule( $fixture['rule'] ), 'https://example.com/', null ), 'open while the visitor is not known' );
	}

	public function targets() {
		return self::fixtures( 'targets.json' );
	}

	/**
	 * @dataProvider targets
	 *
	 * @param array $fixture Case.
	 */
	public function test_targets( array $fixture ) {
		$result = Targeting_Rules::evaluate( $fixture['target'], $fixture['url'], $fixture['traits'] ?? null );
		$this->assertSame( $fixture['expect'], $result['result'] );
		$by = $result['decidedBy'];
		$this->assertSame( $fixture['decidedBy'], isset( $by['index'] ) ? "{$by['kind']}[{$by['index']}]" : $by['kind'] );
		if ( 'maybe' === $result['result'] ) {
			$this->assertSame( $fixture['conditions'], $result['conditions'] );
		}
	}

	public function selections() {
		return self::fixtures( 'selection.json' );
	}

	/**
	 * @dataProvider selections
	 *
	 * @param array $fixture Case.
	 */
	public function test_the_first_chatflow_whose_rules_hold_serves_the_page( array $fixture ) {
		// In two steps, as on a page: the page rules when it renders, the visitor rules in the browser.
		$served = null;
		foreach ( $fixture['chatflows'] as $chatflow ) {
			$result = Targeting_Rules::evaluate( $chatflow['target'], $fixture['url'] );
			if ( 'yes' === $result['result'] || ( 'maybe' === $result['result'] && Targeting_Rules::conditions_hold( $result['conditions'], $fixture['traits'] ) ) ) {
				$served = $chatflow['id'];
				break;
			}
		}
		$this->assertSame( $fixture['expect'], $served );
	}

	public function validations() {
		return self::fixtures( 'validation.json' );
	}

	/**
	 * @dataProvider validations
	 *
	 * @param array $fixture Case.
	 */
	public function test_invalid_rules_are_refused_at_save_time_with_the_field_named( array $fixture ) {
		$settings = Chatflow_Settings::merge( Chatflow_Settings::defaults(), array( 'target' => $fixture['target'] ) );
		$errors   = Chatflow_Settings::validate( $settings );
		$paths    = array_keys( $errors );
		sort( $paths );
		$expected = $fixture['errors'];
		sort( $expected );
		$this->assertSame( $expected, $paths, wp_json_encode( $errors ) );
		foreach ( $errors as $message ) {
			$this->assertNotSame( '', trim( $message ) );
		}
	}

	public function test_a_role_must_exist_on_the_site() {
		$target = array(
			'allPages' => false,
			'include'  => array(
				array(
					'rules' => array(
						self::rule(
							array(
								'field'    => 'role',
								'operator' => 'is',
								'value'    => 'wizard',
							)
						),
					),
				),
			),
			'exclude'  => array(),
		);
		$errors = Chatflow_Settings::validate( Chatflow_Settings::merge( Chatflow_Settings::defaults(), array( 'target' => $target ) ) );
		$this->assertSame( array( 'settings.target.include[0].rules[0].value' ), array_keys( $errors ) );
	}
}
