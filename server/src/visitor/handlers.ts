/**
 * Events of the `/visitor` namespace. A visitor only ever reaches their own
 * conversations: every lookup is by the socket's visitor id, never by an id
 * the client sends.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { ChatRepository, ConversationRecord } from '../repository/types';
import type { ConversationDomain } from '../domain/conversation-domain';
import type {
	ChatMessage,
	ConversationContextChangeReason,
	QueuePosition,
	VisitorConversation,
} from '@chatflows/protocol';
import {
	ClientError,
	createHandler,
	type HandlerContext,
	type Outcome,
} from '../handler';
import { asSeenByVisitor, type Broadcaster } from '../broadcast';
import type { VisitorSocket } from '../types';
import { attachToMessage, checkAttachment } from '../attachments/messages';
import { isRefusal, usableChatflow } from './chatflow-gate';
import { claimEmail } from './email-claims';
import type { ClientAddresses } from '../limits/client-address';
import {
	consentGrantSchema,
	contactEmailSchema,
	resumeSchema,
	surveyAnswerSchema,
	visitorReadSchema,
	visitorSendSchema,
	visitorTypingSchema,
} from '../validation';

export interface VisitorHandlerDeps extends HandlerContext {
	repository: ChatRepository;
	broadcaster: Broadcaster;
	clock: () => Date;
	domain: ConversationDomain;
	/** Tells the client's address behind trusted proxies. */
	clientAddresses?: ClientAddresses;
	/** Stores the visitor's context for a conversation this connection opened. */
	saveOpeningContext?: (
		socket: VisitorSocket,
		conversationId: string
	) => Promise< void >;
}

/** Typing indicators closer together than this are dropped (stopping always passes). */
export const TYPING_THROTTLE_MS = 1000;

/**
 * The newest conversations agents are told changed context (consents,
 * contact); an older one shows the change when an agent selects it again.
 */
export const CONTEXT_CHANGE_LIMIT = 200;

const NO_CONVERSATION = 'conversationId: not one of your conversations';

