<?php
/**
 * Test only: a multilingual site in miniature. Pages under /da/ are Danish and pages under /nl/ Dutch, the
 * rest in the site's language, the way multilingual plugins switch the locale by a path prefix. The
 * end-to-end tests copy this file into the site's wp-content/mu-plugins.
 *
 * @package Chatflows
 */

add_filter(
	'locale',
	static function ( $locale ) {
		$uri  = isset( $_SERVER['REQUEST_URI'] ) ? sanitize_text_field( wp_unslash( $_SERVER['REQUEST_URI'] ) ) : '';
		$path = (string) wp_parse_url( $uri, PHP_URL_PATH );
		if ( preg_match( '#^/(da|nl)(/|$)#', $path, $match ) ) {
			return 'da' === $match[1] ? 'da_DK' : 'nl_NL';
		}
		return $locale;
	}
);
