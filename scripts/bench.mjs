/**
 * `npm run bench`: the chat service against a bare socket.io relay (no
 * authentication, no storage), started the same way, in one run:
 *
 * - message latency (send → acknowledgement) p50 / p99, throughput and the
 *   server's CPU time per 1,000 messages with many conversations sending steadily;
 * - server memory per idle visitor connection with thousands connected.
 *
 * Load comes from separate client processes, so the servers' figures are
 * their own. The latency runs alternate relay, service, relay, service… and
 * pool their samples, so a change in the machine's load during the run
 * weighs on both alike. A third server, the durable relay (the bare relay
 * acknowledging only once each message is synced to a file), shows the part
 * of the latency any durable acknowledgement costs on this disk. Prints the ratios (service / relay) and writes them to
 * docs/benchmarks.md with the date and the machine.
 *
 * Options (all optional): --conversations 1000 --interval-ms 1000
 * --warmup-ms 3000 --duration-ms 8000 --rounds 3 --idle 5000 --client-processes 2
 * --idle-processes 4 --no-write (print only) --json (print the results as JSON).
 */
import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { benchWidgetSize } from './bench/widget-size.mjs';
import { processCpuMs } from './lib/process-cpu.mjs';
import { workspacePackages } from './lib/packages.mjs';

const root = path.resolve(
	path.dirname( fileURLToPath( import.meta.url ) ),
	'..'
);
const ORIGIN = 'http://localhost:8888';

/** The servers measured, as the progress lines name them. */
const LABELS = {
	relay: 'relay',
	durableRelay: 'durable relay',
	service: 'service',
};

const defaults = {
	conversations: 1000,
	intervalMs: 1000,
	warmupMs: 3000,
	durationMs: 8000,
	rounds: 3,
	idle: 5000,
	clientProcesses: 2,
	idleProcesses: 4,
	write: true,
	json: false,
};

/**
 * Reads `--name value` options over the defaults.
 *
 * @param {string[]} argv Command-line arguments.
 */
function parseOptions( argv ) {
	const options = { ...defaults };
	for ( let i = 0; i < argv.length; i++ ) {
		const arg = argv[ i ];
		if ( arg === '--no-write' ) {
			options.write = false;
			continue;
		}
		if ( arg === '--json' ) {
			options.json = true;
			continue;
		}
		const key = arg
			.replace( /^--/, '' )
			.replace( /-([a-z])/g, ( _m, c ) => c.toUpperCase() );
		if ( ! ( key in defaults ) || typeof defaults[ key ] !== 'number' ) {
			throw new Error( `Unknown option ${ arg }` );
		}
		const value = Number( argv[ ++i ] );
		if ( ! Number.isFinite( value ) || value < 1 ) {
			throw new Error( `${ arg } needs a positive number` );
		}
		options[ key ] = value;
	}
	return options;
}

const children = new Set();
const tempDirs = [];

function tempDir( prefix ) {
	const dir = fs.mkdtempSync( path.join( os.tmpdir(), prefix ) );
	tempDirs.push( dir );
	return dir;
}

function cleanUp() {
	for ( const child of children ) {
		if ( child.exitCode === null && child.signalCode === null ) {
			child.kill( 'SIGKILL' );
		}
	}
	for ( const dir of tempDirs.splice( 0 ) ) {
		fs.rmSync( dir, { recursive: true, force: true } );
	}
}

process.on( 'exit', cleanUp );
for ( const signal of [ 'SIGINT', 'SIGTERM' ] ) {
	process.on( signal, () => process.exit( 130 ) );
}

/**
 * Runs node with the file-descriptor limit raised to the hard limit, as
 * thousands of sockets need.
 *
 * @param {string[]}                                  args    Arguments to node.
 * @param {import('node:child_process').SpawnOptions} options Spawn options.
 */
function spawnNode( args, options ) {
	const child = spawn(
		'sh',
		[
			'-c',
			'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"',
			process.execPath,
			...args,
		],
		options
	);
	children.add( child );
	child.once( 'exit', () => children.delete( child ) );
	return child;
}

