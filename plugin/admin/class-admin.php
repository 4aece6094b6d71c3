<?php
/**
 * The Chatflows screens in wp-admin.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * Menu and script loading for the React screens.
 */
final class Admin {

	const INBOX_SLUG     = 'chatflows-inbox';
	const CHATFLOWS_SLUG = 'chatflows-chatflows';
	const TEAMS_SLUG     = 'chatflows-teams';

	/**
	 * Adds the Chatflows menu. Agents see it too: its first page is the inbox;
	 * the chatflows and teams pages are for managers.
	 */
	public static function register_menu() {
		add_menu_page(
			__( 'Chatflows', 'chatflows' ),
			__( 'Chatflows', 'chatflows' ),
			Capabilities::ANSWER,
			self::INBOX_SLUG,
			array( self::class, 'render_inbox' ),
			'dashicons-format-chat',
			26
		);
		add_submenu_page(
			self::INBOX_SLUG,
			__( 'Inbox', 'chatflows' ),
			__( 'Inbox', 'chatflows' ),
			Capabilities::ANSWER,
			self::INBOX_SLUG,
			array( self::class, 'render_inbox' )
		);
		add_submenu_page(
			self::INBOX_SLUG,
			__( 'Chatflows', 'chatflows' ),
			__( 'Chatflows', 'chatflows' ),
			Capabilities::MANAGE,
			self::CHATFLOWS_SLUG,
			array( self::class, 'render_chatflows' )
		);
		add_submenu_page(
			self::INBOX_SLUG,
			__( 'Teams', 'chatflows' ),
			__( 'Teams', 'chatflows' ),
			Capabilities::MANAGE,
			self::TEAMS_SLUG,
			array( self::class, 'render_teams' )
		);
		self::add_waiting_bubbles();
	}

	/**
	 * Adds the count of conversations waiting for the current agent to the
	 * Chatflows menu and its Inbox item. Added to the titles after the pages
	 * are registered, so the pages' hook names never depend on the count.
	 */
	private static function add_waiting_bubbles() {
		global $menu, $submenu;
		if ( ! current_user_can( Capabilities::ANSWER ) ) {
			return;
		}
		// As the chat service last sent it: an autoloaded option, no query.
		$bubble = Inbox_Waiting_Counts::bubble( Inbox_Waiting_Counts::for_user( get_current_user_id() ) );
		foreach ( (array) $menu as $position => $item ) {
			if ( isset( $item[2] ) && self::INBOX_SLUG === $item[2] ) {
				$menu[ $position ][0] .= $bubble; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited -- WordPress's own way to badge a menu.
			}
		}
		foreach ( (array) ( $submenu[ self::INBOX_SLUG ] ?? array() ) as $position => $item ) {
			if ( isset( $item[2] ) && self::INBOX_SLUG === $item[2] ) {
				$submenu[ self::INBOX_SLUG ][ $position ][0] .= $bubble; // phpcs:ignore WordPress.WP.GlobalVariablesOverride.Prohibited -- as above.
			}
		}
	}

