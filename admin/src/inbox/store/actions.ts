/**
 * Actions of the inbox store. The socket connection dispatches the `receive*`
 * ones; components dispatch the rest (through the connection when the service
 * must hear of it).
 */
import type {
	AgentPresence,
	AgentPresenceStatus,
	ChatMessage,
	ConversationContext,
	ConversationContextChange,
	ConversationSummary,
	InboxCounts,
	InboxDirectory,
	InboxView,
	PendingMessage,
	ReadReceipt,
	SurveyAnswer,
	TicketDetails,
	TypingIndicator,
} from '@chatflows/protocol';
import type { ConnectionStatus, NotificationPermissionState } from './types';

/**
 * Conversations heard live or listed (merged over what is known of them).
 *
 * @param conversations Conversations.
 */
export function receiveConversations( conversations: ConversationSummary[] ) {
	return { type: 'RECEIVE_CONVERSATIONS' as const, conversations };
}

/**
 * The service's list of one view and search, with every view's count.
 *
 * @param view          The view listed.
 * @param search        The search it was listed with.
 * @param conversations Conversations, in the service's order.
 * @param counts        Counts of every view.
 * @param inboxId       The inbox it was narrowed to, or null for all.
 */
export function receiveView(
	view: InboxView,
	search: string,
	conversations: ConversationSummary[],
	counts: InboxCounts,
	inboxId: string | null = null
) {
	return {
		type: 'RECEIVE_VIEW' as const,
		view,
		search,
		inboxId,
		conversations,
		counts,
	};
}

/**
 * Narrows the views to one of the agent's inboxes (its list comes from the service).
 *
 * @param inboxId The inbox, or null for all of them.
 */
export function setInbox( inboxId: string | null ) {
	return { type: 'SET_INBOX' as const, inboxId };
}

/**
 * Messages of a conversation, live or caught up; repeats are ignored.
 *
 * @param conversationId Conversation.
 * @param messages       Messages in any order.
 */
export function receiveMessages(
	conversationId: string,
	messages: ChatMessage[]
) {
	return { type: 'RECEIVE_MESSAGES' as const, conversationId, messages };
}

/**
 * A reply the agent sent, into the conversation's outbox until the service
 * stored it (its client id stays the same across retries).
 *
 * @param conversationId Conversation.
 * @param reply          The reply.
 */
export function queueReply( conversationId: string, reply: PendingMessage ) {
	return { type: 'QUEUE_REPLY' as const, conversationId, reply };
}

/**
 * A reply the service refused for good leaves the outbox.
 *
 * @param conversationId Conversation.
 * @param clientId       The reply's client id.
 */
export function dropReply( conversationId: string, clientId: string ) {
	return { type: 'DROP_REPLY' as const, conversationId, clientId };
}

/**
 * Opens a conversation in the inbox.
 *
 * @param conversationId Conversation, or null for none.
 */
export function selectConversation( conversationId: string | null ) {
	return { type: 'SELECT_CONVERSATION' as const, conversationId };
}

/**
 * Shows another view (its list comes from the service).
 *
 * @param view The view.
 */
export function setView( view: InboxView ) {
	return { type: 'SET_VIEW' as const, view };
}

/**
 * The search typed (its list comes from the service).
 *
 * @param search Text.
 */
export function setSearch( search: string ) {
	return { type: 'SET_SEARCH' as const, search };
}

/**
 * The state of the live connection.
 *
 * @param status Status.
 * @param error  A message to show, if the connection failed.
 */
export function setConnectionStatus(
	status: ConnectionStatus,
	error: string | null = null
) {
	return { type: 'SET_CONNECTION_STATUS' as const, status, error };
}

/**
 * The agent, the agents and teams, and the agent's inboxes.
 *
 * @param directory As the service sent it.
 */
export function receiveDirectory( directory: InboxDirectory ) {
	return { type: 'RECEIVE_DIRECTORY' as const, directory };
}

/**
 * An agent connected, disconnected or changed presence.
 *
 * @param presence Who and how.
 */
export function receivePresence( presence: AgentPresence ) {
	return { type: 'RECEIVE_PRESENCE' as const, presence };
}

/**
 * This agent's own choice of presence.
 *
 * @param status Available or away.
 */
export function setMyStatus( status: AgentPresenceStatus ) {
	return { type: 'SET_MY_STATUS' as const, status };
}

/**
 * The visitor starts or stops typing.
 *
 * @param indicator Conversation and whether typing.
 */
export function receiveTyping( indicator: TypingIndicator ) {
	return { type: 'RECEIVE_TYPING' as const, indicator };
}

/** The connection dropped: no visitor is shown typing until the service says so again. */
export function clearTyping() {
	return { type: 'CLEAR_TYPING' as const };
}

/**
 * Someone read a conversation up to a seq.
 *
 * @param receipt Who and how far.
 */
export function receiveRead( receipt: ReadReceipt ) {
	return { type: 'RECEIVE_READ' as const, receipt };
}

/**
 * The context panel's data of a conversation.
 *
 * @param context As the service sent it.
 */
export function receiveContext( context: ConversationContext ) {
	return { type: 'RECEIVE_CONTEXT' as const, context };
}

/**
 * A conversation's context changed on the service (a consent, the contact).
 * The one shown keeps its context until the fresh one arrives (the
 * connection asks for it); another's is forgotten, to load when selected.
 *
 * @param change Which conversation, and why.
 */
export function receiveContextChange( change: ConversationContextChange ) {
	return { type: 'RECEIVE_CONTEXT_CHANGE' as const, change };
}

/**
 * A ticket changed.
 *
 * @param ticket The ticket now.
 */
export function receiveTicket( ticket: TicketDetails ) {
	return { type: 'RECEIVE_TICKET' as const, ticket };
}

/**
 * A visitor answered the survey.
 *
 * @param answer     The answer.
 * @param answeredAt When it arrived.
 */
export function receiveSurveyAnswer(
	answer: SurveyAnswer,
	answeredAt: string
) {
	return { type: 'RECEIVE_SURVEY_ANSWER' as const, answer, answeredAt };
}

/**
 * What the browser now allows for notifications.
 *
 * @param permission The permission.
 */
export function setNotificationPermission(
	permission: NotificationPermissionState
) {
	return { type: 'SET_NOTIFICATION_PERMISSION' as const, permission };
}

export type InboxAction =
	| ReturnType< typeof receiveConversations >
	| ReturnType< typeof receiveView >
	| ReturnType< typeof receiveMessages >
	| ReturnType< typeof queueReply >
	| ReturnType< typeof dropReply >
	| ReturnType< typeof selectConversation >
	| ReturnType< typeof setView >
	| ReturnType< typeof setSearch >
	| ReturnType< typeof setInbox >
	| ReturnType< typeof setConnectionStatus >
	| ReturnType< typeof receiveDirectory >
	| ReturnType< typeof receivePresence >
	| ReturnType< typeof setMyStatus >
	| ReturnType< typeof receiveTyping >
	| ReturnType< typeof clearTyping >
	| ReturnType< typeof receiveRead >
	| ReturnType< typeof receiveContext >
	| ReturnType< typeof receiveContextChange >
	| ReturnType< typeof receiveTicket >
	| ReturnType< typeof receiveSurveyAnswer >
	| ReturnType< typeof setNotificationPermission >;
