<?php
/**
 * Identification tokens: the REST route for the logged-in user and the
 * function for the site's own code.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Service_Connection;

/**
 * `POST /chatflows/v1/identification-token` and `chatflows_identification_token()`.
 */
class IdentificationTest extends TestCase {

	const ROUTE = '/chatflows/v1/identification-token';

	public function test_the_route_is_registered_for_posts_with_a_permission_check() {
		$routes = rest_get_server()->get_routes( 'chatflows/v1' );
		$this->assertArrayHasKey( self::ROUTE, $routes );
		foreach ( $routes[ self::ROUTE ] as $endpoint ) {
			$this->assertIsCallable( $endpoint['permission_callback'] );
			$this->assertSame( array( 'POST' => true ), $endpoint['methods'] );
		}
		wp_set_current_user( $this->create_user( 'subscriber' )->ID );
		$this->assertSame( 404, $this->rest( 'GET', self::ROUTE )->get_status() );
	}

	public function test_a_visitor_who_is_not_logged_in_is_refused() {
		$response = $this->rest( 'POST', self::ROUTE );
		$this->assertSame( 401, $response->get_status() );
		$this->assertSame( 'chatflows_not_logged_in', $response->get_data()['code'] );
	}

	public function test_a_logged_in_user_gets_a_short_lived_token_for_their_own_email() {
		$user = $this->create_user(
			'subscriber',
			array(
				'user_email'   => 'Casey.Customer@example.com',
				'display_name' => 'Casey <b>Customer</b>',
			)
		);
		wp_set_current_user( $user->ID );
		$before = time();

		$response = $this->rest( 'POST', self::ROUTE );

		$this->assertSame( 200, $response->get_status() );
		$this->assertSame( 'no-store', $response->get_headers()['Cache-Control'] );
		$data = $response->get_data();
		$this->assertSame( 'Casey.Customer@example.com', $data['email'] );
		$claims = $this->verified_claims( $data['token'], Service_Connection::secret() );
		$this->assertSame( 'chatflows-identification', $claims['aud'] );
		$this->assertSame( home_url(), $claims['iss'] );
		$this->assertSame( 'Casey.Customer@example.com', $claims['email'] );
		$this->assertSame( 'Casey Customer', $claims['name'] );
		$this->assertSame( (string) $user->ID, $claims['sub'], 'it vouches for the user' );
		$this->assertGreaterThanOrEqual( $before, $claims['iat'] );
		$this->assertSame( 600, $claims['exp'] - $claims['iat'] );
		$this->assertSame( gmdate( 'c', $claims['exp'] ), $data['expires_at'] );
	}

	public function test_an_address_a_subscriber_gave_themselves_through_the_rest_api_is_not_vouched_for() {
		// victim@example.com is a chat contact (no account here) whose history the attacker wants.
		$attacker = $this->create_user( 'subscriber', array( 'user_email' => 'mallory@example.com' ) );
		wp_set_current_user( $attacker->ID );
		// Core lets a user change their own address through the REST API without any confirmation.
		$changed = $this->rest( 'PUT', '/wp/v2/users/me', array( 'email' => 'victim@example.com' ) );
		$this->assertSame( 200, $changed->get_status(), wp_json_encode( $changed->get_data() ) );
		$this->assertSame( 'victim@example.com', get_userdata( $attacker->ID )->user_email );

		$response = $this->rest( 'POST', self::ROUTE );

		$this->assertSame( 200, $response->get_status() );
		$data = $response->get_data();
		$this->assertNull( $data['email'], 'no address to pass as identificationEmail' );
		$claims = $this->verified_claims( $data['token'], Service_Connection::secret() );
		$this->assertArrayNotHasKey( 'email', $claims, 'the token vouches for the user only' );
		$this->assertSame( (string) $attacker->ID, $claims['sub'] );
	}

	public function test_an_address_changed_through_cores_confirmation_link_is_vouched_for() {
		$user = $this->create_user( 'subscriber', array( 'user_email' => 'old@example.com' ) );
		wp_set_current_user( $user->ID );
		// What the profile screen stores and e-mails to the new address (send_confirmation_on_profile_email),
		// then what its link does (wp-admin/user-edit.php with ?newuseremail=<hash>).
		update_user_meta(
			$user->ID,
			'_new_email',
			array(
				'hash'     => 'the-hash-sent-to-the-new-address',
				'newemail' => 'new@example.com',
			)
		);
		$_GET['newuseremail'] = 'the-hash-sent-to-the-new-address';
		$updated              = wp_update_user(
			array(
				'ID'         => $user->ID,
				'user_email' => 'new@example.com',
			)
		);
		unset( $_GET['newuseremail'] );
		$this->assertSame( $user->ID, $updated );

		$data = $this->rest( 'POST', self::ROUTE )->get_data();
		$this->assertSame( 'new@example.com', $data['email'] );
		$this->assertSame( 'new@example.com', $this->verified_claims( $data['token'], Service_Connection::secret() )['email'] );

		// The same change with a wrong hash is the user's own word only.
		update_user_meta(
			$user->ID,
			'_new_email',
			array(
				'hash'     => 'the-real-hash',
				'newemail' => 'newer@example.com',
			)
		);
		$_GET['newuseremail'] = 'a-guess';
		wp_update_user(
			array(
				'ID'         => $user->ID,
				'user_email' => 'newer@example.com',
			)
		);
		unset( $_GET['newuseremail'] );
		$this->assertNull( $this->rest( 'POST', self::ROUTE )->get_data()['email'] );
	}

