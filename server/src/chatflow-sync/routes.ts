/**
 * The HTTP side WordPress pushes configuration to, signed (see signature.ts;
 * each call's method, path and body are signed, and a replay is refused):
 * `PUT /v1/configuration`, `PUT /v1/chatflows/:id`, `DELETE /v1/chatflows/:id`.
 * Errors are JSON: `{ "error": { "code", "message" } }`; an invalid body
 * lists every wrong field in `message` and `fields`, and stores nothing.
 */
import express from 'express';
import type { Logger } from 'pino';
import { SLUG_PATTERN } from '../validation';
import { compiledChatflowSchema, serviceConfigurationSchema } from './schema';
import {
	MAX_SIGNED_BODY_BYTES,
	sendError,
	signedRoutes,
} from './signed-routes';
import type { NonceStore } from './nonce-store';
import type { ConfigurationStore } from './store';

/** Largest configuration body accepted. */
export const MAX_CONFIGURATION_BYTES = MAX_SIGNED_BODY_BYTES;

/**
 * Builds the router.
 *
 * @param options        Options.
 * @param options.secret The shared secret.
 * @param options.store  Where configuration goes.
 * @param options.logger Logger.
 * @param options.clock  Clock, for the timestamp check.
 * @param options.nonces Nonces of signed calls already accepted.
 * @return An express router mounted at the root.
 */
export function configurationRouter( options: {
	secret: string;
	store: ConfigurationStore;
	logger: Logger;
	clock: () => Date;
	nonces: NonceStore;
} ): express.Router {
	const router = express.Router();
	const { raw, readSigned, readValid, guard, bodyErrors } = signedRoutes( {
		...options,
		purpose: 'store the configuration',
	} );

	router.put(
		'/v1/configuration',
		raw,
		guard( async ( req, res ) => {
			const configuration = readValid(
				req,
				res,
				serviceConfigurationSchema
			);
			if ( ! configuration ) {
				return;
			}
			const stored = await options.store.replace( configuration );
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
			const chatflow = readValid( req, res, compiledChatflowSchema );
			if ( ! chatflow ) {
				return;
			}
			if ( chatflow.id !== req.params.id ) {
				sendError(
					res,
					400,
					'invalid_payload',
					'id: must equal the id in the URL',
					[ { field: 'id', message: 'must equal the id in the URL' } ]
				);
				return;
			}
			const version = await options.store.saveChatflow( chatflow );
			res.status( 200 ).json( {
				id: chatflow.id,
				version,
				stored: version === chatflow.version,
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
	router.use( bodyErrors );

	return router;
}
