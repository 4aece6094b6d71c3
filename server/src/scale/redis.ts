/**
 * Scale-out over Redis: the socket.io adapter that carries broadcasts and
 * connection-state recovery between nodes (Redis streams), and the client the
 * shared rate limits use. Chosen with `CHATFLOWS_REDIS_URL`.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Logger } from 'pino';
import { createClient } from 'redis';
import type { ServerOptions } from 'socket.io';

/** Name of the Redis stream the nodes share (and prefix of its session keys). */
export const STREAM_NAME = 'chatflows:socket.io';

/**
 * Connects to Redis; rejects when the first connection fails, so a
 * misconfigured URL stops the service at start. Later outages are logged and
 * the client reconnects by itself.
 *
 * @param url    `redis://[user:password@]host:port[/db]`.
 * @param logger Where connection errors go.
 * @return The connected client.
 */
export async function connectRedis( url: string, logger: Logger ) {
	let connected = false;
	const client = createClient( {
		url,
		socket: {
			connectTimeout: 5000,
			// Before the first connection: fail fast. After: keep retrying, up to every 2 s.
			reconnectStrategy: ( retries, cause ) =>
				connected ? Math.min( 50 * 2 ** retries, 2000 ) : cause,
		},
	} );
	client.on( 'error', ( error: unknown ) => {
		if ( connected ) {
			logger.warn( { err: error }, 'redis connection error' );
		}
	} );
	await client.connect();
	connected = true;
	return client;
}

/** A connected node-redis client. */
export type RedisConnection = Awaited< ReturnType< typeof connectRedis > >;

/**
 * socket.io options for running on many nodes: the Redis streams adapter,
 * which also keeps connection-state recovery working when a client comes back
 * on another node.
 *
 * @param client A connected client, used to publish; the adapter duplicates it to read.
 * @return Options to pass to createApplication().
 */
export function redisServerOptions(
	client: RedisConnection
): Partial< ServerOptions > {
	return {
		adapter: createAdapter( client, {
			streamName: STREAM_NAME,
			sessionKeyPrefix: `${ STREAM_NAME }:session:`,
			onlyPlaintext: true,
		} ),
	};
}
