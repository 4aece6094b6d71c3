<?php
/**
 * REST routes the chat service calls, signed with the shared secret.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * `GET chatflows/v1/service/configuration`: the whole configuration, pulled by the service when it starts.
 * `POST chatflows/v1/service/notify`: e-mails people about a conversation (a `ServiceNotification`).
 * No cookies or users: each request must carry a valid HMAC signature of its timestamp and raw body.
 */
final class Rest_Service_Controller {

	const NAMESPACE_NAME = 'chatflows/v1';

	const NOTIFICATION_TYPES = array( 'offline_message', 'new_conversation', 'transcript' );

	/** Most messages quoted in one e-mail. */
	const MAX_MESSAGES = 200;

	/**
	 * Registers the routes.
	 */
	public function register_routes() {
		register_rest_route(
			self::NAMESPACE_NAME,
			'/service/configuration',
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => array( $this, 'get_configuration' ),
				'permission_callback' => array( $this, 'verify_signature' ),
			)
		);
		register_rest_route(
			self::NAMESPACE_NAME,
			'/service/notify',
			array(
				'methods'             => \WP_REST_Server::CREATABLE,
				'callback'            => array( $this, 'notify' ),
				'permission_callback' => array( $this, 'verify_signature' ),
			)
		);
	}

	/**
	 * Lets only correctly signed, fresh requests in.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return true|\WP_Error
	 */
	public function verify_signature( $request ) {
		return Service_Sync::verify(
			$request->get_header( 'x_chatflows_timestamp' ),
			$request->get_header( 'x_chatflows_signature' ),
			(string) $request->get_body()
		);
	}

	/**
	 * The configuration.
	 *
	 * @return \WP_REST_Response
	 */
	public function get_configuration() {
		$response = rest_ensure_response( Service_Sync::configuration() );
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}

	/**
	 * E-mails the people concerned, in plain text.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function notify( $request ) {
		$notification = json_decode( (string) $request->get_body(), true );
		$errors       = self::validate_notification( $notification );
		if ( $errors ) {
			return Rest_Chatflows_Controller::invalid( $errors );
		}
		$chatflow = Chatflows::post( (int) $notification['chatflowId'] );
		if ( ! $chatflow ) {
			return Rest_Chatflows_Controller::invalid( array( 'chatflowId' => __( 'There is no such chatflow.', 'chatflows' ) ) );
		}

		$recipients = self::recipients( $chatflow, array_map( 'intval', $notification['userIds'] ) );
		if ( ! $recipients ) {
			return rest_ensure_response(
				array(
					'sent'       => false,
					'recipients' => 0,
				)
			);
		}
		$sent = wp_mail(
			$recipients,
			self::subject( $notification['type'], $chatflow->post_title ),
			self::body( $notification, $chatflow->post_title ),
			array( 'Content-Type: text/plain; charset=UTF-8' )
		);
		return rest_ensure_response(
			array(
				'sent'       => (bool) $sent,
				'recipients' => count( $recipients ),
			)
		);
	}

	/**
	 * Checks a notification's shape.
	 *
	 * @param mixed $notification Decoded body.
	 * @return array<string,string>
	 */
	private static function validate_notification( $notification ) {
		if ( ! is_array( $notification ) ) {
			return array( 'body' => __( 'The body must be a JSON object.', 'chatflows' ) );
		}
		$errors = array();
		if ( ! in_array( $notification['type'] ?? null, self::NOTIFICATION_TYPES, true ) ) {
			$errors['type'] = __( 'Unknown notification type.', 'chatflows' );
		}
		foreach ( array( 'chatflowId', 'conversationId', 'pageUrl' ) as $field ) {
			if ( ! isset( $notification[ $field ] ) || ! is_string( $notification[ $field ] ) ) {
				/* translators: %s: field name. */
				$errors[ $field ] = sprintf( __( '%s must be a string.', 'chatflows' ), $field );
			}
		}
		if ( ! isset( $notification['userIds'] ) || ! is_array( $notification['userIds'] ) ) {
			$errors['userIds'] = __( 'userIds must be a list.', 'chatflows' );
		}
		if ( ! isset( $notification['visitor'] ) || ! is_array( $notification['visitor'] ) ) {
			$errors['visitor'] = __( 'visitor must be an object.', 'chatflows' );
		}
		if ( ! isset( $notification['messages'] ) || ! is_array( $notification['messages'] ) || count( $notification['messages'] ) > self::MAX_MESSAGES ) {
			$errors['messages'] = __( 'messages must be a list of messages.', 'chatflows' );
		} else {
			foreach ( array_values( $notification['messages'] ) as $index => $message ) {
				if ( ! is_array( $message ) || ! is_string( $message['body'] ?? null ) || ! is_string( $message['authorName'] ?? null ) || ! is_string( $message['createdAt'] ?? null ) ) {
					$errors[ "messages[{$index}]" ] = __( 'A message needs authorName, body and createdAt as strings.', 'chatflows' );
				}
			}
		}
		return $errors;
	}

	/**
	 * E-mail addresses: the given users who may answer chats, else the chatflow's assigned users and teams.
	 *
	 * @param \WP_Post $chatflow Chatflow.
	 * @param int[]    $user_ids Users the service asked for.
	 * @return string[]
	 */
	private static function recipients( \WP_Post $chatflow, array $user_ids ) {
		if ( ! $user_ids ) {
			$assignment = Chatflows::settings( $chatflow->ID )['assignment'];
			$user_ids   = array_map( 'intval', $assignment['userIds'] );
			foreach ( $assignment['teamIds'] as $team_id ) {
				$team = Directory::team( (int) $team_id );
				if ( $team ) {
					$user_ids = array_merge( $user_ids, $team['memberIds'] );
				}
			}
		}
		$emails = array();
		foreach ( array_unique( $user_ids ) as $user_id ) {
			$user = get_userdata( $user_id );
			if ( $user && $user->has_cap( Capabilities::ANSWER ) && is_email( $user->user_email ) ) {
				$emails[] = $user->user_email;
			}
		}
		return array_values( array_unique( $emails ) );
	}

	/**
	 * Subject line.
	 *
	 * @param string $type          Notification type.
	 * @param string $chatflow_name Chatflow name.
	 * @return string
	 */
	private static function subject( $type, $chatflow_name ) {
		$site = wp_specialchars_decode( get_bloginfo( 'name' ), ENT_QUOTES );
		switch ( $type ) {
			case 'offline_message':
				/* translators: 1: site name, 2: chatflow name. */
				$format = __( '[%1$s] A visitor left a message in "%2$s"', 'chatflows' );
				break;
			case 'new_conversation':
				/* translators: 1: site name, 2: chatflow name. */
				$format = __( '[%1$s] A new conversation in "%2$s"', 'chatflows' );
				break;
			default:
				/* translators: 1: site name, 2: chatflow name. */
				$format = __( '[%1$s] Transcript of a conversation in "%2$s"', 'chatflows' );
		}
		return self::plain( sprintf( $format, $site, $chatflow_name ) );
	}

	/**
	 * The plain-text body. Everything the visitor wrote is kept as text: control characters removed,
	 * nothing interpreted.
	 *
	 * @param array  $notification  Notification.
	 * @param string $chatflow_name Chatflow name.
	 * @return string
	 */
	private static function body( array $notification, $chatflow_name ) {
		$visitor = $notification['visitor'];
		$lines   = array(
			/* translators: %s: chatflow name. */
			sprintf( __( 'Chatflow: %s', 'chatflows' ), self::plain( $chatflow_name ) ),
			/* translators: %s: visitor's name, or a dash. */
			sprintf( __( 'Visitor: %s', 'chatflows' ), self::plain( is_string( $visitor['name'] ?? null ) ? $visitor['name'] : '—' ) ),
			/* translators: %s: visitor's e-mail address, or a dash. */
			sprintf( __( 'E-mail: %s', 'chatflows' ), self::plain( is_string( $visitor['email'] ?? null ) ? $visitor['email'] : '—' ) ),
			/* translators: %s: address of the page the conversation started on. */
			sprintf( __( 'Page: %s', 'chatflows' ), esc_url_raw( $notification['pageUrl'] ) ),
			'',
		);
		foreach ( $notification['messages'] as $message ) {
			$lines[] = self::plain( $message['createdAt'] ) . ' — ' . self::plain( '' === $message['authorName'] ? __( 'Visitor', 'chatflows' ) : $message['authorName'] ) . ':';
			$lines[] = self::plain( $message['body'], true );
			$lines[] = '';
		}
		$lines[] = sprintf(
			/* translators: %s: address of the inbox in wp-admin. */
			__( 'Answer in the inbox: %s', 'chatflows' ),
			admin_url( 'admin.php?page=' . Admin::INBOX_SLUG )
		);
		return implode( "\n", $lines );
	}

	/**
	 * Plain text safe for a header or a text e-mail: no control characters (and no line breaks unless asked).
	 *
	 * @param string $text       Text.
	 * @param bool   $multi_line Keep line breaks.
	 * @return string
	 */
	private static function plain( $text, $multi_line = false ) {
		$pattern = $multi_line ? '/[\x00-\x09\x0B\x0C\x0E-\x1F\x7F]/u' : '/[\x00-\x1F\x7F]/u';
		return (string) preg_replace( $pattern, ' ', (string) $text );
	}
}
