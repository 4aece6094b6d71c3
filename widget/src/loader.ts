/**
 * The loader: the launcher (or an inline embed), the welcome prompt and
 * triggers, the public JS API, and the chat window loaded only when the
 * visitor needs it. Kept tiny (budget: 3 KB gzip); deferred, so it never
 * blocks the page's first render.
 */
import type { ChatflowsSettings, WidgetConfig } from './page-settings';
import { createEvents } from './api/events';
import { installApi } from './api/public-api';
import { cookieConsent } from './consent/cookie-consent';
import { forgetAll, gateStorage } from './display/storage';
import { placeWidget, type Widget } from './display/widget';

/** The targeting module, loaded only for candidate lists. */
interface TargetingModule {
	resolveVisitorConfig: ( raw: unknown ) => Promise< WidgetConfig | null >;
}

/**
 * Starts the widget on this page: installs the JS API and, unless the page
 * asked to wait (`loadImmediately: false`), places the widget.
 */
export function start(): void {
	const events = createEvents();
	let widget: Widget | null = null;
	let wantOpen = false;
	// Bumped by remove(): a targeting answer for an earlier load is dropped.
	let generation = 0;
	// The generation whose targeting answer is awaited, if any.
	let resolving = -1;
	const settings = (): ChatflowsSettings => window.chatflowsSettings ?? {};

	const show = ( config: WidgetConfig | null ) => {
		if ( config && ! widget ) {
			const {
				inlineEmbedSelector = config.inlineEmbedSelector,
				identificationEmail: email,
				identificationToken: token,
				disableAttachment,
				enableWidgetCookieBanner,
			} = settings();
			const embed = inlineEmbedSelector
				? document.querySelector( inlineEmbedSelector )
				: null;
			const identification =
				email && token ? { email, token } : undefined;
			const consent = cookieConsent(
				config,
				enableWidgetCookieBanner,
				!! identification
			);
			gateStorage( consent );
			widget = placeWidget(
				{
					...config,
					embedded: !! embed,
					disableAttachment,
					consent,
					identification,
				},
				events,
				embed
			);
		}
		if ( wantOpen ) {
			widget?.open();
		}
		wantOpen = false;
	};

	const load = ( { widgetOpen = false } = {} ) => {
		wantOpen ||= widgetOpen;
		const raw = window.chatflowsConfig as
			| ( WidgetConfig & {
					candidates?: Array< { config: WidgetConfig } >;
			  } )
			| undefined;
		if ( widget || ! raw?.candidates?.[ 0 ] ) {
			show( raw?.candidates ? null : ( raw ?? null ) );
		} else if ( resolving !== generation ) {
			// Visitor rules decide which chatflow serves: the targeting module, built beside
			// the chat window with the same version, evaluates them.
			const current = ( resolving = generation );
			(
				import(
					/* webpackIgnore: true */ raw.candidates[ 0 ].config.chatWindowUrl.replace(
						'chat-window.js',
						'targeting.js'
					)
				) as Promise< TargetingModule >
			 )
				.then( ( targeting ) => targeting.resolveVisitorConfig( raw ) )
				.catch( () => null )
				.then( ( config ) => {
					if ( current === generation ) {
						resolving = -1;
						show( config );
					}
				} );
		}
	};
	const remove = () => {
		generation++;
		wantOpen = false;
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
				const wasOpen = widget?.isOpen();
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
