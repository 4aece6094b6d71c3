/**
 * A production-like stack: WordPress served by nginx and PHP-FPM on MariaDB over HTTPS, with a certificate
 * from a certificate authority made here, and the chat service installed from its npm package and run behind
 * the same nginx (WebSocket upgrade, wss://). Debian's packages, each process started by hand on loopback
 * ports with its own configuration and data folder, in its own process group; no system service is used or
 * changed. The site is installed without the Chatflows plugin: the test uploads the plugin's zip.
 *
 * Host names: the site and the service have real-looking names (www.test, chat.test). Browsers map them to
 * 127.0.0.1 (`--host-resolver-rules`); PHP-FPM and the service, which call each other by those names, each run
 * in a mount namespace of their own where a private file is bind-mounted over /etc/hosts.
 *
 * Layout of a data folder:
 *
 *     tls/         ca.pem (the authority), site.pem + site.key (both names), browser-home/ (its NSS database)
 *     hosts        /etc/hosts of PHP-FPM and the service
 *     mariadb/     data/, mariadb.sock
 *     php-fpm/     php-fpm.conf, php-fpm.sock
 *     nginx/       nginx.conf, chatflows.conf (rendered from docs/nginx-chatflows.conf), temp/
 *     wordpress/   the site (wp-content/debug.log: PHP errors)
 *     service/     the service's database
 *     logs/        mariadb.log, php-fpm.log, nginx-error.log, nginx-access.log, service.log
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import {
	acquireLock,
	assertPortFree,
	isAlive,
	log,
	repoRoot,
	run,
	spawnDetached,
	stopProcessGroup,
} from './process.mjs';
import { WORDPRESS_SCRIPTS, phpString, runInstallPhase } from './wordpress.mjs';

/** The nginx configuration docs/deploy.md gives, as a template; the stack renders and runs it. */
export const NGINX_TEMPLATE = path.join(
	repoRoot,
	'docs',
	'nginx-chatflows.conf'
);

/** The names the template's `${…}` placeholders use. */
export const NGINX_TEMPLATE_VALUES = [
	'LISTEN',
	'SITE_HOST',
	'CHAT_HOST',
	'TLS_CERTIFICATE',
	'TLS_CERTIFICATE_KEY',
	'WORDPRESS_ROOT',
	'PHP_FPM',
	'CHATFLOWS_SERVICE',
];

const sleep = ( ms ) => new Promise( ( resolve ) => setTimeout( resolve, ms ) );

/**
 * The envsubst argument that fills in the template: its placeholders, and nothing else (nginx's own
 * `$variables` stay). docs/deploy.md gives the same command; a test checks that they agree.
 */
export const NGINX_ENVSUBST_FORMAT = NGINX_TEMPLATE_VALUES.map(
	( name ) => `\${${ name }}`
).join( ' ' );

/**
 * Renders the nginx template with envsubst, as docs/deploy.md does: every placeholder must have a value.
 *
 * @param {string}                 template
 * @param {Record<string, string>} values   A value for each of NGINX_TEMPLATE_VALUES.
 * @return {Promise<string>} The configuration.
 */
export async function renderNginxTemplate( template, values ) {
	const names = Object.keys( values ).sort();
	if ( names.join() !== [ ...NGINX_TEMPLATE_VALUES ].sort().join() ) {
		throw new Error(
			`The nginx template takes ${ NGINX_TEMPLATE_VALUES.join( ', ' ) }; got ${ names.join( ', ' ) }.`
		);
	}
	const { stdout } = await run( 'envsubst', [ NGINX_ENVSUBST_FORMAT ], {
		input: template,
		capture: true,
		env: { PATH: process.env.PATH, ...values },
	} );
	const left = stdout.match( /\$\{[A-Z_]+\}/g );
	if ( left ) {
		throw new Error(
			`The nginx template has placeholders without a value: ${ left.join( ', ' ) }.`
		);
	}
	return stdout;
}

/**
 * Makes a certificate authority and a certificate it signs for the given host names (once per folder).
 *
 * @param {string}   dir
 * @param {string[]} hostNames
 * @return {Promise<{ ca: string, certificate: string, key: string }>} Paths of the PEM files.
 */