/** Compiles the service into a temporary folder; returns its entry file. */
function buildService() {
	const outDir = tempDir( 'chatflows-bench-build-' );
	const tsc = path.join( root, 'node_modules', 'typescript', 'bin', 'tsc' );
	// The service's project references (packages/*) must be built first.
	execFileSync(
		process.execPath,
		[ tsc, '-b', ...workspacePackages().map( ( { dir } ) => dir ) ],
		{ cwd: root, stdio: 'inherit' }
	);
	execFileSync(
		process.execPath,
		[
			tsc,
			'-p',
			'server/tsconfig.json',
			'--outDir',
			outDir,
			'--sourceMap',
			'false',
		],
		{ cwd: root, stdio: 'inherit' }
	);
	return path.join( outDir, 'index.js' );
}

/**
 * Publishes the load clients' chatflow (`bench`) on the service, signed as
 * WordPress does: the service serves only published chatflows.
 *
 * @param {string} url    The service.
 * @param {string} secret Its secret.
 * @param {string} entry  The built service's entry file (its signing code is beside it).
 */
async function publishBenchChatflow( url, secret, entry ) {
	const { signRequest } = createRequire( import.meta.url )(
		path.join( path.dirname( entry ), 'chatflow-sync', 'signature.js' )
	);
	// A published chatflow that names nobody: any agent, always available.
	const chatflow = JSON.parse(
		fs.readFileSync(
			path.join( root, 'server', 'bench', 'open-chatflow.json' ),
			'utf8'
		)
	);
	const body = JSON.stringify( {
		siteUrl: '',
		allowedOrigins: [],
		chatflows: [ { ...chatflow, id: 'bench' } ],
		agents: [],
		teams: [],
		inboxes: [],
	} );
	const response = await fetch( `${ url }/v1/configuration`, {
		method: 'PUT',
		headers: {
			'Content-Type': 'application/json',
			...signRequest(
				secret,
				{ method: 'PUT', target: '/v1/configuration', body },
				new Date()
			).headers,
		},
		body,
	} );
	if ( ! response.ok ) {
		throw new Error(
			`the service refused the bench's configuration: ${ response.status } ${ await response.text() }`
		);
	}
}

/**
 * Starts the relay or the service and waits for its `listening` line.
 *
 * @param {'relay'|'service'} target What to start.
 * @param {string}            entry  The built service's entry file.
 */
function startServer( target, entry ) {
	const env = {
		PATH: process.env.PATH ?? '',
		NODE_PATH: path.join( root, 'node_modules' ),
		CHATFLOWS_PORT: '0',
		CHATFLOWS_HOST: '127.0.0.1',
	};
	if ( target === 'service' ) {
		Object.assign( env, {
			CHATFLOWS_SECRET: crypto.randomBytes( 32 ).toString( 'hex' ),
			CHATFLOWS_ALLOWED_ORIGINS: ORIGIN,
			CHATFLOWS_DB_FILE: path.join(
				tempDir( 'chatflows-bench-data-' ),
				'chatflows.sqlite'
			),
			CHATFLOWS_LOG_LEVEL: 'info',
			// The load comes from one address and sends fast on purpose.
			...JSON.parse(
				fs.readFileSync(
					path.join( root, 'server', 'bench', 'raised-limits.json' ),
					'utf8'
				)
			),
		} );
	}
	if ( target === 'durableRelay' ) {
		env.CHATFLOWS_BENCH_LOG = path.join(
			tempDir( 'chatflows-bench-log-' ),
			'messages.log'
		);
	}
	const script =
		target === 'service'
			? entry
			: path.join( root, 'server', 'bench', 'relay.mjs' );
	const child = spawnNode( [ script ], {
		cwd: root,
		env,
		stdio: [ 'ignore', 'pipe', 'pipe' ],
	} );
	let output = '';
	let started = false;
	return new Promise( ( resolve, reject ) => {
		const timer = setTimeout(
			() =>
				reject(
					new Error( `${ target } did not start:\n${ output }` )
				),
			30_000
		);
		child.stderr.on( 'data', ( chunk ) => ( output += chunk ) );
		child.stdout.on( 'data', ( chunk ) => {
			if ( output.length < 100_000 ) {
				output += chunk;
			}
			const match = /"port":(\d+)/.exec( output );
			if ( match && output.includes( '"listening"' ) && ! started ) {
				started = true;
				clearTimeout( timer );
				const server = {
					child,
					url: `http://127.0.0.1:${ match[ 1 ] }`,
					stop: () => stopChild( child ),
				};
				resolve(
					target === 'service'
						? publishBenchChatflow(
								server.url,
								env.CHATFLOWS_SECRET,
								entry
							).then( () => server )
						: server
				);
			}
		} );
		child.once( 'exit', ( code ) => {
			clearTimeout( timer );
			reject(
				new Error( `${ target } exited (${ code }):\n${ output }` )
			);
		} );
	} );
}

