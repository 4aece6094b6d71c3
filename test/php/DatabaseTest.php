<?php
/**
 * The suite runs on the database scripts/test-php.mjs says it does: the SQLite drop-in, or MariaDB.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

/**
 * The database under the test site.
 */
class DatabaseTest extends TestCase {

	public function test_the_site_runs_on_the_database_the_run_names() {
		global $wpdb;
		$expected = getenv( 'CHATFLOWS_TEST_DB' );
		if ( ! $expected ) {
			$this->markTestSkipped( 'CHATFLOWS_TEST_DB is not set: run through npm run test:php.' );
		}
		if ( 'mariadb' === $expected ) {
			// WordPress's own MySQL class, not the SQLite drop-in's.
			$this->assertSame( 'wpdb', get_class( $wpdb ) );
			$this->assertStringContainsString( 'MariaDB', (string) $wpdb->get_var( 'SELECT VERSION()' ) );
		} else {
			$this->assertInstanceOf( \WP_SQLite_DB::class, $wpdb );
		}
	}
}
