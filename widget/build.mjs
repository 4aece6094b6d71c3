/**
 * Builds the visitor widget: a tiny classic-script loader, and the chat
 * window as an ES module the loader imports on demand.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

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
	} ),
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
