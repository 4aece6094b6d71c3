/**
 * `window.ChatflowsConversations` and the `window.chatflowsOnReady` queue:
 * the same shape as HubSpot's `HubSpotConversations` and
 * `hsConversationsOnReady`. Documented in docs/js-api.md.
 */
import { callSafely, type ChatflowsEvents } from './events';

/** What the API asks of the loader. */
export interface WidgetController {
	load: ( options?: { widgetOpen?: boolean } ) => void;
	open: () => void;
	close: () => void;
	remove: () => void;
	refresh: ( options?: { openToNewThread?: boolean } ) => void;
	status: () => { loaded: boolean };
	clear: ( options?: { resetWidget?: boolean } ) => void;
}

/** `window.ChatflowsConversations`. */
export interface ChatflowsConversationsApi {
	widget: Omit< WidgetController, 'clear' >;
	clear: WidgetController[ 'clear' ];
	on: ChatflowsEvents[ 'on' ];
	off: ChatflowsEvents[ 'off' ];
}

type ReadyCallback = () => void;

declare global {
	interface Window {
		ChatflowsConversations?: ChatflowsConversationsApi;
		chatflowsOnReady?: ReadyCallback[];
	}
}

/**
 * Installs the API, then calls the page's `chatflowsOnReady` callbacks in
 * order; callbacks pushed later run at once.
 *
 * @param controller The loader's widget controller.
 * @param events     The events `on` and `off` manage.
 * @return The installed API.
 */
export function installApi(
	controller: WidgetController,
	events: ChatflowsEvents
): ChatflowsConversationsApi {
	const { clear, ...widget } = controller;
	const api: ChatflowsConversationsApi = {
		widget,
		clear,
		on: events.on,
		off: events.off,
	};
	window.ChatflowsConversations = api;
	const call = ( callback: unknown ) =>
		typeof callback === 'function' &&
		callSafely( callback as () => void, undefined );
	const queued = window.chatflowsOnReady;
	const ready: ReadyCallback[] = [];
	ready.push = ( ...callbacks ) => {
		callbacks.forEach( call );
		return 0;
	};
	window.chatflowsOnReady = ready;
	( Array.isArray( queued ) ? queued : [] ).forEach( call );
	return api;
}
