<?php
/**
 * Every REST route of the plugin belongs to a WP_REST_Controller in plugin/rest/ and says who may call it.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Plugin;
use Chatflows\Rest_Controller;
use WP_REST_Controller;

/**
 * The routes of `chatflows/v1`.
 */
class RestControllersTest extends TestCase {

	public function test_every_route_is_served_by_a_rest_controller_of_the_plugin_with_a_permission_callback() {
		$routes = rest_get_server()->get_routes( 'chatflows/v1' );
		unset( $routes['/chatflows/v1'] ); // The namespace's index, which WordPress serves itself.
		$this->assertGreaterThan( 20, count( $routes ) );
		$controllers = array();
		foreach ( $routes as $route => $handlers ) {
			foreach ( $handlers as $handler ) {
				$methods = implode( ',', array_keys( $handler['methods'] ) );
				$this->assertIsArray( $handler['callback'], "{$methods} {$route}" );
				$controller = $handler['callback'][0];
				$this->assertInstanceOf( WP_REST_Controller::class, $controller, "{$methods} {$route} is served by a WP_REST_Controller" );
				$this->assertInstanceOf( Rest_Controller::class, $controller, "{$methods} {$route}: the plugin's controllers share Rest_Controller" );
				$class = get_class( $controller );
				$this->assertMatchesRegularExpression( '/^Chatflows\\\\Rest_[A-Za-z_]+_Controller$/', $class, "{$methods} {$route}" );
				$this->assertStringContainsString( '/plugin/rest/', ( new \ReflectionClass( $class ) )->getFileName() );
				$this->assertArrayHasKey( 'permission_callback', $handler, "{$methods} {$route}" );
				$this->assertTrue( is_callable( $handler['permission_callback'] ), "{$methods} {$route} has a permission_callback" );
				$controllers[ $class ] = true;
			}
		}
		$this->assertCount( 9, $controllers, implode( ', ', array_keys( $controllers ) ) );
		$this->assertEqualsCanonicalizing( Plugin::REST_CONTROLLERS, array_keys( $controllers ) );
	}

	public function test_only_the_rest_folder_registers_routes() {
		$root = dirname( __DIR__, 2 );
		foreach ( array_merge( glob( $root . '/plugin/*.php' ), glob( $root . '/plugin/*/*.php' ) ) as $file ) {
			$relative = substr( $file, strlen( $root ) + 1 );
			// The controllers, but not their shared base class.
			$controller = 'rest' === basename( dirname( $file ) ) && 'class-rest-controller.php' !== basename( $file );
			$registers  = 1 === preg_match( '/\bregister_rest_route\(/', (string) file_get_contents( $file ) );
			$this->assertSame( $controller, $registers, $relative . ( $controller ? ' is a REST controller' : ' registers no route (REST controllers live in plugin/rest/)' ) );
		}
	}
}
