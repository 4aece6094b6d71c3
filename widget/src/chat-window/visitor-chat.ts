/**
 * The visitor's live connection: session, catch-up after every (re)connect
 * and whenever a live message shows one missing, an outbox that sends in
 * order, once, when the connection allows (and again by itself when an
 * acknowledgement does not come), and what the service reports
 * (availability, queue, typing, receipts, closing).
 */
import { io, type Socket } from 'socket.io-client';

import {
	type AttachmentReference,
	CatchUp,
	type CatchUpAnswer,
	type ChatMessage,
	type ConnectErrorData,
	type ConsentGrant,
	gapFreeSeq,
	lastSeq,
	mergeMessages,
	missesMessages,
	newClientId,
	type PendingMessage,
	type QueuePosition,
	RECONNECTION,
	retryDelayMs,
	VISITOR_NAMESPACE,
	type VisitorAvailability,
	type VisitorClientToServerEvents,
	type VisitorConversation,
	type VisitorConversationUpdate,
	type VisitorHandshake,
	type VisitorServerToClientEvents,
	withoutStored,
} from '@chatflows/protocol';
import type { WidgetConfig } from '../page-settings';
import { mayStore, wpConsentAnswer } from '../consent/cookie-consent';
import { forgetAll } from '../display/storage';
import {
	consentAnswer,
	watchCookieConsent,
	type ConsentAnswer,
} from './consent-answers';
import { STORAGE_KEYS, readStored, writeStored } from './storage';
import { visitorContext } from './visitor-context';

/**
 * `unreachable`: the service has not answered since the page loaded (the
 * window offers the offline form); `reconnecting`: it answered, then the
 * connection dropped; `unavailable`: the service refuses this chatflow
 * (switched off or deleted since the page was made): nothing can be sent.
 */
export type ConnectionStatus =
	'connecting' | 'connected' | 'reconnecting' | 'unreachable' | 'unavailable';

/** Why something the visitor sent was refused, for the window to say in their language. */
export type ChatErrorCode = 'rate_limited' | 'not_delivered';

export interface SurveyPrompt {
	conversationId: string;
	question: string;
	answered: boolean;
}

export interface VisitorChatState {
	status: ConnectionStatus;
	messages: ChatMessage[];
	pending: PendingMessage[];
	error: ChatErrorCode | null;
	/** This chatflow's newest conversation of the visitor, once known. */
	conversation: VisitorConversation | null;
	availability: VisitorAvailability | null;
	/** The place in the queue while the conversation waits for an agent. */
	queue: QueuePosition | null;
	agentTyping: boolean;
	/** The highest seq the team has read. */
	agentReadSeq: number;
	/** Agents' messages the visitor has not read. */
	unreadCount: number;
	/** Agents' messages that arrived live since the window loaded (each may chime). */
	agentMessagesReceived: number;
	survey: SurveyPrompt | null;
	/** The visitor's e-mail address: none given, given but not yet stored, or stored. */
	contact: 'none' | 'pending' | 'saved';
	/** The visitor left a message through the offline form. */
	leftOfflineMessage: boolean;
}

/**
 * The state before anything is known.
 *
 * @param status Connection status to start with.
 */
export function initialChatState(
	status: ConnectionStatus = 'connecting'
): VisitorChatState {
	return {
		status,
		messages: [],
		pending: [],
		error: null,
		conversation: null,
		availability: null,
		queue: null,
		agentTyping: false,
		agentReadSeq: 0,
		unreadCount: 0,
		agentMessagesReceived: 0,
		survey: null,
		contact: 'none',
		leftOfflineMessage: false,
	};
}

/** Moments the loader's public API reports as events. */
export type ChatEvent =
	| { type: 'conversationStarted'; conversationId: string }
	| { type: 'conversationClosed'; conversationId: string }
	| { type: 'contactAssociated' };

/** What `saveEmail` achieved. */
export type EmailOutcome = 'saved' | 'queued' | 'invalid';

