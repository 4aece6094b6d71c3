<?php
/**
 * The Live chat block and the "Chat on this page" panel.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * Registers the `chatflows/live-chat` block (blocks/live-chat/block.json; built to build/blocks) and the block
 * editor's document panel, and exposes the page's choice (`_chatflows_chatflow_id`, `_chatflows_no_chat`) to the
 * editor through the REST API, for users who may edit the page.
 */
final class Targeting_Blocks {

	const EDITOR_HANDLE = 'chatflows-live-chat-editor';
	const PANEL_HANDLE  = 'chatflows-page-panel';

	/**
	 * Hooks.
	 */
	public static function boot() {
		add_action( 'init', array( self::class, 'register' ) );
		add_action( 'enqueue_block_editor_assets', array( self::class, 'enqueue_panel' ) );
	}

	/**
	 * Registers the page meta, the editor script and the block.
	 */
	public static function register() {
		register_meta(
			'post',
			Targeting::NO_CHAT_META,
			array(
				'type'              => 'boolean',
				'single'            => true,
				'default'           => false,
				'sanitize_callback' => 'rest_sanitize_boolean',
				'auth_callback'     => static function ( $allowed, $meta_key, $post_id ) {
					return current_user_can( 'edit_post', $post_id );
				},
				'show_in_rest'      => true,
			)
		);
		self::register_script( self::EDITOR_HANDLE, 'build/blocks/live-chat' );
		wp_register_style( self::EDITOR_HANDLE, Plugin::asset_url( 'build/blocks/live-chat.css' ), array(), Plugin::asset_version( 'build/blocks/live-chat.css' ) );
		register_block_type_from_metadata(
			Plugin::path( 'blocks/live-chat' ),
			array( 'render_callback' => array( self::class, 'render' ) )
		);
	}

	/**
	 * Registers a built script with its dependencies and translations.
	 *
	 * @param string $handle Handle.
	 * @param string $path   Built file without `.js`, relative to the plugin.
	 */
	private static function register_script( $handle, $path ) {
		$asset_file = Plugin::path( $path . '.asset.php' );
		$asset      = file_exists( $asset_file ) ? require $asset_file : array(
			'dependencies' => array(),
			'version'      => VERSION,
		);
		wp_register_script( $handle, Plugin::asset_url( $path . '.js' ), $asset['dependencies'], $asset['version'], true );
		wp_set_script_translations( $handle, 'chatflows', Plugin::path( 'languages' ) );
	}

	/**
	 * The document panel, in the block editor of posts and pages.
	 */
	public static function enqueue_panel() {
		self::register_script( self::PANEL_HANDLE, 'build/blocks/page-panel' );
		wp_enqueue_script( self::PANEL_HANDLE );
	}

	/**
	 * The block on the page: the element the chat embeds into (inline), or nothing (it only chooses the
	 * page's chatflow). Nothing either when the page shows no chat or the chatflow is off.
	 *
	 * @param array $attributes `chatflowId`, `mode` (`inline` or `select`).
	 * @return string HTML.
	 */
	public static function render( $attributes ) {
		$chatflow_id = (int) ( $attributes['chatflowId'] ?? 0 );
		$post        = get_post();
		if ( 'select' === ( $attributes['mode'] ?? 'inline' ) || ! $post || ! Targeting::published( $chatflow_id ) ) {
			return '';
		}
		$choice = Targeting::page_choice( $post );
		$id     = Targeting::inline_element_id( $chatflow_id );
		if ( ! $choice || '#' . $id !== $choice['inline'] ) {
			return '';
		}
		return sprintf(
			'<div %s></div>',
			get_block_wrapper_attributes(
				array(
					'id'    => $id,
					'class' => 'chatflows-inline',
					// Room for the chat window until the loader mounts it.
					'style' => 'min-height:480px',
				)
			)
		);
	}
}
