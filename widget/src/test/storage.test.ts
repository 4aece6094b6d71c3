/**
 * The 24-hour rule and the loader's storage, in jsdom's real storages.
 */
import { appearance } from '../display/behaviour';
import {
	gateStorage,
	forgetAll,
	minimisedRecently,
	QUIET_PERIOD_MS,
	rememberMinimised,
	rememberOpen,
	wasOpen,
} from '../display/storage';

const HOUR = 60 * 60 * 1000;
const BEHAVIOUR = {
	desktop: 'prompt_on_trigger' as const,
	mobile: 'prompt' as const,
	triggers: {
		exitIntent: true,
		timeOnPage: false,
		timeOnPageSeconds: 5,
		scroll: false,
		scrollPercent: 50,
	},
};

beforeEach( () => {
	gateStorage( undefined );
	window.localStorage.clear();
	window.sessionStorage.clear();
} );

afterEach( () => {
	jest.restoreAllMocks();
} );

describe( 'the 24-hour rule', () => {
	it( 'keeps a visitor who minimised the chat from being prompted for 24 hours', () => {
		const now = Date.UTC( 2026, 10, 22, 9 );
		expect( minimisedRecently( now ) ).toBe( false );
		rememberMinimised( now );
		expect( minimisedRecently( now + 23 * HOUR ) ).toBe( true );
		expect( minimisedRecently( now + QUIET_PERIOD_MS - 1 ) ).toBe( true );
		expect( minimisedRecently( now + QUIET_PERIOD_MS ) ).toBe( false );
	} );

	it( "holds across chatflows and pages: one key in the site's local storage", () => {
		rememberMinimised( 1000 );
		expect( window.localStorage.getItem( 'chatflows:minimised' ) ).toBe(
			'1000'
		);
	} );

	it( 'shows only the launcher while quiet, whatever the behaviour', () => {
		expect( appearance( BEHAVIOUR, false, false ) ).toBe(
			'prompt_on_trigger'
		);
		expect( appearance( BEHAVIOUR, true, false ) ).toBe( 'prompt' );
		expect( appearance( BEHAVIOUR, false, true ) ).toBe( 'launcher' );
		expect( appearance( BEHAVIOUR, true, true ) ).toBe( 'launcher' );
		expect( appearance( undefined, false, false ) ).toBe( 'launcher' );
	} );

	it( 'ignores a garbled or future time', () => {
		window.localStorage.setItem( 'chatflows:minimised', 'soon' );
		expect( minimisedRecently( 5000 ) ).toBe( false );
		rememberMinimised( 10_000 );
		expect( minimisedRecently( 5000 ) ).toBe( false );
	} );
} );

describe( 'storage', () => {
	it( 'remembers for this tab whether the chat is open', () => {
		rememberOpen( true );
		expect( wasOpen() ).toBe( true );
		expect( window.sessionStorage.getItem( 'chatflows:open' ) ).toBe( '1' );
		rememberOpen( false );
		expect( wasOpen() ).toBe( false );
	} );

	it( 'stores nothing while cookie consent is pending', () => {
		gateStorage( { required: true, exitIntent: false } );
		rememberOpen( true );
		rememberMinimised( 1000 );
		expect( window.localStorage.length ).toBe( 0 );
		expect( window.sessionStorage.length ).toBe( 0 );
		expect( minimisedRecently( 2000 ) ).toBe( false );
	} );

	it( 'works on when the browser blocks storage', () => {
		jest.spyOn( Storage.prototype, 'getItem' ).mockImplementation( () => {
			throw new DOMException( 'blocked', 'SecurityError' );
		} );
		jest.spyOn( Storage.prototype, 'setItem' ).mockImplementation( () => {
			throw new DOMException( 'blocked', 'SecurityError' );
		} );
		expect( () => rememberMinimised( 1000 ) ).not.toThrow();
		expect( minimisedRecently( 2000 ) ).toBe( false );
		expect( wasOpen() ).toBe( false );
	} );

	it( "forgets only the widget's own keys", () => {
		window.localStorage.setItem( 'chatflows:session', 'token' );
		window.localStorage.setItem( 'theme:dark', '1' );
		rememberMinimised( 1000 );
		rememberOpen( true );
		forgetAll();
		expect( window.localStorage.getItem( 'chatflows:session' ) ).toBeNull();
		expect(
			window.localStorage.getItem( 'chatflows:minimised' )
		).toBeNull();
		expect( wasOpen() ).toBe( false );
		expect( window.localStorage.getItem( 'theme:dark' ) ).toBe( '1' );
	} );
} );
