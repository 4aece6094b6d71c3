/**
 * The built service as a real process: crash safety and graceful shutdown.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import {
	ALLOWED_ORIGINS,
	SECRET,
	visitorAsk,
	cleanup,
	connectVisitor,
	makeTempDir,
	TEST_CONFIGURATION,
	type TestService,
} from './helpers';
import { freePort } from './process-helpers';
import { pushConfiguration } from './service-process';

jest.setTimeout( 120_000 );

const ROOT = path.resolve( __dirname, '..', '..' );
const ENTRY = path.join( ROOT, 'server', 'dist', 'server', 'src', 'index.js' );

interface RunningService {
	child: ChildProcess;
	/** Enough of a TestService for the client helpers. */
	service: TestService;
	exited: Promise< { code: number | null; signal: NodeJS.Signals | null } >;
	output: () => string;
}

const children: ChildProcess[] = [];

/**
 * Starts `node server/dist/server/src/index.js` on a free port, waits for it to listen
 * and publishes the tests' chatflows, as WordPress would.
 *
 * @param env Extra environment variables.
 */
async function startProcess(
	env: Record< string, string >
): Promise< RunningService > {
	const running = await startedProcess( env );
	await pushConfiguration( running.service, TEST_CONFIGURATION );
	return running;
}

/**
 * Starts `node server/dist/server/src/index.js` on a free port and waits for it to listen.
 *
 * @param env Extra environment variables.
 */
function startedProcess(
	env: Record< string, string >
): Promise< RunningService > {
	const child = spawn( process.execPath, [ ENTRY ], {
		cwd: ROOT,
		env: {
			PATH: process.env.PATH ?? '',
			CHATFLOWS_PORT: '0',
			CHATFLOWS_HOST: '127.0.0.1',
			CHATFLOWS_SECRET: SECRET,
			CHATFLOWS_ALLOWED_ORIGINS: ALLOWED_ORIGINS.join( ',' ),
			CHATFLOWS_LOG_LEVEL: 'info',
			...env,
		},
		stdio: [ 'ignore', 'pipe', 'pipe' ],
	} );
	children.push( child );
	let output = '';
	const exited = new Promise< {
		code: number | null;
		signal: NodeJS.Signals | null;
	} >( ( resolve ) =>
		child.once( 'exit', ( code, signal ) => resolve( { code, signal } ) )
	);
	return new Promise( ( resolve, reject ) => {
		const timer = setTimeout(
			() => reject( new Error( `service did not start:\n${ output }` ) ),
			20_000
		);
		child.stderr?.on( 'data', ( chunk ) => {
			output += chunk;
		} );
		child.stdout?.on( 'data', ( chunk ) => {
			output += chunk;
			for ( const line of output.split( '\n' ) ) {
				if ( ! line.startsWith( '{' ) ) {
					continue;
				}
				let entry: { msg?: string; port?: number };
				try {
					entry = JSON.parse( line );
				} catch {
					continue;
				}
				if ( entry.msg === 'listening' && entry.port ) {
					clearTimeout( timer );
					const url = `http://127.0.0.1:${ entry.port }`;
					resolve( {
						child,
						service: { url, port: entry.port } as TestService,
						exited,
						output: () => output,
					} );
					return;
				}
			}
		} );
		exited.then( ( { code } ) => {
			clearTimeout( timer );
			reject(
				new Error( `service exited with ${ code }:\n${ output }` )
			);
		} );
	} );
}

/**
 * Runs the service with the given environment and resolves with its exit
 * status and output, for configuration errors.
 *
 * @param env The whole environment (besides PATH).
 */
function runToExit(
	env: Record< string, string >
): Promise< { code: number | null; output: string } > {
	const child = spawn( process.execPath, [ ENTRY ], {
		cwd: ROOT,
		env: { PATH: process.env.PATH ?? '', ...env },
		stdio: [ 'ignore', 'pipe', 'pipe' ],
	} );
	children.push( child );
	let output = '';
	child.stdout?.on( 'data', ( chunk ) => ( output += chunk ) );
	child.stderr?.on( 'data', ( chunk ) => ( output += chunk ) );
	return new Promise( ( resolve ) =>
		child.once( 'exit', ( code ) => resolve( { code, output } ) )
	);
}

