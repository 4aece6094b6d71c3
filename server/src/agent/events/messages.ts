/**
 * Agent events about messages: reading a conversation's, replying, typing
 * and read marks.
 */
import { ClientError, defineHandler, type EventHandler } from '../../handler';
import { agentRoom, type AgentSocket } from '../../types';
import { attachToMessage, checkAttachment } from '../../attachments/messages';
import {
	agentReadSchema,
	agentSendSchema,
	agentTypingSchema,
	conversationMessagesSchema,
} from '../../validation';
import { TypingThrottle } from '../../typing-throttle';
import {
	conversationOrNotFound,
	NOT_FOUND,
	type AgentHandlerDeps,
} from './deps';

/**
 * `conversation:messages`: a conversation's messages after a seq.
 *
 * @param deps Repository and handler context.
 */
export function listMessages( deps: AgentHandlerDeps ): EventHandler {
	const { repository } = deps;
	return defineHandler(
		deps,
		'conversation:messages',
		conversationMessagesSchema,
		async ( payload ) => {
			const conversation = await conversationOrNotFound(
				deps,
				payload.conversationId
			);
			return {
				data: {
					messages: await repository.listMessages(
						conversation.id,
						payload.afterSeq ?? 0
					),
				},
			};
		}
	);
}

/**
 * `message:send`: stores an agent's reply (maybe with an attachment).
 *
 * @param deps Repository, broadcaster and handler context.
 */
export function sendMessage( deps: AgentHandlerDeps ): EventHandler {
	const { repository, broadcaster } = deps;
	return defineHandler(
		deps,
		'message:send',
		agentSendSchema,
		async ( payload, socket: AgentSocket ) => {
			const { userId, name } = socket.data;
			const sender = { type: 'agent' as const, id: userId };
			if ( payload.attachmentId ) {
				await checkAttachment(
					repository,
					payload.attachmentId,
					payload.clientId,
					sender
				);
			}
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
			if ( payload.attachmentId ) {
				await attachToMessage(
					repository,
					result,
					payload.attachmentId,
					sender
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
				// Announced on a retry too (see the visitor's message:send).
				afterAck: () => broadcaster.messageStored( result, socket.id ),
			};
		}
	);
}

/**
 * `typing`: tells the visitor of a reply (never of a note), and the other
 * agents who see the conversation of both ("someone else is replying"), at
 * most once a `TYPING_THROTTLE_MS` per conversation and mode while typing
 * goes on.
 *
 * @param deps Repository, domain and handler context.
 */
export function typing( deps: AgentHandlerDeps ): EventHandler {
	const { repository, broadcaster } = deps;
	const throttle = new TypingThrottle< AgentSocket >();
	return defineHandler(
		deps,
		'typing',
		agentTypingSchema,
		async ( payload, socket: AgentSocket ) => {
			if (
				! throttle.passes(
					socket,
					`${ payload.conversationId }:${ payload.mode }`,
					payload.typing,
					deps.clock().getTime()
				)
			) {
				return { data: {} };
			}
			const conversation = await repository.findConversation(
				payload.conversationId
			);
			if ( ! conversation ) {
				throw new ClientError( 'not_found', NOT_FOUND );
			}
			return {
				data: {},
				afterAck: () => {
					if ( payload.mode === 'reply' ) {
						broadcaster
							.toVisitor( conversation.visitorId )
							.emit( 'typing', {
								conversationId: conversation.id,
								typing: payload.typing,
							} );
					}
					broadcaster
						.toAgentsSeeing( conversation )
						.except( socket.id )
						.emit( 'agent:typing', {
							conversationId: conversation.id,
							agentId: socket.data.userId,
							agentName: socket.data.name,
							typing: payload.typing,
							mode: payload.mode,
						} );
				},
			};
		}
	);
}

/**
 * `conversation:read`: stores how far this agent has read.
 *
 * @param deps Repository, domain and handler context.
 */
export function markRead( deps: AgentHandlerDeps ): EventHandler {
	const { repository, broadcaster } = deps;
	return defineHandler(
		deps,
		'conversation:read',
		agentReadSchema,
		async ( payload, socket: AgentSocket ) => {
			// Each agent has their own read mark and unread counts.
			const { userId } = socket.data;
			const updated = await repository.markRead( {
				conversationId: payload.conversationId,
				reader: 'agent',
				seq: payload.seq,
				agentId: userId,
			} );
			if ( ! updated ) {
				throw new ClientError( 'not_found', NOT_FOUND );
			}
			const unreadCount = await repository.countUnread(
				updated.id,
				'agent',
				userId
			);
			return {
				data: { unreadCount },
				afterAck: () => {
					// The visitor sees how far the team has read.
					broadcaster.toVisitor( updated.visitorId ).emit( 'read', {
						conversationId: updated.id,
						reader: 'agent',
						seq: updated.agentReadSeq,
					} );
					// Only this agent's other tabs: other agents keep their own counts.
					socket.to( agentRoom( userId ) ).emit( 'read', {
						conversationId: updated.id,
						reader: 'agent',
						seq: Math.min( payload.seq, updated.lastSeq ),
					} );
				},
			};
		}
	);
}
