/**
 * End-to-end tests in Debian's Chromium against a real WordPress and the real
 * chat service, started by the `stack` fixture on their own ports and data.
 */
import { defineConfig } from '@playwright/test';

export default defineConfig( {
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
