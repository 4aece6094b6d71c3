/**
 * `npm start`: installs what is missing, builds, and runs the demo: WordPress with the Chatflows plugin on
 * http://localhost:8888 and the chat service on http://localhost:8889. Ctrl-C stops both.
 *
 * Environment:
 *   CHATFLOWS_WP_PORT       WordPress port (8888)
 *   CHATFLOWS_SERVICE_PORT  chat service port (8889)
 *   CHATFLOWS_DATA_DIR      where the demo keeps its data (.data/demo)
 *   CHATFLOWS_RESET=1       start from a fresh demo (deletes the data folder first)
 *   CHATFLOWS_BUILD         auto (build when sources changed), always, or never
 */
import path from 'node:path';
import { build } from './lib/build.mjs';
import { log, repoRoot, stopAllChildren } from './lib/process.mjs';
import { startStack } from './lib/stack.mjs';
import { ensureNodeModules, ensureSystemPackages } from './lib/system.mjs';

const env = process.env;
const wpPort = Number( env.CHATFLOWS_WP_PORT || 8888 );
const servicePort = Number( env.CHATFLOWS_SERVICE_PORT || 8889 );
const dataDir = path.resolve(
	repoRoot,
	env.CHATFLOWS_DATA_DIR || path.join( '.data', 'demo' )
);
const reset = env.CHATFLOWS_RESET === '1' || env.CHATFLOWS_RESET === 'true';
const buildMode = env.CHATFLOWS_BUILD || 'auto';

let stack = null;
let stopping = null;

/**
 * Stops everything this script started, then exits.
 *
 * @param {number} code Exit code.
 */
function shutdown( code ) {
	stopping ??= ( async () => {
		log( 'Stopping…' );
		try {
			await ( stack ? stack.stop() : Promise.resolve() );
		} finally {
			await stopAllChildren();
		}
		log( 'Stopped.' );
		process.exit( code );
	} )();
	return stopping;
}

for ( const signal of [ 'SIGINT', 'SIGTERM', 'SIGHUP' ] ) {
	process.on( signal, () => shutdown( 0 ) );
}

try {
	const started = Date.now();
	await ensureSystemPackages();
	await ensureNodeModules();
	if ( buildMode !== 'never' ) {
		await build( { ifNeeded: buildMode !== 'always' } );
	}
	stack = await startStack( {
		dataDir,
		wpPort,
		servicePort,
		fresh: reset,
		demo: true,
	} );
	if ( stopping ) {
		await stopping;
	}

	const rel = ( file ) => path.relative( process.cwd(), file ) || '.';
	const url = stack.wpUrl;
	process.stdout.write(
		[
			'',
			`Chatflows is running (ready in ${ ( ( Date.now() - started ) / 1000 ).toFixed( 1 ) } s).`,
			'',
			`  Site          ${ url }/`,
			`  Pricing page  ${ url }/pricing/   (the demo chatflow "Website chat" runs there)`,
			`  wp-admin      ${ url }/wp-admin/   log in as admin / password`,
			`  Agent inbox   ${ url }/wp-admin/admin.php?page=chatflows-inbox   log in as agent / password (or admin)`,
			`  Chat service  ${ stack.serviceUrl }`,
			`  Metrics       ${ stack.serviceUrl }/metrics   with Authorization: Bearer <the token in ${ rel( path.join( dataDir, 'metrics-token' ) ) }>`,
			'',
			`  Data          ${ rel( dataDir ) }   (CHATFLOWS_RESET=1 npm start starts afresh)`,
			`  Logs          ${ rel( path.join( dataDir, 'logs' ) ) }/, PHP notices in ${ rel( path.join( stack.siteDir, 'wp-content', 'debug.log' ) ) }`,
			'',
			'Press Ctrl-C to stop.',
			'',
		].join( '\n' )
	);

	// If either process dies on its own, stop the other one too.
	const which = await Promise.race( [
		stack.wordpress.exited.then( () => 'WordPress (PHP server)' ),
		stack.service.exited.then( () => 'The chat service' ),
	] );
	if ( ! stopping ) {
		log(
			`${ which } exited unexpectedly; see the logs in ${ rel( path.join( dataDir, 'logs' ) ) }/`
		);
		await shutdown( 1 );
	}
} catch ( error ) {
	if ( ! stopping ) {
		log( error.message );
		await shutdown( 1 );
	}
}
