/**
 * Reducer of the inbox store.
 */
import {
	type ConversationSummary,
	mergeMessages,
	type PendingMessage,
	withoutStored,
} from '@chatflows/protocol';
import type { InboxAction } from './actions';
import type { InboxState } from './types';

export const initialState: InboxState = {
	conversations: {},
	messages: {},
	outbox: {},
	selectedConversationId: null,
	connection: { status: 'connecting', error: null },
	view: 'open',
	search: '',
	inboxId: null,
	viewIds: [],
	counts: null,
	scopedIds: {},
	directory: null,
	presence: {},
	myStatus: 'available',
	visitorTyping: {},
	visitorReadSeq: {},
	contexts: {},
	notificationPermission: 'unsupported',
};

/**
 * Since when the visitor waits, for an update that does not say: their
 * message starts (or continues) a wait, an agent's ends it.
 *
 * @param existing What was known.
 * @param incoming The update.
 * @return The time, or null when nobody waits.
 */
function waitingSinceAfter(
	existing: ConversationSummary | undefined,
	incoming: ConversationSummary
): string | null {
	if ( incoming.status === 'closed' ) {
		return null;
	}
	const known = existing?.waitingSince ?? null;
	const last = incoming.lastMessage;
	if ( ! last || ( existing?.lastMessage?.seq ?? 0 ) >= last.seq ) {
		return known;
	}
	if ( last.authorType === 'visitor' ) {
		return known ?? last.createdAt;
	}
	return last.authorType === 'agent' ? null : known;
}

/**
 * Merges an update over what is known of a conversation. Live updates carry
 * neither the contact nor the waiting time: those are kept or derived.
 *
 * @param existing What was known, if anything.
 * @param incoming The update.
 * @return The conversation now.
 */
export function mergeSummary(
	existing: ConversationSummary | undefined,
	incoming: ConversationSummary
): ConversationSummary {
	return {
		...existing,
		...incoming,
		visitorEmail:
			incoming.visitorEmail !== undefined
				? incoming.visitorEmail
				: ( existing?.visitorEmail ?? null ),
		visitorName:
			incoming.visitorName !== undefined
				? incoming.visitorName
				: ( existing?.visitorName ?? null ),
		waitingSince:
			incoming.waitingSince !== undefined
				? incoming.waitingSince
				: waitingSinceAfter( existing, incoming ),
	};
}

function mergeAll(
	current: InboxState[ 'conversations' ],
	incoming: ConversationSummary[]
): InboxState[ 'conversations' ] {
	const conversations = { ...current };
	for ( const conversation of incoming ) {
		conversations[ conversation.id ] = mergeSummary(
			current[ conversation.id ],
			conversation
		);
	}
	return conversations;
}

/**
 * A conversation's outbox changed; an empty one is forgotten.
 *
 * @param state          The store's state.
 * @param conversationId The conversation.
 * @param replies        Its replies waiting now.
 */
function withOutbox(
	state: InboxState,
	conversationId: string,
	replies: PendingMessage[]
): InboxState[ 'outbox' ] {
	const { [ conversationId ]: _old, ...outbox } = state.outbox;
	return replies.length ? { ...outbox, [ conversationId ]: replies } : outbox;
}

/**
 * Changes a loaded conversation's context; one not loaded is left to load whole later.
 *
 * @param state          The store's state.
 * @param conversationId The conversation whose context changes.
 * @param changes        The context's new values.
 */
function updateContext(
	state: InboxState,
	conversationId: string,
	changes: Partial< InboxState[ 'contexts' ][ string ] >
): InboxState {
	const context = state.contexts[ conversationId ];
	if ( ! context ) {
		return state;
	}
	return {
		...state,
		contexts: {
			...state.contexts,
			[ conversationId ]: { ...context, ...changes },
		},
	};
}

