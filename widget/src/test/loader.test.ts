/**
 * The loader in jsdom: display behaviours, the 24-hour rule, the public JS
 * API (its ready queue, calls and events) and the inline embed. The chat
 * window is a recording stand-in loaded through the same dynamic import.
 */
import '@testing-library/jest-dom';
import { waitFor } from '@testing-library/dom';

import type { WidgetConfig, DisplayBehaviour } from '../page-settings';
import { banners, mounted } from './fake-chat-window';

const TRIGGERS: DisplayBehaviour[ 'triggers' ] = {
	exitIntent: false,
	timeOnPage: false,
	timeOnPageSeconds: 5,
	scroll: false,
	scrollPercent: 50,
};

function configWith(
	desktop: DisplayBehaviour[ 'desktop' ],
	options: Partial< WidgetConfig > & {
		triggers?: Partial< DisplayBehaviour[ 'triggers' ] >;
	} = {}
): WidgetConfig {
	const { triggers, ...rest } = options;
	return {
		chatflowId: '42',
		serviceUrl: 'http://chat.test',
		// The loader's `import()` runs as a require from widget/src/display in jest.
		chatWindowUrl: '../test/fake-chat-window',
		locale: 'en_US',
		texts: {
			openChat: 'Open chat',
			closeChat: 'Close chat',
		} as WidgetConfig[ 'texts' ],
		chatflow: {
			welcomeMessage: 'Hi! Questions? Ask us here.',
			displayBehaviour: {
				desktop,
				mobile: 'launcher',
				triggers: { ...TRIGGERS, ...triggers },
			},
		} as WidgetConfig[ 'chatflow' ],
		...rest,
	};
}

/** Runs the loader as the page would, on a fresh module registry. */
function runLoader(): void {
	jest.isolateModules( () => {
		jest.requireActual( '../loader' );
	} );
}

function shadow(): ShadowRoot | null {
	return document.getElementById( 'chatflows-widget' )?.shadowRoot ?? null;
}

function launcher(): HTMLButtonElement {
	return shadow()!.querySelector( '.launcher' ) as HTMLButtonElement;
}

function prompt(): HTMLElement {
	return shadow()!.querySelector( '.prompt' ) as HTMLElement;
}

function api() {
	return window.ChatflowsConversations!;
}

async function openedWindow( index = 0 ) {
	await waitFor( () => expect( mounted[ index ]?.visible ).toBe( true ) );
	return mounted[ index ];
}

beforeEach( () => {
	document.body.innerHTML = '';
	window.localStorage.clear();
	window.sessionStorage.clear();
	mounted.length = 0;
	banners.length = 0;
	delete window.chatflowsSettings;
	delete window.chatflowsOnReady;
	delete window.ChatflowsConversations;
	window.chatflowsConfig = configWith( 'launcher' );
} );

afterEach( () => {
	jest.useRealTimers();
	jest.restoreAllMocks();
} );

