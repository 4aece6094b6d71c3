/**
 * The agent's live connection to the chat service. It asks WordPress for a
 * short-lived token on every (re)connection, feeds the inbox store, and
 * carries the agent's actions to the service. After every (re)connection it
 * lists again and catches up on the open conversation; a live message or
 * update that shows the open conversation misses messages asks for them.
 */
import { io, type Socket } from 'socket.io-client';

import apiFetch from '@wordpress/api-fetch';
import { dispatch, select } from '@wordpress/data';
import { __ } from '@wordpress/i18n';

import {
	type Ack,
	AGENT_NAMESPACE,
	type AgentClientToServerEvents,
	type AgentPresenceStatus,
	type AgentServerToClientEvents,
	CatchUp,
	type CatchUpAnswer,
	type ChatMessage,
	type ComposeMode,
	type ConnectErrorData,
	type ConversationSummary,
	gapFreeSeq,
	type InboxView,
	lastSeq,
	missesMessages,
	newClientId,
	RECONNECTION,
	retryDelayMs,
	type TicketDetails,
	type TicketProperties,
} from '@chatflows/protocol';
import { store } from './store';
import { NotesChannel } from './notes-channel';

export type AgentSocket = Socket<
	AgentServerToClientEvents,
	AgentClientToServerEvents
>;

export interface AgentTokenResponse {
	token: string;
	expires_at: string;
	/** Seconds the token lives from when WordPress signed it (immune to the browser's clock). */
	expires_in?: number;
	service: string;
}

/** The token is renewed on the open connection this long before it expires (at most half its life). */
export const RENEW_AHEAD_MS = 60_000;

/** After a renewal failed, it is tried again this much later (while the token lasts). */
export const RENEW_RETRY_MS = 10_000;

/**
 * How long a token lives from now.
 *
 * @param response WordPress's answer.
 * @param now      The browser's clock, in milliseconds.
 * @return Milliseconds.
 */
function lifetimeMs( response: AgentTokenResponse, now: number ): number {
	if ( typeof response.expires_in === 'number' ) {
		return response.expires_in * 1000;
	}
	return Date.parse( response.expires_at ) - now;
}

/** Where the agent's choice of presence is kept across reloads. */
export const PRESENCE_STORAGE_KEY = 'chatflows-inbox-presence';

const ACK_TIMEOUT_MS = 10_000;

/** Live updates arrive for every change; the lists are fetched again at most this often. */
export const REFRESH_DELAY_MS = 300;

/** A typing indicator is resent at most this often while the agent types. */
const TYPING_REPEAT_MS = 2000;

/** Typing stops being shown this long after the last keystroke. */
const TYPING_IDLE_MS = 4000;

const noAnswer = (): Ack< never > => ( {
	ok: false,
	error: {
		code: 'internal',
		message: __(
			'The chat service did not answer. Try again.',
			'chatflows'
		),
	},
} );

function fetchAgentToken(): Promise< AgentTokenResponse > {
	return apiFetch< AgentTokenResponse >( {
		path: '/chatflows/v1/agent-token',
		method: 'POST',
	} );
}

/**
 * The presence the agent chose last in this browser.
 *
 * @param storage Where it is kept.
 * @return Available unless they chose away.
 */
export function savedPresence(
	storage: Pick< Storage, 'getItem' > | null
): AgentPresenceStatus {
	try {
		return storage?.getItem( PRESENCE_STORAGE_KEY ) === 'away'
			? 'away'
			: 'available';
	} catch {
		return 'available';
	}
}

function browserStorage(): Storage | null {
	try {
		return window.localStorage;
	} catch {
		return null;
	}
}

/** The acknowledgement of an event. */
type AnswerOf< E extends keyof AgentClientToServerEvents > = Parameters<
	Parameters< AgentClientToServerEvents[ E ] >[ 1 ]
>[ 0 ];

/** Where the inbox store lives: `@wordpress/data`'s registry, or another one. */
export interface InboxData {
	select: typeof select;
	dispatch: typeof dispatch;
}

/** Where a conversation is handed: an agent or a team. */
export type TransferTarget = { agentId: string } | { teamId: string };

/**
 * A live connection for one inbox page.
 */
export class InboxConnection {
	private refreshTimer: ReturnType< typeof setTimeout > | null = null;

	/** Lists the views, one request at a time, again when unanswered. */
	private readonly lists = new CatchUp( {
		ask: () => this.list(),
		behind: () => false,
		position: () => 0,
		canAsk: () => this.socket.connected,
	} );

