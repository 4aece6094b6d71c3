/**
 * A real WordPress (Debian's package) on SQLite, provisioned without wp-cli and served by PHP's built-in
 * server, for development, the demo and the tests.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {
	provisionNewestWordPress,
	wordpressVersion,
} from './newest-wordpress.mjs';
import {
	assertPortFree,
	isAlive,
	log,
	repoRoot,
	run,
	spawnDetached,
	stopProcessGroup,
	waitForHttp,
} from './process.mjs';

/** Where Debian's `wordpress` package puts WordPress. */
export const WORDPRESS_SOURCE = '/usr/share/wordpress';

/** The WordPress releases the stack runs on: Debian 12's (the plugin's minimum) and the newest one. */
export const WORDPRESS_RELEASES = [ '6.1', 'newest' ];

/**
 * The core folder of a WordPress release the stack runs on.
 *
 * @param {string} release '6.1' (Debian 12's package) or 'newest' (see newest-wordpress.mjs).
 * @return {Promise<string>} Folder holding wp-settings.php.
 */
export async function wordpressCore( release = '6.1' ) {
	if ( release === '6.1' ) {
		return WORDPRESS_SOURCE;
	}
	if ( release === 'newest' ) {
		return ( await provisionNewestWordPress() ).coreDir;
	}
	throw new Error(
		`Unknown WordPress release "${ release }" (known: ${ WORDPRESS_RELEASES.join(
			', '
		) }).`
	);
}

/** The npm package whose tarball ships the SQLite database drop-in (`sqlite-database-integration.zip`). */
export const SQLITE_DROPIN_PACKAGE = '@wp-playground/cli@3.1.56';

/** Shared download cache of the development scripts. */
export const DEFAULT_CACHE_DIR = path.join( repoRoot, '.data', 'cache' );

/** PHP the provisioning runs or installs: install.php, the router, the must-use plugin. */
export const WORDPRESS_SCRIPTS = path.join( repoRoot, 'scripts', 'wordpress' );
const SQLITE_PLUGIN_SLUG = 'sqlite-database-integration';
// E_ALL & ~E_DEPRECATED (32767 - 8192): PHP 8.2's deprecation notices about WordPress 6.1 are noise.
const PHP_ERROR_REPORTING = '24575';

/**
 * Quotes a string as a single-quoted PHP literal.
 *
 * @param {string} value
 * @return {string} PHP source.
 */
export function phpString( value ) {
	return `'${ String( value ).replace( /\\/g, '\\\\' ).replace( /'/g, "\\'" ) }'`;
}

/**
 * Writes a file only when its content changes; returns whether it did.
 *
 * @param {string} file
 * @param {string} content
 * @return {boolean} Written.
 */
function writeIfChanged( file, content ) {
	if (
		fs.existsSync( file ) &&
		fs.readFileSync( file, 'utf8' ) === content
	) {
		return false;
	}
	fs.mkdirSync( path.dirname( file ), { recursive: true } );
	fs.writeFileSync( file, content );
	return true;
}

/**
 * Returns the path of the SQLite drop-in zip, taking it out of the npm package once.
 *
 * @param {string} cacheDir
 * @return {Promise<string>} Path of sqlite-database-integration.zip.
 */
export async function sqliteDropInZip( cacheDir = DEFAULT_CACHE_DIR ) {
	const version = SQLITE_DROPIN_PACKAGE.split( '@' ).pop();
	const zip = path.join(
		cacheDir,
		`sqlite-database-integration-from-playground-cli-${ version }.zip`
	);
	if ( fs.existsSync( zip ) ) {
		return zip;
	}
	log(
		`Fetching the SQLite drop-in from the npm package ${ SQLITE_DROPIN_PACKAGE } (once)`
	);
	fs.mkdirSync( cacheDir, { recursive: true } );
	const work = fs.mkdtempSync( path.join( cacheDir, 'pack-' ) );
	try {
		const { stdout } = await run(
			'npm',
			[
				'pack',
				SQLITE_DROPIN_PACKAGE,
				'--silent',
				'--pack-destination',
				work,
			],
			{
				cwd: work,
				capture: true,
			}
		);
		const tarball = path.join( work, stdout.trim().split( '\n' ).pop() );
		await run(
			'tar',
			[
				'-xzf',
				tarball,
				'-C',
				work,
				'package/sqlite-database-integration.zip',
			],
			{ capture: true }
		);
		fs.renameSync(
			path.join( work, 'package', 'sqlite-database-integration.zip' ),
			zip
		);
	} finally {
		fs.rmSync( work, { recursive: true, force: true } );
	}
	return zip;
}

