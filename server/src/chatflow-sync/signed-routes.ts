/**
 * What every signed endpoint WordPress calls shares (configuration,
 * privacy): the raw body, the signature and replay check (see signature.ts
 * and nonce-store.ts), JSON parsing, errors as JSON
 * (`{ "error": { "code", "message", "fields"? } }`) and a guard that
 * answers 500 instead of throwing.
 */
import express, { type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { jsonErrors } from '../http-errors';
import { NonceStoreUnavailable, type NonceStore } from './nonce-store';
import {
	canonicalTarget,
	MAX_CLOCK_SKEW_SECONDS,
	NONCE_HEADER,
	nonceExpiresAt,
	SIGNATURE_HEADER,
	TIMESTAMP_HEADER,
	verifySignature,
	type SignatureFailure,
} from './signature';

/** Largest signed body accepted. */
export const MAX_SIGNED_BODY_BYTES = 2 * 1024 * 1024;

const SIGNATURE_MESSAGES: Record< SignatureFailure, string > = {
	signature_missing:
		'X-Chatflows-Timestamp, X-Chatflows-Nonce and X-Chatflows-Signature headers are required.',
	signature_invalid:
		'X-Chatflows-Signature does not match this method, path, query and body.',
	timestamp_invalid: `X-Chatflows-Timestamp must be Unix seconds within ${ MAX_CLOCK_SKEW_SECONDS } seconds of the service clock.`,
	signature_replayed:
		'This signed call was already received (X-Chatflows-Nonce seen before).',
};

/** Set on `res.locals` once the signature and nonce are checked. */
const VERIFIED = 'chatflowsSignedCall';

/** One wrong field of a body. */
export interface FieldError {
	field: string;
	message: string;
}

/**
 * Answers an error as JSON.
 *
 * @param res     The response.
 * @param status  HTTP status.
 * @param code    Machine-readable code.
 * @param message For people.
 * @param fields  The wrong fields, for `invalid_payload`.
 */
export function sendError(
	res: Response,
	status: number,
	code: string,
	message: string,
	fields?: FieldError[]
): void {
	res.status( status ).json( {
		error: fields ? { code, message, fields } : { code, message },
	} );
}

/**
 * Answers 400 `invalid_payload` naming every wrong field.
 *
 * @param res   The response.
 * @param error Why the body is invalid.
 */
export function sendInvalidPayload( res: Response, error: z.ZodError ): void {
	const fields: FieldError[] = error.issues.map( ( issue ) => ( {
		field: issue.path.length
			? issue.path.map( String ).join( '.' )
			: 'body',
		message: issue.message,
	} ) );
	sendError(
		res,
		400,
		'invalid_payload',
		fields.map( ( f ) => `${ f.field }: ${ f.message }` ).join( '; ' ),
		fields
	);
}

interface SignedRoutes {
	/**
	 * Keeps the raw body and checks the signature (method, target, body,
	 * timestamp) and that the nonce is new, answering 401 otherwise. Put it
	 * before the handler; `readSigned` refuses calls that did not pass it.
	 */
	raw: express.RequestHandler[];
	/**
	 * Verifies the signature and parses JSON; answers and returns undefined
	 * on failure, null for an empty body.
	 */
	readSigned: ( req: Request, res: Response ) => unknown;
	/**
	 * `readSigned`, then the body checked against `schema` (an empty body
	 * counts as `{}`, so the error names the missing fields); answers 400
	 * `invalid_payload` and returns undefined when it does not fit.
	 */
	readValid: < T >(
		req: Request,
		res: Response,
		schema: z.ZodType< T >
	) => T | undefined;
	/** Runs an async handler, answering 500 when it fails. */
	guard: (
		handler: ( req: Request, res: Response ) => Promise< void >
	) => express.RequestHandler;
	/** Answers body-parser failures (too large, unreadable) and malformed URLs as JSON; mount after the routes. */
	bodyErrors: express.ErrorRequestHandler;
}

/** What every signed endpoint needs. */
export interface SignedCallOptions {
	/** The shared secret. */
	secret: string;
	logger: Logger;
	/** Clock, for the timestamp check. */
	clock: () => Date;
	/** The nonces already accepted (shared by every node with Redis). */
	nonces: NonceStore;
}

/** A router of signed endpoints. */
export interface SignedRouter {
	/**
	 * Adds an endpoint: signature, replay and body checked (the body against
	 * `schema`, an empty one counting as `{}`), then `handle` with the body;
	 * a failure of `handle` is answered 500.
	 */
	route: < T >(
		method: 'post' | 'put' | 'delete',
		path: string,
		schema: z.ZodType< T >,
		handle: ( body: T, res: Response, req: Request ) => Promise< void >
	) => void;
	/** The router, answering body-parser failures as JSON after the endpoints. */
	done: () => express.Router;
}

/**
 * A router of signed endpoints.
 *
 * @param options The shared secret, logger, clock and nonces, and what the endpoints do (`purpose`, see `signedRoutes`).
 * @return The router's builder.
 */
export function signedRouter(
	options: SignedCallOptions & { purpose: string }
): SignedRouter {
	const router = express.Router();
	const { raw, readValid, guard, bodyErrors } = signedRoutes( options );
	return {
		route( method, path, schema, handle ) {
			router[ method ](
				path,
				raw,
				guard( async ( req, res ) => {
					const body = readValid( req, res, schema );
					if ( body !== undefined ) {
						await handle( body, res, req );
					}
				} )
			);
		},
		done() {
			router.use( bodyErrors );
			return router;
		},
	};
}

/**
 * The shared steps of signed endpoints.
 *
 * @param options         Options.
 * @param options.secret  The shared secret.
 * @param options.logger  Logger.
 * @param options.clock   Clock, for the timestamp check.
 * @param options.nonces  The nonces already accepted (shared by every node with Redis).
 * @param options.purpose What the endpoints do, for logs and the 500 message (`store the configuration`).
 * @return The steps.
 */
function signedRoutes(
	options: SignedCallOptions & { purpose: string }
): SignedRoutes {
	const refuse = (
		req: Request,
		res: Response,
		failure: SignatureFailure
	): void => {
		options.logger.warn(
			{ path: req.path, reason: failure, address: req.ip },
			'signed call refused'
		);
		sendError( res, 401, failure, SIGNATURE_MESSAGES[ failure ] );
	};

	const verify: express.RequestHandler = ( req, res, next ) => {
		const body = rawBody( req );
		const now = options.clock();
		const received = {
			timestamp: req.get( TIMESTAMP_HEADER ),
			nonce: req.get( NONCE_HEADER ),
			signature: req.get( SIGNATURE_HEADER ),
		};
		// The target as this service routes it: a proxy's prefix is already gone.
		const failure = verifySignature(
			options.secret,
			received,
			{
				method: req.method,
				target: canonicalTarget( req.originalUrl ),
				body,
			},
			now
		);
		if ( failure ) {
			refuse( req, res, failure );
			return;
		}
		options.nonces
			.claim(
				String( received.nonce ),
				nonceExpiresAt( String( received.timestamp ) ),
				now.getTime()
			)
			.then(
				( fresh ) => {
					if ( ! fresh ) {
						refuse( req, res, 'signature_replayed' );
						return;
					}
					res.locals[ VERIFIED ] = true;
					next();
				},
				( error: unknown ) => {
					options.logger.error(
						{ err: error, path: req.path },
						'cannot check a signed call for replay'
					);
					sendError(
						res,
						503,
						'unavailable',
						error instanceof NonceStoreUnavailable
							? `The chat service cannot check signed calls for replay now: ${ error.message }`
							: 'The chat service cannot check signed calls for replay now.'
					);
				}
			);
	};

	const raw = [
		express.raw( {
			type: () => true,
			limit: MAX_SIGNED_BODY_BYTES,
		} ),
		verify,
	];

	const readSigned = ( req: Request, res: Response ): unknown => {
		if ( res.locals[ VERIFIED ] !== true ) {
			// A route without `raw`: never take its body as signed.
			refuse( req, res, 'signature_missing' );
			return undefined;
		}
		const body = rawBody( req );
		if ( body.length === 0 ) {
			return null;
		}
		try {
			return JSON.parse( body.toString( 'utf8' ) );
		} catch {
			sendError(
				res,
				400,
				'invalid_json',
				'The body is not valid JSON.'
			);
			return undefined;
		}
	};

	const readValid = < T >(
		req: Request,
		res: Response,
		schema: z.ZodType< T >
	): T | undefined => {
		const body = readSigned( req, res );
		if ( body === undefined ) {
			return undefined;
		}
		const parsed = schema.safeParse( body ?? {} );
		if ( ! parsed.success ) {
			sendInvalidPayload( res, parsed.error );
			return undefined;
		}
		return parsed.data;
	};

	const guard =
		(
			handler: ( req: Request, res: Response ) => Promise< void >
		): express.RequestHandler =>
		( req, res ) => {
			handler( req, res ).catch( ( error: unknown ) => {
				options.logger.error(
					{ err: error, path: req.path },
					`signed call failed: could not ${ options.purpose }`
				);
				if ( ! res.headersSent ) {
					sendError(
						res,
						500,
						'internal',
						`The chat service could not ${ options.purpose }.`
					);
				}
			} );
		};

	const answerErrors = jsonErrors( options.logger );
	const bodyErrors: express.ErrorRequestHandler = (
		error: { type?: string },
		req,
		res,
		next
	) => {
		if ( error && error.type === 'entity.too.large' ) {
			sendError(
				res,
				413,
				'payload_too_large',
				`The body must be at most ${ MAX_SIGNED_BODY_BYTES } bytes.`
			);
			return;
		}
		answerErrors( error, req, res, next );
	};

	return { raw, readSigned, readValid, guard, bodyErrors };
}

/**
 * The body express.raw kept, or none.
 *
 * @param req The request.
 */
function rawBody( req: Request ): Buffer {
	return Buffer.isBuffer( req.body ) ? req.body : Buffer.alloc( 0 );
}
