<?php
/**
 * The built chat service (server/dist, built by `npm run build:server`) as a child process of a test.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Service_Connection;

/**
 * Starts the service on a free port with its own SQLite file and the site's secret; stops it and removes its
 * folder. For TestCase subclasses.
 */
trait Service_Process {

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
	 * Starts the built service on a free port with its own SQLite file and the site's secret.
	 *
	 * @param array<string,string> $env More environment variables.
	 */
	private function start_service( array $env = array() ) {
		$entry = dirname( __DIR__, 2 ) . '/server/dist/index.js';
		$this->assertFileExists( $entry, 'Build the chat service first: npm run build:server' );
		$this->folder = sys_get_temp_dir() . '/chatflows-service-test-' . wp_generate_password( 8, false );
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
	 * Stops the service (SIGTERM, then SIGKILL if it does not exit), waits until it has, and removes its folder.
	 */
	private function stop_service() {
		if ( $this->process ) {
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
		if ( '' !== $this->folder && is_dir( $this->folder ) ) {
			foreach ( (array) glob( $this->folder . '/*' ) as $file ) {
				unlink( $file );
			}
			rmdir( $this->folder );
		}
	}

	/**
	 * The site's origin, the one the service lets browsers connect from.
	 *
	 * @return string
	 */
	private function site_origin() {
		$parts = wp_parse_url( home_url() );
		return $parts['scheme'] . '://' . $parts['host'] . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' );
	}

	/**
	 * The Node binary npm runs the tests with, else the one on the PATH.
	 *
	 * @return string
	 */
	private function node() {
		$node = getenv( 'npm_node_execpath' );
		return $node ? $node : 'node';
	}
}
