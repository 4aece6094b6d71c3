/**
 * WordPress's recommended rules, and nothing from generated or throwaway folders
 * (`.data` holds whole WordPress sites that link back to this repository); which way imports
 * may run between the apps and the packages, with no exceptions (scripts/test/import-rules.test.js
 * lints an import of each forbidden kind); and whose dependencies each part may import.
 */
const path = require( 'node:path' );
const wordpressDefaults = require( '@wordpress/scripts/config/eslint.config.cjs' );

/**
 * Which way imports run (README, "Layout"): an app imports the shared packages by name (`@chatflows/<name>`),
 * never another app's source; a package imports no app. Each app's source folder, and the folders whose
 * files belong to an app (its sources and its tests), which may import no other app's source.
 */
const APP_SOURCES = {
	admin: 'admin/src',
	widget: 'widget/src',
	server: 'server/src',
	blocks: 'blocks',
	plugin: 'plugin',
};
const APP_FOLDERS = [ 'admin', 'widget', 'server', 'blocks' ];

/**
 * The tests across parts (`test/`: end to end, integration, production) drive several apps together, so they
 * may import any app's source: that is their job. A permanent rule, and the only arrows between apps.
 */
const CROSS_PART_TESTS = 'test';

/** What a package's tests may read of the apps' folders, by folder. */
const PACKAGE_TEST_DATA = {
	test: [ './fixtures' ],
	plugin: [ './schema/chatflow-settings.json' ],
};

/**
 * The packages the service installs (in server/package.json): each lists its own dependencies, which
 * `npm run dist` bundles with it. The others are read only by the bundlers and jest, from the repository.
 */
const SERVICE_PACKAGES = Object.keys(
	require( './server/package.json' ).dependencies
).filter( ( name ) => name.startsWith( '@chatflows/' ) );

/** Every folder a package may not import code from. */
const NOT_FOR_PACKAGES = [
	...APP_FOLDERS,
	'plugin',
	CROSS_PART_TESTS,
	'scripts',
];

/** `import/no-restricted-paths` zones: every app folder against every other app's source, and packages against all apps. */
const IMPORT_ZONES = [
	...APP_FOLDERS.flatMap( ( folder ) =>
		Object.values( APP_SOURCES )
			.filter( ( source ) => source.split( '/' )[ 0 ] !== folder )
			.map( ( source ) => ( {
				target: `./${ folder }`,
				from: `./${ source }`,
				message: `An app imports no other app's source: move what is shared into packages/ and import it as @chatflows/<name> (tests that drive several apps belong in ${ CROSS_PART_TESTS }/).`,
			} ) )
	),
	{
		target: './packages/*/src/**',
		from: NOT_FOR_PACKAGES.map( ( folder ) => `./${ folder }` ),
		message: 'A package imports no app.',
	},
	// A package's tests read data, not code: the fixtures both implementations of a rule pass, the settings schema.
	...NOT_FOR_PACKAGES.map( ( folder ) => ( {
		target: './packages/*/test/**',
		from: `./${ folder }`,
		except: PACKAGE_TEST_DATA[ folder ] ?? [],
		message:
			"A package's tests import no app; of the apps' folders they read test/fixtures and plugin/schema only.",
	} ) ),
];

module.exports = [
	{
		ignores: [
			'.data/**',
			'build/**',
			'dist/**',
			'server/dist/**',
			'packages/*/dist/**',
			'test-results/**',
			'playwright-report/**',
		],
	},
	...wordpressDefaults,
	{
		rules: {
			'import/no-restricted-paths': [
				'error',
				{ basePath: __dirname, zones: IMPORT_ZONES },
			],
		},
	},
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
		// A package only the bundlers read (e.g. @chatflows/components on @wordpress/components) uses the
		// repository's dependencies, as the apps do.
		files: [ 'packages/*/src/**' ],
		ignores: SERVICE_PACKAGES.map(
			( name ) => `packages/${ name.replace( '@chatflows/', '' ) }/**`
		),
		rules: {
			'import/no-extraneous-dependencies': [
				'error',
				{ packageDir: __dirname },
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
