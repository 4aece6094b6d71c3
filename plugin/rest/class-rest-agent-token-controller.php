<?php
/**
 * REST route that gives an agent a short-lived token for the chat service.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * `POST /chatflows/v1/agent-token`.
 *
 * Cookie-authenticated requests need the `wp_rest` nonce (core checks it:
 * without it the request runs as a logged-out user and is refused here).
 */
final class Rest_Agent_Token_Controller extends Rest_Controller {

	/**
	 * Seconds a token stays valid. The service ends a connection whose token expired, so the inbox renews it on
	 * the open connection before then, and asks for a new one on every (re)connection.
	 */
	const LIFETIME = 300;

	/** Audience the service requires. */
	const AUDIENCE = 'chatflows-service';

	/**
	 * The routes' base.
	 *
	 * @var string
	 */
	protected $rest_base = 'agent-token';

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
	 * Only users who may answer chats get a token.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return true|\WP_Error
	 */
	public function create_item_permissions_check( $request ) {
		if ( current_user_can( Capabilities::ANSWER ) ) {
			return true;
		}
		return new \WP_Error(
			'chatflows_cannot_answer',
			__( 'Sorry, you are not allowed to answer chats.', 'chatflows' ),
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
		$user   = wp_get_current_user();
		$rights = Agent_Access::rights_of( $user->ID );
		if ( null === $rights ) {
			return $this->create_item_permissions_check( $request );
		}
		$signed = Service_Connection::sign_token(
			self::AUDIENCE,
			array(
				'sub'  => (string) $user->ID,
				'name' => $user->display_name,
			) + $rights,
			self::LIFETIME
		);
		if ( is_wp_error( $signed ) ) {
			return $signed;
		}

		$response = rest_ensure_response(
			$signed + array(
				'expires_in' => self::LIFETIME,
				'service'    => Service_Connection::url(),
			)
		);
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
			'title'      => 'chatflows-agent-token',
			'type'       => 'object',
			'properties' => array(
				'token'      => array(
					'description' => __( 'Signed token for the chat service.', 'chatflows' ),
					'type'        => 'string',
					'readonly'    => true,
				),
				'expires_at' => array(
					'description' => __( 'When the token expires, in UTC.', 'chatflows' ),
					'type'        => 'string',
					'format'      => 'date-time',
					'readonly'    => true,
				),
				'expires_in' => array(
					'description' => __( 'Seconds the token stays valid.', 'chatflows' ),
					'type'        => 'integer',
					'readonly'    => true,
				),
				'service'    => array(
					'description' => __( 'URL of the chat service.', 'chatflows' ),
					'type'        => 'string',
					'format'      => 'uri',
					'readonly'    => true,
				),
			),
		);
		return $this->add_additional_fields_schema( $this->schema );
	}
}
