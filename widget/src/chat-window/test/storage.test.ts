/**
 * The chat window's storage, in jsdom's real local storage: gated by the
 * cookie consent, and harmless when the browser blocks storage.
 */
import { cookieConsent } from '../../consent/cookie-consent';
import type { WidgetConfig } from '../../page-settings';
import { STORAGE_KEYS, gateStorage, readStored, writeStored } from '../storage';

/**
 * A consent the chatflow asks for, not answered yet.
 */
function unanswered() {
	return cookieConsent(
		{
			chatflow: {
				consent: { cookies: { enabled: true, when: 'before_chat' } },
			},
		} as unknown as WidgetConfig,
		undefined,
		false
	);
}

beforeEach( () => {
	gateStorage( undefined );
	window.localStorage.clear();
} );

afterEach( () => {
	jest.restoreAllMocks();
} );

it( 'reads, writes and removes when nothing asks for consent', () => {
	writeStored( STORAGE_KEYS.session, 'token-1' );
	expect( window.localStorage.getItem( 'chatflows:session' ) ).toBe(
		'token-1'
	);
	expect( readStored( STORAGE_KEYS.session ) ).toBe( 'token-1' );
	writeStored( STORAGE_KEYS.session, null );
	expect( window.localStorage.getItem( 'chatflows:session' ) ).toBeNull();
} );

it( 'neither reads nor writes before the consent allows it, and does both after', () => {
	window.localStorage.setItem( 'chatflows:sound', '1' );
	const consent = unanswered();
	gateStorage( consent );
	writeStored( STORAGE_KEYS.session, 'token-1' );
	expect( window.localStorage.getItem( 'chatflows:session' ) ).toBeNull();
	expect( readStored( STORAGE_KEYS.sound ) ).toBeNull();

	consent.answer = true;
	writeStored( STORAGE_KEYS.session, 'token-1' );
	expect( readStored( STORAGE_KEYS.session ) ).toBe( 'token-1' );
	expect( readStored( STORAGE_KEYS.sound ) ).toBe( '1' );
} );

it( 'reads null and drops writes when the browser blocks storage', () => {
	const blocked = () => {
		throw new DOMException( 'blocked', 'SecurityError' );
	};
	jest.spyOn( Storage.prototype, 'getItem' ).mockImplementation( blocked );
	jest.spyOn( Storage.prototype, 'setItem' ).mockImplementation( blocked );
	jest.spyOn( Storage.prototype, 'removeItem' ).mockImplementation( blocked );
	expect( readStored( STORAGE_KEYS.session ) ).toBeNull();
	expect( () =>
		writeStored( STORAGE_KEYS.session, 'token-1' )
	).not.toThrow();
	expect( () => writeStored( STORAGE_KEYS.session, null ) ).not.toThrow();
} );
