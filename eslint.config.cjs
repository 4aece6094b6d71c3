/**
 * WordPress's recommended rules, and nothing from generated or throwaway folders
 * (`.data` holds whole WordPress sites that link back to this repository).
 */
const path = require( 'node:path' );
const wordpressDefaults = require( '@wordpress/scripts/config/eslint.config.cjs' );

/**
 * Which way imports run (README, "Layout"): an app imports the shared packages by name (`@chatflows/<name>`),
 * never another app's source; a package imports no app. Each app's source folder, and the folders whose
 * files belong to that app (its sources and its tests); `test` (end-to-end tests) is an app of its own here.
 */
const APP_SOURCES = {
	admin: 'admin/src',
	widget: 'widget/src',
	server: 'server/src',
	blocks: 'blocks',
	plugin: 'plugin',
};
const APP_FOLDERS = [ 'admin', 'widget', 'server', 'blocks', 'test' ];

/*
 * ┌──────────────────────────────────────────────────────────────────────────────────────────────────────┐
 * │ TEMPORARY EXCEPTIONS to the import rule: arrows between apps that remain until their code moves into │
 * │ a package. `files`: the app folder whose files may still import `source` (a file of another app).    │
 * └──────────────────────────────────────────────────────────────────────────────────────────────────────┘
 */
const TEMPORARY_EXCEPTIONS = [
	// The texts of the chat window the admin's preview prints, and the service's office-hours evaluation the
	// admin's office-hours test compares its rows with (settings and targeting are in @chatflows/chatflow-model).
	{ files: 'admin', source: 'widget/src/page-settings.ts' },
	{ files: 'admin', source: 'server/src/availability.ts' },
	// Shared user-interface helpers, not yet in a package of their own.
	{ files: 'admin', source: 'widget/src/chat-window/heading.ts' },
	{
		files: 'admin',
		source: 'widget/src/chat-window/attachments/object-url.ts',
	},
	{ files: 'blocks', source: 'admin/src/components/controls.tsx' },
	// Tests that drive another app's code: the real clients against the service, the admin's snippet in a page.
	{ files: 'server', source: 'widget/src/chat-window/visitor-chat.ts' },
	{ files: 'server', source: 'admin/src/inbox/connection.ts' },
	{ files: 'server', source: 'admin/src/inbox/store' },
	{ files: 'test', source: 'admin/src/chatflows/outside-page-snippet.ts' },
];

/** What a package's tests may read of the apps' folders, by folder. */
const PACKAGE_TEST_DATA = {
	test: [ './fixtures' ],
	plugin: [ './schema/chatflow-settings.json' ],
};

/** `import/no-restricted-paths` zones: every app folder against every other app's source, and packages against all apps. */
const IMPORT_ZONES = [
	...APP_FOLDERS.flatMap( ( folder ) =>
		Object.values( APP_SOURCES )
			.filter( ( source ) => source.split( '/' )[ 0 ] !== folder )
			.map( ( source ) => ( {
				target: `./${ folder }`,
				from: `./${ source }`,
				except: TEMPORARY_EXCEPTIONS.filter(
					( exception ) =>
						exception.files === folder &&
						exception.source.startsWith( `${ source }/` )
				).map(
					( exception ) =>
						`./${ path.posix.relative( source, exception.source ) }`
				),
				message: `An app imports no other app's source: move what is shared into packages/ and import it as @chatflows/<name>.`,
			} ) )
	),
	{
		target: './packages/*/src/**',
		from: [ ...APP_FOLDERS, 'plugin', 'scripts' ].map(
			( folder ) => `./${ folder }`
		),
		message: 'A package imports no app.',
	},
	// A package's tests read data, not code: the fixtures both implementations of a rule pass, the settings schema.
	...[ ...APP_FOLDERS, 'plugin', 'scripts' ].map( ( folder ) => ( {
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
