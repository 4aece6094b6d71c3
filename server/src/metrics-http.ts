/**
 * Who may read `GET /metrics`: never anyone who merely reaches the service.
 * With `CHATFLOWS_METRICS_TOKEN` the service's own port serves it to
 * requests bearing that token; with `CHATFLOWS_METRICS_LISTEN` a separate
 * listener (e.g. on a private address) serves it, with the token too when
 * one is set. With neither, `/metrics` is not served at all (404).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { jsonErrors, notFound, sendJsonError } from './http-errors';
import type { ServiceMetrics } from './metrics';

export interface MetricsAccess {
	/** The application's metrics, once it exists. */
	metrics: () => ServiceMetrics | null | undefined;
	/** Bearer token a scraper must send; null: none needed. */
	token: string | null;
}

function digest( value: string ): Buffer {
	return createHash( 'sha256' ).update( value ).digest();
}

/**
 * Whether an Authorization header carries the token, compared in constant
 * time (both sides hashed first, so the length leaks nothing either).
 *
 * @param header The Authorization header, as received.
 * @param token  The token.
 */
export function bearerMatches(
	header: string | undefined,
	token: string
): boolean {
	const match = /^Bearer\s+(\S+)\s*$/i.exec( header ?? '' );
	return (
		match !== null &&
		timingSafeEqual( digest( match[ 1 ] ), digest( token ) )
	);
}

/**
 * `GET /metrics`, behind the token when there is one.
 *
 * @param access Where the metrics are and the token.
 * @return An express handler.
 */
export function metricsRoute( access: MetricsAccess ): RequestHandler {
	return ( req, res, next ) => {
		if (
			access.token !== null &&
			! bearerMatches( req.get( 'authorization' ), access.token )
		) {
			res.set( 'WWW-Authenticate', 'Bearer realm="chatflows metrics"' );
			sendJsonError(
				res,
				401,
				'unauthorized',
				'Authorization: Bearer <CHATFLOWS_METRICS_TOKEN> is required.'
			);
			return;
		}
		const metrics = access.metrics();
		if ( ! metrics ) {
			sendJsonError(
				res,
				503,
				'unavailable',
				'The service is starting.'
			);
			return;
		}
		metrics
			.render()
			.then(
				( text ) => res.type( metrics.contentType ).send( text ),
				next
			);
	};
}

/**
 * The app of the separate metrics listener (`CHATFLOWS_METRICS_LISTEN`):
 * `/metrics` and nothing else.
 *
 * @param access Where the metrics are and the token.
 * @param logger Where failures are logged.
 * @return An express app to pass to `http.createServer`.
 */
export function createMetricsApp( access: MetricsAccess, logger?: Logger ) {
	const app = express();
	app.disable( 'x-powered-by' );
	app.get( '/metrics', metricsRoute( access ) );
	app.use( notFound );
	app.use( jsonErrors( logger ) );
	return app;
}
