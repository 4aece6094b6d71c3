/**
 * Selectors of the inbox store.
 */
import type {
	AgentPresenceStatus,
	ChatMessage,
	ConversationContext,
	ConversationSummary,
	InboxCounts,
	InboxDirectory,
	InboxView,
	PendingMessage,
} from '@chatflows/protocol';
import type { InboxState, NotificationPermissionState } from './types';

const NO_MESSAGES: ChatMessage[] = [];

const NO_REPLIES: PendingMessage[] = [];

/**
 * Whether a conversation belongs in a view.
 *
 * @param conversation The conversation.
 * @param view         The view.
 * @param myId         The agent, once known.
 * @return True when it belongs.
 */
export function matchesView(
	conversation: ConversationSummary,
	view: InboxView,
	myId: string | null
): boolean {
	switch ( view ) {
		case 'closed':
			return conversation.status === 'closed';
		case 'unassigned':
			return conversation.status === 'open' && ! conversation.assigneeId;
		case 'mine':
			return (
				conversation.status === 'open' &&
				myId !== null &&
				conversation.assigneeId === myId
			);
		default:
			return conversation.status === 'open';
	}
}

/**
 * The inbox's order: those waiting longest for an answer first, then the
 * most recently active. Closed ones: the most recently closed first.
 *
 * @param a One conversation.
 * @param b Another.
 * @return Negative when `a` comes first.
 */
export function byLongestWait(
	a: ConversationSummary,
	b: ConversationSummary
): number {
	const waitA = a.status === 'open' ? ( a.waitingSince ?? null ) : null;
	const waitB = b.status === 'open' ? ( b.waitingSince ?? null ) : null;
	if ( waitA !== null && waitB !== null && waitA !== waitB ) {
		return waitA.localeCompare( waitB );
	}
	if ( ( waitA === null ) !== ( waitB === null ) ) {
		return waitA === null ? 1 : -1;
	}
	return b.updatedAt.localeCompare( a.updatedAt );
}

const viewCache = new WeakMap<
	InboxState[ 'conversations' ],
	{ key: unknown[]; result: ConversationSummary[] }
>();

/**
 * The conversations of the view shown, in the inbox's order. Without a
 * search, conversations the agent may see move between views at once as
 * they change (a claim, a close); with one, the service's matches are kept.
 * The same array is returned while nothing it depends on changes.
 *
 * @param state Store state.
 */
export function getViewConversations(
	state: InboxState
): ConversationSummary[] {
	const myId = getMyId( state );
	const key = [
		state.viewIds,
		state.scopedIds,
		state.view,
		state.search,
		state.inboxId,
		myId,
	];
	const cached = viewCache.get( state.conversations );
	if (
		cached &&
		cached.key.every( ( part, index ) => part === key[ index ] )
	) {
		return cached.result;
	}
	const ids = new Set( state.viewIds );
	// Narrowed by a search or to one inbox, only the service knows what matches.
	if ( state.search === '' && state.inboxId === null ) {
		for ( const id of Object.keys( state.scopedIds ) ) {
			ids.add( id );
		}
	}
	const result = [ ...ids ]
		.map( ( id ) => state.conversations[ id ] )
		.filter(
			( conversation ): conversation is ConversationSummary =>
				conversation !== undefined &&
				matchesView( conversation, state.view, myId )
		)
		.sort( byLongestWait );
	viewCache.set( state.conversations, { key, result } );
	return result;
}

const sortedCache = new WeakMap<
	InboxState[ 'conversations' ],
	ConversationSummary[]
>();

/**
 * Every conversation known, the most recently active first. The same array
 * is returned while the conversations do not change.
 *
 * @param state Store state.
 */
export function getConversations( state: InboxState ): ConversationSummary[] {
	let sorted = sortedCache.get( state.conversations );
	if ( ! sorted ) {
		sorted = Object.values( state.conversations ).sort( ( a, b ) =>
			b.updatedAt.localeCompare( a.updatedAt )
		);
		sortedCache.set( state.conversations, sorted );
	}
	return sorted;
}

/**
 * A conversation by id.
 *
 * @param state          Store state.
 * @param conversationId Conversation.
 */
export function getConversation(
	state: InboxState,
	conversationId: string
): ConversationSummary | undefined {
	return state.conversations[ conversationId ];
}

/**
 * Messages of a conversation, ordered.
 *
 * @param state          Store state.
 * @param conversationId Conversation.
 */
export function getMessages(
	state: InboxState,
	conversationId: string
): ChatMessage[] {
	return state.messages[ conversationId ] ?? NO_MESSAGES;
}

/**
 * The agent's replies to a conversation not yet stored, in the order typed.
 *
 * @param state          Store state.
 * @param conversationId Conversation.
 */
export function getPendingReplies(
	state: InboxState,
	conversationId: string
): PendingMessage[] {
	return state.outbox[ conversationId ] ?? NO_REPLIES;
}

/**
 * The conversations with replies waiting to be stored.
 *
 * @param state Store state.
 */
export function getConversationsWithPendingReplies(
	state: InboxState
): string[] {
	return Object.keys( state.outbox );
}

/**
 * The conversation open in the inbox.
 *
 * @param state Store state.
 */
