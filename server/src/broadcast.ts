/**
 * The socket layer's side of the domain (see `DomainAnnouncer`): which
 * namespace, rooms and events carry what the domain says.
 *
 * Who hears about a stored message: the visitor's own sockets (all tabs) and
 * the agents whose scope includes the conversation. Nothing is ever sent to
 * another visitor's room. Changes of a conversation's context (consents,
 * contact) reach the agents who see that conversation, and only them.
 */
import {
	type ChatMessage,
	type ConversationContextChangeReason,
	type ConversationSummary,
	type QueuePosition,
	type VisitorAvailability,
	type VisitorConversationUpdate,
} from '@chatflows/protocol';
import type { AppendResult } from './repository/types';
import type { ScopedConversation } from './agent/inbox-scope';
import type { DomainAnnouncer } from './domain/announcer';
import type { PresenceStatus } from './domain/presence';
import {
	AGENTS_ROOM,
	CHATFLOW_ROOM_PREFIX,
	chatflowRoom,
	visitorRoom,
	type AgentNamespace,
	type VisitorNamespace,
} from './types';

export function toConversationSummary(
	result: Pick< AppendResult, 'conversation' | 'message' >
): ConversationSummary {
	const { conversation, message } = result;
	return {
		id: conversation.id,
		chatflowId: conversation.chatflowId,
		status: conversation.status,
		createdAt: conversation.createdAt,
		visitorId: conversation.visitorId,
		pageUrl: conversation.pageUrl,
		updatedAt: conversation.updatedAt,
		lastMessage: message,
	};
}

/**
 * A message as the visitor sees it: under custom branding used as alias,
 * agents' messages carry the alias instead of the agent's name.
 *
 * @param message The stored message.
 * @param alias   The chatflow's alias; '' for none.
 * @return The message to send the visitor.
 */
export function asSeenByVisitor(
	message: ChatMessage,
	alias: string
): ChatMessage {
	return alias !== '' && message.authorType === 'agent'
		? { ...message, authorName: alias }
		: message;
}

/** The alias of a chatflow's agents ('' for none). */
export type AliasLookup = ( chatflowId: string ) => string;

/** The agent rooms a conversation's live events go to (see `conversationRooms`). */
export type AgentRoomsLookup = ( conversation: ScopedConversation ) => string[];

export class Broadcaster implements DomainAnnouncer {
	private readonly visitors: VisitorNamespace;

	private readonly agents: AgentNamespace;

	private readonly agentRoomsOf: AgentRoomsLookup;

	private readonly aliasOf: AliasLookup;

	/**
	 * @param visitors     The visitor namespace.
	 * @param agents       The agent namespace.
	 * @param agentRoomsOf The agent rooms of a conversation.
	 * @param aliasOf      The alias visitors see for a chatflow's agents.
	 */
	constructor(
		visitors: VisitorNamespace,
		agents: AgentNamespace,
		agentRoomsOf: AgentRoomsLookup,
		aliasOf: AliasLookup = () => ''
	) {
		this.visitors = visitors;
		this.agents = agents;
		this.agentRoomsOf = agentRoomsOf;
		this.aliasOf = aliasOf;
	}

	/**
	 * Announces a newly stored message. The sending socket already has it in
	 * its acknowledgement, so it is left out of `message:new`.
	 *
	 * @param result         The repository's append result.
	 * @param senderSocketId The socket that sent the message.
	 */
	messageStored( result: AppendResult, senderSocketId: string ): void {
		const { conversation, message } = result;
		this.visitors
			.to( visitorRoom( conversation.visitorId ) )
			.except( senderSocketId )
			.emit(
				'message:new',
				asSeenByVisitor(
					message,
					this.aliasOf( conversation.chatflowId )
				)
			);
		const rooms = this.agentRoomsOf( conversation );
		this.agents
			.to( rooms )
			.except( senderSocketId )
			.emit( 'message:new', message );
		this.agents
			.to( rooms )
			.emit( 'conversation:updated', toConversationSummary( result ) );
	}

	/**
	 * Tells the agents who see each conversation that its context changed,
	 * one event per conversation: an agent never hears of a conversation
	 * outside their scope, not even its id.
	 *
	 * @param conversations The conversations whose context shows the change.
	 * @param reason        What changed.
	 */
	contextChanged(
		conversations: Array< ScopedConversation & { id: string } >,
		reason: ConversationContextChangeReason
	): void {
		for ( const conversation of conversations ) {
			this.agents
				.to( this.agentRoomsOf( conversation ) )
				.emit( 'conversation:context-changed', {
					conversationId: conversation.id,
					reason,
				} );
		}
	}

	/**
	 * The agents whose scope includes a conversation, in any of the states
	 * given: pass the state before and after a transfer so the agents it
	 * leaves hear that it left their lists.
	 *
	 * @param conversations The conversation's states.
	 */
	toAgentsSeeing( ...conversations: ScopedConversation[] ) {
		const rooms = new Set(
			conversations.flatMap( ( conversation ) =>
				this.agentRoomsOf( conversation )
			)
		);
		return this.agents.to( [ ...rooms ] );
	}

	/**
	 * Agent rooms by name (e.g. `agentRoom` of the agents a note mentions).
	 *
	 * @param rooms The rooms.
	 */
	toAgentRooms( rooms: string[] ) {
		return this.agents.to( rooms );
	}

	/**
	 * Every socket (tab) of one visitor, on every node.
	 *
	 * @param visitorId The visitor.
	 */
	toVisitor( visitorId: string ) {
		return this.visitors.to( visitorRoom( visitorId ) );
	}

	agentPresence(
		userId: string,
		status: PresenceStatus,
		reach: 'cluster' | 'node'
	): void {
		const agents = reach === 'node' ? this.agents.local : this.agents;
		agents.to( AGENTS_ROOM ).emit( 'agent:presence', { userId, status } );
	}

	conversationUpdated( summary: ConversationSummary ): void {
		this.toAgentsSeeing( summary ).emit( 'conversation:updated', summary );
	}

	visitorConversationUpdated(
		visitorId: string,
		update: VisitorConversationUpdate
	): void {
		this.toVisitor( visitorId ).emit( 'conversation:updated', update );
	}

	queuePosition( visitorId: string, position: QueuePosition ): void {
		this.toVisitor( visitorId ).emit( 'queue:position', position );
	}

	availability(
		chatflowId: string,
		availability: VisitorAvailability
	): void {
		this.visitors
			.to( chatflowRoom( chatflowId ) )
			.emit( 'availability', availability );
	}

	*chatflowsWithVisitors(): Iterable< string > {
		for ( const room of this.visitors.adapter.rooms.keys() ) {
			if ( room.startsWith( CHATFLOW_ROOM_PREFIX ) ) {
				yield room.slice( CHATFLOW_ROOM_PREFIX.length );
			}
		}
	}
}