function stopChild( child ) {
	if ( child.exitCode !== null || child.signalCode !== null ) {
		return Promise.resolve();
	}
	return new Promise( ( resolve ) => {
		const force = setTimeout( () => child.kill( 'SIGKILL' ), 15_000 );
		child.once( 'exit', () => {
			clearTimeout( force );
			resolve();
		} );
		child.kill( 'SIGTERM' );
	} );
}

/**
 * Resident memory of a process in bytes, from /proc.
 *
 * @param {number} pid Process id.
 */
function residentBytes( pid ) {
	const status = fs.readFileSync( `/proc/${ pid }/status`, 'utf8' );
	const match = /VmRSS:\s+(\d+) kB/.exec( status );
	return match ? Number( match[ 1 ] ) * 1024 : NaN;
}

/**
 * Starts client processes, each connecting its share of visitors.
 *
 * @param {string} url       The server.
 * @param {number} total     Visitors in all.
 * @param {number} processes How many client processes.
 * @param {string} prefix    Client id prefix.
 */
async function startClients( url, total, processes, prefix ) {
	const script = path.join( root, 'server', 'bench', 'load-client.mjs' );
	const clients = [];
	for ( let i = 0; i < processes; i++ ) {
		const count =
			Math.floor( total / processes ) + ( i < total % processes ? 1 : 0 );
		const child = spawnNode( [ script ], {
			cwd: root,
			env: {
				PATH: process.env.PATH ?? '',
				NODE_PATH: path.join( root, 'node_modules' ),
			},
			stdio: [ 'ignore', 'inherit', 'inherit', 'ipc' ],
		} );
		const next = ( type ) =>
			new Promise( ( resolve, reject ) => {
				const listener = ( message ) => {
					if ( message.type === 'error' ) {
						child.off( 'message', listener );
						reject( new Error( message.message ) );
					} else if ( message.type === type ) {
						child.off( 'message', listener );
						resolve( message );
					}
				};
				child.on( 'message', listener );
				child.once( 'exit', ( code ) =>
					reject( new Error( `client exited (${ code })` ) )
				);
			} );
		clients.push( { child, next, count } );
		child.send( {
			type: 'start',
			options: {
				url,
				origin: ORIGIN,
				count,
				prefix: `${ prefix }${ i }`,
			},
		} );
	}
	await Promise.all( clients.map( ( client ) => client.next( 'ready' ) ) );
	return clients;
}

async function stopClients( clients ) {
	await Promise.all(
		clients.map(
			( { child } ) =>
				new Promise( ( resolve ) => {
					if ( child.exitCode !== null ) {
						resolve();
						return;
					}
					child.once( 'exit', resolve );
					child.send( { type: 'stop' } );
				} )
		)
	);
}