describe( 'display behaviours', () => {
	it( 'launcher only: a launcher, no prompt, and no chat window until clicked', async () => {
		runLoader();
		expect( launcher() ).toHaveAttribute( 'aria-label', 'Open chat' );
		expect( prompt().hidden ).toBe( true );
		await Promise.resolve();
		expect( mounted ).toHaveLength( 0 );

		launcher().click();
		const chatWindow = await openedWindow();
		expect( launcher() ).toHaveAttribute( 'aria-label', 'Close chat' );
		expect( launcher() ).toHaveAttribute( 'aria-expanded', 'true' );
		expect( chatWindow.config.chatflowId ).toBe( '42' );
	} );

	it( 'prompt: the welcome message as text; clicking it opens the chat', async () => {
		window.chatflowsConfig = configWith( 'prompt', {
			chatflow: {
				welcomeMessage: '<b>Hi</b>',
				displayBehaviour: {
					desktop: 'prompt',
					mobile: 'launcher',
					triggers: TRIGGERS,
				},
			} as WidgetConfig[ 'chatflow' ],
		} );
		runLoader();
		expect( prompt().hidden ).toBe( false );
		const text = prompt().querySelector( '.text' ) as HTMLButtonElement;
		expect( text.textContent ).toBe( '<b>Hi</b>' );
		expect( prompt().querySelector( 'b' ) ).toBeNull();
		text.click();
		await openedWindow();
		expect( prompt().hidden ).toBe( true );
	} );

	it( 'prompt dismissed: not prompted again for 24 hours, on any page', () => {
		window.chatflowsConfig = configWith( 'prompt' );
		runLoader();
		( prompt().querySelector( '.dismiss' ) as HTMLButtonElement ).click();
		expect( prompt().hidden ).toBe( true );

		// The next page (a fresh loader) shows only the launcher.
		document.body.innerHTML = '';
		runLoader();
		expect( launcher() ).toBeTruthy();
		expect( prompt().hidden ).toBe( true );

		// A day later the prompt is back.
		const dayLater = Date.now() + 24 * 60 * 60 * 1000 + 1000;
		jest.spyOn( Date, 'now' ).mockReturnValue( dayLater );
		document.body.innerHTML = '';
		runLoader();
		expect( prompt().hidden ).toBe( false );
	} );

	it( 'minimising the chat also starts the 24 hours', async () => {
		window.chatflowsConfig = configWith( 'prompt' );
		runLoader();
		launcher().click();
		await openedWindow();
		mounted[ 0 ].host.onClose();
		await waitFor( () => expect( mounted[ 0 ].visible ).toBe( false ) );
		expect( launcher() ).toHaveAttribute( 'aria-expanded', 'false' );

		document.body.innerHTML = '';
		runLoader();
		expect( prompt().hidden ).toBe( true );
	} );

	it( 'prompt on trigger: opens the chat when the trigger fires, and only then', async () => {
		jest.useFakeTimers();
		window.chatflowsConfig = configWith( 'prompt_on_trigger', {
			triggers: { timeOnPage: true, timeOnPageSeconds: 8 },
		} );
		runLoader();
		expect( prompt().hidden ).toBe( true );
		jest.advanceTimersByTime( 7000 );
		await Promise.resolve();
		expect( mounted ).toHaveLength( 0 );
		jest.advanceTimersByTime( 1500 );
		jest.useRealTimers();
		await openedWindow();
	} );

	it( 'prompt on trigger: a click first opens the chat and the trigger never fires after', async () => {
		jest.useFakeTimers();
		window.chatflowsConfig = configWith( 'prompt_on_trigger', {
			triggers: { timeOnPage: true, timeOnPageSeconds: 8 },
		} );
		runLoader();
		launcher().click();
		jest.useRealTimers();
		await openedWindow();
		mounted[ 0 ].host.onClose();
		jest.useFakeTimers();
		jest.advanceTimersByTime( 20_000 );
		expect( launcher() ).toHaveAttribute( 'aria-expanded', 'false' );
	} );

	it( 'prompt on trigger: no trigger within 24 hours of minimising', async () => {
		window.localStorage.setItem(
			'chatflows:minimised',
			String( Date.now() )
		);
		jest.useFakeTimers();
		window.chatflowsConfig = configWith( 'prompt_on_trigger', {
			triggers: { timeOnPage: true, timeOnPageSeconds: 1 },
		} );
		runLoader();
		jest.advanceTimersByTime( 5000 );
		jest.useRealTimers();
		await new Promise( ( resolve ) => setTimeout( resolve ) );
		expect( mounted ).toHaveLength( 0 );
	} );

	it( 'mobile viewports follow the mobile behaviour', () => {
		window.matchMedia = jest.fn( ( query: string ) => ( {
			matches: query === '(max-width: 599px)',
		} ) ) as unknown as typeof window.matchMedia;
		window.chatflowsConfig = configWith( 'launcher', {
			chatflow: {
				welcomeMessage: 'Hello',
				displayBehaviour: {
					desktop: 'launcher',
					mobile: 'prompt',
					triggers: TRIGGERS,
				},
			} as WidgetConfig[ 'chatflow' ],
		} );
		runLoader();
		expect( prompt().hidden ).toBe( false );
		delete ( window as { matchMedia?: unknown } ).matchMedia;
	} );

	it( 'a chat left open on the previous page of this tab opens again at once', async () => {
		window.sessionStorage.setItem( 'chatflows:open', '1' );
		runLoader();
		await openedWindow();
	} );

	it( "the admin's preview stores nothing", async () => {
		window.chatflowsConfig = { ...configWith( 'launcher' ), preview: true };
		runLoader();
		launcher().click();
		await openedWindow();
		mounted[ 0 ].host.onClose();
		expect( window.localStorage.length ).toBe( 0 );
		expect( window.sessionStorage.length ).toBe( 0 );
	} );

	it( 'no configuration: nothing on the page', () => {
		delete window.chatflowsConfig;
		runLoader();
		expect( shadow() ).toBeNull();
		expect( api().widget.status() ).toEqual( { loaded: false } );
	} );
} );

