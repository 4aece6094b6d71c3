<?php
/**
 * REST routes of teams, agents and inboxes.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * `chatflows/v1/teams`, `/teams/<id>`, `/agents`, `/agents/<id>` (capacity), `/inboxes`, `/inboxes/<id>`.
 * Every route needs `chatflows_manage`. Writes tell the chat service and answer `service: { synced, message }`.
 */
final class Rest_Directory_Controller extends Rest_Controller {

	/**
	 * Registers the routes.
	 */
	public function register_routes() {
		$permission = array( Capabilities::class, 'rest_check_manage' );
		$id_arg     = array(
			'id' => array(
				'type'    => 'integer',
				'minimum' => 1,
			),
		);
		foreach ( array( 'teams', 'inboxes' ) as $collection ) {
			register_rest_route(
				$this->namespace,
				'/' . $collection,
				array(
					array(
						'methods'             => \WP_REST_Server::READABLE,
						'callback'            => array( $this, "list_{$collection}" ),
						'permission_callback' => $permission,
					),
					array(
						'methods'             => \WP_REST_Server::CREATABLE,
						'callback'            => array( $this, "create_{$collection}" ),
						'permission_callback' => $permission,
					),
				)
			);
			register_rest_route(
				$this->namespace,
				'/' . $collection . '/(?P<id>\d+)',
				array(
					'args' => $id_arg,
					array(
						'methods'             => \WP_REST_Server::READABLE,
						'callback'            => array( $this, "get_{$collection}" ),
						'permission_callback' => $permission,
					),
					array(
						'methods'             => \WP_REST_Server::EDITABLE,
						'callback'            => array( $this, "update_{$collection}" ),
						'permission_callback' => $permission,
					),
					array(
						'methods'             => \WP_REST_Server::DELETABLE,
						'callback'            => array( $this, "delete_{$collection}" ),
						'permission_callback' => $permission,
					),
				)
			);
		}
		register_rest_route(
			$this->namespace,
			'/agents',
			array(
				array(
					'methods'             => \WP_REST_Server::READABLE,
					'callback'            => array( $this, 'list_agents' ),
					'permission_callback' => $permission,
				),
			)
		);
		register_rest_route(
			$this->namespace,
			'/agents/(?P<id>\d+)',
			array(
				'args' => $id_arg,
				array(
					'methods'             => \WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_agent' ),
					'permission_callback' => $permission,
				),
				array(
					'methods'             => \WP_REST_Server::EDITABLE,
					'callback'            => array( $this, 'update_agent' ),
					'permission_callback' => $permission,
				),
			)
		);
	}

	/**
	 * Every team.
	 *
	 * @return \WP_REST_Response
	 */
	public function list_teams() {
		return rest_ensure_response( Directory::teams() );
	}