function percentile( sorted, p ) {
	if ( sorted.length === 0 ) {
		return NaN;
	}
	const index = Math.min(
		sorted.length - 1,
		Math.max( 0, Math.ceil( ( p / 100 ) * sorted.length ) - 1 )
	);
	return sorted[ index ];
}

/**
 * Conversations sending steadily: latency and throughput.
 *
 * @param {'relay'|'service'} target  What to measure.
 * @param {string}            entry   The built service.
 * @param {Object}            options Bench options.
 */
async function measureLatency( target, entry, options ) {
	const server = await startServer( target, entry );
	try {
		const clients = await startClients(
			server.url,
			options.conversations,
			Math.min( options.clientProcesses, options.conversations ),
			'c'
		);
		// The server's CPU over the measured window (after the warm-up),
		// every thread: the service's writer thread included.
		let cpuAtStart = NaN;
		const warmedUp = setTimeout( () => {
			cpuAtStart = processCpuMs( server.child.pid );
		}, options.warmupMs );
		const results = await Promise.all(
			clients.map( async ( client ) => {
				const result = client.next( 'result' );
				client.child.send( {
					type: 'go',
					options: {
						intervalMs: options.intervalMs,
						warmupMs: options.warmupMs,
						durationMs: options.durationMs,
						prefix: 'm',
					},
				} );
				return ( await result ).result;
			} )
		);
		clearTimeout( warmedUp );
		const cpuMs = processCpuMs( server.child.pid ) - cpuAtStart;
		// The service stores what it acknowledges: read it back and compare.
		const checks =
			target === 'service'
				? await Promise.all(
						clients.map( async ( client ) => {
							const checked = client.next( 'checked' );
							client.child.send( { type: 'verify' } );
							return ( await checked ).check;
						} )
					)
				: [];
		await stopClients( clients );
		const latencies = results
			.flatMap( ( result ) => result.latencies )
			.sort( ( a, b ) => a - b );
		const acknowledged = results.reduce(
			( sum, result ) => sum + result.acknowledged,
			0
		);
		return {
			latencies,
			acknowledged,
			cpuMs,
			failures: results.reduce( ( sum, r ) => sum + r.failures, 0 ),
			check: checks.length ? addCounts( checks ) : null,
		};
	} finally {
		await server.stop();
	}
}

/**
 * Adds up objects of counts key by key.
 *
 * @param {Array<Record<string, number>>} list The counts.
 */
function addCounts( list ) {
	const total = {};
	for ( const counts of list ) {
		for ( const [ key, value ] of Object.entries( counts ) ) {
			total[ key ] = ( total[ key ] ?? 0 ) + value;
		}
	}
	return total;
}

const sleep = ( ms ) => new Promise( ( resolve ) => setTimeout( resolve, ms ) );

/**
 * Idle visitors: server memory per connection.
 *
 * @param {'relay'|'service'} target  What to measure.
 * @param {string}            entry   The built service.
 * @param {Object}            options Bench options.
 */
async function measureMemory( target, entry, options ) {
	const server = await startServer( target, entry );
	try {
		// One visitor first, so lazily loaded code is in the baseline.
		const warm = await startClients( server.url, 1, 1, 'w' );
		await stopClients( warm );
		await sleep( 1500 );
		const before = residentBytes( server.child.pid );
		const clients = await startClients(
			server.url,
			options.idle,
			Math.min( options.idleProcesses, options.idle ),
			'i'
		);
		await sleep( 3000 );
		const after = residentBytes( server.child.pid );
		const alive =
			server.child.exitCode === null && server.child.signalCode === null;
		await stopClients( clients );
		return {
			connections: alive ? options.idle : 0,
			rssBefore: before,
			rssAfter: after,
			bytesPerConnection: ( after - before ) / options.idle,
		};
	} finally {
		await server.stop();
	}
}

function machine() {
	const cpus = os.cpus();
	return {
		cpu: `${ cpus.length } × ${ cpus[ 0 ]?.model.trim() ?? 'unknown CPU' }`,
		memory: `${ Math.round( os.totalmem() / 2 ** 30 ) } GiB`,
		os: `${ os.type() } ${ os.release() }`,
		node: process.version,
	};
}

