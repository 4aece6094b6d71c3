/**
 * Agent events about the agent's own connection: renewing its token, and
 * being available or away. Presence is counted per socket.
 */
import { ClientError, defineHandler, type EventHandler } from '../../handler';
import type { AgentSocket } from '../../types';
import { agentRenewSchema, presenceSchema } from '../../validation';
import type { AgentHandlerDeps } from './deps';

/**
 * Counts a connected agent socket in the agent's presence, and out when it
 * disconnects. A further tab follows the agent's presence; the first one
 * the handshake's.
 *
 * @param socket The agent's connection.
 * @param deps   The domain.
 */
export function trackPresence(
	socket: AgentSocket,
	deps: Pick< AgentHandlerDeps, 'domain' >
): void {
	const { domain } = deps;
	const presence = domain.availability.presenceOf( socket.data.userId );
	socket.data.away =
		presence === 'offline'
			? socket.data.away === true
			: presence === 'away';
	domain.availability.agentConnected( socket.data.userId, socket.data.away );
	socket.on( 'disconnect', () =>
		domain.availability.agentDisconnected( socket.data.userId )
	);
}
/**
 * `auth:renew`: a new token for the same user extends the connection.
 *
 * @param deps Token check, access and handler context.
 */
export function renewToken( deps: AgentHandlerDeps ): EventHandler {
	return defineHandler(
		deps,
		'auth:renew',
		agentRenewSchema,
		async ( payload, socket: AgentSocket ) => {
			const agent = await deps.verifyToken( payload.token );
			if ( agent instanceof Error ) {
				const code = agent.data?.code;
				throw new ClientError(
					code === 'token_expired' || code === 'forbidden'
						? code
						: 'token_invalid',
					`token: ${ agent.message }`
				);
			}
			if ( agent.userId !== socket.data.userId ) {
				throw new ClientError(
					'token_invalid',
					'token: the token is another user’s'
				);
			}
			deps.access.renew( socket, agent );
			return { data: { exp: agent.exp } };
		}
	);
}

/**
 * `agent:presence`: the agent sets themselves available or away.
 *
 * @param deps Domain and handler context.
 */
export function setPresence( deps: AgentHandlerDeps ): EventHandler {
	const { domain } = deps;
	return defineHandler(
		deps,
		'agent:presence',
		presenceSchema,
		async ( payload, socket: AgentSocket ) => {
			domain.availability.setPresence(
				socket.data.userId,
				payload.status
			);
			return { data: { status: payload.status } };
		}
	);
}
