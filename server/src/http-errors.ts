/**
 * How the HTTP side answers what it cannot serve: always JSON
 * `{ "error": { "code", "message" } }` with a fixed message per code, never
 * Express's HTML page, a stack trace or a file path (malformed URLs, bodies
 * that cannot be read, unknown paths, handlers that throw).
 */
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';

/**
 * Answers an error as JSON.
 *
 * @param res     The response.
 * @param status  HTTP status.
 * @param code    Machine-readable code.
 * @param message For people.
 */
export function sendJsonError(
	res: Response,
	status: number,
	code: string,
	message: string
): void {
	res.status( status ).json( { error: { code, message } } );
}

/**
 * The last handler: nothing else served this path.
 * @param _req
 * @param res
 */
export const notFound: RequestHandler = ( _req, res ) => {
	sendJsonError( res, 404, 'not_found', 'Nothing is served at this path.' );
};

interface HttpError {
	status?: unknown;
	statusCode?: unknown;
	type?: unknown;
}

/**
 * The status and code an error is answered with; the error's own message is
 * never sent (it may name files or internals).
 *
 * @param error What a handler or body parser threw.
 */
function classify( error: unknown ): {
	status: number;
	code: string;
	message: string;
} {
	const fields = ( error ?? {} ) as HttpError;
	// By name: an error made in another realm (a VM context) is a URIError too.
	if ( error instanceof Error && error.name === 'URIError' ) {
		return {
			status: 400,
			code: 'invalid_url',
			message: 'The URL is not valid percent-encoding.',
		};
	}
	if ( fields.type === 'entity.too.large' ) {
		return {
			status: 413,
			code: 'payload_too_large',
			message: 'The body is too large.',
		};
	}
	if ( fields.type === 'entity.parse.failed' ) {
		return {
			status: 400,
			code: 'invalid_json',
			message: 'The body is not valid JSON.',
		};
	}
	const declared = Number( fields.status ?? fields.statusCode );
	if ( Number.isInteger( declared ) && declared >= 400 && declared < 500 ) {
		return {
			status: declared,
			code: 'invalid_request',
			message: 'The request cannot be served.',
		};
	}
	return {
		status: 500,
		code: 'internal',
		message: 'The chat service failed to answer.',
	};
}

/**
 * The error handler every HTTP app of the service ends with.
 *
 * @param logger Where failures of the service itself (5xx) are logged.
 * @return An express error handler.
 */
export function jsonErrors( logger?: Logger ): ErrorRequestHandler {
	return ( error: unknown, req, res, next ) => {
		if ( res.headersSent ) {
			// Too late for an answer: Express closes the connection.
			next( error );
			return;
		}
		const answer = classify( error );
		if ( answer.status >= 500 ) {
			logger?.error( { err: error, path: req.path }, 'request failed' );
		}
		sendJsonError( res, answer.status, answer.code, answer.message );
	};
}
