/**
 * Events of the `/agent` namespace: the inbox lists conversations, reads
 * their messages and replies.
 */
import type { ChatRepository } from '../repository/types';
import type { Broadcaster } from '../broadcast';
import { ClientError, createHandler, type HandlerContext } from '../handler';
import type { AgentSocket } from '../types';
import {
	agentSendSchema,
	conversationMessagesSchema,
	inboxListSchema,
} from '../validation';

/** Most conversations `inbox:list` returns. */
export const INBOX_LIMIT = 200;

export interface AgentHandlerDeps extends HandlerContext {
	repository: ChatRepository;
	broadcaster: Broadcaster;
	clock: () => Date;
}

const NOT_FOUND = 'conversationId: no such conversation';

/**
 * Registers the agent events on one socket.
 *
 * @param socket An authenticated agent socket.
 * @param deps   Repository, broadcaster and handler context.
 */
export function registerAgentHandlers(
	socket: AgentSocket,
	deps: AgentHandlerDeps
): void {
	const { repository, broadcaster } = deps;

	socket.on(
		'inbox:list',
		createHandler( deps, 'inbox:list', inboxListSchema, async () => ( {
			data: {
				conversations: await repository.listConversations( {
					limit: INBOX_LIMIT,
				} ),
			},
		} ) )
	);

	socket.on(
		'conversation:messages',
		createHandler(
			deps,
			'conversation:messages',
			conversationMessagesSchema,
			async ( payload ) => {
				const conversation = await repository.findConversation(
					payload.conversationId
				);
				if ( ! conversation ) {
					throw new ClientError( 'not_found', NOT_FOUND );
				}
				return {
					data: {
						messages: await repository.listMessages(
							conversation.id,
							payload.afterSeq ?? 0
						),
					},
				};
			}
		)
	);

	socket.on(
		'message:send',
		createHandler(
			deps,
			'message:send',
			agentSendSchema,
			async ( payload ) => {
				const { userId, name } = socket.data;
				const result = await repository.appendMessage( {
					conversationId: payload.conversationId,
					clientId: payload.clientId,
					author: { type: 'agent', id: userId, name },
					body: payload.body,
					createdAt: deps.clock().toISOString(),
				} );
				if ( ! result ) {
					throw new ClientError( 'not_found', NOT_FOUND );
				}
				if (
					result.author.type !== 'agent' ||
					result.author.id !== userId
				) {
					throw new ClientError(
						'invalid_payload',
						'clientId: already used by another message of this conversation'
					);
				}
				if ( result.created ) {
					deps.logger.debug(
						{
							conversationId: result.message.conversationId,
							seq: result.message.seq,
							authorType: 'agent',
							userId,
						},
						'message stored'
					);
				}
				return {
					data: { message: result.message },
					afterAck: result.created
						? () => broadcaster.messageStored( result, socket.id )
						: undefined,
				};
			}
		)
	);
}
