/*
 * @jest-environment-options {"customExportConditions": ["require", "default"]}
 */

/**
 * The chat window in jsdom with a chat standing in for the service: what the
 * visitor sees and does, by keyboard, with every text from the configuration.
 * (The export conditions above load Preact's CommonJS build: jsdom's default
 * "browser" condition picks its ES module, which jest cannot run.)
 */
import { fireEvent as domEvent, screen, waitFor } from '@testing-library/dom';
import { render } from 'preact';
import { act } from 'preact/test-utils';

import { type ChatMessage } from '@chatflows/protocol';
import type { WidgetConfig } from '../../page-settings';
import { ChatWindow } from '../chat-window';
import type { ChatWindowExtensions } from '../extensions';
import { playChime } from '../sound';
import { STORAGE_KEYS } from '../storage';
import { initialChatState } from '../visitor-chat';
import { WINDOW_TEXTS, chatflowSettings, widgetConfig } from './fixtures';
import { ScriptedChat } from './scripted-chat';

jest.mock( '../sound', () => ( { playChime: jest.fn() } ) );

/** DOM events, each followed by Preact's re-render. */
const fireEvent = {
	click: ( element: Element ) => act( () => void domEvent.click( element ) ),
	input: ( element: Element, init: object ) =>
		act( () => void domEvent.input( element, init ) ),
	keyDown: ( element: Element, init: object ) =>
		act( () => void domEvent.keyDown( element, init ) ),
};

let container: HTMLElement;
let onClose: jest.Mock;

function show(
	chat: ScriptedChat,
	config: WidgetConfig = widgetConfig(),
	extensions?: ChatWindowExtensions
) {
	act( () => {
		render(
			<ChatWindow
				chat={ chat }
				config={ config }
				texts={ WINDOW_TEXTS }
				visible
				onClose={ onClose }
				extensions={ extensions }
			/>,
			container
		);
	} );
}

function message(
	seq: number,
	authorType: ChatMessage[ 'authorType' ],
	body: string
): ChatMessage {
	return {
		conversationId: 'conv-1',
		seq,
		clientId: `c${ seq }`,
		authorType,
		authorName: authorType === 'agent' ? 'Alex Agent' : '',
		body,
		createdAt: '2026-01-01T00:00:00.000Z',
	};
}

const openConversation = {
	id: 'conv-1',
	chatflowId: '42',
	status: 'open' as const,
	createdAt: '2026-01-01T00:00:00.000Z',
};

beforeEach( () => {
	window.localStorage.clear();
	container = document.createElement( 'div' );
	document.body.appendChild( container );
	onClose = jest.fn();
} );

afterEach( () => {
	act( () => render( null, container ) );
	container.remove();
} );

