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
	/** The Chatflows page, for in-app links. */
	pageUrl: string;
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
		...window.chatflowsAdmin,
	};
}