const ms = ( value ) => `${ value.toFixed( 2 ) } ms`;
const ratio = ( service, relay ) => ( service / relay ).toFixed( 2 );
/**
 * A server's CPU time (user + system, every thread) per 1,000 acknowledged messages.
 *
 * @param {{latency: {cpuMsPerThousand: number}}} figures The server's figures.
 */
const cpu = ( figures ) =>
	`${ figures.latency.cpuMsPerThousand.toFixed( 0 ) } ms`;

function table( results ) {
	const { relay, service } = results;
	return [
		'| measure | bare relay | service | service / relay |',
		'|---|---|---|---|',
		`| latency p50 | ${ ms( relay.latency.p50 ) } | ${ ms( service.latency.p50 ) } | ${ ratio( service.latency.p50, relay.latency.p50 ) } |`,
		`| latency p99 | ${ ms( relay.latency.p99 ) } | ${ ms( service.latency.p99 ) } | ${ ratio( service.latency.p99, relay.latency.p99 ) } |`,
		`| CPU per 1,000 messages | ${ cpu( relay ) } | ${ cpu( service ) } | ${ ratio( service.latency.cpuMsPerThousand, relay.latency.cpuMsPerThousand ) } |`,
		`| throughput | ${ relay.latency.throughput.toFixed( 0 ) } msg/s | ${ service.latency.throughput.toFixed( 0 ) } msg/s | ${ ratio( service.latency.throughput, relay.latency.throughput ) } |`,
		`| memory per idle connection | ${ ( relay.memory.bytesPerConnection / 1024 ).toFixed( 1 ) } KiB | ${ ( service.memory.bytesPerConnection / 1024 ).toFixed( 1 ) } KiB | ${ ratio( service.memory.bytesPerConnection, relay.memory.bytesPerConnection ) } |`,
		`| idle connections held | ${ relay.memory.connections } | ${ service.memory.connections } | |`,
		`| failed sends | ${ relay.latency.failures } | ${ service.latency.failures } | |`,
		...( service.latency.check
			? [
					`| acknowledged messages lost / changed / stored twice (read back) | | ${ service.latency.check.lost } / ${ service.latency.check.changed } / ${ service.latency.check.doubled } | |`,
					`| sends without acknowledgement: stored / not stored | | ${ service.latency.check.unacknowledgedStored } / ${ service.latency.check.unacknowledgedMissing } | |`,
				]
			: [] ),
	].join( '\n' );
}

/**
 * The service against the durable relay: what is left once both pay for a
 * durable acknowledgement.
 *
 * @param {Object} results The figures.
 */
function durableTable( results ) {
	const { relay, durableRelay, service } = results;
	return [
		'| measure | durable relay | service | service / durable relay | durable relay / bare relay |',
		'|---|---|---|---|---|',
		`| latency p50 | ${ ms( durableRelay.latency.p50 ) } | ${ ms( service.latency.p50 ) } | ${ ratio( service.latency.p50, durableRelay.latency.p50 ) } | ${ ratio( durableRelay.latency.p50, relay.latency.p50 ) } |`,
		`| latency p99 | ${ ms( durableRelay.latency.p99 ) } | ${ ms( service.latency.p99 ) } | ${ ratio( service.latency.p99, durableRelay.latency.p99 ) } | ${ ratio( durableRelay.latency.p99, relay.latency.p99 ) } |`,
		`| CPU per 1,000 messages | ${ cpu( durableRelay ) } | ${ cpu( service ) } | ${ ratio( service.latency.cpuMsPerThousand, durableRelay.latency.cpuMsPerThousand ) } | ${ ratio( durableRelay.latency.cpuMsPerThousand, relay.latency.cpuMsPerThousand ) } |`,
		`| throughput | ${ durableRelay.latency.throughput.toFixed( 0 ) } msg/s | ${ service.latency.throughput.toFixed( 0 ) } msg/s | ${ ratio( service.latency.throughput, durableRelay.latency.throughput ) } | |`,
		`| failed sends | ${ durableRelay.latency.failures } | ${ service.latency.failures } | | |`,
	].join( '\n' );
}

