/**
 * The real agent inbox for the fault-injection harness: the admin's
 * `InboxConnection` (admin/src/inbox/connection.ts) feeding its own
 * `@wordpress/data` registry with the inbox store, over a socket.io-client
 * socket through the harness's balancer. Tokens are signed with the shared
 * secret the way WordPress signs them, a fresh one on every connection.
 */
import { io, type Socket } from 'socket.io-client';
import {
	AGENT_NAMESPACE,
	type AgentClientToServerEvents,
	type AgentServerToClientEvents,
	type ChatMessage,
	type ConversationSummary,
	type InboxCounts,
	type PendingMessage,
	RECONNECTION,
} from '@chatflows/protocol';
import { ORIGIN, signAgentToken } from '../../server/test/helpers';

// Browser code, loaded untyped (the service's tests type-check without the DOM).
const { InboxConnection } = require( '../../admin/src/inbox/connection' );
const { store } = require( '../../admin/src/inbox/store' );
const { createRegistry } = require( '@wordpress/data' );

export type AgentSocket = Socket<
	AgentServerToClientEvents,
	AgentClientToServerEvents
>;

/** Tokens last the whole run: an expiry is not one of the faults. */
const TOKEN_SECONDS = 3600;

/** What the harness reads of the inbox store (its selectors). */
interface InboxSelectors {
	getViewConversations: () => ConversationSummary[];
	getConversation: ( id: string ) => ConversationSummary | undefined;
	getCounts: () => InboxCounts | null;
	getMessages: ( conversationId: string ) => ChatMessage[];
	getPendingReplies: ( conversationId: string ) => PendingMessage[];
	getConversationsWithPendingReplies: () => string[];
	getSelectedConversationId: () => string | null;
	getConnection: () => { status: string };
}

/** What the harness uses of `InboxConnection`. */
interface Connection {
	reply: (
		conversationId: string,
		body: string
	) => Promise<
		| { ok: true; data: { message: ChatMessage } }
		| { ok: false; error: { code: string } }
	>;
	loadMessages: ( conversationId: string ) => Promise< void >;
	markRead: ( conversationId: string, seq: number ) => Promise< void >;
	disconnect: () => void;
}

/**
 * Signs an agent token for a user, the way WordPress does.
 *
 * @param userId The agent's WordPress user id.
 */
export function agentToken( userId: string ): Promise< string > {
	return signAgentToken( { subject: userId, expiresIn: TOKEN_SECONDS } );
}

/** One agent's inbox page. */
export class AgentInbox {
	readonly socket: AgentSocket;

	/** Connections made so far. */
	connects = 0;

	connected = false;

	/** Replies typed (client ids, in order) and those acknowledged (by client id). */
	readonly typed: string[] = [];

	readonly acknowledged = new Map< string, ChatMessage >();

	/** Replies the service refused, by code. */
	readonly refused: Record< string, number > = {};

	private readonly connection: Connection;

	private readonly registry: {
		select: ( s: unknown ) => InboxSelectors;
		dispatch: ( s: unknown ) => {
			selectConversation: ( id: string | null ) => void;
		};
	};

	/**
	 * Opens the inbox through the balancer.
	 *
	 * @param userId     The agent's WordPress user id.
	 * @param serviceUrl Where the inbox connects (the balancer).
	 * @param onSocket   Called with the socket before it connects.
	 */
	constructor(
		readonly userId: string,
		serviceUrl: string,
		onSocket: ( socket: AgentSocket ) => void = () => undefined
	) {
		this.registry = createRegistry();
		(
			this.registry as unknown as { register: ( s: unknown ) => void }
		 ).register( store );
		this.socket = io( serviceUrl + AGENT_NAMESPACE, {
			// As the inbox page connects.
			...RECONNECTION,
			auth: ( send ) => {
				void agentToken( userId ).then( ( token ) =>
					send( { token, presence: 'available' } )
				);
			},
			transports: [ 'websocket' ],
			extraHeaders: { origin: ORIGIN },
			forceNew: true,
		} ) as AgentSocket;
		this.socket.on( 'connect', () => {
			this.connected = true;
			this.connects++;
		} );
		this.socket.on( 'disconnect', () => {
			this.connected = false;
		} );
		onSocket( this.socket );
		this.connection = new InboxConnection(
			this.socket,
			null,
			async () => ( {
				token: await agentToken( userId ),
				expires_at: new Date(
					Date.now() + TOKEN_SECONDS * 1000
				).toISOString(),
				expires_in: TOKEN_SECONDS,
				service: serviceUrl,
			} ),
			this.registry
		);
	}

	/** The inbox store's selectors. */
	get view(): InboxSelectors {
		return this.registry.select( store );
	}

	/**
	 * Opens a conversation, as clicking it in the list does.
	 *
	 * @param conversationId The conversation.
	 */
	open( conversationId: string ): void {
		this.registry.dispatch( store ).selectConversation( conversationId );
		void this.connection.loadMessages( conversationId );
	}

	/** Whether a reply waits in the open conversation's outbox. */
	get replying(): boolean {
		return this.view.getConversationsWithPendingReplies().length > 0;
	}

	/**
	 * Replies in the open conversation, then marks it read up to what it shows.
	 *
	 * @param body The reply.
	 */
	reply( body: string ): void {
		const conversationId = this.view.getSelectedConversationId();
		if ( ! conversationId ) {
			return;
		}
		const replied = this.connection.reply( conversationId, body );
		const waiting = this.view.getPendingReplies( conversationId );
		const clientId = waiting[ waiting.length - 1 ]?.clientId;
		if ( clientId ) {
			this.typed.push( clientId );
		}
		void replied.then( ( answer ) => {
			if ( answer.ok ) {
				this.acknowledged.set(
					answer.data.message.clientId,
					answer.data.message
				);
				const held = this.view.getMessages( conversationId );
				void this.connection.markRead(
					conversationId,
					held[ held.length - 1 ]?.seq ?? 0
				);
			} else {
				this.refused[ answer.error.code ] =
					( this.refused[ answer.error.code ] ?? 0 ) + 1;
			}
		} );
	}

	close(): void {
		this.connection.disconnect();
	}
}
