/**
 * The inbox's own agent events: views with counts and search, the directory
 * (presence and capacity, whom to transfer to), a conversation's context and
 * its ticket's properties. Every lookup stays within the agent's scope.
 */
import { z } from 'zod';
import {
	type ConversationContext,
	type InboxAgent,
	type InboxDirectory,
	type TicketDetails,
	type VisitorDeviceType,
	type VisitorPage,
} from '@chatflows/protocol';
import type {
	ConversationRecord,
	InboxScope,
	TicketRecord,
} from '../../repository/types';
import { ClientError, defineHandler, type EventHandler } from '../../handler';
import type { AgentSocket } from '../../types';
import { DEFAULT_CAPACITY } from '../../domain/routing';
import { conversationIdSchema, SLUG_PATTERN } from '../../validation';
import { NOT_FOUND, type AgentHandlerDeps } from './deps';
import { isInScope, scopeOfAgent } from '../inbox-scope';

/** Most conversations one view returns. */
export const INBOX_VIEW_LIMIT = 200;

/** Most earlier conversations shown beside one. */
export const EARLIER_LIMIT = 20;

/** Most consent records shown beside a conversation. */
export const CONSENTS_LIMIT = 50;

/** Longest search text. */
export const MAX_SEARCH_LENGTH = 200;

/** Longest ticket pipeline, status or category (as WordPress limits them). */
export const MAX_TICKET_PROPERTY_LENGTH = 100;

export const inboxQuerySchema = z.object( {
	view: z.enum( [ 'unassigned', 'mine', 'open', 'closed' ] ).optional(),
	search: z
		.string()
		.trim()
		.max(
			MAX_SEARCH_LENGTH,
			`must be at most ${ MAX_SEARCH_LENGTH } characters`
		)
		.optional(),
	inboxId: z.string().regex( SLUG_PATTERN, 'must be an inbox id' ).optional(),
	limit: z.number().int().min( 1 ).max( INBOX_VIEW_LIMIT ).optional(),
} );

const ticketText = ( required: boolean ) =>
	z
		.string()
		.trim()
		.min( required ? 1 : 0, 'must not be empty' )
		.max(
			MAX_TICKET_PROPERTY_LENGTH,
			`must be at most ${ MAX_TICKET_PROPERTY_LENGTH } characters`
		);

export const ticketUpdateSchema = z.object( {
	conversationId: conversationIdSchema,
	properties: z
		.object( {
			pipeline: ticketText( true ).optional(),
			status: ticketText( true ).optional(),
			priority: z
				.enum( [ 'low', 'medium', 'high', 'urgent' ], {
					message: 'must be low, medium, high or urgent',
				} )
				.optional(),
			category: ticketText( false ).optional(),
		} )
		.strict()
		.refine( ( properties ) => Object.keys( properties ).length > 0, {
			message: 'name at least one property to change',
		} ),
} );

export const conversationContextSchema = z.object( {
	conversationId: conversationIdSchema,
} );

const DEVICE_TYPES: VisitorDeviceType[] = [ 'desktop', 'tablet', 'mobile' ];

/**
 * A ticket as agents see it.
 *
 * @param ticket The stored ticket.
 * @return The contract's shape.
 */
export function toTicketDetails( ticket: TicketRecord ): TicketDetails {
	return {
		id: ticket.id,
		conversationId: ticket.conversationId,
		pipeline: ticket.pipeline,
		status: ticket.status,
		priority: ticket.priority,
		category: ticket.category,
		state: ticket.state,
		offline: ticket.offline,
		updatedAt: ticket.updatedAt,
	};
}

/**
 * Keeps every event naming a conversation (messages, replies, claims,
 * transfers, close, typing, read…) within the agent's scope: one of another
 * inbox is answered `not_found`, as if it did not exist. Costs nothing while
 * the agent's scope hides nothing; events keep their order.
 *
 * @param socket The agent socket.
 * @param deps   Repository, domain and logger.
 */