function verdicts( results, options ) {
	const { relay, service } = results;
	const p99 = service.latency.p99 / relay.latency.p99;
	const memory =
		service.memory.bytesPerConnection / relay.memory.bytesPerConnection;
	return [
		`- p99 latency within 1.5× the relay: ${ p99 <= 1.5 ? 'yes' : 'no' } (${ p99.toFixed( 2 ) }×)`,
		`- memory per connection within 1.3× the relay: ${ memory <= 1.3 ? 'yes' : 'no' } (${ memory.toFixed( 2 ) }×)`,
		`- ${ options.idle } concurrent visitors on one process: ${ service.memory.connections === options.idle ? 'yes' : 'no' }`,
	].join( '\n' );
}

function report( results, options, date ) {
	const m = machine();
	return `# Benchmarks

Measured by \`npm run bench\` (scripts/bench.mjs, server/bench/): the chat
service against a bare socket.io relay (same namespaces and events, no
authentication, no storage), both started the same way (node, file-descriptor
limit raised), with the load in separate client processes, over WebSocket.

- **Latency and throughput:** ${ options.conversations } visitors, each with its open conversation,
  each sending one message every ${ options.intervalMs } ms (spread evenly), for ${ options.durationMs / 1000 } s after a
  ${ options.warmupMs / 1000 } s warm-up, in ${ options.rounds } rounds per server, alternating; latency is from sending to the acknowledgement (for the service: validated,
  rate-limited, stored durably in SQLite with \`synchronous = FULL\`, then acknowledged).
- **Nothing lost or doubled:** after each of the service's rounds, every visitor reads its conversation
  back (\`conversation:resume\`) and compares it with what it sent: acknowledged messages missing or
  changed, client ids stored twice, gaps in the numbering, and whether sends that got no
  acknowledgement were stored.
- **CPU per message:** the server process's user + system time (/proc, every thread) from the end
  of the warm-up until its last round's results, per 1,000 acknowledged messages; noise moves it far less than latency.
- **Memory:** the server's resident memory (/proc VmRSS) before and 3 s after ${ options.idle } idle visitors
  connected, divided by ${ options.idle }.

Run of ${ date } on ${ m.cpu }, ${ m.memory } RAM, ${ m.os }, Node ${ m.node }.
The machine's 1-minute load average was ${ results.load.before.toFixed( 1 ) } at the start and ${ results.load.after.toFixed( 1 ) } at the end
(other work was running on it: on a shared machine the latency figures, and their ratios, vary widely from run to run).

${ table( results ) }

Aims (issue 4):

${ verdicts( results, options ) }

**The durable relay** is the bare relay acknowledging each message only
once it is appended to a file and the file is synced to disk (\`fdatasync\`,
messages arriving during a sync sharing the next one): the least any server
that acknowledges durably pays on this disk, with none of the service's
other work. Measured in the same rounds:

${ durableTable( results ) }

Per message, the service does what the relay does not: the packet guard and
rate limits, zod validation, a durable SQLite transaction on the writer
thread that finds the open conversation and stores the message (group
commit: one fsync per batch, off the event loop; the acknowledgement waits
for the commit), the conversation and ticket bookkeeping, and three
broadcasts (the visitor's other tabs, the agents' message and the inbox
summary), kept for connection-state recovery when someone could recover
them. All servers share the machine's two cores with the load clients: on
a busy machine the latencies are mostly CPU queueing.
`;
}

/**
 * The sections (`## …`) of the benchmark notes below the generated report,
 * kept when the report is rewritten: the history of earlier measurements.
 * The widget weight section is left out: the widget bench appends it anew.
 *
 * @param {string} file docs/benchmarks.md.
 * @return {string} Those sections, after a blank line, or ''.
 */
