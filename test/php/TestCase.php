<?php
/**
 * Base class of the PHP integration tests.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use WP_Error;
use WP_REST_Request;
use WP_REST_Response;
use WP_User;

/**
 * Runs each test against the real WordPress test site, isolated:
 *
 * - the test runs inside a database transaction that is rolled back afterwards, so rows it writes
 *   (posts, users, options, the plugin's tables) are gone for the next test. Code under test that
 *   opens transactions of its own gets savepoints instead, so it cannot commit the test's work;
 * - actions and filters added during a test are removed, caches flushed, roles reloaded;
 * - the current user is reset to nobody, and $_GET, $_POST, $_REQUEST and $_SERVER are restored, and so is
 *   the admin screen (set_current_screen() makes is_admin() true).
 */
abstract class TestCase extends \PHPUnit\Framework\TestCase {

	/**
	 * Hooks as they were before the first test.
	 *
	 * @var array|null
	 */
	private static $saved_hooks = null;

	/**
	 * $_SERVER as it was before the first test.
	 *
	 * @var array|null
	 */
	private static $saved_server = null;

	/**
	 * Open savepoints standing for the transactions of the code under test.
	 *
	 * @var string[]
	 */
	private $savepoints = array();

	/**
	 * Number of savepoints created during this test, for unique names.
	 *
	 * @var int
	 */
	private $savepoint_count = 0;

	/**
	 * Number of users created by create_user() in this process, for unique logins.
	 *
	 * @var int
	 */
	private static $user_count = 0;

	/**
	 * Requests sent through WordPress's HTTP API since stand_in_for_service(), each with its `url` and `args`.
	 *
	 * @var array[]
	 */
	protected $sent = array();

	/**
	 * What the stand-in service answers every request: a response as the HTTP API gives it, or a WP_Error.
	 *
	 * @var array|WP_Error
	 */
	protected $answer;

	/**
	 * Starts the test's transaction.
	 */
	protected function setUp(): void {
		parent::setUp();
		global $wpdb;

		if ( null === self::$saved_hooks ) {
			self::$saved_hooks  = self::backup_hooks();
			self::$saved_server = $_SERVER;
		}

		$wpdb->suppress_errors( false );
		$wpdb->show_errors( false );
		$wpdb->query( 'START TRANSACTION' );
		if ( '' !== $wpdb->last_error ) {
			$this->fail( 'Cannot start the test transaction: ' . $wpdb->last_error );
		}
		$this->savepoints      = array();
		$this->savepoint_count = 0;
		add_filter( 'query', array( $this, 'nest_transactions' ), PHP_INT_MIN );

		wp_cache_flush();
		wp_set_current_user( 0 );
	}

	/**
	 * Rolls the test's transaction back and restores what the test changed in memory.
	 */
	protected function tearDown(): void {
		global $wpdb;

		remove_filter( 'query', array( $this, 'nest_transactions' ), PHP_INT_MIN );
		$wpdb->query( 'ROLLBACK' );

		self::restore_hooks( self::$saved_hooks );
		wp_cache_flush();
		wp_roles()->for_site();
		wp_set_current_user( 0 );
		$_GET                      = array();
		$_POST                     = array();
		$_REQUEST                  = array();
		$_SERVER                   = self::$saved_server;
		$GLOBALS['current_screen'] = null; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited -- tests run outside wp-admin.

		parent::tearDown();
	}

	/**
	 * Stands in for the chat service, and any other host, for this test: every request through the HTTP API is
	 * recorded in $sent and answered with $answer, a refused connection until the test sets another.
	 */
	protected function stand_in_for_service() {
		$this->sent   = array();
		$this->answer = new WP_Error( 'http_request_failed', 'Connection refused' );
		add_filter(
			'pre_http_request',
			function ( $preempt, $args, $url ) {
				$this->sent[] = array(
					'url'  => $url,
					'args' => $args,
				);
				return $this->answer;
			},
			10,
			3
		);
	}

	/**
	 * Makes the stand-in service answer a JSON body.
	 *
	 * @param array $body   Body.
	 * @param int   $status HTTP status.
	 */
	protected function answer_with( array $body, $status = 200 ) {
		$this->answer = array(
			'headers'  => array( 'content-type' => 'application/json' ),
			'body'     => wp_json_encode( $body ),
			'response' => array(
				'code'    => $status,
				'message' => '',
			),
			'cookies'  => array(),
		);
	}

	/**
	 * The JSON body of a request the stand-in service got.
	 *
	 * @param int $index Which request, in the order sent; -1: the last.
	 * @return mixed
	 */
	protected function sent_body( $index = -1 ) {
		$request = array_slice( $this->sent, $index, 1 );
		$this->assertNotEmpty( $request, 'no such request was sent' );
		return json_decode( $request[0]['args']['body'], true );
	}

	/**
	 * The registered privacy exporter's callback, as core finds it.
	 *
	 * @return callable
	 */
	protected function exporter() {
		$exporters = apply_filters( 'wp_privacy_personal_data_exporters', array() );
		$this->assertSame( 'Chatflows live chat', $exporters['chatflows']['exporter_friendly_name'] );
		return $exporters['chatflows']['callback'];
	}

	/**
	 * The registered privacy eraser's callback, as core finds it.
	 *
	 * @return callable
	 */
	protected function eraser() {
		$erasers = apply_filters( 'wp_privacy_personal_data_erasers', array() );
		$this->assertSame( 'Chatflows live chat', $erasers['chatflows']['eraser_friendly_name'] );
		return $erasers['chatflows']['callback'];
	}