export async function makeCertificates( dir, hostNames ) {
	const files = {
		ca: path.join( dir, 'ca.pem' ),
		certificate: path.join( dir, 'site.pem' ),
		key: path.join( dir, 'site.key' ),
	};
	const namesFile = path.join( dir, 'names' );
	const names = hostNames.join( ',' );
	if (
		fs.existsSync( files.key ) &&
		fs.existsSync( namesFile ) &&
		fs.readFileSync( namesFile, 'utf8' ) === names
	) {
		return files;
	}
	fs.rmSync( dir, { recursive: true, force: true } );
	fs.mkdirSync( dir, { recursive: true } );
	const caKey = path.join( dir, 'ca.key' );
	const request = path.join( dir, 'site.csr' );
	const extensions = path.join( dir, 'site.ext' );
	const openssl = ( ...args ) =>
		run( 'openssl', args, { cwd: dir, capture: true } );
	await openssl(
		'req',
		'-x509',
		'-newkey',
		'ec',
		'-pkeyopt',
		'ec_paramgen_curve:prime256v1',
		'-nodes',
		'-keyout',
		caKey,
		'-out',
		files.ca,
		'-days',
		'30',
		'-subj',
		'/CN=Chatflows test certificate authority',
		'-addext',
		'basicConstraints=critical,CA:TRUE',
		'-addext',
		'keyUsage=critical,keyCertSign,cRLSign'
	);
	await openssl(
		'req',
		'-newkey',
		'ec',
		'-pkeyopt',
		'ec_paramgen_curve:prime256v1',
		'-nodes',
		'-keyout',
		files.key,
		'-out',
		request,
		'-subj',
		`/CN=${ hostNames[ 0 ] }`
	);
	fs.writeFileSync(
		extensions,
		[
			'basicConstraints=critical,CA:FALSE',
			'keyUsage=critical,digitalSignature',
			'extendedKeyUsage=serverAuth',
			`subjectAltName=${ hostNames.map( ( name ) => `DNS:${ name }` ).join( ',' ) }`,
			'',
		].join( '\n' )
	);
	await openssl(
		'x509',
		'-req',
		'-in',
		request,
		'-CA',
		files.ca,
		'-CAkey',
		caKey,
		'-CAcreateserial',
		'-out',
		files.certificate,
		'-days',
		'30',
		'-extfile',
		extensions
	);
	fs.writeFileSync( namesFile, names );
	return files;
}

/**
 * Makes a home folder whose NSS database (what Chromium on Linux reads for the user's own certificate
 * authorities) trusts `caFile` for TLS servers. A browser started with HOME set to it trusts the stack's
 * certificate as a real one, and nothing else changes.
 *
 * @param {string} home
 * @param {string} caFile
 * @return {Promise<string>} The home folder.
 */
export async function browserHomeTrusting( home, caFile ) {
	const database = path.join( home, '.pki', 'nssdb' );
	fs.rmSync( database, { recursive: true, force: true } );
	fs.mkdirSync( database, { recursive: true } );
	await run(
		'certutil',
		[ '-N', '-d', `sql:${ database }`, '--empty-password' ],
		{
			capture: true,
		}
	);
	await run(
		'certutil',
		[
			'-A',
			'-d',
			`sql:${ database }`,
			'-n',
			'Chatflows test certificate authority',
			'-t',
			'C,,',
			'-i',
			caFile,
		],
		{ capture: true }
	);
	return home;
}

/**
 * Arguments that run a command with files of its own in place of system files: a private mount namespace
 * where each file is bind-mounted over its target (the system's files and every other process are
 * untouched). The stack gives PHP-FPM and the service its /etc/hosts, and PHP-FPM the system's certificate
 * authorities plus the test's (Debian's WordPress reads /etc/ssl/certs/ca-certificates.crt).
 *
 * @param {Array<[string, string]>} mounts  [file, target] pairs.
 * @param {string}                  command
 * @param {string[]}                args
 * @return {[string, string[]]} Command and arguments.
 */
function withPrivateFiles( mounts, command, args ) {
	const binds = mounts.map(
		( _mount, index ) =>
			`mount --bind "$${ 2 * index + 1 }" "$${ 2 * index + 2 }"`
	);
	return [
		'unshare',
		[
			'--mount',
			'--',
			'sh',
			'-c',
			`${ binds.join( ' && ' ) } && shift ${ 2 * mounts.length } && exec "$@"`,
			'sh',
			...mounts.flat(),
			command,
			...args,
		],
	];
}

/**
 * Waits until a TCP port on 127.0.0.1 accepts connections.
 *
 * @param {number}                 port
 * @param {string}                 what
 * @param {() => string|undefined} failed      Returns a reason when waiting is pointless.
 * @param {number}                 [timeoutMs]
 */
async function waitForPort( port, what, failed, timeoutMs = 30000 ) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const reason = failed();
		if ( reason ) {
			throw new Error( `${ what } will not start: ${ reason }` );
		}
		const open = await new Promise( ( resolve ) => {
			const socket = net.connect( { port, host: '127.0.0.1' } );
			socket.once( 'connect', () => {
				socket.destroy();
				resolve( true );
			} );
			socket.once( 'error', () => resolve( false ) );
		} );
		if ( open ) {
			return;
		}
		if ( Date.now() > deadline ) {
			throw new Error(
				`${ what } did not open port ${ port } in ${ timeoutMs } ms`
			);
		}
		await sleep( 100 );
	}
}

