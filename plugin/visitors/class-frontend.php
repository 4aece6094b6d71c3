<?php
/**
 * Puts the visitor widget on the pages a chatflow serves, and nowhere else.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * Decides at render time which chatflow serves the request and enqueues the
 * small loader with that chatflow's public settings. Nothing printed depends
 * on who the visitor is, so full-page caches stay correct.
 */
final class Frontend {

	const LOADER_HANDLE = 'chatflows-loader';

	/**
	 * The published chatflow serving the current request, if any: the page's own choice, else the first
	 * published chatflow by priority whose rules hold (when visitor rules decide, the first candidate).
	 *
	 * @return \WP_Post|null
	 */
	public static function chatflow_for_request() {
		$choice = Targeting::for_request();
		return self::filtered( $choice ? $choice['candidates'][0]['post'] : null );
	}

	/**
	 * Applies the `chatflows_chatflow_for_request` filter.
	 *
	 * @param \WP_Post|null $chatflow Chatflow.
	 * @return \WP_Post|null
	 */
	private static function filtered( $chatflow ) {
		/**
		 * Filters the chatflow that serves the current request.
		 *
		 * @param \WP_Post|null $chatflow Chatflow post, or null for no chat.
		 */
		return apply_filters( 'chatflows_chatflow_for_request', $chatflow );
	}

	/**
	 * Enqueues the loader with its inline configuration when a chatflow serves the page (or may, when
	 * visitor rules decide in the browser). A page no chatflow serves gets nothing at all.
	 */
	public static function enqueue() {
		$choice = Targeting::for_request();
		$first  = $choice ? $choice['candidates'][0]['post'] : null;
		$chosen = self::filtered( $first );
		if ( ! $chosen instanceof \WP_Post ) {
			return;
		}
		if ( $chosen !== $first ) {
			$choice = array(
				'candidates' => array(
					array(
						'post'       => $chosen,
						'conditions' => null,
					),
				),
				'inline'     => null,
			);
		}

		wp_enqueue_script(
			self::LOADER_HANDLE,
			Plugin::asset_url( 'build/widget/loader.js' ),
			array(),
			Plugin::asset_version( 'build/widget/loader.js' ),
			true
		);
		wp_add_inline_script(
			self::LOADER_HANDLE,
			'window.chatflowsConfig = ' . wp_json_encode( Targeting::loader_config( $choice ), JSON_HEX_TAG | JSON_HEX_AMP | JSON_UNESCAPED_SLASHES ) . ';',
			'before'
		);
	}

	/**
	 * The chatflow's public settings and the widget's texts, already translated into the chat's language
	 * (a fixed language whatever the page's, or the page's own).
	 *
	 * @param \WP_Post $chatflow Chatflow post.
	 * @return array
	 */
	public static function public_config( \WP_Post $chatflow ) {
		// Read once: the locale and the public settings both come from them.
		$settings = Chatflows::settings( $chatflow->ID );
		$locale   = I18n::chat_locale( $settings['options']['language'] );
		return I18n::in_locale(
			$locale,
			static function () use ( $chatflow, $settings, $locale ) {
				return self::config_in_locale( $chatflow, $settings, $locale );
			}
		);
	}

	/**
	 * The widget's configuration, with the plugin's strings already switched to the chat's locale.
	 *
	 * @param \WP_Post $chatflow Chatflow post.
	 * @param array    $settings Its settings.
	 * @param string   $locale   The chat's locale.
	 * @return array
	 */
	private static function config_in_locale( \WP_Post $chatflow, array $settings, $locale ) {
		return array(
			'chatflowId'    => (string) $chatflow->ID,
			'serviceUrl'    => Service_Connection::url(),
			'chatWindowUrl' => Plugin::versioned_asset_url( 'build/widget/chat-window.js' ),
			// A BCP 47 tag, as the widget's Intl formats take it (da-DK).
			'locale'        => I18n::language_tag( $locale ),
			'chatflow'      => self::public_settings( $chatflow, $settings ),
			'texts'         => array(
				'openChat'     => __( 'Open chat', 'chatflows' ),
				'closeChat'    => __( 'Close chat', 'chatflows' ),
				'heading'      => __( 'Chat with us', 'chatflows' ),
				'message'      => __( 'Message', 'chatflows' ),
				'send'         => __( 'Send', 'chatflows' ),
				'you'          => __( 'You', 'chatflows' ),
				'team'         => __( 'Team', 'chatflows' ),
				'messages'     => __( 'Messages', 'chatflows' ),
				'sending'      => __( 'Sending…', 'chatflows' ),
				'notSent'      => __( 'Not sent yet. It will be sent when the connection returns.', 'chatflows' ),
				'connecting'   => __( 'Connecting…', 'chatflows' ),
				'reconnecting' => __( 'Reconnecting…', 'chatflows' ),
				'emptyState'   => __( 'Ask us anything. We usually answer within a few minutes.', 'chatflows' ),
				'window'       => self::window_texts(),
				'attachments'  => self::attachment_texts(),
				'knowledge'    => self::knowledge_base_texts(),
			),
		);
	}

