/**
 * Whom a note's mentions name and reach, by WordPress's directory: an agent
 * is mentioned only when they can see the conversation (refused otherwise,
 * so a note's text never reaches anyone outside its inbox), and a team's
 * mention reaches only those of its members who see it.
 */
import {
	MAX_NOTE_MENTIONS,
	type MentionTarget,
	type NoteMention,
	type ServiceConfiguration,
} from '@chatflows/protocol';
import { ClientError } from '../handler';
import type { MentionRecord } from '../repository/notes';
import {
	inboxScopeOf,
	isInScope,
	type ScopedConversation,
} from './inbox-scope';

/** Unseen mentions older than this stop counting in WordPress's menu. */
export const MENTION_COUNT_WINDOW_MS = 30 * 24 * 60 * 60 * 1000;

type DirectoryAgent = ServiceConfiguration[ 'agents' ][ number ];

function canSee(
	agent: DirectoryAgent,
	conversation: ScopedConversation,
	configuration: ServiceConfiguration
): boolean {
	return isInScope(
		inboxScopeOf(
			{ teams: agent.teamIds, inboxes: agent.inboxIds },
			configuration
		),
		agent.id,
		{
			chatflowId: conversation.chatflowId,
			teamId: conversation.teamId ?? null,
			assigneeId: conversation.assigneeId ?? null,
		}
	);
}

/**
 * Checks a note's mentions against the directory.
 *
 * @param targets       What the writer named.
 * @param conversation  The note's conversation.
 * @param configuration What WordPress sent; null while it sent nothing.
 * @return The mentions with their names, each once.
 * @throws ClientError `invalid_payload` naming `mentions`.
 */
export function resolveMentions(
	targets: MentionTarget[],
	conversation: ScopedConversation,
	configuration: ServiceConfiguration | null
): NoteMention[] {
	if ( targets.length === 0 ) {
		return [];
	}
	if ( ! configuration ) {
		throw new ClientError(
			'invalid_payload',
			'mentions: WordPress has not sent its agents and teams yet'
		);
	}
	const mentions = new Map< string, NoteMention >();
	for ( const target of targets ) {
		const key = `${ target.type }:${ target.id }`;
		if ( mentions.has( key ) ) {
			continue;
		}
		if ( target.type === 'agent' ) {
			const agent = configuration.agents.find(
				( candidate ) => candidate.id === target.id
			);
			if ( ! agent ) {
				throw new ClientError(
					'invalid_payload',
					`mentions: no agent ${ target.id }`
				);
			}
			if ( ! canSee( agent, conversation, configuration ) ) {
				throw new ClientError(
					'invalid_payload',
					`mentions: ${ agent.name } cannot see this conversation`
				);
			}
			mentions.set( key, { ...target, name: agent.name } );
		} else {
			const team = configuration.teams.find(
				( candidate ) => candidate.id === target.id
			);
			if ( ! team ) {
				throw new ClientError(
					'invalid_payload',
					`mentions: no team ${ target.id }`
				);
			}
			mentions.set( key, { ...target, name: team.name } );
		}
	}
	if ( mentions.size > MAX_NOTE_MENTIONS ) {
		throw new ClientError(
			'invalid_payload',
			`mentions: at most ${ MAX_NOTE_MENTIONS }`
		);
	}
	return [ ...mentions.values() ];
}

/**
 * The agents a note's mentions reach: those named, and the members of the
 * teams named, who see the conversation; never its author.
 *
 * @param mentions      The note's mentions.
 * @param authorId      Who wrote it.
 * @param conversation  The note's conversation.
 * @param configuration What WordPress sent.
 * @return WordPress user ids.
 */
export function mentionedAgents(
	mentions: NoteMention[],
	authorId: string,
	conversation: ScopedConversation,
	configuration: ServiceConfiguration | null
): string[] {
	if ( ! configuration ) {
		return [];
	}
	return configuration.agents
		.filter(
			( agent ) =>
				agent.id !== authorId &&
				mentions.some( ( mention ) =>
					mention.type === 'agent'
						? mention.id === agent.id
						: agent.teamIds.includes( mention.id ) ||
							configuration.teams.some(
								( team ) =>
									team.id === mention.id &&
									team.memberIds.includes( agent.id )
							)
				) &&
				canSee( agent, conversation, configuration )
		)
		.map( ( agent ) => agent.id );
}

/**
 * Each directory agent's unseen mentions, for the count in WordPress's menu.
 *
 * @param configuration What WordPress sent.
 * @param records       Recent mentions of any agent or team.
 * @param reads         When each agent last marked their mentions seen.
 * @return Counts by WordPress user id (agents with none left out).
 */
export function unseenMentionCounts(
	configuration: ServiceConfiguration,
	records: MentionRecord[],
	reads: Record< string, string >
): Record< string, number > {
	const notesByAgent = new Map< string, Set< string > >();
	for ( const record of records ) {
		const recipients = mentionedAgents(
			[ { type: record.targetType, id: record.targetId, name: '' } ],
			record.note.authorId,
			record,
			configuration
		);
		for ( const agentId of recipients ) {
			if ( record.note.createdAt > ( reads[ agentId ] ?? '' ) ) {
				const notes = notesByAgent.get( agentId ) ?? new Set();
				// A note naming an agent and their team counts once.
				notes.add(
					`${ record.note.conversationId }:${ record.note.seq }`
				);
				notesByAgent.set( agentId, notes );
			}
		}
	}
	return Object.fromEntries(
		[ ...notesByAgent ].map( ( [ agentId, notes ] ) => [
			agentId,
			notes.size,
		] )
	);
}