	/**
	 * `query` filter: turns transaction statements of the code under test into savepoints inside the
	 * test's transaction (START TRANSACTION / BEGIN -> SAVEPOINT, COMMIT -> RELEASE SAVEPOINT,
	 * ROLLBACK -> ROLLBACK TO SAVEPOINT), and makes autocommit changes no-ops.
	 *
	 * @param string $query SQL.
	 * @return string SQL to run.
	 */
	public function nest_transactions( $query ) {
		$statement = strtoupper( rtrim( trim( $query ), "; \t\n\r" ) );
		if ( preg_match( '/^(START\s+TRANSACTION|BEGIN(\s+WORK)?)$/', $statement ) ) {
			++$this->savepoint_count;
			$name               = 'chatflows_test_' . $this->savepoint_count;
			$this->savepoints[] = $name;
			return "SAVEPOINT $name";
		}
		if ( preg_match( '/^COMMIT(\s+WORK)?$/', $statement ) ) {
			$name = array_pop( $this->savepoints );
			return $name ? "RELEASE SAVEPOINT $name" : 'SELECT 1';
		}
		if ( preg_match( '/^ROLLBACK(\s+WORK)?$/', $statement ) ) {
			$name = array_pop( $this->savepoints );
			return $name ? "ROLLBACK TO SAVEPOINT $name" : 'SELECT 1';
		}
		if ( preg_match( '/^SET\s+(@@SESSION\.|SESSION\s+)?AUTOCOMMIT\s*=/', $statement ) ) {
			return 'SELECT 1';
		}
		return $query;
	}

	/**
	 * Creates a user.
	 *
	 * @param string $role Role, e.g. 'administrator', 'chatflows_agent', 'subscriber'.
	 * @param array  $args More of wp_insert_user()'s fields; defaults give a unique login and e-mail, and
	 *                     the password "password".
	 * @return WP_User The user.
	 */
	protected function create_user( $role = 'subscriber', array $args = array() ) {
		++self::$user_count;
		$login = 'test_user_' . self::$user_count . '_' . wp_generate_password( 6, false );
		$id    = wp_insert_user(
			array_merge(
				array(
					'user_login' => $login,
					'user_pass'  => 'password',
					'user_email' => $login . '@example.com',
					'role'       => $role,
				),
				$args
			)
		);
		$this->assertNotWPError( $id, 'create_user' );
		return new WP_User( $id );
	}

	/**
	 * Sends a request through the REST API in-process (rest_do_request), as the current user.
	 *
	 * @param string $method  HTTP method.
	 * @param string $route   Route, e.g. '/chatflows/v1/agent-token'.
	 * @param array  $params  Query parameters for GET, HEAD and DELETE; a JSON body otherwise.
	 * @param array  $headers Request headers.
	 * @return WP_REST_Response The response (errors come back as responses with their status).
	 */
	protected function rest( $method, $route, array $params = array(), array $headers = array() ) {
		$method  = strtoupper( $method );
		$request = new WP_REST_Request( $method, $route );
		foreach ( $headers as $name => $value ) {
			$request->set_header( $name, $value );
		}
		if ( in_array( $method, array( 'GET', 'HEAD', 'DELETE' ), true ) ) {
			$request->set_query_params( $params );
		} elseif ( $params ) {
			$request->set_header( 'Content-Type', 'application/json' );
			$request->set_body( wp_json_encode( $params ) );
		}
		return rest_do_request( $request );
	}

	/**
	 * Sends a JSON body through the REST API signed with the shared secret, as the chat service does.
	 *
	 * @param string $method HTTP method.
	 * @param string $route  Route, e.g. '/chatflows/v1/service/notify'.
	 * @param array  $body   Body.
	 * @return WP_REST_Response
	 */
	protected function signed_rest( $method, $route, array $body ) {
		return $this->rest(
			$method,
			$route,
			$body,
			\Chatflows\Service_Sync::signature_headers( $method, $route, wp_json_encode( $body ), \Chatflows\Service_Connection::secret() )
		);
	}

	/**
	 * Asserts that a value is not a WP_Error.
	 *
	 * @param mixed  $actual  Value.
	 * @param string $message Message.
	 */
	protected function assertNotWPError( $actual, $message = '' ) {
		$detail = $actual instanceof WP_Error ? $actual->get_error_message() : '';
		$this->assertNotInstanceOf( WP_Error::class, $actual, trim( "$message $detail" ) );
	}

	/**
	 * Asserts that a value is a WP_Error.
	 *
	 * @param mixed  $actual  Value.
	 * @param string $message Message.
	 */
	protected function assertWPError( $actual, $message = '' ) {
		$this->assertInstanceOf( WP_Error::class, $actual, $message );
	}

	/**
	 * Copies the hook globals (WP_Hook objects are cloned).
	 *
	 * @return array Saved state.
	 */
	private static function backup_hooks() {
		$saved = array();
		foreach ( array( 'wp_actions', 'wp_filters', 'wp_current_filter' ) as $name ) {
			$saved[ $name ] = $GLOBALS[ $name ] ?? array();
		}
		$saved['wp_filter'] = array();
		foreach ( $GLOBALS['wp_filter'] as $hook_name => $hook ) {
			$saved['wp_filter'][ $hook_name ] = clone $hook;
		}
		return $saved;
	}

	/**
	 * Puts saved hook globals back.
	 *
	 * @param array $saved From backup_hooks().
	 */
	private static function restore_hooks( array $saved ) {
		foreach ( array( 'wp_actions', 'wp_filters', 'wp_current_filter' ) as $name ) {
			$GLOBALS[ $name ] = $saved[ $name ];
		}
		$GLOBALS['wp_filter'] = array();
		foreach ( $saved['wp_filter'] as $hook_name => $hook ) {
			$GLOBALS['wp_filter'][ $hook_name ] = clone $hook;
		}
	}
}