function earlierSections( file ) {
	const text = fs.existsSync( file ) ? fs.readFileSync( file, 'utf8' ) : '';
	const start = text.search( /^## /m );
	if ( start === -1 ) {
		return '';
	}
	const kept = text
		.slice( start )
		.split( /^(?=## )/m )
		.filter( ( section ) => ! section.startsWith( '## Widget weight' ) );
	return kept.length ? '\n' + kept.join( '' ).trimEnd() + '\n' : '';
}

/**
 * Pools the rounds of one target into its figures.
 *
 * @param {Array<{latencies: number[], acknowledged: number, failures: number}>} rounds  Round results.
 * @param {Object}                                                               options Bench options.
 */
function summarize( rounds, options ) {
	const latencies = rounds
		.flatMap( ( round ) => round.latencies )
		.sort( ( a, b ) => a - b );
	const acknowledged = rounds.reduce( ( sum, r ) => sum + r.acknowledged, 0 );
	const cpuMs = rounds.reduce( ( sum, r ) => sum + r.cpuMs, 0 );
	return {
		cpuMsPerThousand: ( cpuMs / acknowledged ) * 1000,
		p50: percentile( latencies, 50 ),
		p99: percentile( latencies, 99 ),
		throughput:
			acknowledged / ( ( rounds.length * options.durationMs ) / 1000 ),
		failures: rounds.reduce( ( sum, r ) => sum + r.failures, 0 ),
		samples: latencies.length,
		check: rounds.some( ( r ) => r.check )
			? addCounts( rounds.map( ( r ) => r.check ).filter( Boolean ) )
			: null,
	};
}

async function main() {
	const options = parseOptions( process.argv.slice( 2 ) );
	const entry = buildService();
	const loadBefore = os.loadavg()[ 0 ];
	const targets = Object.keys( LABELS );
	const rounds = Object.fromEntries(
		targets.map( ( target ) => [ target, [] ] )
	);
	for ( let round = 1; round <= options.rounds; round++ ) {
		for ( const target of targets ) {
			process.stderr.write(
				`bench: ${ LABELS[ target ] }, steady conversations (round ${ round })…\n`
			);
			rounds[ target ].push(
				await measureLatency( target, entry, options )
			);
		}
	}
	const results = Object.fromEntries(
		targets.map( ( target ) => [
			target,
			{ latency: summarize( rounds[ target ], options ) },
		] )
	);
	// Idle connections cost the durable relay what they cost the bare one.
	for ( const target of [ 'relay', 'service' ] ) {
		process.stderr.write( `bench: ${ target }, idle connections…\n` );
		results[ target ].memory = await measureMemory(
			target,
			entry,
			options
		);
	}
	results.load = { before: loadBefore, after: os.loadavg()[ 0 ] };
	const date =
		new Date().toISOString().slice( 0, 16 ).replace( 'T', ' ' ) + ' UTC';
	if ( options.json ) {
		process.stdout.write( JSON.stringify( { options, results } ) + '\n' );
	} else {
		process.stdout.write(
			`\n${ table( results ) }\n\n${ verdicts(
				results,
				options
			) }\n\nThe durable relay (the bare relay acknowledging each message once a file holding it is synced to disk):\n\n${ durableTable(
				results
			) }\n`
		);
	}
	if ( options.write ) {
		const file = path.join( root, 'docs', 'benchmarks.md' );
		fs.writeFileSync(
			file,
			report( results, options, date ) + earlierSections( file )
		);
		process.stderr.write( 'bench: wrote docs/benchmarks.md\n' );
	}
	benchWidgetSize( { root, write: options.write, json: options.json } );
}

main().then(
	() => process.exit( 0 ),
	( error ) => {
		process.stderr.write( `bench failed: ${ error.stack ?? error }\n` );
		process.exit( 1 );
	}
);
