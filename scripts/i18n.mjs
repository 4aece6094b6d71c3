#!/usr/bin/env node
/**
 * `npm run i18n`: writes languages/chatflows.pot from the code, merges it into
 * each locale's .po (keeping translations), compiles the .mo files and the
 * JSON files WordPress loads for the built admin and block scripts.
 *
 * `npm run i18n -- --check`: changes nothing; fails when any of those files is
 * not what the code and the built scripts call for (a string missing from the
 * template, a stale .mo, a JSON file named after a script that no longer
 * exists, …). With `--complete` it also fails on untranslated strings.
 * Run it after a build: the JSON files follow the built scripts.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';

import {
	extractBlockJson,
	extractPhp,
	extractScript,
	extractScripts,
} from './lib/i18n/extract.mjs';
import {
	LOCALES,
	mergeMessages,
	messageKey,
	moBuffer,
	poText,
	potText,
	readKeys,
	readTranslations,
	scriptJsonName,
	scriptJsonText,
} from './lib/i18n/catalog.mjs';
import { repoRoot } from './lib/process.mjs';

const LANGUAGES = 'languages';
const SKIPPED_FOLDERS = new Set( [
	'node_modules',
	'test',
	'tests',
	'__tests__',
	'.data',
	'build',
	'vendor',
] );

async function walk( folder, accept ) {
	const found = [];
	const absolute = path.join( repoRoot, folder );
	if ( ! existsSync( absolute ) ) {
		return found;
	}
	for ( const entry of await readdir( absolute, { withFileTypes: true } ) ) {
		const relativePath = path.posix.join( folder, entry.name );
		if ( entry.isDirectory() ) {
			if ( ! SKIPPED_FOLDERS.has( entry.name ) ) {
				found.push( ...( await walk( relativePath, accept ) ) );
			}
		} else if ( accept( entry.name ) ) {
			found.push( relativePath );
		}
	}
	return found.sort();
}

const isSource = ( name ) =>
	/\.(tsx?|jsx?)$/.test( name ) &&
	! /\.(test|spec)\.[jt]sx?$/.test( name ) &&
	! name.endsWith( '.d.ts' );

/** Every file the plugin's strings come from. */
async function sourceFiles() {
	return {
		php: [
			'chatflows.php',
			'uninstall.php',
			...( await walk( 'plugin', ( name ) => name.endsWith( '.php' ) ) ),
			...( await walk( 'blocks', ( name ) => name.endsWith( '.php' ) ) ),
		].filter( ( file ) => existsSync( path.join( repoRoot, file ) ) ),
		scripts: [
			...( await walk( 'admin/src', isSource ) ),
			...( await walk( 'blocks', isSource ) ),
		],
		blockJson: await walk( 'blocks', ( name ) => name === 'block.json' ),
	};
}

/**
 * Built scripts that load `wp-i18n` (the widget's strings reach it translated
 * in its inline configuration, so it is not among them).
 */
async function builtScripts() {
	const scripts = [];
	for ( const folder of [ 'build/admin', 'build/blocks' ] ) {
		const absolute = path.join( repoRoot, folder );
		if ( ! existsSync( absolute ) ) {
			continue;
		}
		for ( const entry of await readdir( absolute, {
			withFileTypes: true,
			recursive: true,
		} ) ) {
			if ( entry.isFile() && entry.name.endsWith( '.js' ) ) {
				const full = path.join(
					entry.parentPath ?? entry.path,
					entry.name
				);
				scripts.push(
					path
						.relative( repoRoot, full )
						.split( path.sep )
						.join( '/' )
				);
			}
		}
	}
	return scripts.sort();
}