describe( 'ChatWindow', () => {
	it( 'is a dialog named by its heading, welcomes the visitor, and puts focus in the message box', () => {
		show( new ScriptedChat() );
		expect(
			screen.getByRole( 'dialog', { name: 'Chat with us' } )
		).toHaveAttribute( 'lang', 'en-US' );
		expect(
			screen.getByRole( 'log', { name: 'Messages' } )
		).toHaveTextContent( 'Welcome! Ask away.' );
		expect(
			screen.getByRole( 'textbox', { name: 'Message' } )
		).toHaveFocus();
	} );

	it( 'shows markup in messages as text', () => {
		const chat = new ScriptedChat();
		show( chat );
		chat.set( {
			messages: [
				message(
					1,
					'agent',
					'<img src=x onerror="alert(1)"><b>hi</b>'
				),
			],
		} );
		const log = screen.getByRole( 'log', { name: 'Messages' } );
		expect( log ).toHaveTextContent(
			'<img src=x onerror="alert(1)"><b>hi</b>'
		);
		expect( log.querySelector( 'img, b' ) ).toBeNull();
	} );

	it( 'sends with Enter, not with Shift+Enter or an empty box, and says typing', () => {
		const chat = new ScriptedChat();
		show( chat );
		const box = screen.getByRole( 'textbox', { name: 'Message' } );
		fireEvent.keyDown( box, { key: 'Enter' } );
		fireEvent.input( box, { target: { value: 'Hello' } } );
		fireEvent.keyDown( box, { key: 'Enter', shiftKey: true } );
		fireEvent.keyDown( box, { key: 'Enter' } );
		expect( chat.calls ).toEqual( [
			[ 'setTyping', true ],
			[ 'setTyping', false ],
			[ 'send', 'Hello' ],
		] );
		expect( box ).toHaveValue( '' );
	} );

	it( 'closes on Escape from anywhere inside, and with the close button', () => {
		show( new ScriptedChat() );
		fireEvent.keyDown( screen.getByRole( 'textbox', { name: 'Message' } ), {
			key: 'Escape',
		} );
		fireEvent.click( screen.getByRole( 'button', { name: 'Close chat' } ) );
		expect( onClose ).toHaveBeenCalledTimes( 2 );
	} );

	it( 'shows the availability notice, the queue and the team typing', () => {
		const chat = new ScriptedChat();
		show( chat );
		chat.set( {
			availability: {
				chatflowId: '42',
				state: 'at_capacity',
				nextReturnAt: null,
				behaviour: null,
			},
			conversation: openConversation,
			messages: [ message( 1, 'visitor', 'Hi' ) ],
			queue: {
				conversationId: 'conv-1',
				position: 3,
				estimatedWaitSeconds: 540,
			},
			agentTyping: true,
		} );
		expect( screen.getByText( 'Everyone is busy.' ) ).toBeInTheDocument();
		expect(
			screen.getByText( 'Number 3 in line, about 9 minutes.' )
		).toBeInTheDocument();
		expect( screen.getByText( 'Team is typing…' ) ).toBeInTheDocument();
	} );

	it( 'marks the visitor’s message the team read as seen, and reads what arrives', () => {
		const chat = new ScriptedChat();
		show( chat );
		chat.set( {
			conversation: openConversation,
			messages: [
				message( 1, 'visitor', 'Hi' ),
				message( 2, 'agent', 'Hello' ),
			],
			agentReadSeq: 1,
			unreadCount: 1,
		} );
		expect( screen.getByText( 'Hi' ).closest( 'li' ) ).toHaveTextContent(
			'Seen'
		);
		expect( chat.reads ).toBeGreaterThan( 0 );
	} );

	it( 'turns the sound on and off, remembered in storage, off by default', () => {
		show( new ScriptedChat() );
		const toggle = screen.getByRole( 'button', {
			name: 'Sound on new messages',
		} );
		expect( toggle ).toHaveAttribute( 'aria-pressed', 'false' );
		fireEvent.click( toggle );
		expect( toggle ).toHaveAttribute( 'aria-pressed', 'true' );
		expect( window.localStorage.getItem( STORAGE_KEYS.sound ) ).toBe( '1' );
		fireEvent.click( toggle );
		expect( window.localStorage.getItem( STORAGE_KEYS.sound ) ).toBeNull();
	} );

	it( 'chimes on a new message from the team only once the visitor turned the sound on', () => {
		const chime = playChime as jest.Mock;
		chime.mockClear();
		const chat = new ScriptedChat();
		show( chat );
		chat.set( { agentMessagesReceived: 1 } );
		expect( chime ).not.toHaveBeenCalled();
		fireEvent.click(
			screen.getByRole( 'button', { name: 'Sound on new messages' } )
		);
		expect( chime ).not.toHaveBeenCalled();
		chat.set( { agentMessagesReceived: 2 } );
		chat.set( { unreadCount: 0 } );
		expect( chime ).toHaveBeenCalledTimes( 1 );
	} );

	it( 'asks the e-mail address before the chat: an invalid one is marked inline, a valid one saved', async () => {
		const chat = new ScriptedChat();
		show(
			chat,
			widgetConfig(
				chatflowSettings( {
					emailCapture: {
						enabled: true,
						when: 'before_chat',
						message: 'Your e-mail, please?',
					},
				} )
			)
		);
		const field = screen.getByRole( 'textbox', { name: 'E-mail address' } );
		expect( field ).toHaveFocus();
		expect(
			screen.queryByRole( 'textbox', { name: 'Message' } )
		).toBeNull();
		fireEvent.input( field, { target: { value: 'ana@example' } } );
		fireEvent.click(
			screen.getByRole( 'button', { name: 'Save e-mail address' } )
		);
		expect( field ).toHaveAttribute( 'aria-invalid', 'true' );
		expect( field ).toHaveAccessibleDescription(
			'Enter a valid e-mail address.'
		);
		expect( chat.calls ).toEqual( [] );

		fireEvent.input( field, { target: { value: 'ana@example.com' } } );
		expect( field ).toHaveAttribute( 'aria-invalid', 'false' );
		fireEvent.click(
			screen.getByRole( 'button', { name: 'Save e-mail address' } )
		);
		await waitFor( () =>
			expect( chat.calls ).toEqual( [
				[ 'saveEmail', 'ana@example.com' ],
			] )
		);
		chat.set( { contact: 'saved' } );
		expect(
			screen.getByRole( 'textbox', { name: 'Message' } )
		).toBeInTheDocument();
	} );

	it( 'offers the offline form while nobody answers; both fields are checked inline', () => {
		const chat = new ScriptedChat();
		show( chat );
		chat.set( {
			availability: {
				chatflowId: '42',
				state: 'away',
				nextReturnAt: null,
				behaviour: null,
			},
		} );
		expect( screen.getByText( 'We are away.' ) ).toBeInTheDocument();
		expect(
			screen.getByRole( 'heading', { name: 'Leave us a message' } )
		).toBeInTheDocument();
		fireEvent.click(
			screen.getByRole( 'button', { name: 'Leave message' } )
		);
		const email = screen.getByRole( 'textbox', { name: 'E-mail address' } );
		const body = screen.getByRole( 'textbox', { name: 'Message' } );
		expect( email ).toHaveAttribute( 'aria-invalid', 'true' );
		expect( body ).toHaveAccessibleDescription( 'Write a message.' );
		fireEvent.input( email, { target: { value: 'ana@example.com' } } );
		fireEvent.input( body, { target: { value: 'Call me' } } );
		fireEvent.click(
			screen.getByRole( 'button', { name: 'Leave message' } )
		);
		expect( chat.calls ).toEqual( [
			[ 'leaveOfflineMessage', 'ana@example.com', 'Call me' ],
		] );
	} );

	it( 'says the chat cannot be reached and still offers the offline form', () => {
		const chat = new ScriptedChat();
		chat.state = initialChatState( 'unreachable' );
		show( chat );
		expect(
			screen.getByText( 'The chat cannot be reached.' )
		).toBeInTheDocument();
		expect(
			screen.getByRole( 'button', { name: 'Leave message' } )
		).toBeInTheDocument();
	} );

	it( 'says the chat is not available, offering nothing to send, once the service refuses its chatflow', () => {
		const chat = new ScriptedChat();
		show( chat );
		chat.set( {
			status: 'unavailable',
			conversation: { ...openConversation, status: 'closed' },
			messages: [ message( 1, 'visitor', 'Hi' ) ],
		} );
		expect(
			screen.getByText( 'This chat is not available.' )
		).toBeInTheDocument();
		expect( screen.getByText( 'Hi' ) ).toBeInTheDocument();
		expect( screen.queryByRole( 'textbox' ) ).toBeNull();
		expect(
			screen.queryByRole( 'button', { name: /send|leave/i } )
		).toBeNull();
	} );

	it( 'asks the survey after closing: a rating is required, the comment optional', async () => {
		const chat = new ScriptedChat();
		show( chat );
		chat.set( {
			conversation: { ...openConversation, status: 'closed' },
			messages: [ message( 1, 'visitor', 'Hi' ) ],
			survey: {
				conversationId: 'conv-1',
				question: 'How did we do?',
				answered: false,
			},
		} );
		const group = screen.getByRole( 'group', { name: 'How did we do?' } );
		expect( group ).toBeInTheDocument();
		fireEvent.click(
			screen.getByRole( 'button', { name: 'Send rating' } )
		);
		expect( screen.getByText( 'Choose a rating.' ) ).toBeInTheDocument();
		fireEvent.click( screen.getByRole( 'radio', { name: '4 of 5' } ) );
		fireEvent.input(
			screen.getByRole( 'textbox', { name: 'Comment (optional)' } ),
			{
				target: { value: 'Quick!' },
			}
		);
		fireEvent.click(
			screen.getByRole( 'button', { name: 'Send rating' } )
		);
		await waitFor( () =>
			expect( chat.calls ).toContainEqual( [
				'answerSurvey',
				4,
				'Quick!',
			] )
		);
		chat.set( {
			survey: {
				conversationId: 'conv-1',
				question: 'How did we do?',
				answered: true,
			},
		} );
		expect( screen.getByText( 'Thanks for rating.' ) ).toBeInTheDocument();
	} );

	it( 'after closing, one next step at a time: the survey, then the e-mail request, then "start a new conversation"', async () => {
		const chat = new ScriptedChat();
		show(
			chat,
			widgetConfig(
				chatflowSettings( {
					emailCapture: {
						enabled: true,
						when: 'after_first_message',
						message: 'Where can we reach you?',
					},
				} )
			)
		);
		const survey = {
			conversationId: 'conv-1',
			question: 'How did we do?',
			answered: false,
		};
		chat.set( {
			conversation: { ...openConversation, status: 'closed' },
			messages: [ message( 1, 'visitor', 'Hi' ) ],
			survey,
		} );
		const emailBox = () =>
			screen.queryByRole( 'textbox', { name: 'E-mail address' } );
		const messageBox = () =>
			screen.queryByRole( 'textbox', { name: 'Message' } );
		// The survey alone: neither the e-mail request nor the message box.
		expect(
			screen.getByRole( 'group', { name: 'How did we do?' } )
		).toBeInTheDocument();
		expect( emailBox() ).toBeNull();
		expect( messageBox() ).toBeNull();

		fireEvent.click( screen.getByRole( 'radio', { name: '5 of 5' } ) );
		fireEvent.click(
			screen.getByRole( 'button', { name: 'Send rating' } )
		);
		await waitFor( () =>
			expect( chat.callsOf( 'answerSurvey' ) ).toHaveLength( 1 )
		);
		chat.set( { survey: { ...survey, answered: true } } );
		// Then the e-mail request, with a way past it.
		expect( screen.getByText( 'Thanks for rating.' ) ).toBeInTheDocument();
		expect( screen.queryByRole( 'group' ) ).toBeNull();
		expect( emailBox() ).toBeInTheDocument();
		expect( emailBox() ).toHaveFocus();
		expect( messageBox() ).toBeNull();

		fireEvent.click( screen.getByRole( 'button', { name: 'Skip' } ) );
		expect( emailBox() ).toBeNull();
		expect( screen.getByText( 'Conversation ended.' ) ).toBeInTheDocument();
		const restart = screen.getByRole( 'button', {
			name: 'Start a new conversation',
		} );
		expect( restart ).toHaveFocus();
		expect( messageBox() ).toBeNull();

		fireEvent.click( restart );
		expect( messageBox() ).toBeInTheDocument();
		expect( messageBox() ).toHaveFocus();
		expect( screen.queryByText( 'Conversation ended.' ) ).toBeNull();

		// The next conversation's close asks again.
		chat.set( {
			conversation: { ...openConversation, id: 'conv-2' },
			messages: [ message( 2, 'visitor', 'Again' ) ],
			survey: null,
			contact: 'none',
		} );
		chat.set( {
			conversation: {
				...openConversation,
				id: 'conv-2',
				status: 'closed',
			},
		} );
		expect( emailBox() ).toBeInTheDocument();
		expect( messageBox() ).toBeNull();
	} );

	it( 'grows the message box with what is typed, up to its limit', () => {
		const chat = new ScriptedChat();
		show( chat );
		const box = screen.getByRole( 'textbox', { name: 'Message' } );
		// jsdom lays nothing out: the height follows the content's scrollHeight.
		Object.defineProperty( box, 'scrollHeight', {
			configurable: true,
			get: () =>
				20 * ( box as HTMLTextAreaElement ).value.split( '\n' ).length,
		} );
		fireEvent.input( box, { target: { value: 'one\ntwo\nthree' } } );
		expect( box.style.height ).toBe( '60px' );
		fireEvent.input( box, { target: { value: 'one' } } );
		expect( box.style.height ).toBe( '20px' );
	} );

	it( 'gives the team’s alias and image, the accent colour, and says refusals in the visitor’s language', () => {
		const chat = new ScriptedChat();
		show(
			chat,
			widgetConfig(
				chatflowSettings( {
					accentColor: '#ffe066',
					heading: {
						mode: 'custom_branding',
						teamName: 'Support Crew',
						imageUrl: 'https://example.com/crew.png',
						useAsAlias: true,
					},
				} )
			)
		);
		const avatar = container.querySelector( 'img.avatar' );
		expect( avatar ).toHaveAttribute(
			'src',
			'https://example.com/crew.png'
		);
		// Decorative: the heading beside it names the team.
		expect( avatar ).toHaveAttribute( 'alt', '' );
		chat.set( {
			messages: [ message( 1, 'agent', 'Hello' ) ],
			error: 'rate_limited',
		} );
		expect(
			screen.getByRole( 'dialog', { name: 'Support Crew' } )
		).toHaveStyle( {
			'--accent': '#ffe066',
			'--on-accent': '#111111',
		} );
		expect( screen.getByText( 'Hello' ).closest( 'li' ) ).toHaveTextContent(
			'Support Crew'
		);
		expect( screen.getByRole( 'alert' ) ).toHaveTextContent( 'Too fast.' );
	} );

	it( 'shows extra tabs in a tab bar operable with arrow keys, and extra composer buttons', () => {
		const extensions: ChatWindowExtensions = {
			tabs: [
				{
					id: 'help',
					enabled: () => true,
					label: () => 'Help',
					render: () => <p>Help articles</p>,
				},
			],
			composerActions: [
				() => (
					<button key="attach" type="button">
						Attach
					</button>
				),
			],
		};
		show( new ScriptedChat(), widgetConfig(), extensions );
		expect(
			screen.getByRole( 'button', { name: 'Attach' } )
		).toBeInTheDocument();
		const chatTab = screen.getByRole( 'tab', { name: 'Chat' } );
		expect( chatTab ).toHaveAttribute( 'aria-selected', 'true' );
		chatTab.focus();
		fireEvent.keyDown( chatTab, { key: 'ArrowRight' } );
		const helpTab = screen.getByRole( 'tab', { name: 'Help' } );
		expect( helpTab ).toHaveAttribute( 'aria-selected', 'true' );
		expect( helpTab ).toHaveFocus();
		expect(
			screen.getByRole( 'tabpanel', { name: 'Help' } )
		).toHaveTextContent( 'Help articles' );
	} );
} );