	public function test_an_address_an_administrator_gave_a_user_is_vouched_for() {
		$user = $this->create_user( 'subscriber', array( 'user_email' => 'before@example.com' ) );
		wp_set_current_user( $this->create_user( 'administrator' )->ID );
		$changed = $this->rest( 'PUT', '/wp/v2/users/' . $user->ID, array( 'email' => 'after@example.com' ) );
		$this->assertSame( 200, $changed->get_status(), wp_json_encode( $changed->get_data() ) );

		wp_set_current_user( $user->ID );
		$this->assertSame( 'after@example.com', $this->rest( 'POST', self::ROUTE )->get_data()['email'] );
	}

	public function test_the_function_signs_for_a_known_contact_of_the_site() {
		$signed = chatflows_identification_token( ' ann@example.com ', 'Ann Example', 120 );
		$this->assertIsArray( $signed );
		$this->assertSame( 'ann@example.com', $signed['email'] );
		$claims = $this->verified_claims( $signed['token'], Service_Connection::secret() );
		$this->assertSame( 'ann@example.com', $claims['email'] );
		$this->assertSame( 'Ann Example', $claims['name'] );
		$this->assertSame( 120, $claims['exp'] - $claims['iat'] );
	}

	public function test_the_function_refuses_bad_input_naming_the_field() {
		foreach ( array( '', 'not an address', str_repeat( 'a', 250 ) . '@example.com', null ) as $email ) {
			$error = chatflows_identification_token( $email );
			$this->assertWPError( $error );
			$this->assertSame( 'email', $error->get_error_data()['field'] );
			$this->assertStringStartsWith( 'email:', $error->get_error_message() );
		}
		foreach ( array( 0, -5, DAY_IN_SECONDS + 1 ) as $lifetime ) {
			$error = chatflows_identification_token( 'ann@example.com', '', $lifetime );
			$this->assertWPError( $error );
			$this->assertSame( 'lifetime', $error->get_error_data()['field'] );
		}
	}

	public function test_without_a_secret_no_token_is_signed() {
		delete_option( Service_Connection::SECRET_OPTION );
		wp_set_current_user( $this->create_user( 'subscriber' )->ID );
		$response = $this->rest( 'POST', self::ROUTE );
		$this->assertSame( 500, $response->get_status() );
		$this->assertSame( 'chatflows_no_secret', $response->get_data()['code'] );
	}

	public function test_a_token_does_not_verify_with_another_secret() {
		$signed = chatflows_identification_token( 'ann@example.com' );
		$this->assertNull( $this->verified_claims( $signed['token'], Service_Connection::generate_secret(), false ) );
	}

	public function test_pages_with_chat_never_carry_a_token() {
		wp_set_current_user( $this->create_user( 'subscriber', array( 'user_email' => 'pat@example.com' ) )->ID );
		$config = wp_json_encode( \Chatflows\Frontend::public_config( $this->factory_chatflow() ) );
		$this->assertStringNotContainsString( 'pat@example.com', $config );
		$this->assertStringNotContainsString( 'identification', $config );
	}

	/**
	 * A published chatflow with default settings.
	 *
	 * @return \WP_Post
	 */
	private function factory_chatflow() {
		$id = wp_insert_post(
			array(
				'post_type'   => 'chatflows_chatflow',
				'post_status' => 'publish',
				'post_title'  => 'Identification test',
			)
		);
		return get_post( $id );
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
		$decode   = static function ( $part ) {
			return base64_decode( strtr( $part, '-_', '+/' ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode
		};
		$expected = hash_hmac( 'sha256', $parts[0] . '.' . $parts[1], $secret, true );
		$valid    = hash_equals( $expected, $decode( $parts[2] ) );
		if ( $assert ) {
			$this->assertTrue( $valid, 'the signature matches the shared secret' );
		}
		return $valid ? json_decode( $decode( $parts[1] ), true ) : null;
	}
}
