/**
 * What the visitor event handlers share: their dependencies and the lookups
 * that keep a visitor to their own conversations (every lookup is by the
 * socket's visitor id, never by an id the client sends).
 */
import type {
	ChatRepository,
	ConversationRecord,
} from '../../repository/types';
import type { ConversationDomain } from '../../domain/conversation-domain';
import { type VisitorConversation } from '@chatflows/protocol';
import { ClientError, type HandlerContext } from '../../handler';
import type { Broadcaster } from '../../broadcast';
import type { VisitorSocket } from '../../types';
import type { ClientAddresses } from '../../limits/client-address';
import { isRefusal, usableChatflow } from '../chatflow-gate';

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

export const NO_CONVERSATION = 'conversationId: not one of your conversations';

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
 * The visitor's open conversation under this chatflow, or a not_found error.
 *
 * @param deps   The repository.
 * @param socket The visitor's connection.
 */
export async function ownOpenConversation(
	deps: Pick< VisitorHandlerDeps, 'repository' >,
	socket: VisitorSocket
): Promise< ConversationRecord > {
	const conversation = await deps.repository.findOpenConversation(
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
}

/**
 * The socket's chatflow when the visitor may act under it now (it may
 * have been switched off or deleted since they connected).
 *
 * @param deps    Repository and domain.
 * @param socket  The visitor's connection.
 * @param hasOpen Whether they have an open conversation there, when known.
 * @throws ClientError `chatflow_unavailable` or `configuration_pending`.
 */
export async function usableChatflowOf(
	deps: Pick< VisitorHandlerDeps, 'repository' | 'domain' >,
	socket: VisitorSocket,
	hasOpen?: boolean
) {
	const chatflow = await usableChatflow(
		deps.domain.configurationStore,
		deps.repository,
		socket.data.chatflowId,
		socket.data.visitorId,
		hasOpen
	);
	if ( isRefusal( chatflow ) ) {
		throw new ClientError( chatflow.code, chatflow.message );
	}
	return chatflow;
}
