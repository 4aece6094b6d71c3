<?php
/**
 * The REST route that gives agents a token for the chat service.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Plugin;
use Chatflows\Service_Connection;

/**
 * `POST /chatflows/v1/agent-token`: who gets a token, and what it says.
 */
class AgentTokenTest extends TestCase {

	const ROUTE = '/chatflows/v1/agent-token';

	public function test_the_route_is_registered_with_a_permission_check() {
		$routes = rest_get_server()->get_routes( 'chatflows/v1' );
		$this->assertArrayHasKey( self::ROUTE, $routes );
		foreach ( $routes[ self::ROUTE ] as $endpoint ) {
			$this->assertIsCallable( $endpoint['permission_callback'] );
			$this->assertSame( array( 'POST' => true ), $endpoint['methods'] );
		}
	}

	public function test_a_visitor_who_is_not_logged_in_is_refused() {
		$response = $this->rest( 'POST', self::ROUTE );
		$this->assertSame( 401, $response->get_status() );
		$this->assertSame( 'chatflows_cannot_answer', $response->get_data()['code'] );
	}

	public function test_a_user_who_may_not_answer_chats_is_refused() {
		foreach ( array( 'subscriber', 'editor' ) as $role ) {
			wp_set_current_user( $this->create_user( $role )->ID );
			$response = $this->rest( 'POST', self::ROUTE );
			$this->assertSame( 403, $response->get_status(), $role );
		}
	}

	public function test_reading_the_route_is_not_allowed() {
		wp_set_current_user( $this->create_user( 'chatflows_agent' )->ID );
		$this->assertSame( 404, $this->rest( 'GET', self::ROUTE )->get_status() );
	}

	public function test_an_agent_gets_a_signed_short_lived_token_naming_them() {
		$agent = $this->create_user( 'chatflows_agent', array( 'display_name' => 'Alex Agent' ) );
		wp_set_current_user( $agent->ID );
		$before = time();

		$response = $this->rest( 'POST', self::ROUTE );

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 'no-store', $response->get_headers()['Cache-Control'] );
		$data   = $response->get_data();
		$claims = $this->verified_claims( $data['token'], Service_Connection::secret() );
		$this->assertSame( 'chatflows-service', $claims['aud'] );
		$this->assertSame( home_url(), $claims['iss'] );
		$this->assertSame( (string) $agent->ID, $claims['sub'] );
		$this->assertSame( 'Alex Agent', $claims['name'] );
		$this->assertSame( array( 'chatflows_answer' ), $claims['caps'] );
		$this->assertGreaterThanOrEqual( $before, $claims['iat'] );
		$this->assertSame( 300, $claims['exp'] - $claims['iat'] );
		$this->assertSame( gmdate( 'c', $claims['exp'] ), $data['expires_at'] );
		$this->assertSame( Service_Connection::url(), $data['service'] );
	}

	public function test_an_administrator_token_carries_both_capabilities() {
		wp_set_current_user( $this->create_user( 'administrator' )->ID );
		$claims = $this->verified_claims( $this->rest( 'POST', self::ROUTE )->get_data()['token'], Service_Connection::secret() );
		$this->assertSame( array( 'chatflows_manage', 'chatflows_answer' ), $claims['caps'] );
	}

	public function test_a_token_does_not_verify_with_another_secret() {
		wp_set_current_user( $this->create_user( 'chatflows_agent' )->ID );
		$token = $this->rest( 'POST', self::ROUTE )->get_data()['token'];
		$this->assertNull( $this->verified_claims( $token, Service_Connection::generate_secret(), false ) );
	}

	public function test_activation_creates_one_secret_and_keeps_it() {
		delete_option( Service_Connection::SECRET_OPTION );
		Plugin::activate();
		$secret = get_option( Service_Connection::SECRET_OPTION );
		$this->assertIsString( $secret );
		$this->assertSame( 64, strlen( $secret ) );
		$this->assertSame( $secret, Service_Connection::secret() );
		$this->assertArrayNotHasKey( Service_Connection::SECRET_OPTION, wp_load_alloptions(), 'the secret is not autoloaded' );

		Plugin::activate();
		$this->assertSame( $secret, get_option( Service_Connection::SECRET_OPTION ), 'a second activation keeps the secret' );
	}

	public function test_without_a_secret_no_token_is_signed() {
		delete_option( Service_Connection::SECRET_OPTION );
		wp_set_current_user( $this->create_user( 'chatflows_agent' )->ID );
		$response = $this->rest( 'POST', self::ROUTE );
		$this->assertSame( 500, $response->get_status() );
		$this->assertSame( 'chatflows_no_secret', $response->get_data()['code'] );
	}

	/**
	 * Verifies an HS256 token as the service does, and returns its claims.
	 *
	 * @param string $token  Compact JWT.
	 * @param string $secret Secret.
	 * @param bool   $assert Fail the test when the signature does not match.
	 * @return array|null Claims, or null when the signature does not match.
	 */
	private function verified_claims( $token, $secret, $assert = true ) {
		$parts = explode( '.', $token );
		$this->assertCount( 3, $parts );
		$decode = static function ( $part ) {
			return base64_decode( strtr( $part, '-_', '+/' ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode
		};
		$this->assertSame(
			array(
				'alg' => 'HS256',
				'typ' => 'JWT',
			),
			json_decode( $decode( $parts[0] ), true )
		);
		$expected = hash_hmac( 'sha256', $parts[0] . '.' . $parts[1], $secret, true );
		$valid    = hash_equals( $expected, $decode( $parts[2] ) );
		if ( $assert ) {
			$this->assertTrue( $valid, 'the signature matches the shared secret' );
		}
		return $valid ? json_decode( $decode( $parts[1] ), true ) : null;
	}
}
