/**
 * One widget on the page: the launcher (or an inline embed), the welcome
 * prompt, the triggers, and the chat window loaded only when needed.
 */
import type {
	ChatWindowHandle,
	ChatWindowModule,
	WidgetConfig,
} from '../config';
import type { ChatflowsEvents } from '../api/events';
import { appearance, isMobileViewport } from './behaviour';
import { watchTriggers } from './triggers';
import {
	minimisedRecently,
	rememberMinimised,
	rememberOpen,
	wasOpen,
} from './storage';

const STYLE = `:host{all:initial}
button{border:0;cursor:pointer;font:inherit;color:inherit;background:none}
button:focus-visible{outline:3px solid #111;outline-offset:3px}
.launcher,.prompt{position:fixed;right:20px;z-index:2147483000;box-shadow:0 4px 16px #0004;display:flex}
.launcher{bottom:20px;width:56px;height:56px;border-radius:50%;background:#1e6ef4;color:#fff;align-items:center;justify-content:center}
svg{width:28px;fill:currentColor}
.badge{position:absolute;top:-4px;right:-4px;padding:0 6px;border-radius:9px;background:#d63638;font:700 12px/18px sans-serif}
.prompt{bottom:88px;max-width:min(300px,80vw);border-radius:12px;background:#fff;color:#1e1e1e;font:15px/1.4 system-ui,sans-serif}
.text{padding:14px 4px 14px 16px;text-align:start}
.dismiss{padding:8px 10px;font-size:20px}
[hidden]{display:none!important}`;

const CHAT_ICON =
	'<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';

/** States in which the chatflow may ask to hide the launcher, with their setting. */
const HIDING_SETTING = {
	away: 'whenAway',
	offline: 'whenOffline',
	at_capacity: 'whenAtCapacity',
} as const;

/** What the loader and the JS API do with a placed widget. */
export interface Widget {
	open: () => void;
	close: () => void;
	remove: () => void;
	isOpen: () => boolean;
}

function element< Tag extends keyof HTMLElementTagNameMap >(
	tag: Tag,
	className: string
): HTMLElementTagNameMap[ Tag ] {
	const node = document.createElement( tag );
	node.className = className;
	return node;
}