/** What the chat window needs of a chat (the live one or the preview's). */
export interface ChatController {
	getState: () => VisitorChatState;
	subscribe: ( listener: () => void ) => () => void;
	/** Queues a message; with an attachment (uploaded already), the file goes with it. */
	send: ( body: string, attachment?: AttachmentReference ) => void;
	/** The visitor's session token, for fetching files; absent where there is no service (the preview). */
	sessionToken?: () => string | undefined;
	saveEmail: ( email: string ) => Promise< EmailOutcome >;
	leaveOfflineMessage: ( email: string, body: string ) => void;
	setTyping: ( typing: boolean ) => void;
	markRead: () => void;
	answerSurvey: ( rating: number, comment: string ) => Promise< boolean >;
	/** Listens to the chat's events; returns the function that stops listening. */
	onEvent: ( listener: ( event: ChatEvent ) => void ) => () => void;
	/**
	 * Records a consent answer with the service (queued until connected; a
	 * refused record is dropped and never blocks the chat). Absent where there
	 * is no service (the preview).
	 */
	recordConsent?: ( answer: ConsentAnswer ) => void;
	/** Disconnects for good (the widget was removed from the page); absent where nothing is connected. */
	close?: () => void;
}

const ACK_TIMEOUT_MS = 10_000;
/** How long to wait before connecting again to a service that has just started and has no chatflows yet. */
export const PENDING_RETRY_MS = 5_000;
/** An agent's "typing" without a "stopped" expires after this long. */
export const AGENT_TYPING_TIMEOUT_MS = 10_000;

export type VisitorSocket = Socket<
	VisitorServerToClientEvents,
	VisitorClientToServerEvents
>;

/** Opens the socket; tests pass their own. */
export type SocketFactory = (
	url: string,
	auth: ( send: ( data: object ) => void ) => void
) => VisitorSocket;

const connectToService: SocketFactory = ( url, auth ) =>
	io( url, { ...RECONNECTION, auth } ) as VisitorSocket;

/**
 * The survey question in the chat's language, else the page's copy.
 *
 * @param question By locale, as the service sends it.
 * @param config   The widget's configuration.
 */
function surveyQuestion(
	question: Record< string, string >,
	config: WidgetConfig
): string {
	const locale = config.chatflow?.language ?? config.locale;
	return (
		question[ locale ]?.trim() ||
		config.chatflow?.survey.question ||
		Object.values( question ).find( ( text ) => text.trim() ) ||
		''
	);
}

/**
 * Connects a visitor to the chat service.
 */
export class VisitorChat implements ChatController {
	private state: VisitorChatState = initialChatState();
	private readonly listeners = new Set< () => void >();
	private readonly eventListeners = new Set< ( event: ChatEvent ) => void >();
	private readonly socket: VisitorSocket;
	private session: string | undefined =
		readStored( STORAGE_KEYS.session ) ?? undefined;
	private flushing = false;
	private everConnected = false;
	/** An address to send before the outbox (given while disconnected, or for the next conversation). */
	private email: string | null = null;
	private emailSent = false;
	/** The service accepted the page's identification on a connection of this chat. */
	private identified = false;
	private agentTypingTimer: ReturnType< typeof setTimeout > | undefined;
	private retryTimer: ReturnType< typeof setTimeout > | undefined;
	/** Sends the outbox again after an acknowledgement did not come on an open connection. */
	private resendTimer: ReturnType< typeof setTimeout > | undefined;
	private unansweredSends = 0;
	/** Asks `conversation:resume` until no message of the conversation is missing. */
	private readonly catchUp = new CatchUp( {
		ask: () => this.resume(),
		behind: () => missesMessages( this.state.messages ),
		position: () => gapFreeSeq( this.state.messages ),
		canAsk: () => this.socket.connected,
	} );
	/** Consent answers not yet acknowledged by the service, in order. */
	private consents: ConsentGrant[] = [];
	/** The cookie answer last recorded from this page view (banner or consent plugin). */
	private recordedCookieAnswer: string | null = null;
	private stopWatchingConsent = () => {};

