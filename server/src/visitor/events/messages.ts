/**
 * Visitor events about messages: sending one (which may open or reopen a
 * conversation), typing, and reading.
 */
import { randomUUID } from 'node:crypto';
import { ClientError, defineHandler, type EventHandler } from '../../handler';
import type { VisitorSocket } from '../../types';
import { attachToMessage, checkAttachment } from '../../attachments/messages';
import {
	visitorReadSchema,
	visitorSendSchema,
	visitorTypingSchema,
} from '../../validation';
import { TypingThrottle } from '../../typing-throttle';
import { linkVisitorToContact } from '../contact-link';
import {
	ownOpenConversation,
	usableChatflowOf,
	type VisitorHandlerDeps,
} from './deps';

/**
 * `message:send`: stores the visitor's message, opening (or reopening) their
 * conversation when it is the first, and routes a new one.
 *
 * @param deps Repository, broadcaster, domain and handler context.
 */
export function sendMessage( deps: VisitorHandlerDeps ): EventHandler {
	const { repository, broadcaster, domain } = deps;
	return defineHandler(
		deps,
		'message:send',
		visitorSendSchema,
		async ( payload, socket: VisitorSocket ) => {
			const { visitorId, chatflowId } = socket.data;
			const message = {
				visitorId,
				chatflowId,
				newConversationId: randomUUID(),
				pageUrl: socket.data.pageUrl,
				clientId: payload.clientId,
				author: {
					type: 'visitor' as const,
					id: visitorId,
					name: '',
				},
				body: payload.body,
				createdAt: deps.clock().toISOString(),
				reopenClosed: true,
			};
			// A reply in an open conversation (nearly every message) is
			// stored at once: the write finds the conversation itself.
			// Only a message that may open (or reopen) one needs the
			// checks below; one with an attachment keeps their order.
			const reply = payload.attachmentId
				? null
				: await repository.appendToOpenConversation( message );
			const open =
				reply !== null ||
				( !! payload.attachmentId &&
					( await repository.findOpenConversation(
						visitorId,
						chatflowId
					) ) !== null );
			const sender = {
				type: 'visitor' as const,
				id: visitorId,
				chatflowId,
			};
			let offline = false;
			let result = reply;
			if ( ! result ) {
				// Only a published chatflow opens (or reopens) a
				// conversation; a file goes on in an open one too.
				const chatflow = await usableChatflowOf( deps, socket, open );
				if ( payload.attachmentId ) {
					await checkAttachment(
						repository,
						payload.attachmentId,
						payload.clientId,
						sender
					);
				}
				const state = open
					? 'available'
					: (
							await domain.availability.currentAvailability(
								chatflowId
							)
						).state;
				offline = state === 'offline' || state === 'away';
				result = await repository.appendVisitorMessage( {
					...message,
					ticket: {
						...chatflow.ticket,
						id: randomUUID(),
						offline,
					},
				} );
			}
			if (
				result.author.type !== 'visitor' ||
				result.author.id !== visitorId
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
			if ( result.conversationCreated ) {
				deps.logger.info(
					{
						conversationId: result.conversation.id,
						visitorId,
						chatflowId,
						offline,
					},
					'conversation opened'
				);
				await deps.saveOpeningContext?.(
					socket,
					result.conversation.id
				);
				// Linked by identification on this connection, or by a
				// confirmation link clicked since (maybe on another node).
				const contactId =
					socket.data.contactId ??
					( await repository.findVisitorContactId( visitorId ) );
				if ( contactId ) {
					socket.data.contactId = contactId;
					const contact = await repository.findContact( contactId );
					if ( contact ) {
						await linkVisitorToContact( deps, {
							visitorId,
							conversationId: result.conversation.id,
							email: contact.email,
							name: '',
						} );
						result.conversation.contactId = contact.id;
					}
				}
			}
			const opened = result.conversationCreated;
			const reopened = result.conversationReopened === true;
			const routingFailed = ( error: unknown ) =>
				deps.logger.error(
					{ err: error, conversationId: result.conversation.id },
					'routing a conversation failed'
				);
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
				afterAck: () => {
					// A retry of a stored message is announced again: the
					// node that stored it may have died before announcing
					// it, and clients keep one copy per seq.
					broadcaster.messageStored( result, socket.id );
					if ( ! result.created ) {
						// It may also have died before routing it.
						void domain
							.visitorMessageRetried(
								result,
								socket.data.language
							)
							.catch( routingFailed );
						return;
					}
					if ( opened || reopened ) {
						void domain
							.conversationStarted( {
								conversation: result.conversation,
								message: result.message,
								opened,
								offline,
								language: socket.data.language,
							} )
							.catch( routingFailed );
					}
				},
			};
		}
	);
}

/**
 * `typing`: tells the agents who see the conversation, at most once a
 * `TYPING_THROTTLE_MS` while typing goes on.
 *
 * @param deps Repository, domain and handler context.
 */
export function typing( deps: VisitorHandlerDeps ): EventHandler {
	const { broadcaster } = deps;
	const throttle = new TypingThrottle< VisitorSocket >();
	return defineHandler(
		deps,
		'typing',
		visitorTypingSchema,
		async ( payload, socket: VisitorSocket ) => {
			// One conversation per visitor socket: throttled per socket.
			if (
				! throttle.passes(
					socket,
					'',
					payload.typing,
					deps.clock().getTime()
				)
			) {
				return { data: {} };
			}
			const conversation = await ownOpenConversation( deps, socket );
			return {
				data: {},
				afterAck: () =>
					broadcaster.toAgentsSeeing( conversation ).emit( 'typing', {
						conversationId: conversation.id,
						typing: payload.typing,
					} ),
			};
		}
	);
}

/**
 * `conversation:read`: stores how far the visitor has read.
 *
 * @param deps Repository, domain and handler context.
 */
export function markRead( deps: VisitorHandlerDeps ): EventHandler {
	const { repository, broadcaster } = deps;
	return defineHandler(
		deps,
		'conversation:read',
		visitorReadSchema,
		async ( payload, socket: VisitorSocket ) => {
			const conversation = await ownOpenConversation( deps, socket );
			const updated = await repository.markRead( {
				conversationId: conversation.id,
				reader: 'visitor',
				seq: payload.seq,
			} );
			const unreadCount = await repository.countUnread(
				conversation.id,
				'visitor'
			);
			return {
				data: { unreadCount },
				afterAck: () =>
					broadcaster.toAgentsSeeing( conversation ).emit( 'read', {
						conversationId: conversation.id,
						reader: 'visitor',
						seq: updated?.visitorReadSeq ?? payload.seq,
					} ),
			};
		}
	);
}
