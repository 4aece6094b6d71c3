/**
 * The agent's live connection to the chat service. It asks WordPress for a
 * short-lived token on every (re)connection and feeds the inbox store.
 */
import { io, type Socket } from 'socket.io-client';

import apiFetch from '@wordpress/api-fetch';
import { dispatch, select } from '@wordpress/data';
import { __ } from '@wordpress/i18n';

import {
	AGENT_NAMESPACE,
	type Ack,
	type AgentClientToServerEvents,
	type AgentServerToClientEvents,
	type ChatMessage,
	type ConnectErrorData,
} from '../../../server/src/contract/events';
import {
	lastSeq,
	newClientId,
} from '../../../server/src/contract/message-list';
import { store } from './store';

type AgentSocket = Socket<
	AgentServerToClientEvents,
	AgentClientToServerEvents
>;

interface AgentTokenResponse {
	token: string;
	expires_at: string;
	service: string;
}

const ACK_TIMEOUT_MS = 10_000;

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

function fetchToken(): Promise< AgentTokenResponse > {
	return apiFetch< AgentTokenResponse >( {
		path: '/chatflows/v1/agent-token',
		method: 'POST',
	} );
}

/**
 * A live connection for one inbox page.
 */
export class InboxConnection {
	private constructor( private readonly socket: AgentSocket ) {}

	/**
	 * Fetches a token, then connects.
	 *
	 * @return The connection, or null when WordPress refused a token (the store says why).
	 */
	static async open(): Promise< InboxConnection | null > {
		const actions = dispatch( store );
		let first: AgentTokenResponse | null;
		try {
			first = await fetchToken();
		} catch ( error ) {
			actions.setConnectionStatus(
				'failed',
				( error as { message?: string } ).message ??
					__(
						'Could not get access to the chat service.',
						'chatflows'
					)
			);
			return null;
		}
		const socket: AgentSocket = io( first.service + AGENT_NAMESPACE, {
			auth: ( send ) => {
				// The first connection uses the token just fetched; every later one gets a fresh one.
				const ready = first ? Promise.resolve( first ) : fetchToken();
				first = null;
				ready
					.then( ( { token } ) => send( { token } ) )
					.catch( () => send( { token: '' } ) );
			},
		} );
		const connection = new InboxConnection( socket );
		connection.listen();
		return connection;
	}

	/**
	 * Loads the messages of a conversation that this tab does not have yet.
	 *
	 * @param conversationId Conversation.
	 */
	async loadMessages( conversationId: string ): Promise< void > {
		const afterSeq = lastSeq(
			select( store ).getMessages( conversationId )
		);
		const response = await this.socket
			.timeout( ACK_TIMEOUT_MS )
			.emitWithAck( 'conversation:messages', {
				conversationId,
				afterSeq,
			} )
			.catch( noAnswer );
		if ( response.ok ) {
			dispatch( store ).receiveMessages(
				conversationId,
				response.data.messages
			);
		}
	}

	/**
	 * Sends a reply; resolves once the service has stored it.
	 *
	 * @param conversationId Conversation.
	 * @param body           Plain text.
	 */
	async reply(
		conversationId: string,
		body: string
	): Promise< Ack< { message: ChatMessage } > > {
		const response = await this.socket
			.timeout( ACK_TIMEOUT_MS )
			.emitWithAck( 'message:send', {
				conversationId,
				clientId: newClientId(),
				body,
			} )
			.catch( noAnswer );
		if ( response.ok ) {
			dispatch( store ).receiveMessages( conversationId, [
				response.data.message,
			] );
		}
		return response;
	}

	close(): void {
		this.socket.disconnect();
	}

	private listen(): void {
		const actions = dispatch( store );
		this.socket.on( 'connect', async () => {
			actions.setConnectionStatus( 'connected' );
			const response = await this.socket
				.timeout( ACK_TIMEOUT_MS )
				.emitWithAck( 'inbox:list', {} )
				.catch( noAnswer );
			if ( ! response.ok ) {
				return;
			}
			actions.receiveConversations( response.data.conversations );
			// After a reconnect, catch up on the conversation that is open.
			const selected = select( store ).getSelectedConversationId();
			if ( selected ) {
				this.loadMessages( selected );
			}
		} );
		this.socket.on( 'disconnect', () =>
			actions.setConnectionStatus( 'reconnecting' )
		);
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
		this.socket.on( 'conversation:updated', ( conversation ) =>
			actions.receiveConversations( [ conversation ] )
		);
		this.socket.on( 'message:new', ( message ) =>
			actions.receiveMessages( message.conversationId, [ message ] )
		);
	}
}
