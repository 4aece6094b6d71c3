/**
 * The widget's weight in `npm run bench`: builds the widget, measures what
 * visitors download (gzip) against the budgets, prints a table and, when the
 * bench writes its report, adds the table to docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
	exceededBudgets,
	measureWidget,
	WIDGET_BUDGETS,
} from '../lib/widget-size.mjs';

const kb = ( bytes ) => `${ ( bytes / 1024 ).toFixed( 2 ) } KB`;

/**
 * The sizes as a Markdown table, with the verdicts.
 *
 * @param {ReturnType<typeof measureWidget>} sizes Measured sizes.
 * @return {string} Markdown.
 */
export function widgetSizeTable( sizes ) {
	const row = ( label, part, budget ) =>
		`| ${ label } | ${ part.files.join( ' + ' ) } | ${ kb( part.bytes ) } | ${ kb(
			part.gzip
		) } | ${ budget ? `${ kb( budget ) }: ${ part.gzip <= budget ? 'within' : 'OVER' }` : '' } |`;
	return [
		'| part | files | minified | gzip | budget (gzip) |',
		'|---|---|---|---|---|',
		row(
			'loader (every page with chat)',
			sizes.loader,
			WIDGET_BUDGETS.loader
		),
		row(
			'chat window with its realtime client (when needed)',
			sizes.chatWindow,
			WIDGET_BUDGETS.chatWindow
		),
		...( sizes.targeting
			? [
					row(
						'targeting (only where visitor rules choose the chatflow)',
						sizes.targeting
					),
				]
			: [] ),
	].join( '\n' );
}

/**
 * Builds and measures the widget; never fails the bench (a broken build is reported).
 *
 * @param {Object}  options
 * @param {string}  options.root  Repository root.
 * @param {boolean} options.write Add the table to docs/benchmarks.md.
 * @param {boolean} options.json  The bench prints JSON on stdout: print the table on stderr.
 * @return {ReturnType<typeof measureWidget>|null} Sizes, or null when the build failed.
 */
export function benchWidgetSize( { root, write, json } ) {
	const out = json ? process.stderr : process.stdout;
	process.stderr.write( 'bench: widget sizes…\n' );
	const built = spawnSync( process.execPath, [ 'widget/build.mjs' ], {
		cwd: root,
		encoding: 'utf8',
	} );
	if ( built.status !== 0 ) {
		process.stderr.write(
			`bench: the widget did not build, no sizes:\n${ built.stderr }\n`
		);
		return null;
	}
	const sizes = measureWidget( path.join( root, 'build', 'widget' ) );
	const table = widgetSizeTable( sizes );
	const over = exceededBudgets( sizes );
	out.write(
		`\nWidget weight:\n\n${ table }\n${ over.length ? `\n${ over.join( '\n' ) }\n` : '' }`
	);
	if ( write ) {
		fs.appendFileSync(
			path.join( root, 'docs', 'benchmarks.md' ),
			`
## Widget weight

What a visitor downloads, gzip (level 9, as served); each part's size is the
sum over its files. Measured by \`npm run bench\` (scripts/bench/widget-size.mjs)
on a fresh \`npm run build:widget\`; \`npm test\` fails when a budget is exceeded
(scripts/test/widget-size.test.js). Pages no chatflow serves load none of it.
For comparison, compressed: Crisp's widget is about 130 KB, Chatwoot's about
170 KB, Intercom's about 280 KB. Measured ${ new Date()
				.toISOString()
				.slice( 0, 16 )
				.replace( 'T', ' ' ) } UTC.

${ table }
`
		);
	}
	return sizes;
}
