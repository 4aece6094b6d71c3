/**
 * The live chat under cookie consent: the session kept only once storing is
 * allowed, and every consent answer recorded with the service (queued until
 * connected, never blocking the chat when refused).
 */
import { type Ack } from '@chatflows/protocol';
import type { WidgetConfig } from '../../page-settings';
import {
	ACCEPTED_KEY,
	answerBanner,
	cookieConsent,
	type CookieConsent,
} from '../../consent/cookie-consent';
import { consentAnswer, WP_CONSENT_CHANGE } from '../consent-answers';
import { gateStorage, STORAGE_KEYS } from '../storage';
import { VisitorChat } from '../visitor-chat';
import {
	FakeSocket,
	chatflowSettings,
	settle,
	storedVisitorMessage,
	widgetConfig,
} from './fixtures';

interface ConsentPage {
	wp_has_consent?: ( category: string ) => boolean;
	wp_consent_type?: string;
}
const page = window as unknown as ConsentPage;

/**
 * A service that issues a session on connect and stores consent records.
 * @param refuseConsents
 */
function service( refuseConsents = false ) {
	const records: any[] = [];
	const answer = ( event: string, payload: any ): Ack< any > | undefined => {
		if ( event === 'consent:record' ) {
			if ( refuseConsents ) {
				return {
					ok: false,
					error: { code: 'invalid_payload', message: 'no' },
				};
			}
			records.push( payload );
			return { ok: true, data: { record: payload } };
		}
		if ( event === 'conversation:resume' ) {
			return { ok: true, data: { conversation: null, messages: [] } };
		}
		if ( event === 'message:send' ) {
			return {
				ok: true,
				data: { message: storedVisitorMessage( payload ) },
			};
		}
		return { ok: true, data: {} };
	};
	return { records, answer };
}

function consentConfig( consent: CookieConsent ): WidgetConfig {
	const config = widgetConfig(
		chatflowSettings( {
			language: 'da_DK',
			consent: {
				cookies: {
					enabled: true,
					when: 'before_chat',
					text: 'Må chatten gemme cookies?',
					category: 'preferences',
				},
				data: {
					enabled: false,
					mode: 'explicit',
					text: '',
					privacyPolicyUrl: '',
				},
				communications: { enabled: false, label: '' },
			},
		} )
	);
	return { ...config, consent };
}

function start( refuseConsents = false ) {
	const backend = service( refuseConsents );
	const socket = new FakeSocket( backend.answer );
	const consent = cookieConsent(
		consentConfig( {} as CookieConsent ),
		false,
		false
	);
	const config = consentConfig( consent );
	gateStorage( consent );
	const chat = new VisitorChat( config, () => socket.asVisitorSocket() );
	return { backend, socket, consent, chat };
}

beforeEach( () => {
	window.localStorage.clear();
	window.sessionStorage.clear();
	delete page.wp_has_consent;
	delete page.wp_consent_type;
} );

afterEach( () => gateStorage( undefined ) );

describe( 'the session under cookie consent', () => {
	it( 'lives in memory before consent, and is kept once the visitor accepts', async () => {
		const { socket, consent, chat } = start();
		socket.connect();
		socket.receive( 'session', { visitorId: 'v-1', token: 'tok-1' } );
		await settle();
		chat.send( 'Hello' );
		await settle();
		expect( socket.events( 'message:send' ) ).toHaveLength( 1 );
		expect( Object.keys( window.localStorage ) ).toEqual( [] );

		answerBanner( consent, true );
		await settle();
		expect( window.localStorage.getItem( STORAGE_KEYS.session ) ).toBe(
			'tok-1'
		);
		expect( window.localStorage.getItem( ACCEPTED_KEY ) ).toBe( '1' );
		chat.close();
	} );

	it( 'is never stored after a refusal, and the chat goes on', async () => {
		const { backend, socket, consent, chat } = start();
		socket.connect();
		socket.receive( 'session', { visitorId: 'v-1', token: 'tok-1' } );
		answerBanner( consent, false );
		chat.send( 'Hello anyway' );
		await settle();
		expect( Object.keys( window.localStorage ) ).toEqual( [] );
		expect( socket.events( 'message:send' ) ).toHaveLength( 1 );
		expect( backend.records ).toEqual( [
			expect.objectContaining( {
				kind: 'cookies',
				granted: false,
				method: 'banner',
				text: 'Må chatten gemme cookies?',
				language: 'da_DK',
				pageUrl: window.location.href,
			} ),
		] );
		chat.close();
	} );
} );

