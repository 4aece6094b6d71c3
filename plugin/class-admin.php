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

	const INBOX_SLUG = 'chatflows-inbox';

	/**
	 * Adds the Chatflows menu. Agents see it too: its first page is the inbox.
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
	 * Loads the inbox app on its page only.
	 *
	 * @param string $hook_suffix Current admin page.
	 */
	public static function enqueue( $hook_suffix ) {
		if ( 'toplevel_page_' . self::INBOX_SLUG !== $hook_suffix ) {
			return;
		}
		self::enqueue_app( 'inbox' );
	}

	/**
	 * Enqueues a built admin app with the dependencies its build recorded.
	 *
	 * @param string $name Entry name under build/admin.
	 */
	private static function enqueue_app( $name ) {
		$asset_file = Plugin::path( "build/admin/{$name}.asset.php" );
		if ( ! file_exists( $asset_file ) ) {
			return;
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
	}
}
