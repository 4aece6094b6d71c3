/**
 * A state of the chat window for the end-to-end layout tests: what the
 * layout harness (./layout-harness.ts) shows, and the global it installs.
 */
import type { VisitorChatState } from '../src/chat-window/visitor-chat';

export interface LayoutState {
	/** The chat's state, over a connected chat with nothing in it. */
	chat?: Partial< VisitorChatState >;
	/** Sample messages (visitor, agent, alternating), in the page's language. */
	messages?: string[];
	/** Turned on in the chatflow's settings. */
	dataConsent?: boolean;
	communications?: boolean;
	emailCapture?: 'before_chat' | 'after_first_message';
	officeClosed?: boolean;
	cookieBanner?: boolean;
}

declare global {
	interface Window {
		/** Installed by the layout harness. */
		chatflowsLayout?: { show: ( state: LayoutState ) => void };
	}
}
