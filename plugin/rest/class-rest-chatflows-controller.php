<?php
/**
 * REST routes of chatflows.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * `chatflows/v1/chatflows`: list, create, read, update, delete, duplicate, publish, unpublish.
 * Every route needs `chatflows_manage` (cookie-authenticated requests also need the `wp_rest` nonce,
 * which core checks). Writes answer the chatflow plus `service: { synced, message }`.
 */
final class Rest_Chatflows_Controller extends Rest_Controller {

	/**
	 * The routes' base.
	 *
	 * @var string
	 */
	protected $rest_base = 'chatflows';

	/**
	 * Registers the routes.
	 */
	public function register_routes() {
		$permission = array( Capabilities::class, 'rest_check_manage' );
		$id_arg     = array(
			'id' => array(
				'description' => __( 'Chatflow ID.', 'chatflows' ),
				'type'        => 'integer',
			),
		);
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base,
			array(
				array(
					'methods'             => \WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_items' ),
					'permission_callback' => $permission,
					'args'                => array(),
				),
				array(
					'methods'             => \WP_REST_Server::CREATABLE,
					'callback'            => array( $this, 'create_item' ),
					'permission_callback' => $permission,
					'args'                => array(
						'title'    => array(
							'description' => __( 'Name of the chatflow.', 'chatflows' ),
							// Checked by the callback, so that a missing name is reported like every other field.
						),
						'settings' => array(
							'description' => __( 'Settings; missing ones get their defaults.', 'chatflows' ),
							'type'        => 'object',
						),
					),
				),
				'schema' => array( $this, 'get_public_item_schema' ),
			)
		);
		register_rest_route(
			$this->namespace,
			'/' . $this->rest_base . '/(?P<id>\d+)',
			array(
				'args'   => $id_arg,
				array(
					'methods'             => \WP_REST_Server::READABLE,
					'callback'            => array( $this, 'get_item' ),
					'permission_callback' => $permission,
				),
				array(
					'methods'             => \WP_REST_Server::EDITABLE,
					'callback'            => array( $this, 'update_item' ),
					'permission_callback' => $permission,
					'args'                => array(
						'version'  => array(
							'description' => __( 'The version the editor loaded; a newer stored version refuses the save.', 'chatflows' ),
							'type'        => 'integer',
							'required'    => true,
						),
						'title'    => array(
							'description' => __( 'Name of the chatflow.', 'chatflows' ),
						),
						'settings' => array(
							'description' => __( 'Settings to change; the others keep their stored values.', 'chatflows' ),
							'type'        => 'object',
						),
						'priority' => array(
							'description' => __( 'Position in the priority order; lower comes first.', 'chatflows' ),
							'type'        => 'integer',
							'minimum'     => 0,
							'maximum'     => 10000,
						),
					),
				),
				array(
					'methods'             => \WP_REST_Server::DELETABLE,
					'callback'            => array( $this, 'delete_item' ),
					'permission_callback' => $permission,
				),
				'schema' => array( $this, 'get_public_item_schema' ),
			)
		);
		foreach ( array( 'duplicate', 'publish', 'unpublish' ) as $action ) {
			register_rest_route(
				$this->namespace,
				'/' . $this->rest_base . '/(?P<id>\d+)/' . $action,
				array(
					'args' => $id_arg,
					array(
						'methods'             => \WP_REST_Server::CREATABLE,
						'callback'            => array( $this, $action . '_item' ),
						'permission_callback' => $permission,
					),
				)
			);
		}
	}

	/**
	 * Lists chatflows by priority.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response
	 */
	public function get_items( $request ) {
		return rest_ensure_response( array_map( array( $this, 'item' ), Chatflows::all() ) );
	}

	/**
	 * One chatflow.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function get_item( $request ) {
		$post = $this->find( $request );
		return is_wp_error( $post ) ? $post : rest_ensure_response( $this->item( $post ) );
	}

	/**
	 * Creates a chatflow, off, with defaults for what is not given.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function create_item( $request ) {
		$title    = $request->get_param( 'title' );
		$settings = Chatflow_Settings::merge( Chatflow_Settings::defaults(), $request->get_param( 'settings' ) ?? array() );
		$errors   = Chatflows::validate_title( $title ) + Chatflow_Settings::validate( $settings );
		if ( $errors ) {
			return self::invalid( $errors );
		}
		$id = Chatflows::create( trim( $title ), Chatflow_Settings::sanitize( $settings ) );
		if ( is_wp_error( $id ) ) {
			return $id;
		}
		// A draft is off: the service learns of it on publish, but also gets the directory now.
		$response = rest_ensure_response( $this->item( get_post( $id ), Service_Sync::push() ) );
		$response->set_status( 201 );
		return $response;
	}

	/**
	 * Saves changes, unless the chatflow changed since the editor loaded it.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function update_item( $request ) {
		$post = $this->find( $request );
		if ( is_wp_error( $post ) ) {
			return $post;
		}
		$stored_version = Chatflows::version( $post->ID );
		if ( (int) $request->get_param( 'version' ) !== $stored_version ) {
			return new \WP_Error(
				'chatflows_conflict',
				__( 'Someone else saved this chatflow after you opened it. Reload it to see their changes, then make yours again.', 'chatflows' ),
				array(
					'status'  => 409,
					'version' => $stored_version,
				)
			);
		}

		$fields = array();
		$errors = array();
		if ( $request->has_param( 'title' ) ) {
			$errors         += Chatflows::validate_title( $request->get_param( 'title' ) );
			$fields['title'] = trim( (string) $request->get_param( 'title' ) );
		}
		if ( $request->has_param( 'settings' ) ) {
			$settings = Chatflow_Settings::merge( Chatflows::settings( $post->ID ), $request->get_param( 'settings' ) );
			$errors  += Chatflow_Settings::validate( $settings );
			if ( ! $errors ) {
				$fields['settings'] = Chatflow_Settings::sanitize( $settings );
			}
		}
		if ( $request->has_param( 'priority' ) ) {
			$fields['priority'] = (int) $request->get_param( 'priority' );
		}
		if ( $errors ) {
			return self::invalid( $errors );
		}
		return $this->save( $post->ID, $fields );
	}

	/**
	 * Deletes a chatflow.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function delete_item( $request ) {
		$post = $this->find( $request );
		if ( is_wp_error( $post ) ) {
			return $post;
		}
		$previous = $this->item( $post );
		Chatflows::delete( $post->ID );
		return rest_ensure_response(
			array(
				'deleted'  => true,
				'previous' => $previous,
				'service'  => Service_Sync::push(),
			)
		);
	}

	/**
	 * Copies a chatflow, off, named "… (copy)".
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function duplicate_item( $request ) {
		$post = $this->find( $request );
		if ( is_wp_error( $post ) ) {
			return $post;
		}
		/* translators: %s: name of the chatflow that was copied. */
		$title = mb_substr( sprintf( __( '%s (copy)', 'chatflows' ), $post->post_title ), 0, Chatflows::MAX_TITLE_LENGTH );
		$id    = Chatflows::create( $title, Chatflows::settings( $post->ID ) );
		if ( is_wp_error( $id ) ) {
			return $id;
		}
		$response = rest_ensure_response( $this->item( get_post( $id ), Service_Sync::push() ) );
		$response->set_status( 201 );
		return $response;
	}

	/**
	 * Turns a chatflow on.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function publish_item( $request ) {
		return $this->set_status( $request, 'publish' );
	}

	/**
	 * Turns a chatflow off.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function unpublish_item( $request ) {
		return $this->set_status( $request, 'draft' );
	}

	/**
	 * Publishes or unpublishes. Publishing re-validates, since teams or users may have gone since the save.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @param string           $status  `publish` or `draft`.
	 * @return \WP_REST_Response|\WP_Error
	 */
	private function set_status( $request, $status ) {
		$post = $this->find( $request );
		if ( is_wp_error( $post ) ) {
			return $post;
		}
		if ( 'publish' === $status ) {
			$errors = Chatflow_Settings::validate( Chatflows::settings( $post->ID ) );
			if ( $errors ) {
				return self::invalid( $errors );
			}
		}
		return $this->save( $post->ID, array( 'status' => $status ) );
	}

	/**
	 * Saves fields, tells the service and answers the chatflow.
	 *
	 * @param int   $id     Chatflow ID.
	 * @param array $fields Fields for Chatflows::update().
	 * @return \WP_REST_Response|\WP_Error
	 */
	private function save( $id, array $fields ) {
		$result = Chatflows::update( $id, $fields );
		if ( is_wp_error( $result ) ) {
			return $result;
		}
		return rest_ensure_response( $this->item( get_post( $id ), Service_Sync::push() ) );
	}

	/**
	 * The chatflow a request names.
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_Post|\WP_Error
	 */
	private function find( $request ) {
		$post = Chatflows::post( (int) $request->get_param( 'id' ) );
		if ( ! $post ) {
			return new \WP_Error( 'chatflows_not_found', __( 'There is no such chatflow.', 'chatflows' ), array( 'status' => 404 ) );
		}
		return $post;
	}

	/**
	 * A 400 error naming every offending field.
	 *
	 * @param array<string,string> $errors Messages by field path.
	 * @return \WP_Error
	 */
	public static function invalid( array $errors ) {
		return new \WP_Error(
			'rest_invalid_param',
			/* translators: %s: list of field names. */
			sprintf( __( 'Invalid parameter(s): %s', 'chatflows' ), implode( ', ', array_keys( $errors ) ) ),
			array(
				'status' => 400,
				'params' => $errors,
			)
		);
	}

	/**
	 * A chatflow as the REST API shows it.
	 *
	 * @param \WP_Post   $post    Chatflow post.
	 * @param array|null $service Result of telling the service, after a write.
	 * @return array
	 */
	private function item( \WP_Post $post, $service = null ) {
		$settings = Chatflows::settings( $post->ID );
		$item     = array(
			'id'       => $post->ID,
			'title'    => $post->post_title,
			'enabled'  => 'publish' === $post->post_status,
			// Drafts have no GMT dates of their own in WordPress: derive them from the local ones.
			'modified' => mysql_to_rfc3339( '0000-00-00 00:00:00' === $post->post_modified_gmt ? get_gmt_from_date( $post->post_modified ) : $post->post_modified_gmt ),
			'version'  => Chatflows::version( $post->ID ),
			'priority' => (int) $post->menu_order,
			'target'   => Chatflows::target_summary( $settings ),
			'settings' => Chatflow_Settings::to_json( $settings ),
		);
		if ( null !== $service ) {
			$item['service'] = $service;
		}
		return $item;
	}

	/**
	 * Schema of a chatflow.
	 *
	 * @return array
	 */
	public function get_item_schema() {
		if ( $this->schema ) {
			return $this->add_additional_fields_schema( $this->schema );
		}
		$this->schema = array(
			'$schema'    => 'http://json-schema.org/draft-04/schema#',
			'title'      => 'chatflows-chatflow',
			'type'       => 'object',
			'properties' => array(
				'id'       => array(
					'type'     => 'integer',
					'readonly' => true,
				),
				'title'    => array(
					'type'      => 'string',
					'maxLength' => Chatflows::MAX_TITLE_LENGTH,
				),
				'enabled'  => array(
					'description' => __( 'Published: the chatflow is on.', 'chatflows' ),
					'type'        => 'boolean',
					'readonly'    => true,
				),
				'modified' => array(
					'description' => __( 'Last change, in UTC.', 'chatflows' ),
					'type'        => 'string',
					'format'      => 'date-time',
					'readonly'    => true,
				),
				'version'  => array(
					'type' => 'integer',
				),
				'priority' => array(
					'type' => 'integer',
				),
				'target'   => array(
					'description' => __( 'Where the chatflow shows, in words.', 'chatflows' ),
					'type'        => 'string',
					'readonly'    => true,
				),
				'settings' => Chatflow_Settings::schema(),
			),
		);
		return $this->add_additional_fields_schema( $this->schema );
	}
}
