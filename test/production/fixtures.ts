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
type WordPressModule = typeof import( '../../scripts/lib/wordpress.mjs' );
export type ProductionStack = Awaited<
	ReturnType< StackModule[ 'startProductionStack' ] >
>;

export interface ProductionOptions {
	/** `6.1`: Debian 12's, the plugin's minimum; `newest`: the newest a registry here serves. */
	wordpress: '6.1' | 'newest';
}

const repoRoot = path.resolve( __dirname, '..', '..' );

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

export const test = base.extend<
	{ consoleErrors: ConsoleErrors },
	ProductionOptions & { stack: ProductionStack; browser: Browser }
>( {
	wordpress: [ '6.1', { scope: 'worker', option: true } ],
	stack: [
		async ( { wordpress }, provide ) => {
			// A dynamic import keeps the ES module as it is (the test runner compiles this file to CommonJS).
			const { startProductionStack }: StackModule =
				await import( '../../scripts/lib/production-stack.mjs' );
			const { wordpressCore }: WordPressModule =
				await import( '../../scripts/lib/wordpress.mjs' );
			const port = BASE_PORT + ( wordpress === '6.1' ? 0 : 3 );
			const stack = await startProductionStack( {
				dataDir: path.join(
					repoRoot,
					'.data',
					`production-${ BASE_PORT }-${ wordpress }`
				),
				wordpressSource: await wordpressCore( wordpress ),
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