describe( 'launcher hidden by availability', () => {
	function configHidingWhenOffline() {
		return configWith( 'launcher', {
			chatflow: {
				displayBehaviour: {
					desktop: 'launcher',
					mobile: 'launcher',
					triggers: TRIGGERS,
				},
				availability: {
					whenAway: 'show_away_message',
					whenOffline: 'hide_launcher',
					whenAtCapacity: 'show_wait_message',
					hideLauncherWhen: [ 'offline' ],
				},
			} as unknown as WidgetConfig[ 'chatflow' ],
		} );
	}

	it( 'stays hidden while the service says offline', async () => {
		const fetchMock = jest.fn( async () => ( {
			json: async () => ( { state: 'offline' } ),
		} ) );
		window.fetch = fetchMock as unknown as typeof fetch;
		window.chatflowsConfig = configHidingWhenOffline();
		runLoader();
		expect( launcher().hidden ).toBe( true );
		await new Promise( ( resolve ) => setTimeout( resolve ) );
		expect( fetchMock ).toHaveBeenCalledWith(
			'http://chat.test/v1/availability/42'
		);
		expect( launcher().hidden ).toBe( true );
	} );

	it( 'shows when available, or when the service cannot say', async () => {
		window.fetch = jest.fn( async () => ( {
			json: async () => ( { state: 'available' } ),
		} ) ) as unknown as typeof fetch;
		window.chatflowsConfig = configHidingWhenOffline();
		runLoader();
		await waitFor( () => expect( launcher().hidden ).toBe( false ) );

		document.body.innerHTML = '';
		window.fetch = jest.fn( async () => {
			throw new TypeError( 'Failed to fetch' );
		} ) as unknown as typeof fetch;
		runLoader();
		await waitFor( () => expect( launcher().hidden ).toBe( false ) );
	} );

	it( 'asks nothing when no setting hides the launcher', () => {
		const fetchMock = jest.fn();
		window.fetch = fetchMock as unknown as typeof fetch;
		runLoader();
		expect( launcher().hidden ).toBe( false );
		expect( fetchMock ).not.toHaveBeenCalled();
	} );
} );

