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
 * when it starts. Both directions carry `X-Chatflows-Timestamp` and
 * `X-Chatflows-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` with the shared secret.
 */
final class Service_Sync {

	const TIMESTAMP_HEADER = 'X-Chatflows-Timestamp';
	const SIGNATURE_HEADER = 'X-Chatflows-Signature';

	/** Seconds a signed call stays acceptable, either way. */
	const MAX_CLOCK_SKEW = 300;

	/** Seconds to wait for the service: a save never hangs on it. */
	const TIMEOUT = 3;

	/**
	 * The signature header's value for a body.
	 *
	 * @param string $timestamp Unix seconds, as sent.
	 * @param string $body      Raw body.
	 * @param string $secret    Shared secret.
	 * @return string `sha256=<hex>`.
	 */
	public static function sign( $timestamp, $body, $secret ) {
		return 'sha256=' . hash_hmac( 'sha256', $timestamp . '.' . $body, $secret );
	}

	/**
	 * Checks a signed call's timestamp and signature.
	 *
	 * @param string|null $timestamp Timestamp header.
	 * @param string|null $signature Signature header.
	 * @param string      $body      Raw body.
	 * @return true|\WP_Error
	 */
	public static function verify( $timestamp, $signature, $body ) {
		$secret = Service_Connection::secret();
		$status = array( 'status' => 401 );
		if ( '' === $secret ) {
			return new \WP_Error( 'chatflows_no_secret', __( 'The chat service secret is not configured.', 'chatflows' ), $status );
		}
		if ( ! is_string( $timestamp ) || ! is_string( $signature ) || ! preg_match( '/^\d{1,12}$/', $timestamp ) ) {
			return new \WP_Error( 'chatflows_signature_missing', __( 'The request is not signed.', 'chatflows' ), $status );
		}
		if ( abs( time() - (int) $timestamp ) > self::MAX_CLOCK_SKEW ) {
			return new \WP_Error( 'chatflows_signature_expired', __( 'The request signature has expired.', 'chatflows' ), $status );
		}
		if ( ! hash_equals( self::sign( $timestamp, $body, $secret ), $signature ) ) {
			return new \WP_Error( 'chatflows_signature_invalid', __( 'The request signature is not valid.', 'chatflows' ), $status );
		}
		return true;
	}

	/**
	 * `permission_callback` of every route the service calls: checks the request's signature headers.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return true|\WP_Error
	 */
	public static function verify_request( $request ) {
		return self::verify(
			$request->get_header( 'x_chatflows_timestamp' ),
			$request->get_header( 'x_chatflows_signature' ),
			(string) $request->get_body()
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
	 * @param string $method  HTTP method.
	 * @param string $path    Path on the service, e.g. `/v1/configuration`.
	 * @param array  $body    Body, sent as JSON.
	 * @param int    $timeout Seconds to wait.
	 * @return array|\WP_Error The response, as wp_remote_request() gives it; a WP_Error without a secret.
	 */
	public static function signed_request( $method, $path, array $body, $timeout = self::TIMEOUT ) {
		$secret = Service_Connection::secret();
		if ( '' === $secret ) {
			return new \WP_Error( 'chatflows_no_secret', __( 'The chat service secret is not configured.', 'chatflows' ) );
		}
		$json      = wp_json_encode( $body, JSON_UNESCAPED_SLASHES );
		$timestamp = (string) time();
		return wp_remote_request(
			Service_Connection::url() . $path,
			array(
				'method'      => $method,
				'timeout'     => $timeout,
				'redirection' => 0,
				'headers'     => array(
					'Content-Type'         => 'application/json',
					self::TIMESTAMP_HEADER => $timestamp,
					self::SIGNATURE_HEADER => self::sign( $timestamp, $json, $secret ),
				),
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
			'alias'            => 'custom_branding' === $settings['heading']['mode'] && $settings['heading']['useAsAlias'] ? (string) $settings['heading']['teamName'] : '',
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
