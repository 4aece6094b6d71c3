/**
 * The settings types and schema constant are generated from the one schema; this fails when someone changed
 * plugin/schema/chatflow-settings.json without running `npm run schema:types`.
 */
const { spawnSync } = require( 'node:child_process' );
const path = require( 'node:path' );

const repoRoot = path.resolve( __dirname, '..', '..' );

describe( 'the files generated from the settings schema (packages/chatflow-model/src/settings)', () => {
	it( 'is what the schema generates', () => {
		const result = spawnSync(
			process.execPath,
			[
				path.join( 'scripts', 'generate-settings-types.mjs' ),
				'--check',
			],
			{ cwd: repoRoot, encoding: 'utf8' }
		);
		expect( result.stderr ).toBe( '' );
		expect( result.status ).toBe( 0 );
	} );
} );
