/**
 * Small helpers for tests that run real daemons (PostgreSQL, Redis, service
 * processes): free ports and polling.
 */
import net from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise< number > {
	return new Promise( ( resolve, reject ) => {
		const server = net.createServer();
		server.once( 'error', reject );
		server.listen( 0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close( () => resolve( port ) );
		} );
	} );
}

/**
 * Polls `check` until it resolves true.
 *
 * @param check     Resolves true when done; may throw to stop waiting.
 * @param timeoutMs How long to keep trying.
 * @param describe  The failure message, built when time runs out.
 */
export async function waitFor(
	check: () => Promise< boolean > | boolean,
	timeoutMs: number,
	describe: () => string
): Promise< void > {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if ( await check() ) {
			return;
		}
		if ( Date.now() > deadline ) {
			throw new Error( describe() );
		}
		await new Promise( ( resolve ) => setTimeout( resolve, 50 ) );
	}
}
