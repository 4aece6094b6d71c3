/**
 * For the end-to-end layout tests (test/e2e/widget-look.spec.ts): shows the
 * real chat window, with the page's own configuration and texts as WordPress
 * printed them, in one chosen state of the chat, so that every combination
 * of panels can be laid out, measured and photographed in Chromium. Only the
 * chat's state is set here; the window, its styles and its forms are the
 * shipped ones. Bundled by the spec; never part of the plugin.
 */
import { h, render } from 'preact';

import { type ChatMessage } from '@chatflows/protocol';
import type {
	PublicChatflowSettings,
	WidgetConfig,
} from '../src/page-settings';
import { ATTACHMENT_STYLE, attachAction } from '../src/chat-window/attachments';
import { ChatWindow } from '../src/chat-window/chat-window';
import {
	KNOWLEDGE_BASE_STYLE,
	knowledgeBaseTab,
} from '../src/chat-window/knowledge-base/knowledge-base';
import { CHAT_WINDOW_STYLE } from '../src/chat-window/styles';
import {
	initialChatState,
	type ChatController,
	type VisitorChatState,
} from '../src/chat-window/visitor-chat';
import type { LayoutState } from './layout-state';

/** A chat that stays in the state it was given. */
class StillChat implements ChatController {
	constructor( private readonly state: VisitorChatState ) {}
	getState = () => this.state;
	subscribe = () => () => undefined;
	send = () => undefined;
	saveEmail = async () => 'saved' as const;
	leaveOfflineMessage = () => undefined;
	setTyping = () => undefined;
	markRead = () => undefined;
	answerSurvey = async () => true;
	onEvent = () => () => undefined;
	recordConsent = () => undefined;
}

const RETURN_AT = '2026-01-05T09:00:00.000Z';

const CONVERSATION = {
	id: 'layout',
	chatflowId: 'layout',
	status: 'open' as const,
	createdAt: '2026-01-01T00:00:00.000Z',
};

function messagesOf( bodies: string[] ): ChatMessage[] {
	return bodies.map( ( body, index ) => ( {
		conversationId: CONVERSATION.id,
		seq: index + 1,
		clientId: `layout-${ index }`,
		authorType: index % 2 ? 'agent' : 'visitor',
		authorName: index % 2 ? 'Alex Agent' : '',
		body,
		createdAt: CONVERSATION.createdAt,
	} ) );
}

/**
 * The page's configuration with the state's settings turned on.
 *
 * @param config The configuration WordPress printed.
 * @param state  The state.
 */
function configFor( config: WidgetConfig, state: LayoutState ): WidgetConfig {
	const chatflow = config.chatflow as PublicChatflowSettings;
	const consent = chatflow.consent!;
	return {
		...config,
		preview: false,
		consent: state.cookieBanner
			? { required: true, exitIntent: false }
			: undefined,
		chatflow: {
			...chatflow,
			availability: {
				...chatflow.availability,
				whenOffline: 'show_return_time',
			},
			emailCapture: {
				...chatflow.emailCapture,
				enabled: !! state.emailCapture,
				when: state.emailCapture ?? 'after_first_message',
			},
			consent: {
				...consent,
				cookies: { ...consent.cookies, enabled: !! state.cookieBanner },
				data: {
					...consent.data,
					enabled: !! state.dataConsent,
					mode: 'explicit',
				},
				communications: {
					...consent.communications,
					enabled: !! state.communications,
				},
			},
		},
	};
}

/**
 * Shows the window in a state, replacing what showed before.
 *
 * @param state The state.
 */
function show( state: LayoutState ): void {
	document.getElementById( 'chatflows-widget' )?.remove();
	const host = document.createElement( 'div' );
	host.id = 'chatflows-widget';
	const root = host.attachShadow( { mode: 'open' } );
	const style = document.createElement( 'style' );
	style.textContent =
		CHAT_WINDOW_STYLE + ATTACHMENT_STYLE + KNOWLEDGE_BASE_STYLE;
	const container = document.createElement( 'div' );
	root.append( style, container );
	document.body.append( host );
	const config = configFor( window.chatflowsConfig as WidgetConfig, state );
	const chatflow = config.chatflow as PublicChatflowSettings;
	const chat = new StillChat( {
		...initialChatState( 'connected' ),
		availability: {
			chatflowId: config.chatflowId,
			state: state.officeClosed ? 'offline' : 'available',
			// Back in two days at 09:00 UTC: the notice names the day and time.
			nextReturnAt: state.officeClosed ? RETURN_AT : null,
			behaviour: null,
		},
		messages: messagesOf( state.messages ?? [] ),
		conversation: state.messages?.length ? CONVERSATION : null,
		...state.chat,
		// The chatflow's own question, in the page's language.
		survey: state.chat?.survey && {
			...state.chat.survey,
			question: chatflow.survey.question,
		},
	} as VisitorChatState );
	render(
		h( ChatWindow, {
			chat,
			config,
			texts: config.texts.window!,
			visible: true,
			onClose: () => undefined,
			extensions: {
				tabs: [ knowledgeBaseTab ],
				composerActions: [ attachAction ],
			},
		} ),
		container
	);
}

window.chatflowsLayout = { show };
