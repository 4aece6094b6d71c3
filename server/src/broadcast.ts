/**
 * Who hears about a stored message: the visitor's own sockets (all tabs) and
 * every agent. Nothing is ever sent to another visitor's room.
 */
import type { ConversationSummary } from './contract/events';
import type { AppendResult } from './repository/types';
import {
	AGENTS_ROOM,
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

export class Broadcaster {
	private readonly visitors: VisitorNamespace;

	private readonly agents: AgentNamespace;

	constructor( visitors: VisitorNamespace, agents: AgentNamespace ) {
		this.visitors = visitors;
		this.agents = agents;
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
			.emit( 'message:new', message );
		this.agents
			.to( AGENTS_ROOM )
			.except( senderSocketId )
			.emit( 'message:new', message );
		this.agents
			.to( AGENTS_ROOM )
			.emit( 'conversation:updated', toConversationSummary( result ) );
	}
}
