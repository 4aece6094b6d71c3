/**
 * Unit and service tests. Browser-side code runs in jsdom with WordPress's
 * jest preset; the chat service, and the tests across parts in
 * test/integration, run in node with real servers and real socket.io clients.
 */
const shared = {
	moduleFileExtensions: [ 'ts', 'tsx', 'js', 'jsx', 'json' ],
	testPathIgnorePatterns: [ '/node_modules/', '/build/', '/dist/', '/test/e2e/' ],
	// Sites under .data link back to this repository; never crawl them.
	modulePathIgnorePatterns: [ '<rootDir>/.data/' ],
	// The shared packages (packages/*) from their TypeScript sources, as the bundlers read them: no build first.
	moduleNameMapper: { '^@chatflows/([^/]+)$': '<rootDir>/packages/$1/src' },
	// Some dependencies ship only ES modules (some as .mjs): Babel compiles them too.
	transform: { '\\.[mc]?[jt]sx?$': 'babel-jest' },
	transformIgnorePatterns: [ '/node_modules/(?!(uuid|@wordpress/theme)/)' ],
};

module.exports = {
	projects: [
		{
			...shared,
			preset: '@wordpress/jest-preset-default',
			displayName: 'browser',
			setupFilesAfterEnv: [ '@testing-library/jest-dom' ],
			testMatch: [
				'<rootDir>/admin/**/test/**/*.test.[jt]s?(x)',
				'<rootDir>/widget/**/test/**/*.test.[jt]s?(x)',
				'<rootDir>/blocks/**/test/**/*.test.[jt]s?(x)',
			],
		},
		{
			// The shared packages run in browsers and in Node alike: tested in Node.
			...shared,
			displayName: 'packages',
			testEnvironment: 'node',
			testMatch: [ '<rootDir>/packages/*/test/**/*.test.[jt]s?(x)' ],
		},
		{
			...shared,
			displayName: 'service',
			testEnvironment: 'node',
			testMatch: [
				'<rootDir>/server/test/**/*.test.ts',
				// Tests across parts: the apps' real clients against the real service.
				'<rootDir>/test/integration/**/*.test.ts',
				'<rootDir>/scripts/test/**/*.test.[jt]s',
			],
		},
	],
};
