/**
 * What the domain tells the people it concerns. The domain decides what to
 * say and to whom; the socket layer (`broadcast.ts`) knows the namespaces,
 * rooms and event names that carry it.
 */
import {
	type ConversationSummary,
	type QueuePosition,
	type VisitorAvailability,
	type VisitorConversationUpdate,
} from '@chatflows/protocol';
import type { ChatRepository } from '../repository/types';
import type { PresenceStatus } from './presence';

export interface DomainAnnouncer {
	/**
	 * Tells agents an agent's presence: through the cluster (every node's
	 * agents), or only this node's when the node that knew it is gone.
	 */
	agentPresence: (
		userId: string,
		status: PresenceStatus,
		reach: 'cluster' | 'node'
	) => void;
	/** Sends the agents who see a conversation its summary. */
	conversationUpdated: ( summary: ConversationSummary ) => void;
	/** Tells a visitor their conversation closed or reopened. */
	visitorConversationUpdated: (
		visitorId: string,
		update: VisitorConversationUpdate
	) => void;
	/** Tells a waiting visitor their place in the queue. */
	queuePosition: ( visitorId: string, position: QueuePosition ) => void;
	/** Tells a chatflow's visitors (on this node) its availability. */
	availability: (
		chatflowId: string,
		availability: VisitorAvailability
	) => void;
	/** The chatflows whose visitors are connected to this node. */
	chatflowsWithVisitors: () => Iterable< string >;
}

/**
 * Sends the agents who see it the conversation as it is stored now.
 *
 * @param repository     The repository.
 * @param announcer      The announcer.
 * @param conversationId The conversation.
 * @return The summary sent, or null when it does not exist.
 */
export async function announceConversation(
	repository: ChatRepository,
	announcer: DomainAnnouncer,
	conversationId: string
): Promise< ConversationSummary | null > {
	const summary = await repository.getConversationSummary( conversationId );
	if ( summary ) {
		announcer.conversationUpdated( summary );
	}
	return summary;
}