	/**
	 * Texts of the chat window, translated for the page. Placeholders are filled in by the widget.
	 *
	 * @return array<string,mixed>
	 */
	public static function window_texts() {
		return array(
			'chatTab'            => _x( 'Chat', 'chat window tab', 'chatflows' ),
			'sound'              => __( 'Sound on new messages', 'chatflows' ),
			'replyTime'          => array(
				'minutes' => __( 'We typically reply in a few minutes.', 'chatflows' ),
				'hour'    => __( 'We typically reply in under an hour.', 'chatflows' ),
				'hours'   => __( 'We typically reply in a few hours.', 'chatflows' ),
				'day'     => __( 'We typically reply within a day.', 'chatflows' ),
			),
			/* translators: %s: when the team is back, e.g. "Monday 09:00", in the visitor's time zone. */
			'returnTime'         => __( 'We are away right now. We will be back %s.', 'chatflows' ),
			/* translators: 1: the visitor's place in the queue (1 = next); 2: the estimated wait, e.g. "3 minutes". */
			'queuePosition'      => __( 'You are number %1$s in the queue. Estimated wait: %2$s.', 'chatflows' ),
			/* translators: %s: who is typing, an agent's or the team's name. */
			'typing'             => __( '%s is typing…', 'chatflows' ),
			'seen'               => _x( 'Seen', 'message read by the team', 'chatflows' ),
			'emailLabel'         => __( 'E-mail address', 'chatflows' ),
			'emailSubmit'        => __( 'Save e-mail address', 'chatflows' ),
			'emailInvalid'       => __( 'Enter a valid e-mail address, such as name@example.com.', 'chatflows' ),
			'emailSaved'         => __( 'Thank you. We will follow up by e-mail if we get disconnected.', 'chatflows' ),
			'offlineHeading'     => __( 'Leave us a message', 'chatflows' ),
			'offlineIntro'       => __( 'Nobody can answer right now. Leave a message and your e-mail address, and we will reply by e-mail.', 'chatflows' ),
			'unreachable'        => __( 'The chat cannot be reached right now. Leave a message and your e-mail address: we will send it as soon as the connection returns.', 'chatflows' ),
			'unavailable'        => __( 'This chat is not available any more. Reload the page to see what it offers now.', 'chatflows' ),
			'offlineSubmit'      => __( 'Leave message', 'chatflows' ),
			'offlineSent'        => __( 'Thank you. We got your message and will reply by e-mail.', 'chatflows' ),
			'offlineQueued'      => __( 'Your message will be sent as soon as the connection returns. Keep this page open.', 'chatflows' ),
			'messageRequired'    => __( 'Write a message.', 'chatflows' ),
			/* translators: 1: a rating; 2: the highest rating, e.g. "4 of 5". */
			'surveyRating'       => __( '%1$s of %2$s', 'chatflows' ),
			'surveyComment'      => __( 'Comment (optional)', 'chatflows' ),
			'surveySubmit'       => __( 'Send rating', 'chatflows' ),
			'surveyThanks'       => __( 'Thank you for your feedback.', 'chatflows' ),
			'surveyChooseRating' => __( 'Choose a rating.', 'chatflows' ),
			'conversationClosed' => __( 'This conversation has ended.', 'chatflows' ),
			'startNew'           => __( 'Start a new conversation', 'chatflows' ),
			'skip'               => _x( 'Skip', 'go on without answering', 'chatflows' ),
			'startHint'          => __( 'Write your message below to start the conversation.', 'chatflows' ),
			'rateLimited'        => __( 'You are sending messages too fast. Please wait a moment.', 'chatflows' ),
			'notDelivered'       => __( 'This message could not be sent.', 'chatflows' ),
			'cookieBanner'       => __( 'Cookies in the chat', 'chatflows' ),
			'cookieAccept'       => _x( 'Accept', 'cookie consent', 'chatflows' ),
			'cookieDecline'      => _x( 'Decline', 'cookie consent', 'chatflows' ),
			'dataAgree'          => _x( 'I agree', 'consent to process data', 'chatflows' ),
			'dataAgreeFirst'     => __( 'Select “I agree” before you send a message.', 'chatflows' ),
			'privacyPolicy'      => __( 'Privacy policy', 'chatflows' ),
		);
	}

