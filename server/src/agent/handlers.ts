/**
 * Events of the `/agent` namespace: the inbox lists conversations, reads
 * their messages and replies.
 */
import type { ChatRepository } from '../repository/types';
import type { ConversationSummary } from '@chatflows/protocol';
import type { ConversationDomain } from '../domain/conversation-domain';
import type { ScopedConversation } from './inbox-scope';
import type { Broadcaster } from '../broadcast';
import type { AgentAccess } from './access';
import type { AgentTokenVerifier } from './auth';
import { ClientError, createHandler, type HandlerContext } from '../handler';
import { agentRoom, type AgentSocket } from '../types';
import { attachToMessage, checkAttachment } from '../attachments/messages';
import { registerInboxHandlers } from './inbox-handlers';
import {
	agentReadSchema,
	agentRenewSchema,
	agentSendSchema,
	agentTypingSchema,
	assignSchema,
	conversationMessagesSchema,
	conversationRefSchema,
	presenceSchema,
	transferSchema,
} from '../validation';

/** Typing indicators closer together than this are dropped (stopping always passes). */
const TYPING_THROTTLE_MS = 1000;

export interface AgentHandlerDeps extends HandlerContext {
	repository: ChatRepository;
	broadcaster: Broadcaster;
	clock: () => Date;
	domain: ConversationDomain;
	/** Expiry and rights of agent connections. */
	access: AgentAccess;
	/** The same token check as at connection, for `auth:renew`. */
	verifyToken: AgentTokenVerifier;
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
	const { repository, broadcaster, domain } = deps;
	const typingAt = new Map< string, number >();

	/**
	 * Sends every agent the stored summary, and returns it for the acknowledgement.
	 * @param conversationId
	 */
	const summaryOf = async (
		conversationId: string
	): Promise< ConversationSummary > => {
		const summary =
			await repository.getConversationSummary( conversationId );
		if ( ! summary ) {
			throw new ClientError( 'not_found', NOT_FOUND );
		}
		return summary;
	};
	/**
	 * Sends the summary to the agents who see the conversation now, and to
	 * those who saw it before a transfer (so it leaves their lists).
	 * @param summary The conversation as stored now.
	 * @param before  Its state before the change, when its team or assignee changed.
	 */
	const announce =
		( summary: ConversationSummary, before?: ScopedConversation | null ) =>
		() =>
			domain
				.toAgentsSeeing( summary, ...( before ? [ before ] : [] ) )
				.emit( 'conversation:updated', summary );

	// A further tab follows the agent's presence; the first one the handshake's.
	const presence = domain.presenceOf( socket.data.userId );
	socket.data.away =
		presence === 'offline'
			? socket.data.away === true
			: presence === 'away';
	domain.agentConnected( socket.data.userId, socket.data.away );
	socket.on( 'disconnect', () =>
		domain.agentDisconnected( socket.data.userId )
	);

	// inbox:list, inbox:directory, conversation:context, ticket:update.
	registerInboxHandlers( socket, deps );

	socket.on(
		'auth:renew',
		createHandler(
			deps,
			'auth:renew',
			agentRenewSchema,
			async ( payload ) => {
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
		)
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
					afterAck: () =>
						broadcaster.messageStored( result, socket.id ),
				};
			}
		)
	);

	socket.on(
		'conversation:claim',
		createHandler(
			deps,
			'conversation:claim',
			conversationRefSchema,
			async ( payload ) => {
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
				const summary = await summaryOf( payload.conversationId );
				return {
					data: { conversation: summary },
					afterAck: () => {
						announce( summary, before )();
						void domain.rebalance();
					},
				};
			}
		)
	);

	const assignTo = async (
		conversationId: string,
		assigneeId: string | null,
		teamId: string | null
	) => {
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
				! store.configuration.teams.some(
					( team ) => team.id === teamId
				)
			) {
				throw new ClientError(
					'invalid_payload',
					'teamId: no such team'
				);
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
		const summary = await summaryOf( conversationId );
		return {
			data: { conversation: summary },
			afterAck: () => {
				announce( summary, before )();
				void domain.rebalance();
			},
		};
	};

	socket.on(
		'conversation:assign',
		createHandler(
			deps,
			'conversation:assign',
			assignSchema,
			async ( payload ) =>
				assignTo( payload.conversationId, payload.agentId, null )
		)
	);

	socket.on(
		'conversation:transfer',
		createHandler(
			deps,
			'conversation:transfer',
			transferSchema,
			async ( payload ) =>
				'teamId' in payload
					? assignTo( payload.conversationId, null, payload.teamId )
					: assignTo( payload.conversationId, payload.agentId, null )
		)
	);

	const setStatus = async (
		conversationId: string,
		status: 'open' | 'closed'
	) => {
		const result = await repository.setConversationStatus( {
			conversationId,
			status,
			updatedAt: deps.clock().toISOString(),
		} );
		if ( ! result ) {
			throw new ClientError( 'not_found', NOT_FOUND );
		}
		const summary = await summaryOf( conversationId );
		deps.logger.info(
			{ conversationId, status, userId: socket.data.userId },
			'conversation status set'
		);
		return {
			data: { conversation: summary },
			afterAck: result.changed
				? () => {
						announce( summary )();
						domain.announceStatusToVisitor( result.conversation );
						if ( status === 'closed' ) {
							void domain.conversationClosed(
								result.conversation
							);
						}
						void domain.rebalance();
					}
				: undefined,
		};
	};

	socket.on(
		'conversation:close',
		createHandler(
			deps,
			'conversation:close',
			conversationRefSchema,
			async ( payload ) => setStatus( payload.conversationId, 'closed' )
		)
	);

	socket.on(
		'conversation:reopen',
		createHandler(
			deps,
			'conversation:reopen',
			conversationRefSchema,
			async ( payload ) => setStatus( payload.conversationId, 'open' )
		)
	);

	socket.on(
		'agent:presence',
		createHandler(
			deps,
			'agent:presence',
			presenceSchema,
			async ( payload ) => {
				domain.setPresence( socket.data.userId, payload.status );
				return { data: { status: payload.status } };
			}
		)
	);

	socket.on(
		'typing',
		createHandler( deps, 'typing', agentTypingSchema, async ( payload ) => {
			const now = deps.clock().getTime();
			const last = typingAt.get( payload.conversationId ) ?? 0;
			if ( payload.typing && now - last < TYPING_THROTTLE_MS ) {
				return { data: {} };
			}
			typingAt.set( payload.conversationId, payload.typing ? now : 0 );
			const conversation = await repository.findConversation(
				payload.conversationId
			);
			if ( ! conversation ) {
				throw new ClientError( 'not_found', NOT_FOUND );
			}
			return {
				data: {},
				afterAck: () =>
					domain.toVisitor( conversation.visitorId ).emit( 'typing', {
						conversationId: conversation.id,
						typing: payload.typing,
					} ),
			};
		} )
	);

	socket.on(
		'conversation:read',
		createHandler(
			deps,
			'conversation:read',
			agentReadSchema,
			async ( payload ) => {
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
						domain.toVisitor( updated.visitorId ).emit( 'read', {
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
		)
	);
}
