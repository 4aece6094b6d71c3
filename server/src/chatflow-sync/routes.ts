/**
 * The HTTP side WordPress pushes configuration to, signed (see signature.ts;
 * each call's method, path and body are signed, and a replay is refused):
 * `PUT /v1/configuration`, `PUT /v1/chatflows/:id`, `DELETE /v1/chatflows/:id`.
 * Errors are JSON: `{ "error": { "code", "message" } }`; an invalid body
 * lists every wrong field in `message` and `fields`, and stores nothing.
 */
import type express from 'express';
import { z } from 'zod';
import { SLUG_PATTERN } from '../validation';
import { compiledChatflowSchema, serviceConfigurationSchema } from './schema';
import {
	MAX_SIGNED_BODY_BYTES,
	sendError,
	signedRouter,
	type SignedCallOptions,
} from './signed-routes';
import type { ConfigurationStore } from './store';

/** Largest configuration body accepted. */
export const MAX_CONFIGURATION_BYTES = MAX_SIGNED_BODY_BYTES;

/**
 * Builds the router.
 *
 * @param options       What every signed endpoint needs (`SignedCallOptions`), and:
 * @param options.store Where configuration goes.
 * @return An express router mounted at the root.
 */
export function configurationRouter(
	options: SignedCallOptions & { store: ConfigurationStore }
): express.Router {
	const signed = signedRouter( {
		...options,
		purpose: 'store the configuration',
	} );

	signed.route(
		'put',
		'/v1/configuration',
		serviceConfigurationSchema,
		async ( configuration, res ) => {
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
		}
	);

	signed.route(
		'put',
		'/v1/chatflows/:id',
		compiledChatflowSchema,
		async ( chatflow, res, req ) => {
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
		}
	);

	// Any JSON body, or none: the URL names the chatflow.
	signed.route(
		'delete',
		'/v1/chatflows/:id',
		z.unknown(),
		async ( _body, res, req ) => {
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
		}
	);

	// A body above the limit, or any other body-parser failure: JSON, not HTML.
	return signed.done();
}
