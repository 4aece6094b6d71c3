<?php
/**
 * Chatflows are stored as a non-public post type; published means "on".
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * The `chatflows_chatflow` post type and the page-level choice of chatflow.
 */
final class Chatflow_Post_Type {

	const POST_TYPE = 'chatflows_chatflow';

	/** Page meta: the chatflow this page always shows (the page's own choice beats site rules). */
	const PAGE_CHATFLOW_META = '_chatflows_chatflow_id';

	/**
	 * Registers the post type and the page meta.
	 */
	public static function register() {
		register_post_type(
			self::POST_TYPE,
			array(
				'labels'          => array(
					'name'          => __( 'Chatflows', 'chatflows' ),
					'singular_name' => __( 'Chatflow', 'chatflows' ),
				),
				'public'          => false,
				'show_ui'         => false,
				'show_in_rest'    => false,
				'rewrite'         => false,
				'query_var'       => false,
				'supports'        => array( 'title' ),
				'capability_type' => 'chatflows_chatflow',
				'capabilities'    => array(
					'edit_post'          => Capabilities::MANAGE,
					'read_post'          => Capabilities::MANAGE,
					'delete_post'        => Capabilities::MANAGE,
					'edit_posts'         => Capabilities::MANAGE,
					'edit_others_posts'  => Capabilities::MANAGE,
					'delete_posts'       => Capabilities::MANAGE,
					'publish_posts'      => Capabilities::MANAGE,
					'read_private_posts' => Capabilities::MANAGE,
					'create_posts'       => Capabilities::MANAGE,
				),
				'map_meta_cap'    => false,
			)
		);

		register_meta(
			'post',
			self::PAGE_CHATFLOW_META,
			array(
				'type'              => 'integer',
				'single'            => true,
				'default'           => 0,
				'sanitize_callback' => 'absint',
				'auth_callback'     => static function ( $allowed, $meta_key, $post_id ) {
					return current_user_can( 'edit_post', $post_id );
				},
				// The block editor's "Chat on this page" panel edits it.
				'show_in_rest'      => true,
			)
		);
	}

	/**
	 * The published chatflow a post asks for, if any.
	 *
	 * @param int $post_id Post or page ID.
	 * @return \WP_Post|null
	 */
	public static function chosen_by( $post_id ) {
		// Post meta is already cached by the main query: no extra query on pages without chat.
		$chatflow_id = (int) get_post_meta( $post_id, self::PAGE_CHATFLOW_META, true );
		if ( $chatflow_id <= 0 ) {
			return null;
		}
		$chatflow = get_post( $chatflow_id );
		if ( ! $chatflow || self::POST_TYPE !== $chatflow->post_type || 'publish' !== $chatflow->post_status ) {
			return null;
		}
		return $chatflow;
	}
}
