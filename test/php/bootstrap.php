<?php
/**
 * PHPUnit bootstrap for the PHP integration tests.
 *
 * There is no WordPress core test library on these machines. Instead, `npm run test:php`
 * (scripts/test-php.mjs) provisions a throwaway WordPress site on SQLite with the plugin active, and
 * passes its folder in CHATFLOWS_TEST_SITE; this file loads that site, as a front-end request would,
 * plus the wp-admin include files that tests commonly need (users, posts, plugins).
 *
 * Tests extend \Chatflows\Tests\TestCase (TestCase.php): each runs in a database transaction that is
 * rolled back afterwards.
 *
 * @package Chatflows
 */

// phpcs:disable WordPress.WP.GlobalVariablesOverride

$chatflows_test_site = getenv( 'CHATFLOWS_TEST_SITE' );
if ( ! $chatflows_test_site || ! is_file( $chatflows_test_site . '/wp-load.php' ) ) {
	fwrite( STDERR, "No test site: run the PHP tests with `npm run test:php` (it sets CHATFLOWS_TEST_SITE).\n" );
	exit( 1 );
}

// What a web request would have. WP_HOME in the site's wp-config.php gives the URLs themselves.
$_SERVER['HTTP_HOST']       = 'localhost';
$_SERVER['SERVER_NAME']     = 'localhost';
$_SERVER['SERVER_PORT']     = '80';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REMOTE_ADDR']     = '127.0.0.1';
$_SERVER['PHP_SELF']        = '/index.php';
$_SERVER['SCRIPT_NAME']     = '/index.php';

// PHPUnit includes this file from inside a function. WordPress itself writes its globals through
// $GLOBALS, so it loads fine from here; these few are named for plugins that assume file scope.
global $wpdb, $wp_filter, $wp_version, $table_prefix, $wp_rest_server;

require $chatflows_test_site . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/admin.php';

// REST routes: a fresh server on which rest_api_init has fired, as WordPress's own tests set it up.
$GLOBALS['wp_rest_server'] = new WP_REST_Server();
do_action( 'rest_api_init', $GLOBALS['wp_rest_server'] );

require_once __DIR__ . '/TestCase.php';
require_once __DIR__ . '/RunsChatService.php';
