/**
 * The page settings: the public configuration WordPress prints inline,
 * before the loader, on a page a chatflow serves. Its texts are already
 * translated for the page. (The service's own words: `environment` for its
 * environment variables, `chatflow-sync` for the chatflows WordPress pushes.)
 */
import type {
	AvailabilityBehaviour,
	AvailabilityState,
} from '@chatflows/protocol';
import type { ChatflowSettings } from '@chatflows/chatflow-model';
import type { WidgetTexts } from '@chatflows/chat-ui';
import type { ChatflowsEvents } from './api/events';

// The texts are shared with the admin's preview; the widget's files read them from here.
export type {
	AttachmentTexts,
	ChatWindowTexts,
	KnowledgeBaseTexts,
	WidgetTexts,
} from '@chatflows/chat-ui';

/** A chatflow's public settings, texts resolved in the chat's language (see `Frontend::public_settings`). */
export interface PublicChatflowSettings {
	/** The chat's locale, e.g. `en_US`. */
	language: string;
	accentColor: string;
	heading: {
		mode: ChatflowSettings[ 'heading' ][ 'mode' ];
		teamName: string;
		imageUrl: string;
		useAsAlias: boolean;
		/** Specific users and teams: whom the heading shows until an agent answers. */
		people?: Array< { name: string; imageUrl: string } >;
	};
	welcomeMessage: string;
	displayBehaviour: DisplayBehaviour;
	availability: AvailabilityBehaviour & {
		mode: ChatflowSettings[ 'availability' ][ 'mode' ];
		awayMessage: string;
		waitMessage: string;
		/**
		 * The states in which the behaviour hides the launcher (from `whenAway`,
		 * `whenOffline`, `whenAtCapacity`), so the loader need not map them.
		 */
		hideLauncherWhen?: AvailabilityState[];
	};
	emailCapture: {
		enabled: boolean;
		when: ChatflowSettings[ 'emailCapture' ][ 'when' ];
		message: string;
	};
	knowledgeBase: {
		enabled: boolean;
		/** The site's public search route; '' when the knowledge base is off. */
		searchUrl?: string;
	};
	/** Files visitors may send; missing in configurations printed before the setting existed. */
	attachments?: ChatflowSettings[ 'options' ][ 'attachments' ];
	survey: { enabled: boolean; question: string };
	/** The chatflow's consent options; missing in configurations printed before they existed. */
	consent?: PublicConsentSettings;
}

/** The chatflow's consent options, texts in the chat's language (see `Frontend::public_settings`). */
export interface PublicConsentSettings {
	cookies: {
		enabled: boolean;
		when: ChatflowSettings[ 'options' ][ 'cookieConsent' ][ 'when' ];
		text: string;
		/** The WP Consent API category to follow (`chatflows_consent_category` filter); default `preferences`. */
		category?: string;
	};
	data: {
		enabled: boolean;
		mode: ChatflowSettings[ 'options' ][ 'dataConsent' ][ 'mode' ];
		text: string;
		/** '' when the site has none. */
		privacyPolicyUrl: string;
	};
	communications: {
		enabled: boolean;
		label: string;
		/** The chatflow's subscription type, recorded with the answer. */
		subscriptionType?: string;
	};
}

/** When the chat pops up on its own, per kind of device (the chatflow's `displayBehaviour`). */
export type DisplayBehaviour = ChatflowSettings[ 'displayBehaviour' ];

/**
 * `window.chatflowsSettings`: what the site's own code sets before the loader
 * runs (the same names as HubSpot's `hsConversationsSettings`).
 */
export interface ChatflowsSettings {
	/** false: place nothing until `ChatflowsConversations.widget.load()`. Default true. */
	loadImmediately?: boolean;
	/** CSS selector of an element the chat is embedded in, open, without a floating launcher. */
	inlineEmbedSelector?: string;
	/**
	 * Asks for cookie consent before anything is stored: true or 'ON_WIDGET_LOAD' as the chat
	 * opens, 'ON_EXIT_INTENT' already when the pointer leaves the page. false keeps the chatflow's choice.
	 */
	enableWidgetCookieBanner?: boolean | 'ON_WIDGET_LOAD' | 'ON_EXIT_INTENT';
	/** true: the visitor cannot attach files. */
	disableAttachment?: boolean;
	/** The visitor's e-mail, with a token WordPress signed for it (see docs/js-api.md). */
	identificationEmail?: string;
	identificationToken?: string;
}

