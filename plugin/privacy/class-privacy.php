<?php
/**
 * WordPress's privacy tools for the chat: the personal-data exporter and eraser, the suggested privacy-policy
 * text, and the WP Consent API declaration.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * The chat's personal data live in the chat service, so the exporter and eraser ask it, page by page as
 * WordPress drives them, with signed calls (`server/src/contract/privacy.ts`): `POST /v1/privacy/export` and
 * `POST /v1/privacy/erase` with `{ email, page }`. A service that cannot be reached gives a WP_Error, which
 * WordPress shows: an export or erasure never silently misses the chat's data.
 */
final class Privacy {

	const EXPORTER_ID = 'chatflows';
	const ERASER_ID   = 'chatflows';
	const EXPORT_PATH = '/v1/privacy/export';
	const ERASE_PATH  = '/v1/privacy/erase';

	/** Seconds to wait for one page: an export page carries up to 20 whole conversations. */
	const TIMEOUT = 20;

	/**
	 * Adds the hooks.
	 */
	public static function boot() {
		add_filter( 'wp_privacy_personal_data_exporters', array( self::class, 'register_exporter' ) );
		add_filter( 'wp_privacy_personal_data_erasers', array( self::class, 'register_eraser' ) );
		add_action( 'admin_init', array( self::class, 'add_policy_content' ) );
		// The widget asks for cookie consent itself, or follows the site's consent plugin (WP Consent API).
		add_filter( 'wp_consent_api_registered_' . plugin_basename( PLUGIN_FILE ), '__return_true' );
	}

	/**
	 * `wp_privacy_personal_data_exporters`.
	 *
	 * @param array $exporters Exporters by id.
	 * @return array
	 */
	public static function register_exporter( $exporters ) {
		$exporters[ self::EXPORTER_ID ] = array(
			'exporter_friendly_name' => __( 'Chatflows live chat', 'chatflows' ),
			'callback'               => array( self::class, 'export' ),
		);
		return $exporters;
	}

	/**
	 * `wp_privacy_personal_data_erasers`.
	 *
	 * @param array $erasers Erasers by id.
	 * @return array
	 */
	public static function register_eraser( $erasers ) {
		$erasers[ self::ERASER_ID ] = array(
			'eraser_friendly_name' => __( 'Chatflows live chat', 'chatflows' ),
			'callback'             => array( self::class, 'erase' ),
		);
		return $erasers;
	}

	/**
	 * Exporter callback: one page of the chat's data about an e-mail address.
	 *
	 * @param string $email_address E-mail address of the request.
	 * @param int    $page          1-based page.
	 * @return array|\WP_Error `{ data, done }` as WordPress expects, or why the service could not answer.
	 */
	public static function export( $email_address, $page = 1 ) {
		$answer = self::call(
			self::EXPORT_PATH,
			$email_address,
			$page,
			__( 'The chat service could not be reached, so the chat data of this person could not be exported. Make sure the chat service is running, then try again.', 'chatflows' )
		);
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		if ( ! array_key_exists( 'contact', $answer ) || ! isset( $answer['consents'], $answer['conversations'] ) || ! is_array( $answer['consents'] ) || ! is_array( $answer['conversations'] ) || ! isset( $answer['done'] ) ) {
			return self::unreadable_answer();
		}

		$items = array();
		if ( is_array( $answer['contact'] ) ) {
			$items[] = self::contact_item( $answer['contact'] );
		}
		foreach ( $answer['consents'] as $consent ) {
			if ( is_array( $consent ) ) {
				$items[] = self::consent_item( $consent );
			}
		}
		foreach ( isset( $answer['claims'] ) && is_array( $answer['claims'] ) ? $answer['claims'] : array() as $index => $claim ) {
			if ( is_array( $claim ) ) {
				$items[] = self::claim_item( $claim, (int) $index );
			}
		}
		foreach ( $answer['conversations'] as $conversation ) {
			if ( is_array( $conversation ) ) {
				$items = array_merge( $items, self::conversation_items( $conversation ) );
			}
		}
		return array(
			'data' => $items,
			'done' => (bool) $answer['done'],
		);
	}

