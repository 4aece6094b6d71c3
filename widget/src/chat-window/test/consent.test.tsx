/*
 * @jest-environment-options {"customExportConditions": ["require", "default"]}
 */

/**
 * Consent in the chat window, by role: the cookie banner before the chat can
 * start (and beside the launcher on exit intent), explicit consent to process
 * data blocking Send until "I agree", the legitimate-interest notice, and the
 * communications checkbox of the e-mail and offline forms, each answer
 * recorded with the exact text shown.
 */
import {
	fireEvent as domEvent,
	getByRole,
	queryByRole,
	screen,
} from '@testing-library/dom';
import { render } from 'preact';
import { act } from 'preact/test-utils';

import type { PublicConsentSettings, WidgetConfig } from '../../page-settings';
import {
	ACCEPTED_KEY,
	cookieConsent,
	type CookieConsent,
} from '../../consent/cookie-consent';
import { ChatWindow } from '../chat-window';
import { showLauncherBanner, removeLauncherBanner } from '../consent';
import { attachAction } from '../attachments';
import {
	ATTACHMENT_TEXTS,
	WINDOW_TEXTS,
	chatflowSettings,
	widgetConfig,
} from './fixtures';
import { ScriptedChat } from './scripted-chat';

/** The chat of a visitor with a session: files can be attached. */
class ScriptedChatWithSession extends ScriptedChat {
	sessionToken = () => 'tok';
}

const COOKIE_TEXT = 'May the chat keep cookies to remember you?';
const BANNER = 'Cookies in the chat';
const DATA_TEXT = 'We process what you tell us to answer you.';
const PRIVACY_URL = 'https://site.test/privacy/';

function consentSettings(
	changes: Partial< PublicConsentSettings > = {}
): PublicConsentSettings {
	return {
		cookies: {
			enabled: false,
			when: 'before_chat',
			text: COOKIE_TEXT,
			category: 'preferences',
		},
		data: {
			enabled: false,
			mode: 'explicit',
			text: DATA_TEXT,
			privacyPolicyUrl: PRIVACY_URL,
		},
		communications: {
			enabled: false,
			label: 'Send me news by e-mail',
			subscriptionType: 'Newsletter',
		},
		...changes,
	};
}

function configWith(
	consent: Partial< PublicConsentSettings >,
	chatflow: Parameters< typeof chatflowSettings >[ 0 ] = {}
): WidgetConfig {
	const config = widgetConfig(
		chatflowSettings( { ...chatflow, consent: consentSettings( consent ) } )
	);
	return {
		...config,
		texts: { ...config.texts, attachments: ATTACHMENT_TEXTS },
		consent: cookieConsent( config, undefined, false ),
	};
}

let container: HTMLElement;

function show( chat: ScriptedChat, config: WidgetConfig ) {
	act( () => {
		render(
			<ChatWindow
				chat={ chat }
				config={ config }
				texts={ WINDOW_TEXTS }
				visible
				onClose={ () => undefined }
				extensions={ { tabs: [], composerActions: [ attachAction ] } }
			/>,
			container
		);
	} );
}

const click = ( element: Element ) =>
	act( () => void domEvent.click( element ) );
const type = ( element: Element, value: string ) =>
	act( () => void domEvent.input( element, { target: { value } } ) );

async function settle() {
	await act( async () => {
		await Promise.resolve();
	} );
}

beforeEach( () => {
	window.localStorage.clear();
	container = document.createElement( 'div' );
	document.body.appendChild( container );
} );

afterEach( () => {
	act( () => render( null, container ) );
	container.remove();
} );

