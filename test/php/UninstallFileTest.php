<?php
/**
 * uninstall.php runs without the plugin loaded (WordPress includes it on its own), so it must
 * register the autoloader itself for the classes the uninstaller uses.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

use Chatflows\Autoloader;

/**
 * What uninstall.php loads.
 */
class UninstallFileTest extends TestCase {

	public function test_uninstall_php_registers_the_autoloader_before_it_uninstalls() {
		$source = file_get_contents( dirname( __DIR__, 2 ) . '/uninstall.php' );
		$loads  = strpos( $source, "require_once __DIR__ . '/plugin/class-autoloader.php';" );
		$starts = strpos( $source, 'Autoloader::register( __DIR__ . \'/plugin\' );' );
		$runs   = strpos( $source, 'Uninstaller::uninstall();' );
		$this->assertNotFalse( $loads );
		$this->assertNotFalse( $starts );
		$this->assertNotFalse( $runs );
		$this->assertLessThan( $starts, $loads );
		$this->assertLessThan( $runs, $starts );
	}

	public function test_the_autoloader_finds_every_plugin_class_the_uninstaller_names() {
		$source = file_get_contents( dirname( __DIR__, 2 ) . '/plugin/class-uninstaller.php' );
		preg_match_all( '/\b([A-Z][A-Za-z0-9]*(?:_[A-Z][A-Za-z0-9]*)*)::/', $source, $matches );
		$named = array_unique( $matches[1] );
		$this->assertContains( 'Rest_Service_Controller', $named );
		foreach ( $named as $class ) {
			$this->assertNotNull( Autoloader::file( 'Chatflows\\' . $class ), "the autoloader finds Chatflows\\{$class}" );
		}
	}
}
