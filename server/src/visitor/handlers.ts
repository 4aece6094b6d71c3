/**
 * Events of the `/visitor` namespace, one module per concern (see
 * `events/`). A visitor only ever reaches their own conversations: every
 * lookup is by the socket's visitor id, never by an id the client sends.
 */
import { listenTo } from '../handler';
import type { VisitorSocket } from '../types';
import { answerSurvey, resumeConversation } from './events/conversation';
import {
	announceVisitorContextChange,
	claimContactEmail,
	recordConsent,
} from './events/contact';
import type { VisitorHandlerDeps } from './events/deps';
import { markRead, sendMessage, typing } from './events/messages';

export type { VisitorHandlerDeps } from './events/deps';

/** The namespace's events, by concern. */
const VISITOR_EVENTS = [
	// Conversation lifecycle.
	resumeConversation,
	answerSurvey,
	// Messages.
	sendMessage,
	typing,
	markRead,
	// Contact and consent.
	claimContactEmail,
	recordConsent,
];

/**
 * Builds the visitor events' listeners once per namespace, as socket.io's
 * own examples do: each listener finds its socket in `this` (see
 * createHandler), and what one connection keeps between events lives in a
 * WeakMap, so a connection costs no closures of its own.
 *
 * @param deps Repository, broadcaster and handler context.
 * @return Registers the listeners on one connected visitor socket.
 */
export function createVisitorHandlers(
	deps: VisitorHandlerDeps
): ( socket: VisitorSocket ) => void {
	const handlers = VISITOR_EVENTS.map( ( create ) => create( deps ) );
	return ( socket ) => {
		// An accepted identification linked this visitor to a contact just now
		// (the middleware before this one), maybe with their latest conversation.
		if ( socket.data.contactId ) {
			void announceVisitorContextChange(
				deps,
				socket.data.visitorId,
				socket.data.contactId,
				'contact'
			);
		}
		listenTo( socket, handlers );
	};
}
