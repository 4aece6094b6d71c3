/**
 * Visitor events about who the visitor is and what they agreed to: an
 * e-mail address they type (a claim, see `email-claims.ts`) and consents.
 * Agents who see the visitor's conversations hear that their context changed.
 */
import { createHash, randomUUID } from 'node:crypto';
import { type ConversationContextChangeReason } from '@chatflows/protocol';
import { defineHandler, type EventHandler } from '../../handler';
import type { VisitorSocket } from '../../types';
import { consentGrantSchema, contactEmailSchema } from '../../validation';
import { claimEmail } from '../email-claims';
import { usableChatflowOf, type VisitorHandlerDeps } from './deps';

/**
 * The newest conversations agents are told changed context (consents,
 * contact); an older one shows the change when an agent selects it again.
 */
export const CONTEXT_CHANGE_LIMIT = 200;

/**
 * The version of a consent text: the first 16 hex characters of its SHA-256,
 * so records of the same wording compare equal without comparing the text.
 *
 * @param text The text the visitor saw.
 * @return 16 lower-case hex characters.
 */
export function consentTextVersion( text: string ): string {
	return createHash( 'sha256' )
		.update( text, 'utf8' )
		.digest( 'hex' )
		.slice( 0, 16 );
}

/**
 * Tells the agents who see them that the context of the conversations
 * showing this visitor's consents, contact and claim changed: the visitor's
 * own and those linked to the contact, as `conversation:context` finds its
 * consents. Called after the write, never failing the caller.
 *
 * @param deps      Repository, broadcaster and logger.
 * @param visitorId The visitor.
 * @param contactId The visitor's contact, if any.
 * @param reason    What changed.
 */
export async function announceVisitorContextChange(
	deps: Pick< VisitorHandlerDeps, 'repository' | 'broadcaster' | 'logger' >,
	visitorId: string,
	contactId: string | null,
	reason: ConversationContextChangeReason
): Promise< void > {
	try {
		const conversations = await deps.repository.listRelatedConversations( {
			// No conversation has the empty id: none is left out.
			conversationId: '',
			visitorId,
			contactId,
			limit: CONTEXT_CHANGE_LIMIT,
		} );
		deps.broadcaster.contextChanged( conversations, reason );
	} catch ( error ) {
		deps.logger.error(
			{ err: error, visitorId },
			'context change not announced'
		);
	}
}

/**
 * `contact:email`: stores the address the visitor typed as a claim and has
 * a confirmation link sent.
 *
 * @param deps Repository, domain and handler context.
 */
export function claimContactEmail( deps: VisitorHandlerDeps ): EventHandler {
	return defineHandler(
		deps,
		'contact:email',
		contactEmailSchema,
		async ( payload, socket: VisitorSocket ) => {
			await usableChatflowOf( deps, socket );
			const result = await claimEmail( deps, socket, payload );
			return {
				data: result,
				afterAck: () =>
					void announceVisitorContextChange(
						deps,
						socket.data.visitorId,
						socket.data.contactId,
						'contact'
					),
			};
		}
	);
}

/**
 * `consent:record`: stores a consent the visitor gave or refused, with the
 * version of the text they saw.
 *
 * @param deps Repository and handler context.
 */
export function recordConsent( deps: VisitorHandlerDeps ): EventHandler {
	const { repository } = deps;
	return defineHandler(
		deps,
		'consent:record',
		consentGrantSchema,
		async ( grant, socket: VisitorSocket ) => {
			const { visitorId, chatflowId } = socket.data;
			await usableChatflowOf( deps, socket );
			const { record, created } = await repository.recordConsent( {
				id: randomUUID(),
				visitorId,
				contactId: socket.data.contactId ?? null,
				chatflowId,
				kind: grant.kind,
				granted: grant.granted,
				method: grant.method,
				text: grant.text,
				textVersion: consentTextVersion( grant.text ),
				language: grant.language,
				pageUrl: grant.pageUrl,
				...( grant.subscriptionType !== undefined && {
					subscriptionType: grant.subscriptionType,
				} ),
				recordedAt: deps.clock().toISOString(),
			} );
			if ( created ) {
				deps.logger.info(
					{
						visitorId,
						chatflowId,
						kind: record.kind,
						granted: record.granted,
						method: record.method,
						textVersion: record.textVersion,
					},
					'consent recorded'
				);
			}
			return {
				data: { record },
				// The same answer again changes nothing anyone sees.
				afterAck: created
					? () =>
							void announceVisitorContextChange(
								deps,
								visitorId,
								record.contactId,
								'consent'
							)
					: undefined,
			};
		}
	);
}
