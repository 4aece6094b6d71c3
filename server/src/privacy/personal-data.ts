/**
 * A person's data by e-mail address, for WordPress's privacy tools: one page
 * of an export, one batch of an erasure (see `@chatflows/protocol`).
 */
import {
	PRIVACY_PAGE_SIZE,
	type PrivacyConversation,
	type PrivacyErasePage,
	type PrivacyExportPage,
} from '@chatflows/protocol';
import { toTicketDetails } from '../agent/events/inbox';
import type { ChatRepository, ConversationRecord } from '../repository/types';

/**
 * One conversation with everything stored for it.
 *
 * @param repository   The repository.
 * @param conversation The conversation.
 * @return Its export.
 */
async function exportConversation(
	repository: ChatRepository,
	conversation: ConversationRecord
): Promise< PrivacyConversation > {
	const [ messages, ticket, survey, notes ] = await Promise.all( [
		repository.listMessages( conversation.id, 0 ),
		repository.findTicket( conversation.id ),
		repository.findSurveyAnswer( conversation.id ),
		repository.listNotes( conversation.id, 0 ),
	] );
	return {
		id: conversation.id,
		chatflowId: conversation.chatflowId,
		status: conversation.status,
		pageUrl: conversation.pageUrl,
		createdAt: conversation.createdAt,
		updatedAt: conversation.updatedAt,
		messages: messages.map( ( message ) => ( {
			seq: message.seq,
			authorType: message.authorType,
			authorName: message.authorName,
			body: message.body,
			createdAt: message.createdAt,
			...( message.attachment && { attachment: message.attachment } ),
		} ) ),
		ticket: ticket ? toTicketDetails( ticket ) : null,
		survey: survey
			? {
					rating: survey.rating,
					comment: survey.comment,
					answeredAt: survey.answeredAt,
				}
			: null,
		// Agents wrote them about the person: their data too.
		notes: notes.map( ( note ) => ( {
			seq: note.seq,
			authorName: note.authorName,
			body: note.body,
			createdAt: note.createdAt,
		} ) ),
	};
}

/**
 * One page of the export of an e-mail address's data: the contact and its
 * consent records on page 1, conversations `PRIVACY_PAGE_SIZE` at a time,
 * oldest first.
 *
 * @param repository The repository.
 * @param email      Whose data (matched case-insensitively).
 * @param page       1-based.
 * @return The page.
 */
export async function exportPersonalData(
	repository: ChatRepository,
	email: string,
	page: number
): Promise< PrivacyExportPage > {
	const [ contact, claims ] = await Promise.all( [
		repository.findContactByEmail( email ),
		page === 1 ? repository.listEmailClaims( email ) : [],
	] );
	// Only the claims themselves: who typed the address may be a stranger.
	const claimed = claims.map( ( claim ) => ( {
		email: claim.email,
		name: claim.name,
		claimedAt: claim.claimedAt,
	} ) );
	if ( ! contact ) {
		return {
			contact: null,
			consents: [],
			claims: claimed,
			conversations: [],
			done: true,
		};
	}
	const [ rows, consents ] = await Promise.all( [
		// One more than a page: whether a later page holds anything.
		repository.listContactConversations( {
			contactId: contact.id,
			offset: ( page - 1 ) * PRIVACY_PAGE_SIZE,
			limit: PRIVACY_PAGE_SIZE + 1,
		} ),
		page === 1
			? repository.listContactConsents( contact.id )
			: Promise.resolve( [] ),
	] );
	const conversations: PrivacyConversation[] = [];
	for ( const conversation of rows.slice( 0, PRIVACY_PAGE_SIZE ) ) {
		conversations.push(
			await exportConversation( repository, conversation )
		);
	}
	return {
		contact:
			page === 1
				? {
						id: contact.id,
						email: contact.email,
						name: contact.name,
						marketing: contact.marketing,
						createdAt: contact.createdAt,
					}
				: null,
		consents,
		claims: claimed,
		conversations,
		done: rows.length <= PRIVACY_PAGE_SIZE,
	};
}

/**
 * Deletes the next batch of an e-mail address's data (see
 * `ChatRepository.erasePersonalData`).
 *
 * @param repository The repository.
 * @param email      Whose data (matched case-insensitively).
 * @return The page WordPress gets, and the visitors whose sessions ended.
 */
export async function erasePersonalData(
	repository: ChatRepository,
	email: string
): Promise< { page: PrivacyErasePage; visitorIds: string[] } > {
	// The address typed by anyone goes; their chats stay theirs.
	const claimsRemoved = await repository.deleteEmailClaims( email );
	const contact = await repository.findContactByEmail( email );
	if ( ! contact ) {
		return {
			page: { itemsRemoved: claimsRemoved, itemsRetained: 0, done: true },
			visitorIds: [],
		};
	}
	const batch = await repository.erasePersonalData( {
		contactId: contact.id,
		limit: PRIVACY_PAGE_SIZE,
	} );
	return {
		page: {
			itemsRemoved:
				claimsRemoved +
				batch.conversationsRemoved +
				batch.consentsRemoved +
				batch.contactsRemoved,
			itemsRetained: 0,
			done: batch.done,
		},
		visitorIds: batch.visitorIds,
	};
}
