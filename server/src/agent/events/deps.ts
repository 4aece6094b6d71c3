/**
 * What the agent event handlers share: their dependencies, and telling the
 * agents who see a conversation how it stands now.
 */
import type {
	ChatRepository,
	ConversationRecord,
} from '../../repository/types';
import { type ConversationSummary } from '@chatflows/protocol';
import type { ConversationDomain } from '../../domain/conversation-domain';
import type { ScopedConversation } from '../inbox-scope';
import type { Broadcaster } from '../../broadcast';
import type { AgentAccess } from '../access';
import type { AgentTokenVerifier } from '../auth';
import { ClientError, type HandlerContext } from '../../handler';

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

export const NOT_FOUND = 'conversationId: no such conversation';

/**
 * A stored conversation (the scope guard already hid those outside the
 * agent's scope).
 *
 * @param deps           The repository.
 * @param conversationId The conversation.
 * @throws ClientError `not_found` when it does not exist.
 */
export async function conversationOrNotFound(
	deps: Pick< AgentHandlerDeps, 'repository' >,
	conversationId: string
): Promise< ConversationRecord > {
	const conversation =
		await deps.repository.findConversation( conversationId );
	if ( ! conversation ) {
		throw new ClientError( 'not_found', NOT_FOUND );
	}
	return conversation;
}

/**
 * The stored summary of a conversation, for an acknowledgement.
 *
 * @param deps           The repository.
 * @param conversationId The conversation.
 * @throws ClientError `not_found` when it does not exist.
 */
export async function summaryOf(
	deps: Pick< AgentHandlerDeps, 'repository' >,
	conversationId: string
): Promise< ConversationSummary > {
	const summary =
		await deps.repository.getConversationSummary( conversationId );
	if ( ! summary ) {
		throw new ClientError( 'not_found', NOT_FOUND );
	}
	return summary;
}

/**
 * Sends the summary to the agents who see the conversation now, and to
 * those who saw it before a transfer (so it leaves their lists).
 *
 * @param deps    The broadcaster.
 * @param summary The conversation as stored now.
 * @param before  Its state before the change, when its team or assignee changed.
 */
export function announce(
	deps: Pick< AgentHandlerDeps, 'broadcaster' >,
	summary: ConversationSummary,
	before?: ScopedConversation | null
): void {
	deps.broadcaster
		.toAgentsSeeing( summary, ...( before ? [ before ] : [] ) )
		.emit( 'conversation:updated', summary );
}
