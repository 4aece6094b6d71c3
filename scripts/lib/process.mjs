/**
 * Small process and HTTP helpers shared by the development scripts.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository root. */
export const repoRoot = path.resolve(
	path.dirname( fileURLToPath( import.meta.url ) ),
	'..',
	'..'
);

/**
 * Children started through this module and still running: {@link stopAllChildren} ends them when a
 * script is interrupted half-way.
 *
 * @type {Set<{ pid: number, group: boolean }>}
 */
const liveChildren = new Set();

function track( child, group ) {
	if ( ! child.pid ) {
		return;
	}
	const entry = { pid: child.pid, group };
	liveChildren.add( entry );
	child.once( 'exit', () => liveChildren.delete( entry ) );
}

/**
 * Prints a progress line on stderr, so that stdout stays for what a script reports.
 *
 * @param {...unknown} parts
 */
export function log( ...parts ) {
	process.stderr.write( `[chatflows] ${ parts.join( ' ' ) }\n` );
}

/**
 * Runs a command to completion.
 *
 * @param {string}            command
 * @param {string[]}          args
 * @param {Object}            [options]
 * @param {string}            [options.cwd]
 * @param {NodeJS.ProcessEnv} [options.env]          Full environment (defaults to this process's).
 * @param {boolean}           [options.capture]      Collect stdout/stderr instead of streaming them.
 * @param {boolean}           [options.allowFailure] Resolve instead of rejecting on a non-zero exit.
 * @param {string}            [options.input]        Written to the command's stdin.
 * @param {number}            [options.keepTail]     Stream the output and also keep its last this many characters (both streams).
 * @return {Promise<{ code: number, signal: string|null, stdout: string, stderr: string, tail: string }>} Result.
 */
export function run( command, args = [], options = {} ) {
	const {
		cwd = repoRoot,
		env = process.env,
		capture = false,
		allowFailure = false,
		input,
		keepTail = 0,
	} = options;
	return new Promise( ( resolve, reject ) => {
		const piped = capture || keepTail > 0;
		const child = spawn( command, args, {
			cwd,
			env,
			stdio: [
				input === undefined ? 'ignore' : 'pipe',
				piped ? 'pipe' : 'inherit',
				piped ? 'pipe' : 'inherit',
			],
		} );
		let stdout = '';
		let stderr = '';
		let tail = '';
		const keep = ( chunk, stream ) => {
			if ( capture ) {
				return chunk;
			}
			// Shown as it comes; only the end is kept.
			stream.write( chunk );
			tail = ( tail + chunk ).slice( -keepTail );
			return '';
		};
		if ( piped ) {
			child.stdout
				.setEncoding( 'utf8' )
				.on(
					'data',
					( chunk ) => ( stdout += keep( chunk, process.stdout ) )
				);
			child.stderr
				.setEncoding( 'utf8' )
				.on(
					'data',
					( chunk ) => ( stderr += keep( chunk, process.stderr ) )
				);
		}
		if ( input !== undefined ) {
			child.stdin.end( input );
		}
		track( child, false );
		child.on( 'error', reject );
		child.on( 'close', ( code, signal ) => {
			const result = { code: code ?? 1, signal, stdout, stderr, tail };
			if ( code === 0 || allowFailure ) {
				resolve( result );
				return;
			}
			const detail = capture ? `\n${ stdout }${ stderr }`.trimEnd() : '';
			const error = new Error(
				`\`${ [ command, ...args ].join( ' ' ) }\` failed (${ signal ?? `exit ${ code }` })${ detail }`
			);
			Object.assign( error, result );
			reject( error );
		} );
	} );
}

/**
 * Whether an executable is on the PATH.
 *
 * @param {string} name
 * @return {boolean} Found.
 */
export function hasCommand( name ) {
	return ( process.env.PATH ?? '' )
		.split( path.delimiter )
		.some( ( dir ) => dir && fs.existsSync( path.join( dir, name ) ) );
}

/**
 * Starts a long-running process in its own process group, its output appended to a log file.
 *
 * @param {string}            command
 * @param {string[]}          args
 * @param {Object}            options
 * @param {string}            [options.cwd]
 * @param {NodeJS.ProcessEnv} [options.env]
 * @param {string}            options.logFile
 * @return {import('node:child_process').ChildProcess} The child; its pid is also its process group id.
 */
export function spawnDetached(
	command,
	args,
	{ cwd = repoRoot, env = process.env, logFile }
) {
	fs.mkdirSync( path.dirname( logFile ), { recursive: true } );
	const fd = fs.openSync( logFile, 'a' );
	try {
		const child = spawn( command, args, {
			cwd,
			env,
			detached: true,
			stdio: [ 'ignore', fd, fd ],
		} );
		track( child, true );
		// Keep a handle on the exit so that callers can wait for it.
		child.exited = new Promise( ( resolve ) => {
			child.once( 'exit', ( code, signal ) =>
				resolve( { code, signal } )
			);
			child.once( 'error', ( error ) =>
				resolve( { code: null, signal: null, error } )
			);
		} );
		return child;
	} finally {
		fs.closeSync( fd );
	}
}

/**
 * Whether a process (group) still exists.
 *
 * @param {number} pid Process id, or a negative process group id.
 * @return {boolean} Alive.
 */
export function isAlive( pid ) {
	try {
		process.kill( pid, 0 );
		return true;
	} catch ( error ) {
		return error.code === 'EPERM';
	}
}

const sleep = ( ms ) => new Promise( ( resolve ) => setTimeout( resolve, ms ) );

/**
 * Stops a process group started by {@link spawnDetached}: sends `signal` to the whole group, waits, and
 * sends SIGKILL to what is left after `timeoutMs`.
 *
 * @param {number}         pgid                Process group id (the leader's pid).
 * @param {Object}         [options]
 * @param {NodeJS.Signals} [options.signal]
 * @param {number}         [options.timeoutMs]
 * @return {Promise<void>} Resolves once no process of the group is left.
 */