describe( 'the JS API', () => {
	it( 'calls the chatflowsOnReady queue in order once ready, and later pushes at once', () => {
		const calls: string[] = [];
		window.chatflowsOnReady = [
			() => calls.push( 'first' ),
			() => {
				throw new Error( 'a broken callback of the page' );
			},
			() =>
				calls.push(
					`second ${ typeof window.ChatflowsConversations }`
				),
		];
		jest.spyOn( window, 'setTimeout' ).mockImplementation(
			( () => 0 ) as unknown as typeof setTimeout
		);
		runLoader();
		expect( calls ).toEqual( [ 'first', 'second object' ] );
		window.chatflowsOnReady!.push( () => calls.push( 'late' ) );
		expect( calls ).toEqual( [ 'first', 'second object', 'late' ] );
	} );

	it( 'loadImmediately false: nothing placed until widget.load(); on/status work before', () => {
		window.chatflowsSettings = { loadImmediately: false };
		const loaded = jest.fn();
		window.chatflowsOnReady = [ () => api().on( 'widgetLoaded', loaded ) ];
		runLoader();
		expect( shadow() ).toBeNull();
		expect( api().widget.status() ).toEqual( { loaded: false } );
		expect( loaded ).not.toHaveBeenCalled();

		api().widget.load();
		expect( launcher() ).toBeTruthy();
		expect( api().widget.status() ).toEqual( { loaded: true } );
		expect( loaded ).toHaveBeenCalledTimes( 1 );
		// Loading twice places one widget.
		api().widget.load();
		expect( document.querySelectorAll( '#chatflows-widget' ) ).toHaveLength(
			1
		);
	} );

	it( 'widget.load({ widgetOpen: true }) opens the chat window', async () => {
		window.chatflowsSettings = { loadImmediately: false };
		runLoader();
		api().widget.load( { widgetOpen: true } );
		await openedWindow();
	} );

	it( 'open() and close(): widgetClosed, and the 24 hours start', async () => {
		const closed = jest.fn();
		runLoader();
		api().on( 'widgetClosed', closed );
		api().widget.open();
		await openedWindow();
		api().widget.close();
		await waitFor( () => expect( mounted[ 0 ].visible ).toBe( false ) );
		expect( closed ).toHaveBeenCalledTimes( 1 );
		expect(
			window.localStorage.getItem( 'chatflows:minimised' )
		).not.toBeNull();
		// Closing a closed chat says nothing.
		api().widget.close();
		expect( closed ).toHaveBeenCalledTimes( 1 );
	} );

	it( 'remove(): the widget and its window are gone; load() places it again', async () => {
		runLoader();
		api().widget.open();
		await openedWindow();
		api().widget.remove();
		expect( shadow() ).toBeNull();
		expect( api().widget.status() ).toEqual( { loaded: false } );
		await waitFor( () => expect( mounted[ 0 ].destroyed ).toBe( true ) );
		api().widget.load();
		expect( launcher() ).toBeTruthy();
	} );

	it( 'refresh(): re-reads the configuration; openToNewThread opens the chat', async () => {
		runLoader();
		window.chatflowsConfig = {
			...configWith( 'launcher' ),
			chatflowId: '43',
		};
		api().widget.refresh();
		expect( document.querySelectorAll( '#chatflows-widget' ) ).toHaveLength(
			1
		);
		await Promise.resolve();
		expect( mounted ).toHaveLength( 0 );
		api().widget.refresh( { openToNewThread: true } );
		const chatWindow = await openedWindow();
		expect( chatWindow.config.chatflowId ).toBe( '43' );
	} );

	it( 'refresh() with no chatflow for the new route removes the widget', () => {
		runLoader();
		delete window.chatflowsConfig;
		api().widget.refresh();
		expect( shadow() ).toBeNull();
		expect( api().widget.status() ).toEqual( { loaded: false } );
	} );

	it( 'clear(): forgets the session; resetWidget places a fresh widget', async () => {
		window.localStorage.setItem( 'chatflows:session', 'secret-session' );
		window.localStorage.setItem(
			'chatflows:minimised',
			String( Date.now() )
		);
		runLoader();
		api().widget.open();
		await openedWindow();
		api().clear();
		expect( window.localStorage.getItem( 'chatflows:session' ) ).toBeNull();
		expect(
			window.localStorage.getItem( 'chatflows:minimised' )
		).toBeNull();
		expect( mounted[ 0 ].destroyed ).toBe( false );

		api().clear( { resetWidget: true } );
		await waitFor( () => expect( mounted[ 0 ].destroyed ).toBe( true ) );
		expect( document.querySelectorAll( '#chatflows-widget' ) ).toHaveLength(
			1
		);
	} );

	it( "passes the page's settings to the chat window", async () => {
		window.chatflowsSettings = {
			disableAttachment: true,
			enableWidgetCookieBanner: 'ON_EXIT_INTENT',
			identificationEmail: 'ann@example.com',
			identificationToken: 'signed.token.value',
		};
		runLoader();
		api().widget.open();
		const { config } = await openedWindow();
		expect( config.disableAttachment ).toBe( true );
		// The page asks for consent, but it identified the visitor: nothing to ask.
		expect( config.consent ).toMatchObject( {
			required: false,
			exitIntent: true,
		} );
		expect( config.identification ).toEqual( {
			email: 'ann@example.com',
			token: 'signed.token.value',
		} );
		expect( config.embedded ).toBe( false );
	} );

	it( 'an e-mail without a token identifies nobody', async () => {
		window.chatflowsSettings = { identificationEmail: 'ann@example.com' };
		runLoader();
		api().widget.open();
		const { config } = await openedWindow();
		expect( config.identification ).toBeUndefined();
	} );

	it( "turns the chat window's callbacks into events; off() stops a listener", async () => {
		const heard: Array< [ string, unknown ] > = [];
		const listen = ( name: string ) => ( payload: unknown ) =>
			heard.push( [ name, payload ] );
		runLoader();
		const names = [
			'conversationStarted',
			'conversationClosed',
			'unreadConversationCountChanged',
			'contactAssociated',
			'userInteractedWithWidget',
		] as const;
		const listeners = names.map( ( name ) => {
			const listener = listen( name );
			api().on( name, listener );
			return listener;
		} );
		launcher().click();
		const { host } = await openedWindow();
		host.emit!( 'conversationStarted', {
			conversation: { conversationId: 'c-1' },
		} );
		host.onUnreadCount!( 3 );
		host.emit!( 'contactAssociated', {} );
		host.emit!( 'userInteractedWithWidget', {} );
		host.emit!( 'conversationClosed', {
			conversation: { conversationId: 'c-1' },
		} );
		expect( heard ).toEqual( [
			[ 'userInteractedWithWidget', {} ],
			[
				'conversationStarted',
				{ conversation: { conversationId: 'c-1' } },
			],
			[ 'unreadConversationCountChanged', { unreadCount: 3 } ],
			[ 'contactAssociated', {} ],
			[ 'userInteractedWithWidget', {} ],
			[
				'conversationClosed',
				{ conversation: { conversationId: 'c-1' } },
			],
		] );
		expect( shadow()!.querySelector( '.badge' ) ).toHaveTextContent( '3' );

		names.forEach( ( name, index ) =>
			api().off( name, listeners[ index ] as never )
		);
		host.emit!( 'conversationStarted', {
			conversation: { conversationId: 'c-2' },
		} );
		host.onUnreadCount!( 0 );
		expect( heard ).toHaveLength( 6 );
		expect(
			( shadow()!.querySelector( '.badge' ) as HTMLElement ).hidden
		).toBe( true );
	} );

	it( 'a listener that throws does not stop the others', () => {
		jest.spyOn( window, 'setTimeout' ).mockImplementation(
			( () => 0 ) as unknown as typeof setTimeout
		);
		window.chatflowsSettings = { loadImmediately: false };
		runLoader();
		const second = jest.fn();
		api().on( 'widgetLoaded', () => {
			throw new Error( 'broken' );
		} );
		api().on( 'widgetLoaded', second );
		api().widget.load();
		expect( second ).toHaveBeenCalledTimes( 1 );
	} );

	it( 'the availability callback hides the launcher only while the chat is closed', async () => {
		runLoader();
		launcher().click();
		const { host } = await openedWindow();
		host.onAvailability!( { state: 'offline', hideLauncher: true } );
		expect( launcher().hidden ).toBe( false );
		host.onClose();
		host.onAvailability!( { state: 'offline', hideLauncher: true } );
		expect( launcher().hidden ).toBe( true );
	} );
} );

