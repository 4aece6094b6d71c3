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
	const REPLIES_SLUG   = 'chatflows-saved-replies';

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
		// Agents too: managers keep the shared replies here, every agent their personal ones.
		add_submenu_page(
			self::INBOX_SLUG,
			__( 'Saved replies', 'chatflows' ),
			__( 'Saved replies', 'chatflows' ),
			Capabilities::ANSWER,
			self::REPLIES_SLUG,
			array( self::class, 'render_saved_replies' )
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
	 * The saved replies page: a mount point.
	 */
	public static function render_saved_replies() {
		if ( ! current_user_can( Capabilities::ANSWER ) ) {
			wp_die( esc_html__( 'Sorry, you are not allowed to answer chats.', 'chatflows' ), 403 );
		}
		echo '<div class="wrap"><h1 class="wp-heading-inline">' . esc_html__( 'Saved replies', 'chatflows' ) . '</h1><div id="chatflows-saved-replies"></div></div>';
	}

	/**
	 * Loads each app on its own page only.
	 *
	 * @param string $hook_suffix Current admin page.
	 */
	public static function enqueue( $hook_suffix ) {
		$page = self::page_of( $hook_suffix );
		if ( self::INBOX_SLUG === $page ) {
			self::enqueue_app_with_data( 'inbox', 'chatflowsInbox', self::inbox_page_data() );
		} elseif ( self::REPLIES_SLUG === $page && current_user_can( Capabilities::ANSWER ) ) {
			self::enqueue_app_with_data( 'saved-replies', 'chatflowsSavedReplies', self::saved_replies_page_data() );
		} elseif ( self::CHATFLOWS_SLUG === $page && current_user_can( Capabilities::MANAGE ) ) {
			// The custom-branding image is chosen from the media library.
			wp_enqueue_media();
			self::enqueue_app_with_data( 'chatflows', 'chatflowsAdmin', self::chatflows_page_data() );
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
		foreach ( array( self::CHATFLOWS_SLUG, self::TEAMS_SLUG, self::REPLIES_SLUG ) as $slug ) {
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
	 * What the inbox needs from PHP for saved replies: the site's name, and each chatflow's alias, inbox (its
	 * inbox's replies are offered in its conversations) and whether its knowledge base can be searched.
	 *
	 * @return array
	 */
	public static function inbox_page_data() {
		$default_inbox = Directory::ensure_default_inbox();
		$chatflows     = array();
		foreach ( Chatflows::all() as $post ) {
			$settings                        = Chatflows::settings( $post->ID );
			$chatflows[ (string) $post->ID ] = array(
				'alias'         => Chatflows::alias( $settings ),
				'inboxId'       => (int) $settings['inboxId'] > 0 ? (int) $settings['inboxId'] : $default_inbox,
				// The knowledge base's search answers for published chatflows with it on only.
				'knowledgeBase' => 'publish' === $post->post_status && (bool) $settings['knowledgeBase']['enabled'],
			);
		}
		return array(
			'siteName'  => wp_specialchars_decode( get_bloginfo( 'name' ), ENT_QUOTES ),
			'chatflows' => (object) $chatflows,
		);
	}

	/**
	 * What the saved replies page needs: whether the user may edit shared replies, and the names of the
	 * inboxes they may see (all for managers, their own for agents).
	 *
	 * @return array
	 */
	public static function saved_replies_page_data() {
		$user_id   = get_current_user_id();
		$can_share = current_user_can( Capabilities::MANAGE );
		$mine      = Directory::inbox_ids_of( $user_id, Directory::team_ids_of( $user_id ) );
		$inboxes   = array();
		foreach ( Directory::inboxes() as $inbox ) {
			if ( $can_share || in_array( $inbox['id'], $mine, true ) ) {
				$inboxes[] = array(
					'id'        => $inbox['id'],
					'name'      => $inbox['name'],
					'isDefault' => $inbox['isDefault'],
				);
			}
		}
		return array(
			'canManage' => $can_share,
			'inboxes'   => $inboxes,
		);
	}

	/**
	 * Enqueues a built admin app with data from PHP in a global before it.
	 *
	 * @param string $name   Entry name under build/admin.
	 * @param string $global Name of the global, under `window`.
	 * @param array  $data   The data.
	 */
	private static function enqueue_app_with_data( $name, $global, array $data ) {
		$handle = self::enqueue_app( $name );
		if ( $handle ) {
			wp_add_inline_script(
				$handle,
				'window.' . $global . ' = ' . wp_json_encode( $data, JSON_HEX_TAG | JSON_HEX_AMP | JSON_UNESCAPED_SLASHES ) . ';',
				'before'
			);
		}
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
