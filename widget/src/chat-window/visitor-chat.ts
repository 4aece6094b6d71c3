/**
 * The visitor's live connection: session, catch-up after every (re)connect,
 * and an outbox that sends in order, once, when the connection allows.
 */
import { io, type Socket } from 'socket.io-client';

import {
	VISITOR_NAMESPACE,
	type ChatMessage,
	type VisitorClientToServerEvents,
	type VisitorServerToClientEvents,
} from '../../../server/src/contract/events';
import type { WidgetConfig } from '../config';
import {
	lastSeq,
	mergeMessages,
	newClientId,
} from '../../../server/src/contract/message-list';
import { withoutStored, type PendingMessage } from './messages';

export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting';

export interface VisitorChatState {
	status: ConnectionStatus;
	messages: ChatMessage[];
	pending: PendingMessage[];
	error: string | null;
}

const SESSION_KEY = 'chatflows:session';
const ACK_TIMEOUT_MS = 10_000;

type VisitorSocket = Socket<
	VisitorServerToClientEvents,
	VisitorClientToServerEvents
>;

function readSession(): string | undefined {
	try {
		return window.localStorage.getItem( SESSION_KEY ) ?? undefined;
	} catch {
		return undefined;
	}
}

function writeSession( token: string ): void {
	try {
		window.localStorage.setItem( SESSION_KEY, token );
	} catch {
		// Without storage the conversation lasts for this page view.
	}
}

/**
 * Connects a visitor to the chat service.
 */
export class VisitorChat {
	private state: VisitorChatState = {
		status: 'connecting',
		messages: [],
		pending: [],
		error: null,
	};
	private readonly listeners = new Set< () => void >();
	private readonly socket: VisitorSocket;
	private session: string | undefined = readSession();
	private flushing = false;
	/** This chatflow's conversation, once the service has one. */
	private conversationId: string | null = null;

	constructor( config: WidgetConfig ) {
		this.socket = io( config.serviceUrl + VISITOR_NAMESPACE, {
			auth: ( send ) =>
				send( {
					session: this.session,
					chatflowId: config.chatflowId,
					pageUrl: window.location.href,
				} ),
		} );
		this.socket.on( 'session', ( { token } ) => {
			this.session = token;
			writeSession( token );
		} );
		this.socket.on( 'connect', () => this.onConnect() );
		this.socket.on( 'disconnect', () =>
			this.update( { status: 'reconnecting' } )
		);
		this.socket.on( 'connect_error', () =>
			this.update( { status: 'reconnecting' } )
		);
		this.socket.on( 'message:new', ( message ) =>
			this.onMessage( message )
		);
	}

	getState(): VisitorChatState {
		return this.state;
	}

	subscribe( listener: () => void ): () => void {
		this.listeners.add( listener );
		return () => this.listeners.delete( listener );
	}

	/**
	 * Queues a message and sends it as soon as the connection allows.
	 *
	 * @param body The text typed.
	 */
	send( body: string ): void {
		const text = body.trim();
		if ( ! text ) {
			return;
		}
		this.update( {
			pending: [
				...this.state.pending,
				{ clientId: newClientId(), body: text },
			],
		} );
		this.flush();
	}

	private async onConnect(): Promise< void > {
		this.update( { status: 'connected', error: null } );
		// Catch up on what was missed while away, then send what waited.
		await this.resume();
		this.flush();
	}

	/**
	 * A message in one of this visitor's conversations, from another tab or an agent.
	 * The visitor's room spans chatflows, so only this chatflow's conversation counts.
	 *
	 * @param message The message.
	 */
	private onMessage( message: ChatMessage ): void {
		if ( this.conversationId === message.conversationId ) {
			this.receive( [ message ] );
		} else if ( ! this.conversationId ) {
			// Another tab may have just opened this chatflow's conversation: ask which it is.
			this.resume();
		}
	}

	private async resume(): Promise< void > {
		const response = await this.socket
			.timeout( ACK_TIMEOUT_MS )
			.emitWithAck( 'conversation:resume', {
				afterSeq: lastSeq( this.state.messages ),
			} )
			.catch( () => null );
		if ( response?.ok ) {
			this.conversationId = response.data.conversation?.id ?? null;
			this.receive( response.data.messages );
		}
	}

	/** Sends the outbox in order, one acknowledgement at a time. */
	private async flush(): Promise< void > {
		if ( this.flushing ) {
			return;
		}
		this.flushing = true;
		try {
			while ( this.socket.connected && this.state.pending.length ) {
				const next = this.state.pending[ 0 ];
				const response = await this.socket
					.timeout( ACK_TIMEOUT_MS )
					.emitWithAck( 'message:send', next )
					.catch( () => null );
				if ( ! response ) {
					// No answer: keep it; it is sent again (and stored once) after reconnecting.
					break;
				}
				if ( response.ok ) {
					this.conversationId = response.data.message.conversationId;
					this.receive( [ response.data.message ] );
				} else {
					// Refused for good (e.g. too long): drop it and say why.
					this.update( {
						pending: this.state.pending.filter(
							( message ) => message.clientId !== next.clientId
						),
						error: response.error.message,
					} );
				}
			}
		} finally {
			this.flushing = false;
		}
	}

	private receive( messages: ChatMessage[] ): void {
		this.update( {
			messages: mergeMessages( this.state.messages, messages ),
			pending: withoutStored( this.state.pending, messages ),
		} );
	}

	private update( patch: Partial< VisitorChatState > ): void {
		this.state = { ...this.state, ...patch };
		this.listeners.forEach( ( listener ) => listener() );
	}
}
