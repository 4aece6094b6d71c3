/**
 * The whole development stack: a WordPress site with the plugin, and the chat service, sharing a secret.
 *
 * Layout of a data folder:
 *
 *     <dataDir>/secret                     shared secret (mode 0600)
 *     <dataDir>/wordpress/                 the WordPress site (SQLite database in wp-content/database/)
 *     <dataDir>/wordpress/wp-content/debug.log   PHP errors and notices
 *     <dataDir>/service/chatflows.sqlite   the service's database
 *     <dataDir>/logs/wordpress.log         PHP built-in server output
 *     <dataDir>/logs/service.log           service output
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { startService } from './service.mjs';
import { provisionWordPress, startWordPress } from './wordpress.mjs';

/**
 * Reads one of the stack's secrets (the shared secret, the metrics token), creating it (48 random bytes,
 * base64url, mode 0600) the first time.
 *
 * @param {string} dataDir
 * @param {string} [name]  File name in the data folder.
 * @return {string} The secret.
 */
export function readOrCreateSecret( dataDir, name = 'secret' ) {
	const file = path.join( dataDir, name );
	if ( fs.existsSync( file ) ) {
		const secret = fs.readFileSync( file, 'utf8' ).trim();
		if ( secret.length >= 32 ) {
			return secret;
		}
	}
	fs.mkdirSync( dataDir, { recursive: true } );
	const secret = crypto.randomBytes( 48 ).toString( 'base64url' );
	fs.writeFileSync( file, `${ secret }\n`, { mode: 0o600 } );
	fs.chmodSync( file, 0o600 );
	return secret;
}

/**
 * Provisions and starts WordPress and the chat service.
 *
 * @param {Object}  options
 * @param {string}  options.dataDir
 * @param {number}  [options.wpPort]
 * @param {number}  [options.servicePort]
 * @param {boolean} [options.fresh]            Delete the data folder first.
 * @param {boolean} [options.demo]             Demo users and content.
 * @param {string}  [options.locale]
 * @param {string}  [options.logLevel]         The service's log level.
 * @param {string}  [options.wordpressRelease] Which WordPress: '6.1' (default) or 'newest'.
 * @param {boolean} [options.scriptDebug]      SCRIPT_DEBUG on the site (unminified scripts, React's warnings).
 * @param {Object}  [options.serviceEnv]       More environment variables for the service.
 * @return {Promise<{
 *   wpUrl: string, serviceUrl: string, secret: string, dataDir: string, siteDir: string,
 *   wordpress: Awaited<ReturnType<typeof startWordPress>>, service: Awaited<ReturnType<typeof startService>>,
 *   restartService: ( options?: { signal?: NodeJS.Signals } ) => Promise<Awaited<ReturnType<typeof startService>>>,
 *   stop: () => Promise<void>
 * }>} The running stack.
 */
export async function startStack( {
	dataDir,
	wpPort = 8888,
	servicePort = 8889,
	fresh = false,
	demo = true,
	locale = 'en_US',
	logLevel = 'info',
	wordpressRelease = '6.1',
	scriptDebug = false,
	serviceEnv = {},
} ) {
	dataDir = path.resolve( dataDir );
	if ( fresh ) {
		fs.rmSync( dataDir, { recursive: true, force: true } );
	}
	const secret = readOrCreateSecret( dataDir );
	// `/metrics` is served only to the bearer of this token.
	const metricsToken = readOrCreateSecret( dataDir, 'metrics-token' );
	const wpUrl = `http://localhost:${ wpPort }`;
	// The name browsers and WordPress use; the service itself listens on 127.0.0.1.
	const serviceUrl = `http://localhost:${ servicePort }`;
	const siteDir = path.join( dataDir, 'wordpress' );
	const logsDir = path.join( dataDir, 'logs' );
	const allowedOrigins = [
		`http://localhost:${ wpPort }`,
		`http://127.0.0.1:${ wpPort }`,
	];

	await provisionWordPress( {
		siteDir,
		url: wpUrl,
		secret,
		serviceUrl,
		demo,
		locale,
		wordpressRelease,
		scriptDebug,
	} );

	const serviceOptions = {
		port: servicePort,
		dbFile: path.join( dataDir, 'service', 'chatflows.sqlite' ),
		secret,
		allowedOrigins,
		logFile: path.join( logsDir, 'service.log' ),
		logLevel,
		env: {
			...serviceEnv,
			CHATFLOWS_WORDPRESS_URL: wpUrl,
			CHATFLOWS_METRICS_TOKEN: metricsToken,
		},
	};

	// WordPress first: the service may ask it for the chatflows as it starts.
	const wordpress = await startWordPress( {
		siteDir,
		port: wpPort,
		logFile: path.join( logsDir, 'wordpress.log' ),
	} );
	let service;
	try {
		service = await startService( serviceOptions );
	} catch ( error ) {
		await wordpress.stop();
		throw error;
	}

	const stack = {
		wpUrl,
		serviceUrl,
		secret,
		metricsToken,
		dataDir,
		siteDir,
		wordpress,
		service,
		/**
		 * Stops the service with `signal` (SIGKILL simulates a crash) and starts it again on the same data.
		 *
		 * @param {{ signal?: NodeJS.Signals }} [options]
		 */
		async restartService( { signal = 'SIGTERM' } = {} ) {
			await stack.service.stop( signal );
			stack.service = await startService( serviceOptions );
			return stack.service;
		},
		async stop() {
			await Promise.all( [
				stack.service.stop(),
				stack.wordpress.stop(),
			] );
		},
	};
	return stack;
}