beforeAll( () => {
	execFileSync(
		process.execPath,
		[
			require.resolve( 'typescript/bin/tsc' ),
			'-p',
			'server/tsconfig.json',
		],
		{ cwd: ROOT, stdio: 'pipe' }
	);
} );

afterEach( cleanup );

afterAll( () => {
	for ( const child of children ) {
		if ( child.exitCode === null && child.signalCode === null ) {
			child.kill( 'SIGKILL' );
		}
	}
} );

describe( 'service process', () => {
	it( 'keeps an acknowledged message through a SIGKILL', async () => {
		const dbFile = path.join( makeTempDir(), 'data', 'chatflows.sqlite' );
		const first = await startProcess( { CHATFLOWS_DB_FILE: dbFile } );
		const visitor = await connectVisitor( first.service );
		const sent = await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'c1',
			body: 'survive this',
		} );
		expect( sent.ok ).toBe( true );

		first.child.kill( 'SIGKILL' );
		expect( ( await first.exited ).signal ).toBe( 'SIGKILL' );
		visitor.socket.disconnect();

		const second = await startProcess( { CHATFLOWS_DB_FILE: dbFile } );
		const again = await connectVisitor( second.service, {
			session: visitor.session.token,
		} );
		expect( again.session.visitorId ).toBe( visitor.session.visitorId );
		const resumed = await visitorAsk(
			again.socket,
			'conversation:resume',
			{}
		);
		expect( resumed.ok && resumed.data.messages ).toEqual( [
			sent.ok && sent.data.message,
		] );
		second.child.kill( 'SIGKILL' );
	} );

	it( 'counts new sessions per forwarded client behind CHATFLOWS_TRUST_PROXY, per peer without it', async () => {
		const budget = { CHATFLOWS_NEW_SESSIONS_PER_IP_PER_HOUR: '1' };
		const outcome = ( service: TestService, client: string ) =>
			connectVisitor(
				service,
				{},
				{ headers: { 'X-Forwarded-For': client } }
			).then(
				( { socket } ) => {
					socket.disconnect();
					return 'ok';
				},
				( error: Error & { data?: { code?: string } } ) =>
					error.data?.code
			);

		const direct = await startProcess( {
			...budget,
			CHATFLOWS_DB_FILE: path.join( makeTempDir(), 'chatflows.sqlite' ),
		} );
		expect( await outcome( direct.service, '203.0.113.1' ) ).toBe( 'ok' );
		expect( await outcome( direct.service, '203.0.113.2' ) ).toBe(
			'rate_limited'
		);
		direct.child.kill( 'SIGKILL' );

		const proxied = await startProcess( {
			...budget,
			CHATFLOWS_TRUST_PROXY: '127.0.0.1',
			CHATFLOWS_DB_FILE: path.join( makeTempDir(), 'chatflows.sqlite' ),
		} );
		expect( await outcome( proxied.service, '203.0.113.1' ) ).toBe( 'ok' );
		expect( await outcome( proxied.service, '203.0.113.1' ) ).toBe(
			'rate_limited'
		);
		expect( await outcome( proxied.service, '203.0.113.2' ) ).toBe( 'ok' );
		proxied.child.kill( 'SIGKILL' );
	} );

	it( 'serves /metrics only with CHATFLOWS_METRICS_TOKEN, or on CHATFLOWS_METRICS_LISTEN', async () => {
		const token = 'scraper-token-0123456789';
		const scrape = ( url: string, bearer?: string ) =>
			fetch( `${ url }/metrics`, {
				headers: bearer ? { Authorization: `Bearer ${ bearer }` } : {},
			} ).then( async ( response ) => ( {
				status: response.status,
				metrics: ( await response.text() ).includes(
					'chatflows_connections'
				),
			} ) );
		const dbFile = () => path.join( makeTempDir(), 'chatflows.sqlite' );

		const closed = await startProcess( { CHATFLOWS_DB_FILE: dbFile() } );
		expect( await scrape( closed.service.url ) ).toEqual( {
			status: 404,
			metrics: false,
		} );
		closed.child.kill( 'SIGKILL' );

		const port = await freePort();
		const guarded = await startProcess( {
			CHATFLOWS_DB_FILE: dbFile(),
			CHATFLOWS_METRICS_TOKEN: token,
			CHATFLOWS_METRICS_LISTEN: `127.0.0.1:${ port }`,
		} );
		expect( await scrape( guarded.service.url ) ).toEqual( {
			status: 401,
			metrics: false,
		} );
		expect( await scrape( guarded.service.url, token ) ).toEqual( {
			status: 200,
			metrics: true,
		} );
		const listener = `http://127.0.0.1:${ port }`;
		expect( await scrape( listener ) ).toEqual( {
			status: 401,
			metrics: false,
		} );
		expect( await scrape( listener, token ) ).toEqual( {
			status: 200,
			metrics: true,
		} );
		guarded.child.kill( 'SIGKILL' );
	} );

	it( 'drains on SIGTERM and exits 0', async () => {
		const dbFile = path.join( makeTempDir(), 'chatflows.sqlite' );
		const running = await startProcess( { CHATFLOWS_DB_FILE: dbFile } );
		const visitor = await connectVisitor( running.service );
		const sent = await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'c1',
			body: 'before stop',
		} );
		expect( sent.ok ).toBe( true );
		const disconnected = new Promise( ( resolve ) =>
			visitor.socket.once( 'disconnect', resolve )
		);
		running.child.kill( 'SIGTERM' );
		expect( await running.exited ).toEqual( { code: 0, signal: null } );
		await disconnected;
		expect( running.output() ).toMatch( /"msg":"stopped"/ );
		expect( running.output() ).not.toContain( 'before stop' );
	} );

	it( 'exits 0 on SIGINT too', async () => {
		const running = await startProcess( {
			CHATFLOWS_DB_FILE: path.join( makeTempDir(), 'chatflows.sqlite' ),
		} );
		running.child.kill( 'SIGINT' );
		expect( ( await running.exited ).code ).toBe( 0 );
	} );

	it.each( [
		[
			'CHATFLOWS_SECRET',
			{ CHATFLOWS_ALLOWED_ORIGINS: 'http://localhost:8888' },
		],
		[
			'CHATFLOWS_SECRET',
			{
				CHATFLOWS_SECRET: 'short',
				CHATFLOWS_ALLOWED_ORIGINS: 'http://localhost:8888',
			},
		],
		[ 'CHATFLOWS_ALLOWED_ORIGINS', { CHATFLOWS_SECRET: SECRET } ],
		[
			'CHATFLOWS_ALLOWED_ORIGINS',
			{
				CHATFLOWS_SECRET: SECRET,
				CHATFLOWS_ALLOWED_ORIGINS: 'localhost:8888',
			},
		],
		[
			'CHATFLOWS_PORT',
			{
				CHATFLOWS_SECRET: SECRET,
				CHATFLOWS_ALLOWED_ORIGINS: 'http://localhost:8888',
				CHATFLOWS_PORT: 'eighty',
			},
		],
		[
			'CHATFLOWS_LOG_LEVEL',
			{
				CHATFLOWS_SECRET: SECRET,
				CHATFLOWS_ALLOWED_ORIGINS: 'http://localhost:8888',
				CHATFLOWS_LOG_LEVEL: 'loud',
			},
		],
	] )( 'refuses to start with a bad %s', async ( variable, env ) => {
		const { code, output } = await runToExit( env );
		expect( code ).toBe( 1 );
		expect( output ).toContain( variable );
	} );
} );
