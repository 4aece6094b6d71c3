/**
 * Which form the chat window shows, from the chat's state and the chatflow's
 * settings (pure, so every combination is tested).
 */
import type { PublicChatflowSettings } from '../page-settings';
import type { AvailabilityView } from './availability-view';
import type { VisitorChatState } from './visitor-chat';

/**
 * - `offline`: the offline form (message and e-mail address);
 * - `email_first`: e-mail capture before the first message;
 * - `compose`: the message box;
 * - `unavailable`: nothing (the service refuses this chatflow).
 */
export type ComposerMode =
	'offline' | 'email_first' | 'compose' | 'unavailable';

/**
 * What the bottom of the window shows.
 *
 * @param state        The chat's state.
 * @param availability What the availability means for the window.
 * @param emailCapture The chatflow's e-mail capture settings.
 * @param knownContact The browser remembers that the visitor gave an address before.
 */
export function composerMode(
	state: VisitorChatState,
	availability: AvailabilityView,
	emailCapture: PublicChatflowSettings[ 'emailCapture' ] | undefined,
	knownContact: boolean
): ComposerMode {
	if ( state.status === 'unavailable' ) {
		return 'unavailable';
	}
	const conversationOpen = state.conversation?.status === 'open';
	const startsConversation =
		! conversationOpen &&
		state.pending.length === 0 &&
		! state.leftOfflineMessage;
	if (
		startsConversation &&
		( state.status === 'unreachable' || availability.offlineForm )
	) {
		return 'offline';
	}
	if (
		emailCapture?.enabled &&
		emailCapture.when === 'before_chat' &&
		! knownContact &&
		state.contact === 'none' &&
		state.messages.length === 0 &&
		state.pending.length === 0
	) {
		return 'email_first';
	}
	return 'compose';
}

/**
 * Whether to ask for the e-mail address below the conversation, after the
 * visitor's first message.
 *
 * @param state        The chat's state.
 * @param emailCapture The chatflow's e-mail capture settings.
 * @param knownContact The browser remembers that the visitor gave an address before.
 */
export function asksEmailAfterFirstMessage(
	state: VisitorChatState,
	emailCapture: PublicChatflowSettings[ 'emailCapture' ] | undefined,
	knownContact: boolean
): boolean {
	return (
		!! emailCapture?.enabled &&
		emailCapture.when === 'after_first_message' &&
		! knownContact &&
		state.contact !== 'saved' &&
		! state.leftOfflineMessage &&
		state.messages.some( ( message ) => message.authorType === 'visitor' )
	);
}

/**
 * The seq of the visitor's last message the team has read, 0 for none: it
 * carries the "Seen" mark.
 *
 * @param state The chat's state.
 */
export function seenVisitorSeq( state: VisitorChatState ): number {
	let seen = 0;
	for ( const message of state.messages ) {
		if (
			message.authorType === 'visitor' &&
			message.seq <= state.agentReadSeq
		) {
			seen = message.seq;
		}
	}
	return seen;
}

/**
 * What the visitor already did after the conversation closed: answered or
 * skipped the survey, gave or skipped the e-mail address, chose to write again.
 */
export interface ClosedStepsDone {
	survey?: boolean;
	email?: boolean;
	restart?: boolean;
}

/**
 * After a conversation closes, one next step at a time: the survey, then the
 * e-mail request, then "start a new conversation"; null once the visitor
 * chose to write again (or while the conversation is not closed).
 *
 * @param state     The chat's state.
 * @param asksEmail Whether the e-mail address is still asked for.
 * @param done      What the visitor already did.
 */
export function closedStep(
	state: VisitorChatState,
	asksEmail: boolean,
	done: ClosedStepsDone
): 'survey' | 'email' | 'ended' | null {
	if ( state.conversation?.status !== 'closed' || state.pending.length > 0 ) {
		return null;
	}
	if ( state.survey && ! state.survey.answered && ! done.survey ) {
		return 'survey';
	}
	if ( asksEmail && ! done.email ) {
		return 'email';
	}
	return done.restart ? null : 'ended';
}