describe( 'the cookie banner in the window', () => {
	it( 'asks before the chat can start; Accept keeps the answer and opens the composer', () => {
		const chat = new ScriptedChatWithSession();
		const config = configWith( {
			cookies: { ...consentSettings().cookies, enabled: true },
		} );
		show( chat, config );
		const banner = screen.getByRole( 'region', {
			name: 'Cookies in the chat',
		} );
		expect( banner ).toHaveTextContent( COOKIE_TEXT );
		expect(
			screen.queryByRole( 'textbox', { name: 'Message' } )
		).toBeNull();
		const accept = getByRole( banner, 'button', { name: 'Accept' } );
		// Focus is on the banner's first button: keyboard users answer at once.
		expect( accept ).toHaveFocus();

		click( accept );
		expect( config.consent?.answer ).toBe( true );
		expect( window.localStorage.getItem( ACCEPTED_KEY ) ).toBe( '1' );
		expect(
			screen.queryByRole( 'region', { name: 'Cookies in the chat' } )
		).toBeNull();
		const message = screen.getByRole( 'textbox', { name: 'Message' } );
		expect( message ).toHaveFocus();
	} );

	it( 'Decline still allows a chat on this page, storing nothing', () => {
		const chat = new ScriptedChatWithSession();
		const config = configWith( {
			cookies: { ...consentSettings().cookies, enabled: true },
		} );
		show( chat, config );
		click( screen.getByRole( 'button', { name: 'Decline' } ) );
		expect( config.consent?.answer ).toBe( false );
		expect( Object.keys( window.localStorage ) ).toEqual( [] );
		type( screen.getByRole( 'textbox', { name: 'Message' } ), 'Hi' );
		click( screen.getByRole( 'button', { name: 'Send' } ) );
		expect( chat.callsOf( 'send' ) ).toEqual( [ [ 'Hi' ] ] );
	} );

	it( 'is not shown once the visitor accepted on an earlier page, nor when the chatflow asks nothing', () => {
		window.localStorage.setItem( ACCEPTED_KEY, '1' );
		show(
			new ScriptedChatWithSession(),
			configWith( {
				cookies: { ...consentSettings().cookies, enabled: true },
			} )
		);
		expect( screen.queryByRole( 'region' ) ).toBeNull();
		act( () => render( null, container ) );
		window.localStorage.clear();
		show( new ScriptedChatWithSession(), configWith( {} ) );
		expect( screen.queryByRole( 'region' ) ).toBeNull();
		expect(
			screen.getByRole( 'textbox', { name: 'Message' } )
		).toBeTruthy();
	} );
} );

describe( 'with a consent plugin (WP Consent API)', () => {
	const page = window as unknown as {
		wp_has_consent?: ( category: string ) => boolean;
		wp_consent_type?: string;
	};

	afterEach( () => {
		delete page.wp_has_consent;
		delete page.wp_consent_type;
	} );

	it( 'the banner gives way as soon as the plugin sets its consent type, and the plugin answers', () => {
		page.wp_has_consent = () => false;
		show(
			new ScriptedChatWithSession(),
			configWith( {
				cookies: { ...consentSettings().cookies, enabled: true },
			} )
		);
		expect( screen.getByRole( 'region', { name: BANNER } ) ).toBeTruthy();
		page.wp_consent_type = 'optin';
		act(
			() =>
				void document.dispatchEvent(
					new CustomEvent( 'wp_consent_type_defined' )
				)
		);
		expect( screen.queryByRole( 'region', { name: BANNER } ) ).toBeNull();
		expect(
			screen.getByRole( 'textbox', { name: 'Message' } )
		).toBeTruthy();
	} );
} );

