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
			self::asset_version( 'build/widget/loader.js' ),
			true
		);
		wp_add_inline_script(
			self::LOADER_HANDLE,
			'window.chatflowsConfig = ' . wp_json_encode( Targeting::loader_config( $choice ), JSON_HEX_TAG | JSON_HEX_AMP | JSON_UNESCAPED_SLASHES ) . ';',
			'before'
		);
	}

	/**
	 * The chatflow's public settings and the widget's texts, already translated.
	 *
	 * @param \WP_Post $chatflow Chatflow post.
	 * @return array
	 */
	public static function public_config( \WP_Post $chatflow ) {
		return array(
			'chatflowId'    => (string) $chatflow->ID,
			'serviceUrl'    => Service_Connection::url(),
			'chatWindowUrl' => add_query_arg( 'ver', self::asset_version( 'build/widget/chat-window.js' ), Plugin::asset_url( 'build/widget/chat-window.js' ) ),
			'locale'        => determine_locale(),
			'chatflow'      => self::public_settings( $chatflow ),
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
			),
		);
	}

	/**
	 * What the widget needs of a chatflow's settings, texts resolved in the chat's language. Texts are plain
	 * text: the widget renders them as text, and the inline JSON escapes `<`, `>` and `&`.
	 *
	 * @param \WP_Post $chatflow Chatflow post.
	 * @return array
	 */
	public static function public_settings( \WP_Post $chatflow ) {
		$settings     = Chatflows::settings( $chatflow->ID );
		$options      = $settings['options'];
		$availability = $settings['availability'];
		$locale       = 'page' === $options['language'] ? determine_locale() : $options['language'];
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
			),
			'emailCapture'     => array(
				'enabled' => (bool) $settings['emailCapture']['enabled'],
				'when'    => $settings['emailCapture']['when'],
				'message' => $text( $settings['emailCapture']['message'], 'emailCapture' ),
			),
			'knowledgeBase'    => array( 'enabled' => (bool) $settings['knowledgeBase']['enabled'] ),
			'consent'          => array(
				'cookies'        => array(
					'enabled' => (bool) $options['cookieConsent']['enabled'],
					'when'    => $options['cookieConsent']['when'],
					'text'    => $text( $options['cookieConsent']['text'], 'cookieConsent' ),
				),
				'data'           => array(
					'enabled'          => (bool) $options['dataConsent']['enabled'],
					'mode'             => $options['dataConsent']['mode'],
					'text'             => $text( $options['dataConsent']['text'], 'dataConsent' ),
					'privacyPolicyUrl' => esc_url_raw( $privacy_url ),
				),
				'communications' => array(
					'enabled' => (bool) $options['communicationsConsent']['enabled'],
					'label'   => $text( $options['communicationsConsent']['label'], 'communications' ),
				),
			),
			'survey'           => array(
				'enabled'  => (bool) $options['survey']['enabled'],
				'question' => $text( $options['survey']['question'], 'survey' ),
			),
		);
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

	/**
	 * Version string of a built file, for cache busting.
	 *
	 * @param string $path Path relative to the plugin folder.
	 * @return string
	 */
	public static function asset_version( $path ) {
		$file = Plugin::path( $path );
		return file_exists( $file ) ? (string) filemtime( $file ) : VERSION;
	}
}
