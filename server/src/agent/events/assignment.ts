/**
 * Agent events about who has a conversation: claiming it, assigning it to
 * an agent, transferring it to an agent or a team.
 */
import { ClientError, defineHandler, type EventHandler } from '../../handler';
import type { AgentSocket } from '../../types';
import {
	assignSchema,
	conversationRefSchema,
	transferSchema,
} from '../../validation';
import { announce, NOT_FOUND, summaryOf, type AgentHandlerDeps } from './deps';

/**
 * `conversation:claim`: the agent takes a conversation nobody has.
 *
 * @param deps Repository, domain and handler context.
 */
export function claimConversation( deps: AgentHandlerDeps ): EventHandler {
	const { repository, domain } = deps;
	return defineHandler(
		deps,
		'conversation:claim',
		conversationRefSchema,
		async ( payload, socket: AgentSocket ) => {
			// Claiming clears the team: its agents hear it left the queue.
			const before = await repository.findConversation(
				payload.conversationId
			);
			const result = await repository.assignConversation( {
				conversationId: payload.conversationId,
				assigneeId: socket.data.userId,
				teamId: null,
				expectedAssigneeId: null,
			} );
			if ( ! result ) {
				throw new ClientError( 'not_found', NOT_FOUND );
			}
			if ( ! result.changed ) {
				throw new ClientError(
					'conflict',
					result.conversation.status === 'closed'
						? 'conversationId: the conversation is closed'
						: 'conversationId: another agent already has this conversation'
				);
			}
			const summary = await summaryOf( deps, payload.conversationId );
			return {
				data: { conversation: summary },
				afterAck: () => {
					announce( deps, summary, before );
					void domain.assignment.rebalance();
				},
			};
		}
	);
}

/**
 * Hands a conversation to an agent or a team (an agent's choice, so the
 * conversation may go to someone busy).
 *
 * @param deps           Repository, domain and handler context.
 * @param conversationId The conversation.
 * @param assigneeId     The agent, or null.
 * @param teamId         The team, or null.
 */
async function assignTo(
	deps: AgentHandlerDeps,
	conversationId: string,
	assigneeId: string | null,
	teamId: string | null
) {
	const { repository, domain } = deps;
	// Once WordPress has sent its directory, only its agents and teams.
	const store = domain.configurationStore;
	if ( store.known ) {
		if ( assigneeId !== null && ! store.agent( assigneeId ) ) {
			throw new ClientError(
				'invalid_payload',
				'agentId: no such agent'
			);
		}
		if (
			teamId !== null &&
			! store.configuration.teams.some( ( team ) => team.id === teamId )
		) {
			throw new ClientError( 'invalid_payload', 'teamId: no such team' );
		}
	}
	// The agents it leaves hear of the transfer too.
	const before = await repository.findConversation( conversationId );
	const result = await repository.assignConversation( {
		conversationId,
		assigneeId,
		teamId,
	} );
	if ( ! result ) {
		throw new ClientError( 'not_found', NOT_FOUND );
	}
	if ( ! result.changed ) {
		throw new ClientError(
			'conflict',
			'conversationId: the conversation is closed'
		);
	}
	const summary = await summaryOf( deps, conversationId );
	return {
		data: { conversation: summary },
		afterAck: () => {
			announce( deps, summary, before );
			void domain.assignment.rebalance();
		},
	};
}

/**
 * `conversation:assign`: hands a conversation to an agent.
 *
 * @param deps Repository, domain and handler context.
 */
export function assignConversation( deps: AgentHandlerDeps ): EventHandler {
	return defineHandler(
		deps,
		'conversation:assign',
		assignSchema,
		async ( payload ) =>
			assignTo( deps, payload.conversationId, payload.agentId, null )
	);
}

/**
 * `conversation:transfer`: hands a conversation to an agent or a team.
 *
 * @param deps Repository, domain and handler context.
 */
export function transferConversation( deps: AgentHandlerDeps ): EventHandler {
	return defineHandler(
		deps,
		'conversation:transfer',
		transferSchema,
		async ( payload ) =>
			'teamId' in payload
				? assignTo( deps, payload.conversationId, null, payload.teamId )
				: assignTo(
						deps,
						payload.conversationId,
						payload.agentId,
						null
					)
	);
}