describe( 'consent records', () => {
	it( 'wait for the connection, then go out in order, before the message that follows them', async () => {
		const { backend, socket, chat } = start();
		chat.recordConsent(
			consentAnswer( 'data_processing', true, 'checkbox', 'We process.' )
		);
		chat.send( 'First message' );
		chat.recordConsent(
			consentAnswer(
				'communications',
				true,
				'checkbox',
				'News, please',
				'Newsletter'
			)
		);
		await settle();
		expect( socket.events( 'consent:record' ) ).toHaveLength( 0 );

		socket.connect();
		await settle();
		expect(
			socket
				.events()
				.filter( ( item ) => item.event !== 'conversation:resume' )
				.map( ( item ) => item.event )
		).toEqual( [ 'consent:record', 'consent:record', 'message:send' ] );
		expect( backend.records ).toEqual( [
			expect.objectContaining( {
				kind: 'data_processing',
				method: 'checkbox',
				granted: true,
				text: 'We process.',
			} ),
			expect.objectContaining( {
				kind: 'communications',
				text: 'News, please',
				subscriptionType: 'Newsletter',
			} ),
		] );
		chat.close();
	} );

	it( 'a refused record is dropped and never holds up the chat', async () => {
		const { socket, chat } = start( true );
		socket.connect();
		await settle();
		chat.recordConsent(
			consentAnswer( 'data_processing', true, 'notice', 'We process.' )
		);
		chat.send( 'Still sent' );
		await settle();
		expect( socket.events( 'consent:record' ) ).toHaveLength( 1 );
		expect( socket.events( 'message:send' ) ).toHaveLength( 1 );
		expect( chat.getState().pending ).toEqual( [] );
		chat.close();
	} );

	it( 'one not acknowledged is sent again after reconnecting, and the message waits for it', async () => {
		const { backend, socket, chat } = start();
		const answer = socket.answer;
		// The connection is lost before the service acknowledges.
		socket.answer = ( event, payload ) =>
			event === 'consent:record' ? undefined : answer( event, payload );
		socket.connect();
		await settle();
		chat.recordConsent(
			consentAnswer( 'data_processing', true, 'checkbox', 'We process.' )
		);
		chat.send( 'After the consent' );
		await settle();
		expect( socket.events( 'consent:record' ) ).toHaveLength( 1 );
		expect( socket.events( 'message:send' ) ).toHaveLength( 0 );

		socket.drop();
		socket.answer = answer;
		socket.connect();
		await settle();
		expect( socket.events( 'consent:record' ) ).toHaveLength( 2 );
		expect( backend.records ).toHaveLength( 1 );
		expect( socket.events( 'message:send' ) ).toHaveLength( 1 );
		chat.close();
	} );

	it( "follow the site's consent plugin (WP Consent API) and its changes, and keep the session once it allows", async () => {
		const answers: Record< string, boolean > = { preferences: false };
		page.wp_has_consent = ( category ) => answers[ category ] ?? false;
		page.wp_consent_type = 'optin';
		const { backend, socket, chat } = start();
		socket.connect();
		socket.receive( 'session', { visitorId: 'v-1', token: 'tok-1' } );
		await settle();
		expect( backend.records ).toEqual( [
			expect.objectContaining( {
				kind: 'cookies',
				granted: false,
				method: 'wp_consent_api',
				text: 'preferences',
			} ),
		] );
		expect(
			window.localStorage.getItem( STORAGE_KEYS.session )
		).toBeNull();

		answers.preferences = true;
		document.dispatchEvent(
			new CustomEvent( WP_CONSENT_CHANGE, {
				detail: { preferences: 'allow' },
			} )
		);
		await settle();
		expect( backend.records[ 1 ] ).toEqual(
			expect.objectContaining( {
				granted: true,
				method: 'wp_consent_api',
			} )
		);
		expect( window.localStorage.getItem( STORAGE_KEYS.session ) ).toBe(
			'tok-1'
		);

		// Withdrawn: recorded, and what the chat stored is forgotten.
		answers.preferences = false;
		document.dispatchEvent( new CustomEvent( WP_CONSENT_CHANGE ) );
		await settle();
		expect( backend.records[ 2 ] ).toEqual(
			expect.objectContaining( { granted: false } )
		);
		expect( Object.keys( window.localStorage ) ).toEqual( [] );

		chat.close();
		answers.preferences = true;
		document.dispatchEvent( new CustomEvent( WP_CONSENT_CHANGE ) );
		await settle();
		expect( backend.records ).toHaveLength( 3 );
	} );

	it( 'records an answer given beside the launcher before the window loaded', async () => {
		const backend = service();
		const socket = new FakeSocket( backend.answer );
		const consent = cookieConsent(
			consentConfig( {} as CookieConsent ),
			false,
			false
		);
		gateStorage( consent );
		answerBanner( consent, true );
		const chat = new VisitorChat( consentConfig( consent ), () =>
			socket.asVisitorSocket()
		);
		socket.connect();
		await settle();
		expect( backend.records ).toEqual( [
			expect.objectContaining( {
				kind: 'cookies',
				granted: true,
				method: 'banner',
			} ),
		] );
		chat.close();
	} );
} );