	/**
	 * Eraser callback: one batch of the chat's data about an e-mail address deleted.
	 *
	 * @param string $email_address E-mail address of the request.
	 * @param int    $page          1-based page.
	 * @return array|\WP_Error `{ items_removed, items_retained, messages, done }` as WordPress expects.
	 */
	public static function erase( $email_address, $page = 1 ) {
		$answer = self::call(
			self::ERASE_PATH,
			$email_address,
			$page,
			__( 'The chat service could not be reached, so the chat data of this person could not be erased. Make sure the chat service is running, then try again.', 'chatflows' )
		);
		if ( is_wp_error( $answer ) ) {
			return $answer;
		}
		if ( ! isset( $answer['itemsRemoved'], $answer['itemsRetained'], $answer['done'] ) || ! is_numeric( $answer['itemsRemoved'] ) || ! is_numeric( $answer['itemsRetained'] ) ) {
			return self::unreadable_answer();
		}
		$retained = (int) $answer['itemsRetained'];
		return array(
			'items_removed'  => (int) $answer['itemsRemoved'] > 0,
			'items_retained' => $retained > 0,
			'messages'       => $retained > 0 ? array(
				sprintf(
					/* translators: %d: number of items. */
					_n( 'The chat service kept %d item of chat data.', 'The chat service kept %d items of chat data.', $retained, 'chatflows' ),
					$retained
				),
			) : array(),
			'done'           => (bool) $answer['done'],
		);
	}

	/**
	 * Asks the service for one page.
	 *
	 * @param string $path          Service route.
	 * @param string $email_address E-mail address.
	 * @param int    $page          Page.
	 * @param string $unreachable   Message when the service does not answer.
	 * @return array|\WP_Error The decoded answer.
	 */
	private static function call( $path, $email_address, $page, $unreachable ) {
		$response = Service_Sync::signed_request(
			'POST',
			$path,
			array(
				'email' => trim( (string) $email_address ),
				'page'  => max( 1, (int) $page ),
			),
			self::TIMEOUT
		);
		if ( is_wp_error( $response ) ) {
			return 'chatflows_no_secret' === $response->get_error_code() ? $response : new \WP_Error( 'chatflows_service_unreachable', $unreachable );
		}
		$code = (int) wp_remote_retrieve_response_code( $response );
		if ( 404 === $code ) {
			return new \WP_Error( 'chatflows_service_outdated', __( 'The chat service does not offer personal data export and erasure yet. Update the chat service, then try again.', 'chatflows' ) );
		}
		if ( 401 === $code ) {
			return new \WP_Error(
				'chatflows_service_refused',
				sprintf(
					/* translators: %d: HTTP status code. */
					__( 'The chat service refused the request (HTTP status %d). Check that WordPress and the chat service share the same secret and that their clocks are right.', 'chatflows' ),
					$code
				)
			);
		}
		if ( 200 !== $code ) {
			return new \WP_Error(
				'chatflows_service_failed',
				sprintf(
					/* translators: %d: HTTP status code. */
					__( 'The chat service could not answer (HTTP status %d). Try again later; if it goes on, look in the chat service\'s log.', 'chatflows' ),
					$code
				)
			);
		}
		$answer = json_decode( wp_remote_retrieve_body( $response ), true );
		return is_array( $answer ) ? $answer : self::unreadable_answer();
	}

	/**
	 * The error for an answer that is not what the contract says.
	 *
	 * @return \WP_Error
	 */
	private static function unreadable_answer() {
		return new \WP_Error( 'chatflows_service_unreadable', __( 'The chat service sent an answer that could not be read. Update the chat service and the plugin to matching versions.', 'chatflows' ) );
	}

	/**
	 * The contact.
	 *
	 * @param array $contact `PrivacyExportPage.contact`.
	 * @return array Export item.
	 */
	private static function contact_item( array $contact ) {
		return self::item(
			'chatflows-contact',
			__( 'Chat contact', 'chatflows' ),
			__( 'The contact the chat created for a visitor who confirmed this e-mail address, or whom the site identified.', 'chatflows' ),
			'chatflows-contact-' . self::text( $contact, 'id' ),
			array(
				__( 'E-mail address', 'chatflows' )    => self::text( $contact, 'email' ),
				__( 'Name', 'chatflows' )              => self::text( $contact, 'name' ),
				__( 'Marketing contact', 'chatflows' ) => ! empty( $contact['marketing'] ) ? __( 'Yes', 'chatflows' ) : __( 'No', 'chatflows' ),
				__( 'Created', 'chatflows' )           => self::text( $contact, 'createdAt' ),
			)
		);
	}

