/**
 * One widget on the page: the launcher (or an inline embed), the welcome
 * prompt, the triggers, and the chat window loaded only when needed.
 */
import type {
	ChatWindowHandle,
	ChatWindowModule,
	DisplayBehaviour,
	WidgetConfig,
} from '../page-settings';
import type { ChatflowsEvents } from '../api/events';
import { mayStore } from '../consent/cookie-consent';
import { DEFAULT_ACCENT } from '../colour';
import { appearance, isMobileViewport } from './behaviour';
import { watchTriggers } from './triggers';
import {
	minimisedRecently,
	rememberMinimised,
	rememberOpen,
	wasOpen,
} from './storage';

const STYLE =
	// One line: every byte of the loader counts.
	':host{all:initial}button{border:0;cursor:pointer;font:inherit;color:inherit;background:none}button:focus-visible{outline:3px solid #111;outline-offset:3px}.launcher,.prompt{position:fixed;right:20px;z-index:2147483000;box-shadow:0 4px 16px #0004;display:flex}.launcher{bottom:20px;width:56px;height:56px;border-radius:50%;display:grid;place-items:center;background:var(--a);color:#fff;color:contrast-color(var(--a))}svg{width:28px;fill:currentColor}.badge{position:absolute;top:-4px;right:-4px;padding:0 6px;border-radius:9px;background:#d63638;font:700 12px/18px system-ui}.prompt{bottom:88px;max-width:min(300px,80vw);border-radius:12px;background:#fff;color:#1e1e1e;font:15px/1.4 system-ui}.text{padding:14px 4px 14px 16px;text-align:start}.dismiss{padding:8px 10px;font-size:20px}[hidden]{display:none!important}';

const CHAT_ICON =
	'<svg viewBox="0 0 24 24"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';

/** What the loader and the JS API do with a placed widget. */
export interface Widget {
	open: () => void;
	close: () => void;
	remove: () => void;
	isOpen: () => boolean;
}

function button( className: string ): HTMLButtonElement {
	const node = document.createElement( 'button' );
	node.type = 'button';
	node.className = className;
	return node;
}

/**
 * Places the widget on the page. What it remembers goes through
 * ./storage, which the loader turns off for the admin's preview.
 *
 * @param config The resolved configuration.
 * @param events The JS API's events.
 * @param embed  The page element to embed the chat in, if any.
 * @return The placed widget.
 */
