<?php
/**
 * REST route that identifies the logged-in user to the chat widget.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * `POST /chatflows/v1/identification-token`: a short-lived token for the
 * current user, with their e-mail address only when WordPress confirmed it
 * (see `Identification`). Cookie-authenticated requests need the
 * `wp_rest` nonce (core checks it: without it the request runs as a
 * logged-out user and is refused here), so the token is fetched by the page's
 * script, never printed into HTML a cache could keep.
 */
final class Rest_Identification_Controller extends Rest_Controller {

	/**
	 * The routes' base.
	 *
	 * @var string
	 */
	protected $rest_base = 'identification-token';

	/**
	 * Registers the route.
	 */
	public function register_routes() {
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base,
			array(
				array(
					'methods'             => \WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'create_item' ),
					'permission_callback' => array( $this, 'create_item_permissions_check' ),
					'args'                => array(),
				),
				'schema' => array( $this, 'get_public_item_schema' ),
			)
		);
	}

	/**
	 * Any logged-in user may identify themselves.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return true|\WP_Error
	 */
	public function create_item_permissions_check( $request ) {
		if ( is_user_logged_in() ) {
			return true;
		}
		return new \WP_Error(
			'chatflows_not_logged_in',
			__( 'Log in to be identified in the chat.', 'chatflows' ),
			array( 'status' => rest_authorization_required_code() )
		);
	}

	/**
	 * Signs a token for the current user.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function create_item( $request ) {
		// Read afresh: the address may have changed earlier in this request.
		$user = get_userdata( get_current_user_id() );
		if ( ! $user ) {
			return $this->create_item_permissions_check( $request );
		}
		$signed = Identification::for_user( $user );
		if ( is_wp_error( $signed ) ) {
			return $signed;
		}
		$response = rest_ensure_response( $signed );
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}

	/**
	 * Schema of the response.
	 *
	 * @return array
	 */
	public function get_item_schema() {
		if ( $this->schema ) {
			return $this->add_additional_fields_schema( $this->schema );
		}
		$this->schema = array(
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'chatflows-identification-token',
			'type'       => 'object',
			'properties' => array(
				'email'      => array(
					'description' => __( 'The e-mail address the token identifies; pass it as identificationEmail. Null when WordPress has not confirmed the user\'s address: the chat then treats the visitor as anonymous.', 'chatflows' ),
					'type'        => array( 'string', 'null' ),
					'readonly'    => true,
				),
				'token'      => array(
					'description' => __( 'Signed token for the chat widget; pass it as identificationToken.', 'chatflows' ),
					'type'        => 'string',
					'readonly'    => true,
				),
				'expires_at' => array(
					'description' => __( 'When the token expires, in UTC.', 'chatflows' ),
					'type'        => 'string',
					'format'      => 'date-time',
					'readonly'    => true,
				),
			),
		);
		return $this->add_additional_fields_schema( $this->schema );
	}
}