	/**
	 * An unconfirmed claim of the address: only that a visitor typed it (they may be someone else, so
	 * nothing of their chat is exported under this address).
	 *
	 * @param array $claim `PrivacyExportPage.claims[]`.
	 * @param int   $index Its place, for a unique item id.
	 * @return array Export item.
	 */
	private static function claim_item( array $claim, $index ) {
		return self::item(
			'chatflows-email-claims',
			__( 'Chat e-mail address typed, not confirmed', 'chatflows' ),
			__( 'A visitor typed this e-mail address in the chat and did not confirm it through the link e-mailed to it. Only that is shown: whoever typed it may be someone else.', 'chatflows' ),
			'chatflows-email-claim-' . $index,
			array(
				__( 'E-mail address', 'chatflows' ) => self::text( $claim, 'email' ),
				__( 'Name typed', 'chatflows' )     => self::text( $claim, 'name' ),
				__( 'Time', 'chatflows' )           => self::text( $claim, 'claimedAt' ),
			)
		);
	}

	/**
	 * One consent record.
	 *
	 * @param array $consent `ConsentRecord`.
	 * @return array Export item.
	 */
	private static function consent_item( array $consent ) {
		$kinds   = array(
			'cookies'         => __( 'Cookies of the chat', 'chatflows' ),
			'data_processing' => __( 'Processing of personal data', 'chatflows' ),
			'communications'  => __( 'Communications', 'chatflows' ),
		);
		$methods = array(
			'banner'         => __( 'Chat banner', 'chatflows' ),
			'checkbox'       => __( 'Checkbox', 'chatflows' ),
			'notice'         => __( 'Notice shown (legitimate interest)', 'chatflows' ),
			'wp_consent_api' => __( 'The site\'s consent tool (WP Consent API)', 'chatflows' ),
		);
		$kind    = self::text( $consent, 'kind' );
		$method  = self::text( $consent, 'method' );
		$fields  = array(
			__( 'Consent', 'chatflows' )      => $kinds[ $kind ] ?? $kind,
			__( 'Answer', 'chatflows' )       => ! empty( $consent['granted'] ) ? __( 'Given', 'chatflows' ) : __( 'Declined', 'chatflows' ),
			__( 'How', 'chatflows' )          => $methods[ $method ] ?? $method,
			__( 'Text shown', 'chatflows' )   => self::text( $consent, 'text' ),
			__( 'Text version', 'chatflows' ) => self::text( $consent, 'textVersion' ),
			__( 'Language', 'chatflows' )     => self::text( $consent, 'language' ),
			__( 'Time', 'chatflows' )         => self::text( $consent, 'recordedAt' ),
			__( 'Chatflow', 'chatflows' )     => self::chatflow_name( self::text( $consent, 'chatflowId' ) ),
			__( 'Page', 'chatflows' )         => self::text( $consent, 'pageUrl' ),
		);
		if ( '' !== self::text( $consent, 'subscriptionType' ) ) {
			$fields[ __( 'Subscription type', 'chatflows' ) ] = self::text( $consent, 'subscriptionType' );
		}
		return self::item(
			'chatflows-consents',
			__( 'Chat consents', 'chatflows' ),
			__( 'Consents given or declined in the chat, with the exact text shown.', 'chatflows' ),
			'chatflows-consent-' . self::text( $consent, 'id' ),
			$fields
		);
	}

