<?php
/**
 * Sends the configuration to the chat service, signed, and checks the service's signed calls.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * WordPress owns the configuration: on every change it sends the whole `ServiceConfiguration`
 * (server/src/contract/configuration.ts) to `PUT {service}/v1/configuration`; the service also pulls it
 * when it starts. Calls both ways are signed with the shared secret, by the same rules as the service's
 * server/src/chatflow-sync/signature.ts (test/fixtures/signed-call.json is checked by both):
 * `X-Chatflows-Timestamp` (Unix seconds), `X-Chatflows-Nonce` (new for every call) and
 * `X-Chatflows-Signature: v2=<hex HMAC-SHA256>` of the lines `v2`, method, target, hex SHA-256 of the raw
 * body, timestamp and nonce. The target is the path the receiver routes (the service's own path; for
 * WordPress the REST route, whatever the site's folder or permalinks) with the canonical query. A receiver
 * refuses a call whose timestamp is more than five minutes off, and a nonce it has seen within that window.
 */
final class Service_Sync {

	const TIMESTAMP_HEADER = 'X-Chatflows-Timestamp';
	const NONCE_HEADER     = 'X-Chatflows-Nonce';
	const SIGNATURE_HEADER = 'X-Chatflows-Signature';

	/** First line of the signed string, and prefix of the signature. */
	const SIGNATURE_VERSION = 'v2';

	/** Seconds a signed call stays acceptable, either way. */
	const MAX_CLOCK_SKEW = 300;

	/** Option names of nonces received, each holding its expiry (see claim_nonce()). */
	const NONCE_OPTION_PREFIX = 'chatflows_signed_nonce_';

	/** Seconds to wait for the service: a save never hangs on it. */
	const TIMEOUT = 3;

	/**
	 * A path with its query in canonical form: the query's pairs decoded, RFC 3986-encoded and sorted.
	 *
	 * @param string $target Path, optionally with `?query`.
	 * @return string
	 */
	public static function canonical_target( $target ) {
		$parts = explode( '?', (string) $target, 2 );
		$pairs = array();
		foreach ( explode( '&', $parts[1] ?? '' ) as $pair ) {
			if ( '' === $pair ) {
				continue;
			}
			$name_value = explode( '=', $pair, 2 );
			$pairs[]    = array( urldecode( $name_value[0] ), urldecode( $name_value[1] ?? '' ) );
		}
		return self::with_query( $parts[0], $pairs );
	}

	/**
	 * A path and decoded query pairs as a canonical target.
	 *
	 * @param string  $path  Path.
	 * @param array[] $pairs `[ name, value ]` pairs, decoded.
	 * @return string
	 */
	private static function with_query( $path, array $pairs ) {
		$encoded = array();
		foreach ( $pairs as $pair ) {
			$encoded[] = rawurlencode( $pair[0] ) . '=' . rawurlencode( $pair[1] );
		}
		sort( $encoded, SORT_STRING );
		return $encoded ? $path . '?' . implode( '&', $encoded ) : $path;
	}

	/**
	 * The string the HMAC covers.
	 *
	 * @param string $method    HTTP method.
	 * @param string $target    Path and query as the receiver routes them.
	 * @param string $body      Raw body.
	 * @param string $timestamp Unix seconds, as sent.
	 * @param string $nonce     Nonce, as sent.
	 * @return string
	 */
	public static function canonical_string( $method, $target, $body, $timestamp, $nonce ) {
		return implode(
			"\n",
			array( self::SIGNATURE_VERSION, strtoupper( $method ), self::canonical_target( $target ), hash( 'sha256', (string) $body ), $timestamp, $nonce )
		);
	}