export function getSelectedConversationId( state: InboxState ): string | null {
	return state.selectedConversationId;
}

/**
 * The live connection's status and error.
 *
 * @param state Store state.
 */
export function getConnection( state: InboxState ): InboxState[ 'connection' ] {
	return state.connection;
}

/**
 * The view shown.
 *
 * @param state Store state.
 */
export function getView( state: InboxState ): InboxView {
	return state.view;
}

/**
 * The inbox the views are narrowed to, or null for all the agent's.
 *
 * @param state Store state.
 */
export function getInboxId( state: InboxState ): string | null {
	return state.inboxId;
}

/**
 * The search typed.
 *
 * @param state Store state.
 */
export function getSearch( state: InboxState ): string {
	return state.search;
}

/**
 * Counts of every view, once listed.
 *
 * @param state Store state.
 */
export function getCounts( state: InboxState ): InboxCounts | null {
	return state.counts;
}

/**
 * The agent's WordPress user id, once the directory arrived.
 *
 * @param state Store state.
 */
export function getMyId( state: InboxState ): string | null {
	return state.directory?.me.id ?? null;
}

/**
 * The directory (agents, teams, inboxes), once it arrived.
 *
 * @param state Store state.
 */
export function getDirectory( state: InboxState ): InboxDirectory | null {
	return state.directory;
}

/**
 * An agent's presence as last announced.
 *
 * @param state  Store state.
 * @param userId The agent.
 */
export function getPresence(
	state: InboxState,
	userId: string
): AgentPresenceStatus | 'offline' {
	return state.presence[ userId ] ?? 'offline';
}

const agentsCache = new WeakMap<
	InboxState[ 'presence' ],
	{ directory: InboxDirectory | null; result: InboxDirectory[ 'agents' ] }
>();

/**
 * The agents of the directory with their presence as last announced.
 *
 * @param state Store state.
 */
export function getAgents( state: InboxState ): InboxDirectory[ 'agents' ] {
	const cached = agentsCache.get( state.presence );
	if ( cached && cached.directory === state.directory ) {
		return cached.result;
	}
	const result = ( state.directory?.agents ?? [] ).map( ( agent ) => ( {
		...agent,
		status: state.presence[ agent.id ] ?? agent.status,
	} ) );
	agentsCache.set( state.presence, { directory: state.directory, result } );
	return result;
}

/**
 * The agent's own choice: available or away.
 *
 * @param state Store state.
 */
export function getMyStatus( state: InboxState ): AgentPresenceStatus {
	return state.myStatus;
}

type MyLoad = { open: number; capacity: number };
const myLoadCache = new WeakMap<
	NonNullable< InboxState[ 'counts' ] >,
	{ directory: InboxState[ 'directory' ]; result: MyLoad }
>();

/**
 * The agent's open conversations against their capacity. The same object for the same state, so that
 * `useSelect` sees no change (and warns of none) while nothing changed.
 *
 * @param state Store state.
 * @return Both, or null until known.
 */
export function getMyLoad( state: InboxState ): MyLoad | null {
	if ( ! state.directory || ! state.counts ) {
		return null;
	}
	const cached = myLoadCache.get( state.counts );
	if ( cached && cached.directory === state.directory ) {
		return cached.result;
	}
	const result = {
		open: state.counts.mine,
		capacity: state.directory.me.capacity,
	};
	myLoadCache.set( state.counts, { directory: state.directory, result } );
	return result;
}

/**
 * Whether the visitor of a conversation is typing.
 *
 * @param state          Store state.
 * @param conversationId Conversation.
 */
export function isVisitorTyping(
	state: InboxState,
	conversationId: string
): boolean {
	return state.visitorTyping[ conversationId ] === true;
}

/**
 * Highest seq the visitor has read (0: none).
 *
 * @param state          Store state.
 * @param conversationId Conversation.
 */
export function getVisitorReadSeq(
	state: InboxState,
	conversationId: string
): number {
	return state.visitorReadSeq[ conversationId ] ?? 0;
}

/**
 * The context panel's data of a conversation, once loaded.
 *
 * @param state          Store state.
 * @param conversationId Conversation.
 */
export function getContext(
	state: InboxState,
	conversationId: string
): ConversationContext | undefined {
	return state.contexts[ conversationId ];
}

/**
 * Conversations that want this agent's attention: open ones they may see
 * whose visitor waits for an answer, unassigned or assigned to them.
 *
 * @param state Store state.
 * @return Their ids, sorted.
 */
export function getAttentionIds( state: InboxState ): string[] {
	const myId = getMyId( state );
	return Object.keys( state.scopedIds )
		.filter( ( id ) => {
			const conversation = state.conversations[ id ];
			return (
				conversation !== undefined &&
				conversation.status === 'open' &&
				( conversation.waitingSince ?? null ) !== null &&
				( ! conversation.assigneeId ||
					( myId !== null && conversation.assigneeId === myId ) )
			);
		} )
		.sort();
}

/**
 * What the browser allows for notifications.
 *
 * @param state Store state.
 */
export function getNotificationPermission(
	state: InboxState
): NotificationPermissionState {
	return state.notificationPermission;
}
