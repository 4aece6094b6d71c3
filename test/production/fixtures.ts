/**
 * Fixtures of the production-stack test: the stack (one per worker, that is
 * per WordPress version), a Chromium whose profile trusts the stack's
 * certificate authority and maps the stack's host names to this machine, and
 * the console error guard.
 */
import fs from 'node:fs';
import path from 'node:path';

import { chromium, test as base, expect, type Browser } from '@playwright/test';

import { ConsoleErrors } from '../e2e/fixtures';

export type StackModule =
	typeof import( '../../scripts/lib/production-stack.mjs' );
export type ProductionStack = Awaited<
	ReturnType< StackModule[ 'startProductionStack' ] >
>;

export interface ProductionOptions {
	/** `minimum`: Debian 12's WordPress 6.1; `newest`: the newest a registry here serves. */
	wordpress: 'minimum' | 'newest';
}

const repoRoot = path.resolve( __dirname, '..', '..' );

/** Debian 12's WordPress, the minimum the plugin supports. */
const MINIMUM_WORDPRESS = '/usr/share/wordpress';

/**
 * Ports: nginx (HTTPS, the site and the service), MariaDB, and the service
 * behind nginx; the newest WordPress's stack takes the three after.
 */
const BASE_PORT = Number( process.env.CHATFLOWS_PRODUCTION_PORT ?? 8920 );

/**
 * The release artifacts `npm run dist` made for package.json's version.
 *
 * @return The zip, the tarball and the version.
 */
export function distArtifacts() {
	const { version } = JSON.parse(
		fs.readFileSync( path.join( repoRoot, 'package.json' ), 'utf8' )
	) as { version: string };
	const dir = path.join( repoRoot, 'dist' );
	const zip = path.join( dir, `chatflows-${ version }.zip` );
	const tarball = path.join( dir, `chatflows-service-${ version }.tgz` );
	for ( const file of [ zip, tarball ] ) {
		if ( ! fs.existsSync( file ) ) {
			throw new Error(
				`${ path.relative( repoRoot, file ) } is missing: run \`npm run dist\` first.`
			);
		}
	}
	return { version, zip, tarball };
}

/**
 * The folder of the WordPress to install.
 *
 * @param wordpress Which one.
 */
async function wordpressSource(
	wordpress: ProductionOptions[ 'wordpress' ]
): Promise< string > {
	if ( wordpress === 'minimum' ) {
		return MINIMUM_WORDPRESS;
	}
	const { provisionNewestWordPress } = ( await import(
		path.join( repoRoot, 'scripts', 'lib', 'newest-wordpress.mjs' )
	) ) as {
		provisionNewestWordPress: () => Promise< { coreDir: string } >;
	};
	return ( await provisionNewestWordPress() ).coreDir;
}

export const test = base.extend<
	{ consoleErrors: ConsoleErrors },
	ProductionOptions & { stack: ProductionStack; browser: Browser }
>( {
	wordpress: [ 'minimum', { scope: 'worker', option: true } ],
	stack: [
		async ( { wordpress }, provide ) => {
			// A dynamic import keeps the ES module as it is (the test runner compiles this file to CommonJS).
			const { startProductionStack }: StackModule =
				await import( '../../scripts/lib/production-stack.mjs' );
			const port = BASE_PORT + ( wordpress === 'minimum' ? 0 : 3 );
			const stack = await startProductionStack( {
				dataDir: path.join(
					repoRoot,
					'.data',
					`production-${ BASE_PORT }-${ wordpress }`
				),
				wordpressSource: await wordpressSource( wordpress ),
				httpsPort: port,
				mariadbPort: port + 1,
				servicePort: port + 2,
			} );
			try {
				await provide( stack );
			} finally {
				await stack.stop();
			}
		},
		{ scope: 'worker', timeout: 600_000 },
	],
	// Chromium with a profile (its HOME's NSS database) that trusts the test's
	// certificate authority, like a visitor's browser trusts a real one: no
	// certificate error is ignored.
	browser: [
		async ( { stack }, provide ) => {
			const { browserHomeTrusting }: StackModule =
				await import( '../../scripts/lib/production-stack.mjs' );
			const home = await browserHomeTrusting(
				path.join( stack.dataDir, 'browser-home' ),
				stack.caFile
			);
			const browser = await chromium.launch( {
				executablePath:
					process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
				env: { ...process.env, HOME: home },
				args: [
					'--no-sandbox',
					'--disable-gpu',
					'--disable-quic',
					'--no-first-run',
					'--disable-background-networking',
					'--disable-component-update',
					'--disable-sync',
					// The stack's names are this machine; nothing else is reached.
					`--host-resolver-rules=MAP ${ stack.siteHost } 127.0.0.1, MAP ${ stack.chatHost } 127.0.0.1, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1`,
				],
			} );
			await provide( browser );
			await browser.close();
		},
		{ scope: 'worker' },
	],
	consoleErrors: async ( {}, provide ) => {
		const collector = new ConsoleErrors();
		await provide( collector );
		expect( collector.errors, 'console errors' ).toEqual( [] );
	},
} );

export { expect };
