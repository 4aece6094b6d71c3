<?php
/**
 * Signed calls between WordPress and the real chat service (server/dist), attacked as someone who captured them
 * would: replayed, sent to another route, method or query. Calls the service makes are captured by a stand-in
 * HTTP server and then delivered to WordPress's REST API; calls WordPress makes are captured on their way to the
 * service and sent again.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Service_Sync;
use WP_REST_Request;

/**
 * Both directions bind method, target, body, timestamp and nonce, and refuse replays.
 */
class SignedCallsTest extends TestCase {

	use Runs_Chat_Service;

	/**
	 * The stand-in for WordPress's HTTP side.
	 *
	 * @var resource|null
	 */
	private $capture_server = null;

	protected function tearDown(): void {
		if ( $this->capture_server ) {
			proc_terminate( $this->capture_server, 9 );
			proc_close( $this->capture_server );
			$this->capture_server = null;
		}
		$this->tear_down_service();
		parent::tearDown();
	}

	public function test_the_shared_test_vector_gives_the_same_canonical_target_string_and_signature() {
		$vector = json_decode( (string) file_get_contents( dirname( __DIR__ ) . '/fixtures/signed-call.json' ), true );
		$this->assertSame( $vector['canonicalTarget'], Service_Sync::canonical_target( $vector['target'] ) );
		$this->assertSame( $vector['canonical'], Service_Sync::canonical_string( $vector['method'], $vector['target'], $vector['body'], $vector['timestamp'], $vector['nonce'] ) );
		$this->assertSame( $vector['signature'], Service_Sync::sign( $vector['method'], $vector['target'], $vector['body'], $vector['timestamp'], $vector['nonce'], $vector['secret'] ) );
	}

	public function test_calls_the_service_made_are_refused_elsewhere_and_accepted_once() {
		list( $get, $put ) = $this->capture_service_calls();

		$redirected = array(
			'the configuration pull as the waiting counts' => $this->deliver(
				$get,
				array(
					'method' => 'PUT',
					'route'  => '/chatflows/v1/service/waiting-counts',
				)
			),
			'the configuration pull with a query added'    => $this->deliver( $get, array( 'query' => array( 'x' => '1' ) ) ),
			'the waiting counts as a notification'         => $this->deliver(
				$put,
				array(
					'method' => 'POST',
					'route'  => '/chatflows/v1/service/notify',
				)
			),
			'the waiting counts with another body'         => $this->deliver( $put, array( 'body' => '{"counts":{"1":5}}' ) ),
		);
		foreach ( $redirected as $case => $response ) {
			$this->assertSame( 401, $response->get_status(), $case );
			$this->assertSame( 'chatflows_signature_invalid', $response->get_data()['code'], $case );
		}

		// As a site without pretty permalinks receives it (`?rest_route=`): the same call.
		$first = $this->deliver( $get, array( 'query' => array( 'rest_route' => '/chatflows/v1/service/configuration' ) ) );
		$this->assertSame( 200, $first->get_status(), 'the service signs what WordPress verifies' );
		$this->assertArrayHasKey( 'chatflows', $first->get_data() );
		$again = $this->deliver( $get );
		$this->assertSame( 401, $again->get_status() );
		$this->assertSame( 'chatflows_signature_replayed', $again->get_data()['code'] );

		$this->assertSame( 200, $this->deliver( $put )->get_status() );
		$this->assertSame( 'chatflows_signature_replayed', $this->deliver( $put )->get_data()['code'] );
	}

	public function test_a_captured_privacy_export_request_is_refused_when_replayed_or_sent_to_erase() {
		$this->set_up_service();
		$captured = array();
		add_action(
			'http_api_debug',
			static function ( $response, $context, $transport, $args, $to ) use ( &$captured ) {
				$captured[] = array(
					'url'  => $to,
					'args' => $args,
				);
			},
			10,
			5
		);

		$response = Service_Sync::signed_request(
			'POST',
			'/v1/privacy/export',
			array(
				'email' => 'ada@example.com',
				'page'  => 1,
			)
		);
		$this->assertSame( 200, wp_remote_retrieve_response_code( $response ), 'WordPress signs what the service verifies' );
		$this->assertCount( 1, $captured );
		$sent   = $captured[0];
		$replay = static function ( $to ) use ( $sent ) {
			$again = wp_remote_request(
				$to,
				array(
					'method'      => $sent['args']['method'],
					'headers'     => $sent['args']['headers'],
					'body'        => $sent['args']['body'],
					'redirection' => 0,
				)
			);
			return array(
				(int) wp_remote_retrieve_response_code( $again ),
				json_decode( wp_remote_retrieve_body( $again ), true )['error']['code'] ?? null,
			);
		};

		$this->assertSame( array( 401, 'signature_replayed' ), $replay( $sent['url'] ) );
		$this->assertSame( array( 401, 'signature_invalid' ), $replay( $this->service_url . '/v1/privacy/erase' ) );
		$this->assertSame( array( 401, 'signature_invalid' ), $replay( $sent['url'] . '?page=2' ) );
	}

