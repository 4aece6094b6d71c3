<?php
/**
 * Installs and configures a development or test WordPress site, without wp-cli. Run by
 * scripts/lib/wordpress.mjs, twice, each time in a fresh PHP process:
 *
 *     php scripts/wordpress/install.php SITE_DIR install   # install when needed, options, plugins
 *     php scripts/wordpress/install.php SITE_DIR content   # with the plugin loaded: users, demo content
 *
 * Settings come as JSON in the environment variable CHATFLOWS_PROVISION:
 * { "url": "http://localhost:8888", "locale": "en_US", "demo": true, "plugins": [ "sqlite-database-integration/load.php", "chatflows/chatflows.php" ] }
 * Every step is idempotent. Prints one JSON object with what it found or did.
 *
 * Variables before wp-load.php are prefixed: WordPress reuses globals such as $plugin and $locale.
 *
 * @package Chatflows
 */

if ( PHP_SAPI !== 'cli' ) {
	exit( 1 );
}

$chatflows_site  = rtrim( $argv[1] ?? '', '/' );
$chatflows_phase = $argv[2] ?? '';
$chatflows_cfg   = json_decode( (string) getenv( 'CHATFLOWS_PROVISION' ), true );
if ( ! is_file( $chatflows_site . '/wp-load.php' ) || ! in_array( $chatflows_phase, array( 'install', 'content' ), true ) || ! is_array( $chatflows_cfg ) ) {
	fwrite( STDERR, "usage: CHATFLOWS_PROVISION='{...}' php install.php SITE_DIR install|content\n" );
	exit( 2 );
}

// A web request's view of the site, so that WordPress builds the right URLs.
$chatflows_parts            = parse_url( $chatflows_cfg['url'] );
$_SERVER['HTTP_HOST']       = $chatflows_parts['host'] . ( isset( $chatflows_parts['port'] ) ? ':' . $chatflows_parts['port'] : '' );
$_SERVER['SERVER_NAME']     = $chatflows_parts['host'];
$_SERVER['SERVER_PORT']     = (string) ( $chatflows_parts['port'] ?? 80 );
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
$_SERVER['REMOTE_ADDR']     = '127.0.0.1';

if ( 'install' === $chatflows_phase ) {
	// Lets wp-load.php run on an empty database instead of redirecting to wp-admin/install.php.
	define( 'WP_INSTALLING', true );
}

require $chatflows_site . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
require_once ABSPATH . 'wp-admin/includes/user.php';

// There is no sendmail here; the must-use plugin logs mail, but it does not run while installing.
add_filter( 'pre_wp_mail', '__return_true', PHP_INT_MAX );

/**
 * Stops with a message on stderr.
 *
 * @param string $message What went wrong.
 */
function chatflows_provision_fail( $message ) {
	fwrite( STDERR, $message . "\n" );
	exit( 1 );
}

/**
 * Install phase: WordPress itself, options and plugins.
 *
 * @param array $cfg Settings.
 * @return array Report.
 */
function chatflows_provision_install( array $cfg ) {
	global $wp_rewrite;
	$report   = array( 'installed' => false );
	$language = 'en_US' === $cfg['locale'] ? '' : $cfg['locale'];
	if ( ! is_blog_installed() ) {
		$result = wp_install( 'Chatflows demo', 'admin', 'admin@example.com', true, '', 'password', $language );
		if ( is_wp_error( $result ) ) {
			chatflows_provision_fail( 'wp_install failed: ' . $result->get_error_message() );
		}
		$report['installed'] = true;
	}

	// Options: the URL may have changed (another port), the rest keeps the site quiet and predictable.
	update_option( 'siteurl', $cfg['url'] );
	update_option( 'home', $cfg['url'] );
	update_option( 'WPLANG', $language );
	update_option( 'show_avatars', 0 );
	if ( '/%postname%/' !== get_option( 'permalink_structure' ) ) {
		$wp_rewrite->set_permalink_structure( '/%postname%/' );
	}
	// Rebuilt on the next request, with every post type the plugins register.
	delete_option( 'rewrite_rules' );

	// The plugins, in order (the SQLite drop-in's own first, where the site runs on it).
	$report['activated'] = array();
	foreach ( $cfg['plugins'] as $file ) {
		if ( is_plugin_active( $file ) ) {
			continue;
		}
		$result = activate_plugin( $file );
		if ( is_wp_error( $result ) ) {
			chatflows_provision_fail( "Cannot activate the plugin $file: " . $result->get_error_message() );
		}
		$report['activated'][] = $file;
	}
	return $report;
}