/** Computes every file of languages/ the code calls for. */
async function expectedFiles() {
	const sources = await sourceFiles();
	const messages = mergeMessages( [
		...( await extractPhp( repoRoot, sources.php ) ),
		...( await extractScripts( repoRoot, sources.scripts ) ),
		...( await extractBlockJson( repoRoot, sources.blockJson ) ),
	] );
	const files = new Map();
	files.set( `${ LANGUAGES }/chatflows.pot`, potText( messages ) );

	const scripts = [];
	for ( const script of await builtScripts() ) {
		const code = await readFile( path.join( repoRoot, script ), 'utf8' );
		const keys = new Set(
			extractScript( code, script ).map( ( message ) =>
				messageKey( message )
			)
		);
		if ( keys.size ) {
			scripts.push( { script, keys } );
		}
	}

	const untranslated = {};
	for ( const locale of Object.keys( LOCALES ) ) {
		const poPath = `${ LANGUAGES }/chatflows-${ locale }.po`;
		const previous = existsSync( path.join( repoRoot, poPath ) )
			? await readFile( path.join( repoRoot, poPath ), 'utf8' )
			: undefined;
		const translations = readTranslations( previous );
		const po = poText( messages, locale, translations );
		files.set( poPath, po );
		files.set( `${ LANGUAGES }/chatflows-${ locale }.mo`, moBuffer( po ) );
		for ( const { script, keys } of scripts ) {
			files.set(
				`${ LANGUAGES }/${ scriptJsonName( locale, script ) }`,
				scriptJsonText( locale, keys, translations )
			);
		}
		untranslated[ locale ] = messages
			.filter(
				( message ) => ! translations.has( messageKey( message ) )
			)
			.map( ( message ) => messageKey( message ) );
	}
	return { files, messages, scripts, untranslated };
}

async function existingGeneratedFiles() {
	const folder = path.join( repoRoot, LANGUAGES );
	if ( ! existsSync( folder ) ) {
		return [];
	}
	return ( await readdir( folder ) )
		.filter( ( name ) => /^chatflows.*\.(pot|po|mo|json)$/.test( name ) )
		.map( ( name ) => `${ LANGUAGES }/${ name }` );
}

function sameContent( a, b ) {
	return Buffer.from( a ).equals( Buffer.from( b ) );
}

async function main() {
	const check = process.argv.includes( '--check' );
	const complete = process.argv.includes( '--complete' );
	const { files, messages, scripts, untranslated } = await expectedFiles();
	const existing = await existingGeneratedFiles();
	const problems = [];

	for ( const [ file, content ] of files ) {
		const absolute = path.join( repoRoot, file );
		const current = existsSync( absolute )
			? await readFile( absolute )
			: null;
		if ( current && sameContent( current, content ) ) {
			continue;
		}
		if ( check ) {
			problems.push(
				current ? `${ file } is out of date` : `${ file } is missing`
			);
		} else {
			await writeFile( absolute, content );
		}
	}
	for ( const file of existing ) {
		if ( files.has( file ) ) {
			continue;
		}
		if ( check ) {
			problems.push( `${ file } belongs to no built script or locale` );
		} else {
			await rm( path.join( repoRoot, file ) );
		}
	}
	if ( check && problems.some( ( problem ) => problem.includes( '.pot' ) ) ) {
		const pot = existsSync(
			path.join( repoRoot, LANGUAGES, 'chatflows.pot' )
		)
			? await readFile(
					path.join( repoRoot, LANGUAGES, 'chatflows.pot' ),
					'utf8'
				)
			: '';
		const known = pot ? readKeys( pot ) : new Set();
		for ( const message of messages ) {
			if ( ! known.has( messageKey( message ) ) ) {
				problems.push(
					`not in the template: "${ message.msgid }" (${ message.references[ 0 ] })`
				);
			}
		}
	}
	if ( complete ) {
		for ( const [ locale, keys ] of Object.entries( untranslated ) ) {
			for ( const key of keys ) {
				problems.push(
					`${ locale }: untranslated "${ key.replace( '\u0004', ' | ' ) }"`
				);
			}
		}
	}

	const summary = `${ messages.length } strings, ${ scripts.length } scripts, untranslated: ${ Object.entries(
		untranslated
	)
		.map( ( [ locale, keys ] ) => `${ locale } ${ keys.length }` )
		.join( ', ' ) }`;
	if ( problems.length ) {
		process.stderr.write(
			`${ problems.join( '\n' ) }\n\nTranslations are not current (${ summary }). Run \`npm run build && npm run i18n\`, translate, and commit languages/.\n`
		);
		process.exitCode = 1;
		return;
	}
	process.stdout.write(
		`${ check ? 'Translations are current' : 'Wrote languages/' }: ${ summary }.\n`
	);
}

await main();