export interface WidgetConfig {
	chatflowId: string;
	serviceUrl: string;
	chatWindowUrl: string;
	locale: string;
	texts: WidgetTexts;
	/** The chatflow's public settings; absent in the admin's preview of older configurations. */
	chatflow?: PublicChatflowSettings;
	/** The launcher's and window's colour, as #RRGGBB. */
	accentColor?: string;
	/**
	 * The admin's preview: the window shows its texts but never connects to
	 * the chat service, and nothing is remembered in the browser.
	 */
	preview?: boolean;
	/** Embed the chat in the element this selector finds (the Live chat block prints it). */
	inlineEmbedSelector?: string;
	/**
	 * Set by the loader, not WordPress: the window is mounted inside a page
	 * element (inline embed). It should fill that element, stay open and
	 * offer no close button; `ChatWindowHandle.hide()` is never called.
	 */
	embedded?: boolean;
	/** Set by the loader from `chatflowsSettings.disableAttachment`: offer no attachments. */
	disableAttachment?: boolean;
	/**
	 * Set by the loader: the visitor's cookie consent, one object shared by
	 * the loader and the chat window (see `consent/cookie-consent.ts`).
	 * Absent: nothing asks for consent.
	 */
	consent?: CookieConsent;
	/**
	 * Set by the loader from `chatflowsSettings`: send both in the visitor
	 * handshake (`identificationEmail`, `identificationToken`) so the service
	 * links the visitor to that contact.
	 */
	identification?: { email: string; token: string };
}

/** What the chat window module exports for the loader. */
export interface ChatWindowModule {
	mount: (
		root: ShadowRoot,
		config: WidgetConfig,
		host: ChatWindowHost
	) => ChatWindowHandle;
	/**
	 * Shows the cookie banner beside the launcher (exit intent), until the
	 * visitor answers it or opens the chat (whose window asks instead).
	 */
	banner: ( root: ShadowRoot, config: WidgetConfig ) => void;
}

/** Callbacks the loader gives the chat window. */
export interface ChatWindowHost {
	/** The visitor closed the window from inside it. */
	onClose: () => void;
	/**
	 * The chatflow's availability as the service reports it, and whether its
	 * configured behaviour hides the launcher.
	 */
	onAvailability?: ( availability: {
		state: AvailabilityState;
		hideLauncher: boolean;
	} ) => void;
	/** Agents' messages the visitor has not read yet (0 once read); also event `unreadConversationCountChanged`. */
	onUnreadCount?: ( count: number ) => void;
	/**
	 * Reports a moment of the public JS API (`ChatflowsConversations.on( … )`):
	 * `conversationStarted`, `conversationClosed`, `contactAssociated`,
	 * `userInteractedWithWidget` (the visitor typed, sent or clicked something
	 * in the window).
	 */
	emit?: ChatflowsEvents[ 'emit' ];
}

export interface ChatWindowHandle {
	show: () => void;
	hide: () => void;
	/**
	 * Disconnects from the service and unmounts; called by `widget.remove()`,
	 * `refresh()` and `clear()`. The loader removes its shadow host afterwards.
	 */
	destroy?: () => void;
}

declare global {
	interface Window {
		chatflowsConfig?: WidgetConfig;
		chatflowsSettings?: ChatflowsSettings;
	}
}

/** The cookie consent of one placed widget, shared by the loader and the chunks it loads. */
export interface CookieConsent {
	/**
	 * Something must allow storing first: the chatflow or the page asks for
	 * consent and the page did not identify the visitor (or it is the admin's
	 * preview).
	 */
	required: boolean;
	/** The banner asks already when the pointer leaves the page through the top, not only as the chat opens. */
	exitIntent: boolean;
	/** The WP Consent API category the chat follows (e.g. `preferences`). */
	category?: string;
	/**
	 * The visitor's answer to the banner on this page view (always false in
	 * the admin's preview: nothing is stored there, and no banner asks).
	 */
	answer?: boolean;
	/** Called after every answer, wherever it was given (set by the first who listens). */
	listeners?: Array< () => void >;
}
