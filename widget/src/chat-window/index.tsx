/**
 * The lazily loaded chat window: the loader imports this module and mounts it
 * into its shadow root.
 */
import { render } from 'preact';

import type { ChatWindowHandle, ChatWindowHost, WidgetConfig } from '../config';
import { ChatWindow } from './chat-window';
import { PreviewChat } from './preview-chat';
import { CHAT_WINDOW_STYLE } from './styles';
import { VisitorChat } from './visitor-chat';

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
	const style = document.createElement( 'style' );
	style.textContent = CHAT_WINDOW_STYLE;
	const container = document.createElement( 'div' );
	root.append( style, container );

	const chat = config.preview ? new PreviewChat() : new VisitorChat( config );
	const draw = ( visible: boolean ) =>
		render(
			<ChatWindow
				chat={ chat }
				config={ config }
				visible={ visible }
				onClose={ host.onClose }
			/>,
			container
		);

	draw( false );
	return {
		show: () => draw( true ),
		hide: () => draw( false ),
	};
}
