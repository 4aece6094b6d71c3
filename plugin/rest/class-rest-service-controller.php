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
 * `POST chatflows/v1/service/notify`: e-mails people about a conversation (a `ServiceNotification`), or a
 * visitor the link that confirms the address they typed (`email_confirmation`, see `Email_Confirmation`).
 * No cookies or users: each request must carry a valid HMAC signature of its timestamp and raw body.
 */
final class Rest_Service_Controller extends Rest_Controller {

	const NOTIFICATION_TYPES = array( 'offline_message', 'new_conversation', 'transcript', 'email_confirmation', 'digest' );

	/** Types e-mailed to the visitor's address (verified by the service, or being confirmed), not to the team. */
	const VISITOR_TYPES = array( 'transcript', 'email_confirmation' );

	/** Most messages quoted in one e-mail. */
	const MAX_MESSAGES = 200;

	/** Option: ids of notifications already e-mailed, with when (not autoloaded). */
	const SENT_OPTION = 'chatflows_sent_notifications';

	/** How long a sent id is remembered, in seconds (the service retries for far less). */
	const SENT_MEMORY = 30 * DAY_IN_SECONDS;

	/**
	 * The routes' base.
	 *
	 * @var string
	 */
	protected $rest_base = 'service';

	/**
	 * Registers the routes.
	 */
	public function register_routes() {
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base . '/configuration',
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => array( $this, 'get_configuration' ),
				'permission_callback' => array( Service_Sync::class, 'verify_request' ),
			)
		);
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base . '/notify',
			array(
				'methods'             => \WP_REST_Server::CREATABLE,
				'callback'            => array( $this, 'notify' ),
				'permission_callback' => array( Service_Sync::class, 'verify_request' ),
			)
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

		// The service retries until it gets a 2xx: each id is e-mailed once.
		$id = isset( $notification['id'] ) && is_string( $notification['id'] ) ? $notification['id'] : '';
		if ( '' !== $id && self::was_sent( $id ) ) {
			return rest_ensure_response(
				array(
					'sent'       => true,
					'duplicate'  => true,
					'recipients' => 0,
				)
			);
		}

		if ( in_array( $notification['type'], self::VISITOR_TYPES, true ) ) {
			// To the visitor, in their language when the site has it.
			$email      = $notification['visitor']['email'] ?? null;
			$recipients = is_string( $email ) && is_email( $email ) ? array( $email ) : array();
			// A transcript goes only to an address its visitor confirmed (the service sends no other).
			if ( 'transcript' === $notification['type'] && false === ( $notification['visitor']['verified'] ?? true ) ) {
				$recipients = array();
			}
			$locale = self::visitor_locale( $notification['locale'] ?? null );
		} else {
			$recipients = self::recipients( $chatflow, array_map( 'intval', $notification['userIds'] ) );
			$locale     = get_locale();
		}
		if ( ! $recipients ) {
			return rest_ensure_response(
				array(
					'sent'       => false,
					'recipients' => 0,
				)
			);
		}
		$switched = switch_to_locale( $locale );
		switch ( $notification['type'] ) {
			case 'transcript':
				$body = self::transcript( $notification, $chatflow->post_title );
				break;
			case 'email_confirmation':
				$body = self::confirmation( Email_Confirmation::link( $notification['confirmationToken'], $locale ) );
				break;
			case 'digest':
				$body = self::digest( $notification, $chatflow->post_title );
				break;
			default:
				$body = self::body( $notification, $chatflow->post_title );
		}
		$sent = wp_mail(
			$recipients,
			self::subject( $notification['type'], $chatflow->post_title, self::digest_count( $notification ) ),
			$body,
			array( 'Content-Type: text/plain; charset=UTF-8' )
		);
		if ( $switched ) {
			restore_previous_locale();
		}
		if ( ! $sent ) {
			// Not accepted: the service keeps it and tries again later.
			return new \WP_Error( 'chatflows_mail_failed', __( 'The e-mail could not be sent.', 'chatflows' ), array( 'status' => 503 ) );
		}
		if ( '' !== $id ) {
			self::remember_sent( $id );
		}
		return rest_ensure_response(
			array(
				'sent'       => true,
				'recipients' => count( $recipients ),
			)
		);
	}

	/**
	 * Whether a notification id was e-mailed already.
	 *
	 * @param string $id Notification id.
	 * @return bool
	 */
	private static function was_sent( $id ) {
		$sent = get_option( self::SENT_OPTION, array() );
		return is_array( $sent ) && isset( $sent[ $id ] );
	}

	/**
	 * Remembers a sent notification id (and forgets old ones).
	 *
	 * @param string $id Notification id.
	 */
	private static function remember_sent( $id ) {
		$sent = get_option( self::SENT_OPTION, array() );
		$sent = is_array( $sent ) ? $sent : array();
		$now  = time();
		foreach ( $sent as $key => $at ) {
			if ( (int) $at < $now - self::SENT_MEMORY ) {
				unset( $sent[ $key ] );
			}
		}
		$sent[ $id ] = $now;
		update_option( self::SENT_OPTION, $sent, false );
	}

	/**
	 * The installed locale matching the visitor's browser language (`da-DK` → `da_DK`), else the site's.
	 *
	 * @param mixed $language BCP 47 tag from the service, or null.
	 * @return string
	 */
	private static function visitor_locale( $language ) {
		if ( ! is_string( $language ) || '' === $language ) {
			return get_locale();
		}
		return I18n::match_locale( $language, array_merge( array( 'en_US' ), get_available_languages() ) ) ?? get_locale();
	}

	/**
	 * The plain-text transcript for the visitor: their lines as "You", the agents' by name.
	 *
	 * @param array  $notification  Notification.
	 * @param string $chatflow_name Chatflow name.
	 * @return string
	 */
	private static function transcript( array $notification, $chatflow_name ) {
		$lines = array(
			/* translators: %s: chatflow name. */
			sprintf( __( 'Here is your conversation in "%s".', 'chatflows' ), self::plain( $chatflow_name ) ),
			'',
		);
		foreach ( $notification['messages'] as $message ) {
			$type = $message['authorType'] ?? ( '' === $message['authorName'] ? 'visitor' : 'agent' );
			if ( 'visitor' === $type ) {
				$author = __( 'You', 'chatflows' );
			} elseif ( '' === $message['authorName'] ) {
				$author = wp_specialchars_decode( get_bloginfo( 'name' ), ENT_QUOTES );
			} else {
				$author = $message['authorName'];
			}
			$lines[] = self::plain( $message['createdAt'] ) . ' — ' . self::plain( $author ) . ':';
			$lines[] = self::plain( $message['body'], true );
			$lines[] = '';
		}
		$lines[] = home_url( '/' );
		return implode( "\n", $lines );
	}

	/**
	 * The confirmation e-mail: fixed text and the link, nothing a visitor typed (the address may be a stranger's).
	 *
	 * @param string $link The confirmation page with the token.
	 * @return string
	 */
	private static function confirmation( $link ) {
		$site = wp_specialchars_decode( get_bloginfo( 'name' ), ENT_QUOTES );
		return implode(
			"\n",
			array(
				/* translators: 1: site name, 2: site address. */
				sprintf( __( 'Someone, hopefully you, gave this e-mail address in the chat on %1$s (%2$s).', 'chatflows' ), self::plain( $site ), home_url( '/' ) ),
				'',
				__( 'To confirm that it is yours, so that the team sees your chats under this address, open this link and press the button:', 'chatflows' ),
				$link,
				'',
				__( 'The link works once, for 24 hours.', 'chatflows' ),
				__( 'If it was not you, ignore this e-mail: nothing is linked to your address.', 'chatflows' ),
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
		if ( 'email_confirmation' === ( $notification['type'] ?? null ) && ! Email_Confirmation::is_token( $notification['confirmationToken'] ?? null ) ) {
			$errors['confirmationToken'] = __( 'confirmationToken must be the token of a confirmation link.', 'chatflows' );
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
	 * How many notifications a digest folds: its `count`, at least the messages it lists.
	 *
	 * @param array $notification Notification.
	 * @return int
	 */
	private static function digest_count( array $notification ) {
		$count = isset( $notification['count'] ) && is_int( $notification['count'] ) ? $notification['count'] : 0;
		return max( $count, count( $notification['messages'] ) );
	}

	/**
	 * Subject line.
	 *
	 * @param string $type          Notification type.
	 * @param string $chatflow_name Chatflow name.
	 * @param int    $count         A digest's number of conversations.
	 * @return string
	 */
	private static function subject( $type, $chatflow_name, $count = 0 ) {
		$site = wp_specialchars_decode( get_bloginfo( 'name' ), ENT_QUOTES );
		switch ( $type ) {
			case 'digest':
				/* translators: 1: site name, 2: number of conversations, 3: chatflow name. */
				$format = _n( '[%1$s] %2$d more conversation in "%3$s"', '[%1$s] %2$d more conversations in "%3$s"', $count, 'chatflows' );
				return self::plain( sprintf( $format, $site, $count, $chatflow_name ) );
			case 'offline_message':
				/* translators: 1: site name, 2: chatflow name. */
				$format = __( '[%1$s] A visitor left a message in "%2$s"', 'chatflows' );
				break;
			case 'new_conversation':
				/* translators: 1: site name, 2: chatflow name. */
				$format = __( '[%1$s] A new conversation in "%2$s"', 'chatflows' );
				break;
			case 'email_confirmation':
				/* translators: %1$s: site name. */
				$format = __( '[%1$s] Confirm your e-mail address for the chat', 'chatflows' );
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
			sprintf( __( 'E-mail: %s', 'chatflows' ), self::plain( self::visitor_email( $visitor ) ) ),
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
	 * The plain-text digest: many conversations arrived in a short time, so the team gets one e-mail listing them
	 * (who, and the start of their first message) instead of one each.
	 *
	 * @param array  $notification  Notification.
	 * @param string $chatflow_name Chatflow name.
	 * @return string
	 */
	private static function digest( array $notification, $chatflow_name ) {
		$count = self::digest_count( $notification );
		/* translators: 1: number of conversations, 2: chatflow name. */
		$intro = _n( '%1$d more conversation started in "%2$s". So many arrived in a short time that they are listed here instead of in one e-mail each:', '%1$d more conversations started in "%2$s". So many arrived in a short time that they are listed here instead of in one e-mail each:', $count, 'chatflows' );
		$lines = array(
			sprintf( $intro, $count, self::plain( $chatflow_name ) ),
			'',
		);
		foreach ( $notification['messages'] as $message ) {
			$lines[] = self::plain( $message['createdAt'] ) . ' — ' . self::plain( '' === $message['authorName'] ? __( 'Visitor', 'chatflows' ) : $message['authorName'] ) . ':';
			$lines[] = self::plain( $message['body'], true );
			$lines[] = '';
		}
		$unlisted = $count - count( $notification['messages'] );
		if ( $unlisted > 0 ) {
			/* translators: %d: number of conversations not listed. */
			$lines[] = sprintf( _n( '… and %d more.', '… and %d more.', $unlisted, 'chatflows' ), $unlisted );
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
	 * The visitor's address as the team's e-mail shows it: marked when the visitor only typed it.
	 *
	 * @param array $visitor `ServiceNotification.visitor`.
	 * @return string
	 */
	private static function visitor_email( array $visitor ) {
		if ( ! is_string( $visitor['email'] ?? null ) ) {
			return '—';
		}
		if ( false === ( $visitor['verified'] ?? true ) ) {
			/* translators: %s: an e-mail address a visitor typed and has not confirmed. */
			return sprintf( __( '%s (typed by the visitor, not verified)', 'chatflows' ), $visitor['email'] );
		}
		return $visitor['email'];
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