	/**
	 * @param config  The widget's configuration.
	 * @param connect Opens the socket (the real client unless a test gives another).
	 */
	constructor(
		private readonly config: WidgetConfig,
		connect: SocketFactory = connectToService
	) {
		this.socket = connect(
			config.serviceUrl + VISITOR_NAMESPACE,
			( send ) =>
				send( {
					session: this.session,
					chatflowId: config.chatflowId,
					...visitorContext(),
					// The page's identification (see the loader): the service links the contact.
					...( config.identification && {
						identificationEmail: config.identification.email,
						identificationToken: config.identification.token,
					} ),
				} satisfies VisitorHandshake )
		);
		this.socket.on( 'session', ( { token, identified } ) => {
			this.session = token;
			// Kept only as consent allows; otherwise for this page view only.
			writeStored( STORAGE_KEYS.session, token );
			// The page identified the visitor and the service accepted it: a known contact.
			if ( identified && ! this.identified ) {
				this.identified = true;
				writeStored( STORAGE_KEYS.contact, '1' );
				this.announce( { type: 'contactAssociated' } );
			}
		} );
		this.socket.on( 'connect', () => this.onConnect() );
		const consent = config.consent;
		if ( consent?.required ) {
			// An answer given beside the launcher before this window loaded, then every later one.
			this.recordCookieConsent();
			this.stopWatchingConsent = watchCookieConsent( consent, () =>
				this.recordCookieConsent()
			);
		}
		this.socket.on( 'disconnect', () =>
			this.update( { status: 'reconnecting', agentTyping: false } )
		);
		this.socket.on( 'connect_error', ( error ) =>
			this.onConnectError( error )
		);
		this.socket.on( 'message:new', ( message ) =>
			this.onMessage( message )
		);
		this.socket.on( 'availability', ( availability ) => {
			if ( availability.chatflowId === config.chatflowId ) {
				this.update( { availability } );
			}
		} );
		this.socket.on( 'queue:position', ( queue ) => {
			if ( this.state.conversation?.id === queue.conversationId ) {
				this.update( { queue } );
			}
		} );
		this.socket.on( 'conversation:updated', ( update ) =>
			this.onConversationUpdated( update )
		);
		this.socket.on( 'typing', ( { conversationId, typing } ) => {
			if ( this.state.conversation?.id !== conversationId ) {
				return;
			}
			clearTimeout( this.agentTypingTimer );
			if ( typing ) {
				this.agentTypingTimer = setTimeout(
					() => this.update( { agentTyping: false } ),
					AGENT_TYPING_TIMEOUT_MS
				);
			}
			this.update( { agentTyping: typing } );
		} );
		this.socket.on( 'read', ( { conversationId, reader, seq } ) => {
			if (
				reader === 'agent' &&
				this.state.conversation?.id === conversationId &&
				seq > this.state.agentReadSeq
			) {
				this.update( { agentReadSeq: seq } );
			}
		} );
	}

	close(): void {
		clearTimeout( this.agentTypingTimer );
		clearTimeout( this.retryTimer );
		clearTimeout( this.resendTimer );
		this.catchUp.stop();
		this.stopWatchingConsent();
		this.socket.disconnect();
	}

	/**
	 * Queues a consent answer for the service, with the chat's language and
	 * this page.
	 *
	 * @param answer The answer.
	 */
	recordConsent( answer: ConsentAnswer ): void {
		this.consents.push( {
			...answer,
			language: this.config.chatflow?.language ?? this.config.locale,
			pageUrl: window.location.href.split( '#' )[ 0 ],
		} );
		void this.flush();
	}

