/**
 * Events of the `/agent` namespace, one module per concern (see `events/`):
 * the inbox lists conversations, reads their messages and replies, hands
 * them over and closes them.
 */
import { listenTo } from '../handler';
import type { AgentSocket } from '../types';
import {
	assignConversation,
	claimConversation,
	transferConversation,
} from './events/assignment';
import type { AgentHandlerDeps } from './events/deps';
import {
	conversationContext,
	guardInboxScope,
	inboxDirectory,
	listInbox,
	updateTicket,
} from './events/inbox';
import { closeConversation, reopenConversation } from './events/lifecycle';
import { listMessages, markRead, sendMessage, typing } from './events/messages';
import {
	listMentions,
	listNotes,
	markMentionsSeen,
	sendNote,
} from './events/notes';
import { renewToken, setPresence, trackPresence } from './events/session';

export type { AgentHandlerDeps } from './events/deps';

/** The namespace's events, by concern. */
const AGENT_EVENTS = [
	// The agent's connection.
	renewToken,
	setPresence,
	// Inbox and listing.
	listInbox,
	inboxDirectory,
	conversationContext,
	updateTicket,
	// Messages.
	listMessages,
	sendMessage,
	typing,
	markRead,
	// Internal notes and mentions.
	sendNote,
	listNotes,
	listMentions,
	markMentionsSeen,
	// Assignment.
	claimConversation,
	assignConversation,
	transferConversation,
	// Conversation lifecycle.
	closeConversation,
	reopenConversation,
];

/**
 * Builds the agent events' listeners once per namespace: each listener
 * finds its socket in `this` (see createHandler).
 *
 * @param deps Repository, broadcaster, domain and handler context.
 * @return Registers the listeners on one authenticated agent socket.
 */
export function createAgentHandlers(
	deps: AgentHandlerDeps
): ( socket: AgentSocket ) => void {
	const handlers = AGENT_EVENTS.map( ( create ) => create( deps ) );
	return ( socket ) => {
		trackPresence( socket, deps );
		// Before any listener: events naming a conversation stay in scope.
		guardInboxScope( socket, deps );
		listenTo( socket, handlers );
	};
}