/**
 * The last lines of a log file, for error messages.
 *
 * @param {string} file
 * @return {string} Tail.
 */
function tail( file ) {
	if ( ! fs.existsSync( file ) ) {
		return '';
	}
	return `\nlast lines of ${ file }:\n${ fs
		.readFileSync( file, 'utf8' )
		.trimEnd()
		.split( '\n' )
		.slice( -15 )
		.join( '\n' ) }`;
}

/**
 * Starts a long-running process in its own process group and waits until `ready` resolves.
 *
 * @param {Object}                                            options
 * @param {string}                                            options.name
 * @param {string}                                            options.command
 * @param {string[]}                                          options.args
 * @param {string}                                            options.logFile
 * @param {NodeJS.ProcessEnv}                                 [options.env]
 * @param {string}                                            [options.cwd]
 * @param {(failed: () => string|undefined) => Promise<void>} options.ready
 * @return {Promise<{ name: string, pid: number, stop: () => Promise<void> }>} The process.
 */
async function startProcess( {
	name,
	command,
	args,
	logFile,
	env,
	cwd,
	ready,
} ) {
	const child = spawnDetached( command, args, {
		logFile,
		env: env ?? process.env,
		cwd: cwd ?? repoRoot,
	} );
	let exited = null;
	child.exited.then( ( result ) => ( exited = result ) );
	const stop = () => stopProcessGroup( child.pid, { timeoutMs: 10000 } );
	const failed = () => {
		if ( exited ) {
			return `it exited (${ exited.error?.message ?? exited.signal ?? `exit ${ exited.code }` })${ tail( logFile ) }`;
		}
		return child.pid && isAlive( child.pid )
			? undefined
			: `it is gone${ tail( logFile ) }`;
	};
	try {
		await ready( failed );
	} catch ( error ) {
		await stop();
		throw error;
	}
	return { name, pid: child.pid, stop };
}

/**
 * Initialises (once) and starts MariaDB on 127.0.0.1:port, and creates the site's database and user.
 *
 * @param {Object}                                           options
 * @param {string}                                           options.dir
 * @param {number}                                           options.port
 * @param {string}                                           options.logFile
 * @param {{ name: string, user: string, password: string }} options.database
 * @return {Promise<{ name: string, pid: number, stop: () => Promise<void> }>} The server.
 */
async function startMariaDb( { dir, port, logFile, database } ) {
	const dataDir = path.join( dir, 'data' );
	const socket = path.join( dir, 'mariadb.sock' );
	if ( ! fs.existsSync( path.join( dataDir, 'mysql' ) ) ) {
		fs.mkdirSync( dataDir, { recursive: true } );
		await run(
			'mariadb-install-db',
			[
				'--no-defaults',
				`--datadir=${ dataDir }`,
				'--user=root',
				'--auth-root-authentication-method=socket',
				'--skip-test-db',
			],
			{ capture: true }
		);
	}
	await assertPortFree( port, 'MariaDB' );
	const server = await startProcess( {
		name: 'MariaDB',
		command: 'mariadbd',
		args: [
			'--no-defaults',
			`--datadir=${ dataDir }`,
			`--socket=${ socket }`,
			`--port=${ port }`,
			'--bind-address=127.0.0.1',
			`--pid-file=${ path.join( dir, 'mariadb.pid' ) }`,
			'--user=root',
			'--skip-name-resolve',
			'--innodb-buffer-pool-size=64M',
		],
		logFile,
		ready: ( failed ) => waitForPort( port, 'MariaDB', failed ),
	} );
	const quoted = ( value ) => `'${ value.replace( /'/g, "''" ) }'`;
	try {
		await run(
			'mariadb',
			[ '--no-defaults', `--socket=${ socket }`, '--user=root' ],
			{
				capture: true,
				input: [
					`CREATE DATABASE IF NOT EXISTS \`${ database.name }\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`,
					`CREATE USER IF NOT EXISTS ${ quoted( database.user ) }@'127.0.0.1' IDENTIFIED BY ${ quoted( database.password ) };`,
					`ALTER USER ${ quoted( database.user ) }@'127.0.0.1' IDENTIFIED BY ${ quoted( database.password ) };`,
					`GRANT ALL PRIVILEGES ON \`${ database.name }\`.* TO ${ quoted( database.user ) }@'127.0.0.1';`,
					'',
				].join( '\n' ),
			}
		);
	} catch ( error ) {
		await server.stop();
		throw error;
	}
	return server;
}

