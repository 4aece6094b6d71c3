/**
 * Which conversations an agent sees: those of the inboxes they work in (from
 * WordPress's token or directory), plus any routed to one of their teams or
 * assigned to them. Chatflows of no known inbox, and every chatflow before
 * WordPress sent its directory, are seen by everyone.
 */
import { type ServiceConfiguration } from '@chatflows/protocol';
import type { ConfigurationStore } from '../chatflow-sync/store';
import type { InboxScope, OpenConversationActivity } from '../repository/types';
import { AGENTS_ROOM, agentRoom } from '../types';

/** Whom the scope is for. */
export interface ScopedAgent {
	teams: string[];
	/** null: no inboxes named, sees them all. */
	inboxes: string[] | null;
}

/** What decides who sees a conversation. */
export interface ScopedConversation {
	chatflowId: string;
	/** Team it was routed or transferred to; null or absent for none. */
	teamId?: string | null;
	/** Agent it is assigned to; null or absent while it waits. */
	assigneeId?: string | null;
}

/**
 * For each configuration, the inbox each chatflow of a known inbox belongs
 * to (others are everyone's), worked out once so no broadcast scans it.
 */
const restrictedInboxes = new WeakMap<
	ServiceConfiguration,
	Map< string, string >
>();

/**
 * The inbox that restricts who sees a chatflow's conversations.
 *
 * @param chatflowId    The chatflow.
 * @param configuration What WordPress sent; null while it sent nothing.
 * @return Its inbox when WordPress knows that inbox; null when everyone sees it.
 */
function restrictingInboxOf(
	chatflowId: string,
	configuration: ServiceConfiguration | null
): string | null {
	if ( ! configuration ) {
		return null;
	}
	let byChatflow = restrictedInboxes.get( configuration );
	if ( ! byChatflow ) {
		const known = new Set(
			configuration.inboxes.map( ( inbox ) => inbox.id )
		);
		byChatflow = new Map(
			configuration.chatflows
				.filter( ( chatflow ) => known.has( chatflow.inboxId ) )
				.map( ( chatflow ) => [ chatflow.id, chatflow.inboxId ] )
		);
		restrictedInboxes.set( configuration, byChatflow );
	}
	return byChatflow.get( chatflowId ) ?? null;
}

/** The room of agents whose token names no inboxes (they see them all). */
export const ALL_INBOXES_ROOM = 'inboxes:all';

/**
 * The room of the agents working in one inbox.
 *
 * @param inboxId The inbox.
 * @return The room name.
 */
export function inboxRoom( inboxId: string ): string {
	return `inbox:${ inboxId }`;
}

/**
 * The room of one team's agents.
 *
 * @param teamId The team.
 * @return The room name.
 */
export function teamRoom( teamId: string ): string {
	return `team:${ teamId }`;
}

/**
 * The rooms an agent socket joins to hear the conversations of its scope
 * (the counterpart of `conversationRooms`; presence is in AGENTS_ROOM).
 *
 * @param userId The agent.
 * @param agent  The agent's teams and inboxes.
 * @return The room names.
 */
export function agentScopeRooms(
	userId: string,
	agent: ScopedAgent
): string[] {
	return [
		AGENTS_ROOM,
		agentRoom( userId ),
		...( agent.inboxes === null
			? [ ALL_INBOXES_ROOM ]
			: agent.inboxes.map( inboxRoom ) ),
		...agent.teams.map( teamRoom ),
	];
}

/**
 * The rooms a conversation's live events go to: exactly the agents whose
 * scope includes it (`isInScope` over `inboxScopeOf`, without narrowing to
 * one inbox). Costs a map lookup, no database read.
 *
 * @param conversation  The conversation's chatflow, team and assignee.
 * @param configuration What WordPress sent; null while it sent nothing.
 * @return The room names.
 */
export function conversationRooms(
	conversation: ScopedConversation,
	configuration: ServiceConfiguration | null
): string[] {
	const inboxId = restrictingInboxOf(
		conversation.chatflowId,
		configuration
	);
	if ( inboxId === null ) {
		return [ AGENTS_ROOM ];
	}
	const rooms = [ inboxRoom( inboxId ), ALL_INBOXES_ROOM ];
	if ( conversation.teamId ) {
		rooms.push( teamRoom( conversation.teamId ) );
	}
	if ( conversation.assigneeId ) {
		rooms.push( agentRoom( conversation.assigneeId ) );
	}
	return rooms;
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
	const mine = agent.inboxes === null ? null : new Set( agent.inboxes );
	const hidden = configuration.chatflows
		.filter( ( chatflow ) => {
			if ( onlyInboxId !== null && chatflow.inboxId !== onlyInboxId ) {
				return true;
			}
			const inboxId = restrictingInboxOf( chatflow.id, configuration );
			return mine !== null && inboxId !== null && ! mine.has( inboxId );
		} )
		.map( ( chatflow ) => chatflow.id );
	return { hiddenChatflowIds: hidden, teamIds: agent.teams };
}

/**
 * The agent's scope under the configuration held now: what every agent
 * read (socket events and HTTP routes alike) filters by.
 *
 * @param agent       The agent's teams and inboxes.
 * @param store       The configuration WordPress sent.
 * @param onlyInboxId Narrow to this one inbox (already checked to be the agent's).
 * @return The scope.
 */
export function scopeOfAgent(
	agent: ScopedAgent,
	store: ConfigurationStore,
	onlyInboxId: string | null = null
): InboxScope {
	return inboxScopeOf(
		agent,
		store.known ? store.configuration : null,
		onlyInboxId
	);
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