/**
 * Returns the post a demo key names, creating it from $postarr when it does not exist.
 *
 * @param string $key     Key in the chatflows_dev_demo option.
 * @param array  $postarr Post to create.
 * @return WP_Post The post.
 */
function chatflows_provision_demo_post( $key, array $postarr ) {
	$ids  = get_option( 'chatflows_dev_demo', array() );
	$post = isset( $ids[ $key ] ) ? get_post( $ids[ $key ] ) : null;
	if ( ! $post || 'trash' === $post->post_status || $post->post_type !== $postarr['post_type'] ) {
		$id = wp_insert_post( wp_slash( $postarr ), true );
		if ( is_wp_error( $id ) ) {
			chatflows_provision_fail( "Cannot create the demo post $key: " . $id->get_error_message() );
		}
		$ids[ $key ] = $id;
		update_option( 'chatflows_dev_demo', $ids, false );
		$post = get_post( $id );
	}
	return $post;
}

/**
 * Returns the user with a login, creating it when missing.
 *
 * @param array $userdata As for wp_insert_user().
 * @return WP_User The user.
 */
function chatflows_provision_user( array $userdata ) {
	$user = get_user_by( 'login', $userdata['user_login'] );
	if ( ! $user ) {
		$id = wp_insert_user( $userdata );
		if ( is_wp_error( $id ) ) {
			chatflows_provision_fail( "Cannot create the user {$userdata['user_login']}: " . $id->get_error_message() );
		}
		$user = get_user_by( 'id', $id );
	} elseif ( ! in_array( $userdata['role'], $user->roles, true ) ) {
		$user->set_role( $userdata['role'] );
	}
	return $user;
}

/**
 * Hides the block editor's welcome guides for a user.
 *
 * @param int $user_id User.
 */
function chatflows_provision_no_welcome_guide( $user_id ) {
	$prefs = get_user_option( 'persisted_preferences', $user_id );
	$prefs = is_array( $prefs ) ? $prefs : array();
	$off   = array(
		'core/edit-post'         => array( 'welcomeGuide', 'welcomeGuideTemplate' ),
		'core/edit-site'         => array( 'welcomeGuide', 'welcomeGuideStyles', 'welcomeGuidePage', 'welcomeGuideTemplate' ),
		'core/edit-widgets'      => array( 'welcomeGuide' ),
		'core/customize-widgets' => array( 'welcomeGuide' ),
	);
	// Newer releases offer a pattern for each new page in a modal; tests start from an empty page.
	$off['core'] = array( 'enableChoosePatternModal' );
	foreach ( $off as $scope => $features ) {
		foreach ( $features as $feature ) {
			$prefs[ $scope ][ $feature ] = false;
		}
	}
	$prefs['_modified'] = gmdate( 'Y-m-d\TH:i:s.000\Z' );
	update_user_option( $user_id, 'persisted_preferences', $prefs, false );
}

/**
 * Content phase: runs with the plugins loaded, so their roles and post types exist.
 *
 * @param array $cfg Settings.
 * @return array Report.
 */
