/**
 * Agent events about a conversation's life: closing and reopening it.
 */
import { ClientError, defineHandler, type EventHandler } from '../../handler';
import type { AgentSocket } from '../../types';
import { conversationRefSchema } from '../../validation';
import { announce, NOT_FOUND, summaryOf, type AgentHandlerDeps } from './deps';

/**
 * Closes or reopens a conversation.
 *
 * @param deps           Repository, domain and handler context.
 * @param socket         The agent's connection.
 * @param conversationId The conversation.
 * @param status         The new status.
 */
async function setStatus(
	deps: AgentHandlerDeps,
	socket: AgentSocket,
	conversationId: string,
	status: 'open' | 'closed'
) {
	const { repository, domain } = deps;
	const result = await repository.setConversationStatus( {
		conversationId,
		status,
		updatedAt: deps.clock().toISOString(),
	} );
	if ( ! result ) {
		throw new ClientError( 'not_found', NOT_FOUND );
	}
	const summary = await summaryOf( deps, conversationId );
	deps.logger.info(
		{ conversationId, status, userId: socket.data.userId },
		'conversation status set'
	);
	return {
		data: { conversation: summary },
		afterAck: result.changed
			? () => {
					announce( deps, summary );
					domain.announceStatusToVisitor( result.conversation );
					if ( status === 'closed' ) {
						void domain.conversationClosed( result.conversation );
					}
					void domain.assignment.rebalance();
				}
			: undefined,
	};
}

/**
 * `conversation:close`.
 *
 * @param deps Repository, domain and handler context.
 */
export function closeConversation( deps: AgentHandlerDeps ): EventHandler {
	return defineHandler(
		deps,
		'conversation:close',
		conversationRefSchema,
		async ( payload, socket: AgentSocket ) =>
			setStatus( deps, socket, payload.conversationId, 'closed' )
	);
}

/**
 * `conversation:reopen`.
 *
 * @param deps Repository, domain and handler context.
 */
export function reopenConversation( deps: AgentHandlerDeps ): EventHandler {
	return defineHandler(
		deps,
		'conversation:reopen',
		conversationRefSchema,
		async ( payload, socket: AgentSocket ) =>
			setStatus( deps, socket, payload.conversationId, 'open' )
	);
}
