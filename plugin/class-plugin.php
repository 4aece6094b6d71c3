<?php
/**
 * Wires the plugin's parts to WordPress.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * Composition root of the plugin.
 */
final class Plugin {

	/** The REST controllers, in the order they register their routes. */
	const REST_CONTROLLERS = array(
		Rest_Agent_Token_Controller::class,
		Rest_Identification_Controller::class,
		Rest_Chatflows_Controller::class,
		Rest_Directory_Controller::class,
		Rest_Service_Controller::class,
		Rest_Waiting_Counts_Controller::class,
		Rest_Knowledge_Base_Controller::class,
		Rest_Targeting_Controller::class,
		Rest_Saved_Replies_Controller::class,
	);

	/**
	 * Registers every hook. Runs on each request, so it only adds hooks.
	 */
	public static function boot() {
		I18n::boot();
		add_action( 'init', array( Chatflow_Post_Type::class, 'register' ) );
		add_action( 'init', array( Directory::class, 'register' ) );
		add_action( 'init', array( Saved_Replies::class, 'register' ) );
		// Personal saved replies go with their owner; shared ones stay with the team.
		add_action( 'delete_user', array( Saved_Replies::class, 'delete_personal_of' ) );
		add_action( 'rest_api_init', array( self::class, 'register_rest_routes' ) );
		add_action( 'wp_enqueue_scripts', array( Frontend::class, 'enqueue' ) );
		Targeting::boot();
		Targeting_Blocks::boot();
		// Who may answer chats is part of the directory the service keeps.
		add_action( 'set_user_role', array( Service_Sync::class, 'on_role_change' ), 10, 3 );
		add_action( 'add_user_role', array( Service_Sync::class, 'on_role_change' ), 10, 2 );
		add_action( 'remove_user_role', array( Service_Sync::class, 'on_role_change' ), 10, 2 );
		add_action( 'profile_update', array( Service_Sync::class, 'on_user_change' ) );
		add_action( 'delete_user', array( Service_Sync::class, 'on_user_change' ) );
		// Agents' open connections follow their rights at once.
		Agent_Access::register();
		add_filter( 'script_loader_tag', array( Frontend::class, 'defer_loader' ), 10, 2 );
		add_action( 'admin_menu', array( Admin::class, 'register_menu' ) );
		add_action( 'admin_enqueue_scripts', array( Admin::class, 'enqueue' ) );
		Privacy_Settings::boot();
		Privacy::boot();
		Identification::boot();
		Email_Confirmation::boot();
	}

	/**
	 * Registers every REST route. The controllers are made here, so that requests that never reach the REST
	 * API do not load them.
	 */
	public static function register_rest_routes() {
		foreach ( self::REST_CONTROLLERS as $controller ) {
			( new $controller() )->register_routes();
		}
	}

	/**
	 * Activation: capabilities, the agent role, the shared secret and the default inbox.
	 */
	public static function activate() {
		Capabilities::install();
		Service_Connection::ensure_secret();
		Directory::register();
		Directory::ensure_default_inbox();
		Chatflow_Post_Type::register();
		// The option must exist (autoloaded) for pages without chat to cost no query.
		add_option( Targeting::INDEX_OPTION, array(), '', 'yes' );
		Targeting::refresh_index();
	}

	/**
	 * URL of a built asset inside the plugin.
	 *
	 * @param string $path Path relative to the plugin folder, e.g. `build/widget/loader.js`.
	 * @return string
	 */
	public static function asset_url( $path ) {
		return plugins_url( $path, PLUGIN_FILE );
	}

	/**
	 * Version string of a built file, for cache busting.
	 *
	 * @param string $path Path relative to the plugin folder.
	 * @return string
	 */
	public static function asset_version( $path ) {
		$file = self::path( $path );
		return file_exists( $file ) ? (string) filemtime( $file ) : VERSION;
	}

	/**
	 * URL of a built asset with its version, for code that loads it itself rather than through an enqueue.
	 *
	 * @param string $path Path relative to the plugin folder.
	 * @return string
	 */
	public static function versioned_asset_url( $path ) {
		return add_query_arg( 'ver', self::asset_version( $path ), self::asset_url( $path ) );
	}

	/**
	 * Absolute file path inside the plugin.
	 *
	 * @param string $path Path relative to the plugin folder.
	 * @return string
	 */
	public static function path( $path ) {
		return plugin_dir_path( PLUGIN_FILE ) . $path;
	}
}
