<?php
/**
 * Plugin Name: Chatflows development site
 * Description: Keeps the local development and test site offline and quiet: no update checks, no translation downloads, no outside HTTP, no avatars or emoji from outside, and e-mail written to wp-content/mail.log instead of being sent. Installed as a must-use plugin by scripts/lib/wordpress.mjs.
 * License: GPL-2.0-or-later
 *
 * @package Chatflows
 */

defined( 'ABSPATH' ) || exit;

/**
 * No update checks: answers WordPress's update transients with "checked just now, nothing new".
 *
 * @return object An update transient.
 */
function chatflows_dev_site_no_updates() {
	global $wp_version;
	return (object) array(
		'last_checked'    => time(),
		'version_checked' => $wp_version,
		'updates'         => array(),
		'translations'    => array(),
		'response'        => array(),
		'no_update'       => array(),
		'checked'         => array(),
	);
}
add_filter( 'pre_site_transient_update_core', 'chatflows_dev_site_no_updates' );
add_filter( 'pre_site_transient_update_plugins', 'chatflows_dev_site_no_updates' );
add_filter( 'pre_site_transient_update_themes', 'chatflows_dev_site_no_updates' );
remove_action( 'admin_init', '_maybe_update_core' );
remove_action( 'admin_init', '_maybe_update_plugins' );
remove_action( 'admin_init', '_maybe_update_themes' );
remove_action( 'init', 'wp_schedule_update_checks' );
remove_action( 'wp_version_check', 'wp_version_check' );
remove_action( 'wp_update_plugins', 'wp_update_plugins' );
remove_action( 'wp_update_themes', 'wp_update_themes' );
add_filter( 'automatic_updater_disabled', '__return_true' );

// No translation API, plugin/theme directory or browser/PHP version checks.
add_filter(
	'translations_api',
	static function () {
		return new WP_Error( 'chatflows_dev_site_offline', 'The development site is offline.' );
	}
);
add_filter(
	'pre_http_request',
	static function ( $response, $args, $url ) {
		$host = wp_parse_url( $url, PHP_URL_HOST );
		if ( in_array( $host, array( 'api.wordpress.org', 'downloads.wordpress.org', 'translate.wordpress.org', 's.w.org', 'wordpress.org', 'gravatar.com', 'secure.gravatar.com', '0.gravatar.com', '1.gravatar.com', '2.gravatar.com' ), true ) ) {
			return new WP_Error( 'chatflows_dev_site_offline', 'The development site is offline.' );
		}
		return $response;
	},
	10,
	3
);

// No emoji images from outside (avatars are off through the show_avatars option).
remove_action( 'wp_head', 'print_emoji_detection_script', 7 );
remove_action( 'admin_print_scripts', 'print_emoji_detection_script' );
remove_action( 'wp_print_styles', 'print_emoji_styles' );
remove_action( 'admin_print_styles', 'print_emoji_styles' );
add_filter( 'emoji_svg_url', '__return_false' );

// The "WordPress Events and News" dashboard box only shows errors offline.
add_action(
	'wp_dashboard_setup',
	static function () {
		remove_meta_box( 'dashboard_primary', 'dashboard', 'side' );
	}
);

// PHP's built-in server has no mod_rewrite, but the router gives pretty permalinks all the same.
add_filter( 'got_url_rewrite', '__return_true' );

// There is no sendmail: e-mail goes to wp-content/mail.log, one JSON object a line. Tests may still
// hook pre_wp_mail themselves; this runs last and only when nothing answered before.
add_filter(
	'pre_wp_mail',
	static function ( $return, $atts ) {
		if ( null !== $return ) {
			return $return;
		}
		$line = wp_json_encode(
			array(
				'time'    => gmdate( 'c' ),
				'to'      => $atts['to'],
				'subject' => $atts['subject'],
				'message' => $atts['message'],
				'headers' => $atts['headers'],
			)
		);
		file_put_contents( WP_CONTENT_DIR . '/mail.log', $line . "\n", FILE_APPEND | LOCK_EX ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_file_put_contents -- appends under a lock, which WP_Filesystem cannot.
		return true;
	},
	PHP_INT_MAX,
	2
);