	/**
	 * One team.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function get_teams( $request ) {
		$team = Directory::team( (int) $request['id'] );
		return $team ? rest_ensure_response( $team ) : self::not_found();
	}

	/**
	 * Creates a team from `{ name, memberIds }`.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function create_teams( $request ) {
		$fields = self::fields( $request, array( 'name', 'memberIds' ) );
		$errors = Directory::validate_team( $fields, true );
		if ( $errors ) {
			return Rest_Chatflows_Controller::invalid( $errors );
		}
		$fields['name'] = trim( $fields['name'] );
		$id             = Directory::save_team( $fields + array( 'memberIds' => array() ) );
		return self::written( Directory::team( $id ), 201 );
	}

	/**
	 * Changes a team's name or members.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function update_teams( $request ) {
		$id = (int) $request['id'];
		if ( ! Directory::team( $id ) ) {
			return self::not_found();
		}
		$fields = self::fields( $request, array( 'name', 'memberIds' ) );
		$errors = Directory::validate_team( $fields, false );
		if ( $errors ) {
			return Rest_Chatflows_Controller::invalid( $errors );
		}
		if ( isset( $fields['name'] ) ) {
			$fields['name'] = trim( $fields['name'] );
		}
		Directory::save_team( $fields, $id );
		return self::written( Directory::team( $id ) );
	}

	/**
	 * Deletes a team, unless a chatflow assigns chats to it.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function delete_teams( $request ) {
		$id   = (int) $request['id'];
		$team = Directory::team( $id );
		if ( ! $team ) {
			return self::not_found();
		}
		foreach ( Chatflows::all() as $post ) {
			if ( in_array( $id, array_map( 'intval', Chatflows::settings( $post->ID )['assignment']['teamIds'] ), true ) ) {
				return new \WP_Error(
					'chatflows_team_in_use',
					/* translators: %s: chatflow name. */
					sprintf( __( 'The chatflow "%s" assigns chats to this team. Remove the team from it first.', 'chatflows' ), $post->post_title ),
					array( 'status' => 409 )
				);
			}
		}
		Directory::delete_team( $id );
		return self::written(
			array(
				'deleted'  => true,
				'previous' => $team,
			)
		);
	}

	/**
	 * Every inbox.
	 *
	 * @return \WP_REST_Response
	 */
	public function list_inboxes() {
		return rest_ensure_response( Directory::inboxes() );
	}

	/**
	 * One inbox.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function get_inboxes( $request ) {
		$inbox = Directory::inbox( (int) $request['id'] );
		return $inbox ? rest_ensure_response( $inbox ) : self::not_found();
	}

	/**
	 * Creates an inbox from `{ name, agentIds, teamIds }`.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function create_inboxes( $request ) {
		$fields = self::fields( $request, array( 'name', 'agentIds', 'teamIds' ) );
		$errors = Directory::validate_inbox( $fields, true );
		if ( $errors ) {
			return Rest_Chatflows_Controller::invalid( $errors );
		}
		$fields['name'] = trim( $fields['name'] );
		$id             = Directory::save_inbox( $fields );
		return self::written( Directory::inbox( $id ), 201 );
	}

	/**
	 * Changes an inbox.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function update_inboxes( $request ) {
		$id = (int) $request['id'];
		if ( ! Directory::inbox( $id ) ) {
			return self::not_found();
		}
		$fields = self::fields( $request, array( 'name', 'agentIds', 'teamIds' ) );
		$errors = Directory::validate_inbox( $fields, false );
		if ( $errors ) {
			return Rest_Chatflows_Controller::invalid( $errors );
		}
		if ( isset( $fields['name'] ) ) {
			$fields['name'] = trim( $fields['name'] );
		}
		Directory::save_inbox( $fields, $id );
		return self::written( Directory::inbox( $id ) );
	}

	/**
	 * Deletes an inbox, unless it is the default one or a chatflow uses it.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function delete_inboxes( $request ) {
		$id    = (int) $request['id'];
		$inbox = Directory::inbox( $id );
		if ( ! $inbox ) {
			return self::not_found();
		}
		if ( $inbox['isDefault'] ) {
			return new \WP_Error( 'chatflows_default_inbox', __( 'The default inbox cannot be deleted.', 'chatflows' ), array( 'status' => 409 ) );
		}
		foreach ( Chatflows::all() as $post ) {
			if ( (int) Chatflows::settings( $post->ID )['inboxId'] === $id ) {
				return new \WP_Error(
					'chatflows_inbox_in_use',
					/* translators: %s: chatflow name. */
					sprintf( __( 'The chatflow "%s" sends its conversations to this inbox. Choose another inbox for it first.', 'chatflows' ), $post->post_title ),
					array( 'status' => 409 )
				);
			}
		}
		wp_delete_post( $id, true );
		return self::written(
			array(
				'deleted'  => true,
				'previous' => $inbox,
			)
		);
	}

	/**
	 * Every agent.
	 *
	 * @return \WP_REST_Response
	 */
	public function list_agents() {
		return rest_ensure_response( Directory::agents() );
	}

	/**
	 * One agent.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function get_agent( $request ) {
		$agent = Directory::agent( (int) $request['id'] );
		return $agent ? rest_ensure_response( $agent ) : self::not_found();
	}

	/**
	 * Sets an agent's capacity, `{ capacity }`.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function update_agent( $request ) {
		$id = (int) $request['id'];
		if ( ! Directory::agent( $id ) ) {
			return self::not_found();
		}
		$capacity = $request->get_param( 'capacity' );
		if ( ! is_int( $capacity ) && ! ( is_string( $capacity ) && ctype_digit( $capacity ) ) || (int) $capacity < Directory::MIN_CAPACITY || (int) $capacity > Directory::MAX_CAPACITY ) {
			return Rest_Chatflows_Controller::invalid(
				array(
					/* translators: 1: lowest capacity, 2: highest capacity. */
					'capacity' => sprintf( __( 'The capacity must be a whole number from %1$d to %2$d.', 'chatflows' ), Directory::MIN_CAPACITY, Directory::MAX_CAPACITY ),
				)
			);
		}
		update_user_meta( $id, Directory::CAPACITY_META, (int) $capacity );
		return self::written( Directory::agent( $id ) );
	}

	/**
	 * The given fields among the known ones.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @param string[]         $names   Known fields.
	 * @return array
	 */
	private static function fields( $request, array $names ) {
		$fields = array();
		foreach ( $names as $name ) {
			if ( $request->has_param( $name ) ) {
				$fields[ $name ] = $request->get_param( $name );
			}
		}
		return $fields;
	}

	/**
	 * A write's answer: the data plus what the service was told.
	 *
	 * @param array $data   Data.
	 * @param int   $status HTTP status.
	 * @return \WP_REST_Response
	 */
	private static function written( array $data, $status = 200 ) {
		$data['service'] = Service_Sync::push();
		// A team or inbox change may change any agent's scope: their open connections follow at once.
		Agent_Access::send_all_agents();
		$response = rest_ensure_response( $data );
		$response->set_status( $status );
		return $response;
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
