<?php
/**
 * Runs when the plugin is deleted from the Plugins screen (WordPress loads this file, not the plugin).
 *
 * @package Chatflows
 */

namespace Chatflows;

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

require_once __DIR__ . '/plugin/class-service-connection.php';
require_once __DIR__ . '/plugin/class-capabilities.php';
require_once __DIR__ . '/plugin/class-chatflow-post-type.php';
require_once __DIR__ . '/plugin/class-chatflows.php';
require_once __DIR__ . '/plugin/class-directory.php';
require_once __DIR__ . '/plugin/class-inbox-waiting-counts.php';
require_once __DIR__ . '/plugin/class-privacy-settings.php';
require_once __DIR__ . '/plugin/class-rest-service-controller.php';
require_once __DIR__ . '/plugin/class-targeting.php';
require_once __DIR__ . '/plugin/class-targeting-outside-pages.php';
require_once __DIR__ . '/plugin/class-uninstaller.php';

Uninstaller::uninstall();
