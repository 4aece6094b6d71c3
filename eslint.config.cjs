/**
 * WordPress's recommended rules, and nothing from generated or throwaway folders
 * (`.data` holds whole WordPress sites that link back to this repository).
 */
const wordpressDefaults = require( '@wordpress/scripts/config/eslint.config.cjs' );

module.exports = [
	{
		ignores: [ '.data/**', 'build/**', 'server/dist/**', 'test-results/**', 'playwright-report/**' ],
	},
	...wordpressDefaults,
];
