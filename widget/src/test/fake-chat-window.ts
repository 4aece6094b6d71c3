/**
 * Stands in for the chat window module in the loader's tests: records how
 * the loader mounts, shows, hides and destroys it, and hands the tests the
 * loader's callbacks.
 */
import type {
	ChatWindowHandle,
	ChatWindowHost,
	WidgetConfig,
} from '../page-settings';

export interface FakeChatWindow {
	config: WidgetConfig;
	host: ChatWindowHost;
	root: ShadowRoot;
	visible: boolean;
	destroyed: boolean;
}

declare global {
	var chatflowsFakeWindows: FakeChatWindow[] | undefined;
	var chatflowsFakeBanners: WidgetConfig[] | undefined;
}

/** The configurations the loader asked to show the cookie banner beside the launcher with. */
export const banners: WidgetConfig[] = ( globalThis.chatflowsFakeBanners ??=
	[] );

export function banner( _root: ShadowRoot, config: WidgetConfig ): void {
	banners.push( config );
}

/**
 * Every window mounted since the last `mounted.length = 0`; global, because
 * the loader under test is loaded in its own module registry.
 */
export const mounted: FakeChatWindow[] = ( globalThis.chatflowsFakeWindows ??=
	[] );

export function mount(
	root: ShadowRoot,
	config: WidgetConfig,
	host: ChatWindowHost
): ChatWindowHandle {
	const window: FakeChatWindow = {
		config,
		host,
		root,
		visible: false,
		destroyed: false,
	};
	mounted.push( window );
	const section = document.createElement( 'section' );
	section.setAttribute( 'role', 'dialog' );
	section.hidden = true;
	root.append( section );
	return {
		show: () => {
			window.visible = true;
			section.hidden = false;
		},
		hide: () => {
			window.visible = false;
			section.hidden = true;
		},
		destroy: () => {
			window.destroyed = true;
		},
	};
}
