/**
 * The snippet's script: asks the site which chatflow serves this page, then
 * starts the loader; nothing when no chatflow does or the site refuses.
 */
import { startOutsidePage } from '../src/outside-page';

const EMBED = 'https://site.example/wp-json/chatflows/v1/embed';

function answer( body: unknown, ok = true ) {
	const fetchMock = jest
		.fn()
		.mockResolvedValue( { ok, json: () => Promise.resolve( body ) } );
	window.fetch = fetchMock;
	return fetchMock;
}

afterEach( () => {
	delete window.chatflowsConfig;
	document.head.innerHTML = '';
} );

it( 'asks for this page and starts the loader with the answer', async () => {
	const config = { chatflowId: '7', serviceUrl: 'https://chat.example' };
	const fetchMock = answer( {
		config,
		loaderUrl: 'https://site.example/loader.js?ver=1',
	} );
	expect(
		await startOutsidePage( EMBED, 'https://shop.example/cart?x=1' )
	).toBe( true );
	expect( fetchMock.mock.calls[ 0 ][ 0 ] ).toBe(
		`${ EMBED }?url=${ encodeURIComponent( 'https://shop.example/cart?x=1' ) }`
	);
	expect( fetchMock.mock.calls[ 0 ][ 1 ] ).toMatchObject( {
		credentials: 'omit',
	} );
	expect( window.chatflowsConfig ).toBe( config );
	expect( document.head.querySelector( 'script' )?.src ).toBe(
		'https://site.example/loader.js?ver=1'
	);
} );

it( 'does nothing when no chatflow serves the page', async () => {
	answer( { config: null, loaderUrl: 'https://site.example/loader.js' } );
	expect( await startOutsidePage( EMBED, 'https://shop.example/' ) ).toBe(
		false
	);
	expect( window.chatflowsConfig ).toBeUndefined();
	expect( document.head.querySelector( 'script' ) ).toBeNull();
} );

it( 'does nothing when the site refuses the page', async () => {
	answer( { code: 'chatflows_origin_not_allowed' }, false );
	expect( await startOutsidePage( EMBED, 'https://other.example/' ) ).toBe(
		false
	);
	expect( document.head.querySelector( 'script' ) ).toBeNull();
} );