	/** Catch-ups of conversations' messages, per conversation. */
	private readonly catchUps = new Map< string, CatchUp >();

	/** Each conversation's outbox: one send in flight, and its retry. */
	private readonly outboxes = new Map<
		string,
		{
			flushing: boolean;
			unanswered: number;
			retry: ReturnType< typeof setTimeout > | undefined;
		}
	>();

	/** Who waits for each reply in an outbox, by client id. */
	private readonly replyWaiters = new Map<
		string,
		{
			conversationId: string;
			resolve: ( answer: Ack< { message: ChatMessage } > ) => void;
		}
	>();

	private readonly typingSentAt = new Map< string, number >();

	private readonly typingStop = new Map<
		string,
		ReturnType< typeof setTimeout >
	>();

	private readonly readUpTo = new Map< string, number >();

	/** Context loads under way, per conversation: `again` when asked for once more meanwhile. */
	private readonly contextLoads = new Map<
		string,
		{ again: boolean; done: Promise< void > }
	>();

	/** When the token of this connection expires (browser clock, ms); null before one is known. */
	private tokenExpiresAt: number | null = null;

	private renewTimer: ReturnType< typeof setTimeout > | null = null;

	/** Internal notes, mentions and other agents writing. */
	readonly notes: NotesChannel;

	/**
	 * Wires a socket to the store. `open()` does this for the page; tests
	 * pass a stand-in socket.
	 *
	 * @param socket     The agent socket (connecting or connected).
	 * @param storage    Where the presence choice is kept.
	 * @param fetchToken Asks WordPress for a fresh token, to renew the open connection's.
	 * @param data       The registry holding the inbox store: the page's
	 *                   (several agents in one process each bring their own).
	 */
	constructor(
		private readonly socket: AgentSocket,
		private readonly storage: Pick< Storage, 'getItem' | 'setItem' > | null,
		private readonly fetchToken: () => Promise< AgentTokenResponse > = fetchAgentToken,
		private readonly data: InboxData = { select, dispatch }
	) {
		this.data.dispatch( store ).setMyStatus( savedPresence( storage ) );
		this.listen();
		this.notes = new NotesChannel(
			socket,
			( event, payload ) => this.ask( event, payload ),
			( conversationId, typing, mode ) =>
				this.setTyping( conversationId, typing, mode )
		);
	}

	/**
	 * Fetches a token, then connects.
	 *
	 * @return The connection, or null when WordPress refused a token (the store says why).
	 */
	static async open(): Promise< InboxConnection | null > {
		let first: AgentTokenResponse | null;
		try {
			first = await fetchAgentToken();
		} catch ( error ) {
			dispatch( store ).setConnectionStatus(
				'failed',
				( error as { message?: string } ).message ??
					__(
						'Could not get access to the chat service.',
						'chatflows'
					)
			);
			return null;
		}
		let connection: InboxConnection | null = null;
		const socket: AgentSocket = io( first.service + AGENT_NAMESPACE, {
			...RECONNECTION,
			auth: ( send ) => {
				// The first connection uses the token just fetched; every later one gets a fresh one.
				const ready = first
					? Promise.resolve( first )
					: fetchAgentToken();
				first = null;
				// The agent's last choice, so nothing is assigned while they come back away.
				const presence = select( store ).getMyStatus();
				ready
					.then( ( response ) => {
						connection?.useToken( response );
						send( { token: response.token, presence } );
					} )
					.catch( () => send( { token: '', presence } ) );
			},
		} );
		connection = new InboxConnection( socket, browserStorage() );
		return connection;
	}

	/* ---------- lists ---------- */

	/**
	 * Lists the view shown (and the open view, which tells what needs the
	 * agent's attention) with every view's count.
	 */
	refresh(): Promise< void > {
		return this.lists.request();
	}

	/** Refreshes soon; many updates in a row cost one refresh. */
	scheduleRefresh(): void {
		if ( this.refreshTimer === null ) {
			this.refreshTimer = setTimeout( () => {
				this.refreshTimer = null;
				void this.refresh();
			}, REFRESH_DELAY_MS );
		}
	}

