/**
 * Fails when the TypeScript sources import each other in a circle, type-only
 * imports included (a circle of types still ties two modules together).
 * Part of `npm run lint`.
 *
 * Usage: node scripts/check-import-cycles.mjs [folder…]
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(
	path.dirname( fileURLToPath( import.meta.url ) ),
	'..'
);
const DEFAULT_FOLDERS = [
	'server/src',
	'widget/src',
	'admin/src',
	'blocks',
	'packages',
];
const EXTENSIONS = [ '.ts', '.tsx' ];
const SKIPPED = new Set( [
	'node_modules',
	'build',
	'dist',
	'test',
	'__tests__',
] );

/**
 * Every TypeScript source file under a folder, tests left out.
 *
 * @param {string} folder Absolute path.
 * @return {string[]} Absolute paths.
 */
function sourcesUnder( folder ) {
	if ( ! existsSync( folder ) ) {
		return [];
	}
	return readdirSync( folder ).flatMap( ( name ) => {
		const file = path.join( folder, name );
		if ( statSync( file ).isDirectory() ) {
			return SKIPPED.has( name ) ? [] : sourcesUnder( file );
		}
		return EXTENSIONS.includes( path.extname( name ) ) &&
			! /\.(test|spec)\.tsx?$/.test( name ) &&
			! name.endsWith( '.d.ts' )
			? [ file ]
			: [];
	} );
}

/**
 * The file a relative import names, if it is a TypeScript source.
 *
 * @param {string} from      The importing file.
 * @param {string} specifier What it imports.
 * @return {string|null} Absolute path.
 */
function resolve( from, specifier ) {
	if ( ! specifier.startsWith( '.' ) ) {
		return null;
	}
	const base = path
		.resolve( path.dirname( from ), specifier )
		.replace( /\.js$/, '' );
	const candidates = [
		base,
		...EXTENSIONS.map( ( extension ) => base + extension ),
		...EXTENSIONS.map( ( extension ) =>
			path.join( base, 'index' + extension )
		),
	];
	return (
		candidates.find(
			( candidate ) =>
				EXTENSIONS.includes( path.extname( candidate ) ) &&
				existsSync( candidate ) &&
				statSync( candidate ).isFile()
		) ?? null
	);
}

/**
 * The circles among the files: each strongly connected group of two or
 * more files (or a file importing itself), by Tarjan's algorithm.
 *
 * @param {Map<string, string[]>} graph File to the files it imports.
 * @return {string[][]} The circles.
 */
function circles( graph ) {
	let index = 0;
	const indices = new Map();
	const lowest = new Map();
	const stack = [];
	const onStack = new Set();
	const found = [];
	const visit = ( file ) => {
		indices.set( file, index );
		lowest.set( file, index );
		index++;
		stack.push( file );
		onStack.add( file );
		for ( const next of graph.get( file ) ?? [] ) {
			if ( ! indices.has( next ) ) {
				visit( next );
				lowest.set(
					file,
					Math.min( lowest.get( file ), lowest.get( next ) )
				);
			} else if ( onStack.has( next ) ) {
				lowest.set(
					file,
					Math.min( lowest.get( file ), indices.get( next ) )
				);
			}
		}
		if ( lowest.get( file ) === indices.get( file ) ) {
			const group = [];
			let member;
			do {
				member = stack.pop();
				onStack.delete( member );
				group.push( member );
			} while ( member !== file );
			if (
				group.length > 1 ||
				( graph.get( file ) ?? [] ).includes( file )
			) {
				found.push( group.sort() );
			}
		}
	};
	for ( const file of graph.keys() ) {
		if ( ! indices.has( file ) ) {
			visit( file );
		}
	}
	return found;
}

const folders = (
	process.argv.length > 2 ? process.argv.slice( 2 ) : DEFAULT_FOLDERS
).map( ( folder ) => path.resolve( root, folder ) );
const graph = new Map();
for ( const file of folders.flatMap( sourcesUnder ) ) {
	const { importedFiles } = ts.preProcessFile(
		readFileSync( file, 'utf8' ),
		true,
		true
	);
	graph.set(
		file,
		importedFiles
			.map( ( imported ) => resolve( file, imported.fileName ) )
			.filter( ( target ) => target !== null )
	);
}
const found = circles( graph );
if ( found.length > 0 ) {
	process.stderr.write(
		`Import circles (break each: move what both sides need into a module of its own):\n${ found
			.map(
				( group ) =>
					`  ${ group.map( ( file ) => path.relative( root, file ) ).join( ' <-> ' ) }`
			)
			.join( '\n' ) }\n`
	);
	process.exit( 1 );
}
process.stdout.write( `No import circles among ${ graph.size } files.\n` );
