/**
 * The inbox's side of internal notes, mentions and "someone else is
 * replying", over the agent's socket: feeds the store's notes slice and
 * carries the agent's notes to the service. After every (re)connection it
 * catches up on the open conversation's notes (by seq, as messages do) and
 * lists the mentions again.
 */
import type { Socket } from 'socket.io-client';
import { dispatch, select } from '@wordpress/data';

import {
	type Ack,
	type AgentClientToServerEvents,
	type AgentServerToClientEvents,
	type ComposeMode,
	type InternalNote,
	gapFreeSeq,
	type MentionTarget,
	newClientId,
} from '@chatflows/protocol';

type AgentSocket = Socket<
	AgentServerToClientEvents,
	AgentClientToServerEvents
>;
import { store } from './store';

/** Asks the service (the connection's plumbing: timeout, no answer). */
export type Ask = < E extends keyof AgentClientToServerEvents >(
	event: E,
	payload: Parameters< AgentClientToServerEvents[ E ] >[ 0 ]
) => Promise<
	Parameters< Parameters< AgentClientToServerEvents[ E ] >[ 1 ] >[ 0 ]
>;

export class NotesChannel {
	/**
	 * @param socket    The agent socket (connecting or connected).
	 * @param ask       Asks the service.
	 * @param setTyping The connection's typing indicator.
	 */
	constructor(
		private readonly socket: AgentSocket,
		private readonly ask: Ask,
		private readonly setTyping: (
			conversationId: string,
			typing: boolean,
			mode: ComposeMode
		) => void
	) {
		this.listen();
	}

	/**
	 * Writes a note; resolves once the service stored it.
	 *
	 * @param conversationId Conversation.
	 * @param body           Plain text.
	 * @param mentions       Agents and teams it mentions.
	 */
	async send(
		conversationId: string,
		body: string,
		mentions: MentionTarget[]
	): Promise< Ack< { note: InternalNote } > > {
		this.setTyping( conversationId, false, 'note' );
		const response = await this.ask( 'note:send', {
			conversationId,
			clientId: newClientId(),
			body,
			mentions,
		} );
		if ( response.ok ) {
			dispatch( store ).receiveNotes( conversationId, [
				response.data.note,
			] );
		}
		return response;
	}

	/**
	 * Loads the notes after those held.
	 *
	 * @param conversationId Conversation.
	 */
	async load( conversationId: string ): Promise< void > {
		const response = await this.ask( 'conversation:notes', {
			conversationId,
			afterSeq: gapFreeSeq( select( store ).getNotes( conversationId ) ),
		} );
		if ( response.ok ) {
			dispatch( store ).receiveNotes(
				conversationId,
				response.data.notes
			);
		}
	}

	/** Lists this agent's mentions. */
	async loadMentions(): Promise< void > {
		const response = await this.ask( 'mentions:list', {} );
		if ( response.ok ) {
			dispatch( store ).receiveMentions( response.data.mentions );
		}
	}

	/** Marks every mention seen (the agent opened the mentions view). */
	async markMentionsSeen(): Promise< void > {
		if ( select( store ).getUnseenMentionCount() === 0 ) {
			return;
		}
		dispatch( store ).markMentionsSeenLocally();
		await this.ask( 'mentions:seen', {} );
	}

	private listen(): void {
		const actions = dispatch( store );
		this.socket.on( 'connect', () => {
			void this.loadMentions();
			const selected = select( store ).getSelectedConversationId();
			if ( selected ) {
				void this.load( selected );
			}
		} );
		this.socket.on( 'note:new', ( note ) => {
			const held = select( store ).getNotes( note.conversationId );
			actions.receiveNotes( note.conversationId, [ note ] );
			// A note heard past a hole: a broadcast was lost, catch up.
			if ( note.seq > gapFreeSeq( held ) + 1 ) {
				void this.load( note.conversationId );
			}
			actions.receiveAgentTyping( {
				conversationId: note.conversationId,
				agentId: note.authorId,
				agentName: note.authorName,
				typing: false,
				mode: 'note',
			} );
		} );
		this.socket.on( 'mention:new', ( mention ) =>
			actions.receiveMention( mention )
		);
		this.socket.on( 'agent:typing', ( indicator ) =>
			actions.receiveAgentTyping( indicator )
		);
	}
}
