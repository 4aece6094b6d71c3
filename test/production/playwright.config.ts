/**
 * The production-like stack, end to end in Debian's Chromium: nginx + PHP-FPM
 * + MariaDB over HTTPS, the plugin uploaded as its zip, the service installed
 * from its package behind the same nginx. Once on WordPress's minimum
 * supported version (Debian 12's 6.1) and once on the newest available.
 * `npm run dist` must have made the zip and the tarball first.
 */
import { defineConfig } from '@playwright/test';

import type { ProductionOptions } from './fixtures';

export default defineConfig< ProductionOptions >( {
	testDir: '.',
	testMatch: '*.spec.ts',
	outputDir: '../../test-results/production',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 240_000,
	expect: { timeout: 15_000 },
	forbidOnly: !! process.env.CI,
	reporter: [ [ 'list' ] ],
	use: {
		viewport: { width: 1280, height: 800 },
		// A step that cannot happen fails on its own, not at the end of the long test's time.
		actionTimeout: 60_000,
		navigationTimeout: 60_000,
		trace: 'retain-on-failure',
		screenshot: 'only-on-failure',
	},
	projects: [
		{ name: 'wordpress-6.1', use: { wordpress: '6.1' } },
		{ name: 'wordpress-newest', use: { wordpress: 'newest' } },
	],
} );
