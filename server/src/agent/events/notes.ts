/**
 * Agent events about internal notes (see `@chatflows/protocol`'s notes.ts):
 * writing one, reading a conversation's, and the mentions of the agent.
 * Nothing here ever reaches a visitor's room.
 */
import { z } from 'zod';
import {
	MAX_NOTE_MENTIONS,
	MENTIONS_LIST_LIMIT,
	type MentionItem,
} from '@chatflows/protocol';
import { ClientError, defineHandler, type EventHandler } from '../../handler';
import { agentRoom, type AgentSocket } from '../../types';
import {
	afterSeqSchema,
	bodySchema,
	clientIdSchema,
	conversationIdSchema,
} from '../../validation';
import { isInScope, scopeOfAgent } from '../inbox-scope';
import { mentionedAgents, resolveMentions } from '../mentions';
import {
	conversationOrNotFound,
	NOT_FOUND,
	type AgentHandlerDeps,
} from './deps';

export const noteSendSchema = z.object( {
	conversationId: conversationIdSchema,
	clientId: clientIdSchema,
	body: bodySchema,
	mentions: z
		.array(
			z.object( {
				type: z.enum( [ 'agent', 'team' ], {
					message: 'must be agent or team',
				} ),
				id: z.string().min( 1 ).max( 64 ),
			} )
		)
		.max(
			MAX_NOTE_MENTIONS,
			`must name at most ${ MAX_NOTE_MENTIONS } agents or teams`
		)
		.default( [] ),
} );

export const conversationNotesSchema = z.object( {
	conversationId: conversationIdSchema,
	afterSeq: afterSeqSchema,
} );

/**
 * The directory WordPress sent; null while it sent nothing.
 *
 * @param deps The domain.
 */
function configurationOf( deps: AgentHandlerDeps ) {
	const store = deps.domain.configurationStore;
	return store.known ? store.configuration : null;
}

/**
 * `note:send`: stores a note, tells the agents who see the conversation and
 * the mentioned.
 *
 * @param deps Repository, broadcaster, domain and handler context.
 */
export function sendNote( deps: AgentHandlerDeps ): EventHandler {
	const { repository, broadcaster } = deps;
	return defineHandler(
		deps,
		'note:send',
		noteSendSchema,
		async ( payload, socket: AgentSocket ) => {
			const { userId, name } = socket.data;
			const conversation = await conversationOrNotFound(
				deps,
				payload.conversationId
			);
			const configuration = configurationOf( deps );
			// Checked before anything is stored: a refused mention saves nothing.
			const mentions = resolveMentions(
				payload.mentions,
				conversation,
				configuration
			);
			const result = await repository.appendNote( {
				conversationId: conversation.id,
				clientId: payload.clientId,
				author: { id: userId, name },
				body: payload.body,
				mentions,
				createdAt: deps.clock().toISOString(),
			} );
			if ( ! result ) {
				throw new ClientError( 'not_found', NOT_FOUND );
			}
			if ( result.note.authorId !== userId ) {
				throw new ClientError(
					'invalid_payload',
					'clientId: already used by another note of this conversation'
				);
			}
			const { note } = result;
			return {
				data: { note },
				// Announced on a retry too, as messages are.
				afterAck: () => {
					broadcaster
						.toAgentsSeeing( result.conversation )
						.except( socket.id )
						.emit( 'note:new', note );
					const mentioned = mentionedAgents(
						note.mentions,
						note.authorId,
						result.conversation,
						configuration
					);
					if ( mentioned.length > 0 ) {
						const item: MentionItem = { note, seen: false };
						broadcaster
							.toAgentRooms( mentioned.map( agentRoom ) )
							.emit( 'mention:new', item );
					}
				},
			};
		}
	);
}

/**
 * `conversation:notes`: a conversation's notes after a seq.
 *
 * @param deps Repository and handler context.
 */
export function listNotes( deps: AgentHandlerDeps ): EventHandler {
	const { repository } = deps;
	return defineHandler(
		deps,
		'conversation:notes',
		conversationNotesSchema,
		async ( payload ) => {
			// guardInboxScope already answered not_found outside the agent's scope.
			const conversation = await conversationOrNotFound(
				deps,
				payload.conversationId
			);
			return {
				data: {
					notes: await repository.listNotes(
						conversation.id,
						payload.afterSeq ?? 0
					),
				},
			};
		}
	);
}

/**
 * The agent's mentions within what they see now, newest first.
 *
 * @param deps   Repository and domain.
 * @param socket The agent's connection.
 */
async function mentionsOf(
	deps: AgentHandlerDeps,
	socket: AgentSocket
): Promise< { mentions: MentionItem[]; unseenCount: number } > {
	const { userId, teams } = socket.data;
	const [ records, reads ] = await Promise.all( [
		deps.repository.listMentions( {
			agentIds: [ userId ],
			teamIds: teams,
			since: '',
			exceptAuthorId: userId,
			// A note naming the agent and their team comes twice.
			limit: MENTIONS_LIST_LIMIT * 2,
		} ),
		deps.repository.listMentionReads( [ userId ] ),
	] );
	const seenUntil = reads[ userId ] ?? '';
	const scope = scopeOfAgent( socket.data, deps.domain.configurationStore );
	const listed = new Map< string, MentionItem >();
	for ( const record of records ) {
		const key = `${ record.note.conversationId }:${ record.note.seq }`;
		if (
			! listed.has( key ) &&
			isInScope( scope, userId, record ) &&
			listed.size < MENTIONS_LIST_LIMIT
		) {
			listed.set( key, {
				note: record.note,
				seen: record.note.createdAt <= seenUntil,
			} );
		}
	}
	const mentions = [ ...listed.values() ];
	return {
		mentions,
		unseenCount: mentions.filter( ( mention ) => ! mention.seen ).length,
	};
}

/**
 * `mentions:list`: the notes that mention the agent or their teams.
 *
 * @param deps Repository, domain and handler context.
 */
export function listMentions( deps: AgentHandlerDeps ): EventHandler {
	return defineHandler(
		deps,
		'mentions:list',
		z.object( {} ),
		async ( _payload, socket: AgentSocket ) => ( {
			data: await mentionsOf( deps, socket ),
		} )
	);
}

/**
 * `mentions:seen`: every mention the agent has now is seen.
 *
 * @param deps Repository and handler context.
 */
export function markMentionsSeen( deps: AgentHandlerDeps ): EventHandler {
	return defineHandler(
		deps,
		'mentions:seen',
		z.object( {} ),
		async ( _payload, socket: AgentSocket ) => {
			await deps.repository.markMentionsSeen(
				socket.data.userId,
				deps.clock().toISOString()
			);
			return { data: { unseenCount: 0 } };
		}
	);
}