	/**
	 * Texts of attaching and showing files. Placeholders are filled in by the widget.
	 *
	 * @return array<string,string>
	 */
	public static function attachment_texts() {
		return array(
			'attach'      => __( 'Attach a file', 'chatflows' ),
			'hint'        => __( 'Images (PNG, JPEG, GIF, WebP) and PDF files', 'chatflows' ),
			/* translators: %s: the file's name. */
			'uploading'   => __( 'Sending %s…', 'chatflows' ),
			/* translators: %s: the largest size allowed, in megabytes. */
			'tooLarge'    => __( 'This file is too large. Files can be at most %s MB.', 'chatflows' ),
			'wrongType'   => __( 'Only images (PNG, JPEG, GIF, WebP) and PDF files can be sent.', 'chatflows' ),
			'failed'      => __( 'The file could not be sent. Try again.', 'chatflows' ),
			/* translators: %s: the file's name. */
			'image'       => __( 'Image: %s', 'chatflows' ),
			/* translators: 1: the file's name; 2: its size, e.g. "120 KB". */
			'download'    => __( 'Download %1$s (PDF, %2$s)', 'chatflows' ),
			'unavailable' => __( 'This file cannot be shown.', 'chatflows' ),
		);
	}

	/**
	 * Texts of the knowledge-base tab.
	 *
	 * @return array<string,string>
	 */
	public static function knowledge_base_texts() {
		return array(
			'tab'           => _x( 'Help', 'chat window tab with help articles', 'chatflows' ),
			'searchLabel'   => __( 'Search help articles', 'chatflows' ),
			'search'        => _x( 'Search', 'button', 'chatflows' ),
			'searching'     => __( 'Searching…', 'chatflows' ),
			'noResults'     => __( 'No articles match your search. Try other words, or ask us in the chat.', 'chatflows' ),
			/* translators: %s: number of articles found. */
			'results'       => __( 'Articles found: %s', 'chatflows' ),
			'failed'        => __( 'The search did not work. Try again.', 'chatflows' ),
			'opensInNewTab' => __( '(opens in a new tab)', 'chatflows' ),
		);
	}

	/**
	 * What the widget needs of a chatflow's settings, texts resolved in the chat's language. Texts are plain
	 * text: the widget renders them as text, and the inline JSON escapes `<`, `>` and `&`.
	 *
	 * @param \WP_Post   $chatflow Chatflow post.
	 * @param array|null $settings Its settings, when already read.
	 * @return array
	 */
	public static function public_settings( \WP_Post $chatflow, $settings = null ) {
		$settings     = $settings ?? Chatflows::settings( $chatflow->ID );
		$options      = $settings['options'];
		$availability = $settings['availability'];
		$locale       = I18n::chat_locale( $options['language'] );
		$text         = static function ( $localized, $key ) use ( $locale ) {
			return Chatflow_Settings::text( $localized, $key, $locale );
		};
		$heading      = $settings['heading'];
		$image_url    = $heading['imageId'] > 0 ? wp_get_attachment_image_url( $heading['imageId'], 'thumbnail' ) : false;
		$privacy_url  = '' !== $options['dataConsent']['privacyPolicyUrl'] ? $options['dataConsent']['privacyPolicyUrl'] : get_privacy_policy_url();

		return array(
			'language'         => $locale,
			'accentColor'      => $settings['display']['accentColor'],
			'heading'          => array(
				'mode'       => $heading['mode'],
				'teamName'   => $heading['teamName'],
				'imageUrl'   => $image_url ? $image_url : '',
				'useAsAlias' => (bool) $heading['useAsAlias'],
				'people'     => 'users_and_teams' === $heading['mode'] ? self::heading_people( $heading ) : array(),
			),
			'welcomeMessage'   => $text( $settings['welcomeMessage'], 'welcome' ),
			'displayBehaviour' => $settings['displayBehaviour'],
			'availability'     => array(
				'mode'                 => $availability['mode'],
				'showTypicalReplyTime' => (bool) $availability['showTypicalReplyTime'],
				'typicalReplyTime'     => $availability['typicalReplyTime'],
				'whenAway'             => $availability['whenAway'],
				'whenOffline'          => $availability['whenOffline'],
				'whenAtCapacity'       => $availability['whenAtCapacity'],
				'awayMessage'          => $text( $availability['awayMessage'], 'away' ),
				'waitMessage'          => $text( $availability['waitMessage'], 'wait' ),
				// Mapped here so the loader, which hides the launcher before any socket, stays small.
				'hideLauncherWhen'     => array_keys(
					array_filter(
						array(
							'away'        => 'hide_launcher' === $availability['whenAway'],
							'offline'     => 'hide_launcher' === $availability['whenOffline'],
							'at_capacity' => 'hide_launcher' === $availability['whenAtCapacity'],
						)
					)
				),
			),
			'emailCapture'     => array(
				'enabled' => (bool) $settings['emailCapture']['enabled'],
				'when'    => $settings['emailCapture']['when'],
				'message' => $text( $settings['emailCapture']['message'], 'emailCapture' ),
			),
			'knowledgeBase'    => array(
				'enabled'   => (bool) $settings['knowledgeBase']['enabled'],
				'searchUrl' => $settings['knowledgeBase']['enabled'] ? rest_url( 'chatflows/v1/knowledge-base/search' ) : '',
			),
			'attachments'      => array(
				'enabled'   => (bool) $options['attachments']['enabled'],
				'maxSizeMb' => (int) $options['attachments']['maxSizeMb'],
			),
			'consent'          => array(
				'cookies'        => array(
					'enabled'  => (bool) $options['cookieConsent']['enabled'],
					'when'     => $options['cookieConsent']['when'],
					'text'     => $text( $options['cookieConsent']['text'], 'cookieConsent' ),
					'category' => self::consent_category( $chatflow ),
				),
				'data'           => array(
					'enabled'          => (bool) $options['dataConsent']['enabled'],
					'mode'             => $options['dataConsent']['mode'],
					'text'             => $text( $options['dataConsent']['text'], 'dataConsent' ),
					'privacyPolicyUrl' => esc_url_raw( $privacy_url ),
				),
				'communications' => array(
					'enabled'          => (bool) $options['communicationsConsent']['enabled'],
					'label'            => $text( $options['communicationsConsent']['label'], 'communications' ),
					'subscriptionType' => (string) $options['communicationsConsent']['subscriptionType'],
				),
			),
			'survey'           => array(
				'enabled'  => (bool) $options['survey']['enabled'],
				'question' => $text( $options['survey']['question'], 'survey' ),
			),
		);
	}