/**
 * Starts PHP-FPM (Debian's php.ini for FPM, one pool on a Unix socket) with the stack's /etc/hosts.
 *
 * @param {Object}                  options
 * @param {string}                  options.dir
 * @param {Array<[string, string]>} options.mounts  Files it sees in place of system files.
 * @param {string}                  options.logFile
 * @return {Promise<{ name: string, pid: number, socket: string, stop: () => Promise<void> }>} The server.
 */
async function startPhpFpm( { dir, mounts, logFile } ) {
	fs.mkdirSync( dir, { recursive: true } );
	const socket = path.join( dir, 'php-fpm.sock' );
	fs.rmSync( socket, { force: true } );
	const config = path.join( dir, 'php-fpm.conf' );
	fs.writeFileSync(
		config,
		[
			'[global]',
			`pid = ${ path.join( dir, 'php-fpm.pid' ) }`,
			'error_log = /proc/self/fd/2',
			'daemonize = no',
			'',
			'[chatflows]',
			// Started as root (-R) by the test; a real site runs the pool as www-data.
			'user = root',
			'group = root',
			`listen = ${ socket }`,
			'listen.mode = 0600',
			'pm = dynamic',
			'pm.max_children = 6',
			'pm.start_servers = 2',
			'pm.min_spare_servers = 1',
			'pm.max_spare_servers = 3',
			'catch_workers_output = yes',
			'',
		].join( '\n' )
	);
	const [ command, args ] = withPrivateFiles( mounts, 'php-fpm8.2', [
		'--nodaemonize',
		'--allow-to-run-as-root',
		'--fpm-config',
		config,
	] );
	const server = await startProcess( {
		name: 'PHP-FPM',
		command,
		args,
		logFile,
		ready: async ( failed ) => {
			const deadline = Date.now() + 30000;
			while ( ! fs.existsSync( socket ) ) {
				const reason = failed();
				if ( reason ) {
					throw new Error( `PHP-FPM will not start: ${ reason }` );
				}
				if ( Date.now() > deadline ) {
					throw new Error(
						`PHP-FPM did not open ${ socket }${ tail( logFile ) }`
					);
				}
				await sleep( 50 );
			}
		},
	} );
	return { ...server, socket };
}

/**
 * GET over HTTPS from the test's side: the stack's host names resolve to 127.0.0.1 and its authority is trusted.
 *
 * @param {string} url
 * @param {string} ca  PEM of the authority.
 * @return {Promise<{ status: number, body: string }>} The answer.
 */
export function httpsGet( url, ca ) {
	return new Promise( ( resolve, reject ) => {
		const request = https.get(
			url,
			{
				ca,
				lookup: ( hostname, options, callback ) =>
					options?.all
						? callback( null, [
								{ address: '127.0.0.1', family: 4 },
							] )
						: callback( null, '127.0.0.1', 4 ),
				timeout: 10000,
			},
			( response ) => {
				let body = '';
				response.setEncoding( 'utf8' );
				response.on( 'data', ( chunk ) => ( body += chunk ) );
				response.on( 'end', () =>
					resolve( { status: response.statusCode ?? 0, body } )
				);
			}
		);
		request.on( 'timeout', () =>
			request.destroy( new Error( 'timeout' ) )
		);
		request.on( 'error', reject );
	} );
}

/**
 * Waits until an HTTPS URL of the stack answers with a status `accept` likes.
 *
 * @param {string}                      url
 * @param {string}                      ca
 * @param {Object}                      options
 * @param {() => string|undefined}      [options.failed]
 * @param {(status: number) => boolean} [options.accept]
 * @param {number}                      [options.timeoutMs]
 */
export async function waitForHttps(
	url,
	ca,
	{
		failed = () => undefined,
		accept = ( status ) => status < 500,
		timeoutMs = 30000,
	} = {}
) {
	const deadline = Date.now() + timeoutMs;
	let last = 'no answer';
	for (;;) {
		const reason = failed();
		if ( reason ) {
			throw new Error( `${ url } will not answer: ${ reason }` );
		}
		try {
			const { status } = await httpsGet( url, ca );
			if ( accept( status ) ) {
				return;
			}
			last = `HTTP ${ status }`;
		} catch ( error ) {
			last = error.code ?? error.message;
		}
		if ( Date.now() > deadline ) {
			throw new Error(
				`${ url } did not answer in ${ timeoutMs } ms (last: ${ last })`
			);
		}
		await sleep( 100 );
	}
}