	/**
	 * A conversation: itself, its messages, its internal notes, its ticket and its survey answer.
	 *
	 * @param array $conversation `PrivacyConversation`.
	 * @return array[] Export items.
	 */
	private static function conversation_items( array $conversation ) {
		$id       = self::text( $conversation, 'id' );
		$statuses = array(
			'open'   => __( 'Open', 'chatflows' ),
			'closed' => __( 'Closed', 'chatflows' ),
		);
		$status   = self::text( $conversation, 'status' );
		$messages = isset( $conversation['messages'] ) && is_array( $conversation['messages'] ) ? $conversation['messages'] : array();
		$items    = array(
			self::item(
				'chatflows-conversations',
				__( 'Chat conversations', 'chatflows' ),
				__( 'Conversations in the live chat.', 'chatflows' ),
				'chatflows-conversation-' . $id,
				array(
					__( 'Conversation', 'chatflows' )  => $id,
					__( 'Chatflow', 'chatflows' )      => self::chatflow_name( self::text( $conversation, 'chatflowId' ) ),
					__( 'Status', 'chatflows' )        => $statuses[ $status ] ?? $status,
					__( 'Page', 'chatflows' )          => self::text( $conversation, 'pageUrl' ),
					__( 'Started', 'chatflows' )       => self::text( $conversation, 'createdAt' ),
					__( 'Last activity', 'chatflows' ) => self::text( $conversation, 'updatedAt' ),
					__( 'Messages', 'chatflows' )      => (string) count( $messages ),
				)
			),
		);

		foreach ( $messages as $message ) {
			if ( ! is_array( $message ) ) {
				continue;
			}
			$author_type = self::text( $message, 'authorType' );
			if ( 'visitor' === $author_type ) {
				$author = __( 'Visitor', 'chatflows' );
			} elseif ( 'agent' === $author_type ) {
				$author = '' !== self::text( $message, 'authorName' ) ? self::text( $message, 'authorName' ) : __( 'Agent', 'chatflows' );
			} else {
				$author = __( 'Chat', 'chatflows' );
			}
			$fields = array(
				__( 'Conversation', 'chatflows' ) => $id,
				__( 'Time', 'chatflows' )         => self::text( $message, 'createdAt' ),
				__( 'From', 'chatflows' )         => $author,
				__( 'Message', 'chatflows' )      => self::text( $message, 'body' ),
			);
			if ( isset( $message['attachment'] ) && is_array( $message['attachment'] ) ) {
				$attachment                               = $message['attachment'];
				$fields[ __( 'File name', 'chatflows' ) ] = self::text( $attachment, 'name' );
				$fields[ __( 'File type', 'chatflows' ) ] = self::text( $attachment, 'contentType' );
				$fields[ __( 'File size', 'chatflows' ) ] = isset( $attachment['size'] ) && is_numeric( $attachment['size'] ) ? (string) size_format( (int) $attachment['size'], 1 ) : '';
			}
			$items[] = self::item(
				'chatflows-messages',
				__( 'Chat messages', 'chatflows' ),
				__( 'Messages written in the live chat, with the files sent.', 'chatflows' ),
				'chatflows-message-' . $id . '-' . self::text( $message, 'seq' ),
				$fields
			);
		}

		// Agents' internal notes: about the person, though never shown to them in the chat.
		$notes = isset( $conversation['notes'] ) && is_array( $conversation['notes'] ) ? $conversation['notes'] : array();
		foreach ( $notes as $note ) {
			if ( ! is_array( $note ) ) {
				continue;
			}
			$items[] = self::item(
				'chatflows-notes',
				__( 'Chat internal notes', 'chatflows' ),
				__( 'Notes the site\'s team wrote for each other about a chat conversation.', 'chatflows' ),
				'chatflows-note-' . $id . '-' . self::text( $note, 'seq' ),
				array(
					__( 'Conversation', 'chatflows' ) => $id,
					__( 'Time', 'chatflows' )         => self::text( $note, 'createdAt' ),
					__( 'From', 'chatflows' )         => '' !== self::text( $note, 'authorName' ) ? self::text( $note, 'authorName' ) : __( 'Agent', 'chatflows' ),
					__( 'Note', 'chatflows' )         => self::text( $note, 'body' ),
				)
			);
		}

		if ( isset( $conversation['ticket'] ) && is_array( $conversation['ticket'] ) ) {
			$ticket  = $conversation['ticket'];
			$items[] = self::item(
				'chatflows-tickets',
				__( 'Chat tickets', 'chatflows' ),
				__( 'Tickets opened from chat conversations.', 'chatflows' ),
				'chatflows-ticket-' . self::text( $ticket, 'id' ),
				array(
					__( 'Ticket', 'chatflows' )       => self::text( $ticket, 'id' ),
					__( 'Conversation', 'chatflows' ) => $id,
					__( 'Pipeline', 'chatflows' )     => self::text( $ticket, 'pipeline' ),
					__( 'Status', 'chatflows' )       => self::text( $ticket, 'status' ),
					__( 'Priority', 'chatflows' )     => self::text( $ticket, 'priority' ),
					__( 'Category', 'chatflows' )     => self::text( $ticket, 'category' ),
					__( 'State', 'chatflows' )        => self::text( $ticket, 'state' ),
					__( 'Last change', 'chatflows' )  => self::text( $ticket, 'updatedAt' ),
				)
			);
		}

		if ( isset( $conversation['survey'] ) && is_array( $conversation['survey'] ) ) {
			$survey  = $conversation['survey'];
			$items[] = self::item(
				'chatflows-survey-answers',
				__( 'Chat survey answers', 'chatflows' ),
				__( 'Answers to the satisfaction survey at the end of a chat.', 'chatflows' ),
				'chatflows-survey-' . $id,
				array(
					__( 'Conversation', 'chatflows' ) => $id,
					__( 'Rating', 'chatflows' )       => self::text( $survey, 'rating' ),
					__( 'Comment', 'chatflows' )      => self::text( $survey, 'comment' ),
					__( 'Answered', 'chatflows' )     => self::text( $survey, 'answeredAt' ),
				)
			);
		}
		return $items;
	}

