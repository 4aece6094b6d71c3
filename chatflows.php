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

require_once __DIR__ . '/plugin/class-service-connection.php';
require_once __DIR__ . '/plugin/class-jwt.php';
require_once __DIR__ . '/plugin/class-capabilities.php';
require_once __DIR__ . '/plugin/class-chatflow-post-type.php';
require_once __DIR__ . '/plugin/class-i18n.php';
require_once __DIR__ . '/plugin/class-chatflow-settings.php';
require_once __DIR__ . '/plugin/class-chatflows.php';
require_once __DIR__ . '/plugin/class-directory.php';
require_once __DIR__ . '/plugin/class-service-sync.php';
require_once __DIR__ . '/plugin/class-agent-access.php';
require_once __DIR__ . '/plugin/class-rest-chatflows-controller.php';
require_once __DIR__ . '/plugin/class-rest-directory-controller.php';
require_once __DIR__ . '/plugin/class-rest-service-controller.php';
require_once __DIR__ . '/plugin/class-rest-agent-token-controller.php';
require_once __DIR__ . '/plugin/class-rest-knowledge-base-controller.php';
require_once __DIR__ . '/plugin/class-identification.php';
require_once __DIR__ . '/plugin/class-rest-identification-controller.php';
require_once __DIR__ . '/plugin/class-email-confirmation.php';
require_once __DIR__ . '/plugin/class-frontend.php';
require_once __DIR__ . '/plugin/class-targeting-rules.php';
require_once __DIR__ . '/plugin/class-targeting.php';
require_once __DIR__ . '/plugin/class-targeting-outside-pages.php';
require_once __DIR__ . '/plugin/class-targeting-blocks.php';
require_once __DIR__ . '/plugin/class-targeting-rest-controller.php';
require_once __DIR__ . '/plugin/class-inbox-waiting-counts.php';
require_once __DIR__ . '/plugin/class-admin.php';
require_once __DIR__ . '/plugin/class-privacy-settings.php';
require_once __DIR__ . '/plugin/class-privacy.php';
require_once __DIR__ . '/plugin/class-plugin.php';
require_once __DIR__ . '/plugin/functions.php';

register_activation_hook( __FILE__, array( Plugin::class, 'activate' ) );

Plugin::boot();
