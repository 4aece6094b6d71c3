/**
 * `POST /v1/agents/access`: WordPress reports a user's rights changed (see
 * `@chatflows/protocol`), signed as every WordPress call is.
 */
import express from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AGENT_ACCESS_PATH, type AgentAccessChange } from '@chatflows/protocol';
import type { NonceStore } from '../chatflow-sync/nonce-store';
import { signedRoutes } from '../chatflow-sync/signed-routes';
import { SLUG_PATTERN } from '../validation';
import type { AgentAccess } from './access';

const ids = z
	.array( z.string().regex( SLUG_PATTERN, 'must be ids' ) )
	.max( 1000 );

const userId = z
	.string( { message: 'must be a user id' } )
	.regex( SLUG_PATTERN, 'must be a user id' );

export const agentAccessChangeSchema = z.object( {
	changedAt: z
		.number( { message: 'must be Unix seconds' } )
		.int( 'must be Unix seconds' )
		.min( 0, 'must be Unix seconds' ),
	agents: z
		.array(
			z.union(
				[
					z.object( { userId, revoked: z.literal( true ) } ),
					z.object( {
						userId,
						caps: z.array( z.string().max( 64 ) ).max( 100 ),
						teams: ids,
						inboxes: ids,
					} ),
				],
				{
					message:
						'must be { userId, revoked: true } or { userId, caps, teams, inboxes }',
				}
			)
		)
		.min( 1, 'must name at least one user' )
		.max( 1000, 'must name at most 1000 users' ),
} ) satisfies z.ZodType< AgentAccessChange >;

/**
 * Builds the router.
 *
 * @param options        Options.
 * @param options.secret The shared secret.
 * @param options.access Where agent connections are re-scoped or ended.
 * @param options.logger Logger.
 * @param options.clock  Clock, for the signature's timestamp.
 * @param options.nonces Where spent nonces are kept (shared by every signed route).
 * @return An express router mounted at the root.
 */
export function agentAccessRouter( options: {
	secret: string;
	access: AgentAccess;
	logger: Logger;
	clock: () => Date;
	nonces: NonceStore;
} ): express.Router {
	const router = express.Router();
	const { raw, readValid, guard, bodyErrors } = signedRoutes( {
		...options,
		purpose: 'apply the agents’ rights',
	} );
	router.post(
		AGENT_ACCESS_PATH,
		raw,
		guard( async ( req, res ) => {
			const change = readValid( req, res, agentAccessChangeSchema );
			if ( ! change ) {
				return;
			}
			options.access.change( change );
			res.status( 200 ).json( { agents: change.agents.length } );
		} )
	);
	router.use( bodyErrors );
	return router;
}
