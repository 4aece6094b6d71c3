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
}

export interface ChatWindowHandle {
	show: () => void;
	hide: () => void;
}

declare global {
	interface Window {
		chatflowsConfig?: WidgetConfig;
	}
}
