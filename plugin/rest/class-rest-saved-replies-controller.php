<?php
/**
 * REST routes of saved replies.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * `chatflows/v1/saved-replies` and `/saved-replies/<id>`. Agents (`chatflows_answer`) and managers
 * (`chatflows_manage`) list the replies they may use; managers write shared ones, every agent their own
 * personal ones (see `Saved_Replies`). A reply someone may not see answers 404, one they see but may not
 * change 403. Nothing here concerns the chat service: replies are inserted into the reply box, in the browser.
 */
final class Rest_Saved_Replies_Controller extends Rest_Controller {

	/** The fields a write takes. */
	const FIELDS = array( 'name', 'shortcut', 'text', 'language', 'scope', 'inboxId' );

	/**
	 * The routes' base.
	 *
	 * @var string
	 */
	protected $rest_base = 'saved-replies';

	/**
	 * Registers the routes.
	 */
	public function register_routes() {
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base,
			array(
				array(
					'methods'             => \WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_items' ),
					'permission_callback' => array( $this, 'get_items_permissions_check' ),
				),
				array(
					'methods'             => \WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'create_item' ),
					'permission_callback' => array( $this, 'create_item_permissions_check' ),
				),
			)
		);
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base . '/(?P<id>\d+)',
			array(
				'args' => array(
					'id' => array(
						'type'    => 'integer',
						'minimum' => 1,
					),
				),
				array(
					'methods'             => \WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_item' ),
					'permission_callback' => array( $this, 'get_item_permissions_check' ),
				),
				array(
					'methods'             => \WP_REST_Server::EDITABLE,
					'callback'            => array( $this, 'update_item' ),
					'permission_callback' => array( $this, 'update_item_permissions_check' ),
				),
				array(
					'methods'             => \WP_REST_Server::DELETABLE,
					'callback'            => array( $this, 'delete_item' ),
					'permission_callback' => array( $this, 'delete_item_permissions_check' ),
				),
			)
		);
	}

	/**
	 * Agents and managers.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return true|\WP_Error
	 */
	public function get_items_permissions_check( $request ) {
		if ( current_user_can( Capabilities::ANSWER ) || current_user_can( Capabilities::MANAGE ) ) {
			return true;
		}
		return new \WP_Error(
			'chatflows_cannot_answer',
			__( 'Sorry, you are not allowed to use saved replies.', 'chatflows' ),
			array( 'status' => rest_authorization_required_code() )
		);
	}

	/**
	 * A reply the user may see.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return true|\WP_Error
	 */
	public function get_item_permissions_check( $request ) {
		$allowed = $this->get_items_permissions_check( $request );
		if ( true !== $allowed ) {
			return $allowed;
		}
		return $this->visible_reply( $request ) ? true : self::not_found();
	}

	/**
	 * Shared replies: managers; personal ones: agents.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return true|\WP_Error
	 */
	public function create_item_permissions_check( $request ) {
		$allowed = $this->get_items_permissions_check( $request );
		return true === $allowed ? self::check_scope( $request ) : $allowed;
	}

	/**
	 * A reply the user may change, into a scope they may write.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return true|\WP_Error
	 */
	public function update_item_permissions_check( $request ) {
		$allowed = $this->delete_item_permissions_check( $request );
		return true === $allowed ? self::check_scope( $request ) : $allowed;
	}

	/**
	 * Whether the user may write a reply of the scope the request asks for (an unknown scope is left to
	 * validation, which names the field).
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return true|\WP_Error
	 */
	private static function check_scope( $request ) {
		$scope = $request->get_param( 'scope' );
		if ( in_array( $scope, Saved_Replies::SCOPES, true ) && ! Saved_Replies::may_hold_scope( $scope, get_current_user_id() ) ) {
			return self::forbidden( $scope );
		}
		return true;
	}

	/**
	 * A reply the user may change.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return true|\WP_Error
	 */
	public function delete_item_permissions_check( $request ) {
		$allowed = $this->get_item_permissions_check( $request );
		if ( true !== $allowed ) {
			return $allowed;
		}
		$reply = $this->visible_reply( $request );
		return $reply['editable'] ? true : self::forbidden( $reply['scope'] );
	}

	/**
	 * The replies the user may use.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response
	 */
	public function get_items( $request ) {
		return rest_ensure_response( Saved_Replies::visible_to( get_current_user_id() ) );
	}

	/**
	 * One reply.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response
	 */
	public function get_item( $request ) {
		return rest_ensure_response( $this->visible_reply( $request ) );
	}

	/**
	 * Creates a reply from `{ name, shortcut, text, language?, scope, inboxId? }`.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function create_item( $request ) {
		$user_id = get_current_user_id();
		$fields  = self::sanitized( $request ) + array(
			'name'     => null,
			'shortcut' => null,
			'text'     => null,
			'language' => '',
			'scope'    => null,
			'inboxId'  => 0,
		);
		$errors  = Saved_Replies::validate( $fields, $user_id );
		if ( $errors ) {
			return Rest_Chatflows_Controller::invalid( $errors );
		}
		$id       = Saved_Replies::save( $fields, $user_id );
		$response = rest_ensure_response( Saved_Replies::get( $id, $user_id ) );
		$response->set_status( 201 );
		return $response;
	}

	/**
	 * Changes a reply: the given fields over the stored ones.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function update_item( $request ) {
		$user_id = get_current_user_id();
		$stored  = $this->visible_reply( $request );
		$fields  = self::sanitized( $request ) + $stored;
		// A shared reply turned personal becomes the personal reply of whoever made it so.
		$owner_id = 'personal' === $stored['scope'] ? $stored['ownerId'] : $user_id;
		$errors   = Saved_Replies::validate( $fields, $owner_id, $stored['id'] );
		if ( $errors ) {
			return Rest_Chatflows_Controller::invalid( $errors );
		}
		Saved_Replies::save( $fields, $owner_id, $stored['id'] );
		return rest_ensure_response( Saved_Replies::get( $stored['id'], $user_id ) );
	}

	/**
	 * Deletes a reply: `{ deleted, previous }`.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response
	 */
	public function delete_item( $request ) {
		$reply = $this->visible_reply( $request );
		wp_delete_post( $reply['id'], true );
		return rest_ensure_response(
			array(
				'deleted'  => true,
				'previous' => $reply,
			)
		);
	}

	/**
	 * The reply the route names, when the current user may see it.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return array|null
	 */
	private function visible_reply( $request ) {
		$user_id = get_current_user_id();
		$reply   = Saved_Replies::get( (int) $request['id'], $user_id );
		return $reply && Saved_Replies::can_see( $reply, $user_id ) ? $reply : null;
	}

	/**
	 * The fields the request gives, unslashed by the REST API already, sanitized: names and choices as one
	 * line of text, the reply's text as plain text with its line breaks.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return array
	 */
	private static function sanitized( $request ) {
		$fields = array();
		foreach ( self::FIELDS as $name ) {
			if ( ! $request->has_param( $name ) ) {
				continue;
			}
			$value = $request->get_param( $name );
			if ( 'inboxId' === $name ) {
				$fields[ $name ] = is_numeric( $value ) ? (int) $value : -1;
			} elseif ( ! is_string( $value ) ) {
				$fields[ $name ] = null; // Refused by validation, with the field named.
			} elseif ( 'text' === $name ) {
				$fields[ $name ] = sanitize_textarea_field( $value );
			} else {
				$fields[ $name ] = trim( sanitize_text_field( $value ) );
			}
		}
		return $fields;
	}

	/**
	 * 403 for a scope the user may not write.
	 *
	 * @param string $scope Scope.
	 * @return \WP_Error
	 */
	private static function forbidden( $scope ) {
		return new \WP_Error(
			'chatflows_cannot_edit_saved_reply',
			'personal' === $scope
				? __( 'Sorry, only its owner may change a personal saved reply.', 'chatflows' )
				: __( 'Sorry, only managers may change saved replies shared with other agents.', 'chatflows' ),
			array( 'status' => rest_authorization_required_code() )
		);
	}

	/**
	 * 404.
	 *
	 * @return \WP_Error
	 */
	private static function not_found() {
		return new \WP_Error( 'chatflows_not_found', __( 'Not found.', 'chatflows' ), array( 'status' => 404 ) );
	}
}
