/**
 * Which conversations an agent sees: those of the inboxes they work in (from
 * WordPress's token or directory), plus any routed to one of their teams or
 * assigned to them. Chatflows of no known inbox, and every chatflow before
 * WordPress sent its directory, are seen by everyone.
 */
import type { ServiceConfiguration } from '../contract/configuration';
import type { InboxScope, OpenConversationActivity } from '../repository/types';

/** Whom the scope is for. */
export interface ScopedAgent {
	teams: string[];
	/** null: no inboxes named, sees them all. */
	inboxes: string[] | null;
}

/**
 * The agent's scope.
 *
 * @param agent         The agent's teams and inboxes.
 * @param configuration What WordPress sent; null while it sent nothing.
 * @param onlyInboxId   Narrow to this one inbox (already checked to be the agent's).
 * @return The scope the repository filters by.
 */
export function inboxScopeOf(
	agent: ScopedAgent,
	configuration: ServiceConfiguration | null,
	onlyInboxId: string | null = null
): InboxScope {
	if ( ! configuration ) {
		return { hiddenChatflowIds: [], teamIds: agent.teams };
	}
	const known = new Set( configuration.inboxes.map( ( inbox ) => inbox.id ) );
	const mine = agent.inboxes === null ? null : new Set( agent.inboxes );
	const hidden = configuration.chatflows
		.filter( ( chatflow ) => {
			if ( onlyInboxId !== null && chatflow.inboxId !== onlyInboxId ) {
				return true;
			}
			return (
				mine !== null &&
				known.has( chatflow.inboxId ) &&
				! mine.has( chatflow.inboxId )
			);
		} )
		.map( ( chatflow ) => chatflow.id );
	return { hiddenChatflowIds: hidden, teamIds: agent.teams };
}

/**
 * Whether a conversation is within a scope (the same rule the repository's
 * inbox queries apply).
 *
 * @param scope                   The agent's scope.
 * @param userId                  The agent.
 * @param conversation            The conversation's chatflow, team and assignee.
 * @param conversation.chatflowId Chatflow.
 * @param conversation.teamId     Team, if any.
 * @param conversation.assigneeId Assignee, if any.
 * @return True when the agent sees it.
 */
export function isInScope(
	scope: InboxScope,
	userId: string,
	conversation: {
		chatflowId: string;
		teamId: string | null;
		assigneeId: string | null;
	}
): boolean {
	return (
		! scope.hiddenChatflowIds.includes( conversation.chatflowId ) ||
		( conversation.teamId !== null &&
			scope.teamIds.includes( conversation.teamId ) ) ||
		conversation.assigneeId === userId
	);
}

/**
 * Conversations waiting for each agent of the directory, for the count in
 * WordPress's admin menu: unassigned open ones they see, and those assigned
 * to them whose newest message is the visitor's.
 *
 * @param configuration What WordPress sent.
 * @param open          Open conversations and who wrote last.
 * @return Counts by WordPress user id (every directory agent, zeros included).
 */
export function waitingCounts(
	configuration: ServiceConfiguration,
	open: OpenConversationActivity[]
): Record< string, number > {
	const counts: Record< string, number > = {};
	for ( const agent of configuration.agents ) {
		const scope = inboxScopeOf(
			{ teams: agent.teamIds, inboxes: agent.inboxIds },
			configuration
		);
		counts[ agent.id ] = open.filter( ( conversation ) =>
			conversation.assigneeId === null
				? isInScope( scope, agent.id, conversation )
				: conversation.assigneeId === agent.id &&
					conversation.lastAuthorType === 'visitor'
		).length;
	}
	return counts;
}
