/**
 * `npm run schema:types`: generates, from the one schema of a chatflow's settings
 * (plugin/schema/chatflow-settings.json, which WordPress validates with), into packages/chatflow-model/src/settings/:
 * - settings-types.ts, the TypeScript types of the settings;
 * - settings-schema.ts, the schema itself as a typed constant (without its prose), which the package's validators
 *   walk and whose limits the admin and the service read.
 * `--check` writes nothing and exits with 1 when a committed file differs from what the schema gives.
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
const OUTPUT_DIR = path.join(
	repoRoot,
	'packages',
	'chatflow-model',
	'src',
	'settings'
);
const TYPES_FILE = path.join( OUTPUT_DIR, 'settings-types.ts' );
const SCHEMA_CONSTANT_FILE = path.join( OUTPUT_DIR, 'settings-schema.ts' );

const BANNER = `/**
 * Settings of a chatflow, as stored and served by the \`chatflows/v1\` REST API.
 *
 * GENERATED from plugin/schema/chatflow-settings.json by \`npm run schema:types\`: do not edit by hand.
 * A unit test fails when this file is older than the schema.
 */`;

const SCHEMA_BANNER = `/**
 * The schema of a chatflow's settings, as a typed constant: its limits read as literal types
 * (\`SETTINGS_SCHEMA.properties.options.properties.idleCloseMinutes.maximum\` is \`10080\`).
 *
 * GENERATED from plugin/schema/chatflow-settings.json by \`npm run schema:types\`: do not edit by hand.
 * Descriptions and titles are left out (they are prose, and the bundles carry this file).
 * A unit test fails when this file is older than the schema.
 */`;

/**
 * A schema node without its prose (`description`, `title`, `$schema`).
 *
 * @param {unknown} node Schema node.
 * @return {unknown} The node's rules.
 */
function withoutProse( node ) {
	if ( Array.isArray( node ) ) {
		return node.map( withoutProse );
	}
	if ( node && typeof node === 'object' ) {
		return Object.fromEntries(
			Object.entries( node )
				.filter(
					( [ key ] ) =>
						! [ 'description', 'title', '$schema' ].includes( key )
				)
				.map( ( [ key, value ] ) => [ key, withoutProse( value ) ] )
		);
	}
	return node;
}

/**
 * The schema constant's file for the current schema.
 *
 * @param {Object} schema The schema.
 * @return {Promise<string>} TypeScript source.
 */
function generateSchemaConstant( schema ) {
	const source = `${ SCHEMA_BANNER }\nexport const SETTINGS_SCHEMA = ${ JSON.stringify(
		withoutProse( schema ),
		null,
		'\t'
	) } as const;\n`;
	return prettier.format( source, {
		...wordpressPrettierConfig,
		filepath: SCHEMA_CONSTANT_FILE,
	} );
}

/**
 * The types file's text for the current schema, formatted as the project's lint expects.
 *
 * @param {Object} schema The schema.
 * @return {Promise<string>} TypeScript source.
 */
async function generateTypes( schema ) {
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

const schema = JSON.parse( fs.readFileSync( SCHEMA_FILE, 'utf8' ) );
const outputs = [
	[ TYPES_FILE, await generateTypes( schema ) ],
	[ SCHEMA_CONSTANT_FILE, await generateSchemaConstant( schema ) ],
];
if ( process.argv.includes( '--check' ) ) {
	for ( const [ file, expected ] of outputs ) {
		const actual = fs.existsSync( file )
			? fs.readFileSync( file, 'utf8' )
			: '';
		if ( actual !== expected ) {
			process.stderr.write(
				`${ path.relative( repoRoot, file ) } is stale: run \`npm run schema:types\`.\n`
			);
			process.exitCode = 1;
		}
	}
} else {
	fs.mkdirSync( OUTPUT_DIR, { recursive: true } );
	for ( const [ file, expected ] of outputs ) {
		fs.writeFileSync( file, expected );
		process.stdout.write( `Wrote ${ path.relative( repoRoot, file ) }\n` );
	}
}