export function guardInboxScope(
	socket: AgentSocket,
	deps: AgentHandlerDeps
): void {
	let queue: Promise< void > = Promise.resolve();
	let pending = 0;
	socket.use( ( packet, next ) => {
		const [ , payload ] = packet as unknown[];
		const last = packet[ packet.length - 1 ] as unknown;
		const ack = typeof last === 'function' ? last : null;
		const conversationId =
			payload && typeof payload === 'object'
				? ( payload as Record< string, unknown > ).conversationId
				: undefined;
		const scope = scopeOf( deps, socket );
		const restricted =
			typeof conversationId === 'string' &&
			scope.hiddenChatflowIds.length > 0;
		if ( ! restricted && pending === 0 ) {
			next();
			return;
		}
		pending++;
		queue = queue.then( async () => {
			try {
				const conversation = restricted
					? await deps.repository.findConversation(
							conversationId as string
						)
					: null;
				if (
					conversation &&
					! isInScope( scope, socket.data.userId, conversation )
				) {
					ack?.( {
						ok: false,
						error: { code: 'not_found', message: NOT_FOUND },
					} );
					return;
				}
				next();
			} catch ( error ) {
				deps.logger.error( { err: error }, 'scope check failed' );
				ack?.( {
					ok: false,
					error: {
						code: 'internal',
						message:
							'The chat service could not check this request.',
					},
				} );
			} finally {
				pending--;
			}
		} );
	} );
}

/**
 * The agent's scope now, maybe narrowed to one of their inboxes.
 *
 * @param deps        The domain (its configuration).
 * @param socket      The agent's connection.
 * @param onlyInboxId One inbox, or null for all the agent's.
 */
function scopeOf(
	deps: Pick< AgentHandlerDeps, 'domain' >,
	socket: AgentSocket,
	onlyInboxId: string | null = null
): InboxScope {
	return scopeOfAgent(
		socket.data,
		deps.domain.configurationStore,
		onlyInboxId
	);
}

/**
 * A conversation this agent may see, or not_found (never a hint that it exists).
 *
 * @param deps           Repository and domain.
 * @param socket         The agent's connection.
 * @param conversationId The conversation.
 */
async function visibleConversation(
	deps: Pick< AgentHandlerDeps, 'repository' | 'domain' >,
	socket: AgentSocket,
	conversationId: string
): Promise< ConversationRecord > {
	const conversation =
		await deps.repository.findConversation( conversationId );
	if (
		! conversation ||
		! isInScope( scopeOf( deps, socket ), socket.data.userId, conversation )
	) {
		throw new ClientError( 'not_found', NOT_FOUND );
	}
	return conversation;
}

/**
 * `inbox:list`: one view of the conversations in the agent's scope.
 *
 * @param deps Repository, domain and handler context.
 */
export function listInbox( deps: AgentHandlerDeps ): EventHandler {
	const { repository } = deps;
	return defineHandler(
		deps,
		'inbox:list',
		inboxQuerySchema,
		async ( query, socket: AgentSocket ) => {
			const inboxId = query.inboxId ?? null;
			if (
				inboxId !== null &&
				socket.data.inboxes !== null &&
				! socket.data.inboxes.includes( inboxId )
			) {
				throw new ClientError(
					'invalid_payload',
					'inboxId: not one of your inboxes'
				);
			}
			return {
				data: await repository.listInbox( {
					userId: socket.data.userId,
					scope: scopeOf( deps, socket, inboxId ),
					view: query.view ?? 'open',
					search: query.search ?? '',
					limit: query.limit ?? INBOX_VIEW_LIMIT,
				} ),
			};
		}
	);
}

/**
 * `inbox:directory`: the agents (with presence and capacity), teams and
 * inboxes the agent may transfer to or open.
 *
 * @param deps Domain and handler context.
 */
export function inboxDirectory( deps: AgentHandlerDeps ): EventHandler {
	const { domain } = deps;
	const store = domain.configurationStore;
	return defineHandler(
		deps,
		'inbox:directory',
		z.object( {} ),
		async ( _payload, socket: AgentSocket ) => {
			const configuration = store.known ? store.configuration : null;
			const toInboxAgent = ( agent: {
				id: string;
				name: string;
				capacity: number;
			} ): InboxAgent => ( {
				id: agent.id,
				name: agent.name,
				capacity: agent.capacity,
				status: domain.availability.presenceOf( agent.id ),
			} );
			const agents = ( configuration?.agents ?? [] ).map( toInboxAgent );
			const me =
				agents.find( ( agent ) => agent.id === socket.data.userId ) ??
				toInboxAgent( {
					id: socket.data.userId,
					name: socket.data.name,
					capacity: DEFAULT_CAPACITY,
				} );
			const mine = socket.data.inboxes;
			const directory: InboxDirectory = {
				me,
				agents,
				teams: ( configuration?.teams ?? [] ).map( ( team ) => ( {
					id: team.id,
					name: team.name,
				} ) ),
				inboxes: ( configuration?.inboxes ?? [] )
					.filter(
						( inbox ) => mine === null || mine.includes( inbox.id )
					)
					.map( ( inbox ) => ( { id: inbox.id, name: inbox.name } ) ),
			};
			return { data: directory };
		}
	);
}

