/**
 * End-to-end tests in Debian's Chromium against a real WordPress and the real
 * chat service, started by the `stack` fixture on their own ports and data.
 *
 * Two projects: every spec on WordPress 6.1 (Debian 12's, the plugin's
 * minimum), and a subset on the newest WordPress a registry serves, with
 * SCRIPT_DEBUG and console warnings counted as failures. The subset covers the
 * admin screens, the block in the editor, the page panel, the widget and the
 * inbox. `CHATFLOWS_E2E_WP=6.1` or `=newest` runs only one of them.
 */
import { defineConfig } from '@playwright/test';

import type { WordPressRelease } from './fixtures';

/** The specs that also run on the newest WordPress. */
export const NEWEST_WORDPRESS_SPECS = [
	'foundation.spec.ts',
	'wordpress-releases.spec.ts',
	'chatflow-setup.spec.ts',
];

const projects = [
	{ name: 'wp-6.1', use: { wordpressRelease: '6.1' as WordPressRelease } },
	{
		name: 'wp-newest',
		testMatch: NEWEST_WORDPRESS_SPECS,
		use: { wordpressRelease: 'newest' as WordPressRelease },
	},
];
const onlyRelease = process.env.CHATFLOWS_E2E_WP;
if (
	onlyRelease &&
	! projects.some( ( p ) => p.name === `wp-${ onlyRelease }` )
) {
	throw new Error(
		`CHATFLOWS_E2E_WP=${ onlyRelease }: use 6.1 or newest (or leave it unset for both).`
	);
}

export default defineConfig< object, { wordpressRelease: WordPressRelease } >( {
	projects: projects.filter(
		( project ) => ! onlyRelease || project.name === `wp-${ onlyRelease }`
	),
	testDir: '.',
	testMatch: '*.spec.ts',
	outputDir: '../../test-results',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 90_000,
	expect: { timeout: 10_000 },
	forbidOnly: !! process.env.CI,
	reporter: [ [ 'list' ] ],
	use: {
		browserName: 'chromium',
		viewport: { width: 1280, height: 800 },
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				// Pages never reach outside this machine.
				'--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost',
			],
		},
	},
} );
