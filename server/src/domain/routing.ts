/**
 * Who may take a conversation, and who gets it: pure functions of the
 * chatflow, the directory and the agents' presence and load.
 */
import type {
	CompiledChatflow,
	ServiceConfiguration,
} from '@chatflows/protocol';

/** An agent as routing sees them at one moment. */
export interface AgentLoad {
	userId: string;
	/** Connected and not away. */
	available: boolean;
	/** Connected but set to away. */
	away: boolean;
	/** Open conversations assigned to them. */
	open: number;
	/** The most they may have at once. */
	capacity: number;
}

/**
 * Capacity of an agent missing from the directory (WordPress has not sent
 * one yet): generous, so chat works before any configuration arrives.
 */
export const DEFAULT_CAPACITY = 10;

/** Seconds one waiting place is estimated to take per agent who can help. */
export const ESTIMATED_SECONDS_PER_PLACE = 180;

/**
 * The team a conversation goes to: the first skill rule that matches.
 *
 * @param chatflow         The chatflow.
 * @param context          What is known of the visitor.
 * @param context.pageUrl  Page the conversation started on.
 * @param context.language The browser's language.
 * @return A team id, or null when no rule matches.
 */
export function chooseTeam(
	chatflow: CompiledChatflow | undefined,
	context: { pageUrl: string; language: string }
): string | null {
	if ( ! chatflow ) {
		return null;
	}
	const language = context.language.toLowerCase();
	for ( const rule of chatflow.assignment.rules ) {
		const { pageUrlContains, visitorLanguage } = rule.when;
		if ( pageUrlContains === undefined && visitorLanguage === undefined ) {
			continue;
		}
		if (
			pageUrlContains !== undefined &&
			! context.pageUrl.includes( pageUrlContains )
		) {
			continue;
		}
		if ( visitorLanguage !== undefined ) {
			const wanted = visitorLanguage.toLowerCase().replace( '_', '-' );
			if (
				language !== wanted &&
				! language.startsWith( `${ wanted }-` )
			) {
				continue;
			}
		}
		return rule.teamId;
	}
	return null;
}

/**
 * Members of a team, from the team's list and the agents' own team lists.
 *
 * @param configuration The directory.
 * @param teamId        The team.
 * @return User ids.
 */
export function teamMembers(
	configuration: ServiceConfiguration,
	teamId: string
): Set< string > {
	const members = new Set< string >();
	for ( const team of configuration.teams ) {
		if ( team.id === teamId ) {
			team.memberIds.forEach( ( id ) => members.add( id ) );
		}
	}
	for ( const agent of configuration.agents ) {
		if ( agent.teamIds.includes( teamId ) ) {
			members.add( agent.id );
		}
	}
	return members;
}

/**
 * Who may be assigned a conversation of the chatflow (routed to `teamId`, if
 * any). Null means anyone: an unknown chatflow, or one naming nobody.
 *
 * @param configuration The directory.
 * @param chatflow      The chatflow, when known.
 * @param teamId        The team the conversation was routed or transferred to.
 * @return User ids, or null for any agent.
 */
export function eligibleAgents(
	configuration: ServiceConfiguration,
	chatflow: CompiledChatflow | undefined,
	teamId: string | null
): Set< string > | null {
	if ( teamId !== null ) {
		return teamMembers( configuration, teamId );
	}
	if ( ! chatflow ) {
		return null;
	}
	const { userIds, teamIds } = chatflow.assignment;
	if ( userIds.length === 0 && teamIds.length === 0 ) {
		return null;
	}
	const eligible = new Set( userIds );
	for ( const id of teamIds ) {
		teamMembers( configuration, id ).forEach( ( member ) =>
			eligible.add( member )
		);
	}
	return eligible;
}

/**
 * The agent to assign: available, below capacity, with the fewest open
 * conversations (ties: the smaller user id, for a stable choice).
 *
 * @param agents   Everyone's presence and load.
 * @param eligible Who may take it (null: anyone).
 * @return The user id, or null when nobody is free.
 */
export function pickAgent(
	agents: AgentLoad[],
	eligible: Set< string > | null
): string | null {
	let best: AgentLoad | null = null;
	for ( const agent of agents ) {
		if (
			! agent.available ||
			agent.open >= agent.capacity ||
			( eligible !== null && ! eligible.has( agent.userId ) )
		) {
			continue;
		}
		if (
			best === null ||
			agent.open < best.open ||
			( agent.open === best.open && agent.userId < best.userId )
		) {
			best = agent;
		}
	}
	return best ? best.userId : null;
}

/**
 * A rough wait for the n-th place in a queue.
 *
 * @param position 1-based place.
 * @param helpers  Agents who could take it (connected, eligible).
 * @return Seconds.
 */
export function estimateWaitSeconds(
	position: number,
	helpers: number
): number {
	return (
		Math.ceil( position / Math.max( 1, helpers ) ) *
		ESTIMATED_SECONDS_PER_PLACE
	);
}