	private async list(): Promise< CatchUpAnswer > {
		const { getView, getSearch, getInboxId } = this.data.select( store );
		const view = getView();
		const search = getSearch().trim();
		const inboxId = getInboxId();
		const queries: Array< {
			view: InboxView;
			search: string;
			inboxId: string | null;
		} > = [ { view, search, inboxId } ];
		if ( view !== 'open' || search !== '' || inboxId !== null ) {
			queries.push( { view: 'open', search: '', inboxId: null } );
		}
		const answers = await Promise.all(
			queries.map( async ( query ) => {
				const response = await this.askOrNull( 'inbox:list', {
					view: query.view,
					...( query.search !== '' ? { search: query.search } : {} ),
					...( query.inboxId !== null
						? { inboxId: query.inboxId }
						: {} ),
				} );
				if ( response?.ok ) {
					this.data
						.dispatch( store )
						.receiveView(
							query.view,
							query.search,
							response.data.conversations,
							response.data.counts,
							query.inboxId
						);
				}
				return response !== null;
			} )
		);
		// The open conversation's last message, as listed, may be one it misses.
		const selected = this.data.select( store ).getSelectedConversationId();
		if ( selected ) {
			this.catchUpIfBehind( selected );
		}
		return answers.every( Boolean ) ? 'answered' : 'unanswered';
	}

	/**
	 * Shows another view.
	 *
	 * @param view The view.
	 */
	showView( view: InboxView ): Promise< void > {
		this.data.dispatch( store ).setView( view );
		return this.refresh();
	}

	/**
	 * Narrows the views to one of the agent's inboxes.
	 *
	 * @param inboxId The inbox, or null for all of them.
	 */
	showInbox( inboxId: string | null ): Promise< void > {
		this.data.dispatch( store ).setInbox( inboxId );
		return this.refresh();
	}

	/**
	 * Searches by the visitor's e-mail or a message's text.
	 *
	 * @param text What to find ('' for everything).
	 */
	search( text: string ): Promise< void > {
		this.data.dispatch( store ).setSearch( text.trim() );
		return this.refresh();
	}

	/** Loads the directory: the agent, agents with presence, teams, inboxes. */
	async loadDirectory(): Promise< void > {
		const response = await this.ask( 'inbox:directory', {} );
		if ( response.ok ) {
			this.data.dispatch( store ).receiveDirectory( response.data );
		}
	}

	/* ---------- one conversation ---------- */

	/**
	 * Loads the messages of a conversation that this tab does not have yet:
	 * those after the last one held with none missing before it (messages
	 * heard live before it was opened may leave holes), until none is missing.
	 *
	 * @param conversationId Conversation.
	 */
	loadMessages( conversationId: string ): Promise< void > {
		let catchUp = this.catchUps.get( conversationId );
		if ( ! catchUp ) {
			const held = () =>
				this.data.select( store ).getMessages( conversationId );
			catchUp = new CatchUp( {
				ask: () => this.fetchMessages( conversationId ),
				behind: () => this.missesAny( conversationId ),
				position: () => gapFreeSeq( held() ),
				canAsk: () => this.socket.connected,
			} );
			this.catchUps.set( conversationId, catchUp );
		}
		return catchUp.request();
	}

	private async fetchMessages(
		conversationId: string
	): Promise< CatchUpAnswer > {
		const response = await this.askOrNull( 'conversation:messages', {
			conversationId,
			afterSeq: gapFreeSeq(
				this.data.select( store ).getMessages( conversationId )
			),
		} );
		if ( ! response ) {
			return 'unanswered';
		}
		if ( ! response.ok ) {
			return 'refused';
		}
		this.data
			.dispatch( store )
			.receiveMessages( conversationId, response.data.messages );
		this.settleStoredReplies( conversationId );
		return 'answered';
	}

	/**
	 * Catches up on the open conversation when it misses messages: a hole
	 * among those held, or a newer last message listed than held. Others
	 * catch up when opened.
	 *
	 * @param conversationId The conversation heard of.
	 */
	private catchUpIfBehind( conversationId: string ): void {
		if (
			this.data.select( store ).getSelectedConversationId() ===
				conversationId &&
			this.missesAny( conversationId )
		) {
			void this.loadMessages( conversationId );
		}
	}

	/**
	 * Whether a conversation misses messages: a hole among those held, or a
	 * newer last message listed or heard than held.
	 *
	 * @param conversationId Conversation.
	 */
	private missesAny( conversationId: string ): boolean {
		const { getMessages, getConversation } = this.data.select( store );
		const held = getMessages( conversationId );
		return missesMessages(
			held,
			Math.max(
				lastSeq( held ),
				getConversation( conversationId )?.lastMessage?.seq ?? 0
			)
		);
	}