describe( 'inline embed', () => {
	it( 'mounts the chat open inside the element, without a floating launcher', async () => {
		document.body.innerHTML =
			'<main><div id="support-chat" style="height:500px"></div></main>';
		window.chatflowsSettings = { inlineEmbedSelector: '#support-chat' };
		runLoader();
		const host = document.getElementById( 'chatflows-widget' )!;
		expect( host.parentElement!.id ).toBe( 'support-chat' );
		expect( shadow()!.querySelector( '.launcher' ) ).toBeNull();
		const { config } = await openedWindow();
		expect( config.embedded ).toBe( true );
		// An embedded chat cannot be minimised.
		api().widget.close();
		expect( mounted[ 0 ].visible ).toBe( true );
	} );

	it( 'takes the selector the Live chat block prints', async () => {
		document.body.innerHTML = '<div class="chatflows-inline"></div>';
		window.chatflowsConfig = {
			...configWith( 'launcher' ),
			inlineEmbedSelector: '.chatflows-inline',
		};
		runLoader();
		expect(
			document.querySelector( '.chatflows-inline #chatflows-widget' )
		).not.toBeNull();
		await openedWindow();
	} );

	it( 'falls back to the floating launcher when the element is missing', () => {
		window.chatflowsSettings = { inlineEmbedSelector: '#nowhere' };
		runLoader();
		expect( launcher() ).toBeTruthy();
		expect(
			document.getElementById( 'chatflows-widget' )!.parentElement
		).toBe( document.body );
	} );
} );