/**
 * Starts nginx with the configuration rendered from docs/nginx-chatflows.conf.
 *
 * @param {Object}                 options
 * @param {string}                 options.dir
 * @param {Record<string, string>} options.values   The template's values.
 * @param {string}                 options.logsDir
 * @param {string}                 options.checkUrl A URL that answers once nginx is up.
 * @param {string}                 options.ca
 * @param {number}                 options.port
 * @return {Promise<{ name: string, pid: number, stop: () => Promise<void> }>} The server.
 */
async function startNginx( { dir, values, logsDir, checkUrl, ca, port } ) {
	fs.mkdirSync( path.join( dir, 'temp' ), { recursive: true } );
	fs.writeFileSync(
		path.join( dir, 'chatflows.conf' ),
		await renderNginxTemplate(
			fs.readFileSync( NGINX_TEMPLATE, 'utf8' ),
			values
		)
	);
	// Relative includes (fastcgi_params) are found beside the main configuration.
	fs.copyFileSync(
		'/etc/nginx/fastcgi_params',
		path.join( dir, 'fastcgi_params' )
	);
	const temp = ( name ) => path.join( dir, 'temp', name );
	const config = path.join( dir, 'nginx.conf' );
	// The main configuration stands in for Debian's /etc/nginx/nginx.conf, with this stack's own paths.
	fs.writeFileSync(
		config,
		`# The test's stand-in for /etc/nginx/nginx.conf; the site is chatflows.conf.
user root;
worker_processes 2;
pid ${ path.join( dir, 'nginx.pid' ) };
error_log ${ path.join( logsDir, 'nginx-error.log' ) } warn;
events {
	worker_connections 512;
}
http {
	include /etc/nginx/mime.types;
	default_type application/octet-stream;
	sendfile on;
	access_log ${ path.join( logsDir, 'nginx-access.log' ) };
	client_body_temp_path ${ temp( 'body' ) };
	proxy_temp_path ${ temp( 'proxy' ) };
	fastcgi_temp_path ${ temp( 'fastcgi' ) };
	uwsgi_temp_path ${ temp( 'uwsgi' ) };
	scgi_temp_path ${ temp( 'scgi' ) };
	include ${ path.join( dir, 'chatflows.conf' ) };
}
`
	);
	await assertPortFree( port, 'nginx' );
	const logFile = path.join( logsDir, 'nginx.log' );
	await run(
		'nginx',
		[
			'-t',
			'-q',
			'-e',
			path.join( logsDir, 'nginx-error.log' ),
			'-c',
			config,
		],
		{ capture: true }
	);
	return startProcess( {
		name: 'nginx',
		command: 'nginx',
		args: [
			'-e',
			path.join( logsDir, 'nginx-error.log' ),
			'-c',
			config,
			'-g',
			'daemon off;',
		],
		logFile,
		ready: ( failed ) =>
			waitForHttps( checkUrl, ca, {
				failed: () =>
					failed() &&
					`${ failed() }${ tail( path.join( logsDir, 'nginx-error.log' ) ) }`,
			} ),
	} );
}

/**
 * The site's wp-config.php: MariaDB over TCP, HTTPS, files written directly (the plugin uploader), offline,
 * PHP errors logged to wp-content/debug.log, and the Chatflows service's address and secret.
 *
 * @param {Object}                                                         options
 * @param {string}                                                         options.url
 * @param {string}                                                         options.serviceUrl
 * @param {string}                                                         options.secret
 * @param {{ name: string, user: string, password: string, host: string }} options.database
 * @param {string[]}                                                       options.accessibleHosts
 * @return {string} PHP source.
 */
function productionWpConfig( {
	url,
	serviceUrl,
	secret,
	database,
	accessibleHosts,
} ) {
	const salts = [
		'AUTH_KEY',
		'SECURE_AUTH_KEY',
		'LOGGED_IN_KEY',
		'NONCE_KEY',
		'AUTH_SALT',
		'SECURE_AUTH_SALT',
		'LOGGED_IN_SALT',
		'NONCE_SALT',
	].map(
		( name ) =>
			`define( '${ name }', '${ crypto.randomBytes( 48 ).toString( 'base64url' ) }' );`
	);
	return `<?php
/**
 * Configuration of the production-like test site, written by scripts/lib/production-stack.mjs.
 */
define( 'DB_NAME', ${ phpString( database.name ) } );
define( 'DB_USER', ${ phpString( database.user ) } );
define( 'DB_PASSWORD', ${ phpString( database.password ) } );
define( 'DB_HOST', ${ phpString( database.host ) } );
define( 'DB_CHARSET', 'utf8mb4' );
define( 'DB_COLLATE', '' );
$table_prefix = 'wp_';

${ salts.join( '\n' ) }

define( 'WP_HOME', ${ phpString( url ) } );
define( 'WP_SITEURL', ${ phpString( url ) } );
define( 'FORCE_SSL_ADMIN', true );
define( 'WP_ENVIRONMENT_TYPE', 'production' );

// The plugin uploader writes into wp-content directly.
define( 'FS_METHOD', 'direct' );

// Offline: only this machine's hosts, no cron on page loads, no updates.
define( 'WP_HTTP_BLOCK_EXTERNAL', true );
define( 'WP_ACCESSIBLE_HOSTS', ${ phpString( accessibleHosts.join( ',' ) ) } );
define( 'DISABLE_WP_CRON', true );
define( 'AUTOMATIC_UPDATER_DISABLED', true );
define( 'WP_AUTO_UPDATE_CORE', false );

// PHP errors and notices go to wp-content/debug.log (the test reads it), never into pages; PHP 8.2's
// deprecation notices about old WordPress code are left out.
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

// The Chatflows service this site talks to, and the secret they share (docs/deploy.md).
define( 'CHATFLOWS_SERVICE_URL', ${ phpString( serviceUrl ) } );
define( 'CHATFLOWS_SERVICE_SECRET', ${ phpString( secret ) } );

if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', __DIR__ . '/' );
}
require_once ABSPATH . 'wp-settings.php';
`;
}

