/**
 * The service as a real child process, built from the sources into a
 * temporary folder of its own (so test files running in parallel never
 * rebuild each other's files), and a client that behaves like the widget:
 * it reconnects by itself, resends what was not acknowledged with the same
 * client id, and catches up by seq.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io as connect } from 'socket.io-client';
import {
	type ChatMessage,
	type ServiceConfiguration,
	VISITOR_NAMESPACE,
	type VisitorSession,
} from '@chatflows/protocol';
import {
	ALLOWED_ORIGINS,
	CHATFLOW_ID,
	ORIGIN,
	PAGE_URL,
	SECRET,
	signedHeaders,
	TEST_CONFIGURATION,
	type VisitorClient,
} from './helpers';

const ROOT = path.resolve( __dirname, '..', '..' );

/**
 * Compiles the service into a temporary folder; remove it with
 * `fs.rmSync( path.dirname( entry ), … )` when done.
 *
 * @return The entry file to run with node.
 */
export function buildServiceEntry(): string {
	const outDir = fs.mkdtempSync(
		path.join( os.tmpdir(), 'chatflows-service-build-' )
	);
	// The service's project references (packages/*) must be built first.
	const packages = path.join( ROOT, 'packages' );
	execFileSync(
		process.execPath,
		[
			require.resolve( 'typescript/bin/tsc' ),
			'-b',
			...fs
				.readdirSync( packages )
				.map( ( name ) => path.join( packages, name ) ),
		],
		{ cwd: ROOT, stdio: 'pipe' }
	);
	execFileSync(
		process.execPath,
		[
			require.resolve( 'typescript/bin/tsc' ),
			'-p',
			'server/tsconfig.json',
			'--outDir',
			outDir,
			'--sourceMap',
			'false',
		],
		{ cwd: ROOT, stdio: 'pipe' }
	);
	return path.join( outDir, 'index.js' );
}

export interface ServiceProcess {
	child: ChildProcess;
	url: string;
	port: number;
	exited: Promise< { code: number | null; signal: NodeJS.Signals | null } >;
	output: () => string;
}

const children: ChildProcess[] = [];

/**
 * Pushes a configuration to a service, signed, as WordPress does.
 *
 * @param service       The service.
 * @param service.url   Its address.
 * @param configuration The configuration.
 */
export async function pushConfiguration(
	service: { url: string },
	configuration: ServiceConfiguration
): Promise< void > {
	const body = JSON.stringify( configuration );
	const response = await fetch( `${ service.url }/v1/configuration`, {
		method: 'PUT',
		headers: signedHeaders( 'PUT', '/v1/configuration', body ),
		body,
	} );
	if ( response.status !== 200 ) {
		throw new Error( `configuration refused: ${ response.status }` );
	}
}

/**
 * Where service processes write a CPU profile (node --cpu-prof) when they
 * exit, if set: how the admission path of a node taking over was profiled.
 */
export const CPU_PROFILE_DIR = process.env.CHATFLOWS_SERVICE_CPU_PROFILE_DIR;

/**
 * Starts the built service, waits for its `listening` line and sends it
 * the tests' configuration (its visitors' chatflows), as WordPress would.
 *
 * @param entry The built entry file.
 * @param env   Environment variables besides the defaults (port 0, test secret and origins).
 */
export async function startServiceProcess(
	entry: string,
	env: Record< string, string >
): Promise< ServiceProcess > {
	const service = await startedServiceProcess( entry, env );
	await pushConfiguration( service, TEST_CONFIGURATION );
	return service;
}

/**
 * Starts the built service and waits for its `listening` line.
 *
 * @param entry The built entry file.
 * @param env   Environment variables besides the defaults.
 */
function startedServiceProcess(
	entry: string,
	env: Record< string, string >
): Promise< ServiceProcess > {
	const child = spawn(
		process.execPath,
		[
			...( CPU_PROFILE_DIR
				? [ '--cpu-prof', `--cpu-prof-dir=${ CPU_PROFILE_DIR }` ]
				: [] ),
			entry,
		],
		{
			cwd: ROOT,
			env: {
				PATH: process.env.PATH ?? '',
				// The build lives outside the repository: resolve its packages here.
				NODE_PATH: path.join( ROOT, 'node_modules' ),
				CHATFLOWS_PORT: '0',
				CHATFLOWS_HOST: '127.0.0.1',
				CHATFLOWS_SECRET: SECRET,
				CHATFLOWS_ALLOWED_ORIGINS: ALLOWED_ORIGINS.join( ',' ),
				CHATFLOWS_LOG_LEVEL: 'info',
				...env,
			},
			stdio: [ 'ignore', 'pipe', 'pipe' ],
		}
	);
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
		child.stderr?.on( 'data', ( chunk ) => ( output += chunk ) );
		child.stdout?.on( 'data', ( chunk ) => {
			output += chunk;
			const match = /"port":(\d+)[^\n]*"msg":"listening"/.exec( output );
			if ( match ) {
				clearTimeout( timer );
				const port = Number( match[ 1 ] );
				resolve( {
					child,
					url: `http://127.0.0.1:${ port }`,
					port,
					exited,
					output: () => output,
				} );
			}
		} );
		exited.then( ( { code, signal } ) => {
			clearTimeout( timer );
			reject(
				new Error(
					`service exited with ${ code ?? signal }:\n${ output }`
				)
			);
		} );
	} );
}