interface ResumeResult {
	conversation: VisitorConversation | null;
	messages: ChatMessage[];
	unreadCount?: number;
	queue?: QueuePosition;
	survey?: { question: Record< string, string > };
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
 * The version of a consent text: the first 16 hex characters of its SHA-256,
 * so records of the same wording compare equal without comparing the text.
 *
 * @param text The text the visitor saw.
 * @return 16 lower-case hex characters.
 */
export function consentTextVersion( text: string ): string {
	return createHash( 'sha256' )
		.update( text, 'utf8' )
		.digest( 'hex' )
		.slice( 0, 16 );
}

/**
 * Tells the agents who see them that the context of the conversations
 * showing this visitor's consents, contact and claim changed: the visitor's
 * own and those linked to the contact, as `conversation:context` finds its
 * consents. Called after the write, never failing the caller.
 *
 * @param deps      Repository, broadcaster and logger.
 * @param visitorId The visitor.
 * @param contactId The visitor's contact, if any.
 * @param reason    What changed.
 */
export async function announceVisitorContextChange(
	deps: Pick< VisitorHandlerDeps, 'repository' | 'broadcaster' | 'logger' >,
	visitorId: string,
	contactId: string | null,
	reason: ConversationContextChangeReason
): Promise< void > {
	try {
		const conversations = await deps.repository.listRelatedConversations( {
			// No conversation has the empty id: none is left out.
			conversationId: '',
			visitorId,
			contactId,
			limit: CONTEXT_CHANGE_LIMIT,
		} );
		deps.broadcaster.contextChanged( conversations, reason );
	} catch ( error ) {
		deps.logger.error(
			{ err: error, visitorId },
			'context change not announced'
		);
	}
}

/**
 * Builds the visitor events' listeners once per namespace, as socket.io's
 * own examples do: each listener finds its socket in `this` (see
 * createHandler), and what one connection keeps between events lives in a
 * WeakMap, so a connection costs no closures of its own.
 *
 * @param deps Repository, broadcaster and handler context.
 * @return Registers the listeners on one connected visitor socket.
 */
export function createVisitorHandlers(
	deps: VisitorHandlerDeps
): ( socket: VisitorSocket ) => void {
	const { repository, broadcaster, domain } = deps;
	/** When each socket last passed a "typing" on. */
	const lastTypingAt = new WeakMap< VisitorSocket, number >();
	const listeners: Array< [ string, ( ...args: unknown[] ) => void ] > = [];
	const on = (
		event: string,
		listener: ( this: unknown, ...args: unknown[] ) => void
	): void => {
		listeners.push( [ event, listener ] );
	};

	/**
	 * The visitor's open conversation under this chatflow, or a not_found error.
	 *
	 * @param socket The visitor's connection.
	 */
	const ownOpenConversation = async (
		socket: VisitorSocket
	): Promise< ConversationRecord > => {
		const conversation = await repository.findOpenConversation(
			socket.data.visitorId,
			socket.data.chatflowId
		);
		if ( ! conversation ) {
			throw new ClientError(
				'not_found',
				'You have no open conversation here.'
			);
		}
		return conversation;
	};

	/**
	 * The socket's chatflow when the visitor may act under it now (it may
	 * have been switched off or deleted since they connected).
	 *
	 * @param socket  The visitor's connection.
	 * @param hasOpen Whether they have an open conversation there, when known.
	 * @throws ClientError `chatflow_unavailable` or `configuration_pending`.
	 */
	const usableChatflowOf = async (
		socket: VisitorSocket,
		hasOpen?: boolean
	) => {
		const chatflow = await usableChatflow(
			domain.configurationStore,
			repository,
			socket.data.chatflowId,
			socket.data.visitorId,
			hasOpen
		);
		if ( isRefusal( chatflow ) ) {
			throw new ClientError( chatflow.code, chatflow.message );
		}
		return chatflow;
	};

	const announceContextChange = (
		visitorId: string,
		contactId: string | null,
		reason: ConversationContextChangeReason
	) => announceVisitorContextChange( deps, visitorId, contactId, reason );

	on(
		'conversation:resume',
		createHandler(
			deps,
			'conversation:resume',
			resumeSchema,
			async (
				payload,
				socket: VisitorSocket
			): Promise< Outcome< ResumeResult > > => {
				const { visitorId, chatflowId } = socket.data;
				// The newest conversation, even closed: the visitor sees how it
				// ended, and writing again reopens it.
				const conversation = await repository.findLatestConversation(
					visitorId,
					chatflowId
				);
				if ( ! conversation ) {
					return { data: { conversation: null, messages: [] } };
				}
				const alias =
					domain.configurationStore.chatflow( chatflowId )?.alias ??
					'';
				const messages = (
					await repository.listMessages(
						conversation.id,
						payload.afterSeq ?? 0
					)
				).map( ( message ) => asSeenByVisitor( message, alias ) );
				// What a reload would otherwise lose: live events only say what changes.
				const [ unreadCount, queue, survey ] = await Promise.all( [
					repository.countUnread( conversation.id, 'visitor' ),
					domain.queuePositionOf( conversation ),
					domain.pendingSurvey( conversation ),
				] );
				return {
					data: {
						conversation: toVisitorConversation( conversation ),
						messages,
						unreadCount,
						...( queue && { queue } ),
						...( survey && { survey } ),
					},
				};
			}
		)
	);

	on(
		'message:send',
		createHandler(
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
					const chatflow = await usableChatflowOf( socket, open );
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
						: ( await domain.currentAvailability( chatflowId ) )
								.state;
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
						const contact =
							await repository.findContact( contactId );
						if ( contact ) {
							await repository.linkContact( {
								email: contact.email,
								name: '',
								newContactId: randomUUID(),
								conversationId: result.conversation.id,
								createdAt: deps.clock().toISOString(),
								visitorId,
							} );
							result.conversation.contactId = contact.id;
						}
					}
				}
				const opened = result.conversationCreated;
				const reopened = result.conversationReopened === true;
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
							return;
						}
						if ( reopened ) {
							domain.announceStatusToVisitor(
								result.conversation
							);
						}
						if ( opened || reopened ) {
							const routed = domain.conversationOpened(
								result.conversation,
								socket.data.language
							);
							// Nobody free to take a new one: the team hears by e-mail.
							if ( opened && ! offline ) {
								void routed.then( () =>
									domain.notifyIfUnattended(
										result.conversation.id
									)
								);
							}
						}
						if ( opened && offline ) {
							void domain.notifyOfflineMessage(
								result.conversation,
								result.message
							);
						}
					},
				};
			}
		)
	);

	on(
		'typing',
		createHandler(
			deps,
			'typing',
			visitorTypingSchema,
			async ( payload, socket: VisitorSocket ) => {
				const now = deps.clock().getTime();
				if (
					payload.typing &&
					now - ( lastTypingAt.get( socket ) ?? 0 ) <
						TYPING_THROTTLE_MS
				) {
					return { data: {} };
				}
				lastTypingAt.set( socket, payload.typing ? now : 0 );
				const conversation = await ownOpenConversation( socket );
				return {
					data: {},
					afterAck: () =>
						domain.toAgentsSeeing( conversation ).emit( 'typing', {
							conversationId: conversation.id,
							typing: payload.typing,
						} ),
				};
			}
		)
	);

	on(
		'conversation:read',
		createHandler(
			deps,
			'conversation:read',
			visitorReadSchema,
			async ( payload, socket: VisitorSocket ) => {
				const conversation = await ownOpenConversation( socket );
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
						domain.toAgentsSeeing( conversation ).emit( 'read', {
							conversationId: conversation.id,
							reader: 'visitor',
							seq: updated?.visitorReadSeq ?? payload.seq,
						} ),
				};
			}
		)
	);

	on(
		'contact:email',
		createHandler(
			deps,
			'contact:email',
			contactEmailSchema,
			async ( payload, socket: VisitorSocket ) => {
				await usableChatflowOf( socket );
				const result = await claimEmail( deps, socket, payload );
				return {
					data: result,
					afterAck: () =>
						void announceContextChange(
							socket.data.visitorId,
							socket.data.contactId,
							'contact'
						),
				};
			}
		)
	);

	on(
		'consent:record',
		createHandler(
			deps,
			'consent:record',
			consentGrantSchema,
			async ( grant, socket: VisitorSocket ) => {
				const { visitorId, chatflowId } = socket.data;
				await usableChatflowOf( socket );
				const { record, created } = await repository.recordConsent( {
					id: randomUUID(),
					visitorId,
					contactId: socket.data.contactId ?? null,
					chatflowId,
					kind: grant.kind,
					granted: grant.granted,
					method: grant.method,
					text: grant.text,
					textVersion: consentTextVersion( grant.text ),
					language: grant.language,
					pageUrl: grant.pageUrl,
					...( grant.subscriptionType !== undefined && {
						subscriptionType: grant.subscriptionType,
					} ),
					recordedAt: deps.clock().toISOString(),
				} );
				if ( created ) {
					deps.logger.info(
						{
							visitorId,
							chatflowId,
							kind: record.kind,
							granted: record.granted,
							method: record.method,
							textVersion: record.textVersion,
						},
						'consent recorded'
					);
				}
				return {
					data: { record },
					// The same answer again changes nothing anyone sees.
					afterAck: created
						? () =>
								void announceContextChange(
									visitorId,
									record.contactId,
									'consent'
								)
						: undefined,
				};
			}
		)
	);

	on(
		'survey:answer',
		createHandler(
			deps,
			'survey:answer',
			surveyAnswerSchema,
			async ( payload, socket: VisitorSocket ) => {
				const { visitorId } = socket.data;
				const conversation = await repository.findConversation(
					payload.conversationId
				);
				if ( ! conversation || conversation.visitorId !== visitorId ) {
					throw new ClientError( 'not_found', NO_CONVERSATION );
				}
				if ( conversation.status !== 'closed' ) {
					throw new ClientError(
						'invalid_payload',
						'conversationId: the survey is answered once the conversation is closed'
					);
				}
				const answer = {
					conversationId: conversation.id,
					rating: payload.rating,
					comment: payload.comment ?? '',
				};
				await repository.saveSurveyAnswer( {
					...answer,
					answeredAt: deps.clock().toISOString(),
				} );
				return {
					data: {},
					afterAck: () =>
						domain
							.toAgentsSeeing( conversation )
							.emit( 'survey:answered', answer ),
				};
			}
		)
	);

	return ( socket ) => {
		// An accepted identification linked this visitor to a contact just now
		// (the middleware before this one), maybe with their latest conversation.
		if ( socket.data.contactId ) {
			void announceContextChange(
				socket.data.visitorId,
				socket.data.contactId,
				'contact'
			);
		}
		for ( const [ event, listener ] of listeners ) {
			socket.on( event as 'message:send', listener );
		}
	};
}