/**
 * `conversation:context`: what the inbox shows beside a conversation.
 *
 * @param deps Repository, domain and handler context.
 */
export function conversationContext( deps: AgentHandlerDeps ): EventHandler {
	const { repository, domain, broadcaster } = deps;
	const store = domain.configurationStore;
	return defineHandler(
		deps,
		'conversation:context',
		conversationContextSchema,
		async ( payload, socket: AgentSocket ) => {
			const conversation = await visibleConversation(
				deps,
				socket,
				payload.conversationId
			);
			const scope = scopeOf( deps, socket );
			const [
				context,
				ticket,
				survey,
				contact,
				related,
				sockets,
				consents,
				claim,
			] = await Promise.all( [
				repository.findConversationContext( conversation.id ),
				repository.findTicket( conversation.id ),
				repository.findSurveyAnswer( conversation.id ),
				conversation.contactId
					? repository.findContact( conversation.contactId )
					: Promise.resolve( null ),
				repository.listRelatedConversations( {
					conversationId: conversation.id,
					visitorId: conversation.visitorId,
					contactId: conversation.contactId,
					limit: EARLIER_LIMIT,
				} ),
				broadcaster.toVisitor( conversation.visitorId ).fetchSockets(),
				// Given under chatflows of other inboxes: not this agent's to see
				// (this conversation's own chatflow is, as the agent sees it).
				repository.listConsents( {
					visitorId: conversation.visitorId,
					contactId: conversation.contactId,
					limit: CONSENTS_LIMIT,
					hiddenChatflowIds: scope.hiddenChatflowIds.filter(
						( id ) => id !== conversation.chatflowId
					),
				} ),
				repository.findEmailClaim( conversation.visitorId ),
			] );
			const page = ( url: string, title: string ): VisitorPage | null =>
				url === '' ? null : { url, title };
			const result: ConversationContext = {
				conversationId: conversation.id,
				visitor: {
					startPage: context
						? page(
								context.startPageUrl || conversation.pageUrl,
								context.startPageTitle
							)
						: page( conversation.pageUrl, '' ),
					currentPage: context
						? page(
								context.currentPageUrl,
								context.currentPageTitle
							)
						: null,
					referrer: context?.referrer ?? '',
					timeZone: context?.timeZone ?? '',
					language: context?.language ?? '',
					deviceType: DEVICE_TYPES.includes(
						context?.deviceType as VisitorDeviceType
					)
						? ( context?.deviceType as VisitorDeviceType )
						: null,
					online: sockets.length > 0,
				},
				chatflowName:
					store.chatflow( conversation.chatflowId )?.name ?? '',
				contact: contact
					? {
							id: contact.id,
							email: contact.email,
							name: contact.name,
							marketing: contact.marketing,
						}
					: null,
				// What the visitor typed and has not confirmed: shown as such.
				claim: claim
					? {
							email: claim.email,
							name: claim.name,
							claimedAt: claim.claimedAt,
						}
					: null,
				earlier: related.filter( ( summary ) =>
					isInScope( scope, socket.data.userId, {
						chatflowId: summary.chatflowId,
						teamId: summary.teamId ?? null,
						assigneeId: summary.assigneeId ?? null,
					} )
				),
				ticket: ticket ? toTicketDetails( ticket ) : null,
				survey: survey
					? {
							conversationId: survey.conversationId,
							rating: survey.rating,
							comment: survey.comment,
							answeredAt: survey.answeredAt,
						}
					: null,
				consents,
			};
			return { data: result };
		}
	);
}

/**
 * `ticket:update`: changes a ticket's properties.
 *
 * @param deps Repository, domain and handler context.
 */
export function updateTicket( deps: AgentHandlerDeps ): EventHandler {
	const { repository, broadcaster } = deps;
	return defineHandler(
		deps,
		'ticket:update',
		ticketUpdateSchema,
		async ( payload, socket: AgentSocket ) => {
			const conversation = await visibleConversation(
				deps,
				socket,
				payload.conversationId
			);
			const updated = await repository.updateTicket( {
				conversationId: conversation.id,
				properties: payload.properties,
				updatedAt: deps.clock().toISOString(),
			} );
			if ( ! updated ) {
				throw new ClientError(
					'not_found',
					'conversationId: this conversation has no ticket'
				);
			}
			const ticket = toTicketDetails( updated );
			deps.logger.info(
				{ conversationId: conversation.id, userId: socket.data.userId },
				'ticket updated'
			);
			return {
				data: { ticket },
				afterAck: () =>
					broadcaster
						.toAgentsSeeing( conversation )
						.emit( 'ticket:updated', ticket ),
			};
		}
	);
}
