/**
 * Visitor events about the conversation's life: picking it up again after a
 * reload or reconnection, and the survey once it closed.
 */
import {
	type ChatMessage,
	type QueuePosition,
	type VisitorConversation,
} from '@chatflows/protocol';
import {
	ClientError,
	defineHandler,
	type EventHandler,
	type Outcome,
} from '../../handler';
import { asSeenByVisitor } from '../../broadcast';
import type { VisitorSocket } from '../../types';
import { resumeSchema, surveyAnswerSchema } from '../../validation';
import {
	NO_CONVERSATION,
	toVisitorConversation,
	type VisitorHandlerDeps,
} from './deps';

interface ResumeResult {
	conversation: VisitorConversation | null;
	messages: ChatMessage[];
	unreadCount?: number;
	queue?: QueuePosition;
	survey?: { question: Record< string, string > };
}

/**
 * `conversation:resume`: the visitor's newest conversation with what a
 * reload would otherwise lose (messages after a seq, unread count, queue
 * place, pending survey).
 *
 * @param deps Repository, domain and handler context.
 */
export function resumeConversation( deps: VisitorHandlerDeps ): EventHandler {
	const { repository, domain } = deps;
	return defineHandler(
		deps,
		'conversation:resume',
		resumeSchema,
		async (
			payload,
			socket: VisitorSocket
		): Promise< Outcome< ResumeResult > > => {
			const { visitorId, chatflowId } = socket.data;
			// The newest conversation, even closed: the visitor sees how it
			// ended, and writing again reopens it. With it, in the same
			// query, what a reload would otherwise lose: the unread count.
			const latest = await repository.findLatestConversationWithUnread(
				visitorId,
				chatflowId
			);
			if ( ! latest ) {
				return { data: { conversation: null, messages: [] } };
			}
			const { conversation, visitorUnreadCount: unreadCount } = latest;
			const afterSeq = payload.afterSeq ?? 0;
			const alias =
				domain.configurationStore.chatflow( chatflowId )?.alias ?? '';
			// A client that holds the newest message already (most
			// reconnections) costs no read of the messages.
			const messages =
				conversation.lastSeq > afterSeq
					? (
							await repository.listMessages(
								conversation.id,
								afterSeq
							)
						).map( ( message ) =>
							asSeenByVisitor( message, alias )
						)
					: [];
			// Live events only say what changes; both ask the database only
			// when they apply (a waiting or a closed conversation).
			const [ queue, survey ] = await Promise.all( [
				domain.assignment.queuePositionOf( conversation ),
				domain.pendingSurvey( conversation ),
			] );
			return {
				data: {
					conversation: toVisitorConversation( conversation ),
					messages,
					unreadCount,
					...( queue && { queue } ),
					...( survey && { survey } ),
				},
			};
		}
	);
}

/**
 * `survey:answer`: stores the answer to a closed conversation's survey.
 *
 * @param deps Repository, domain and handler context.
 */
export function answerSurvey( deps: VisitorHandlerDeps ): EventHandler {
	const { repository, broadcaster } = deps;
	return defineHandler(
		deps,
		'survey:answer',
		surveyAnswerSchema,
		async ( payload, socket: VisitorSocket ) => {
			const { visitorId } = socket.data;
			const conversation = await repository.findConversation(
				payload.conversationId
			);
			if ( ! conversation || conversation.visitorId !== visitorId ) {
				throw new ClientError( 'not_found', NO_CONVERSATION );
			}
			if ( conversation.status !== 'closed' ) {
				throw new ClientError(
					'invalid_payload',
					'conversationId: the survey is answered once the conversation is closed'
				);
			}
			const answer = {
				conversationId: conversation.id,
				rating: payload.rating,
				comment: payload.comment ?? '',
			};
			await repository.saveSurveyAnswer( {
				...answer,
				answeredAt: deps.clock().toISOString(),
			} );
			return {
				data: {},
				afterAck: () =>
					broadcaster
						.toAgentsSeeing( conversation )
						.emit( 'survey:answered', answer ),
			};
		}
	);
}