	/**
	 * The signature header's value for a call.
	 *
	 * @param string $method    HTTP method.
	 * @param string $target    Path and query as the receiver routes them.
	 * @param string $body      Raw body.
	 * @param string $timestamp Unix seconds, as sent.
	 * @param string $nonce     Nonce, as sent.
	 * @param string $secret    Shared secret.
	 * @return string `v2=<hex>`.
	 */
	public static function sign( $method, $target, $body, $timestamp, $nonce, $secret ) {
		return self::SIGNATURE_VERSION . '=' . hash_hmac( 'sha256', self::canonical_string( $method, $target, $body, $timestamp, $nonce ), $secret );
	}

	/**
	 * The headers that sign a call, with a fresh nonce.
	 *
	 * @param string $method HTTP method.
	 * @param string $target Path and query as the receiver routes them (send its canonical_target()).
	 * @param string $body   Raw body.
	 * @param string $secret Shared secret.
	 * @return array<string,string>
	 */
	public static function signature_headers( $method, $target, $body, $secret ) {
		$timestamp = (string) time();
		$nonce     = rtrim( strtr( base64_encode( random_bytes( 18 ) ), '+/', '-_' ), '=' ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode
		return array(
			self::TIMESTAMP_HEADER => $timestamp,
			self::NONCE_HEADER     => $nonce,
			self::SIGNATURE_HEADER => self::sign( $method, $target, $body, $timestamp, $nonce, $secret ),
		);
	}

	/**
	 * Checks a signed call: timestamp, signature over method, target and body, and that its nonce is new.
	 *
	 * @param string      $method    HTTP method, as received.
	 * @param string      $target    Path and query as routed here.
	 * @param string      $body      Raw body.
	 * @param string|null $timestamp Timestamp header.
	 * @param string|null $nonce     Nonce header.
	 * @param string|null $signature Signature header.
	 * @return true|\WP_Error
	 */
	public static function verify( $method, $target, $body, $timestamp, $nonce, $signature ) {
		$secret = Service_Connection::secret();
		$status = array( 'status' => 401 );
		if ( '' === $secret ) {
			return new \WP_Error( 'chatflows_no_secret', __( 'The chat service secret is not configured.', 'chatflows' ), $status );
		}
		if ( ! is_string( $timestamp ) || ! is_string( $signature ) || ! is_string( $nonce ) || ! preg_match( '/^\d{1,12}$/', $timestamp ) ) {
			return new \WP_Error( 'chatflows_signature_missing', __( 'The request is not signed.', 'chatflows' ), $status );
		}
		if ( abs( time() - (int) $timestamp ) > self::MAX_CLOCK_SKEW ) {
			return new \WP_Error( 'chatflows_signature_expired', __( 'The request signature has expired.', 'chatflows' ), $status );
		}
		if ( ! preg_match( '/^[A-Za-z0-9_-]{16,64}$/', $nonce ) || ! hash_equals( self::sign( $method, $target, $body, $timestamp, $nonce, $secret ), $signature ) ) {
			return new \WP_Error( 'chatflows_signature_invalid', __( 'The request signature is not valid.', 'chatflows' ), $status );
		}
		if ( ! self::claim_nonce( $nonce, (int) $timestamp + self::MAX_CLOCK_SKEW + 1 ) ) {
			return new \WP_Error( 'chatflows_signature_replayed', __( 'This signed request was already received.', 'chatflows' ), $status );
		}
		return true;
	}

	/**
	 * Records a nonce unless it was seen before; forgets expired ones. Each nonce is its own row of the options
	 * table, written with one `INSERT IGNORE` on the unique option name, so two copies of a call arriving at
	 * once cannot both pass. Not a transient: with a persistent object cache, transients live only in that
	 * cache, which may evict them (or not be shared), and a forgotten nonce could be replayed.
	 *
	 * @param string $nonce   Nonce (checked: A-Z, a-z, 0-9, `_`, `-`).
	 * @param int    $expires Unix time after which the call is refused by its timestamp anyway.
	 * @return bool True when the nonce is new.
	 */
	private static function claim_nonce( $nonce, $expires ) {
		global $wpdb;
		// Zero-padded, so that comparing the stored strings compares the times.
		$inserted = $wpdb->query( $wpdb->prepare( "INSERT IGNORE INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, %s, 'no')", self::NONCE_OPTION_PREFIX . $nonce, sprintf( '%012d', $expires ) ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery -- an atomic insert-if-absent; never read through the option cache.
		if ( 1 !== $inserted ) {
			return false;
		}
		$wpdb->query( $wpdb->prepare( "DELETE FROM {$wpdb->options} WHERE option_name LIKE %s AND option_value < %s", $wpdb->esc_like( self::NONCE_OPTION_PREFIX ) . '%', sprintf( '%012d', time() ) ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		return true;
	}

	/**
	 * `permission_callback` of every route the service calls: checks the request's signature headers. The
	 * target is the REST route with the query WordPress parsed, so a site in a folder or without pretty
	 * permalinks (`?rest_route=`) verifies the same call. WordPress runs it a second time after the handler, for the
	 * `Allow` header (rest_send_allow_header); the nonce is spent by then, so that header leaves the method out.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return true|\WP_Error
	 */
	public static function verify_request( $request ) {
		$pairs = array();
		foreach ( $request->get_query_params() as $name => $value ) {
			if ( 'rest_route' === $name ) {
				continue;
			}
			if ( ! is_scalar( $value ) ) {
				// No signed route takes lists: never sign what PHP parsed differently.
				return new \WP_Error( 'chatflows_signature_invalid', __( 'The request signature is not valid.', 'chatflows' ), array( 'status' => 401 ) );
			}
			$pairs[] = array( (string) $name, (string) $value );
		}
		return self::verify(
			$request->get_method(),
			self::with_query( $request->get_route(), $pairs ),
			(string) $request->get_body(),
			$request->get_header( 'x_chatflows_timestamp' ),
			$request->get_header( 'x_chatflows_nonce' ),
			$request->get_header( 'x_chatflows_signature' )
		);
	}

	/**
	 * Sends the whole configuration to the service.
	 *
	 * @return array `{ synced: bool, message: string }` for the admin to show.
	 */
	public static function push() {
		$secret = Service_Connection::secret();
		if ( '' === $secret ) {
			return array(
				'synced'  => false,
				'message' => __( 'Saved. The chat service secret is not configured, so the chat service was not told.', 'chatflows' ),
			);
		}
		$response = self::signed_request( 'PUT', '/v1/configuration', self::configuration() );
		$code     = wp_remote_retrieve_response_code( $response );
		if ( is_wp_error( $response ) || $code < 200 || $code >= 300 ) {
			return array(
				'synced'  => false,
				'message' => __( 'Saved. The chat service could not be reached; it will pick up the changes when it starts.', 'chatflows' ),
			);
		}
		return array(
			'synced'  => true,
			'message' => __( 'Saved and sent to the chat service.', 'chatflows' ),
		);
	}

	/**
	 * Sends a JSON body to the service, signed with the shared secret: every call WordPress makes to it.
	 *
	 * @param string     $method  HTTP method.
	 * @param string     $path    Path on the service as it routes it (after any proxy prefix, which belongs in
	 *                            the service URL), e.g. `/v1/configuration`, optionally with a query.
	 * @param array|null $body    Body, sent as JSON; null for none.
	 * @param int        $timeout Seconds to wait.
	 * @return array|\WP_Error The response, as wp_remote_request() gives it; a WP_Error without a secret.
	 */
	public static function signed_request( $method, $path, $body, $timeout = self::TIMEOUT ) {
		$secret = Service_Connection::secret();
		if ( '' === $secret ) {
			return new \WP_Error( 'chatflows_no_secret', __( 'The chat service secret is not configured.', 'chatflows' ) );
		}
		$json   = null === $body ? '' : wp_json_encode( $body, JSON_UNESCAPED_SLASHES );
		$target = self::canonical_target( $path );
		return wp_remote_request(
			Service_Connection::url() . $target,
			array(
				'method'      => $method,
				'timeout'     => $timeout,
				'redirection' => 0,
				'headers'     => array( 'Content-Type' => 'application/json' ) + self::signature_headers( $method, $target, $json, $secret ),
				'body'        => $json,
			)
		);
	}

	/**
	 * Sends the configuration once, at the end of the request: for changes outside the plugin's own
	 * routes (users gaining or losing the agent role, renamed or deleted), which may come several at once.
	 */
	public static function push_later() {
		if ( ! has_action( 'shutdown', array( self::class, 'push' ) ) ) {
			add_action( 'shutdown', array( self::class, 'push' ) );
		}
	}

	/**
	 * `set_user_role`, `add_user_role`, `remove_user_role`: pushes when a role involved lets its users answer
	 * chats (so that ordinary sign-ups cost nothing).
	 *
	 * @param int             $user_id   User ID.
	 * @param string          $role      Role added, set or removed.
	 * @param string[]|string $old_roles Roles before (set_user_role only).
	 */
	public static function on_role_change( $user_id, $role, $old_roles = array() ) {
		foreach ( array_merge( array( $role ), (array) $old_roles ) as $name ) {
			$role_object = get_role( $name );
			if ( $role_object && $role_object->has_cap( Capabilities::ANSWER ) ) {
				self::push_later();
				return;
			}
		}
	}

	/**
	 * `profile_update` and `delete_user`: an agent's name and existence are in the directory the service keeps.
	 *
	 * @param int $user_id User ID.
	 */
	public static function on_user_change( $user_id ) {
		if ( user_can( $user_id, Capabilities::ANSWER ) ) {
			self::push_later();
		}
	}

	/**
	 * Everything the service needs: `ServiceConfiguration`.
	 *
	 * @return array
	 */
	public static function configuration() {
		$teams   = Directory::teams();
		$inboxes = Directory::inboxes();
		return array(
			'siteUrl'        => home_url(),
			'allowedOrigins' => self::allowed_origins(),
			'chatflows'      => array_map( array( self::class, 'compile' ), Chatflows::all() ),
			'agents'         => array_map(
				static function ( array $agent ) {
					return array(
						'id'       => (string) $agent['id'],
						'name'     => $agent['name'],
						'capacity' => $agent['capacity'],
						'teamIds'  => self::strings( $agent['teamIds'] ),
						'inboxIds' => self::strings( $agent['inboxIds'] ),
					);
				},
				Directory::agents()
			),
			'teams'          => array_map(
				static function ( array $team ) {
					return array(
						'id'        => (string) $team['id'],
						'name'      => $team['name'],
						'memberIds' => self::strings( $team['memberIds'] ),
					);
				},
				$teams
			),
			'inboxes'        => array_map(
				static function ( array $inbox ) {
					return array(
						'id'   => (string) $inbox['id'],
						'name' => $inbox['name'],
					);
				},
				$inboxes
			),
			'retention'      => array( 'closedConversationDays' => Privacy_Settings::retention_days() ),
		);
	}

	/**
	 * A chatflow as the service needs it: `CompiledChatflow`.
	 *
	 * @param \WP_Post $post Chatflow post.
	 * @return array
	 */
	public static function compile( \WP_Post $post ) {
		$settings     = Chatflows::settings( $post->ID );
		$availability = $settings['availability'];
		$options      = $settings['options'];
		$inbox_id     = (int) $settings['inboxId'];
		if ( $inbox_id <= 0 || ! Directory::inbox( $inbox_id ) ) {
			$inbox_id = Directory::ensure_default_inbox();
		}

		if ( 'office_hours' === $availability['mode'] ) {
			$rule = array(
				'mode'     => 'office_hours',
				'timeZone' => $availability['timeZone'],
				'hours'    => array_map(
					static function ( array $range ) {
						return array(
							'day'   => (int) $range['day'],
							'start' => $range['start'],
							'end'   => $range['end'],
						);
					},
					array_values( $availability['hours'] )
				),
			);
		} else {
			$rule = array( 'mode' => $availability['mode'] );
		}

		return array(
			'id'               => (string) $post->ID,
			'version'          => Chatflows::version( $post->ID ),
			'enabled'          => 'publish' === $post->post_status,
			'name'             => $post->post_title,
			'inboxId'          => (string) $inbox_id,
			'assignment'       => array(
				'enabled' => (bool) $settings['assignment']['enabled'],
				'userIds' => self::strings( $settings['assignment']['userIds'] ),
				'teamIds' => self::strings( $settings['assignment']['teamIds'] ),
				'rules'   => array(),
			),
			'availability'     => $rule,
			'behaviour'        => array(
				'showTypicalReplyTime' => (bool) $availability['showTypicalReplyTime'],
				'typicalReplyTime'     => $availability['typicalReplyTime'],
				'whenAway'             => $availability['whenAway'],
				'whenOffline'          => $availability['whenOffline'],
				'whenAtCapacity'       => $availability['whenAtCapacity'],
			),
			'idleCloseMinutes' => (int) $options['idleCloseMinutes'],
			'ticket'           => $options['ticket'],
			'emailCapture'     => array(
				'enabled' => (bool) $settings['emailCapture']['enabled'],
				'when'    => $settings['emailCapture']['when'],
			),
			'survey'           => array(
				'enabled'  => (bool) $options['survey']['enabled'],
				'question' => self::localized( $options['survey']['question'], 'survey' ),
			),
			'contacts'         => array(
				'marketing'        => (bool) $options['marketingContacts'],
				'subscriptionType' => (string) $options['communicationsConsent']['subscriptionType'],
			),
			'attachments'      => array(
				'enabled'   => (bool) $options['attachments']['enabled'],
				'maxSizeMb' => (int) $options['attachments']['maxSizeMb'],
			),
			// Custom branding used as alias: visitors see it as the author of agents' messages.
			'alias'            => Chatflows::alias( $settings ),
			'texts'            => array(
				'welcome' => self::localized( $settings['welcomeMessage'], 'welcome' ),
				'away'    => self::localized( $availability['awayMessage'], 'away' ),
				'wait'    => self::localized( $availability['waitMessage'], 'wait' ),
			),
		);
	}

	/**
	 * A text in every locale the site can show: the stored text, else the default in that locale.
	 *
	 * @param mixed  $stored Texts by locale.
	 * @param string $key    Key in Chatflow_Settings::default_texts().
	 * @return object `LocalizedText`.
	 */
	private static function localized( $stored, $key ) {
		$texts = array();
		foreach ( Chatflow_Settings::LOCALES as $locale ) {
			$texts[ $locale ] = Chatflow_Settings::text( $stored, $key, $locale );
		}
		return (object) $texts;
	}

	/**
	 * Origins of the site the widget may connect from: the home and site URLs.
	 *
	 * @return string[]
	 */
	private static function allowed_origins() {
		$origins = array();
		foreach ( array( home_url(), site_url() ) as $url ) {
			$parts = wp_parse_url( $url );
			if ( ! empty( $parts['scheme'] ) && ! empty( $parts['host'] ) ) {
				$origins[] = $parts['scheme'] . '://' . $parts['host'] . ( isset( $parts['port'] ) ? ':' . $parts['port'] : '' );
			}
		}
		// Sites outside WordPress that show the chat through the snippet.
		return array_values( array_unique( array_merge( $origins, Targeting_Outside_Pages::origins() ) ) );
	}

	/**
	 * IDs as strings, as the contract has them.
	 *
	 * @param int[] $ids IDs.
	 * @return string[]
	 */
	private static function strings( array $ids ) {
		return array_values( array_map( 'strval', $ids ) );
	}
}