	/**
	 * Records the cookie consent's current answer when it changed (the banner's
	 * here, or the site's consent plugin's), and keeps the session once storing
	 * is allowed: the conversation then survives a reload.
	 */
	private recordCookieConsent(): void {
		const consent = this.config.consent;
		if ( ! consent ) {
			return;
		}
		const fromPlugin = wpConsentAnswer( consent.category );
		// Without an answer on this page view, storing allowed means accepted on an earlier one.
		const fromBanner =
			consent.answer ?? ( mayStore( consent ) || undefined );
		const answer =
			fromPlugin === undefined
				? fromBanner !== undefined &&
					consentAnswer(
						'cookies',
						fromBanner,
						'banner',
						this.config.chatflow?.consent?.cookies.text ?? ''
					)
				: consentAnswer(
						'cookies',
						fromPlugin,
						'wp_consent_api',
						consent.category ?? 'preferences'
					);
		const key = answer ? JSON.stringify( answer ) : null;
		if ( answer && answer.text && key !== this.recordedCookieAnswer ) {
			this.recordedCookieAnswer = key;
			this.recordConsent( answer );
		}
		if ( fromPlugin === false ) {
			// Withdrawn (or never given) in the site's consent plugin: nothing of the chat stays behind.
			forgetAll();
		} else if ( mayStore( consent ) && this.session ) {
			writeStored( STORAGE_KEYS.session, this.session );
			if ( this.state.contact === 'saved' || this.identified ) {
				writeStored( STORAGE_KEYS.contact, '1' );
			}
		}
	}

	getState(): VisitorChatState {
		return this.state;
	}

	subscribe( listener: () => void ): () => void {
		this.listeners.add( listener );
		return () => this.listeners.delete( listener );
	}

	onEvent( listener: ( event: ChatEvent ) => void ): () => void {
		this.eventListeners.add( listener );
		return () => this.eventListeners.delete( listener );
	}

	private announce( event: ChatEvent ): void {
		this.eventListeners.forEach( ( listener ) => listener( event ) );
	}

	/**
	 * Queues a message and sends it as soon as the connection allows.
	 *
	 * @param body       The text typed (with a file: its name, or a caption).
	 * @param attachment A file uploaded for this message.
	 */
	send( body: string, attachment?: AttachmentReference ): void {
		const text = body.trim();
		if ( ! text ) {
			return;
		}
		this.update( {
			error: null,
			pending: [
				...this.state.pending,
				{
					clientId: newClientId(),
					body: text,
					...( attachment && { attachmentId: attachment.id } ),
				},
			],
		} );
		void this.flush();
	}

	/** The visitor's session token, once the service issued one. */
	sessionToken(): string | undefined {
		return this.session;
	}

	/**
	 * Gives the visitor's e-mail address: stored at once when connected, else
	 * sent before anything else once the connection returns.
	 *
	 * @param email The address typed.
	 */
	async saveEmail( email: string ): Promise< EmailOutcome > {
		this.email = email.trim();
		this.emailSent = false;
		this.update( { contact: 'pending' } );
		if ( ! this.socket.connected ) {
			return 'queued';
		}
		const outcome = await this.sendEmail();
		if ( outcome === null ) {
			return 'queued';
		}
		return outcome ? 'saved' : 'invalid';
	}

	/**
	 * The offline form: the address first, then the message, which opens a
	 * conversation the service files as a ticket left while nobody could answer.
	 *
	 * @param email The visitor's e-mail address.
	 * @param body  Their message.
	 */
	leaveOfflineMessage( email: string, body: string ): void {
		this.email = email.trim();
		this.emailSent = false;
		this.update( { contact: 'pending', leftOfflineMessage: true } );
		this.send( body );
	}

	/**
	 * Tells the team whether the visitor is typing (only in an open conversation).
	 *
	 * @param typing Typing or stopped.
	 */
	setTyping( typing: boolean ): void {
		if (
			this.socket.connected &&
			this.state.conversation?.status === 'open'
		) {
			this.socket.emit( 'typing', { typing }, () => undefined );
		}
	}

