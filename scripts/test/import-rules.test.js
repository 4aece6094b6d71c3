/**
 * Which way imports run (README, "Layout"), as `npm run lint` enforces it: a file of an app that imports
 * another app's source fails `import/no-restricted-paths`, and so does a package that imports an app; the
 * tests across parts (test/) may import any app. Each case lints a file that is not there, beside real ones,
 * importing a real module, with the repository's own eslint.config.cjs (one eslint process for all: its
 * configuration loads through a dynamic import, which jest's sandbox refuses).
 */
const { spawnSync } = require( 'node:child_process' );
const path = require( 'node:path' );

const repoRoot = path.resolve( __dirname, '..', '..' );

const APP_TO_APP = "An app imports no other app's source";

/** Each case: where the file would be, what it says, and the import rule's complaint (null: none). */
const CASES = [
	// The arrows that once were temporary exceptions.
	[
		'blocks/live-chat/probe.tsx',
		"import { adminData } from '../../admin/src/chatflows/admin-data';",
		APP_TO_APP,
	],
	[
		'admin/src/chatflows/components/test/probe.test.ts',
		"import { evaluateAvailability } from '../../../../../server/src/availability';",
		APP_TO_APP,
	],
	[
		'admin/src/components/probe.tsx',
		"import { headingView } from '../../../widget/src/chat-window/heading';",
		APP_TO_APP,
	],
	[
		'server/test/probe.test.ts',
		"const { InboxConnection } = require( '../../admin/src/inbox/connection' );",
		APP_TO_APP,
	],
	[
		'server/test/probe.test.ts',
		"import { VisitorChat } from '../../widget/src/chat-window/visitor-chat';",
		APP_TO_APP,
	],
	// And the other directions.
	[
		'widget/src/probe.ts',
		"import type { ChatflowsAdminData } from '../../admin/src/chatflows/admin-data';",
		APP_TO_APP,
	],
	[
		'server/src/probe.ts',
		"import type { WidgetConfig } from '../../widget/src/page-settings';",
		APP_TO_APP,
	],
	[
		'admin/src/probe.ts',
		"import { loadEnvironment } from '../../server/src/environment';",
		APP_TO_APP,
	],
	// A package by name is the way.
	[
		'blocks/live-chat/probe.tsx',
		"import { SelectControl } from '@chatflows/components';",
		null,
	],
	// The tests across parts may import any app: that is their job.
	[
		'test/integration/probe.test.ts',
		"import { InboxConnection } from '../../admin/src/inbox/connection';",
		null,
	],
	[
		'test/integration/probe.test.ts',
		"import { VisitorChat } from '../../widget/src/chat-window/visitor-chat';",
		null,
	],
	// A package imports no app, nor do its tests.
	[
		'packages/chat-ui/src/probe.ts',
		"import { adminData } from '../../../admin/src/chatflows/admin-data';",
		'A package imports no app.',
	],
	[
		'packages/chatflow-model/test/probe.test.ts',
		"import { evaluateAvailability } from '../../../server/src/availability';",
		"A package's tests import no app",
	],
];

/** Lints each `{ file, source }` read from stdin; prints each one's messages, as JSON. */
const LINT_TEXTS = `
const { ESLint } = require( 'eslint' );
let input = '';
process.stdin.on( 'data', ( chunk ) => ( input += chunk ) ).on( 'end', async () => {
	const eslint = new ESLint( { cwd: process.cwd() } );
	const found = [];
	for ( const { file, source } of JSON.parse( input ) ) {
		const [ result ] = await eslint.lintText( source, { filePath: file } );
		found.push( result.messages );
	}
	process.stdout.write( JSON.stringify( found ) );
} );
`;

let messages;

beforeAll( () => {
	const linted = spawnSync( process.execPath, [ '-e', LINT_TEXTS ], {
		cwd: repoRoot,
		input: JSON.stringify(
			CASES.map( ( [ file, source ] ) => ( {
				file: path.join( repoRoot, file ),
				source,
			} ) )
		),
		encoding: 'utf8',
	} );
	if ( linted.status !== 0 ) {
		throw new Error( `eslint failed: ${ linted.stderr }` );
	}
	messages = JSON.parse( linted.stdout );
}, 300_000 );

it.each( CASES.map( ( testCase, index ) => [ ...testCase, index ] ) )(
	'%s: %s → %p',
	( _file, _source, complaint, index ) => {
		// The file parses: a fatal error would hide the rule.
		expect(
			messages[ index ].filter( ( message ) => message.fatal )
		).toEqual( [] );
		const found = messages[ index ]
			.filter(
				( message ) => message.ruleId === 'import/no-restricted-paths'
			)
			.map( ( message ) => message.message );
		const wanted = complaint ? [ complaint ] : [];
		expect( found ).toEqual(
			wanted.map( ( text ) => expect.stringContaining( text ) )
		);
	}
);
