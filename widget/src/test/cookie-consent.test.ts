/**
 * The one storage rule (`consent/cookie-consent.ts`) and the loader's storage
 * under it, in jsdom's real storages: nothing written before consent, the
 * acceptance kept once given, the site's consent plugin (WP Consent API)
 * followed instead of the banner.
 */
import type { ChatflowsSettings, WidgetConfig } from '../page-settings';
import {
	ACCEPTED_KEY,
	answerBanner,
	bannerNeeded,
	cookieConsent,
	mayStore,
	wpConsentAnswer,
} from '../consent/cookie-consent';
import {
	forgetAll,
	gateStorage,
	minimisedRecently,
	rememberMinimised,
	rememberOpen,
	wasOpen,
} from '../display/storage';

interface ConsentPage {
	wp_has_consent?: ( category: string ) => boolean;
	wp_consent_type?: string;
	wp_fallback_consent_type?: string;
}

const page = window as unknown as ConsentPage;

function config(
	cookies: { enabled: boolean; when?: 'before_chat' | 'exit_intent' },
	extra: Partial< WidgetConfig > = {}
): WidgetConfig {
	return {
		chatflowId: '42',
		serviceUrl: 'http://chat.test',
		chatWindowUrl: 'http://site.test/chat-window.js',
		locale: 'en_US',
		texts: {} as WidgetConfig[ 'texts' ],
		chatflow: {
			consent: {
				cookies: {
					when: 'before_chat',
					text: 'Chat cookies?',
					category: 'preferences',
					...cookies,
				},
			},
		} as WidgetConfig[ 'chatflow' ],
		...extra,
	};
}

/**
 * A consent plugin on the page: its answer per category, and a consent type.
 *
 * @param answers Category → consent.
 * @param type    The consent type (`optin`), or none.
 */
function consentPlugin(
	answers: Record< string, boolean >,
	type: string | null = 'optin'
) {
	page.wp_has_consent = ( category ) => answers[ category ] ?? false;
	page.wp_consent_type = type ?? undefined;
}

function everythingStored(): string[] {
	return [
		...Object.keys( window.localStorage ),
		...Object.keys( window.sessionStorage ),
	];
}

beforeEach( () => {
	window.localStorage.clear();
	window.sessionStorage.clear();
	delete page.wp_has_consent;
	delete page.wp_consent_type;
	delete page.wp_fallback_consent_type;
} );

afterEach( () => gateStorage( undefined ) );

describe( 'whether consent is asked', () => {
	const cases: Array<
		[
			string,
			boolean,
			ChatflowsSettings[ 'enableWidgetCookieBanner' ],
			boolean,
		]
	> = [
		[ 'the chatflow asks', true, undefined, true ],
		[ 'the page asks (true)', false, true, true ],
		[ 'the page asks (ON_WIDGET_LOAD)', false, 'ON_WIDGET_LOAD', true ],
		[ 'the page asks (ON_EXIT_INTENT)', false, 'ON_EXIT_INTENT', true ],
		[
			"the page's false does not turn off the chatflow's",
			true,
			false,
			true,
		],
		[ 'nobody asks', false, false, false ],
	];
	it.each( cases )( '%s', ( _, chatflowAsks, pageSetting, required ) => {
		const consent = cookieConsent(
			config( { enabled: chatflowAsks } ),
			pageSetting,
			false
		);
		expect( consent.required ).toBe( required );
		expect( bannerNeeded( consent ) ).toBe( required );
		expect( mayStore( consent ) ).toBe( ! required );
	} );

	it( 'asks nobody the page identified: the site knows them', () => {
		const consent = cookieConsent(
			config( { enabled: true } ),
			true,
			true
		);
		expect( bannerNeeded( consent ) ).toBe( false );
		expect( mayStore( consent ) ).toBe( true );
	} );

	it( "never stores nor asks in the admin's preview, even after an earlier acceptance", () => {
		window.localStorage.setItem( ACCEPTED_KEY, '1' );
		const consent = cookieConsent(
			config( { enabled: true }, { preview: true } ),
			undefined,
			false
		);
		expect( bannerNeeded( consent ) ).toBe( false );
		expect( mayStore( consent ) ).toBe( false );
		const nothingAsked = cookieConsent(
			config( { enabled: false }, { preview: true } ),
			undefined,
			false
		);
		expect( mayStore( nothingAsked ) ).toBe( false );
	} );

	it( "asks on exit intent when the page says so, else when the chatflow's timing says so", () => {
		const timing = (
			when: 'before_chat' | 'exit_intent',
			pageSetting: ChatflowsSettings[ 'enableWidgetCookieBanner' ]
		) =>
			cookieConsent(
				config( { enabled: true, when } ),
				pageSetting,
				false
			).exitIntent;
		expect( timing( 'exit_intent', undefined ) ).toBe( true );
		expect( timing( 'exit_intent', false ) ).toBe( true );
		expect( timing( 'before_chat', undefined ) ).toBe( false );
		expect( timing( 'before_chat', 'ON_EXIT_INTENT' ) ).toBe( true );
		expect( timing( 'exit_intent', true ) ).toBe( false );
		expect( timing( 'exit_intent', 'ON_WIDGET_LOAD' ) ).toBe( false );
	} );
} );

