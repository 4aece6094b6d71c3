<?php
/**
 * Runs when the plugin is deleted from the Plugins screen (WordPress loads this file, not the plugin).
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

// WordPress loads this file without the plugin: its classes load through the same autoloader.
require_once __DIR__ . '/plugin/class-autoloader.php';
Autoloader::register( __DIR__ . '/plugin' );

Uninstaller::uninstall();