describe( 'candidate lists (visitor rules decide)', () => {
	// The loader imports the targeting module from beside the chat window; in jest both are virtual.
	const WINDOW_URL = '/virtual/chatflows/chat-window.js';
	let resolveSpy: jest.Mock | undefined;
	beforeEach( () => {
		jest.doMock(
			WINDOW_URL,
			() => jest.requireActual( './fake-chat-window' ),
			{ virtual: true }
		);
		jest.doMock(
			'/virtual/chatflows/targeting.js',
			() => {
				const real = jest.requireActual( '../display/targeting-chunk' );
				resolveSpy = jest.fn( real.resolveVisitorConfig );
				return { resolveVisitorConfig: resolveSpy };
			},
			{ virtual: true }
		);
		resolveSpy?.mockClear();
	} );

	function candidates( knownContactId: string, everyoneId: string ) {
		const config = ( chatflowId: string ) => ( {
			...configWith( 'launcher' ),
			chatflowId,
			chatWindowUrl: WINDOW_URL,
		} );
		return {
			candidates: [
				{
					config: config( knownContactId ),
					visitorRules: {
						groups: [
							[
								{
									field: 'contact',
									operator: 'is',
									name: '',
									value: 'known',
								},
							],
						],
						exclude: [],
					},
				},
				{
					config: config( everyoneId ),
					visitorRules: { groups: [ [] ], exclude: [] },
				},
			],
		} as unknown as WidgetConfig;
	}

	it( 'places the widget of the first chatflow whose rules hold; refresh() asks again', async () => {
		window.chatflowsConfig = candidates( 'known-contacts', 'everyone' );
		runLoader();
		await waitFor( () => expect( launcher() ).toBeTruthy() );
		api().widget.open();
		expect( ( await openedWindow() ).config.chatflowId ).toBe( 'everyone' );

		window.localStorage.setItem( 'chatflows:contact', '1' );
		api().widget.refresh();
		api().widget.refresh( { openToNewThread: true } );
		await waitFor( () =>
			expect( mounted.at( -1 )?.config.chatflowId ).toBe(
				'known-contacts'
			)
		);
		await waitFor( () => expect( mounted.at( -1 )?.visible ).toBe( true ) );
		expect( document.querySelectorAll( '#chatflows-widget' ) ).toHaveLength(
			1
		);
	} );

	it( "places nothing when no candidate's rules hold", async () => {
		const list = candidates( 'a', 'b' ) as unknown as {
			candidates: unknown[];
		};
		list.candidates.pop();
		window.chatflowsConfig = list as unknown as WidgetConfig;
		const loaded = jest.fn();
		window.chatflowsOnReady = [ () => api().on( 'widgetLoaded', loaded ) ];
		runLoader();
		await waitFor( () => expect( resolveSpy ).toHaveBeenCalled() );
		expect( await resolveSpy!.mock.results[ 0 ].value ).toBeNull();
		await Promise.resolve();
		expect( shadow() ).toBeNull();
		expect( api().widget.status() ).toEqual( { loaded: false } );
		expect( loaded ).not.toHaveBeenCalled();
	} );
} );