	/**
	 * The users and teams a "specific users and teams" heading shows until an agent answers: chosen users
	 * that may still answer chats, then chosen teams that still exist.
	 *
	 * @param array $heading Heading settings.
	 * @return array[] `{ name, imageUrl }`; imageUrl is '' for teams and without avatars.
	 */
	private static function heading_people( array $heading ) {
		$people = array();
		foreach ( $heading['userIds'] as $user_id ) {
			$user = Directory::agent_user( (int) $user_id );
			if ( $user ) {
				$people[] = array(
					'name'     => $user->display_name,
					'imageUrl' => Directory::avatar_url( $user->ID ),
				);
			}
		}
		foreach ( $heading['teamIds'] as $team_id ) {
			$team = Directory::team( (int) $team_id );
			if ( $team ) {
				$people[] = array(
					'name'     => $team['name'],
					'imageUrl' => '',
				);
			}
		}
		return $people;
	}

	/**
	 * The WP Consent API category the widget's storage falls under: when the site runs a consent plugin
	 * through that API, the widget follows its answer for this category instead of showing its own banner.
	 *
	 * @param \WP_Post $chatflow Chatflow post.
	 * @return string A category such as `preferences`; `preferences` when the filter gives something else.
	 */
	public static function consent_category( \WP_Post $chatflow ) {
		/**
		 * Filters the WP Consent API category the chat widget's cookies and storage belong to.
		 *
		 * @param string   $category `preferences` (the session and the visitor's choices), or another category
		 *                           the API knows: `functional`, `statistics`, `statistics-anonymous`, `marketing`.
		 * @param \WP_Post $chatflow The chatflow serving the page.
		 */
		$category = apply_filters( 'chatflows_consent_category', 'preferences', $chatflow );
		return is_string( $category ) && preg_match( '/^[a-z][a-z-]{0,39}$/', $category ) ? $category : 'preferences';
	}

	/**
	 * Adds `defer` to the loader so it never blocks the page's first render.
	 * (WordPress 6.1 has no script loading strategies yet.)
	 *
	 * @param string $tag    Script tag.
	 * @param string $handle Script handle.
	 * @return string
	 */
	public static function defer_loader( $tag, $handle ) {
		if ( self::LOADER_HANDLE !== $handle || false !== strpos( $tag, ' defer' ) ) {
			return $tag;
		}
		return str_replace( ' src=', ' defer src=', $tag );
	}
}