/**
 * Unzips the SQLite plugin into the site and patches it for WordPress 6.1.
 *
 * @param {string} siteDir
 * @param {string} cacheDir
 * @return {Promise<string>} The plugin folder.
 */
async function installSqlitePlugin( siteDir, cacheDir ) {
	const pluginsDir = path.join( siteDir, 'wp-content', 'plugins' );
	const target = path.join( pluginsDir, SQLITE_PLUGIN_SLUG );
	if ( fs.existsSync( path.join( target, 'load.php' ) ) ) {
		return target;
	}
	const zip = await sqliteDropInZip( cacheDir );
	const work = fs.mkdtempSync( path.join( pluginsDir, '.unzip-' ) );
	try {
		await run( 'unzip', [ '-q', zip, '-d', work ], { capture: true } );
		// The zip holds one folder, named plugin-sqlite-database-integration.
		const [ folder ] = fs.readdirSync( work );
		const source = path.join( work, folder );
		// Its 3.x release targets WordPress 6.4+, where wpdb declares this property itself; on 6.1 it
		// fatals with "Cannot access private property". Playground applies the same patch.
		const dbClass = path.join(
			source,
			'wp-includes',
			'sqlite',
			'class-wp-sqlite-db.php'
		);
		const code = fs.readFileSync( dbClass, 'utf8' );
		const patched = code.replace(
			/private(\s+\$allow_unsafe_unquoted_parameters\b)/,
			'protected$1'
		);
		if ( patched === code ) {
			throw new Error(
				`Cannot patch ${ dbClass }: $allow_unsafe_unquoted_parameters is not private there.`
			);
		}
		fs.writeFileSync( dbClass, patched );
		fs.rmSync( target, { recursive: true, force: true } );
		fs.renameSync( source, target );
	} finally {
		fs.rmSync( work, { recursive: true, force: true } );
	}
	return target;
}

/**
 * Reads the salts of an existing wp-config.php, so that logins survive a rewrite of the file.
 *
 * @param {string} file
 * @return {Record<string, string>} Salt constants by name.
 */
function readSalts( file ) {
	const salts = {};
	if ( fs.existsSync( file ) ) {
		const source = fs.readFileSync( file, 'utf8' );
		for ( const match of source.matchAll(
			/define\(\s*'([A-Z_]+_(?:KEY|SALT))',\s*'([A-Za-z0-9+/=_-]+)'\s*\)/g
		) ) {
			salts[ match[ 1 ] ] = match[ 2 ];
		}
	}
	return salts;
}

/**
 * wp-config.php's database settings.
 *
 * @param {?{ host: string, port: number, database: string, user: string, password: string }} database MySQL/MariaDB; null: SQLite.
 * @return {string} PHP source.
 */
function databaseLines( database ) {
	if ( ! database ) {
		return `// SQLite, through the drop-in in wp-content/db.php.
define( 'DB_NAME', 'wordpress' );
define( 'DB_USER', '' );
define( 'DB_PASSWORD', '' );
define( 'DB_HOST', 'localhost' );
define( 'DB_DIR', __DIR__ . '/wp-content/database/' );
define( 'DB_FILE', '.ht.sqlite' );`;
	}
	return `// MySQL / MariaDB.
define( 'DB_NAME', ${ phpString( database.database ) } );
define( 'DB_USER', ${ phpString( database.user ) } );
define( 'DB_PASSWORD', ${ phpString( database.password ) } );
define( 'DB_HOST', ${ phpString( `${ database.host }:${ database.port }` ) } );`;
}

/**
 * The site's wp-config.php.
 *
 * @param {Object}                 options
 * @param {string}                 options.url
 * @param {string}                 options.secret
 * @param {string}                 options.serviceUrl
 * @param {boolean}                options.scriptDebug
 * @param {?Object}                options.database    MySQL/MariaDB (host, port, database, user, password); null: SQLite.
 * @param {Record<string, string>} options.salts       Existing salts to keep.
 * @return {string} PHP source.
 */
