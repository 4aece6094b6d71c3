import type { ChatWindowTexts } from '@chatflows/chat-ui';

/**
 * What WordPress prints for the Chatflows page (`window.chatflowsAdmin`).
 */
export interface ChatflowsAdminData {
	/** The widget's built loader, for the preview. */
	loaderUrl: string;
	/** The widget's built chat window, for the preview. */
	chatWindowUrl: string;
	/** The site's name: the default communications-consent label. */
	siteName: string;
	/** The site's home page, for "View your site" after publishing. */
	homeUrl?: string;
	/** The Chatflows page, for in-app links. */
	pageUrl: string;
	/**
	 * What an empty text stands for: by settings path (e.g. `welcomeMessage`),
	 * each language's default text.
	 */
	defaultTexts?: Record< string, Partial< Record< string, string > > >;
	/** The chat window's texts, translated as the front end prints them, for the preview. */
	windowTexts?: ChatWindowTexts;
}

declare global {
	interface Window {
		chatflowsAdmin?: ChatflowsAdminData;
	}
}

/** The page's data, with harmless defaults when WordPress printed none. */
export function adminData(): ChatflowsAdminData {
	return {
		loaderUrl: '',
		chatWindowUrl: '',
		siteName: '',
		pageUrl: window.location.pathname + '?page=chatflows-chatflows',
		defaultTexts: {},
		...window.chatflowsAdmin,
	};
}
