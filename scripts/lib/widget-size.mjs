/**
 * The widget's weight, as visitors download it (gzip), against its budgets:
 * the loader every page with chat loads, and the chat window with everything
 * it imports statically (its realtime client included), loaded when needed.
 * Used by the size check in `npm test` and by `npm run bench`.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

/** Budgets in bytes, gzip. */
export const WIDGET_BUDGETS = {
	loader: 3 * 1024,
	chatWindow: 40 * 1024,
};

/**
 * Gzip size of some bytes, at the level servers use for static files.
 *
 * @param {Buffer|string} content Bytes.
 * @return {number} Compressed size in bytes.
 */
export function gzipSize( content ) {
	return zlib.gzipSync( content, { level: 9 } ).length;
}

/**
 * The relative modules an ES module imports statically (not `import()`).
 *
 * @param {string} source Built JavaScript.
 * @return {string[]} Specifiers such as `./chunk-ABC.js`.
 */
export function staticImports( source ) {
	const found = new Set();
	const pattern =
		/(?:^|[;\n}])\s*(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["'](\.{1,2}\/[^"']+)["']/g;
	for ( const match of source.matchAll( pattern ) ) {
		found.add( match[ 1 ] );
	}
	return [ ...found ];
}

/**
 * A file and the files it imports statically, each once.
 *
 * @param {string} dir  Folder of the built widget.
 * @param {string} name File name in it.
 * @return {string[]} File names relative to `dir`.
 */
function withStaticImports( dir, name ) {
	const seen = new Set();
	const visit = ( file ) => {
		if ( seen.has( file ) ) {
			return;
		}
		const full = path.join( dir, file );
		if ( ! fs.existsSync( full ) ) {
			throw new Error(
				`${ path.join( dir, file ) } is missing: run npm run build:widget first.`
			);
		}
		seen.add( file );
		for ( const specifier of staticImports(
			fs.readFileSync( full, 'utf8' )
		) ) {
			visit( path.posix.join( path.posix.dirname( file ), specifier ) );
		}
	};
	visit( name );
	return [ ...seen ];
}

/**
 * Measures a built widget.
 *
 * @param {string} dir Folder of the built widget (`build/widget`).
 * @return {{
 *   loader: { files: string[], bytes: number, gzip: number },
 *   chatWindow: { files: string[], bytes: number, gzip: number },
 *   targeting: { files: string[], bytes: number, gzip: number } | null
 * }} Sizes; each part's gzip is the sum over its files (each is its own request).
 */
export function measureWidget( dir ) {
	const part = ( name ) => {
		const files = withStaticImports( dir, name );
		const contents = files.map( ( file ) =>
			fs.readFileSync( path.join( dir, file ) )
		);
		return {
			files,
			bytes: contents.reduce(
				( sum, content ) => sum + content.length,
				0
			),
			gzip: contents.reduce(
				( sum, content ) => sum + gzipSize( content ),
				0
			),
		};
	};
	return {
		loader: part( 'loader.js' ),
		chatWindow: part( 'chat-window.js' ),
		targeting: fs.existsSync( path.join( dir, 'targeting.js' ) )
			? part( 'targeting.js' )
			: null,
	};
}

/**
 * The budgets a measured widget exceeds.
 *
 * @param {ReturnType<typeof measureWidget>} sizes   Measured sizes.
 * @param {typeof WIDGET_BUDGETS}            budgets Budgets.
 * @return {string[]} One sentence per exceeded budget; empty when all hold.
 */
export function exceededBudgets( sizes, budgets = WIDGET_BUDGETS ) {
	return [ 'loader', 'chatWindow' ]
		.filter( ( key ) => sizes[ key ].gzip > budgets[ key ] )
		.map(
			( key ) =>
				`${ key === 'loader' ? 'The loader' : 'The chat window' } (${ sizes[
					key
				].files.join(
					' + '
				) }) is ${ sizes[ key ].gzip } bytes gzip, over its budget of ${ budgets[ key ] } bytes.`
		);
}