function wpConfig( { url, secret, serviceUrl, scriptDebug, database, salts } ) {
	const names = [
		'AUTH_KEY',
		'SECURE_AUTH_KEY',
		'LOGGED_IN_KEY',
		'NONCE_KEY',
		'AUTH_SALT',
		'SECURE_AUTH_SALT',
		'LOGGED_IN_SALT',
		'NONCE_SALT',
	];
	const saltLines = names.map(
		( name ) =>
			`define( '${ name }', '${ salts[ name ] ?? crypto.randomBytes( 48 ).toString( 'base64url' ) }' );`
	);
	// The Chatflows service this site talks to, and the secret they share. Left out when not given:
	// the plugin then uses its own settings (and the secret it creates on activation).
	const chatflowsLines = [
		'// The Chatflows service this site talks to, and the secret they share.',
		serviceUrl &&
			`define( 'CHATFLOWS_SERVICE_URL', ${ phpString( serviceUrl ) } );`,
		secret &&
			`define( 'CHATFLOWS_SERVICE_SECRET', ${ phpString( secret ) } );`,
	]
		.filter( Boolean )
		.join( '\n' );
	const serviceHost = serviceUrl
		? new URL( serviceUrl ).hostname
		: '127.0.0.1';
	const accessible = [
		...new Set( [ 'localhost', '127.0.0.1', serviceHost ] ),
	].join( ',' );
	return `<?php
/**
 * Development / test site configuration, written by the project's scripts/lib/wordpress.mjs.
 * It is rewritten on every provisioning (the salts are kept): change that script, not this file.
 */

${ databaseLines( database ) }
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
$table_prefix = 'wp_';

${ saltLines.join( '\n' ) }

define( 'WP_HOME', ${ phpString( url ) } );
define( 'WP_SITEURL', ${ phpString( url ) } );
define( 'WP_ENVIRONMENT_TYPE', 'local' );

// Offline: no outside HTTP, no cron on page loads, no updates, files written directly.
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'WP_ACCESSIBLE_HOSTS', ${ phpString( accessible ) } );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_AUTO_UPDATE_CORE', false );
define( 'FS_METHOD', 'direct' );
define( 'SCRIPT_DEBUG', ${ scriptDebug ? 'true' : 'false' } );

// PHP errors and notices go to wp-content/debug.log, never into pages. WordPress's own debug mode
// would report everything (E_ALL); PHP 8.2's deprecation notices about WordPress 6.1's code are left
// out so that the log shows what matters.
define( 'WP_DEBUG', true );
define( 'WP_DEBUG_DISPLAY', false );
define( 'WP_DEBUG_LOG', __DIR__ . '/wp-content/debug.log' );
$GLOBALS['wp_filter']['enable_wp_debug_mode_checks'][10][] = array(
	'function'      => static function () {
		return false;
	},
	'accepted_args' => 1,
);
error_reporting( E_ALL & ~E_DEPRECATED );
ini_set( 'display_errors', '0' );
ini_set( 'log_errors', '1' );
ini_set( 'error_log', WP_DEBUG_LOG );

${ chatflowsLines }

if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
`;
}

/**
 * Runs one phase of scripts/wordpress/install.php.
 *
 * @param {string}              siteDir
 * @param {'install'|'content'} phase
 * @param {Object}              settings
 * @param {string}              [cacheDir]
 * @return {Promise<object>} The script's report.
 */
export async function runInstallPhase(
	siteDir,
	phase,
	settings,
	cacheDir = DEFAULT_CACHE_DIR
) {
	// PHP's opcode cache, kept in files between runs, halves the time each phase takes to load WordPress.
	const opcache = path.join( cacheDir, 'opcache' );
	fs.mkdirSync( opcache, { recursive: true } );
	const result = await run(
		'php',
		[
			'-d',
			'opcache.enable_cli=1',
			'-d',
			`opcache.file_cache=${ opcache }`,
			'-d',
			'opcache.file_cache_only=1',
			'-d',
			`error_reporting=${ PHP_ERROR_REPORTING }`,
			'-d',
			'display_errors=stderr',
			path.join( WORDPRESS_SCRIPTS, 'install.php' ),
			siteDir,
			phase,
		],
		{
			cwd: siteDir,
			env: {
				...process.env,
				CHATFLOWS_PROVISION: JSON.stringify( settings ),
			},
			capture: true,
			allowFailure: true,
		}
	);
	const lastLine = result.stdout.trim().split( '\n' ).pop() ?? '';
	if ( result.code === 0 && lastLine.startsWith( '{' ) ) {
		return JSON.parse( lastLine );
	}
	const debugLog = path.join( siteDir, 'wp-content', 'debug.log' );
	const tail = fs.existsSync( debugLog )
		? fs
				.readFileSync( debugLog, 'utf8' )
				.trimEnd()
				.split( '\n' )
				.slice( -10 )
				.join( '\n' )
		: '';
	throw new Error(
		[
			`Provisioning WordPress (${ phase }) failed with exit ${ result.code }.`,
			result.stderr.trim(),
			result.stdout.trim(),
			tail &&
				`Last lines of ${ path.relative( repoRoot, debugLog ) }:\n${ tail }`,
		]
			.filter( Boolean )
			.join( '\n' )
	);
}

