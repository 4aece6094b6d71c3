/**
 * The one way a visitor is linked to a contact: by a verified identity only
 * (an identification token, a confirmed link, or a contact already linked
 * that way), never by an address the visitor typed.
 */
import { randomUUID } from 'node:crypto';
import type { ChatRepository, ContactRecord } from '../repository/types';

export interface VisitorContactLink {
	visitorId: string;
	/** The conversation to link too, if any. */
	conversationId: string | null;
	email: string;
	/** The name of a new contact ('' for none). */
	name: string;
	/** Gives an existing contact `name`: the site's identification vouches for it. */
	rename?: boolean;
	/** Makes it a marketing contact (never unmakes one). */
	marketing?: boolean;
}

/**
 * Links a visitor (and a conversation) to the contact of a verified address,
 * creating the contact when there is none.
 *
 * @param deps            Repository and clock.
 * @param deps.repository The repository.
 * @param deps.clock      The clock.
 * @param link            Who, to what, and how.
 * @return The contact.
 */
export function linkVisitorToContact(
	deps: { repository: ChatRepository; clock: () => Date },
	link: VisitorContactLink
): Promise< ContactRecord > {
	return deps.repository.linkContact( {
		...link,
		newContactId: randomUUID(),
		createdAt: deps.clock().toISOString(),
	} );
}
