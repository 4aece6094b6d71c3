/**
 * `npm run test:php`: PHP integration tests (test/php/) against a real WordPress.
 *
 * Provisions a throwaway site in .data/test/php-site (en_US, no demo content, afresh on each run; its
 * secret is the one the plugin creates for itself on activation) and runs Debian's PHPUnit on
 * test/php/phpunit.xml with CHATFLOWS_TEST_SITE set. Runs in the same working tree wait for each other.
 * Arguments are passed on to PHPUnit: `npm run test:php -- --filter SmokeTest`.
 */
import path from 'node:path';
import {
	acquireLock,
	log,
	repoRoot,
	run,
	stopAllChildren,
} from './lib/process.mjs';
import { provisionWordPress } from './lib/wordpress.mjs';

const siteDir = path.join( repoRoot, '.data', 'test', 'php-site' );

for ( const signal of [ 'SIGINT', 'SIGTERM' ] ) {
	process.on( signal, async () => {
		await stopAllChildren();
		process.exit( 130 );
	} );
}

try {
	// One run at a time in this working tree: each run rebuilds the site.
	await acquireLock( `${ siteDir }.lock`, { what: 'the PHP test site' } );
	const started = Date.now();
	await provisionWordPress( {
		siteDir,
		// Never served: the URL only shapes the links WordPress builds.
		url: 'http://localhost:8880',
		// No CHATFLOWS_SERVICE_SECRET constant: the plugin creates the site's own secret (an option) on
		// activation, and tests can exercise that. Nothing listens at the service URL: tests that need
		// the service stand in for it themselves.
		serviceUrl: 'http://127.0.0.1:9',
		demo: false,
		locale: 'en_US',
		fresh: true,
	} );
	log(
		`Test site ready in ${ Date.now() - started } ms: ${ path.relative( repoRoot, siteDir ) }`
	);

	const args = [
		'-c',
		path.join( 'test', 'php', 'phpunit.xml' ),
		'--colors=auto',
		...process.argv.slice( 2 ),
	];
	const { code } = await run( 'phpunit', args, {
		env: { ...process.env, CHATFLOWS_TEST_SITE: siteDir },
		allowFailure: true,
	} );
	process.exitCode = code;
} catch ( error ) {
	log( error.message );
	process.exitCode = 1;
}