export async function stopProcessGroup(
	pgid,
	{ signal = 'SIGTERM', timeoutMs = 5000 } = {}
) {
	if ( ! pgid || ! isAlive( -pgid ) ) {
		return;
	}
	try {
		process.kill( -pgid, signal );
	} catch {
		return;
	}
	const deadline = Date.now() + timeoutMs;
	while ( isAlive( -pgid ) ) {
		if ( Date.now() > deadline ) {
			try {
				process.kill( -pgid, 'SIGKILL' );
			} catch {
				// Already gone.
			}
			await sleep( 50 );
			break;
		}
		await sleep( 25 );
	}
}

/**
 * Ends every child still running that this process started through {@link run} or {@link spawnDetached}
 * (whole process groups for the latter), e.g. when interrupted during start-up.
 *
 * @param {NodeJS.Signals} [signal]
 * @return {Promise<void>}
 */
export async function stopAllChildren( signal = 'SIGTERM' ) {
	await Promise.all(
		[ ...liveChildren ].map( ( { pid, group } ) => {
			if ( group ) {
				return stopProcessGroup( pid, { signal } );
			}
			try {
				process.kill( pid, signal );
			} catch {
				// Already gone.
			}
			return undefined;
		} )
	);
}

/**
 * Fails early, with a clear message, when a TCP port on the loopback interface is taken.
 *
 * @param {number} port
 * @param {string} what Name of the thing that wants the port, for the message.
 * @return {Promise<void>}
 */
export async function assertPortFree( port, what ) {
	const free = await new Promise( ( resolve ) => {
		const server = net.createServer();
		server.once( 'error', () => resolve( false ) );
		server.listen( { port, host: '127.0.0.1', exclusive: true }, () =>
			server.close( () => resolve( true ) )
		);
	} );
	if ( ! free ) {
		throw new Error(
			`Port ${ port } (for ${ what }) is already in use. Stop what uses it, or choose another port.`
		);
	}
}

/**
 * A loopback port free right now (the system picks it).
 *
 * @return {Promise<number>} Port.
 */
export function freePort() {
	return new Promise( ( resolve, reject ) => {
		const server = net.createServer();
		server.once( 'error', reject );
		server.listen( { port: 0, host: '127.0.0.1' }, () => {
			const { port } = server.address();
			server.close( () => resolve( port ) );
		} );
	} );
}

/**
 * Waits until a URL answers HTTP with a status `accept` likes.
 *
 * @param {string}                      url
 * @param {Object}                      [options]
 * @param {number}                      [options.timeoutMs]
 * @param {(status: number) => boolean} [options.accept]
 * @param {() => string|undefined}      [options.failed]    Returns a reason when waiting is pointless (the process died).
 * @return {Promise<void>}
 */
export async function waitForHttp(
	url,
	{ timeoutMs = 30000, accept = ( status ) => status < 500, failed } = {}
) {
	const deadline = Date.now() + timeoutMs;
	let last = 'no answer';
	for (;;) {
		const reason = failed?.();
		if ( reason ) {
			throw new Error( `${ url } will not answer: ${ reason }` );
		}
		try {
			const response = await fetch( url, {
				redirect: 'manual',
				signal: AbortSignal.timeout( 5000 ),
			} );
			await response.arrayBuffer();
			if ( accept( response.status ) ) {
				return;
			}
			last = `HTTP ${ response.status }`;
		} catch ( error ) {
			last = error.cause?.code ?? error.message;
		}
		if ( Date.now() > deadline ) {
			throw new Error(
				`${ url } did not answer in ${ timeoutMs } ms (last: ${ last })`
			);
		}
		await sleep( 100 );
	}
}

/**
 * Takes an exclusive lock file for this process, waiting while another live process holds it, so that
 * two runs never share a throwaway site (e.g. two `npm run test:php` in the same working tree).
 * A lock left by a process that no longer exists is taken over. The lock is released on exit.
 *
 * @param {string} file                Lock file.
 * @param {Object} [options]
 * @param {string} [options.what]      What is locked, for the waiting message.
 * @param {number} [options.timeoutMs] Give up after this long.
 * @return {Promise<() => void>} Releases the lock.
 */
export async function acquireLock(
	file,
	{ what = file, timeoutMs = 15 * 60 * 1000 } = {}
) {
	fs.mkdirSync( path.dirname( file ), { recursive: true } );
	const deadline = Date.now() + timeoutMs;
	let told = false;
	for (;;) {
		try {
			fs.writeFileSync( file, `${ process.pid }\n`, { flag: 'wx' } );
			break;
		} catch ( error ) {
			if ( error.code !== 'EEXIST' ) {
				throw error;
			}
		}
		let holder = 0;
		try {
			holder = Number( fs.readFileSync( file, 'utf8' ).trim() );
		} catch {
			// Released meanwhile.
			continue;
		}
		if ( ! holder || ! isAlive( holder ) ) {
			fs.rmSync( file, { force: true } );
			continue;
		}
		if ( Date.now() > deadline ) {
			throw new Error(
				`${ what } is still in use by process ${ holder }; gave up waiting.`
			);
		}
		if ( ! told ) {
			log( `Waiting for process ${ holder }, which is using ${ what }…` );
			told = true;
		}
		await sleep( 250 );
	}
	const release = () => {
		try {
			if (
				fs.readFileSync( file, 'utf8' ).trim() === String( process.pid )
			) {
				fs.rmSync( file, { force: true } );
			}
		} catch {
			// Already gone.
		}
	};
	process.once( 'exit', release );
	return release;
}
