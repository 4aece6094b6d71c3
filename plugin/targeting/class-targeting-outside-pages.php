<?php
/**
 * Chat on pages this WordPress does not serve.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * A copy-paste snippet loads `build/widget/outside-page.js` from this site on a page elsewhere (a shop on
 * another host, a static landing page). It asks `GET chatflows/v1/embed?url=…` which chatflow serves that URL,
 * with the same rules as the site's own pages, and starts the loader with the answer. Only origins the site
 * lists get an answer, and the chat service accepts connections from exactly those origins besides its own
 * (the list is part of the configuration WordPress pushes to it).
 */
final class Targeting_Outside_Pages {

	/** Option: the allowed outside origins (`https://shop.example.com`), not autoloaded. */
	const ORIGINS_OPTION = 'chatflows_outside_origins';

	/** The most outside origins. */
	const MAX_ORIGINS = 50;

	/**
	 * The allowed outside origins.
	 *
	 * @return string[]
	 */
	public static function origins() {
		$origins = get_option( self::ORIGINS_OPTION, array() );
		return is_array( $origins ) ? array_values( array_filter( $origins, 'is_string' ) ) : array();
	}

	/**
	 * An origin as browsers send it (`scheme://host[:port]`, lower case, no default port), or null when the
	 * text is not one.
	 *
	 * @param mixed $text E.g. `https://Shop.example.com/`.
	 * @return string|null
	 */
	public static function normalize_origin( $text ) {
		if ( ! is_string( $text ) || ! preg_match( '#^(https?)://([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\d{1,5}))?/?$#i', trim( $text ), $match ) ) {
			return null;
		}
		$scheme = strtolower( $match[1] );
		$port   = isset( $match[3] ) ? (int) $match[3] : 0;
		if ( $port > 65535 || '.' === substr( $match[2], -1 ) || '.' === substr( $match[2], 0, 1 ) ) {
			return null;
		}
		$default = 'https' === $scheme ? 443 : 80;
		return $scheme . '://' . strtolower( $match[2] ) . ( $port && $port !== $default ? ':' . $port : '' );
	}

	/**
	 * Validates and saves the list; nothing is saved when one entry is wrong.
	 *
	 * @param mixed $origins List of origins.
	 * @return string[]|\WP_Error The saved list, or `rest_invalid_param` naming each wrong entry (`origins[1]`).
	 */
	public static function save( $origins ) {
		if ( ! is_array( $origins ) || ( $origins && ! wp_is_numeric_array( $origins ) ) ) {
			return Rest_Chatflows_Controller::invalid( array( 'origins' => __( 'Send the origins as a list.', 'chatflows' ) ) );
		}
		if ( count( $origins ) > self::MAX_ORIGINS ) {
			/* translators: %d: most origins. */
			return Rest_Chatflows_Controller::invalid( array( 'origins' => sprintf( __( 'List at most %d sites.', 'chatflows' ), self::MAX_ORIGINS ) ) );
		}
		$errors = array();
		$clean  = array();
		foreach ( array_values( $origins ) as $index => $origin ) {
			$normalized = self::normalize_origin( $origin );
			if ( null === $normalized ) {
				$errors[ "origins[{$index}]" ] = __( 'Enter a site as https://shop.example.com: the scheme and host (and port), without a path.', 'chatflows' );
				continue;
			}
			$clean[] = $normalized;
		}
		if ( $errors ) {
			return Rest_Chatflows_Controller::invalid( $errors );
		}
		$clean = array_values( array_unique( $clean ) );
		update_option( self::ORIGINS_OPTION, $clean, false );
		return $clean;
	}

	/**
	 * The origin of a URL, if it is an allowed outside origin.
	 *
	 * @param string $url URL.
	 * @return bool
	 */
	public static function is_allowed_url( $url ) {
		$parts = wp_parse_url( (string) $url );
		if ( ! is_array( $parts ) || empty( $parts['scheme'] ) || empty( $parts['host'] ) ) {
			return false;
		}
		$origin = self::normalize_origin( $parts['scheme'] . '://' . $parts['host'] . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' ) );
		return null !== $origin && in_array( $origin, self::origins(), true );
	}

	/**
	 * What the snippet to paste into an outside page (before `</body>`) names: the script to load and the
	 * endpoint it asks. The admin screen writes the snippet from these and shows it as text: this plugin never
	 * prints a script tag of its own making.
	 *
	 * @return array{script: string, endpoint: string} URLs.
	 */
	public static function embed_urls() {
		return array(
			'script'   => esc_url_raw( Plugin::asset_url( 'build/widget/outside-page.js' ) ),
			'endpoint' => esc_url_raw( rest_url( 'chatflows/v1/embed' ) ),
		);
	}

	/**
	 * What the snippet's script gets for a URL: the loader's configuration (null for no chat) and the loader.
	 * Public data only: the same as the site prints on its own pages.
	 *
	 * @param string $url The outside page's URL.
	 * @return array
	 */
	public static function embed( $url ) {
		$choice = Targeting::by_rules( $url );
		$config = $choice ? Targeting::loader_config( $choice, false ) : null;
		if ( isset( $config['candidates'] ) ) {
			foreach ( $config['candidates'] as $index => $candidate ) {
				$config['candidates'][ $index ]['config']['chatWindowUrl'] = self::module_url( 'chat-window' );
			}
		} elseif ( $config ) {
			$config['chatWindowUrl'] = self::module_url( 'chat-window' );
		}
		return array(
			'config'    => $config,
			'loaderUrl' => Plugin::versioned_asset_url( 'build/widget/loader.js' ),
		);
	}

	/**
	 * The widget's modules (the chat window, and the targeting module the loader finds beside it) for pages on
	 * other origins: `import()` of a module from another origin needs CORS headers, which a web server does not
	 * send for static files, so the REST API serves them.
	 *
	 * @param string $name `chat-window` or `targeting`.
	 * @return string URL.
	 */
	public static function module_url( $name ) {
		return add_query_arg( 'ver', Plugin::asset_version( "build/widget/{$name}.js" ), rest_url( "chatflows/v1/widget/{$name}.js" ) );
	}

	/**
	 * `rest_pre_serve_request`: sends a widget module as JavaScript rather than JSON.
	 *
	 * @param bool              $served  Whether the request was served already.
	 * @param \WP_HTTP_Response $result  Result.
	 * @param \WP_REST_Request  $request Request.
	 * @return bool
	 */
	public static function serve_module( $served, $result, $request ) {
		if ( $served || ! preg_match( '#^/chatflows/v1/widget/(chat-window|targeting)\.js$#', $request->get_route() ) || 200 !== $result->get_status() ) {
			return $served;
		}
		$file = Plugin::path( 'build/widget/' . $request->get_param( 'file' ) . '.js' );
		if ( ! headers_sent() ) {
			header( 'Content-Type: text/javascript; charset=utf-8' );
			header( 'Access-Control-Allow-Origin: *' );
			// The URL carries the file's version.
			header( 'Cache-Control: public, max-age=31536000, immutable' );
		}
		readfile( $file ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_read_readfile -- streams the plugin's own built file; WP_Filesystem would read it whole into memory first.
		return true;
	}
}