describe( 'cookie consent', () => {
	function askingConfig( when: 'before_chat' | 'exit_intent' ) {
		return configWith( 'launcher', {
			chatflow: {
				welcomeMessage: 'Hi',
				displayBehaviour: {
					desktop: 'launcher',
					mobile: 'launcher',
					triggers: TRIGGERS,
				},
				consent: {
					cookies: {
						enabled: true,
						when,
						text: 'Chat cookies?',
						category: 'preferences',
					},
				},
			} as WidgetConfig[ 'chatflow' ],
		} );
	}

	function leaveThroughTheTop() {
		document.dispatchEvent(
			new MouseEvent( 'mouseout', { clientY: -1, relatedTarget: null } )
		);
	}

	it( 'stores nothing before the visitor answers: not the open state, not the 24 hours', async () => {
		window.chatflowsConfig = askingConfig( 'before_chat' );
		runLoader();
		launcher().click();
		const { config } = await openedWindow();
		launcher().click();
		expect( Object.keys( window.localStorage ) ).toEqual( [] );
		expect( Object.keys( window.sessionStorage ) ).toEqual( [] );
		expect( config.consent ).toMatchObject( {
			required: true,
			exitIntent: false,
		} );

		// Accepted (in the window): the same consent object, so the loader stores from now on.
		config.consent!.answer = true;
		launcher().click();
		expect( window.sessionStorage.getItem( 'chatflows:open' ) ).toBe( '1' );
	} );

	it( 'on exit intent, asks the chat window module for the banner beside the launcher, once', async () => {
		window.chatflowsConfig = askingConfig( 'exit_intent' );
		runLoader();
		leaveThroughTheTop();
		await waitFor( () => expect( banners ).toHaveLength( 1 ) );
		expect( banners[ 0 ].chatflowId ).toBe( '42' );
		expect( mounted ).toHaveLength( 0 );
		leaveThroughTheTop();
		await Promise.resolve();
		expect( banners ).toHaveLength( 1 );
	} );

	it( 'on exit intent, shows no banner beside the launcher while the chat is open (its window asks)', async () => {
		window.chatflowsConfig = askingConfig( 'exit_intent' );
		runLoader();
		launcher().click();
		await openedWindow();
		leaveThroughTheTop();
		await Promise.resolve();
		expect( banners ).toHaveLength( 0 );
	} );

	it( 'watches no exit intent when the banner asks before the chat, or nothing needs asking', async () => {
		window.chatflowsConfig = askingConfig( 'before_chat' );
		runLoader();
		leaveThroughTheTop();
		document.body.innerHTML = '';
		window.localStorage.setItem( 'chatflows:consent', '1' );
		window.chatflowsConfig = askingConfig( 'exit_intent' );
		runLoader();
		leaveThroughTheTop();
		await Promise.resolve();
		expect( banners ).toHaveLength( 0 );
	} );

	it( "follows the page's enableWidgetCookieBanner when the chatflow asks nothing", async () => {
		window.chatflowsSettings = {
			enableWidgetCookieBanner: 'ON_EXIT_INTENT',
		};
		runLoader();
		leaveThroughTheTop();
		await waitFor( () => expect( banners ).toHaveLength( 1 ) );
		expect( banners[ 0 ].consent ).toMatchObject( {
			required: true,
			exitIntent: true,
		} );
	} );
} );
