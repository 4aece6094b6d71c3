/**
 * `npm run schema:types`: generates the admin's TypeScript types of a chatflow's settings from the one
 * schema, plugin/schema/chatflow-settings.json, into admin/src/chatflows/settings-types.ts.
 * `--check` writes nothing and exits with 1 when the committed file differs from what the schema gives.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile } from 'json-schema-to-typescript';
// The formatter and style that @wordpress/scripts itself brings (and lints with).
// eslint-disable-next-line import/no-extraneous-dependencies
import prettier from 'prettier';
// eslint-disable-next-line import/no-extraneous-dependencies
import wordpressPrettierConfig from '@wordpress/prettier-config';

const repoRoot = path.resolve(
	path.dirname( fileURLToPath( import.meta.url ) ),
	'..'
);
const SCHEMA_FILE = path.join(
	repoRoot,
	'plugin',
	'schema',
	'chatflow-settings.json'
);
const TYPES_FILE = path.join(
	repoRoot,
	'admin',
	'src',
	'chatflows',
	'settings-types.ts'
);

const BANNER = `/**
 * Settings of a chatflow, as stored and served by the \`chatflows/v1\` REST API.
 *
 * GENERATED from plugin/schema/chatflow-settings.json by \`npm run schema:types\`: do not edit by hand.
 * A unit test fails when this file is older than the schema.
 */`;

/**
 * The types file's text for the current schema, formatted as the project's lint expects.
 *
 * @return {Promise<string>} TypeScript source.
 */
async function generate() {
	const schema = JSON.parse( fs.readFileSync( SCHEMA_FILE, 'utf8' ) );
	const source = await compile( schema, 'ChatflowSettings', {
		bannerComment: BANNER,
		additionalProperties: false,
		format: false,
		strictIndexSignatures: true,
		ignoreMinAndMax: true,
		cwd: path.dirname( SCHEMA_FILE ),
	} );
	// `@minItems` / `@maxItems` are not JSDoc tags (the lint refuses them); the limits stay in the schema.
	const withoutLimitTags = source.replace(
		/\n *\* *\n *\* @(?:min|max)Items \d+/g,
		''
	);
	// The style WordPress's lint (wp-scripts lint-js) checks.
	return prettier.format( withoutLimitTags, {
		...wordpressPrettierConfig,
		filepath: TYPES_FILE,
	} );
}

const expected = await generate();
if ( process.argv.includes( '--check' ) ) {
	const actual = fs.existsSync( TYPES_FILE )
		? fs.readFileSync( TYPES_FILE, 'utf8' )
		: '';
	if ( actual !== expected ) {
		process.stderr.write(
			`${ path.relative( repoRoot, TYPES_FILE ) } is stale: run \`npm run schema:types\`.\n`
		);
		process.exit( 1 );
	}
} else {
	fs.mkdirSync( path.dirname( TYPES_FILE ), { recursive: true } );
	fs.writeFileSync( TYPES_FILE, expected );
	process.stdout.write(
		`Wrote ${ path.relative( repoRoot, TYPES_FILE ) }\n`
	);
}
