/**
 * `POST /v1/agents/access`: WordPress reports a user's rights changed (see
 * `@chatflows/protocol`), signed as every WordPress call is.
 */
import type express from 'express';
import { z } from 'zod';
import { AGENT_ACCESS_PATH, type AgentAccessChange } from '@chatflows/protocol';
import {
	signedRouter,
	type SignedCallOptions,
} from '../chatflow-sync/signed-routes';
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
 * @param options        What every signed endpoint needs (`SignedCallOptions`), and:
 * @param options.access Where agent connections are re-scoped or ended.
 * @return An express router mounted at the root.
 */
export function agentAccessRouter(
	options: SignedCallOptions & { access: AgentAccess }
): express.Router {
	const signed = signedRouter( {
		...options,
		purpose: 'apply the agents’ rights',
	} );
	signed.route(
		'post',
		AGENT_ACCESS_PATH,
		agentAccessChangeSchema,
		async ( change, res ) => {
			options.access.change( change );
			res.status( 200 ).json( { agents: change.agents.length } );
		}
	);
	return signed.done();
}
