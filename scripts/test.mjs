/**
 * `npm test`: everything, from a fresh machine. Installs what is missing (Debian packages,
 * node_modules), builds, checks the translations, then runs typecheck, lint, unit, php, e2e and
 * production (the release artifacts on nginx + PHP-FPM + MariaDB over HTTPS), each step's output streamed.
 * A failing step does not stop the others; the run fails if any step failed.
 *
 * Environment:
 *   CHATFLOWS_TEST_ONLY=php,e2e   run only these steps (build, i18n, typecheck, lint, phpcs, unit, php, e2e,
 *                                 production); the build also runs for i18n and e2e, which need it
 *                                 (production builds through `npm run dist`)
 */
import { build } from './lib/build.mjs';
import { log, run, stopAllChildren } from './lib/process.mjs';
import {
	ensureComposerPackages,
	ensureNodeModules,
	ensureSystemPackages,
} from './lib/system.mjs';

const STEPS = [
	{ name: 'build', run: () => build() },
	// languages/ is current and complete: the template, every translation, the built scripts' JSON files.
	{ name: 'i18n', script: 'i18n', args: [ '--check', '--complete' ] },
	{ name: 'typecheck', script: 'typecheck' },
	{ name: 'lint', script: 'lint' },
	// PHP: WordPress Coding Standards and PHP/WordPress compatibility (phpcs.xml.dist).
	{ name: 'phpcs', script: 'lint:php' },
	{ name: 'unit', script: 'test:unit' },
	{ name: 'php', script: 'test:php' },
	{ name: 'e2e', script: 'test:e2e' },
	// The artifacts a site owner installs, made afresh, on the production-like stack.
	{
		name: 'production',
		run: async () => {
			await run( 'npm', [ 'run', 'dist' ] );
			await run( 'npm', [ 'run', 'test:production' ] );
		},
	},
];

for ( const signal of [ 'SIGINT', 'SIGTERM' ] ) {
	process.on( signal, async () => {
		await stopAllChildren();
		process.exit( 130 );
	} );
}

/**
 * The steps to run, from CHATFLOWS_TEST_ONLY.
 *
 * @return {typeof STEPS} Steps.
 */
function selectedSteps() {
	const only = ( process.env.CHATFLOWS_TEST_ONLY ?? '' )
		.split( ',' )
		.map( ( name ) => name.trim().replace( /^test:/, '' ) )
		.filter( Boolean );
	if ( only.length === 0 ) {
		return STEPS;
	}
	const unknown = only.filter(
		( name ) => ! STEPS.some( ( step ) => step.name === name )
	);
	if ( unknown.length ) {
		log(
			`CHATFLOWS_TEST_ONLY names unknown steps: ${ unknown.join(
				', '
			) } (known: ${ STEPS.map( ( step ) => step.name ).join( ', ' ) })`
		);
		process.exit( 2 );
	}
	if ( only.includes( 'e2e' ) || only.includes( 'i18n' ) ) {
		only.push( 'build' );
	}
	return STEPS.filter( ( step ) => only.includes( step.name ) );
}

const steps = selectedSteps();
const results = [];

try {
	await ensureSystemPackages();
	await ensureNodeModules();
	await ensureComposerPackages();
} catch ( error ) {
	log( `Set-up failed: ${ error.message }` );
	process.stdout.write( '\nsteps: 0 passed, 1 failed\n' );
	process.exit( 1 );
}

/** How much of each step's output is kept to repeat what failed (characters). */
const OUTPUT_KEPT = 400_000;

/** Lines that say a test failed, in the output of jest, PHPUnit, Playwright and the linters. */
const FAILURE_LINE =
	/(✕|✘|\bFAIL\b|FAILED|Failed asserting|^\s*\d+\) |Error:|error\s|There (was|were) \d+ (failure|error)|Expected|Received|Tests:|Timeout)/;

/**
 * The lines of a step's output that name its failures (at most 60), then its last lines.
 *
 * @param {string} output The end of the step's output.
 * @return {string} What to repeat after the summary.
 */
function failureLines( output ) {
	const lines = output.split( '\n' );
	const named = lines
		.filter( ( line ) => FAILURE_LINE.test( line ) )
		.slice( 0, 60 );
	return [ ...named, '…', ...lines.slice( -20 ) ].join( '\n' );
}

const failures = [];

for ( const step of steps ) {
	const args = step.args ? [ '--', ...step.args ] : [];
	const label = step.script
		? [ 'npm run', step.script, ...args ].join( ' ' )
		: step.name;
	process.stdout.write( `\n===== ${ step.name }: ${ label } =====\n` );
	const started = Date.now();
	let ok;
	try {
		if ( step.script ) {
			const { code, tail } = await run(
				'npm',
				[ 'run', step.script, ...args ],
				{
					allowFailure: true,
					keepTail: OUTPUT_KEPT,
				}
			);
			ok = code === 0;
			if ( ! ok ) {
				failures.push( { name: step.name, output: tail } );
			}
		} else {
			await step.run();
			ok = true;
		}
	} catch ( error ) {
		log( error.message );
		ok = false;
	}
	const seconds = ( Date.now() - started ) / 1000;
	results.push( { name: step.name, ok, seconds } );
	process.stdout.write(
		`===== ${ step.name }: ${ ok ? 'passed' : 'FAILED' } in ${ seconds.toFixed(
			1
		) } s =====\n`
	);
}

const passed = results.filter( ( result ) => result.ok ).length;
const failed = results.length - passed;
const width = Math.max( ...results.map( ( result ) => result.name.length ) );
process.stdout.write(
	[
		'',
		'Summary',
		...results.map(
			( result ) =>
				`  ${ result.name.padEnd( width ) }  ${
					result.ok ? 'passed' : 'FAILED'
				}  ${ result.seconds.toFixed( 1 ).padStart( 6 ) } s`
		),
		'',
		`steps: ${ passed } passed, ${ failed } failed`,
		'',
	].join( '\n' )
);
// The end of a long run is what a CI log shows first: say there what failed.
for ( const failure of failures ) {
	process.stdout.write(
		`----- what ${ failure.name } said of its failures -----\n${ failureLines(
			failure.output
		) }\n`
	);
}
process.exitCode = failed ? 1 : 0;
