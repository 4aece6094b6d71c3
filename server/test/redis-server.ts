/**
 * A throwaway Redis server for tests: Debian's `redis-server` on a free
 * loopback port, without persistence. A missing binary fails the test with a
 * message saying what to install.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { freePort, waitFor } from './process-helpers';

export interface RedisServer {
	url: string;
	/** The server's process (for its CPU time). */
	pid: number | undefined;
	stop: () => Promise< void >;
}

function findRedisServer(): string | null {
	for ( const candidate of [
		'/usr/bin/redis-server',
		'/usr/local/bin/redis-server',
	] ) {
		if ( fs.existsSync( candidate ) ) {
			return candidate;
		}
	}
	try {
		return execFileSync( 'sh', [ '-c', 'command -v redis-server' ], {
			encoding: 'utf8',
		} ).trim();
	} catch {
		return null;
	}
}

/**
 * Starts a Redis server for this test file.
 *
 * @param options      Options.
 * @param options.port The port to listen on; a free one by default.
 * @return The running server.
 */
export async function startRedis(
	options: { port?: number } = {}
): Promise< RedisServer > {
	const binary = findRedisServer();
	if ( ! binary ) {
		throw new Error(
			'Redis is not installed: these tests need the Debian package "redis-server" (npm test installs it; or run apt-get install redis-server).'
		);
	}
	const dir = fs.mkdtempSync( path.join( os.tmpdir(), 'chatflows-redis-' ) );
	const port = options.port || ( await freePort() );
	let output = '';
	const child = spawn(
		binary,
		[
			'--port',
			String( port ),
			'--bind',
			'127.0.0.1',
			'--dir',
			dir,
			'--save',
			'',
			'--appendonly',
			'no',
		],
		{ stdio: [ 'ignore', 'pipe', 'pipe' ] }
	);
	child.stdout?.on( 'data', ( chunk ) => ( output += chunk ) );
	child.stderr?.on( 'data', ( chunk ) => ( output += chunk ) );
	const exited = new Promise< void >( ( resolve ) =>
		child.once( 'exit', () => resolve() )
	);
	const url = `redis://127.0.0.1:${ port }`;
	const stop = async () => {
		if ( child.exitCode === null && child.signalCode === null ) {
			child.kill( 'SIGTERM' );
			await exited;
		}
		fs.rmSync( dir, { recursive: true, force: true } );
	};
	try {
		await waitFor(
			async () => {
				if ( child.exitCode !== null ) {
					throw new Error(
						`Redis exited while starting:\n${ output }`
					);
				}
				const client = createClient( {
					url,
					socket: { reconnectStrategy: false },
				} );
				client.on( 'error', () => undefined );
				try {
					await client.connect();
					await client.ping();
					return true;
				} catch {
					return false;
				} finally {
					if ( client.isOpen ) {
						await client.quit();
					}
				}
			},
			10_000,
			() => `Redis did not start:\n${ output }`
		);
	} catch ( error ) {
		await stop();
		throw error;
	}
	return { url, pid: child.pid, stop };
}
