/**
 * The inbox store's internal notes, mentions and "someone else is
 * replying": a slice of its own (`state.notes`), with its own actions and
 * selectors, beside the rest of the store.
 */
import type {
	AgentTypingIndicator,
	InternalNote,
	MentionItem,
} from '@chatflows/protocol';

export interface NotesState {
	/** Each conversation's notes, ordered by seq, without doubles. */
	byConversation: Record< string, InternalNote[] >;
	/** Notes mentioning this agent, newest first. */
	mentions: MentionItem[];
	/** Whether the service listed the mentions yet. */
	mentionsLoaded: boolean;
	/** Whether the sidebar shows the mentions instead of the conversations. */
	showingMentions: boolean;
	/** Other agents writing, per conversation and agent. */
	agentTyping: Record< string, Record< string, AgentTypingIndicator > >;
}

export const initialNotesState: NotesState = {
	byConversation: {},
	mentions: [],
	mentionsLoaded: false,
	showingMentions: false,
	agentTyping: {},
};

/* ---------- actions ---------- */

/**
 * Notes of a conversation, live or caught up; repeats are ignored.
 *
 * @param conversationId Conversation.
 * @param notes          Notes in any order.
 */
export function receiveNotes( conversationId: string, notes: InternalNote[] ) {
	return { type: 'RECEIVE_NOTES' as const, conversationId, notes };
}

/**
 * The service's list of this agent's mentions.
 *
 * @param mentions Newest first.
 */
export function receiveMentions( mentions: MentionItem[] ) {
	return { type: 'RECEIVE_MENTIONS' as const, mentions };
}

/**
 * A note mentioning this agent, heard live.
 *
 * @param mention The mention.
 */
export function receiveMention( mention: MentionItem ) {
	return { type: 'RECEIVE_MENTION' as const, mention };
}

/** Every mention held is seen. */
export function markMentionsSeenLocally() {
	return { type: 'MENTIONS_SEEN' as const };
}

/**
 * Shows the mentions in the sidebar, or the conversations again.
 *
 * @param showing Whether to show the mentions.
 */
export function showMentions( showing: boolean ) {
	return { type: 'SHOW_MENTIONS' as const, showing };
}

/**
 * Another agent starts or stops writing.
 *
 * @param indicator What the service said.
 */
export function receiveAgentTyping( indicator: AgentTypingIndicator ) {
	return { type: 'RECEIVE_AGENT_TYPING' as const, indicator };
}

export type NotesAction =
	| ReturnType< typeof receiveNotes >
	| ReturnType< typeof receiveMentions >
	| ReturnType< typeof receiveMention >
	| ReturnType< typeof markMentionsSeenLocally >
	| ReturnType< typeof showMentions >
	| ReturnType< typeof receiveAgentTyping >;

/* ---------- reducer ---------- */

function noteKey( note: InternalNote ): string {
	return `${ note.conversationId }:${ note.seq }`;
}

/**
 * The notes slice. Also hears the store's `CLEAR_TYPING` (the connection
 * dropped): nobody shows as writing until told again.
 *
 * @param state  The slice.
 * @param action Any store action.
 */
export function notesReducer(
	state: NotesState = initialNotesState,
	action: NotesAction | { type: string }
): NotesState {
	const typed = action as NotesAction;
	switch ( typed.type ) {
		case 'RECEIVE_NOTES': {
			const held = state.byConversation[ typed.conversationId ] ?? [];
			const bySeq = new Map( held.map( ( note ) => [ note.seq, note ] ) );
			for ( const note of typed.notes ) {
				bySeq.set( note.seq, note );
			}
			if ( bySeq.size === held.length && typed.notes.length === 0 ) {
				return state;
			}
			return {
				...state,
				byConversation: {
					...state.byConversation,
					[ typed.conversationId ]: [ ...bySeq.values() ].sort(
						( a, b ) => a.seq - b.seq
					),
				},
			};
		}
		case 'RECEIVE_MENTIONS':
			return { ...state, mentions: typed.mentions, mentionsLoaded: true };
		case 'RECEIVE_MENTION': {
			const key = noteKey( typed.mention.note );
			if ( state.mentions.some( ( m ) => noteKey( m.note ) === key ) ) {
				return state;
			}
			return { ...state, mentions: [ typed.mention, ...state.mentions ] };
		}
		case 'MENTIONS_SEEN':
			return state.mentions.every( ( mention ) => mention.seen )
				? state
				: {
						...state,
						mentions: state.mentions.map( ( mention ) => ( {
							...mention,
							seen: true,
						} ) ),
					};
		case 'SHOW_MENTIONS':
			return { ...state, showingMentions: typed.showing };
		case 'RECEIVE_AGENT_TYPING': {
			const { conversationId, agentId, typing } = typed.indicator;
			const writers = {
				...( state.agentTyping[ conversationId ] ?? {} ),
			};
			if ( typing ) {
				writers[ agentId ] = typed.indicator;
			} else {
				delete writers[ agentId ];
			}
			return {
				...state,
				agentTyping: {
					...state.agentTyping,
					[ conversationId ]: writers,
				},
			};
		}
		default:
			if ( action.type === 'CLEAR_TYPING' ) {
				return { ...state, agentTyping: {} };
			}
			return state;
	}
}

/* ---------- selectors ---------- */

/** The store's state, as far as these selectors read it. */
export interface WithNotes {
	notes: NotesState;
}

const NO_NOTES: InternalNote[] = [];

/**
 * A conversation's notes, by seq.
 *
 * @param state          The store's state.
 * @param conversationId Conversation.
 */
export function getNotes(
	state: WithNotes,
	conversationId: string
): InternalNote[] {
	return state.notes.byConversation[ conversationId ] ?? NO_NOTES;
}

/**
 * This agent's mentions, newest first.
 *
 * @param state The store's state.
 */
export function getMentions( state: WithNotes ): MentionItem[] {
	return state.notes.mentions;
}

/**
 * How many mentions this agent has not seen.
 *
 * @param state The store's state.
 */
export function getUnseenMentionCount( state: WithNotes ): number {
	return state.notes.mentions.filter( ( mention ) => ! mention.seen ).length;
}

/**
 * Whether the sidebar shows the mentions.
 *
 * @param state The store's state.
 */
export function isShowingMentions( state: WithNotes ): boolean {
	return state.notes.showingMentions;
}

const NOBODY: Record< string, AgentTypingIndicator > = {};

/**
 * The agents writing in a conversation now, by agent (this agent's own
 * other tabs included: leave them out with `othersWriting`).
 *
 * @param state          The store's state.
 * @param conversationId Conversation.
 */
export function getAgentsWriting(
	state: WithNotes,
	conversationId: string
): Record< string, AgentTypingIndicator > {
	return state.notes.agentTyping[ conversationId ] ?? NOBODY;
}

/**
 * The other agents among those writing.
 *
 * @param writers By agent.
 * @param myId    This agent.
 */
export function othersWriting(
	writers: Record< string, AgentTypingIndicator >,
	myId: string | null
): AgentTypingIndicator[] {
	return Object.values( writers ).filter(
		( writer ) => writer.agentId !== myId
	);
}

/**
 * Whether the service listed the mentions yet (those listed then are not news).
 *
 * @param state The store's state.
 */
export function areMentionsLoaded( state: WithNotes ): boolean {
	return state.notes.mentionsLoaded;
}