	public function test_each_nonce_is_one_options_row_kept_only_for_the_window() {
		global $wpdb;
		$wpdb->insert(
			$wpdb->options,
			array(
				'option_name'  => Service_Sync::NONCE_OPTION_PREFIX . 'expired-long-ago-0000',
				'option_value' => sprintf( '%012d', time() - 1 ),
				'autoload'     => 'no',
			)
		);
		$route   = '/chatflows/v1/service/configuration';
		$headers = Service_Sync::signature_headers( 'GET', $route, '', \Chatflows\Service_Connection::secret() );
		$this->assertSame( 200, $this->rest( 'GET', $route, array(), $headers )->get_status() );

		$rows = $wpdb->get_results( $wpdb->prepare( "SELECT option_name, option_value, autoload FROM {$wpdb->options} WHERE option_name LIKE %s", $wpdb->esc_like( Service_Sync::NONCE_OPTION_PREFIX ) . '%' ), ARRAY_A );
		$this->assertCount( 1, $rows, 'the expired nonce is forgotten' );
		$this->assertSame( Service_Sync::NONCE_OPTION_PREFIX . $headers['X-Chatflows-Nonce'], $rows[0]['option_name'] );
		$this->assertSame( sprintf( '%012d', (int) $headers['X-Chatflows-Timestamp'] + Service_Sync::MAX_CLOCK_SKEW + 1 ), $rows[0]['option_value'] );
		$this->assertSame( 'no', $rows[0]['autoload'] );
		$this->assertSame( 401, $this->rest( 'GET', $route, array(), $headers )->get_status() );
	}

	/**
	 * Runs the service against a stand-in WordPress until it has pulled the configuration (GET, empty body) and
	 * sent the waiting counts (PUT, a body).
	 *
	 * @return array[] The two requests as captured: method, uri, headers, body.
	 */
	private function capture_service_calls() {
		$folder = sys_get_temp_dir() . '/chatflows-capture-' . wp_generate_password( 8, false );
		$this->assertTrue( wp_mkdir_p( $folder ) );
		$file          = $folder . '/requests.jsonl';
		$configuration = $folder . '/configuration.json';
		file_put_contents( $configuration, wp_json_encode( Service_Sync::configuration() ) );
		touch( $file );

		$socket = stream_socket_server( 'tcp://127.0.0.1:0' );
		$port   = (int) substr( strrchr( stream_socket_get_name( $socket, false ), ':' ), 1 );
		fclose( $socket );
		$pipes                = array();
		$this->capture_server = proc_open(
			array( PHP_BINARY, '-S', "127.0.0.1:$port", __DIR__ . '/fixtures/capture-wordpress.php' ),
			array(
				0 => array( 'file', '/dev/null', 'r' ),
				1 => array( 'file', '/dev/null', 'w' ),
				2 => array( 'file', '/dev/null', 'w' ),
			),
			$pipes,
			$folder,
			array_merge(
				getenv(),
				array(
					'CHATFLOWS_CAPTURE_FILE'          => $file,
					'CHATFLOWS_CAPTURE_CONFIGURATION' => $configuration,
				)
			)
		);
		$this->start_service( array( 'CHATFLOWS_WORDPRESS_URL' => "http://127.0.0.1:$port" ) );

		$deadline = microtime( true ) + 20;
		$calls    = array();
		while ( microtime( true ) < $deadline ) {
			$calls = array();
			foreach ( file( $file, FILE_IGNORE_NEW_LINES ) ?: array() as $line ) {
				$call                     = json_decode( $line, true );
				$calls[ $call['method'] ] = $calls[ $call['method'] ] ?? $call;
			}
			if ( isset( $calls['GET'], $calls['PUT'] ) ) {
				break;
			}
			usleep( 100000 );
		}
		unlink( $file );
		unlink( $configuration );
		rmdir( $folder );
		$this->assertArrayHasKey( 'GET', $calls, 'the service pulled the configuration' );
		$this->assertArrayHasKey( 'PUT', $calls, 'the service sent the waiting counts' );
		$this->assertSame( '/wp-json/chatflows/v1/service/configuration', $calls['GET']['uri'] );
		$this->assertSame( '/wp-json/chatflows/v1/service/waiting-counts', $calls['PUT']['uri'] );
		return array( $calls['GET'], $calls['PUT'] );
	}

	/**
	 * Delivers a captured call to WordPress's REST API, possibly changed.
	 *
	 * @param array $call    As captured.
	 * @param array $changes `method`, `route`, `query` (parameters) or `body` to use instead.
	 * @return \WP_REST_Response
	 */
	private function deliver( array $call, array $changes = array() ) {
		$request = new WP_REST_Request(
			$changes['method'] ?? $call['method'],
			$changes['route'] ?? substr( $call['uri'], strlen( '/wp-json' ) )
		);
		foreach ( $call['headers'] as $name => $value ) {
			$request->set_header( $name, $value );
		}
		$request->set_query_params( $changes['query'] ?? array() );
		$request->set_body( $changes['body'] ?? $call['body'] );
		return rest_do_request( $request );
	}
}