/**
 * Provisions (or brings up to date) a WordPress site on SQLite in `siteDir`. Idempotent: a second run
 * reuses the site, rewrites only what changed, and keeps content and logins.
 *
 * @param {Object}  options
 * @param {string}  options.siteDir            Folder of the site (created).
 * @param {string}  options.url                Public URL, e.g. http://localhost:8888.
 * @param {string}  [options.secret]           Secret shared with the chat service (CHATFLOWS_SERVICE_SECRET; none: the plugin's own).
 * @param {string}  [options.serviceUrl]       URL of the chat service (CHATFLOWS_SERVICE_URL; none: the plugin's setting).
 * @param {boolean} [options.demo]             Also create the demo users and content.
 * @param {string}  [options.locale]           Site language, e.g. en_US, da_DK, nl_NL.
 * @param {boolean} [options.fresh]            Delete the site first.
 * @param {string}  [options.pluginDir]        Folder linked as wp-content/plugins/chatflows (default: the repository).
 * @param {string}  [options.cacheDir]         Download cache.
 * @param {string}  [options.wordpressRelease] Which release: '6.1' (default) or 'newest'.
 * @param {boolean} [options.scriptDebug]      SCRIPT_DEBUG: WordPress serves unminified scripts (React's development build).
 * @param {Object}  [options.database]         A MySQL/MariaDB server (host, port, database, user, password) instead of SQLite.
 * @return {Promise<{ siteDir: string, url: string, created: boolean, report: object, ms: number }>} What was done.
 */
export async function provisionWordPress( {
	siteDir,
	url,
	secret = '',
	serviceUrl = '',
	demo = false,
	locale = 'en_US',
	fresh = false,
	pluginDir = repoRoot,
	cacheDir = DEFAULT_CACHE_DIR,
	wordpressRelease = '6.1',
	scriptDebug = false,
	database = null,
} ) {
	const started = Date.now();
	const source = await wordpressCore( wordpressRelease );
	siteDir = path.resolve( siteDir );
	url = url.replace( /\/+$/, '' );
	if ( fresh ) {
		fs.rmSync( siteDir, { recursive: true, force: true } );
	}

	// A site whose provisioning never completed (interrupted, or failed), or made from another release, is
	// started afresh.
	const marker = path.join( siteDir, 'wp-content', '.chatflows-provisioned' );
	const sourceVersion = wordpressVersion( source );
	if ( fs.existsSync( path.join( siteDir, 'wp-settings.php' ) ) ) {
		if ( ! fs.existsSync( marker ) ) {
			log(
				`${ siteDir } was never completely provisioned: starting afresh`
			);
			fs.rmSync( siteDir, { recursive: true, force: true } );
		} else if ( wordpressVersion( siteDir ) !== sourceVersion ) {
			log(
				`${ siteDir } runs WordPress ${ wordpressVersion(
					siteDir
				) }, not ${ sourceVersion }: starting afresh`
			);
			fs.rmSync( siteDir, { recursive: true, force: true } );
		}
	}

	// 1. WordPress's files: a real copy (Debian ships relative symlinks into /usr/share and /etc).
	let created = false;
	if ( ! fs.existsSync( path.join( siteDir, 'wp-settings.php' ) ) ) {
		if ( ! fs.existsSync( path.join( source, 'wp-settings.php' ) ) ) {
			throw new Error(
				`${ source } has no WordPress: install the Debian package "wordpress".`
			);
		}
		log(
			`Creating a WordPress ${ sourceVersion } site in ${
				path.relative( repoRoot, siteDir ) || siteDir
			}`
		);
		fs.rmSync( siteDir, { recursive: true, force: true } );
		const partial = `${ siteDir }.partial`;
		fs.rmSync( partial, { recursive: true, force: true } );
		fs.mkdirSync( path.dirname( siteDir ), { recursive: true } );
		await run( 'cp', [ '-rL', '--preserve=timestamps', source, partial ], {
			capture: true,
		} );
		// Debian's wp-config.php reads /etc/wordpress; this site has its own.
		fs.rmSync( path.join( partial, 'wp-config.php' ), { force: true } );
		fs.renameSync( partial, siteDir );
		created = true;
	}
	const content = path.join( siteDir, 'wp-content' );

	// 2. The SQLite database drop-in (none on MySQL/MariaDB).
	if ( database ) {
		fs.rmSync( path.join( content, 'db.php' ), { force: true } );
	} else {
		const sqlitePlugin = await installSqlitePlugin( siteDir, cacheDir );
		const dropIn = fs
			.readFileSync( path.join( sqlitePlugin, 'db.copy' ), 'utf8' )
			.replaceAll( '{SQLITE_IMPLEMENTATION_FOLDER_PATH}', sqlitePlugin )
			.replaceAll(
				'{SQLITE_PLUGIN}',
				`${ SQLITE_PLUGIN_SLUG }/load.php`
			);
		writeIfChanged( path.join( content, 'db.php' ), dropIn );
	}

	// 3. The must-use plugin that keeps the site offline and quiet.
	writeIfChanged(
		path.join( content, 'mu-plugins', 'chatflows-dev-site.php' ),
		fs.readFileSync(
			path.join( WORDPRESS_SCRIPTS, 'chatflows-dev-site.php' ),
			'utf8'
		)
	);

	// 4. The plugin under development, linked so that edits and rebuilds are live.
	const link = path.join( content, 'plugins', 'chatflows' );
	const linkTarget = path.resolve( pluginDir );
	let current = null;
	try {
		current = fs.readlinkSync( link );
	} catch {
		// Not a link (or missing).
	}
	if ( current !== linkTarget ) {
		fs.rmSync( link, { recursive: true, force: true } );
		fs.symlinkSync( linkTarget, link, 'dir' );
	}
	if ( ! fs.existsSync( path.join( linkTarget, 'chatflows.php' ) ) ) {
		throw new Error(
			`${ linkTarget } has no chatflows.php: the plugin cannot be activated.`
		);
	}

	// 5. wp-config.php.
	const configFile = path.join( siteDir, 'wp-config.php' );
	writeIfChanged(
		configFile,
		wpConfig( {
			url,
			secret,
			serviceUrl,
			scriptDebug,
			database,
			salts: readSalts( configFile ),
		} )
	);

	// 6. Install, configure, activate; then, with the plugin loaded, users and content.
	const settings = {
		url,
		locale,
		demo,
		// The SQLite drop-in's own plugin first, where the site runs on it.
		plugins: [
			...( database ? [] : [ `${ SQLITE_PLUGIN_SLUG }/load.php` ] ),
			'chatflows/chatflows.php',
		],
	};
	const install = await runInstallPhase(
		siteDir,
		'install',
		settings,
		cacheDir
	);
	const contentReport = await runInstallPhase(
		siteDir,
		'content',
		settings,
		cacheDir
	);
	fs.writeFileSync( marker, new Date().toISOString() + '\n' );
	return {
		siteDir,
		url,
		created,
		report: { ...install, ...contentReport },
		ms: Date.now() - started,
	};
}

