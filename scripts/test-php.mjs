/**
 * `npm run test:php`: PHP integration tests (test/php/) against a real WordPress.
 *
 * Runs the suite twice: on the SQLite drop-in, and on MariaDB for MySQL's own semantics (a server of its
 * own started on a free loopback port, see lib/mariadb.mjs). Each time it provisions a throwaway site in
 * .data/test/php-site(-mariadb) (en_US, no demo content, afresh on each run; its secret is the one the
 * plugin creates for itself on activation) and runs Debian's PHPUnit on test/php/phpunit.xml with
 * CHATFLOWS_TEST_SITE set. Runs in the same working tree wait for each other.
 * CHATFLOWS_TEST_DB=sqlite or =mariadb runs one of them only.
 * The privacy tests run the built chat service, so a missing or stale `server/dist` is rebuilt first
 * (`npm run build:server`).
 * Arguments are passed on to PHPUnit: `npm run test:php -- --filter SmokeTest`.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
	acquireLock,
	log,
	repoRoot,
	run,
	stopAllChildren,
} from './lib/process.mjs';
import { startMariaDB } from './lib/mariadb.mjs';
import { provisionWordPress } from './lib/wordpress.mjs';

const siteDir = path.join( repoRoot, '.data', 'test', 'php-site' );
const DATABASES = [ 'sqlite', 'mariadb' ];
const serviceEntry = path.join(
	repoRoot,
	'server',
	'dist',
	'server',
	'src',
	'index.js'
);

/**
 * Newest modification time of the files under a folder.
 *
 * @param {string} dir
 * @return {number} Milliseconds since the epoch.
 */
function newestFile( dir ) {
	let newest = 0;
	for ( const entry of fs.readdirSync( dir, { withFileTypes: true } ) ) {
		const full = path.join( dir, entry.name );
		newest = Math.max(
			newest,
			entry.isDirectory()
				? newestFile( full )
				: fs.statSync( full ).mtimeMs
		);
	}
	return newest;
}

/**
 * Whether server/dist is missing or older than the service's sources.
 *
 * @return {boolean} Stale.
 */
function serviceBuildIsStale() {
	if ( ! fs.existsSync( serviceEntry ) ) {
		return true;
	}
	const sources = Math.max(
		newestFile( path.join( repoRoot, 'server', 'src' ) ),
		newestFile( path.join( repoRoot, 'packages' ) ),
		fs.statSync( path.join( repoRoot, 'server', 'tsconfig.json' ) ).mtimeMs
	);
	return fs.statSync( serviceEntry ).mtimeMs < sources;
}

/**
 * Provisions the test site on one database and runs PHPUnit on it.
 *
 * @param {'sqlite'|'mariadb'} database
 * @return {Promise<number>} PHPUnit's exit code.
 */
async function runSuite( database ) {
	const site = database === 'sqlite' ? siteDir : `${ siteDir }-${ database }`;
	const started = Date.now();
	const server =
		database === 'mariadb'
			? await startMariaDB( { dir: `${ site }-db` } )
			: null;
	try {
		await provisionWordPress( {
			siteDir: site,
			// Never served: the URL only shapes the links WordPress builds.
			url: 'http://localhost:8880',
			// No CHATFLOWS_SERVICE_SECRET constant: the plugin creates the site's own secret (an option) on
			// activation, and tests can exercise that. Nothing listens at the service URL: tests that need
			// the service stand in for it themselves.
			serviceUrl: 'http://127.0.0.1:9',
			demo: false,
			locale: 'en_US',
			fresh: true,
			database: server,
		} );
		log(
			`Test site on ${ database } ready in ${ Date.now() - started } ms: ${ path.relative( repoRoot, site ) }`
		);
		process.stdout.write( `\n----- PHP tests on ${ database } -----\n` );
		const args = [
			'-c',
			path.join( 'test', 'php', 'phpunit.xml' ),
			'--colors=auto',
			...process.argv.slice( 2 ),
		];
		const { code } = await run( 'phpunit', args, {
			env: {
				...process.env,
				CHATFLOWS_TEST_SITE: site,
				CHATFLOWS_TEST_DB: database,
			},
			allowFailure: true,
		} );
		return code;
	} finally {
		await server?.stop();
	}
}

for ( const signal of [ 'SIGINT', 'SIGTERM' ] ) {
	process.on( signal, async () => {
		await stopAllChildren();
		process.exit( 130 );
	} );
}

try {
	// One run at a time in this working tree: each run rebuilds the site.
	await acquireLock( `${ siteDir }.lock`, { what: 'the PHP test site' } );
	if ( serviceBuildIsStale() ) {
		log(
			'The chat service is not built or older than its sources: npm run build:server'
		);
		const { code } = await run( 'npm', [ 'run', 'build:server' ], {
			allowFailure: true,
		} );
		// Sources in the middle of a change may not compile: the tests still run on the last build.
		if ( code !== 0 && fs.existsSync( serviceEntry ) ) {
			log( 'The build failed; the privacy tests use the last build.' );
		}
	}
	const only = process.env.CHATFLOWS_TEST_DB;
	if ( only && ! DATABASES.includes( only ) ) {
		throw new Error(
			`CHATFLOWS_TEST_DB=${ only }: use ${ DATABASES.join( ' or ' ) }.`
		);
	}
	const results = [];
	for ( const database of only ? [ only ] : DATABASES ) {
		const code = await runSuite( database );
		results.push( `${ database }: ${ code === 0 ? 'passed' : 'FAILED' }` );
		if ( code !== 0 ) {
			process.exitCode = code;
		}
	}
	log( `PHP tests: ${ results.join( ', ' ) }` );
} catch ( error ) {
	log( error.message );
	process.exitCode = 1;
}
