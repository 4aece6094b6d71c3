/**
 * The loader: a launcher button in a shadow root, and the chat window loaded
 * only when the visitor needs it. Kept tiny (budget: 3 KB gzip).
 */
import type {
	ChatWindowHandle,
	ChatWindowModule,
	WidgetConfig,
} from './config';

/** Remembers, for this tab only, that the chat was open, so a reload reopens it. */
const OPEN_FLAG = 'chatflows:open';

const STYLE = `:host{all:initial}
.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:56px;height:56px;border:0;border-radius:50%;background:#1e6ef4;color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center}
.launcher:focus-visible{outline:3px solid #111;outline-offset:3px}
.launcher svg{width:28px;height:28px;fill:currentColor}`;

const CHAT_ICON =
	'<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';

function sessionFlag( value?: boolean, preview?: boolean ): boolean {
	if ( preview ) {
		return false;
	}
	try {
		if ( value === true ) {
			window.sessionStorage.setItem( OPEN_FLAG, '1' );
		} else if ( value === false ) {
			window.sessionStorage.removeItem( OPEN_FLAG );
		}
		return window.sessionStorage.getItem( OPEN_FLAG ) === '1';
	} catch {
		// Storage can be blocked; the chat still works for this page view.
		return false;
	}
}

/**
 * Puts the launcher on the page.
 *
 * @param config The inline configuration.
 */
export function start( config: WidgetConfig ): void {
	const container = document.createElement( 'div' );
	container.id = 'chatflows-widget';
	const root = container.attachShadow( { mode: 'open' } );
	const style = document.createElement( 'style' );
	style.textContent = STYLE;
	const launcher = document.createElement( 'button' );
	launcher.type = 'button';
	launcher.className = 'launcher';
	launcher.innerHTML = CHAT_ICON;
	if ( config.accentColor ) {
		launcher.style.background = config.accentColor;
	}
	root.append( style, launcher );
	document.body.appendChild( container );

	let chatWindow: Promise< ChatWindowHandle > | undefined;
	let isOpen = false;

	const render = () => {
		launcher.setAttribute(
			'aria-label',
			isOpen ? config.texts.closeChat : config.texts.openChat
		);
		launcher.setAttribute( 'aria-expanded', String( isOpen ) );
	};

	const close = () => {
		isOpen = false;
		sessionFlag( false, config.preview );
		render();
		chatWindow?.then( ( handle ) => handle.hide() );
		launcher.focus();
	};

	const open = () => {
		isOpen = true;
		sessionFlag( true, config.preview );
		render();
		chatWindow ??= (
			import(
				/* webpackIgnore: true */ config.chatWindowUrl
			) as Promise< ChatWindowModule >
		 ).then( ( module ) =>
			module.mount( root, config, { onClose: close } )
		);
		chatWindow.then( ( handle ) => {
			if ( isOpen ) {
				handle.show();
			}
		} );
	};

	launcher.addEventListener( 'click', () => ( isOpen ? close() : open() ) );
	render();
	if ( sessionFlag( undefined, config.preview ) ) {
		open();
	}
}

if ( window.chatflowsConfig ) {
	start( window.chatflowsConfig );
}
