<?php
/**
 * uninstall.php runs without the plugin loaded (WordPress includes it on its own), so it must
 * load every class the uninstaller uses.
 *
 * @package Chatflows
 */

namespace Chatflows\Tests;

/**
 * The files uninstall.php requires.
 */
class UninstallFileTest extends TestCase {

	public function test_uninstall_php_requires_every_plugin_class_the_uninstaller_names() {
		$root      = dirname( __DIR__, 2 );
		$sources   = file_get_contents( $root . '/uninstall.php' ) . file_get_contents( $root . '/plugin/class-uninstaller.php' );
		$required  = file_get_contents( $root . '/uninstall.php' );
		$class_map = array();
		foreach ( glob( $root . '/plugin/class-*.php' ) as $file ) {
			// class-inbox-waiting-counts.php holds Inbox_Waiting_Counts, and so on.
			$name               = str_replace( ' ', '_', ucwords( str_replace( '-', ' ', substr( basename( $file, '.php' ), 6 ) ) ) );
			$class_map[ $name ] = basename( $file );
		}

		preg_match_all( '/\b([A-Z][A-Za-z]*(?:_[A-Z][A-Za-z]*)*)::/', $sources, $matches );
		$named = array_unique( $matches[1] );
		$this->assertNotEmpty( $named );
		foreach ( $named as $class ) {
			if ( ! isset( $class_map[ $class ] ) ) {
				continue;
			}
			$this->assertStringContainsString(
				"'/plugin/" . $class_map[ $class ] . "'",
				$required,
				"uninstall.php must require plugin/{$class_map[ $class ]} for {$class}."
			);
		}
	}
}
