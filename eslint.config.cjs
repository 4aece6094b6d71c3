/**
 * WordPress's recommended rules, and nothing from generated or throwaway folders
 * (`.data` holds whole WordPress sites that link back to this repository).
 */
const path = require( 'node:path' );
const wordpressDefaults = require( '@wordpress/scripts/config/eslint.config.cjs' );

module.exports = [
	{
		ignores: [
			'.data/**',
			'build/**',
			'dist/**',
			'server/dist/**',
			'test-results/**',
			'playwright-report/**',
		],
	},
	...wordpressDefaults,
	{
		// The service ships as its own npm package: what it imports must be in server/package.json.
		files: [ 'server/src/**' ],
		rules: {
			'import/no-extraneous-dependencies': [
				'error',
				{
					packageDir: path.join( __dirname, 'server' ),
					devDependencies: false,
				},
			],
		},
	},
	{
		// The service's tests and benchmarks run from the repository, with its development dependencies.
		files: [ 'server/test/**', 'server/bench/**' ],
		rules: {
			'import/no-extraneous-dependencies': [
				'error',
				{ packageDir: __dirname },
			],
		},
	},
];
