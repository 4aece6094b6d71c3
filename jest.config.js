/**
 * Unit and service tests. Browser-side code runs in jsdom; the chat service
 * runs in node with real servers and real socket.io clients.
 */
const wpConfig = require( '@wordpress/scripts/config/jest-unit.config.js' );

const shared = {
	transform: wpConfig.transform,
	moduleFileExtensions: [ 'ts', 'tsx', 'js', 'jsx', 'json' ],
	testPathIgnorePatterns: [ '/node_modules/', '/build/', '/dist/', '/test/e2e/' ],
};

module.exports = {
	projects: [
		{
			...shared,
			displayName: 'browser',
			testEnvironment: 'jsdom',
			setupFilesAfterEnv: [ '@testing-library/jest-dom' ],
			testMatch: [
				'<rootDir>/admin/**/test/**/*.test.[jt]s?(x)',
				'<rootDir>/widget/**/test/**/*.test.[jt]s?(x)',
				'<rootDir>/blocks/**/test/**/*.test.[jt]s?(x)',
			],
		},
		{
			...shared,
			displayName: 'service',
			testEnvironment: 'node',
			testMatch: [ '<rootDir>/server/test/**/*.test.ts', '<rootDir>/scripts/test/**/*.test.[jt]s' ],
		},
	],
};
