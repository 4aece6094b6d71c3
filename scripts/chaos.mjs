/**
 * `npm run chaos`: the fault-injection harness (test/chaos/), bundled
 * with esbuild into build/chaos/ (its packages load from node_modules) and
 * run with node. Arguments pass through; see test/chaos/main.ts.
 * Needs Debian's postgresql and redis-server, as the tests do.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(
	path.dirname( fileURLToPath( import.meta.url ) ),
	'..'
);
const outfile = path.join( root, 'build', 'chaos', 'chaos.cjs' );

await build( {
	absWorkingDir: root,
	entryPoints: [ 'test/chaos/main.ts' ],
	bundle: true,
	platform: 'node',
	format: 'cjs',
	target: 'node20',
	packages: 'external',
	outfile,
	logLevel: 'warning',
} );

const child = spawn(
	'sh',
	[
		'-c',
		// Thousands of sockets: the file-descriptor limit raised to the hard limit.
		'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"',
		process.execPath,
		outfile,
		...process.argv.slice( 2 ),
	],
	{ cwd: root, stdio: 'inherit' }
);
for ( const signal of [ 'SIGINT', 'SIGTERM' ] ) {
	process.on( signal, () => child.kill( signal ) );
}
child.on( 'exit', ( code, signal ) =>
	process.exit( code ?? ( signal ? 1 : 0 ) )
);
