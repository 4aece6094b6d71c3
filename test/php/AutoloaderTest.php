<?php
/**
 * The plugin's classes load through its autoloader, from files named after them.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Autoloader;
use Chatflows\Rest_Targeting_Controller;
use FilesystemIterator;
use RecursiveDirectoryIterator;
use RecursiveIteratorIterator;
use ReflectionClass;

/**
 * plugin/class-autoloader.php.
 */
class AutoloaderTest extends TestCase {

	/**
	 * Every PHP file under plugin/, relative to it.
	 *
	 * @return string[]
	 */
	private static function php_files() {
		$root  = dirname( __DIR__, 2 ) . '/plugin/';
		$files = array();
		$walk  = new RecursiveIteratorIterator( new RecursiveDirectoryIterator( $root, FilesystemIterator::SKIP_DOTS ) );
		foreach ( $walk as $file ) {
			if ( 'php' === $file->getExtension() ) {
				$files[] = substr( $file->getPathname(), strlen( $root ) );
			}
		}
		sort( $files );
		return $files;
	}

	public function test_every_class_file_in_plugin_loads_its_class_through_the_autoloader() {
		$root    = dirname( __DIR__, 2 ) . '/plugin/';
		$classes = 0;
		foreach ( self::php_files() as $relative ) {
			if ( 'functions.php' === $relative ) {
				continue;
			}
			// rest/class-rest-targeting-controller.php holds Chatflows\Rest_Targeting_Controller, and so on.
			$this->assertMatchesRegularExpression( '/^(?:[a-z]+\/)?class-[a-z0-9]+(?:-[a-z0-9]+)*\.php$/', $relative, "plugin/{$relative}: class files are named class-*.php (anything else is never loaded)" );
			$name  = str_replace( ' ', '_', ucwords( str_replace( '-', ' ', substr( basename( $relative, '.php' ), 6 ) ) ) );
			$class = 'Chatflows\\' . $name;
			$this->assertTrue( class_exists( $class ), "plugin/{$relative} must hold the class {$class}" );
			$this->assertSame( realpath( $root . $relative ), realpath( ( new ReflectionClass( $class ) )->getFileName() ), "{$class} comes from plugin/{$relative}" );
			$this->assertSame( realpath( $root . $relative ), realpath( (string) Autoloader::file( $class ) ), "the autoloader finds plugin/{$relative} (is its folder in Autoloader::PARTS?)" );
			++$classes;
		}
		$this->assertGreaterThan( 30, $classes );
	}

	public function test_no_two_parts_hold_files_of_the_same_name() {
		$names = array_map( 'basename', self::php_files() );
		$this->assertSame( array_unique( $names ), $names );
	}

	public function test_the_old_name_of_a_renamed_class_still_loads() {
		$this->assertTrue( class_exists( 'Chatflows\Targeting_Rest_Controller' ) );
		$this->assertInstanceOf( Rest_Targeting_Controller::class, new \Chatflows\Targeting_Rest_Controller() );
	}

	public function test_classes_outside_the_plugins_namespace_are_left_to_other_autoloaders() {
		$this->assertNull( Autoloader::file( 'Another_Plugin\Plugin' ) );
		$this->assertNull( Autoloader::file( 'Plugin' ) );
		$this->assertNull( Autoloader::file( 'Chatflows\Tests\TestCase' ) );
		$this->assertNull( Autoloader::file( 'Chatflows\No_Such_Class' ) );
		$this->assertNull( Autoloader::file( 'Chatflows\..\..\wp-config' ) );
		$this->assertFalse( class_exists( 'Chatflows\No_Such_Class' ) );
	}
}
