/**
 * Builds the visitor widget: a tiny classic-script loader, and the chat
 * window as an ES module the loader imports on demand.
 */
import { build } from 'esbuild';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { minify } from 'terser';

const root = fileURLToPath( new URL( '..', import.meta.url ) );
const common = {
	absWorkingDir: root,
	bundle: true,
	minify: true,
	target: [ 'es2020' ],
	legalComments: 'none',
	logLevel: 'info',
	metafile: true,
};

/**
 * A second minification pass over a built classic script: terser finds what
 * esbuild leaves (about 3 % of the loader, which every page with chat loads).
 *
 * @param {string} file Built file, rewritten in place.
 */
async function squeeze( file ) {
	const path = `${ root }/${ file }`;
	const { code } = await minify( fs.readFileSync( path, 'utf8' ), {
		ecma: 2020,
		compress: { ecma: 2020 },
		format: { comments: false },
	} );
	fs.writeFileSync( path, code );
}

await Promise.all( [
	build( {
		...common,
		// The snippet's script for pages outside WordPress starts the loader too.
		entryPoints: {
			loader: 'widget/src/loader.ts',
			'outside-page': 'widget/src/outside-page.ts',
		},
		outdir: 'build/widget',
		format: 'iife',
	} ).then( () => squeeze( 'build/widget/loader.js' ) ),
	// Only for pages where visitor rules choose the chatflow; the loader imports it then.
	build( {
		...common,
		entryPoints: { targeting: 'widget/src/display/targeting-chunk.ts' },
		outdir: 'build/widget',
		format: 'esm',
	} ),
	build( {
		...common,
		entryPoints: { 'chat-window': 'widget/src/chat-window/index.tsx' },
		outdir: 'build/widget',
		format: 'esm',
		jsx: 'automatic',
		jsxImportSource: 'preact',
	} ),
] );
