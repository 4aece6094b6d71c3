<?php
/**
 * Public search of a chatflow's knowledge base, for the chat window's tab.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * `GET /chatflows/v1/knowledge-base/search?chatflow=ID&q=…`.
 *
 * Anyone may search (visitors are not logged in), but only a published chatflow whose knowledge base is on,
 * and only in the content it names: published posts without a password, of a public post type or of the
 * chosen category. Answers plain text only, a few results, and lets caches keep them briefly: nothing in
 * the answer depends on who asks.
 */
final class Rest_Knowledge_Base_Controller extends Rest_Controller {

	/** Most articles answered. */
	const MAX_RESULTS = 5;

	/** Longest search accepted, in characters. */
	const MAX_QUERY_LENGTH = 100;

	/** Words kept of an article's excerpt. */
	const EXCERPT_WORDS = 30;

	/** Seconds browsers and caches may keep an answer. */
	const CACHE_SECONDS = 300;

	/**
	 * The routes' base.
	 *
	 * @var string
	 */
	protected $rest_base = 'knowledge-base/search';

	/**
	 * Registers the route.
	 */
	public function register_routes() {
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base,
			array(
				array(
					'methods'             => \WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_items' ),
					// Public on purpose: visitors search without logging in; get_items() refuses chatflows without it.
					'permission_callback' => '__return_true',
					'args'                => array(
						'chatflow' => array(
							'description' => __( 'The chatflow whose knowledge base to search.', 'chatflows' ),
							'type'        => 'integer',
							'minimum'     => 1,
							'required'    => true,
						),
						'q'        => array(
							'description'       => __( 'Words to search for.', 'chatflows' ),
							'type'              => 'string',
							'required'          => true,
							'maxLength'         => self::MAX_QUERY_LENGTH,
							'sanitize_callback' => static function ( $value ) {
								return trim( sanitize_text_field( (string) $value ) );
							},
							'validate_callback' => array( $this, 'validate_query' ),
						),
					),
				),
				'schema' => array( $this, 'get_public_item_schema' ),
			)
		);
	}

	/**
	 * A search must have words in it, and not too many.
	 *
	 * @param mixed            $value   The value sent.
	 * @param \WP_REST_Request $request Request.
	 * @param string           $param   Parameter name.
	 * @return true|\WP_Error
	 */
	public function validate_query( $value, $request, $param ) {
		$valid = rest_validate_request_arg( $value, $request, $param );
		if ( true !== $valid ) {
			return $valid;
		}
		if ( '' === trim( sanitize_text_field( (string) $value ) ) ) {
			return new \WP_Error(
				'rest_invalid_param',
				__( 'Enter words to search for.', 'chatflows' ),
				array( 'status' => 400 )
			);
		}
		return true;
	}

	/**
	 * Searches the chatflow's chosen content.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function get_items( $request ) {
		$chatflow = Targeting::published( (int) $request['chatflow'] );
		if ( ! $chatflow ) {
			return new \WP_Error(
				'chatflows_not_found',
				__( 'There is no such chat on this site.', 'chatflows' ),
				array( 'status' => 404 )
			);
		}
		$knowledge_base = Chatflows::settings( $chatflow->ID )['knowledgeBase'];
		if ( ! $knowledge_base['enabled'] ) {
			return new \WP_Error(
				'chatflows_knowledge_base_off',
				__( 'This chat has no knowledge base.', 'chatflows' ),
				array( 'status' => 403 )
			);
		}

		$query_args = self::source_query( $knowledge_base );
		$articles   = array();
		if ( null !== $query_args ) {
			$query = new \WP_Query(
				$query_args + array(
					's'                   => $request['q'],
					'post_status'         => 'publish',
					'has_password'        => false,
					'posts_per_page'      => self::MAX_RESULTS, // phpcs:ignore WordPress.WP.PostsPerPage.posts_per_page_posts_per_page -- a fixed, small cap on a visitor's search.
					'ignore_sticky_posts' => true,
					'no_found_rows'       => true,
					'suppress_filters'    => false,
				)
			);
			foreach ( $query->posts as $post ) {
				$articles[] = $this->prepare_article( $post );
			}
		}

		$response = rest_ensure_response( array( 'articles' => $articles ) );
		$response->header( 'Cache-Control', 'public, max-age=' . self::CACHE_SECONDS );
		return $response;
	}

	/**
	 * What to search in: the chosen category's posts, or a public post type. Null: nothing (the chosen
	 * source no longer exists or is not public).
	 *
	 * @param array $knowledge_base The chatflow's knowledge-base settings.
	 * @return array|null WP_Query arguments.
	 */
	private static function source_query( array $knowledge_base ) {
		if ( 'category' === $knowledge_base['sourceType'] ) {
			$category = (int) $knowledge_base['categoryId'];
			return $category > 0 && term_exists( $category, 'category' )
				? array(
					'post_type' => 'post',
					'cat'       => $category,
				)
				: null;
		}
		$post_type = get_post_type_object( (string) $knowledge_base['postType'] );
		if ( ! $post_type || ! $post_type->public || in_array( $post_type->name, array( 'attachment', Chatflow_Post_Type::POST_TYPE ), true ) ) {
			return null;
		}
		return array( 'post_type' => $post_type->name );
	}

	/**
	 * One article as plain text: the widget shows it as text, never as HTML.
	 *
	 * @param \WP_Post $post A published post.
	 * @return array
	 */
	private function prepare_article( \WP_Post $post ) {
		$source  = '' !== $post->post_excerpt ? $post->post_excerpt : strip_shortcodes( $post->post_content );
		$excerpt = wp_trim_words( self::plain_text( excerpt_remove_blocks( $source ) ), self::EXCERPT_WORDS, '…' );
		return array(
			'id'      => $post->ID,
			'title'   => self::plain_text( get_the_title( $post ) ),
			'excerpt' => $excerpt,
			'url'     => esc_url_raw( get_permalink( $post ) ),
		);
	}

	/**
	 * Text without tags, entities decoded, whitespace collapsed.
	 *
	 * @param string $html Some HTML.
	 * @return string
	 */
	private static function plain_text( $html ) {
		$text = html_entity_decode( wp_strip_all_tags( (string) $html, true ), ENT_QUOTES | ENT_HTML5, 'UTF-8' );
		return trim( (string) preg_replace( '/\s+/u', ' ', $text ) );
	}

	/**
	 * The answer's schema.
	 *
	 * @return array
	 */
	public function get_item_schema() {
		return $this->add_additional_fields_schema(
			array(
				'$schema'    => 'http://json-schema.org/draft-04/schema#',
				'title'      => 'chatflows-knowledge-base-search',
				'type'       => 'object',
				'properties' => array(
					'articles' => array(
						'type'  => 'array',
						'items' => array(
							'type'       => 'object',
							'properties' => array(
								'id'      => array( 'type' => 'integer' ),
								'title'   => array( 'type' => 'string' ),
								'excerpt' => array( 'type' => 'string' ),
								'url'     => array(
									'type'   => 'string',
									'format' => 'uri',
								),
							),
						),
					),
				),
			)
		);
	}
}
