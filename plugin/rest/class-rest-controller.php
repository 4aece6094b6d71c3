<?php
/**
 * What every REST controller of the plugin shares.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * A `WP_REST_Controller` in the plugin's namespace, `chatflows/v1`. Each controller sets its `rest_base` (when
 * its routes share one) and registers its routes in `register_routes()`, each with a `permission_callback`.
 */
abstract class Rest_Controller extends \WP_REST_Controller {

	/**
	 * The plugin's REST namespace.
	 *
	 * @var string
	 */
	protected $namespace = 'chatflows/v1';
}
