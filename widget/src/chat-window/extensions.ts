/**
 * Where other parts of the widget plug into the chat window: tabs beside the
 * chat (e.g. the knowledge base) and buttons in the composer (e.g. attaching
 * a file). `index.tsx` lists them.
 */
import type { ComponentChildren } from 'preact';

import type { WidgetConfig } from '../page-settings';
import type { ChatController } from './visitor-chat';

/** What an extension gets to render with. */
export interface ChatWindowContext {
	chat: ChatController;
	config: WidgetConfig;
}

/** A tab beside the chat; the tab bar appears once there is at least one. */
export interface ChatWindowTab {
	/** Unique among the tabs; used in element ids. */
	id: string;
	/** Whether the tab applies to this chatflow (e.g. its knowledge base is on). */
	enabled: ( context: ChatWindowContext ) => boolean;
	/** The tab's translated name. */
	label: ( context: ChatWindowContext ) => string;
	render: ( context: ChatWindowContext ) => ComponentChildren;
}

/** Extra controls in the composer, before the send button. */
export type ComposerAction = (
	context: ChatWindowContext
) => ComponentChildren;

export interface ChatWindowExtensions {
	tabs: ChatWindowTab[];
	composerActions: ComposerAction[];
}