	/**
	 * Loads the visitor's context, earlier conversations, ticket, survey and
	 * consents. One request at a time per conversation: asked again while one
	 * is under way, it asks once more after it, so the last answer stored is
	 * never older than the last request (a burst of changes costs two).
	 *
	 * @param conversationId Conversation.
	 */
	loadContext( conversationId: string ): Promise< void > {
		const running = this.contextLoads.get( conversationId );
		if ( running ) {
			running.again = true;
			return running.done;
		}
		const load = { again: false, done: Promise.resolve() };
		const fetchUntilCurrent = async () => {
			try {
				do {
					load.again = false;
					const response = await this.ask( 'conversation:context', {
						conversationId,
					} );
					if ( response.ok ) {
						this.data
							.dispatch( store )
							.receiveContext( response.data );
					}
				} while ( load.again );
			} finally {
				// In the same step as the last check: no request slips between.
				this.contextLoads.delete( conversationId );
			}
		};
		// Set before its first answer can arrive: asking always waits.
		load.done = fetchUntilCurrent();
		this.contextLoads.set( conversationId, load );
		return load.done;
	}

	/**
	 * Sends a reply through the conversation's outbox, as the widget sends:
	 * one client id for the reply, kept across retries (the service stores
	 * it once); one send in flight per conversation, in the order typed; an
	 * acknowledgement that does not come on an open connection is retried
	 * after a backoff, a dropped connection sends again on reconnecting.
	 *
	 * @param conversationId Conversation.
	 * @param body           Plain text.
	 * @return Resolves once the service stored it (however that was heard) or refused it.
	 */
	reply(
		conversationId: string,
		body: string
	): Promise< Ack< { message: ChatMessage } > > {
		this.setTyping( conversationId, false );
		const clientId = newClientId();
		const done = new Promise< Ack< { message: ChatMessage } > >(
			( resolve ) =>
				this.replyWaiters.set( clientId, { conversationId, resolve } )
		);
		this.data.dispatch( store ).queueReply( conversationId, {
			clientId,
			body,
		} );
		void this.flushReplies( conversationId );
		return done;
	}

	/**
	 * Sends a conversation's outbox, one acknowledgement at a time.
	 *
	 * @param conversationId Conversation.
	 */
	private async flushReplies( conversationId: string ): Promise< void > {
		const outbox = this.outboxes.get( conversationId ) ?? {
			flushing: false,
			unanswered: 0,
			retry: undefined,
		};
		this.outboxes.set( conversationId, outbox );
		if ( outbox.flushing ) {
			return;
		}
		outbox.flushing = true;
		clearTimeout( outbox.retry );
		let answered = true;
		try {
			while ( this.socket.connected ) {
				const [ next ] = this.data
					.select( store )
					.getPendingReplies( conversationId );
				if ( ! next ) {
					break;
				}
				const response = await this.askOrNull( 'message:send', {
					conversationId,
					...next,
				} );
				if ( ! response ) {
					// No answer: kept, sent again with the same client id.
					answered = false;
					break;
				}
				if ( response.ok ) {
					this.data
						.dispatch( store )
						.receiveMessages( conversationId, [
							response.data.message,
						] );
				} else {
					this.data
						.dispatch( store )
						.dropReply( conversationId, next.clientId );
				}
				this.settleReply( next.clientId, response );
			}
		} finally {
			outbox.flushing = false;
		}
		if ( answered ) {
			outbox.unanswered = 0;
		} else if ( this.socket.connected ) {
			outbox.retry = setTimeout(
				() => void this.flushReplies( conversationId ),
				retryDelayMs( outbox.unanswered++ )
			);
		}
	}

	/**
	 * Tells whoever waits for a reply how it ended.
	 *
	 * @param clientId The reply's client id.
	 * @param answer   Stored, or refused.
	 */
	private settleReply(
		clientId: string,
		answer: Ack< { message: ChatMessage } >
	): void {
		this.replyWaiters.get( clientId )?.resolve( answer );
		this.replyWaiters.delete( clientId );
	}