function chatflows_provision_content( array $cfg ) {
	$report = array();
	$admin  = get_user_by( 'login', 'admin' );
	if ( ! $admin ) {
		chatflows_provision_fail( 'The site has no user "admin".' );
	}
	chatflows_provision_no_welcome_guide( $admin->ID );
	// Nor the dashboard's "Welcome to WordPress!" panel.
	update_user_meta( $admin->ID, 'show_welcome_panel', 0 );
	$report['admin'] = $admin->ID;

	if ( empty( $cfg['demo'] ) ) {
		return $report;
	}

	if ( ! get_role( 'chatflows_agent' ) ) {
		chatflows_provision_fail( 'The role chatflows_agent does not exist: is the Chatflows plugin active?' );
	}
	$agent = chatflows_provision_user(
		array(
			'user_login'   => 'agent',
			'user_pass'    => 'password',
			'user_email'   => 'agent@example.com',
			'display_name' => 'Alex Agent',
			'nickname'     => 'Alex Agent',
			'first_name'   => 'Alex',
			'last_name'    => 'Agent',
			'role'         => 'chatflows_agent',
		)
	);
	chatflows_provision_no_welcome_guide( $agent->ID );
	$report['agent'] = $agent->ID;

	$chatflow           = chatflows_provision_demo_post(
		'chatflow',
		array(
			'post_type'   => 'chatflows_chatflow',
			'post_status' => 'publish',
			'post_title'  => 'Website chat',
			'post_author' => $admin->ID,
		)
	);
	$report['chatflow'] = $chatflow->ID;

	// A demo team, and complete settings for the demo chatflow through the plugin's own validation.
	$team = chatflows_provision_demo_post(
		'team_sales',
		array(
			'post_type'   => Chatflows\Directory::TEAM_POST_TYPE,
			'post_status' => 'publish',
			'post_title'  => 'Sales',
		)
	);
	Chatflows\Directory::save_team( array( 'memberIds' => array( $agent->ID ) ), $team->ID );
	$report['team'] = $team->ID;
	if ( ! get_post_meta( $chatflow->ID, Chatflows\Chatflows::SETTINGS_META, true ) ) {
		$result = Chatflows\Chatflows::save_settings(
			$chatflow->ID,
			array(
				'display'        => array( 'accentColor' => '#2563eb' ),
				'welcomeMessage' => array( 'en_US' => 'Hi! Questions about our plans? Ask us here.' ),
				'assignment'     => array(
					'enabled' => true,
					'userIds' => array(),
					'teamIds' => array( $team->ID ),
				),
				// The Pricing page chooses this chatflow; other pages (e.g. the privacy policy) have no chat.
				'target'         => array( 'allPages' => false ),
				// A new chatflow asks for consent (as HubSpot's do); the demo chats at once, and the
				// consent tests turn it on where they need it.
				'options'        => array(
					'cookieConsent' => array( 'enabled' => false ),
					'dataConsent'   => array( 'enabled' => false ),
				),
			)
		);
		if ( is_wp_error( $result ) ) {
			chatflows_provision_fail( 'Cannot set the demo chatflow up: ' . wp_json_encode( $result->get_error_data() ) );
		}
	}

	$pricing = chatflows_provision_demo_post(
		'pricing',
		array(
			'post_type'    => 'page',
			'post_status'  => 'publish',
			'post_title'   => 'Pricing',
			'post_name'    => 'pricing',
			'post_author'  => $admin->ID,
			'post_content' => implode(
				"\n\n",
				array(
					"<!-- wp:paragraph -->\n<p>Simple plans for teams of every size. Questions? Chat with us: we answer in minutes.</p>\n<!-- /wp:paragraph -->",
					"<!-- wp:list -->\n<ul><li><strong>Starter</strong>: free, one agent, one chatflow.</li><li><strong>Team</strong>: 19 € per agent a month, unlimited chatflows, teams and routing.</li><li><strong>Business</strong>: 49 € per agent a month, everything in Team plus availability hours and surveys.</li></ul>\n<!-- /wp:list -->",
				)
			),
		)
	);
	if ( ! get_post_meta( $pricing->ID, '_chatflows_chatflow_id', true ) ) {
		update_post_meta( $pricing->ID, '_chatflows_chatflow_id', $chatflow->ID );
	}
	$report['pricing'] = $pricing->ID;

	// WordPress's install creates the privacy policy page as a draft.
	$privacy_id = (int) get_option( 'wp_page_for_privacy_policy' );
	$privacy    = $privacy_id ? get_post( $privacy_id ) : null;
	if ( ! $privacy || 'trash' === $privacy->post_status ) {
		$privacy = chatflows_provision_demo_post(
			'privacy',
			array(
				'post_type'    => 'page',
				'post_status'  => 'publish',
				'post_title'   => 'Privacy Policy',
				'post_name'    => 'privacy-policy',
				'post_author'  => $admin->ID,
				'post_content' => "<!-- wp:paragraph -->\n<p>This demo site keeps chat conversations to answer your questions.</p>\n<!-- /wp:paragraph -->",
			)
		);
		update_option( 'wp_page_for_privacy_policy', $privacy->ID );
	} elseif ( 'publish' !== $privacy->post_status ) {
		wp_update_post(
			array(
				'ID'          => $privacy->ID,
				'post_status' => 'publish',
			)
		);
	}
	$report['privacy'] = $privacy->ID;
	return $report;
}

$chatflows_report = 'install' === $chatflows_phase
	? chatflows_provision_install( $chatflows_cfg )
	: chatflows_provision_content( $chatflows_cfg );
echo wp_json_encode( $chatflows_report ), "\n";
