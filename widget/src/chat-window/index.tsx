/**
 * The lazily loaded chat window: the loader imports this module and mounts it
 * into its shadow root.
 */
import { render } from 'preact';

import type {
	ChatWindowHandle,
	ChatWindowHost,
	ChatWindowTexts,
	WidgetConfig,
} from '../page-settings';
import { accentPalette } from '../colour';
import { availabilityView } from './availability-view';
import { ChatWindow } from './chat-window';
import { removeLauncherBanner, showLauncherBanner } from './consent';
import type { ChatWindowExtensions } from './extensions';
import { PreviewChat } from './preview-chat';
import { CHAT_WINDOW_STYLE } from './styles';
import { ATTACHMENT_STYLE, attachAction } from './attachments';
import {
	KNOWLEDGE_BASE_STYLE,
	knowledgeBaseTab,
} from './knowledge-base/knowledge-base';
import { gateStorage } from './storage';
import { VisitorChat, type ChatController } from './visitor-chat';

/** The window inside a page element (inline embed): its size, in the page's flow. */
const EMBEDDED_STYLE =
	'.window{position:relative;inset:auto;width:100%;max-width:none;height:100%;min-height:420px;max-height:none;box-shadow:none;border:1px solid #dcdcde}';

/** Tabs and composer buttons other parts of the widget add to the window. */
const extensions: ChatWindowExtensions = {
	tabs: [ knowledgeBaseTab ],
	composerActions: [ attachAction ],
};

/**
 * The window's texts; a configuration printed without them (the admin's
 * preview) gets empty ones, and the controls needing them stay hidden.
 *
 * @param config The inline configuration.
 */
function windowTexts( config: WidgetConfig ): ChatWindowTexts {
	if ( config.texts.window ) {
		return config.texts.window;
	}
	const empty = ( keys: string[] ) =>
		Object.fromEntries( keys.map( ( key ) => [ key, '' ] ) );
	return {
		...( empty( [
			'chatTab',
			'sound',
			'returnTime',
			'queuePosition',
			'typing',
			'seen',
			'emailLabel',
			'emailSubmit',
			'emailInvalid',
			'emailSaved',
			'offlineHeading',
			'offlineIntro',
			'unreachable',
			'unavailable',
			'offlineSubmit',
			'offlineSent',
			'offlineQueued',
			'messageRequired',
			'surveyRating',
			'surveyComment',
			'surveySubmit',
			'surveyThanks',
			'surveyChooseRating',
			'conversationClosed',
			'startNew',
			'skip',
			'startHint',
			'rateLimited',
			'notDelivered',
			'cookieBanner',
			'cookieAccept',
			'cookieDecline',
			'dataAgree',
			'dataAgreeFirst',
			'privacyPolicy',
		] ) as Omit< ChatWindowTexts, 'replyTime' > ),
		replyTime: { minutes: '', hour: '', hours: '', day: '' },
	};
}

/**
 * Tells the loader what it shows outside the window (whether the launcher
 * hides, and the unread count for its badge, each only when it changes) and
 * the moments its public API reports as events.
 *
 * @param chat   The chat.
 * @param config The inline configuration.
 * @param texts  The window's texts.
 * @param host   Callbacks into the loader.
 */
function reportToHost(
	chat: ChatController,
	config: WidgetConfig,
	texts: ChatWindowTexts,
	host: ChatWindowHost
): void {
	let availabilityKey = '';
	let unread = -1;
	const report = () => {
		const state = chat.getState();
		if ( state.availability && host.onAvailability ) {
			const view = availabilityView(
				state.availability,
				config.chatflow?.availability,
				texts,
				config.locale
			);
			const key = `${ view.state }:${ view.hideLauncher }`;
			if ( key !== availabilityKey && view.state ) {
				availabilityKey = key;
				host.onAvailability( {
					state: view.state,
					hideLauncher: view.hideLauncher,
				} );
			}
		}
		if ( state.unreadCount !== unread ) {
			unread = state.unreadCount;
			host.onUnreadCount?.( unread );
		}
	};
	chat.subscribe( report );
	report();
	chat.onEvent( ( event ) => {
		if ( event.type === 'contactAssociated' ) {
			host.emit?.( event.type, {} );
		} else {
			host.emit?.( event.type, {
				conversation: { conversationId: event.conversationId },
			} );
		}
	} );
}

/**
 * Mounts the chat window and connects to the chat service.
 *
 * @param root   The loader's shadow root.
 * @param config The inline configuration.
 * @param host   Callbacks into the loader.
 */
export function mount(
	root: ShadowRoot,
	config: WidgetConfig,
	host: ChatWindowHost
): ChatWindowHandle {
	// The same consent as the loader's: one answer holds for both.
	gateStorage( config.consent );
	const style = document.createElement( 'style' );
	style.textContent =
		CHAT_WINDOW_STYLE +
		ATTACHMENT_STYLE +
		KNOWLEDGE_BASE_STYLE +
		// Embedded in a page element: fill it instead of floating over the page.
		( config.embedded ? EMBEDDED_STYLE : '' );
	const container = document.createElement( 'div' );
	root.append( style, container );

	const texts = windowTexts( config );
	const chat: ChatController = config.preview
		? new PreviewChat()
		: new VisitorChat( config );
	reportToHost( chat, config, texts, host );
	const draw = ( visible: boolean ) =>
		render(
			<ChatWindow
				chat={ chat }
				config={ config }
				texts={ texts }
				visible={ visible }
				onClose={ host.onClose }
				onInteract={ () =>
					host.emit?.( 'userInteractedWithWidget', {} )
				}
				extensions={ extensions }
			/>,
			container
		);

	draw( false );
	return {
		show: () => {
			// The window asks now, if it still must.
			removeLauncherBanner();
			draw( true );
		},
		hide: () => draw( false ),
		destroy: () => {
			removeLauncherBanner();
			render( null, container );
			chat.close?.();
			style.remove();
			container.remove();
		},
	};
}

/**
 * Shows the cookie banner beside the launcher (exit intent), unless nothing
 * needs asking any more.
 *
 * @param root   The loader's shadow root.
 * @param config The inline configuration.
 */
export function banner( root: ShadowRoot, config: WidgetConfig ): void {
	const palette = accentPalette(
		config.chatflow?.accentColor ?? config.accentColor
	);
	showLauncherBanner( root, config, {
		background: palette.solid,
		text: palette.onAccent,
	} );
}