/**
 * Places the widget on the page.
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
	const chatflow = config.chatflow;
	const preview = !! config.preview;
	const host = document.createElement( 'div' );
	host.id = 'chatflows-widget';
	const root = host.attachShadow( { mode: 'open' } );
	const style = document.createElement( 'style' );
	style.textContent = STYLE;
	root.append( style );

	let chatWindow: Promise< ChatWindowHandle > | undefined;
	let isOpen = false;
	let removed = false;
	let stopTriggers = () => {};
	const interacted = () => events.emit( 'userInteractedWithWidget', {} );

	const launcher = element( 'button', 'launcher' );
	launcher.type = 'button';
	launcher.innerHTML = CHAT_ICON;
	const badge = element( 'span', 'badge' );
	badge.hidden = true;
	badge.setAttribute( 'aria-hidden', 'true' );
	launcher.append( badge );
	if ( config.accentColor ) {
		launcher.style.background = config.accentColor;
	}

	const prompt = element( 'div', 'prompt' );
	const promptText = element( 'button', 'text' );
	promptText.type = 'button';
	promptText.textContent = chatflow?.welcomeMessage ?? '';
	const dismiss = element( 'button', 'dismiss' );
	dismiss.type = 'button';
	dismiss.textContent = '×';
	dismiss.setAttribute( 'aria-label', config.texts.closeChat );
	prompt.append( promptText, dismiss );
	prompt.hidden = true;

	// The launcher stays first: the admin's preview clicks the first button.
	if ( embed ) {
		host.style.display = 'block';
		host.style.height = '100%';
	} else {
		root.append( launcher, prompt );
	}

	const hidePrompt = () => {
		prompt.hidden = true;
	};

	const render = () => {
		launcher.setAttribute(
			'aria-label',
			isOpen ? config.texts.closeChat : config.texts.openChat
		);
		launcher.setAttribute( 'aria-expanded', String( isOpen ) );
	};

	const close = () => {
		if ( embed || ! isOpen ) {
			return;
		}
		isOpen = false;
		if ( ! preview ) {
			rememberOpen( false );
			rememberMinimised();
		}
		render();
		chatWindow?.then( ( handle ) => handle.hide() );
		launcher.focus();
		events.emit( 'widgetClosed', {} );
	};

	const open = () => {
		if ( removed ) {
			return;
		}
		isOpen = true;
		stopTriggers();
		hidePrompt();
		launcher.hidden = false;
		if ( ! preview && ! embed ) {
			rememberOpen( true );
		}
		render();
		chatWindow ??= (
			import(
				/* webpackIgnore: true */ config.chatWindowUrl
			) as Promise< ChatWindowModule >
		 ).then( ( module ) =>
			module.mount( root, config, {
				onClose: close,
				onAvailability: ( { hideLauncher } ) => {
					launcher.hidden = hideLauncher && ! isOpen;
				},
				onUnreadCount: ( count ) => {
					badge.hidden = count < 1;
					badge.textContent = String( count );
					events.emit( 'unreadConversationCountChanged', {
						unreadCount: count,
					} );
				},
				onConversationStarted: ( conversationId ) =>
					events.emit( 'conversationStarted', {
						conversation: { conversationId },
					} ),
				onConversationClosed: ( conversationId ) =>
					events.emit( 'conversationClosed', {
						conversation: { conversationId },
					} ),
				onContactAssociated: () =>
					events.emit( 'contactAssociated', {} ),
				onUserInteracted: interacted,
			} )
		);
		chatWindow.then( ( handle ) => {
			if ( isOpen && ! removed ) {
				handle.show();
			}
		} );
	};

	launcher.addEventListener( 'click', () => {
		interacted();
		if ( isOpen ) {
			close();
		} else {
			open();
		}
	} );
	promptText.addEventListener( 'click', () => {
		interacted();
		open();
	} );
	dismiss.addEventListener( 'click', () => {
		interacted();
		hidePrompt();
		stopTriggers();
		if ( ! preview ) {
			rememberMinimised();
		}
	} );
	render();

	( embed ?? document.body ).appendChild( host );

	if ( embed || ( ! preview && wasOpen() ) ) {
		open();
	} else {
		const shown = appearance(
			chatflow?.displayBehaviour,
			isMobileViewport(),
			! preview && minimisedRecently()
		);
		if ( shown === 'prompt' && promptText.textContent ) {
			prompt.hidden = false;
		} else if ( shown === 'prompt_on_trigger' ) {
			stopTriggers = watchTriggers(
				chatflow!.displayBehaviour!.triggers,
				open
			);
		}
		hideWhileUnavailable( config, launcher, () => isOpen );
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

/**
 * Hides the launcher while the chatflow's availability asks for it, as the
 * service reports it, before the chat window is ever loaded. Asks only when
 * one of the chatflow's settings can hide the launcher.
 *
 * @param config   The configuration.
 * @param launcher The launcher button.
 * @param isOpen   Whether the chat is open (an open chat keeps its launcher).
 */
function hideWhileUnavailable(
	config: WidgetConfig,
	launcher: HTMLElement,
	isOpen: () => boolean
): void {
	const settings = config.chatflow?.availability as
		Record< string, string > | undefined;
	if (
		config.preview ||
		! settings ||
		! Object.values( HIDING_SETTING ).some(
			( key ) => settings[ key ] === 'hide_launcher'
		)
	) {
		return;
	}
	// Hidden until the answer, so it never flashes; shown if the service cannot say.
	launcher.hidden = true;
	fetch(
		`${ config.serviceUrl }/v1/availability/${ encodeURIComponent(
			config.chatflowId
		) }`
	)
		.then( ( response ) => response.json() )
		.then( ( { state }: { state: keyof typeof HIDING_SETTING } ) => {
			launcher.hidden =
				! isOpen() &&
				settings[ HIDING_SETTING[ state ] ] === 'hide_launcher';
		} )
		.catch( () => {
			launcher.hidden = false;
		} );
}
