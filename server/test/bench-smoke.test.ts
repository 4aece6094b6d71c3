/**
 * The benchmark's code, run with tiny numbers so it cannot rot: both servers
 * start, the load clients connect and send, the figures come out, and every
 * process it started is gone afterwards. Figures themselves are never
 * asserted here: speed is measured by `npm run bench`.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';

jest.setTimeout( 240_000 );

const ROOT = path.resolve( __dirname, '..', '..' );

function run(
	args: string[]
): Promise< { code: number | null; stdout: string; stderr: string } > {
	const child = spawn(
		process.execPath,
		[ path.join( ROOT, 'scripts', 'bench.mjs' ), ...args ],
		{ cwd: ROOT, stdio: [ 'ignore', 'pipe', 'pipe' ] }
	);
	let stdout = '';
	let stderr = '';
	child.stdout.on( 'data', ( chunk ) => ( stdout += chunk ) );
	child.stderr.on( 'data', ( chunk ) => ( stderr += chunk ) );
	return new Promise( ( resolve ) =>
		child.once( 'exit', ( code ) => resolve( { code, stdout, stderr } ) )
	);
}

describe( 'npm run bench', () => {
	it( 'measures the relay and the service with tiny numbers', async () => {
		const { code, stdout, stderr } = await run( [
			'--conversations',
			'4',
			'--interval-ms',
			'100',
			'--warmup-ms',
			'200',
			'--duration-ms',
			'1000',
			'--idle',
			'20',
			'--client-processes',
			'2',
			'--idle-processes',
			'2',
			'--no-write',
			'--json',
		] );
		expect( { code, stderr: code === 0 ? '' : stderr } ).toEqual( {
			code: 0,
			stderr: '',
		} );
		const { results } = JSON.parse( stdout.trim().split( '\n' ).pop()! );
		for ( const target of [ 'relay', 'service' ] ) {
			const { latency, memory } = results[ target ];
			expect( latency.failures ).toBe( 0 );
			expect( latency.samples ).toBeGreaterThan( 0 );
			expect( latency.p50 ).toBeGreaterThan( 0 );
			expect( latency.p99 ).toBeGreaterThanOrEqual( latency.p50 );
			expect( latency.throughput ).toBeGreaterThan( 0 );
			expect( memory.connections ).toBe( 20 );
			expect( memory.rssAfter ).toBeGreaterThan( 0 );
		}
		// The durable relay acknowledged only synced messages, in the same rounds.
		const durable = results.durableRelay.latency;
		expect( durable.failures ).toBe( 0 );
		expect( durable.samples ).toBeGreaterThan( 0 );
		expect( durable.p99 ).toBeGreaterThanOrEqual( durable.p50 );
		// The service's stored conversations were read back: everything
		// acknowledged is there once, numbered without gaps.
		expect( results.relay.latency.check ).toBeNull();
		expect( results.service.latency.check ).toEqual( {
			acknowledged: expect.any( Number ),
			lost: 0,
			changed: 0,
			doubled: 0,
			gaps: 0,
			unacknowledgedStored: 0,
			unacknowledgedMissing: 0,
			unreadable: 0,
		} );
		expect( results.service.latency.check.acknowledged ).toBeGreaterThan(
			results.service.latency.samples
		);
	} );

	it( 'refuses an unknown option', async () => {
		const { code, stderr } = await run( [ '--speed', '9' ] );
		expect( code ).toBe( 1 );
		expect( stderr ).toContain( 'Unknown option --speed' );
	} );
} );