describe( 'the answer', () => {
	it( 'stores nothing before it, and keeps only the acceptance', () => {
		const consent = cookieConsent(
			config( { enabled: true } ),
			false,
			false
		);
		gateStorage( consent );
		rememberOpen( true );
		rememberMinimised( 1000 );
		expect( everythingStored() ).toEqual( [] );
		expect( wasOpen() ).toBe( false );

		answerBanner( consent, true );
		expect( window.localStorage.getItem( ACCEPTED_KEY ) ).toBe( '1' );
		rememberOpen( true );
		rememberMinimised( 1000 );
		expect( wasOpen() ).toBe( true );
		expect( minimisedRecently( 2000 ) ).toBe( true );
	} );

	it( 'a refusal holds for this page view only and stores nothing', () => {
		const consent = cookieConsent(
			config( { enabled: true } ),
			false,
			false
		);
		gateStorage( consent );
		const heard = jest.fn();
		consent.listeners = [ heard ];
		answerBanner( consent, false );
		rememberOpen( true );
		expect( heard ).toHaveBeenCalledTimes( 1 );
		expect( everythingStored() ).toEqual( [] );
		expect( bannerNeeded( consent ) ).toBe( false );
		// The next page view asks again.
		const next = cookieConsent( config( { enabled: true } ), false, false );
		expect( bannerNeeded( next ) ).toBe( true );
	} );

	it( 'an acceptance on an earlier page view holds: no banner, storing allowed', () => {
		window.localStorage.setItem( ACCEPTED_KEY, '1' );
		const consent = cookieConsent(
			config( { enabled: true } ),
			false,
			false
		);
		expect( bannerNeeded( consent ) ).toBe( false );
		expect( mayStore( consent ) ).toBe( true );
	} );

	it( 'blocked storage leaves the acceptance for this page view', () => {
		jest.spyOn( Storage.prototype, 'setItem' ).mockImplementation( () => {
			throw new DOMException( 'blocked', 'SecurityError' );
		} );
		const consent = cookieConsent(
			config( { enabled: true } ),
			false,
			false
		);
		expect( () => answerBanner( consent, true ) ).not.toThrow();
		expect( mayStore( consent ) ).toBe( true );
		jest.restoreAllMocks();
	} );
} );

describe( 'the WP Consent API', () => {
	it( "follows the consent plugin's answer for the configured category, live, without a banner", () => {
		const answers: Record< string, boolean > = { preferences: false };
		consentPlugin( answers );
		const consent = cookieConsent(
			config( { enabled: true } ),
			false,
			false
		);
		gateStorage( consent );
		expect( bannerNeeded( consent ) ).toBe( false );
		rememberOpen( true );
		expect( everythingStored() ).toEqual( [] );

		answers.preferences = true;
		rememberOpen( true );
		expect( wasOpen() ).toBe( true );
	} );

	it( 'asks the category the chatflow names', () => {
		const asked: string[] = [];
		page.wp_has_consent = ( category ) => {
			asked.push( category );
			return category === 'functional';
		};
		page.wp_fallback_consent_type = 'optin';
		expect( wpConsentAnswer( 'functional' ) ).toBe( true );
		expect( wpConsentAnswer( 'marketing' ) ).toBe( false );
		expect( asked ).toEqual( [ 'functional', 'marketing' ] );
	} );

	it( 'is no answer without a consent type (the API then allows everything): the banner asks', () => {
		consentPlugin( { preferences: true }, null );
		const consent = cookieConsent(
			config( { enabled: true } ),
			false,
			false
		);
		expect( wpConsentAnswer( 'preferences' ) ).toBeUndefined();
		expect( bannerNeeded( consent ) ).toBe( true );
		expect( mayStore( consent ) ).toBe( false );
	} );

	it( 'forgets what was stored once consent is withdrawn (clear() works whatever the answer)', () => {
		window.localStorage.setItem( ACCEPTED_KEY, '1' );
		window.localStorage.setItem( 'chatflows:session', 'tok' );
		window.sessionStorage.setItem( 'chatflows:open', '1' );
		window.localStorage.setItem( 'theme', 'dark' );
		consentPlugin( { preferences: false } );
		gateStorage(
			cookieConsent( config( { enabled: true } ), false, false )
		);
		forgetAll();
		expect( everythingStored() ).toEqual( [ 'theme' ] );
	} );

	it( 'overrides an earlier acceptance when the consent plugin says no', () => {
		window.localStorage.setItem( ACCEPTED_KEY, '1' );
		consentPlugin( { preferences: false } );
		const consent = cookieConsent(
			config( { enabled: true } ),
			false,
			false
		);
		expect( mayStore( consent ) ).toBe( false );
	} );
} );