/**
 * Installs WordPress from a source tree on MariaDB, without any plugin.
 *
 * @param {Object}                                                         options
 * @param {string}                                                         options.source          A WordPress tree (followed symlinks are copied as files).
 * @param {string}                                                         options.siteDir
 * @param {string}                                                         options.url
 * @param {string}                                                         options.serviceUrl
 * @param {string}                                                         options.secret
 * @param {string}                                                         options.ca              The test authority, added to WordPress's own CA bundle (which upstream builds
 *                                                                                                 read; Debian's read the system's) so that it reaches the service.
 * @param {{ name: string, user: string, password: string, host: string }} options.database
 * @param {string[]}                                                       options.accessibleHosts
 * @return {Promise<{ version: string }>} The installed version.
 */
async function installWordPress( {
	source,
	siteDir,
	url,
	serviceUrl,
	secret,
	ca,
	database,
	accessibleHosts,
} ) {
	if ( ! fs.existsSync( path.join( source, 'wp-settings.php' ) ) ) {
		throw new Error( `${ source } holds no WordPress.` );
	}
	fs.rmSync( siteDir, { recursive: true, force: true } );
	await run( 'cp', [ '-rL', source, siteDir ], { capture: true } );
	fs.rmSync( path.join( siteDir, 'wp-config.php' ), { force: true } );
	fs.writeFileSync(
		path.join( siteDir, 'wp-config.php' ),
		productionWpConfig( {
			url,
			serviceUrl,
			secret,
			database,
			accessibleHosts,
		} )
	);
	fs.appendFileSync(
		path.join( siteDir, 'wp-includes', 'certificates', 'ca-bundle.crt' ),
		`\n${ fs.readFileSync( ca, 'utf8' ) }`
	);
	const content = path.join( siteDir, 'wp-content' );
	// What the uploader needs: plugins and upgrade folders it can write.
	for ( const folder of [ 'plugins', 'upgrade', 'uploads', 'mu-plugins' ] ) {
		fs.mkdirSync( path.join( content, folder ), { recursive: true } );
	}
	// Offline and quiet: no update checks, e-mail to wp-content/mail.log.
	fs.copyFileSync(
		path.join( WORDPRESS_SCRIPTS, 'chatflows-dev-site.php' ),
		path.join( content, 'mu-plugins', 'chatflows-dev-site.php' )
	);
	const settings = { url, locale: 'en_US', demo: false, plugins: [] };
	await runInstallPhase( siteDir, 'install', settings );
	await runInstallPhase( siteDir, 'content', settings );
	const versionFile = fs.readFileSync(
		path.join( siteDir, 'wp-includes', 'version.php' ),
		'utf8'
	);
	return {
		version: /\$wp_version = '([^']+)'/.exec( versionFile )?.[ 1 ] ?? '',
	};
}

/**
 * Installs the service's npm package as docs/deploy.md says (`npm install -g`, with Node's headers for
 * better-sqlite3), into an empty npm prefix of its own. npm compiles better-sqlite3, which takes minutes:
 * a package already installed (same bytes) is reused, so two stacks in one run install it once.
 *
 * @param {string} tarball
 * @return {Promise<{ bin: string, prefix: string, installed: boolean }>} The command; whether it installed now.
 */
