/**
 * The public configuration WordPress prints inline, before the loader, on a
 * page a chatflow serves. Its texts are already translated for the page.
 */
export interface WidgetTexts {
	openChat: string;
	closeChat: string;
	heading: string;
	message: string;
	send: string;
	you: string;
	team: string;
	messages: string;
	sending: string;
	notSent: string;
	connecting: string;
	reconnecting: string;
	emptyState: string;
}

/** When the chat pops up on its own, per kind of device (the chatflow's `displayBehaviour`). */
export interface DisplayBehaviour {
	/** prompt: pop the welcome message; launcher: only the launcher; prompt_on_trigger: open with the welcome message when a trigger fires. */
	desktop: 'prompt' | 'launcher' | 'prompt_on_trigger';
	mobile: 'prompt' | 'launcher';
	triggers: {
		exitIntent: boolean;
		timeOnPage: boolean;
		timeOnPageSeconds: number;
		scroll: boolean;
		scrollPercent: number;
	};
}

/**
 * `window.chatflowsSettings`: what the site's own code sets before the loader
 * runs (the same names as HubSpot's `hsConversationsSettings`).
 */
export interface ChatflowsSettings {
	/** false: place nothing until `ChatflowsConversations.widget.load()`. Default true. */
	loadImmediately?: boolean;
	/** CSS selector of an element the chat is embedded in, open, without a floating launcher. */
	inlineEmbedSelector?: string;
	/** Kept for the cookie banner: false, true, 'ON_WIDGET_LOAD' or 'ON_EXIT_INTENT'. */
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
	/** Set by the loader from `chatflowsSettings.enableWidgetCookieBanner`, for the consent banner. */
	cookieBanner?: ChatflowsSettings[ 'enableWidgetCookieBanner' ];
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
}

/** Callbacks the loader gives the chat window. */
export interface ChatWindowHost {
	/** The visitor closed the window from inside it. */
	onClose: () => void;
	/* The public JS API's events (`ChatflowsConversations.on( … )`): the window calls each when it happens. */
	/** The visitor's first message opened a conversation (event `conversationStarted`). */
	onConversationStarted?: ( conversationId: string ) => void;
	/** The visitor's conversation was closed (event `conversationClosed`). */
	onConversationClosed?: ( conversationId: string ) => void;
	/** The visitor is now linked to a contact: e-mail given or identified (event `contactAssociated`). */
	onContactAssociated?: () => void;
	/** The visitor typed, sent or clicked something in the window (event `userInteractedWithWidget`). */
	onUserInteracted?: () => void;
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
