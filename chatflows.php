<?php
/**
 * Plugin Name:       Chatflows
 * Plugin URI:        https://wordpress.org/plugins/chatflows/
 * Description:       Live chat for your site: chatflows you configure in wp-admin, a light visitor widget, and an inbox where your team answers in real time.
 * Version:           0.1.0
 * Requires at least: 6.1
 * Requires PHP:      7.4
 * Author:            The Chatflows contributors
 * License:           GPL-2.0-or-later
 * License URI:       https://www.gnu.org/licenses/gpl-2.0.html
 * Text Domain:       chatflows
 * Domain Path:       /languages
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'ABSPATH' ) || exit;

const VERSION     = '0.1.0';
const PLUGIN_FILE = __FILE__;

// The plugin's classes load when first used (see plugin/class-autoloader.php).
require_once __DIR__ . '/plugin/class-autoloader.php';
Autoloader::register( __DIR__ . '/plugin' );
require_once __DIR__ . '/plugin/functions.php';

register_activation_hook( __FILE__, array( Plugin::class, 'activate' ) );

Plugin::boot();