export async function installServicePackage( tarball ) {
	const hash = crypto
		.createHash( 'sha256' )
		.update( fs.readFileSync( tarball ) )
		.digest( 'hex' )
		.slice( 0, 16 );
	const root = path.join( repoRoot, '.data', 'production-service' );
	const prefix = path.join( root, hash );
	const bin = path.join( prefix, 'bin', 'chatflows-service' );
	const marker = path.join( prefix, '.installed' );
	const release = await acquireLock( `${ root }.lock`, {
		what: 'the installed service package',
	} );
	try {
		if ( fs.existsSync( marker ) ) {
			return { bin, prefix, installed: false };
		}
		// Older packages' installs go: one is kept.
		fs.rmSync( root, { recursive: true, force: true } );
		fs.mkdirSync( prefix, { recursive: true } );
		const started = Date.now();
		await run(
			'npm',
			[
				'install',
				'-g',
				'--no-audit',
				'--no-fund',
				path.resolve( tarball ),
			],
			{
				cwd: prefix,
				capture: true,
				env: {
					...process.env,
					npm_config_prefix: prefix,
					npm_config_nodedir: path.dirname(
						path.dirname( process.execPath )
					),
				},
			}
		);
		if ( ! fs.existsSync( bin ) ) {
			throw new Error( `npm installed no ${ bin }.` );
		}
		fs.writeFileSync( marker, `${ path.basename( tarball ) }\n` );
		log(
			`Installed ${ path.basename( tarball ) } in ${ (
				( Date.now() - started ) /
				1000
			).toFixed( 1 ) } s`
		);
		return { bin, prefix, installed: true };
	} finally {
		release();
	}
}

/**
 * Starts the production-like stack without the Chatflows plugin and without the service (see
 * `stack.startService`). Everything started is stopped again when a later step fails.
 *
 * @param {Object} options
 * @param {string} options.dataDir
 * @param {string} options.wordpressSource A WordPress tree to install, e.g. /usr/share/wordpress.
 * @param {number} options.httpsPort       nginx (the site and the service).
 * @param {number} options.mariadbPort
 * @param {number} options.servicePort     The service, behind nginx (127.0.0.1 only).
 * @param {string} [options.siteHost]
 * @param {string} [options.chatHost]
 * @return {Promise<ProductionStack>} The running stack.
 */
