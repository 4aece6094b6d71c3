<?php
/**
 * Router for PHP's built-in web server serving the development WordPress site:
 *
 *     php -S 127.0.0.1:8888 -t SITE_DIR scripts/wordpress/router.php
 *
 * Runs real PHP files, lets the server send static files, answers 404 for hidden and private files,
 * and sends everything else to WordPress's index.php so that pretty permalinks work.
 *
 * @package Chatflows
 */

if ( PHP_SAPI !== 'cli-server' ) {
	exit( 1 );
}

$chatflows_router_root = rtrim( str_replace( '\\', '/', $_SERVER['DOCUMENT_ROOT'] ), '/' );
$chatflows_router_path = rawurldecode( (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) );
if ( '' === $chatflows_router_path ) {
	$chatflows_router_path = '/';
}

/**
 * Answers a bare 404.
 */
function chatflows_router_not_found() {
	http_response_code( 404 );
	header( 'Content-Type: text/plain; charset=utf-8' );
	echo "Not found\n";
}

// Hidden files and folders (the database, the shared secret, .git), logs and database files are never served.
if (
	preg_match( '#(^|/)\.|\.(log|sqlite|sqlite3|sql)$#i', $chatflows_router_path ) ||
	false !== strpos( $chatflows_router_path, "\0" )
) {
	chatflows_router_not_found();
	return true;
}

$chatflows_router_file = $chatflows_router_root . $chatflows_router_path;

if ( is_dir( $chatflows_router_file ) ) {
	if ( '/' !== substr( $chatflows_router_path, -1 ) ) {
		// Like Apache: /wp-admin -> /wp-admin/.
		$chatflows_router_query = parse_url( $_SERVER['REQUEST_URI'], PHP_URL_QUERY );
		header( 'Location: ' . $chatflows_router_path . '/' . ( $chatflows_router_query ? '?' . $chatflows_router_query : '' ), true, 301 );
		return true;
	}
	$chatflows_router_file .= 'index.php';
}

if ( is_file( $chatflows_router_file ) ) {
	if ( '.php' !== strtolower( substr( $chatflows_router_file, -4 ) ) ) {
		// A static file: the built-in server sends it.
		return false;
	}
	$chatflows_router_script = substr( $chatflows_router_file, strlen( $chatflows_router_root ) );
} elseif ( preg_match( '#^/(wp-content|wp-includes|wp-admin)/#', $chatflows_router_path ) ) {
	// A missing asset: no need to boot WordPress for its 404.
	chatflows_router_not_found();
	return true;
} else {
	$chatflows_router_file   = $chatflows_router_root . '/index.php';
	$chatflows_router_script = '/index.php';
}

$_SERVER['SCRIPT_NAME']     = $chatflows_router_script;
$_SERVER['PHP_SELF']        = $chatflows_router_script;
$_SERVER['SCRIPT_FILENAME'] = $chatflows_router_file;
chdir( dirname( $chatflows_router_file ) );
$chatflows_router_require = $chatflows_router_file;
unset( $chatflows_router_root, $chatflows_router_path, $chatflows_router_file, $chatflows_router_script, $chatflows_router_query );
require $chatflows_router_require;
return true;