	/**
	 * The inbox page: a mount point for the React app.
	 */
	public static function render_inbox() {
		if ( ! current_user_can( Capabilities::ANSWER ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to answer chats.', 'chatflows' ), 403 );
		}
		echo '<div class="wrap"><h1 class="wp-heading-inline">' . esc_html__( 'Inbox', 'chatflows' ) . '</h1><div id="chatflows-inbox"></div></div>';
	}

	/**
	 * The chatflows page (list, set-up wizard, editor): a mount point.
	 */
	public static function render_chatflows() {
		if ( ! current_user_can( Capabilities::MANAGE ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to manage chatflows.', 'chatflows' ), 403 );
		}
		echo '<div class="wrap"><h1 class="wp-heading-inline">' . esc_html__( 'Chatflows', 'chatflows' ) . '</h1><div id="chatflows-chatflows"></div></div>';
	}

	/**
	 * The teams page (teams, agents' capacity, inboxes): a mount point.
	 */
	public static function render_teams() {
		if ( ! current_user_can( Capabilities::MANAGE ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to manage chatflows.', 'chatflows' ), 403 );
		}
		echo '<div class="wrap"><h1 class="wp-heading-inline">' . esc_html__( 'Teams', 'chatflows' ) . '</h1><div id="chatflows-teams"></div></div>';
	}

	/**
	 * Loads each app on its own page only.
	 *
	 * @param string $hook_suffix Current admin page.
	 */
	public static function enqueue( $hook_suffix ) {
		$page = self::page_of( $hook_suffix );
		if ( self::INBOX_SLUG === $page ) {
			self::enqueue_app( 'inbox' );
		} elseif ( self::CHATFLOWS_SLUG === $page && current_user_can( Capabilities::MANAGE ) ) {
			// The custom-branding image is chosen from the media library.
			wp_enqueue_media();
			$handle = self::enqueue_app( 'chatflows' );
			if ( $handle ) {
				wp_add_inline_script(
					$handle,
					'window.chatflowsAdmin = ' . wp_json_encode( self::chatflows_page_data(), JSON_HEX_TAG | JSON_HEX_AMP | JSON_UNESCAPED_SLASHES ) . ';',
					'before'
				);
			}
		} elseif ( self::TEAMS_SLUG === $page && current_user_can( Capabilities::MANAGE ) ) {
			self::enqueue_app( 'teams' );
		}
	}

	/**
	 * Which of this plugin's pages a hook suffix is, if any.
	 *
	 * @param string $hook_suffix Current admin page.
	 * @return string|null Page slug.
	 */
	private static function page_of( $hook_suffix ) {
		if ( 'toplevel_page_' . self::INBOX_SLUG === $hook_suffix ) {
			return self::INBOX_SLUG;
		}
		foreach ( array( self::CHATFLOWS_SLUG, self::TEAMS_SLUG ) as $slug ) {
			// Submenu hooks start with the parent menu's sanitized title, which translations change.
			if ( substr( (string) $hook_suffix, -strlen( '_page_' . $slug ) ) === '_page_' . $slug ) {
				return $slug;
			}
		}
		return null;
	}

	/**
	 * What the chatflows page needs from PHP: the widget's built files and the
	 * chat window's texts (the ones the front end prints) for the preview, the
	 * site's name (the default communications label), and the default texts
	 * of every language.
	 *
	 * @return array
	 */
	public static function chatflows_page_data() {
		return array(
			'loaderUrl'     => Plugin::versioned_asset_url( 'build/widget/loader.js' ),
			'chatWindowUrl' => Plugin::versioned_asset_url( 'build/widget/chat-window.js' ),
			'siteName'      => get_bloginfo( 'name' ),
			'homeUrl'       => home_url( '/' ),
			'pageUrl'       => admin_url( 'admin.php?page=' . self::CHATFLOWS_SLUG ),
			'defaultTexts'  => Chatflow_Settings::default_texts_by_path(),
			'windowTexts'   => Frontend::window_texts(),
		);
	}

	/**
	 * Enqueues a built admin app with the dependencies its build recorded.
	 *
	 * @param string $name Entry name under build/admin.
	 * @return string|null Script handle, or null when the app is not built.
	 */
	private static function enqueue_app( $name ) {
		$asset_file = Plugin::path( "build/admin/{$name}.asset.php" );
		if ( ! file_exists( $asset_file ) ) {
			return null;
		}
		$asset  = require $asset_file;
		$handle = "chatflows-{$name}";
		wp_enqueue_script( $handle, Plugin::asset_url( "build/admin/{$name}.js" ), $asset['dependencies'], $asset['version'], true );
		wp_set_script_translations( $handle, 'chatflows', Plugin::path( 'languages' ) );
		if ( file_exists( Plugin::path( "build/admin/{$name}.css" ) ) ) {
			wp_enqueue_style( $handle, Plugin::asset_url( "build/admin/{$name}.css" ), array( 'wp-components' ), $asset['version'] );
		} else {
			wp_enqueue_style( 'wp-components' );
		}
		return $handle;
	}
}
