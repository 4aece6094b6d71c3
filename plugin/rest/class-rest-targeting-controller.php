<?php
/**
 * REST routes of targeting.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * - `POST /target-test` (chatflows_manage): "Where does chat show?" for a URL and a visitor.
 * - `PUT /chatflows/order` (chatflows_manage): the priority order, all at once.
 * - `GET /targeting` (chatflows_manage): roles, the site's address, outside origins and the snippet's URLs.
 * - `PUT /outside-origins` (chatflows_manage): the sites outside WordPress that may show the chat.
 * - `GET /page-choices` (edit_posts): the chatflows an editor may choose for a page (block and panel).
 * - `GET /embed?url=` (public): which chatflow serves a page outside WordPress; public settings only, cached.
 * - `GET /widget/chat-window.js`, `/widget/targeting.js` (public): the widget's modules with CORS headers, for
 *   pages outside WordPress.
 */
final class Rest_Targeting_Controller extends Rest_Controller {

	/** Seconds a browser or proxy may keep an embed answer. */
	const EMBED_MAX_AGE = 300;

	/**
	 * Registers the routes.
	 */
	public function register_routes() {
		$manage = array( Capabilities::class, 'rest_check_manage' );
		register_rest_route(
			$this->namespace,
			'/target-test',
			array(
				'methods'             => \WP_REST_Server::CREATABLE,
				'callback'            => array( $this, 'test' ),
				'permission_callback' => $manage,
				'args'                => array(
					'url'    => array(
						'description' => __( 'The page to test, as a full URL.', 'chatflows' ),
						'type'        => 'string',
						'required'    => true,
						'maxLength'   => 2000,
					),
					'traits' => array(
						'description' => __( 'The visitor: contact, device, referrer, language, loggedIn, role.', 'chatflows' ),
						'type'        => 'object',
					),
				),
			)
		);
		register_rest_route(
			$this->namespace,
			'/chatflows/order',
			array(
				'methods'             => \WP_REST_Server::EDITABLE,
				'callback'            => array( $this, 'order' ),
				'permission_callback' => $manage,
				'args'                => array(
					'ids' => array(
						'description' => __( 'Every chatflow ID, highest priority first.', 'chatflows' ),
						'type'        => 'array',
						'items'       => array( 'type' => 'integer' ),
						'required'    => true,
					),
				),
			)
		);
		register_rest_route(
			$this->namespace,
			'/targeting',
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => array( $this, 'get_targeting' ),
				'permission_callback' => $manage,
			)
		);
		register_rest_route(
			$this->namespace,
			'/outside-origins',
			array(
				array(
					'methods'             => \WP_REST_Server::EDITABLE,
					'callback'            => array( $this, 'put_outside_origins' ),
					'permission_callback' => $manage,
					'args'                => array(
						'origins' => array(
							'description' => __( 'Sites outside WordPress, as https://shop.example.com.', 'chatflows' ),
							'required'    => true,
						),
					),
				),
			)
		);
		register_rest_route(
			$this->namespace,
			'/page-choices',
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => array( $this, 'page_choices' ),
				'permission_callback' => static function () {
					return current_user_can( 'edit_posts' );
				},
			)
		);
		register_rest_route(
			$this->namespace,
			'/widget/(?P<file>chat-window|targeting)\.js',
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => array( $this, 'widget_module' ),
				// Public: the same files as build/widget, with the CORS headers pages on other origins need.
				'permission_callback' => '__return_true',
			)
		);
		register_rest_route(
			$this->namespace,
			'/embed',
			array(
				'methods'             => \WP_REST_Server::READABLE,
				'callback'            => array( $this, 'embed' ),
				// Public: it answers the same public settings the site prints on its own pages.
				'permission_callback' => '__return_true',
				'args'                => array(
					'url' => array(
						'description' => __( 'The URL of the page outside WordPress.', 'chatflows' ),
						'type'        => 'string',
						'required'    => true,
						'maxLength'   => 2000,
					),
				),
			)
		);
	}

	/**
	 * "Where does chat show?".
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function test( $request ) {
		$url = trim( (string) $request->get_param( 'url' ) );
		if ( ! preg_match( '#^https?://[^/\s]+#i', $url ) ) {
			return Rest_Chatflows_Controller::invalid( array( 'url' => __( 'Enter a full address starting with http:// or https://.', 'chatflows' ) ) );
		}
		$given  = (array) ( $request->get_param( 'traits' ) ?? array() );
		$errors = array();
		$traits = array(
			'contact'  => $given['contact'] ?? 'unknown',
			'device'   => $given['device'] ?? 'desktop',
			'referrer' => (string) ( $given['referrer'] ?? '' ),
			'language' => (string) ( $given['language'] ?? '' ),
			'user'     => array(
				'loggedIn' => ! empty( $given['loggedIn'] ),
				'roles'    => ! empty( $given['loggedIn'] ) && ! empty( $given['role'] ) ? array( (string) $given['role'] ) : array(),
			),
		);
		if ( ! in_array( $traits['contact'], Targeting_Rules::CHOICES['contact'], true ) ) {
			$errors['traits.contact'] = __( 'Choose a known contact or an unknown visitor.', 'chatflows' );
		}
		if ( ! in_array( $traits['device'], Targeting_Rules::CHOICES['device'], true ) ) {
			$errors['traits.device'] = __( 'Choose desktop, tablet or mobile.', 'chatflows' );
		}
		if ( $errors ) {
			return Rest_Chatflows_Controller::invalid( $errors );
		}
		return rest_ensure_response( Targeting::explain( $url, $traits ) );
	}

	/**
	 * Saves the priority order: the IDs must be every chatflow, each once.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function order( $request ) {
		$ids   = array_map( 'intval', (array) $request->get_param( 'ids' ) );
		$posts = Chatflows::all();
		$known = wp_list_pluck( $posts, 'ID' );
		$given = $ids;
		sort( $known );
		sort( $given );
		if ( $known !== $given ) {
			return Rest_Chatflows_Controller::invalid( array( 'ids' => __( 'List every chatflow once. Reload the list: chatflows were added or deleted meanwhile.', 'chatflows' ) ) );
		}
		$by_id = array();
		foreach ( $posts as $post ) {
			$by_id[ $post->ID ] = $post;
		}
		foreach ( $ids as $position => $id ) {
			if ( (int) $by_id[ $id ]->menu_order !== $position * 10 ) {
				$result = Chatflows::update( $id, array( 'priority' => $position * 10 ) );
				if ( is_wp_error( $result ) ) {
					return $result;
				}
			}
		}
		$list = rest_do_request( new \WP_REST_Request( 'GET', '/' . $this->namespace . '/chatflows' ) );
		return rest_ensure_response(
			array(
				'chatflows' => $list->get_data(),
				'service'   => Service_Sync::push(),
			)
		);
	}

	/**
	 * What the Target tab offers: the site's roles and address, the allowed outside origins and what the snippet names.
	 *
	 * @return \WP_REST_Response
	 */
	public function get_targeting() {
		$roles = array();
		foreach ( wp_roles()->get_names() as $slug => $name ) {
			$roles[] = array(
				'value' => $slug,
				'label' => translate_user_role( $name ),
			);
		}
		return rest_ensure_response(
			array(
				'roles'   => $roles,
				'homeUrl' => home_url( '/' ),
				'origins' => Targeting_Outside_Pages::origins(),
				'embed'   => Targeting_Outside_Pages::embed_urls(),
			)
		);
	}

	/**
	 * Saves the allowed outside origins and tells the chat service.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function put_outside_origins( $request ) {
		$saved = Targeting_Outside_Pages::save( $request->get_param( 'origins' ) );
		if ( is_wp_error( $saved ) ) {
			return $saved;
		}
		return rest_ensure_response(
			array(
				'origins' => $saved,
				'embed'   => Targeting_Outside_Pages::embed_urls(),
				'service' => Service_Sync::push(),
			)
		);
	}

	/**
	 * The chatflows an editor may choose for a page, with what the block's preview shows.
	 *
	 * @return \WP_REST_Response
	 */
	public function page_choices() {
		$choices = array();
		foreach ( Chatflows::all() as $post ) {
			$public    = Frontend::public_settings( $post );
			$choices[] = array(
				'id'             => $post->ID,
				'title'          => $post->post_title,
				'enabled'        => 'publish' === $post->post_status,
				'accentColor'    => $public['accentColor'],
				'teamName'       => $public['heading']['teamName'],
				'welcomeMessage' => $public['welcomeMessage'],
			);
		}
		return rest_ensure_response( $choices );
	}

	/**
	 * A widget module for pages outside WordPress; Targeting_Outside_Pages::serve_module() sends it as JavaScript.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function widget_module( $request ) {
		if ( ! file_exists( Plugin::path( 'build/widget/' . $request->get_param( 'file' ) . '.js' ) ) ) {
			return new \WP_Error( 'chatflows_not_built', __( 'The widget is not built.', 'chatflows' ), array( 'status' => 404 ) );
		}
		return rest_ensure_response( array( 'file' => $request->get_param( 'file' ) ) );
	}

	/**
	 * Which chatflow serves an outside page.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function embed( $request ) {
		$url = (string) $request->get_param( 'url' );
		if ( ! Targeting_Outside_Pages::is_allowed_url( $url ) ) {
			return new \WP_Error(
				'chatflows_origin_not_allowed',
				__( 'This site does not list the page\'s site among the sites outside WordPress that may show its chat.', 'chatflows' ),
				array( 'status' => 403 )
			);
		}
		$response = rest_ensure_response( Targeting_Outside_Pages::embed( $url ) );
		$response->header( 'Cache-Control', 'public, max-age=' . self::EMBED_MAX_AGE );
		$response->header( 'Vary', 'Origin' );
		return $response;
	}
}