	/** The visitor saw every message: the team learns it, and the unread count drops to 0. */
	markRead(): void {
		if ( this.state.unreadCount === 0 ) {
			return;
		}
		const seq = lastSeq( this.state.messages );
		this.update( { unreadCount: 0 } );
		if (
			seq > 0 &&
			this.socket.connected &&
			this.state.conversation?.status === 'open'
		) {
			this.socket.emit( 'conversation:read', { seq }, () => undefined );
		}
	}

	/**
	 * Answers the satisfaction survey of the closed conversation.
	 *
	 * @param rating  1 to 5.
	 * @param comment Optional comment.
	 * @return Whether the service stored it.
	 */
	async answerSurvey( rating: number, comment: string ): Promise< boolean > {
		const survey = this.state.survey;
		if ( ! survey || ! this.socket.connected ) {
			return false;
		}
		const response = await this.socket
			.timeout( ACK_TIMEOUT_MS )
			.emitWithAck( 'survey:answer', {
				conversationId: survey.conversationId,
				rating,
				comment: comment.trim(),
			} )
			.catch( () => null );
		if ( response?.ok && this.state.survey ) {
			this.update( { survey: { ...this.state.survey, answered: true } } );
			return true;
		}
		return false;
	}

	/**
	 * A refused connection: the service's code says whether to try again.
	 *
	 * @param error What socket.io reports; the service's code in `data`.
	 */
	private onConnectError( error: Error & { data?: ConnectErrorData } ) {
		const code = error.data?.code;
		if ( this.refusedForGood( code ) ) {
			return;
		}
		this.update( {
			status: this.everConnected ? 'reconnecting' : 'unreachable',
		} );
		// socket.io does not retry what the service refused: it has just
		// started and waits for its configuration, so ask again shortly.
		if ( code === 'configuration_pending' ) {
			clearTimeout( this.retryTimer );
			this.retryTimer = setTimeout(
				() => this.socket.connect(),
				PENDING_RETRY_MS
			);
		}
	}

	/**
	 * Whether the service refused this chatflow for good (then the window
	 * says the chat is not available, and offers nothing to send).
	 *
	 * @param code The code of a refusal.
	 */
	private refusedForGood( code: string | undefined ): boolean {
		if ( code !== 'chatflow_unavailable' ) {
			return false;
		}
		this.update( { status: 'unavailable', agentTyping: false } );
		return true;
	}

	private async onConnect(): Promise< void > {
		this.everConnected = true;
		this.update( { status: 'connected' } );
		// Catch up on what was missed while away, then send what waited. Also
		// on a recovered connection: the replay of missed events may still
		// lack a broadcast sent while the session was being restored.
		await this.catchUp.request();
		// A new connection forgets the address given to the old one: give it
		// again while no conversation carries it yet.
		if ( this.email && ! this.state.conversation ) {
			this.emailSent = false;
		}
		void this.flush();
	}

	/**
	 * A message in one of this visitor's conversations, from another tab or an agent.
	 * The visitor's room spans chatflows, so only this chatflow's conversation counts.
	 *
	 * @param message The message.
	 */
	private onMessage( message: ChatMessage ): void {
		if ( this.state.conversation?.id === message.conversationId ) {
			const isNew = ! this.state.messages.some(
				( held ) => held.seq === message.seq
			);
			if ( isNew && message.authorType === 'agent' ) {
				clearTimeout( this.agentTypingTimer );
				this.update( {
					agentTyping: false,
					queue: null,
					unreadCount: this.state.unreadCount + 1,
					agentMessagesReceived: this.state.agentMessagesReceived + 1,
				} );
			}
			this.receive( [ message ] );
			if ( missesMessages( this.state.messages ) ) {
				// The live stream skipped a seq (a broadcast lost to a node's death or a recovery): ask for it.
				void this.catchUp.request();
			}
		} else if ( ! this.state.conversation ) {
			// Another tab may have just opened this chatflow's conversation: ask which it is.
			void this.catchUp.request();
		}
	}

