<?php
/**
 * Loads the plugin's classes when first used.
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

/**
 * Class `Chatflows\Foo_Bar` lives in `class-foo-bar.php`, in plugin/ itself or in one of its parts (the
 * folders below). A new class needs no list to be kept; a new folder is added to PARTS (the PHP tests fail
 * for a class file the autoloader cannot find). Composer's autoloader is not used: the plugin zip ships
 * without vendor/.
 */
final class Autoloader {

	/** The namespace the plugin's classes live in. */
	const PREFIX = __NAMESPACE__ . '\\';

	/**
	 * The folders of plugin/ that hold classes ('' is plugin/ itself), in the order they are searched.
	 */
	const PARTS = array( '', 'rest', 'chatflows', 'targeting', 'visitors', 'directory', 'service', 'privacy', 'admin', 'replies' );

	/**
	 * Old names of renamed classes, still loadable for code outside the plugin that names them.
	 */
	const RENAMED = array(
		'Targeting_Rest_Controller' => 'Rest_Targeting_Controller',
	);

	/**
	 * Absolute path of plugin/, with a trailing slash.
	 *
	 * @var string
	 */
	private static $root = '';

	/**
	 * Registers the autoloader (once, however often it is called).
	 *
	 * @param string $root Absolute path of plugin/.
	 */
	public static function register( $root ) {
		self::$root = rtrim( $root, '/\\' ) . '/';
		spl_autoload_register( array( self::class, 'load' ) );
	}

	/**
	 * The file a class of the plugin lives in.
	 *
	 * @param string $class_name Fully qualified class name.
	 * @return string|null Absolute path, or null for a class that is not the plugin's or has no file.
	 */
	public static function file( $class_name ) {
		$name = self::short_name( $class_name );
		if ( null === $name ) {
			return null;
		}
		$file = 'class-' . strtolower( str_replace( '_', '-', $name ) ) . '.php';
		foreach ( self::PARTS as $part ) {
			$path = self::$root . ( '' === $part ? '' : $part . '/' ) . $file;
			if ( is_file( $path ) ) {
				return $path;
			}
		}
		return null;
	}

	/**
	 * The spl_autoload callback.
	 *
	 * @param string $class_name Fully qualified class name.
	 */
	public static function load( $class_name ) {
		$name = self::short_name( $class_name );
		if ( null !== $name && isset( self::RENAMED[ $name ] ) ) {
			class_alias( self::PREFIX . self::RENAMED[ $name ], $class_name );
			return;
		}
		$file = self::file( $class_name );
		if ( null !== $file ) {
			require_once $file;
		}
	}

	/**
	 * A class name without the plugin's namespace.
	 *
	 * @param string $class_name Fully qualified class name.
	 * @return string|null Null for a class outside the namespace (or in a namespace under it).
	 */
	private static function short_name( $class_name ) {
		$class_name = ltrim( (string) $class_name, '\\' );
		if ( 0 !== strncasecmp( $class_name, self::PREFIX, strlen( self::PREFIX ) ) ) {
			return null;
		}
		$name = substr( $class_name, strlen( self::PREFIX ) );
		return preg_match( '/^[A-Za-z0-9]+(?:_[A-Za-z0-9]+)*$/', $name ) ? $name : null;
	}
}