export async function startProductionStack( {
	dataDir,
	wordpressSource,
	httpsPort,
	mariadbPort,
	servicePort,
	siteHost = 'www.test',
	chatHost = 'chat.test',
} ) {
	dataDir = path.resolve( dataDir );
	fs.rmSync( dataDir, { recursive: true, force: true } );
	const logsDir = path.join( dataDir, 'logs' );
	fs.mkdirSync( logsDir, { recursive: true } );
	const wpUrl = `https://${ siteHost }:${ httpsPort }`;
	const serviceUrl = `https://${ chatHost }:${ httpsPort }`;
	const secret = crypto.randomBytes( 48 ).toString( 'base64url' );
	const tls = await makeCertificates( path.join( dataDir, 'tls' ), [
		siteHost,
		chatHost,
	] );
	const ca = fs.readFileSync( tls.ca, 'utf8' );
	const hostsFile = path.join( dataDir, 'hosts' );
	fs.writeFileSync(
		hostsFile,
		`127.0.0.1\tlocalhost\n::1\tlocalhost\n127.0.0.1\t${ siteHost } ${ chatHost }\n`
	);
	const siteDir = path.join( dataDir, 'wordpress' );
	const database = {
		name: 'wordpress',
		user: 'wordpress',
		password: crypto.randomBytes( 18 ).toString( 'base64url' ),
		host: `127.0.0.1:${ mariadbPort }`,
	};

	/** Started processes, stopped in reverse order. */
	const processes = [];
	const stopAll = async () => {
		for ( const started of processes.splice( 0 ).reverse() ) {
			await started.stop();
		}
	};
	try {
		const started = Date.now();
		processes.push(
			await startMariaDb( {
				dir: path.join( dataDir, 'mariadb' ),
				port: mariadbPort,
				logFile: path.join( logsDir, 'mariadb.log' ),
				database,
			} )
		);
		const { version } = await installWordPress( {
			source: wordpressSource,
			siteDir,
			url: wpUrl,
			serviceUrl,
			secret,
			ca: tls.ca,
			database,
			accessibleHosts: [ siteHost, chatHost ],
		} );
		// The machine's certificate authorities and the test's, as `update-ca-certificates` would make them.
		const systemCas = '/etc/ssl/certs/ca-certificates.crt';
		const cas = path.join( dataDir, 'tls', 'ca-certificates.crt' );
		fs.writeFileSync(
			cas,
			`${ fs.existsSync( systemCas ) ? fs.readFileSync( systemCas, 'utf8' ) : '' }\n${ ca }`
		);
		const phpFpm = await startPhpFpm( {
			dir: path.join( dataDir, 'php-fpm' ),
			mounts: [
				[ hostsFile, '/etc/hosts' ],
				[ cas, systemCas ],
			],
			logFile: path.join( logsDir, 'php-fpm.log' ),
		} );
		processes.push( phpFpm );
		processes.push(
			await startNginx( {
				dir: path.join( dataDir, 'nginx' ),
				logsDir,
				port: httpsPort,
				ca,
				checkUrl: `${ wpUrl }/wp-login.php`,
				values: {
					LISTEN: `127.0.0.1:${ httpsPort }`,
					SITE_HOST: siteHost,
					CHAT_HOST: chatHost,
					TLS_CERTIFICATE: tls.certificate,
					TLS_CERTIFICATE_KEY: tls.key,
					WORDPRESS_ROOT: siteDir,
					PHP_FPM: `unix:${ phpFpm.socket }`,
					CHATFLOWS_SERVICE: `127.0.0.1:${ servicePort }`,
				},
			} )
		);
		log(
			`Production stack: WordPress ${ version } at ${ wpUrl } on MariaDB, up in ${ (
				( Date.now() - started ) /
				1000
			).toFixed( 1 ) } s`
		);

		/** @type {ProductionStack} */
		const stack = {
			wpUrl,
			serviceUrl,
			siteHost,
			chatHost,
			httpsPort,
			version,
			secret,
			dataDir,
			siteDir,
			logsDir,
			ca,
			caFile: tls.ca,
			/**
			 * Starts the installed service behind nginx, with the given environment on top of the stack's.
			 *
			 * @param {Object}            options
			 * @param {string}            options.bin   The `chatflows-service` command.
			 * @param {NodeJS.ProcessEnv} [options.env]
			 */
			async startService( { bin, env = {} } ) {
				const serviceDir = path.join( dataDir, 'service' );
				fs.mkdirSync( serviceDir, { recursive: true } );
				const serviceEnv = {
					PATH: process.env.PATH,
					HOME: serviceDir,
					CHATFLOWS_PORT: String( servicePort ),
					CHATFLOWS_HOST: '127.0.0.1',
					CHATFLOWS_SECRET: secret,
					CHATFLOWS_ALLOWED_ORIGINS: wpUrl,
					CHATFLOWS_WORDPRESS_URL: wpUrl,
					CHATFLOWS_DB_FILE: path.join(
						serviceDir,
						'chatflows.sqlite'
					),
					CHATFLOWS_LOG_LEVEL: 'warn',
					// nginx is the only proxy, on this machine.
					CHATFLOWS_TRUST_PROXY: '127.0.0.1',
					// The test's authority, as a site with a private one would give it.
					NODE_EXTRA_CA_CERTS: tls.ca,
					...env,
				};
				await assertPortFree( servicePort, 'the chat service' );
				const [ command, args ] = withPrivateFiles(
					[ [ hostsFile, '/etc/hosts' ] ],
					bin,
					[ 'start' ]
				);
				processes.push(
					await startProcess( {
						name: 'chatflows-service',
						command,
						args,
						env: serviceEnv,
						cwd: serviceDir,
						logFile: path.join( logsDir, 'service.log' ),
						ready: ( failed ) =>
							waitForHttps( `${ serviceUrl }/healthz`, ca, {
								failed,
								accept: ( status ) => status === 200,
							} ),
					} )
				);
			},
			/** PHP errors and notices WordPress logged, one a line. */
			phpErrors() {
				const file = path.join( siteDir, 'wp-content', 'debug.log' );
				return fs.existsSync( file )
					? fs
							.readFileSync( file, 'utf8' )
							.split( '\n' )
							.filter( Boolean )
					: [];
			},
			stop: stopAll,
		};
		return stack;
	} catch ( error ) {
		await stopAll();
		throw error;
	}
}

/**
 * @typedef {Object} ProductionStack
 * @property {string}              wpUrl        The site, https://www.test:PORT.
 * @property {string}              serviceUrl   The service through nginx, https://chat.test:PORT.
 * @property {string}              siteHost     The site's host name.
 * @property {string}              chatHost     The service's host name.
 * @property {number}              httpsPort    nginx's port.
 * @property {string}              version      WordPress's version.
 * @property {string}              secret       Shared by WordPress and the service.
 * @property {string}              dataDir      Everything the stack keeps.
 * @property {string}              siteDir      WordPress.
 * @property {string}              logsDir      The processes' logs.
 * @property {string}              ca           PEM of the test authority.
 * @property {string}              caFile       Its file.
 * @property {Function}            startService Starts the installed service behind nginx.
 * @property {() => string[]}      phpErrors    What PHP logged, a line each.
 * @property {() => Promise<void>} stop         Stops every process the stack started.
 */
