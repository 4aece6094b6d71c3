<?php
/**
 * The built chat service (server/dist) as a child process of a PHP test, with its own SQLite file and the
 * site's secret, and the seed script (fixtures/seed-service.mjs) that chats with it as visitors and agents do.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Service_Connection;

/**
 * For tests of WordPress talking to the real service.
 */
trait Runs_Chat_Service {

	/**
	 * Seconds to wait for the service to listen or to stop.
	 *
	 * @var int
	 */
	private $service_wait_seconds = 20;

	/**
	 * The service process.
	 *
	 * @var resource|null
	 */
	private $process = null;

	/**
	 * Folder of the service's database and log.
	 *
	 * @var string
	 */
	private $folder = '';

	/**
	 * The service's URL.
	 *
	 * @var string
	 */
	private $service_url = '';

	/**
	 * Starts the service and points the plugin at it (call from setUp()).
	 *
	 * @param array<string,string> $env More environment variables.
	 */
	protected function set_up_service( array $env = array() ) {
		$this->start_service( $env );
		$url = $this->service_url;
		add_filter(
			'chatflows_service_url',
			static function () use ( $url ) {
				return $url;
			}
		);
	}

	/**
	 * Stops the service and removes its files (call from tearDown()).
	 */
	protected function tear_down_service() {
		$this->stop_service();
		if ( '' !== $this->folder ) {
			foreach ( (array) glob( $this->folder . '/*' ) as $file ) {
				unlink( $file );
			}
			rmdir( $this->folder );
		}
	}

	/**
	 * A token for an agent, from the plugin's own REST route.
	 *
	 * @return string
	 */
	protected function agent_token() {
		$previous = get_current_user_id();
		$agent    = get_user_by( 'login', 'privacy_test_agent' );
		if ( ! $agent ) {
			$agent = $this->create_user(
				'chatflows_agent',
				array(
					'user_login'   => 'privacy_test_agent',
					'display_name' => 'Grace Hopper',
				)
			);
		}
		wp_set_current_user( $agent->ID );
		$response = $this->rest( 'POST', '/chatflows/v1/agent-token' );
		wp_set_current_user( $previous );
		$this->assertSame( 200, $response->get_status() );
		return $response->get_data()['token'];
	}

	/**
	 * Runs the seed script against the service.
	 *
	 * @param string $chatflow_id Chatflow the visitors chat under.
	 * @param array  $visitors    What each visitor does (see seed-service.mjs).
	 * @return array What the script stored.
	 */
	protected function seed( $chatflow_id, array $visitors ) {
		$input   = array(
			'serviceUrl' => $this->service_url,
			'origin'     => $this->site_origin(),
			'chatflowId' => $chatflow_id,
			'agentToken' => $this->agent_token(),
			'visitors'   => $visitors,
		);
		$pipes   = array();
		$process = proc_open(
			array( $this->node(), __DIR__ . '/fixtures/seed-service.mjs', wp_json_encode( $input ) ),
			array(
				1 => array( 'pipe', 'w' ),
				2 => array( 'pipe', 'w' ),
			),
			$pipes,
			dirname( __DIR__, 2 )
		);
		$this->assertIsResource( $process );
		$output = stream_get_contents( $pipes[1] );
		$errors = stream_get_contents( $pipes[2] );
		fclose( $pipes[1] );
		fclose( $pipes[2] );
		$status = proc_close( $process );
		$this->assertSame( 0, $status, "The seed script failed: $errors" );
		$seeded = json_decode( $output, true );
		$this->assertIsArray( $seeded, "The seed script printed no JSON: $output" );
		return $seeded;
	}

	/**
	 * Starts the built service on a free port with its own SQLite file and the site's secret.
	 *
	 * @param array<string,string> $env More environment variables.
	 */
	protected function start_service( array $env = array() ) {
		$entry = dirname( __DIR__, 2 ) . '/server/dist/server/src/index.js';
		$this->assertFileExists( $entry, 'Build the chat service first: npm run build:server' );
		$this->folder = sys_get_temp_dir() . '/chatflows-privacy-test-' . wp_generate_password( 8, false );
		$this->assertTrue( wp_mkdir_p( $this->folder ) );
		$log = $this->folder . '/service.log';

		$env           = array_merge(
			getenv(),
			array(
				'CHATFLOWS_PORT'            => '0',
				'CHATFLOWS_HOST'            => '127.0.0.1',
				'CHATFLOWS_SECRET'          => Service_Connection::secret(),
				'CHATFLOWS_ALLOWED_ORIGINS' => $this->site_origin(),
				'CHATFLOWS_DB_FILE'         => $this->folder . '/chatflows.sqlite',
				'CHATFLOWS_LOG_LEVEL'       => 'info',
			),
			$env
		);
		$pipes         = array();
		$this->process = proc_open(
			array( $this->node(), $entry ),
			array(
				0 => array( 'file', '/dev/null', 'r' ),
				1 => array( 'file', $log, 'w' ),
				2 => array( 'file', $log, 'a' ),
			),
			$pipes,
			dirname( __DIR__, 2 ),
			$env
		);
		$this->assertIsResource( $this->process );

		// The `listening` log line carries the port the system chose.
		$deadline = microtime( true ) + $this->service_wait_seconds;
		while ( microtime( true ) < $deadline ) {
			foreach ( file( $log, FILE_IGNORE_NEW_LINES ) ?: array() as $line ) {
				$entry = json_decode( $line, true );
				if ( is_array( $entry ) && 'listening' === ( $entry['msg'] ?? '' ) && ! empty( $entry['port'] ) ) {
					$this->service_url = 'http://127.0.0.1:' . (int) $entry['port'];
					return;
				}
			}
			if ( ! proc_get_status( $this->process )['running'] ) {
				$this->fail( 'The chat service exited: ' . file_get_contents( $log ) );
			}
			usleep( 50000 );
		}
		$this->fail( 'The chat service did not start listening: ' . file_get_contents( $log ) );
	}

	/**
	 * Stops the service (SIGTERM, then SIGKILL if it does not exit) and waits until it has.
	 */
	protected function stop_service() {
		if ( ! $this->process ) {
			return;
		}
		proc_terminate( $this->process, 15 );
		$deadline = microtime( true ) + $this->service_wait_seconds;
		while ( proc_get_status( $this->process )['running'] && microtime( true ) < $deadline ) {
			usleep( 50000 );
		}
		if ( proc_get_status( $this->process )['running'] ) {
			proc_terminate( $this->process, 9 );
		}
		proc_close( $this->process );
		$this->process = null;
	}

	/**
	 * The site's origin, the one the service lets browsers connect from.
	 *
	 * @return string
	 */
	protected function site_origin() {
		$parts = wp_parse_url( home_url() );
		return $parts['scheme'] . '://' . $parts['host'] . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' );
	}

	/**
	 * The Node binary npm runs the tests with, else the one on the PATH.
	 *
	 * @return string
	 */
	protected function node() {
		$node = getenv( 'npm_node_execpath' );
		return $node ? $node : 'node';
	}
}
