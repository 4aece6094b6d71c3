/**
 * Who hears about a stored message: the visitor's own sockets (all tabs) and
 * the agents whose scope includes the conversation. Nothing is ever sent to
 * another visitor's room. Changes of a conversation's context (consents,
 * contact) reach the agents who see that conversation, and only them.
 */
import type {
	ChatMessage,
	ConversationContextChangeReason,
	ConversationSummary,
} from '@chatflows/protocol';
import type { AppendResult } from './repository/types';
import type { ScopedConversation } from './agent/inbox-scope';
import {
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

export class Broadcaster {
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
}