/**
 * Serves a provisioned site with PHP's built-in server (4 workers), in its own process group.
 *
 * @param {Object} options
 * @param {string} options.siteDir
 * @param {number} options.port
 * @param {string} [options.logFile]   Where the server's output goes (default: wp-content/server.log).
 * @param {number} [options.timeoutMs]
 * @return {Promise<{ url: string, pid: number, logFile: string, exited: Promise<object>, stop: () => Promise<void> }>} The running server; `exited` settles when PHP exits.
 */
export async function startWordPress( {
	siteDir,
	port,
	logFile,
	timeoutMs = 20000,
} ) {
	siteDir = path.resolve( siteDir );
	logFile ??= path.join( siteDir, 'wp-content', 'server.log' );
	await assertPortFree( port, 'WordPress' );
	const child = spawnDetached(
		'php',
		[
			// -S first, so that `pgrep -af "php -S"` finds it.
			'-S',
			`127.0.0.1:${ port }`,
			'-d',
			`error_reporting=${ PHP_ERROR_REPORTING }`,
			'-t',
			siteDir,
			path.join( WORDPRESS_SCRIPTS, 'router.php' ),
		],
		{
			cwd: siteDir,
			env: { ...process.env, PHP_CLI_SERVER_WORKERS: '4' },
			logFile,
		}
	);
	const pid = child.pid;
	let exited = null;
	child.exited.then( ( result ) => ( exited = result ) );
	const stop = () => stopProcessGroup( pid );
	try {
		await waitForHttp( `http://127.0.0.1:${ port }/wp-login.php`, {
			timeoutMs,
			failed: () => {
				if ( exited ) {
					return `php exited (${ exited.error?.message ?? exited.signal ?? exited.code }); see ${ logFile }`;
				}
				return pid && isAlive( pid )
					? undefined
					: `php is gone; see ${ logFile }`;
			},
		} );
	} catch ( error ) {
		await stop();
		throw error;
	}
	return {
		url: `http://localhost:${ port }`,
		pid,
		logFile,
		exited: child.exited,
		stop,
	};
}