	private onConversationUpdated( update: VisitorConversationUpdate ): void {
		const { conversation, survey } = update;
		if ( conversation.chatflowId !== this.config.chatflowId ) {
			return;
		}
		const closed = conversation.status === 'closed';
		const wasClosed = this.state.conversation?.status === 'closed';
		this.update( {
			conversation,
			queue: closed ? null : this.state.queue,
			agentTyping: closed ? false : this.state.agentTyping,
			survey:
				closed && survey
					? {
							conversationId: conversation.id,
							question: surveyQuestion(
								survey.question,
								this.config
							),
							answered: false,
						}
					: null,
		} );
		if ( closed && ! wasClosed ) {
			this.announce( {
				type: 'conversationClosed',
				conversationId: conversation.id,
			} );
		}
	}

	/**
	 * Asks for the conversation and the messages after the last one held
	 * with none missing before it.
	 */
	private async resume(): Promise< CatchUpAnswer > {
		const afterSeq = gapFreeSeq( this.state.messages );
		const response = await this.socket
			.timeout( ACK_TIMEOUT_MS )
			.emitWithAck( 'conversation:resume', { afterSeq } )
			.catch( () => null );
		if ( ! response ) {
			return 'unanswered';
		}
		if ( response.ok ) {
			const { conversation, messages, unreadCount, queue, survey } =
				response.data;
			const held = this.state.conversation;
			// Another conversation (the last one was deleted): its seqs start again at 1.
			const another = !! (
				held &&
				conversation &&
				held.id !== conversation.id
			);
			this.update( {
				conversation,
				...( another && { messages: [] } ),
				unreadCount: unreadCount ?? this.state.unreadCount,
				// What live events said before a reload is gone: the service says it again.
				queue: queue ?? null,
				survey: this.surveyAfterResume( conversation, survey ),
			} );
			if ( another && afterSeq > 0 ) {
				// Asked after a seq of the old one: ask for the new one whole.
				return this.resume();
			}
			this.receive( messages );
			return 'answered';
		}
		return 'refused';
	}

	/**
	 * The survey to show after catching up: the one the service says is still
	 * unanswered (kept as it is when already shown), or the thanks for an
	 * answer given on this page.
	 *
	 * @param conversation The latest conversation.
	 * @param survey       The unanswered survey's question, if any.
	 */
	private surveyAfterResume(
		conversation: VisitorConversation | null,
		survey: { question: Record< string, string > } | undefined
	): SurveyPrompt | null {
		const shown =
			conversation?.status === 'closed' &&
			this.state.survey?.conversationId === conversation.id
				? this.state.survey
				: null;
		if ( ! conversation || conversation.status !== 'closed' ) {
			return null;
		}
		if ( survey ) {
			return (
				shown ?? {
					conversationId: conversation.id,
					question: surveyQuestion( survey.question, this.config ),
					answered: false,
				}
			);
		}
		return shown?.answered ? shown : null;
	}

	/**
	 * Sends the e-mail address.
	 *
	 * @return true when stored, false when refused, null without an answer.
	 */
	private async sendEmail(): Promise< boolean | null > {
		const email = this.email;
		if ( ! email ) {
			return true;
		}
		const response = await this.socket
			.timeout( ACK_TIMEOUT_MS )
			.emitWithAck( 'contact:email', { email } )
			.catch( () => null );
		if ( ! response ) {
			return null;
		}
		if ( this.email === email ) {
			this.emailSent = true;
		}
		if ( response.ok ) {
			writeStored( STORAGE_KEYS.contact, '1' );
			this.update( { contact: 'saved' } );
			// A typed address is only a claim until its owner confirms it by e-mail.
			if ( response.data.contactId ) {
				this.announce( { type: 'contactAssociated' } );
			}
			return true;
		}
		this.refusedForGood( response.error.code );
		this.email = null;
		this.update( { contact: 'none' } );
		return false;
	}

