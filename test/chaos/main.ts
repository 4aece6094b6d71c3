/**
 * `npm run chaos` (bundled and started by scripts/chaos.mjs): the
 * fault-injection scenarios, each a minute by default, with their checks and
 * figures. Exits 1 when a check failed.
 *
 * Options: --scenario sqlite|two-nodes|herd|all (all; herd: only the herd,
 * on two nodes) --duration-ms 60000
 * --visitors 200 (sqlite) --two-node-visitors 200,500 --faults-per-minute 6
 * --listening-tab-every 4 (every fourth visitor has a second, listening tab)
 * --agents 6 (agent inboxes, each replying in a visitor's conversation)
 * --seed 1 --herd 1000 (0: no herd test) --herd-messages 1 (each herd
 * client's messages before the kill; 0: idle clients) --herd-senders 20
 * (visitors sending on the survivor meanwhile) --port-base 0 (first
 * of the loopback ports to use; free ports when 0) --service-source DIR (a
 * folder holding another `server/src` to run, e.g. an older commit's from
 * `git archive`, to compare builds under the same harness).
 */
import { killServiceProcesses } from '../../server/test/service-process';
import { formatReport } from './report';
import { Scenario, type ScenarioOptions } from './scenario';

const defaults = {
	scenario: 'all',
	durationMs: 60_000,
	visitors: 200,
	listeningTabEvery: 4,
	agents: 6,
	twoNodeVisitors: '200,500',
	faultsPerMinute: 6,
	seed: 1,
	herd: 1000,
	herdMessages: 1,
	herdSenders: 20,
	portBase: 0,
	serviceSource: '',
};

type Options = typeof defaults;

/**
 * Reads `--name value` options over the defaults.
 *
 * @param argv Command-line arguments.
 */
function parseOptions( argv: string[] ): Options {
	const options: Record< string, string | number > = { ...defaults };
	for ( let i = 0; i < argv.length; i++ ) {
		const key = argv[ i ]
			.replace( /^--/, '' )
			.replace( /-([a-z])/g, ( _m, c: string ) => c.toUpperCase() );
		if ( ! ( key in defaults ) || argv[ i + 1 ] === undefined ) {
			throw new Error(
				`Unknown option or missing value: ${ argv[ i ] }`
			);
		}
		const value = argv[ ++i ];
		if ( typeof defaults[ key as keyof Options ] === 'number' ) {
			const number = Number( value );
			if ( ! Number.isFinite( number ) || number < 0 ) {
				throw new Error( `${ argv[ i - 1 ] } needs a number` );
			}
			options[ key ] = number;
		} else {
			options[ key ] = value;
		}
	}
	return options as Options;
}

async function main(): Promise< number > {
	const options = parseOptions( process.argv.slice( 2 ) );
	const log = ( line: string ) =>
		process.stderr.write( `chaos: ${ line }\n` );
	const runs: ScenarioOptions[] = [];
	const common = {
		durationMs: options.durationMs,
		faultsPerMinute: options.faultsPerMinute,
		seed: options.seed,
		listeningTabEvery: options.listeningTabEvery || 1,
		agents: options.agents,
		portBase: options.portBase,
		herdMessages: options.herdMessages,
		herdSenders: options.herdSenders,
		serviceSource: options.serviceSource || undefined,
		log,
	};
	if ( options.scenario === 'all' || options.scenario === 'sqlite' ) {
		runs.push( {
			...common,
			name: 'one node on SQLite: SIGKILL, SIGSTOP, connection cuts',
			storage: 'sqlite',
			nodes: 1,
			visitors: options.visitors,
			faults: [ 'kill', 'stop', 'cut' ],
			herd: 0,
		} );
	}
	if ( options.scenario === 'all' || options.scenario === 'two-nodes' ) {
		for ( const visitors of options.twoNodeVisitors
			.split( ',' )
			.map( Number )
			.filter( ( n ) => n > 0 ) ) {
			runs.push( {
				...common,
				name: 'two nodes on PostgreSQL and Redis: node kills',
				storage: 'postgres',
				nodes: 2,
				visitors,
				faults: [ 'kill' ],
				// The herd once, after the first two-node run.
				herd: runs.some( ( run ) => run.herd > 0 ) ? 0 : options.herd,
			} );
		}
	}
	if ( options.scenario === 'herd' ) {
		runs.push( {
			...common,
			name: 'the herd',
			storage: 'postgres',
			nodes: 2,
			visitors: 0,
			faults: [],
			herd: options.herd,
		} );
	}
	if ( runs.length === 0 ) {
		throw new Error( `Unknown scenario ${ options.scenario }` );
	}
	let failed = false;
	for ( const run of runs ) {
		const report = await new Scenario( run ).run();
		process.stdout.write( formatReport( report ) + '\n\n' );
		failed ||= report.checks.some( ( check ) => ! check.ok );
	}
	return failed ? 1 : 0;
}

// Whatever happens, no service node outlives the run.
process.on( 'exit', killServiceProcesses );
for ( const signal of [ 'SIGINT', 'SIGTERM' ] as const ) {
	process.on( signal, () => process.exit( 130 ) );
}

main().then(
	( code ) => process.exit( code ),
	( error ) => {
		process.stderr.write( `chaos failed: ${ error?.stack ?? error }\n` );
		process.exit( 2 );
	}
);