export function placeWidget(
	config: WidgetConfig,
	events: ChatflowsEvents,
	embed: Element | null
): Widget {
	const { chatflow, preview, texts } = config;
	const host = document.createElement( 'div' );
	host.id = 'chatflows-widget';
	const root = host.attachShadow( { mode: 'open' } );
	root.innerHTML = `<style>${ STYLE }</style>`;

	let chatWindow: Promise< ChatWindowHandle > | undefined;
	let isOpen = false;
	let removed = false;
	let stopTriggers = () => {};
	const interacted = () => events.emit( 'userInteractedWithWidget', {} );

	const launcher = button( 'launcher' );
	launcher.innerHTML = `${ CHAT_ICON }<span class="badge" aria-hidden="true" hidden></span>`;
	const badge = launcher.lastChild as HTMLElement;
	// The chatflow's colour, as the window uses it. The icon's colour is the
	// browser's `contrast-color()` (white or black, as `readableTextColor`
	// chooses; white where unsupported): the loader has no bytes to spare.
	launcher.style.setProperty(
		'--a',
		chatflow?.accentColor ?? config.accentColor ?? DEFAULT_ACCENT
	);
	const prompt = document.createElement( 'div' );
	prompt.className = 'prompt';
	prompt.hidden = true;
	const promptText = button( 'text' );
	// Text, never HTML: the welcome message is the site's, but shown as written.
	promptText.textContent = chatflow?.welcomeMessage ?? '';
	const dismiss = button( 'dismiss' );
	dismiss.textContent = '×';
	dismiss.setAttribute( 'aria-label', texts.closeChat );
	prompt.append( promptText, dismiss );

	// The launcher stays the first button: the admin's preview clicks it.
	if ( embed ) {
		host.style.cssText = 'display:block;height:100%';
	} else {
		root.append( launcher, prompt );
	}

	const render = () => {
		launcher.setAttribute(
			'aria-label',
			isOpen ? texts.closeChat : texts.openChat
		);
		launcher.setAttribute( 'aria-expanded', String( isOpen ) );
	};

	const quieten = () => {
		prompt.hidden = true;
		stopTriggers();
		rememberMinimised();
	};

	const close = () => {
		if ( embed || ! isOpen ) {
			return;
		}
		isOpen = false;
		quieten();
		rememberOpen( false );
		render();
		chatWindow?.then( ( handle ) => handle.hide() );
		launcher.focus();
		events.emit( 'widgetClosed', {} );
	};

	const loadModule = () =>
		import(
			/* webpackIgnore: true */ config.chatWindowUrl
		) as Promise< ChatWindowModule >;

	const open = () => {
		if ( removed ) {
			return;
		}
		isOpen = true;
		stopTriggers();
		prompt.hidden = true;
		launcher.hidden = false;
		if ( ! embed ) {
			rememberOpen( true );
		}
		render();
		chatWindow ??= loadModule().then( ( module ) =>
			module.mount( root, config, {
				onClose: close,
				onAvailability: ( { hideLauncher } ) => {
					launcher.hidden = hideLauncher && ! isOpen;
				},
				onUnreadCount: ( unreadCount ) => {
					badge.hidden = unreadCount < 1;
					badge.textContent = String( unreadCount );
					events.emit( 'unreadConversationCountChanged', {
						unreadCount,
					} );
				},
				emit: events.emit,
			} )
		);
		chatWindow.then( ( handle ) => {
			if ( isOpen && ! removed ) {
				handle.show();
			}
		} );
	};

	launcher.onclick = () => {
		interacted();
		if ( isOpen ) {
			close();
		} else {
			open();
		}
	};
	promptText.onclick = () => {
		interacted();
		open();
	};
	dismiss.onclick = () => {
		interacted();
		quieten();
	};
	render();
	( embed ?? document.body ).append( host );

	if ( embed || wasOpen() ) {
		open();
	} else {
		const shown = appearance(
			chatflow?.displayBehaviour,
			isMobileViewport(),
			minimisedRecently()
		);
		if ( shown === 'prompt' && promptText.textContent ) {
			prompt.hidden = false;
		} else if ( shown === 'prompt_on_trigger' ) {
			stopTriggers = watchTriggers(
				chatflow!.displayBehaviour.triggers,
				open
			);
		}
		// Hidden while the service says nobody can answer, when the chatflow says so: asked
		// before any socket, and only when one of its settings can hide the launcher.
		const hiding = chatflow?.availability?.hideLauncherWhen;
		if ( ! preview && hiding?.length ) {
			launcher.hidden = true;
			// The chatflow id is WordPress's post id: nothing to encode.
			fetch(
				`${ config.serviceUrl }/v1/availability/${ config.chatflowId }`
			)
				.then( ( response ) => response.json() )
				.then(
					( { state } ) => {
						launcher.hidden = ! isOpen && hiding.includes( state );
					},
					() => {
						// The service cannot say: the chat window will tell the visitor.
						launcher.hidden = false;
					}
				);
		}
		// Cookie consent asked on exit intent: the banner (in the chat window's module, which
		// decides whether it is still needed) beside the launcher.
		if ( config.consent?.exitIntent && ! mayStore( config.consent ) ) {
			// Fires once; by then the chat may be open (its window asks instead) or removed.
			watchTriggers(
				{ exitIntent: true } as DisplayBehaviour[ 'triggers' ],
				() =>
					! isOpen &&
					! removed &&
					loadModule().then( ( module ) =>
						module.banner( root, config )
					)
			);
		}
	}
	events.emit( 'widgetLoaded', {} );

	return {
		open,
		close,
		isOpen: () => isOpen,
		remove() {
			removed = true;
			isOpen = false;
			stopTriggers();
			chatWindow?.then( ( handle ) => handle.destroy?.() );
			host.remove();
		},
	};
}
