/**
 * Events of the `/visitor` namespace. A visitor only ever reaches their own
 * conversations: every lookup is by the socket's visitor id, never by an id
 * the client sends.
 */
import { randomUUID } from 'node:crypto';
import type { ChatRepository, ConversationRecord } from '../repository/types';
import type { ChatMessage, VisitorConversation } from '../contract/events';
import {
	ClientError,
	createHandler,
	type HandlerContext,
	type Outcome,
} from '../handler';
import type { Broadcaster } from '../broadcast';
import type { VisitorSocket } from '../types';
import { resumeSchema, visitorSendSchema } from '../validation';

export interface VisitorHandlerDeps extends HandlerContext {
	repository: ChatRepository;
	broadcaster: Broadcaster;
	clock: () => Date;
}

interface ResumeResult {
	conversation: VisitorConversation | null;
	messages: ChatMessage[];
}

export function toVisitorConversation(
	conversation: ConversationRecord
): VisitorConversation {
	return {
		id: conversation.id,
		chatflowId: conversation.chatflowId,
		status: conversation.status,
		createdAt: conversation.createdAt,
	};
}

/**
 * Registers the visitor events on one socket.
 *
 * @param socket A connected visitor socket.
 * @param deps   Repository, broadcaster and handler context.
 */
export function registerVisitorHandlers(
	socket: VisitorSocket,
	deps: VisitorHandlerDeps
): void {
	const { repository, broadcaster } = deps;
	const { visitorId, chatflowId } = socket.data;

	socket.on(
		'conversation:resume',
		createHandler(
			deps,
			'conversation:resume',
			resumeSchema,
			async ( payload ): Promise< Outcome< ResumeResult > > => {
				const conversation = await repository.findOpenConversation(
					visitorId,
					chatflowId
				);
				if ( ! conversation ) {
					return { data: { conversation: null, messages: [] } };
				}
				const messages = await repository.listMessages(
					conversation.id,
					payload.afterSeq ?? 0
				);
				return {
					data: {
						conversation: toVisitorConversation( conversation ),
						messages,
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
			visitorSendSchema,
			async ( payload ) => {
				const result = await repository.appendVisitorMessage( {
					visitorId,
					chatflowId,
					newConversationId: randomUUID(),
					pageUrl: socket.data.pageUrl,
					clientId: payload.clientId,
					author: { type: 'visitor', id: visitorId, name: '' },
					body: payload.body,
					createdAt: deps.clock().toISOString(),
				} );
				if (
					result.author.type !== 'visitor' ||
					result.author.id !== visitorId
				) {
					throw new ClientError(
						'invalid_payload',
						'clientId: already used by another message of this conversation'
					);
				}
				if ( result.conversationCreated ) {
					deps.logger.info(
						{
							conversationId: result.conversation.id,
							visitorId,
							chatflowId,
						},
						'conversation opened'
					);
				}
				if ( result.created ) {
					deps.logger.debug(
						{
							conversationId: result.message.conversationId,
							seq: result.message.seq,
							authorType: 'visitor',
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
