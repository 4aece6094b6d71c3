/**
 * Test doubles for the chat window's tests: a configuration as WordPress
 * prints it, and a socket standing in for the chat service's.
 */
import type { Ack, ChatMessage } from '@chatflows/protocol';
import type {
	AttachmentTexts,
	ChatWindowTexts,
	KnowledgeBaseTexts,
	PublicChatflowSettings,
	WidgetConfig,
} from '../../page-settings';
import type { VisitorSocket } from '../visitor-chat';

/** The window's texts, each marked so a test can tell which one shows. */
export const WINDOW_TEXTS: ChatWindowTexts = {
	chatTab: 'Chat',
	sound: 'Sound on new messages',
	replyTime: {
		minutes: 'Replies in minutes.',
		hour: 'Replies within an hour.',
		hours: 'Replies in hours.',
		day: 'Replies within a day.',
	},
	returnTime: 'Back %s.',
	queuePosition: 'Number %1$s in line, about %2$s.',
	typing: '%s is typing…',
	seen: 'Seen',
	emailLabel: 'E-mail address',
	emailSubmit: 'Save e-mail address',
	emailInvalid: 'Enter a valid e-mail address.',
	emailSaved: 'E-mail saved.',
	offlineHeading: 'Leave us a message',
	offlineIntro: 'Nobody can answer now.',
	unreachable: 'The chat cannot be reached.',
	unavailable: 'This chat is not available.',
	offlineSubmit: 'Leave message',
	offlineSent: 'Message left.',
	offlineQueued: 'Message waits for the connection.',
	messageRequired: 'Write a message.',
	surveyRating: '%1$s of %2$s',
	surveyComment: 'Comment (optional)',
	surveySubmit: 'Send rating',
	surveyThanks: 'Thanks for rating.',
	surveyChooseRating: 'Choose a rating.',
	conversationClosed: 'Conversation ended.',
	startNew: 'Start a new conversation',
	skip: 'Skip',
	startHint: 'Write below to start.',
	rateLimited: 'Too fast.',
	notDelivered: 'Not delivered.',
	cookieBanner: 'Cookies in the chat',
	cookieAccept: 'Accept',
	cookieDecline: 'Decline',
	dataAgree: 'I agree',
	dataAgreeFirst: 'Select “I agree” first.',
	privacyPolicy: 'Privacy policy',
};

/** The texts of files in the chat. */
export const ATTACHMENT_TEXTS: AttachmentTexts = {
	attach: 'Attach a file',
	hint: 'Images and PDF files',
	uploading: 'Sending %s…',
	tooLarge: 'Too large: at most %s MB.',
	wrongType: 'Only images and PDF files.',
	failed: 'Could not send the file.',
	image: 'Image: %s',
	download: 'Download %1$s (PDF, %2$s)',
	unavailable: 'This file cannot be shown.',
};

/** The texts of the knowledge base's tab. */
export const KNOWLEDGE_TEXTS: KnowledgeBaseTexts = {
	tab: 'Help',
	searchLabel: 'Search help articles',
	search: 'Search',
	searching: 'Searching…',
	noResults: 'Nothing found.',
	results: 'Articles found: %s',
	failed: 'The search did not work.',
	opensInNewTab: '(opens in a new tab)',
};

/**
 * The chatflow's public settings, with changes.
 *
 * @param changes Settings to change (shallow, per section).
 */
export function chatflowSettings(
	changes: Partial< PublicChatflowSettings > = {}
): PublicChatflowSettings {
	return {
		language: 'en_US',
		accentColor: '#2563eb',
		heading: {
			mode: 'users_and_teams',
			teamName: '',
			imageUrl: '',
			useAsAlias: false,
		},
		welcomeMessage: 'Welcome! Ask away.',
		displayBehaviour: {
			desktop: 'launcher',
			mobile: 'launcher',
			triggers: {
				exitIntent: false,
				timeOnPage: false,
				timeOnPageSeconds: 5,
				scroll: false,
				scrollPercent: 50,
			},
		},
		availability: {
			mode: 'always',
			showTypicalReplyTime: true,
			typicalReplyTime: 'minutes',
			whenAway: 'show_away_message',
			whenOffline: 'show_return_time',
			whenAtCapacity: 'show_wait_message',
			awayMessage: 'We are away.',
			waitMessage: 'Everyone is busy.',
		},
		emailCapture: {
			enabled: false,
			when: 'after_first_message',
			message: 'Your e-mail, please?',
		},
		knowledgeBase: { enabled: false },
		survey: { enabled: true, question: 'How did we do?' },
		...changes,
	};
}