export function reducer(
	state: InboxState = initialState,
	action: InboxAction
): InboxState {
	switch ( action.type ) {
		case 'RECEIVE_CONVERSATIONS':
			return {
				...state,
				conversations: mergeAll(
					state.conversations,
					action.conversations
				),
			};
		case 'RECEIVE_VIEW': {
			const scopedIds = { ...state.scopedIds };
			for ( const conversation of action.conversations ) {
				scopedIds[ conversation.id ] = true;
			}
			const sameSearch =
				action.search === state.search &&
				action.inboxId === state.inboxId;
			const current = sameSearch && action.view === state.view;
			return {
				...state,
				conversations: mergeAll(
					state.conversations,
					action.conversations
				),
				scopedIds,
				// A late answer for a view no longer shown only teaches conversations.
				viewIds: current
					? action.conversations.map( ( { id } ) => id )
					: state.viewIds,
				counts: sameSearch ? action.counts : state.counts,
			};
		}
		case 'RECEIVE_MESSAGES': {
			const current = state.messages[ action.conversationId ] ?? [];
			const merged = mergeMessages( current, action.messages );
			const waiting = state.outbox[ action.conversationId ] ?? [];
			// A reply stored leaves the outbox however it arrived (its
			// acknowledgement, a broadcast, a catch-up): shown once.
			const left = withoutStored( waiting, action.messages );
			if (
				merged === current &&
				left === waiting &&
				state.messages[ action.conversationId ]
			) {
				return state;
			}
			return {
				...state,
				messages: {
					...state.messages,
					[ action.conversationId ]: merged,
				},
				outbox:
					left === waiting
						? state.outbox
						: withOutbox( state, action.conversationId, left ),
			};
		}
		case 'QUEUE_REPLY':
			return {
				...state,
				outbox: withOutbox( state, action.conversationId, [
					...( state.outbox[ action.conversationId ] ?? [] ),
					action.reply,
				] ),
			};
		case 'DROP_REPLY':
			return {
				...state,
				outbox: withOutbox(
					state,
					action.conversationId,
					( state.outbox[ action.conversationId ] ?? [] ).filter(
						( reply ) => reply.clientId !== action.clientId
					)
				),
			};
		case 'SELECT_CONVERSATION':
			return { ...state, selectedConversationId: action.conversationId };
		case 'SET_VIEW':
			return { ...state, view: action.view };
		case 'SET_SEARCH':
			return { ...state, search: action.search };
		case 'SET_INBOX':
			return { ...state, inboxId: action.inboxId };
		case 'SET_CONNECTION_STATUS':
			return {
				...state,
				connection: { status: action.status, error: action.error },
			};
		case 'RECEIVE_DIRECTORY': {
			const presence = { ...state.presence };
			for ( const agent of action.directory.agents ) {
				presence[ agent.id ] = agent.status;
			}
			presence[ action.directory.me.id ] = action.directory.me.status;
			return { ...state, directory: action.directory, presence };
		}
		case 'RECEIVE_PRESENCE':
			return {
				...state,
				presence: {
					...state.presence,
					[ action.presence.userId ]: action.presence.status,
				},
			};
		case 'SET_MY_STATUS': {
			const myId = state.directory?.me.id;
			return {
				...state,
				myStatus: action.status,
				presence: myId
					? { ...state.presence, [ myId ]: action.status }
					: state.presence,
			};
		}
		case 'RECEIVE_TYPING':
			return {
				...state,
				visitorTyping: {
					...state.visitorTyping,
					[ action.indicator.conversationId ]:
						action.indicator.typing,
				},
			};
		case 'CLEAR_TYPING':
			return { ...state, visitorTyping: {} };
		case 'RECEIVE_READ': {
			const { conversationId, reader, seq } = action.receipt;
			if ( reader === 'visitor' ) {
				return {
					...state,
					visitorReadSeq: {
						...state.visitorReadSeq,
						[ conversationId ]: Math.max(
							seq,
							state.visitorReadSeq[ conversationId ] ?? 0
						),
					},
				};
			}
			const conversation = state.conversations[ conversationId ];
			if (
				! conversation ||
				seq < ( conversation.lastMessage?.seq ?? 0 )
			) {
				return state;
			}
			return {
				...state,
				conversations: {
					...state.conversations,
					[ conversationId ]: { ...conversation, unreadCount: 0 },
				},
			};
		}
		case 'RECEIVE_CONTEXT':
			return {
				...state,
				contexts: {
					...state.contexts,
					[ action.context.conversationId ]: action.context,
				},
			};
		case 'RECEIVE_CONTEXT_CHANGE': {
			const { conversationId } = action.change;
			if (
				conversationId === state.selectedConversationId ||
				! state.contexts[ conversationId ]
			) {
				return state;
			}
			const { [ conversationId ]: _stale, ...contexts } = state.contexts;
			return { ...state, contexts };
		}
		case 'RECEIVE_TICKET':
			return updateContext( state, action.ticket.conversationId, {
				ticket: action.ticket,
			} );
		case 'RECEIVE_SURVEY_ANSWER':
			return updateContext( state, action.answer.conversationId, {
				survey: { ...action.answer, answeredAt: action.answeredAt },
			} );
		case 'SET_NOTIFICATION_PERMISSION':
			return { ...state, notificationPermission: action.permission };
		default:
			return state;
	}
}