describe( 'the banner beside the launcher (exit intent)', () => {
	let host: HTMLElement;
	let root: ShadowRoot;

	beforeEach( () => {
		host = document.createElement( 'div' );
		document.body.appendChild( host );
		root = host.attachShadow( { mode: 'open' } );
		root.innerHTML =
			'<button class="launcher">Open chat</button><div class="prompt">Hi!</div>';
	} );

	afterEach( () => {
		removeLauncherBanner();
		host.remove();
	} );

	function exitIntentConfig( consent?: Partial< CookieConsent > ) {
		const config = configWith( {
			cookies: {
				...consentSettings().cookies,
				enabled: true,
				when: 'exit_intent',
			},
		} );
		return { ...config, consent: { ...config.consent!, ...consent } };
	}

	it( 'shows the text with Accept and Decline; answering removes it and gives the launcher the focus', () => {
		const config = exitIntentConfig();
		const heard = jest.fn();
		config.consent.listeners = [ heard ];
		act( () =>
			showLauncherBanner( root, config, {
				background: '#1e6ef4',
				text: '#ffffff',
			} )
		);
		const banner = getByRole( root as unknown as HTMLElement, 'region', {
			name: 'Cookies in the chat',
		} );
		expect( banner ).toHaveTextContent( COOKIE_TEXT );
		// In the welcome prompt's place.
		expect( root.querySelector< HTMLElement >( '.prompt' )!.hidden ).toBe(
			true
		);
		click( getByRole( banner, 'button', { name: 'Accept' } ) );
		expect( heard ).toHaveBeenCalledTimes( 1 );
		expect( config.consent.answer ).toBe( true );
		expect(
			queryByRole( root as unknown as HTMLElement, 'region' )
		).toBeNull();
		expect( root.activeElement ).toBe( root.querySelector( '.launcher' ) );
	} );

	it( 'is not shown when nothing needs asking any more, nor twice', () => {
		const answered = exitIntentConfig( { answer: false } );
		act( () =>
			showLauncherBanner( root, answered, {
				background: '#1e6ef4',
				text: '#ffffff',
			} )
		);
		expect( root.querySelectorAll( '.launcher-banner' ) ).toHaveLength( 0 );

		const asking = exitIntentConfig();
		const colours = { background: '#1e6ef4', text: '#ffffff' };
		act( () => showLauncherBanner( root, asking, colours ) );
		act( () => showLauncherBanner( root, asking, colours ) );
		expect( root.querySelectorAll( '.launcher-banner' ) ).toHaveLength( 1 );
	} );
} );

describe( 'consent to process data', () => {
	it( 'explicit: Send, Enter and attachments do nothing until the visitor ticks “I agree”', async () => {
		const chat = new ScriptedChatWithSession();
		show(
			chat,
			configWith(
				{ data: { ...consentSettings().data, enabled: true } },
				{ attachments: { enabled: true, maxSizeMb: 5 } }
			)
		);
		expect( screen.getByText( DATA_TEXT, { exact: false } ) ).toBeTruthy();
		expect(
			screen.getByRole( 'link', { name: 'Privacy policy' } )
		).toHaveAttribute( 'href', PRIVACY_URL );
		expect(
			screen.queryByRole( 'button', { name: 'Attach a file' } )
		).toBeNull();

		const message = screen.getByRole( 'textbox', { name: 'Message' } );
		type( message, 'Hello' );
		click( screen.getByRole( 'button', { name: 'Send' } ) );
		act( () => void domEvent.keyDown( message, { key: 'Enter' } ) );
		expect( chat.callsOf( 'send' ) ).toEqual( [] );
		expect( screen.getByRole( 'alert' ) ).toHaveTextContent(
			'Select “I agree” first.'
		);
		const agree = screen.getByRole( 'checkbox', { name: 'I agree' } );
		expect( agree ).toHaveAttribute( 'aria-invalid', 'true' );
		expect( agree ).toHaveFocus();
		// The draft is kept.
		expect( message ).toHaveValue( 'Hello' );

		click( agree );
		expect( chat.consents ).toEqual( [
			{
				kind: 'data_processing',
				granted: true,
				method: 'checkbox',
				text: `${ DATA_TEXT }\nPrivacy policy: ${ PRIVACY_URL }`,
			},
		] );
		expect( screen.queryByRole( 'alert' ) ).toBeNull();
		expect(
			screen.getByRole( 'button', { name: 'Attach a file' } )
		).toBeTruthy();
		click( screen.getByRole( 'button', { name: 'Send' } ) );
		expect( chat.callsOf( 'send' ) ).toEqual( [ [ 'Hello' ] ] );
		await settle();
	} );

	it( 'explicit: the offline form is not sent before “I agree” either', () => {
		const chat = new ScriptedChatWithSession();
		chat.state = { ...chat.state, status: 'unreachable' };
		show(
			chat,
			configWith( { data: { ...consentSettings().data, enabled: true } } )
		);
		type(
			screen.getByRole( 'textbox', { name: 'E-mail address' } ),
			'ann@example.com'
		);
		type( screen.getByRole( 'textbox', { name: 'Message' } ), 'Call me' );
		click( screen.getByRole( 'button', { name: 'Leave message' } ) );
		expect( chat.callsOf( 'leaveOfflineMessage' ) ).toEqual( [] );
		click( screen.getByRole( 'checkbox', { name: 'I agree' } ) );
		click( screen.getByRole( 'button', { name: 'Leave message' } ) );
		expect( chat.callsOf( 'leaveOfflineMessage' ) ).toEqual( [
			[ 'ann@example.com', 'Call me' ],
		] );
	} );

	it( 'legitimate interest: the text and link show, no click needed; recorded as a notice with the first message', () => {
		const chat = new ScriptedChatWithSession();
		show(
			chat,
			configWith( {
				data: {
					...consentSettings().data,
					enabled: true,
					mode: 'legitimate_interest',
				},
			} )
		);
		expect( screen.queryByRole( 'checkbox' ) ).toBeNull();
		expect(
			screen.getByRole( 'link', { name: 'Privacy policy' } )
		).toBeTruthy();
		type( screen.getByRole( 'textbox', { name: 'Message' } ), 'Hi' );
		click( screen.getByRole( 'button', { name: 'Send' } ) );
		type( screen.getByRole( 'textbox', { name: 'Message' } ), 'Again' );
		click( screen.getByRole( 'button', { name: 'Send' } ) );
		expect( chat.callsOf( 'send' ) ).toEqual( [ [ 'Hi' ], [ 'Again' ] ] );
		expect( chat.consents ).toEqual( [
			expect.objectContaining( {
				kind: 'data_processing',
				granted: true,
				method: 'notice',
			} ),
		] );
	} );

	it( 'is not asked again once the conversation exists', () => {
		const chat = new ScriptedChatWithSession();
		chat.state = {
			...chat.state,
			conversation: {
				id: 'conv-1',
				chatflowId: '42',
				status: 'open',
				createdAt: '2026-01-01T00:00:00.000Z',
			},
		};
		show(
			chat,
			configWith( { data: { ...consentSettings().data, enabled: true } } )
		);
		expect( screen.queryByRole( 'checkbox' ) ).toBeNull();
		type( screen.getByRole( 'textbox', { name: 'Message' } ), 'More' );
		click( screen.getByRole( 'button', { name: 'Send' } ) );
		expect( chat.callsOf( 'send' ) ).toEqual( [ [ 'More' ] ] );
	} );
} );

