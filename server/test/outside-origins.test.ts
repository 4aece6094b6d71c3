/**
 * Pages outside WordPress: the service accepts visitors from the origins
 * WordPress lists in its configuration, over WebSocket and HTTP long-polling
 * (with CORS for browsers), and stops accepting them once WordPress drops them.
 */
import type { ServiceConfiguration } from '@chatflows/protocol';
import {
	cleanup,
	expectConnectError,
	openVisitor,
	startService,
	type TestService,
	type VisitorClient,
	signedHeaders,
} from './helpers';
import { chatflow, configuration } from './repository-domain';

afterEach( cleanup );

const SHOP = 'https://shop.example.com';

async function pushConfiguration(
	service: TestService,
	body: ServiceConfiguration
): Promise< number > {
	const raw = JSON.stringify( body );
	const response = await fetch( `${ service.url }/v1/configuration`, {
		method: 'PUT',
		headers: signedHeaders( 'PUT', '/v1/configuration', raw ),
		body: raw,
	} );
	return response.status;
}

function connected( socket: VisitorClient ): Promise< void > {
	return new Promise( ( resolve, reject ) => {
		socket.once( 'connect', () => resolve() );
		socket.once( 'connect_error', reject );
	} );
}

/**
 * The first request of a long-polling handshake, as a browser on the page sends it.
 *
 * @param service The service.
 * @param origin  The page's origin.
 */
function pollingHandshake( service: TestService, origin: string ) {
	return fetch( `${ service.url }/socket.io/?EIO=4&transport=polling`, {
		headers: { Origin: origin },
	} );
}

it( 'accepts visitors from a listed outside origin, over polling with CORS and over WebSocket', async () => {
	const service = await startService();
	expect( ( await pollingHandshake( service, SHOP ) ).status ).toBe( 403 );
	await expectConnectError(
		openVisitor( service, {}, { origin: SHOP, transports: [ 'polling' ] } )
	);

	expect(
		await pushConfiguration( service, {
			...configuration( [ chatflow( 'support', 1 ) ] ),
			allowedOrigins: [ SHOP ],
		} )
	).toBe( 200 );

	const handshake = await pollingHandshake( service, SHOP );
	expect( handshake.status ).toBe( 200 );
	expect( handshake.headers.get( 'access-control-allow-origin' ) ).toBe(
		SHOP
	);
	await connected(
		openVisitor( service, {}, { origin: SHOP, transports: [ 'polling' ] } )
	);
	await connected(
		openVisitor(
			service,
			{},
			{ origin: SHOP, transports: [ 'websocket' ] }
		)
	);

	// Other origins stay out, and get no CORS permission.
	const other = await pollingHandshake( service, 'https://evil.example' );
	expect( other.status ).toBe( 403 );
	expect( other.headers.get( 'access-control-allow-origin' ) ).toBeNull();
} );

it( 'refuses an outside origin once WordPress no longer lists it', async () => {
	const service = await startService();
	await pushConfiguration( service, {
		...configuration( [ chatflow( 'support', 1 ) ] ),
		allowedOrigins: [ SHOP ],
	} );
	await connected(
		openVisitor(
			service,
			{},
			{ origin: SHOP, transports: [ 'websocket' ] }
		)
	);

	await pushConfiguration(
		service,
		configuration( [ chatflow( 'support', 1 ) ] )
	);
	await expectConnectError(
		openVisitor(
			service,
			{},
			{ origin: SHOP, transports: [ 'websocket' ] }
		)
	);
	expect( ( await pollingHandshake( service, SHOP ) ).status ).toBe( 403 );
} );