	/**
	 * Replies stored but heard of otherwise than by their acknowledgement
	 * (a broadcast, a catch-up) are done too.
	 *
	 * @param conversationId Conversation.
	 */
	private settleStoredReplies( conversationId: string ): void {
		const held = this.data.select( store ).getMessages( conversationId );
		for ( const [ clientId, waiter ] of this.replyWaiters ) {
			const message =
				waiter.conversationId === conversationId
					? held.find( ( item ) => item.clientId === clientId )
					: undefined;
			if ( message ) {
				this.settleReply( clientId, { ok: true, data: { message } } );
			}
		}
	}

	/**
	 * Takes a conversation. One the agent saw unassigned is claimed: atomic,
	 * so when another agent was quicker this one is told, never silently
	 * overrides. One the agent saw with someone else is taken over.
	 *
	 * @param conversationId Conversation.
	 * @param seenAssigneeId Who had it on the agent's screen when they chose.
	 * @return Null, or why it failed.
	 */
	assignToMe(
		conversationId: string,
		seenAssigneeId: string | null
	): Promise< string | null > {
		const myId = this.data.select( store ).getMyId();
		if ( seenAssigneeId && myId ) {
			return this.changed(
				this.ask( 'conversation:assign', {
					conversationId,
					agentId: myId,
				} )
			);
		}
		return this.changed(
			this.ask( 'conversation:claim', { conversationId } )
		);
	}

	/**
	 * Hands a conversation to another agent or a team.
	 *
	 * @param conversationId Conversation.
	 * @param target         The agent or team.
	 * @return Null, or why it failed.
	 */
	transfer(
		conversationId: string,
		target: TransferTarget
	): Promise< string | null > {
		return this.changed(
			this.ask( 'conversation:transfer', {
				conversationId,
				...target,
			} as Parameters<
				AgentClientToServerEvents[ 'conversation:transfer' ]
			>[ 0 ] )
		);
	}

	/**
	 * Closes a conversation.
	 *
	 * @param conversationId Conversation.
	 * @return Null, or why it failed.
	 */
	close( conversationId: string ): Promise< string | null > {
		return this.changed(
			this.ask( 'conversation:close', { conversationId } )
		);
	}

	/**
	 * Reopens a closed conversation.
	 *
	 * @param conversationId Conversation.
	 * @return Null, or why it failed.
	 */
	reopen( conversationId: string ): Promise< string | null > {
		return this.changed(
			this.ask( 'conversation:reopen', { conversationId } )
		);
	}

	/**
	 * Changes ticket properties.
	 *
	 * @param conversationId Conversation.
	 * @param properties     Only those to change.
	 */
	async updateTicket(
		conversationId: string,
		properties: Partial< TicketProperties >
	): Promise< Ack< { ticket: TicketDetails } > > {
		const response = await this.ask( 'ticket:update', {
			conversationId,
			properties,
		} );
		if ( response.ok ) {
			this.data.dispatch( store ).receiveTicket( response.data.ticket );
		}
		return response;
	}

	/**
	 * Tells the visitor the agent types a reply, and the other agents of a
	 * reply or a note (repeated while typing, stopped when idle or sent).
	 *
	 * @param conversationId Conversation.
	 * @param typing         Whether typing.
	 * @param mode           A reply (the visitor hears of it) or a note.
	 */
	setTyping(
		conversationId: string,
		typing: boolean,
		mode: ComposeMode = 'reply'
	): void {
		const key =
			mode === 'reply' ? conversationId : `${ conversationId }:${ mode }`;
		const stop = this.typingStop.get( key );
		if ( stop ) {
			clearTimeout( stop );
			this.typingStop.delete( key );
		}
		const sentAt = this.typingSentAt.get( key ) ?? 0;
		if ( typing ) {
			this.typingStop.set(
				key,
				setTimeout(
					() => this.setTyping( conversationId, false, mode ),
					TYPING_IDLE_MS
				)
			);
			if ( Date.now() - sentAt < TYPING_REPEAT_MS ) {
				return;
			}
			this.typingSentAt.set( key, Date.now() );
		} else {
			if ( sentAt === 0 ) {
				return;
			}
			this.typingSentAt.delete( key );
		}
		void this.ask(
			'typing',
			mode === 'reply'
				? { conversationId, typing }
				: { conversationId, typing, mode }
		);
	}

	/**
	 * Marks a conversation read up to a seq (once per seq).
	 *
	 * @param conversationId Conversation.
	 * @param seq            The newest message seen.
	 */
	async markRead( conversationId: string, seq: number ): Promise< void > {
		if ( seq <= ( this.readUpTo.get( conversationId ) ?? 0 ) ) {
			return;
		}
		this.readUpTo.set( conversationId, seq );
		const response = await this.ask( 'conversation:read', {
			conversationId,
			seq,
		} );
		if ( response.ok ) {
			this.data.dispatch( store ).receiveRead( {
				conversationId,
				reader: 'agent',
				seq,
			} );
		}
	}

