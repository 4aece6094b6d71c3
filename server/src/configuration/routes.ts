/**
 * The HTTP side WordPress pushes configuration to, signed (see signature.ts):
 * `PUT /v1/configuration`, `PUT /v1/chatflows/:id`, `DELETE /v1/chatflows/:id`.
 * Errors are JSON: `{ "error": { "code", "message" } }`; an invalid body
 * lists every wrong field in `message` and `fields`, and stores nothing.
 */
import express, { type Request, type Response } from 'express';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { SLUG_PATTERN } from '../validation';
import { compiledChatflowSchema, serviceConfigurationSchema } from './schema';
import {
	SIGNATURE_HEADER,
	TIMESTAMP_HEADER,
	verifySignature,
	type SignatureFailure,
} from './signature';
import type { ConfigurationStore } from './store';

/** Largest configuration body accepted. */
export const MAX_CONFIGURATION_BYTES = 2 * 1024 * 1024;

const SIGNATURE_MESSAGES: Record< SignatureFailure, string > = {
	signature_missing:
		'X-Chatflows-Timestamp and X-Chatflows-Signature headers are required.',
	signature_invalid: 'X-Chatflows-Signature does not match the body.',
	timestamp_invalid:
		'X-Chatflows-Timestamp must be Unix seconds within 300 seconds of the service clock.',
};

function sendError(
	res: Response,
	status: number,
	code: string,
	message: string,
	fields?: Array< { field: string; message: string } >
): void {
	res.status( status ).json( {
		error: fields ? { code, message, fields } : { code, message },
	} );
}

function fieldsOf(
	error: z.ZodError
): Array< { field: string; message: string } > {
	return error.issues.map( ( issue ) => ( {
		field: issue.path.length
			? issue.path.map( String ).join( '.' )
			: 'body',
		message: issue.message,
	} ) );
}

/**
 * Builds the router.
 *
 * @param options        Options.
 * @param options.secret The shared secret.
 * @param options.store  Where configuration goes.
 * @param options.logger Logger.
 * @param options.clock  Clock, for the timestamp check.
 * @return An express router mounted at the root.
 */
export function configurationRouter( options: {
	secret: string;
	store: ConfigurationStore;
	logger: Logger;
	clock: () => Date;
} ): express.Router {
	const router = express.Router();
	const raw = express.raw( {
		type: () => true,
		limit: MAX_CONFIGURATION_BYTES,
	} );

	/**
	 * Verifies the signature and parses JSON; answers and returns undefined on failure.
	 * @param req
	 * @param res
	 */
	const readSigned = ( req: Request, res: Response ): unknown => {
		const body: Buffer = Buffer.isBuffer( req.body )
			? req.body
			: Buffer.alloc( 0 );
		const failure = verifySignature(
			options.secret,
			req.get( TIMESTAMP_HEADER ),
			req.get( SIGNATURE_HEADER ),
			body,
			options.clock()
		);
		if ( failure ) {
			options.logger.warn(
				{ path: req.path, reason: failure, address: req.ip },
				'unsigned configuration call refused'
			);
			sendError( res, 401, failure, SIGNATURE_MESSAGES[ failure ] );
			return undefined;
		}
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

	const guard =
		(
			handler: ( req: Request, res: Response ) => Promise< void >
		): express.RequestHandler =>
		( req, res ) => {
			handler( req, res ).catch( ( error: unknown ) => {
				options.logger.error(
					{ err: error, path: req.path },
					'configuration call failed'
				);
				if ( ! res.headersSent ) {
					sendError(
						res,
						500,
						'internal',
						'The chat service could not store the configuration.'
					);
				}
			} );
		};

	router.put(
		'/v1/configuration',
		raw,
		guard( async ( req, res ) => {
			const body = readSigned( req, res );
			if ( body === undefined ) {
				return;
			}
			const parsed = serviceConfigurationSchema.safeParse( body );
			if ( ! parsed.success ) {
				const fields = fieldsOf( parsed.error );
				sendError(
					res,
					400,
					'invalid_payload',
					fields
						.map( ( f ) => `${ f.field }: ${ f.message }` )
						.join( '; ' ),
					fields
				);
				return;
			}
			const stored = await options.store.replace( parsed.data );
			options.logger.info(
				{
					chatflows: stored.chatflows.length,
					agents: stored.agents.length,
				},
				'configuration replaced'
			);
			res.status( 200 ).json( {
				chatflows: stored.chatflows.map( ( flow ) => ( {
					id: flow.id,
					version: flow.version,
				} ) ),
			} );
		} )
	);

	router.put(
		'/v1/chatflows/:id',
		raw,
		guard( async ( req, res ) => {
			const body = readSigned( req, res );
			if ( body === undefined ) {
				return;
			}
			const parsed = compiledChatflowSchema.safeParse( body );
			if ( ! parsed.success ) {
				const fields = fieldsOf( parsed.error );
				sendError(
					res,
					400,
					'invalid_payload',
					fields
						.map( ( f ) => `${ f.field }: ${ f.message }` )
						.join( '; ' ),
					fields
				);
				return;
			}
			if ( parsed.data.id !== req.params.id ) {
				sendError(
					res,
					400,
					'invalid_payload',
					'id: must equal the id in the URL',
					[ { field: 'id', message: 'must equal the id in the URL' } ]
				);
				return;
			}
			const version = await options.store.saveChatflow( parsed.data );
			res.status( 200 ).json( {
				id: parsed.data.id,
				version,
				stored: version === parsed.data.version,
			} );
		} )
	);

	router.delete(
		'/v1/chatflows/:id',
		raw,
		guard( async ( req, res ) => {
			if ( readSigned( req, res ) === undefined ) {
				return;
			}
			const id = String( req.params.id );
			if ( ! SLUG_PATTERN.test( id ) ) {
				sendError(
					res,
					400,
					'invalid_payload',
					'id: not a chatflow id',
					[ { field: 'id', message: 'not a chatflow id' } ]
				);
				return;
			}
			const deleted = await options.store.deleteChatflow( id );
			if ( ! deleted ) {
				sendError( res, 404, 'not_found', 'id: no such chatflow' );
				return;
			}
			res.status( 200 ).json( { id, deleted: true } );
		} )
	);

	// A body above the limit, or any other body-parser failure: JSON, not HTML.
	router.use(
		(
			error: { status?: number; type?: string },
			_req: Request,
			res: Response,
			next: express.NextFunction
		) => {
			if ( error && error.type === 'entity.too.large' ) {
				sendError(
					res,
					413,
					'payload_too_large',
					`The body must be at most ${ MAX_CONFIGURATION_BYTES } bytes.`
				);
				return;
			}
			if ( error && typeof error.status === 'number' ) {
				sendError(
					res,
					error.status,
					'invalid_request',
					'Unreadable request body.'
				);
				return;
			}
			next( error );
		}
	);

	return router;
}