describe( 'consent to communications', () => {
	const communications = {
		...consentSettings().communications,
		enabled: true,
	};

	it( 'the e-mail form offers the checkbox with the chatflow’s label, recorded with the subscription type', async () => {
		const chat = new ScriptedChatWithSession();
		show(
			chat,
			configWith(
				{ communications },
				{
					emailCapture: {
						enabled: true,
						when: 'before_chat',
						message: 'Your e-mail?',
					},
				}
			)
		);
		type(
			screen.getByRole( 'textbox', { name: 'E-mail address' } ),
			'ann@example.com'
		);
		click(
			screen.getByRole( 'checkbox', { name: 'Send me news by e-mail' } )
		);
		click( screen.getByRole( 'button', { name: 'Save e-mail address' } ) );
		await settle();
		expect( chat.callsOf( 'saveEmail' ) ).toEqual( [
			[ 'ann@example.com' ],
		] );
		expect( chat.consents ).toEqual( [
			{
				kind: 'communications',
				granted: true,
				method: 'checkbox',
				text: 'Send me news by e-mail',
				subscriptionType: 'Newsletter',
			},
		] );
	} );

	it( 'the offline form records an unticked box as declined', () => {
		const chat = new ScriptedChatWithSession();
		chat.state = { ...chat.state, status: 'unreachable' };
		show( chat, configWith( { communications } ) );
		expect(
			screen.getByRole( 'checkbox', { name: 'Send me news by e-mail' } )
		).not.toBeChecked();
		type(
			screen.getByRole( 'textbox', { name: 'E-mail address' } ),
			'ann@example.com'
		);
		type( screen.getByRole( 'textbox', { name: 'Message' } ), 'Hi' );
		click( screen.getByRole( 'button', { name: 'Leave message' } ) );
		expect( chat.consents ).toEqual( [
			expect.objectContaining( {
				kind: 'communications',
				granted: false,
			} ),
		] );
	} );

	it( 'no checkbox when the chatflow asks none', () => {
		const chat = new ScriptedChatWithSession();
		chat.state = { ...chat.state, status: 'unreachable' };
		show( chat, configWith( {} ) );
		expect( screen.queryByRole( 'checkbox' ) ).toBeNull();
	} );
} );