	/* ---------- the agent ---------- */

	/**
	 * Sets the agent available or away, and keeps the choice for next time.
	 *
	 * @param status Available or away.
	 * @return Null, or why it failed.
	 */
	async setPresence( status: AgentPresenceStatus ): Promise< string | null > {
		const response = await this.ask( 'agent:presence', { status } );
		if ( ! response.ok ) {
			return response.error.message;
		}
		this.data.dispatch( store ).setMyStatus( status );
		try {
			this.storage?.setItem( PRESENCE_STORAGE_KEY, status );
		} catch {
			// Private modes may refuse storage: the choice then lasts for this page.
		}
		return null;
	}

	/* ---------- the token ---------- */

	/**
	 * The token the (next) connection presents: the connection is renewed
	 * ahead of its expiry.
	 *
	 * @param response WordPress's answer.
	 */
	useToken( response: AgentTokenResponse ): void {
		this.tokenExpiresAt = Date.now() + lifetimeMs( response, Date.now() );
	}

	/**
	 * Renews the open connection's token shortly before it expires.
	 * @param delay
	 */
	private scheduleRenewal( delay: number | null = null ): void {
		this.cancelRenewal();
		if ( this.tokenExpiresAt === null ) {
			return;
		}
		const remaining = this.tokenExpiresAt - Date.now();
		this.renewTimer = setTimeout(
			() => void this.renew(),
			delay ??
				Math.max(
					0,
					remaining - Math.min( RENEW_AHEAD_MS, remaining / 2 )
				)
		);
	}

	private cancelRenewal(): void {
		if ( this.renewTimer !== null ) {
			clearTimeout( this.renewTimer );
			this.renewTimer = null;
		}
	}

	private async renew(): Promise< void > {
		this.renewTimer = null;
		let response: AgentTokenResponse;
		try {
			response = await this.fetchToken();
		} catch {
			// No longer allowed, or WordPress unreachable: the service ends the
			// connection at expiry, and reconnecting tells the agent why.
			this.retryRenewal();
			return;
		}
		const answer = await this.ask( 'auth:renew', {
			token: response.token,
		} );
		if ( answer.ok ) {
			this.useToken( response );
			this.scheduleRenewal();
		} else {
			this.retryRenewal();
		}
	}

	private retryRenewal(): void {
		if (
			this.socket.connected &&
			this.tokenExpiresAt !== null &&
			this.tokenExpiresAt - Date.now() > RENEW_RETRY_MS
		) {
			this.scheduleRenewal( RENEW_RETRY_MS );
		}
	}

	/** Disconnects for good. */
	disconnect(): void {
		this.cancelRenewal();
		this.lists.stop();
		for ( const catchUp of this.catchUps.values() ) {
			catchUp.stop();
		}
		if ( this.refreshTimer !== null ) {
			clearTimeout( this.refreshTimer );
		}
		for ( const timer of this.typingStop.values() ) {
			clearTimeout( timer );
		}
		for ( const outbox of this.outboxes.values() ) {
			clearTimeout( outbox.retry );
		}
		this.socket.disconnect();
	}

	/* ---------- plumbing ---------- */

	private ask< E extends keyof AgentClientToServerEvents >(
		event: E,
		payload: Parameters< AgentClientToServerEvents[ E ] >[ 0 ]
	): Promise< AnswerOf< E > > {
		return this.askOrNull( event, payload ).then(
			( answer ) => answer ?? ( noAnswer() as AnswerOf< E > )
		);
	}

	/**
	 * Asks the service.
	 *
	 * @param event   Event.
	 * @param payload Payload.
	 * @return Its answer, or null when none came (timed out, or the connection dropped).
	 */
	private askOrNull< E extends keyof AgentClientToServerEvents >(
		event: E,
		payload: Parameters< AgentClientToServerEvents[ E ] >[ 0 ]
	): Promise< AnswerOf< E > | null > {
		return (
			this.socket.timeout( ACK_TIMEOUT_MS ) as unknown as {
				emitWithAck: (
					name: E,
					body: unknown
				) => Promise< AnswerOf< E > >;
			}
		 )
			.emitWithAck( event, payload )
			.catch( () => null );
	}