/**
 * A widget configuration.
 *
 * @param chatflow Public settings.
 */
export function widgetConfig(
	chatflow: PublicChatflowSettings = chatflowSettings()
): WidgetConfig {
	return {
		chatflowId: '42',
		serviceUrl: 'http://service.test',
		chatWindowUrl: 'http://site.test/chat-window.js',
		locale: 'en_US',
		chatflow,
		texts: {
			openChat: 'Open chat',
			closeChat: 'Close chat',
			heading: 'Chat with us',
			message: 'Message',
			send: 'Send',
			you: 'You',
			team: 'Team',
			messages: 'Messages',
			sending: 'Sending…',
			notSent: 'Not sent yet.',
			connecting: 'Connecting…',
			reconnecting: 'Reconnecting…',
			emptyState: 'Ask us anything.',
			window: WINDOW_TEXTS,
		},
	};
}

/**
 * The message the service stores for a visitor's `message:send`: the first
 * of conversation `conv-1` unless `fields` say otherwise.
 *
 * @param payload          The `message:send` payload.
 * @param payload.clientId Its client id.
 * @param payload.body     Its text.
 * @param fields           Other fields (seq, attachment, …).
 */
export function storedVisitorMessage(
	payload: { clientId: string; body: string },
	fields: Partial< ChatMessage > = {}
): ChatMessage {
	return {
		conversationId: 'conv-1',
		seq: 1,
		clientId: payload.clientId,
		authorType: 'visitor',
		authorName: '',
		body: payload.body,
		createdAt: '2026-01-01T00:00:00.000Z',
		...fields,
	};
}

type Listener = ( ...args: any[] ) => void;
type Reply = Ack< any > | undefined;

/**
 * A socket whose "service" is a function of the event and payload: it answers
 * an acknowledgement, or nothing (undefined) as when the connection is lost.
 */
export class FakeSocket {
	connected = false;
	/** Set by socket.io when a reconnection restored the session (its missed events replayed). */
	recovered = false;
	readonly sent: Array< { event: string; payload: any } > = [];
	private readonly listeners = new Map< string, Listener[] >();

	constructor(
		public answer: ( event: string, payload: any ) => Reply = ( event ) =>
			event === 'conversation:resume'
				? { ok: true, data: { conversation: null, messages: [] } }
				: { ok: true, data: {} }
	) {}

	on( event: string, listener: Listener ): this {
		this.listeners.set( event, [
			...( this.listeners.get( event ) ?? [] ),
			listener,
		] );
		return this;
	}

	emit( event: string, payload: any, ack?: ( reply: Ack< any > ) => void ) {
		this.sent.push( { event, payload } );
		const reply = this.connected
			? this.answer( event, payload )
			: undefined;
		if ( reply && ack ) {
			ack( reply );
		}
		return this;
	}

	timeout() {
		return {
			emitWithAck: ( event: string, payload: any ) => {
				this.sent.push( { event, payload } );
				const reply = this.connected
					? this.answer( event, payload )
					: undefined;
				return reply
					? Promise.resolve( reply )
					: Promise.reject( new Error( 'operation has timed out' ) );
			},
		};
	}

	/**
	 * The service sends an event.
	 *
	 * @param event Event name.
	 * @param args  Arguments.
	 */
	receive( event: string, ...args: any[] ): void {
		( this.listeners.get( event ) ?? [] ).forEach( ( listener ) =>
			listener( ...args )
		);
	}

	connect(): void {
		this.connected = true;
		this.receive( 'connect' );
	}

	drop(): void {
		this.connected = false;
		this.receive( 'disconnect', 'transport close' );
	}

	/** The chat closed the connection for good. */
	disconnect(): this {
		this.connected = false;
		return this;
	}

	/**
	 * Names of the events sent, in order.
	 * @param name
	 */
	events( name?: string ): Array< { event: string; payload: any } > {
		return this.sent.filter( ( item ) => ! name || item.event === name );
	}

	asVisitorSocket(): VisitorSocket {
		return this as unknown as VisitorSocket;
	}
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise< void > {
	for ( let i = 0; i < 30; i++ ) {
		await Promise.resolve();
	}
}