/** Kills every service process still running (SIGKILL). */
export function killServiceProcesses(): void {
	for ( const child of children.splice( 0 ) ) {
		if ( child.exitCode === null && child.signalCode === null ) {
			// A profile is written only by a process that exits on its own.
			child.kill( CPU_PROFILE_DIR ? 'SIGTERM' : 'SIGKILL' );
		}
	}
}

/**
 * A visitor that sends steadily, like a person typing fast in the widget:
 * one message at a time, each resent with the same client id until
 * acknowledged; and that keeps the conversation as the widget does, from
 * `message:new` and from `conversation:resume` after every (re)connect.
 */
export class SteadyVisitor {
	readonly socket: VisitorClient;

	/** Acknowledged messages, by client id. */
	readonly acknowledged = new Map< string, ChatMessage >();

	/** The conversation as this client holds it, by seq. */
	readonly received = new Map< number, ChatMessage >();

	/** Sends that failed (timeout or error) and were retried. */
	retries = 0;

	sent = 0;

	session: VisitorSession | null = null;

	private running = false;

	private loop: Promise< void > = Promise.resolve();

	/**
	 * Connects through `url`.
	 *
	 * @param url    The service (or a proxy in front of it).
	 * @param prefix Prefix of this visitor's client ids.
	 */
	constructor(
		url: string,
		readonly prefix: string
	) {
		const auth = ( send: ( data: object ) => void ) =>
			send( {
				session: this.session?.token,
				chatflowId: CHATFLOW_ID,
				pageUrl: PAGE_URL,
			} );
		this.socket = connect( url + VISITOR_NAMESPACE, {
			auth,
			forceNew: true,
			reconnection: true,
			reconnectionDelay: 100,
			reconnectionDelayMax: 300,
			randomizationFactor: 0,
			transports: [ 'websocket' ],
			extraHeaders: { origin: ORIGIN },
		} );
		this.socket.on( 'session', ( session ) => ( this.session = session ) );
		this.socket.on( 'message:new', ( message ) =>
			this.keep( [ message ] )
		);
		this.socket.on( 'connect', () => void this.catchUp() );
	}

	/** Newest seq held without a gap. */
	get lastSeq(): number {
		let seq = 0;
		while ( this.received.has( seq + 1 ) ) {
			seq++;
		}
		return seq;
	}

	private keep( messages: ChatMessage[] ): void {
		for ( const message of messages ) {
			this.received.set( message.seq, message );
		}
	}

	private async catchUp(): Promise< void > {
		try {
			const response = await this.socket
				.timeout( 2000 )
				.emitWithAck( 'conversation:resume', {
					afterSeq: this.lastSeq,
				} );
			if ( response.ok ) {
				this.keep( response.data.messages );
			}
		} catch {
			// Disconnected again; the next connect catches up.
		}
	}

	/** Waits for the first connection. */
	async connected(): Promise< void > {
		if ( this.socket.connected ) {
			return;
		}
		await new Promise( ( resolve ) =>
			this.socket.once( 'connect', () => resolve( undefined ) )
		);
	}

	/**
	 * Starts sending a message every `intervalMs`.
	 *
	 * @param intervalMs Pause between acknowledged messages.
	 */
	start( intervalMs: number ): void {
		this.running = true;
		this.loop = ( async () => {
			while ( this.running ) {
				const clientId = `${ this.prefix }-${ ++this.sent }`;
				for (;;) {
					try {
						const ack = await this.socket
							.timeout( 1000 )
							.emitWithAck( 'message:send', {
								clientId,
								body: `steady ${ clientId }`,
							} );
						if ( ack.ok ) {
							this.acknowledged.set( clientId, ack.data.message );
							this.keep( [ ack.data.message ] );
							break;
						}
					} catch {
						// No acknowledgement in time: resend the same client id.
					}
					this.retries++;
					await new Promise( ( resolve ) =>
						setTimeout( resolve, 50 )
					);
				}
				await new Promise( ( resolve ) =>
					setTimeout( resolve, intervalMs )
				);
			}
		} )();
	}

	/** Stops after the message in flight is acknowledged. */
	async stop(): Promise< void > {
		this.running = false;
		await this.loop;
		await this.catchUp();
	}

	close(): void {
		this.running = false;
		this.socket.disconnect();
	}
}