	/**
	 * An export item with escaped values.
	 *
	 * @param string $group_id          Group.
	 * @param string $group_label       Group's label.
	 * @param string $group_description Group's description.
	 * @param string $item_id           Item, unique in the group.
	 * @param array  $fields            Values by label.
	 * @return array
	 */
	private static function item( $group_id, $group_label, $group_description, $item_id, array $fields ) {
		$data = array();
		foreach ( $fields as $name => $value ) {
			$data[] = array(
				'name'  => $name,
				'value' => esc_html( (string) $value ),
			);
		}
		return array(
			'group_id'          => $group_id,
			'group_label'       => $group_label,
			'group_description' => $group_description,
			'item_id'           => $item_id,
			'data'              => $data,
		);
	}

	/**
	 * A scalar field of the service's answer as text; '' when missing.
	 *
	 * @param array  $values Answer part.
	 * @param string $key    Field.
	 * @return string
	 */
	private static function text( array $values, $key ) {
		return isset( $values[ $key ] ) && is_scalar( $values[ $key ] ) ? (string) $values[ $key ] : '';
	}

	/**
	 * A chatflow's name, or a note that it is gone.
	 *
	 * @param string $id Chatflow (post) ID.
	 * @return string
	 */
	private static function chatflow_name( $id ) {
		$post = ctype_digit( $id ) ? get_post( (int) $id ) : null;
		if ( $post && Chatflow_Post_Type::POST_TYPE === $post->post_type ) {
			return $post->post_title;
		}
		/* translators: %s: chatflow ID. */
		return sprintf( __( 'Chatflow %s (deleted)', 'chatflows' ), $id );
	}

	/**
	 * `admin_init`: the suggested text for the site's privacy policy (Settings → Privacy → Policy Guide).
	 */
	public static function add_policy_content() {
		wp_add_privacy_policy_content( __( 'Chatflows', 'chatflows' ), self::policy_text() );
	}

	/**
	 * What the chat stores, where, for how long, and the visitor's rights, as HTML.
	 *
	 * @return string
	 */
	public static function policy_text() {
		$days      = Privacy_Settings::retention_days();
		$retention = $days > 0
			? sprintf(
				/* translators: %d: number of days. */
				_n( 'Closed conversations, with their messages and files, are deleted %d day after they close.', 'Closed conversations, with their messages and files, are deleted %d days after they close.', $days, 'chatflows' ),
				$days
			)
			: __( 'Conversations are kept until you ask us to erase them.', 'chatflows' );
		$service = Service_Connection::url();

		$paragraphs = array(
			'<p class="privacy-policy-tutorial">' . esc_html__( 'Chatflows suggests the text below for the live chat on this site. Check that it matches how you use the chat, and change it where it does not.', 'chatflows' ) . '</p>',
			'<strong class="privacy-policy-tutorial">' . esc_html__( 'Suggested text:', 'chatflows' ) . '</strong>',
			'<p>' . esc_html__( 'When you chat with us, we store what you write and send: your messages, the files you attach, and the e-mail address and name you give us. With each conversation we also store the pages you were on, the page you came from, your browser\'s language and time zone, the kind of device you use, and the consents you gave or declined, with the exact text you were shown, the time and the page.', 'chatflows' ) . '</p>',
			'<p>' . esc_html__( 'The chat keeps an identifier of your chat session in your browser, so that your conversation continues across pages and visits. When the chat asks for your consent to cookies, it keeps nothing in your browser until you accept; if you decline, you can still chat, but only on the page you are on.', 'chatflows' ) . '</p>',
			'<p>' . sprintf(
				/* translators: %s: address of the chat service. */
				esc_html__( 'The chat runs on a separate chat service, at %s, which keeps these data in its own database. Our team reads and answers your messages there.', 'chatflows' ),
				'<a href="' . esc_url( $service ) . '">' . esc_html( $service ) . '</a>'
			) . '</p>',
			'<p>' . esc_html( $retention ) . '</p>',
			'<p>' . esc_html__( 'You can ask us for a copy of the data the chat holds about you, and ask us to correct or erase them, by the e-mail address you gave in the chat. You may also object to their use, and complain to your data protection authority.', 'chatflows' ) . '</p>',
		);
		return '<h2>' . esc_html__( 'Live chat', 'chatflows' ) . '</h2>' . implode( '', $paragraphs );
	}
}
