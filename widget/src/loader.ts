/**
 * The loader: the launcher (or an inline embed), the welcome prompt and
 * triggers, the public JS API, and the chat window loaded only when the
 * visitor needs it. Kept tiny (budget: 3 KB gzip); deferred, so it never
 * blocks the page's first render.
 */
import type { ChatflowsSettings, WidgetConfig } from './config';
import { createEvents } from './api/events';
import { installApi } from './api/public-api';
import { allowStorage, forgetAll } from './display/storage';
import { placeWidget, type Widget } from './display/widget';

/**
 * The configuration for this page view: WordPress's, with the page's
 * `chatflowsSettings` applied; null when no chat should show.
 *
 * @param settings The page's `window.chatflowsSettings`.
 */
export function resolveConfig(
	settings: ChatflowsSettings
): WidgetConfig | null {
	const config = window.chatflowsConfig;
	if ( ! config ) {
		return null;
	}
	const { identificationEmail: email, identificationToken: token } = settings;
	return {
		...config,
		disableAttachment: !! settings.disableAttachment,
		cookieBanner: settings.enableWidgetCookieBanner ?? false,
		identification: email && token ? { email, token } : undefined,
	};
}

/**
 * Starts the widget on this page: installs the JS API and, unless the page
 * asked to wait (`loadImmediately: false`), places the widget.
 */
export function start(): void {
	const events = createEvents();
	let widget: Widget | null = null;
	const settings = (): ChatflowsSettings => window.chatflowsSettings ?? {};

	const load = ( { widgetOpen = false } = {} ) => {
		if ( ! widget ) {
			const config = resolveConfig( settings() );
			if ( ! config ) {
				return;
			}
			allowStorage( ! config.preview );
			const selector =
				settings().inlineEmbedSelector ?? config.inlineEmbedSelector;
			const embed = selector ? document.querySelector( selector ) : null;
			widget = placeWidget(
				{ ...config, embedded: !! embed },
				events,
				embed
			);
		}
		if ( widgetOpen ) {
			widget.open();
		}
	};
	const remove = () => {
		widget?.remove();
		widget = null;
	};

	installApi(
		{
			load,
			open: () => load( { widgetOpen: true } ),
			close: () => widget?.close(),
			remove,
			refresh: ( { openToNewThread = false } = {} ) => {
				const wasOpen = widget?.isOpen() ?? false;
				remove();
				load( { widgetOpen: openToNewThread || wasOpen } );
			},
			status: () => ( { loaded: !! widget } ),
			clear: ( { resetWidget = false } = {} ) => {
				forgetAll();
				if ( resetWidget ) {
					remove();
					load();
				}
			},
		},
		events
	);

	if ( settings().loadImmediately !== false ) {
		load();
	}
}

start();