	/**
	 * Sends the queued consent answers, in order.
	 *
	 * @return false when the service did not answer (they are sent again after reconnecting).
	 */
	private async sendConsents(): Promise< boolean > {
		while ( this.socket.connected && this.consents.length ) {
			const response = await this.socket
				.timeout( ACK_TIMEOUT_MS )
				.emitWithAck( 'consent:record', this.consents[ 0 ] )
				.catch( () => null );
			if ( ! response ) {
				return false;
			}
			// Stored, or refused for good: a refused record never holds up the chat.
			this.consents.shift();
		}
		return true;
	}

	/**
	 * Sends what waits, one acknowledgement at a time (never two sends in
	 * flight). When one does not come while the connection stays up, sends
	 * again by itself after a backoff, with the same client ids (the service
	 * stores each once); a dropped connection sends again on reconnecting.
	 */
	private async flush(): Promise< void > {
		if ( this.flushing ) {
			return;
		}
		this.flushing = true;
		clearTimeout( this.resendTimer );
		let answered: boolean;
		try {
			answered = await this.sendWaiting();
		} finally {
			this.flushing = false;
		}
		if ( answered ) {
			this.unansweredSends = 0;
		} else if ( this.socket.connected ) {
			this.resendTimer = setTimeout(
				() => void this.flush(),
				retryDelayMs( this.unansweredSends++ )
			);
		}
	}

	/**
	 * Sends the address (when one waits), the consent answers, then the outbox in order.
	 *
	 * @return false when an acknowledgement did not come (what waits is kept).
	 */
	private async sendWaiting(): Promise< boolean > {
		if (
			this.socket.connected &&
			this.email &&
			! this.emailSent &&
			( await this.sendEmail() ) === null
		) {
			return false;
		}
		// Consents after the address, so a contact it creates carries them, and
		// before each message, so a message always follows the consent given for it.
		// (Awaited only when some wait: the first message goes out at once otherwise.)
		while ( this.socket.connected ) {
			if ( this.consents.length && ! ( await this.sendConsents() ) ) {
				return false;
			}
			if ( ! this.socket.connected || ! this.state.pending.length ) {
				break;
			}
			const next = this.state.pending[ 0 ];
			const response = await this.socket
				.timeout( ACK_TIMEOUT_MS )
				.emitWithAck( 'message:send', next )
				.catch( () => null );
			if ( ! response ) {
				// No answer: keep it; it is sent again (and stored once).
				return false;
			}
			if ( response.ok ) {
				const { message } = response.data;
				const current = this.state.conversation;
				if ( ! current || current.id !== message.conversationId ) {
					this.update( {
						// Another conversation (the last one was deleted): its seqs start again at 1.
						...( current && { messages: [] } ),
						conversation: {
							id: message.conversationId,
							chatflowId: this.config.chatflowId,
							status: 'open',
							createdAt: message.createdAt,
						},
						survey: null,
					} );
					this.announce( {
						type: 'conversationStarted',
						conversationId: message.conversationId,
					} );
				} else if ( current.status === 'closed' ) {
					// Writing to a closed conversation reopened it.
					this.update( {
						conversation: {
							...current,
							status: 'open',
						},
						survey: null,
					} );
				}
				this.receive( [ message ] );
			} else if ( this.refusedForGood( response.error.code ) ) {
				// The chat is gone: nothing will be delivered here.
				this.update( { pending: [] } );
			} else {
				// Refused for good (e.g. too fast): drop it and say why.
				this.update( {
					pending: this.state.pending.filter(
						( message ) => message.clientId !== next.clientId
					),
					error:
						response.error.code === 'rate_limited'
							? 'rate_limited'
							: 'not_delivered',
				} );
			}
		}
		return true;
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