	/**
	 * Applies a changed conversation from an acknowledgement at once (the
	 * broadcast follows) and refreshes the counts.
	 *
	 * @param request The request.
	 * @return Null, or the service's reason.
	 */
	private async changed(
		request: Promise< Ack< { conversation: ConversationSummary } > >
	): Promise< string | null > {
		const response = await request;
		if ( ! response.ok ) {
			this.scheduleRefresh();
			return response.error.message;
		}
		this.data
			.dispatch( store )
			.receiveConversations( [ response.data.conversation ] );
		this.scheduleRefresh();
		return null;
	}

	private listen(): void {
		const actions = this.data.dispatch( store );
		this.socket.on( 'connect', () => {
			actions.setConnectionStatus( 'connected' );
			this.scheduleRenewal();
			void this.loadDirectory();
			void this.refresh();
			// After every (re)connect, recovered ones included (the replay may
			// lack a broadcast), catch up on the conversation that is open.
			const selected = this.data
				.select( store )
				.getSelectedConversationId();
			if ( selected ) {
				void this.loadMessages( selected );
				void this.loadContext( selected );
			}
			// Replies not acknowledged before the drop go again, same client ids.
			for ( const conversationId of this.data
				.select( store )
				.getConversationsWithPendingReplies() ) {
				void this.flushReplies( conversationId );
			}
		} );
		// The service ends the connection: an expired token reconnects with a
		// fresh one (the connect handler catches up, so nothing is lost); a
		// revoked user stays out.
		let revoked = false;
		this.socket.on( 'disconnect', () => {
			this.cancelRenewal();
			// A "stopped typing" sent meanwhile would be missed: none shows typing until told again.
			actions.clearTyping();
			if ( ! revoked ) {
				actions.setConnectionStatus( 'reconnecting' );
			}
		} );
		// WordPress changed the agent's teams or inboxes: lists follow.
		this.socket.on( 'auth:changed', () => {
			void this.loadDirectory();
			void this.refresh();
		} );
		this.socket.on( 'auth:ended', ( ended ) => {
			if ( ended.code === 'access_revoked' ) {
				revoked = true;
				actions.setConnectionStatus(
					'failed',
					__( 'You may no longer answer chats.', 'chatflows' )
				);
				return;
			}
			// Ended by the server, socket.io does not reconnect by itself.
			this.socket.once( 'disconnect', () => this.socket.connect() );
		} );
		this.socket.on( 'connect_error', ( error ) => {
			if (
				( error as Error & { data?: ConnectErrorData } ).data?.code ===
				'token_expired'
			) {
				// The next attempt fetches a new token.
				this.socket.connect();
				return;
			}
			actions.setConnectionStatus(
				this.socket.active ? 'reconnecting' : 'failed',
				error.message
			);
		} );
		this.socket.on( 'conversation:updated', ( conversation ) => {
			actions.receiveConversations( [ conversation ] );
			this.scheduleRefresh();
			// Its last message may be one whose broadcast was lost.
			this.catchUpIfBehind( conversation.id );
		} );
		this.socket.on( 'message:new', ( message ) => {
			actions.receiveMessages( message.conversationId, [ message ] );
			this.settleStoredReplies( message.conversationId );
			this.catchUpIfBehind( message.conversationId );
			if ( message.authorType === 'visitor' ) {
				// Their message ends their typing.
				actions.receiveTyping( {
					conversationId: message.conversationId,
					typing: false,
				} );
			}
		} );
		this.socket.on( 'typing', ( indicator ) =>
			actions.receiveTyping( indicator )
		);
		this.socket.on( 'read', ( receipt ) => actions.receiveRead( receipt ) );
		this.socket.on( 'agent:presence', ( presence ) =>
			actions.receivePresence( presence )
		);
		this.socket.on( 'survey:answered', ( answer ) =>
			actions.receiveSurveyAnswer( answer, new Date().toISOString() )
		);
		this.socket.on( 'ticket:updated', ( ticket ) =>
			actions.receiveTicket( ticket )
		);
		// A consent or the contact changed: the panel shown asks for it again.
		this.socket.on( 'conversation:context-changed', ( change ) => {
			actions.receiveContextChange( change );
			if (
				this.data.select( store ).getSelectedConversationId() ===
				change.conversationId
			) {
				void this.loadContext( change.conversationId );
			}
		} );
	}
}
