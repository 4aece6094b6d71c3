/**
 * Signed calls from WordPress, attacked as someone who captured them would:
 * replayed, sent to another endpoint, with another method or query. The
 * service is real (HTTP on a free port); the captured calls are signed as
 * WordPress signs them, or captured from the service's own calls to
 * WordPress. The test vector in test/fixtures/signed-call.json is checked
 * here and by the PHP side (test/php/SignedCallsTest.php).
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import pino from 'pino';
import { PRIVACY_ERASE_PATH, PRIVACY_EXPORT_PATH } from '@chatflows/protocol';
import {
	MemoryNonceStore,
	NonceStoreUnavailable,
	REDIS_NONCE_PREFIX,
	RedisNonceStore,
} from '../src/chatflow-sync/nonce-store';
import {
	canonicalString,
	canonicalTarget,
	signRequest,
	verifySignature,
} from '../src/chatflow-sync/signature';
import { WordPressClient } from '../src/chatflow-sync/wordpress';
import { connectRedis, type RedisConnection } from '../src/scale/redis';
import {
	SECRET,
	cleanup,
	signedHeaders,
	startService,
	type TestService,
} from './helpers';
import { startRedis, type RedisServer } from './redis-server';
import { chatflow, configuration } from './repository-domain';

afterEach( cleanup );

/** A signed request as it went over the wire. */
interface Captured {
	method: string;
	target: string;
	headers: Record< string, string >;
	body: string;
}

/**
 * A call signed as WordPress signs it (`Service_Sync::signed_request`).
 *
 * @param method HTTP method.
 * @param target Path and query on the service.
 * @param body   JSON body, or none.
 */
function capture( method: string, target: string, body?: unknown ): Captured {
	const raw = body === undefined ? '' : JSON.stringify( body );
	return {
		method,
		target,
		headers: signedHeaders( method, target, raw ),
		body: raw,
	};
}

/**
 * Sends a captured call again, possibly elsewhere.
 *
 * @param service        The service.
 * @param captured       The call.
 * @param changes        Another method or target.
 * @param changes.method Another method.
 * @param changes.target Another path and query.
 * @return Status and error code.
 */
async function deliver(
	service: TestService,
	captured: Captured,
	changes: { method?: string; target?: string } = {}
): Promise< { status: number; code: string | null } > {
	const method = changes.method ?? captured.method;
	const response = await fetch(
		`${ service.url }${ changes.target ?? captured.target }`,
		{
			method,
			headers: captured.headers,
			body: captured.body === '' ? undefined : captured.body,
		}
	);
	const json = ( await response.json() ) as { error?: { code: string } };
	return { status: response.status, code: json.error?.code ?? null };
}

async function configured(): Promise< TestService > {
	const service = await startService();
	const push = capture(
		'PUT',
		'/v1/configuration',
		configuration( [ chatflow( 'support', 1 ), chatflow( 'sales', 1 ) ] )
	);
	expect( ( await deliver( service, push ) ).status ).toBe( 200 );
	return service;
}

const REFUSED = { status: 401, code: expect.stringMatching( /^signature_/ ) };

describe( 'the test vector both sides check', () => {
	const vector = JSON.parse(
		fs.readFileSync(
			path.join(
				__dirname,
				'..',
				'..',
				'test',
				'fixtures',
				'signed-call.json'
			),
			'utf8'
		)
	) as Record< string, string >;

	it( 'gives the same canonical target, string and signature', () => {
		expect( canonicalTarget( vector.target ) ).toBe(
			vector.canonicalTarget
		);
		expect( canonicalString( vector as never ) ).toBe( vector.canonical );
		const signed = signRequest(
			vector.secret,
			{ method: vector.method, target: vector.target, body: vector.body },
			new Date( Number( vector.timestamp ) * 1000 ),
			vector.nonce
		);
		expect( signed.target ).toBe( vector.canonicalTarget );
		expect( signed.headers ).toEqual( {
			'X-Chatflows-Timestamp': vector.timestamp,
			'X-Chatflows-Nonce': vector.nonce,
			'X-Chatflows-Signature': vector.signature,
		} );
		expect(
			verifySignature(
				vector.secret,
				{
					timestamp: vector.timestamp,
					nonce: vector.nonce,
					signature: vector.signature,
				},
				{ method: 'POST', target: vector.target, body: vector.body },
				new Date( Number( vector.timestamp ) * 1000 )
			)
		).toBeNull();
	} );
} );

describe( 'a captured signed call', () => {
	it( 'is accepted once; replayed, it is refused', async () => {
		const service = await configured();
		const exported = capture( 'POST', PRIVACY_EXPORT_PATH, {
			email: 'ada@example.com',
			page: 1,
		} );
		expect( ( await deliver( service, exported ) ).status ).toBe( 200 );
		expect( await deliver( service, exported ) ).toEqual( {
			status: 401,
			code: 'signature_replayed',
		} );

		const push = capture(
			'PUT',
			'/v1/configuration',
			configuration( [ chatflow( 'support', 2 ) ] )
		);
		expect( ( await deliver( service, push ) ).status ).toBe( 200 );
		expect( await deliver( service, push ) ).toEqual( {
			status: 401,
			code: 'signature_replayed',
		} );
	} );

	it( 'sent to another endpoint is refused: an export request does not erase', async () => {
		const service = await configured();
		const exported = capture( 'POST', PRIVACY_EXPORT_PATH, {
			email: 'ada@example.com',
			page: 1,
		} );
		expect(
			await deliver( service, exported, { target: PRIVACY_ERASE_PATH } )
		).toEqual( REFUSED );
		expect(
			await deliver( service, exported, {
				method: 'PUT',
				target: '/v1/chatflows/support',
			} )
		).toEqual( REFUSED );
		// Refusals spend nothing: the call itself still goes through once.
		expect( ( await deliver( service, exported ) ).status ).toBe( 200 );
	} );

	it( 'with an empty body cannot delete a chatflow it was not signed for', async () => {
		const service = await configured();
		const other = capture( 'DELETE', '/v1/chatflows/sales' );
		expect(
			await deliver( service, other, { target: '/v1/chatflows/support' } )
		).toEqual( REFUSED );
		expect(
			await deliver( service, other, {
				target: '/v1/chatflows/sales?x=1',
			} )
		).toEqual( REFUSED );

		// The service's own signed, empty-bodied call to WordPress, captured.
		const seen: Captured[] = [];
		const wordpress = http.createServer( ( req, res ) => {
			seen.push( {
				method: String( req.method ),
				target: String( req.url ),
				headers: Object.fromEntries(
					Object.entries( req.headers ).filter(
						( entry ): entry is [ string, string ] =>
							entry[ 0 ].startsWith( 'x-chatflows-' )
					)
				),
				body: '',
			} );
			res.writeHead( 503 ).end();
		} );
		await new Promise< void >( ( resolve ) =>
			wordpress.listen( 0, '127.0.0.1', resolve )
		);
		try {
			const client = new WordPressClient(
				`http://127.0.0.1:${ ( wordpress.address() as AddressInfo ).port }`,
				SECRET,
				() => new Date()
			);
			await expect( client.fetchConfiguration() ).rejects.toThrow(
				'503'
			);
		} finally {
			wordpress.closeAllConnections();
			await new Promise( ( resolve ) => wordpress.close( resolve ) );
		}
		expect( seen ).toHaveLength( 1 );
		expect(
			await deliver( service, seen[ 0 ], {
				method: 'DELETE',
				target: '/v1/chatflows/support',
			} )
		).toEqual( REFUSED );
		expect( service.app.configuration.chatflow( 'support' ) ).toBeDefined();

		// Signed for what it does, it is accepted.
		expect(
			(
				await deliver(
					service,
					capture( 'DELETE', '/v1/chatflows/support' )
				)
			).status
		).toBe( 200 );
		expect(
			service.app.configuration.chatflow( 'support' )
		).toBeUndefined();
	} );

	it( 'with a changed query is refused; the same pairs in another order are the same call', async () => {
		const service = await configured();
		const signed = capture( 'POST', `${ PRIVACY_EXPORT_PATH }?a=1&b=2`, {
			email: 'ada@example.com',
			page: 1,
		} );
		for ( const target of [
			`${ PRIVACY_EXPORT_PATH }?a=1&b=3`,
			`${ PRIVACY_EXPORT_PATH }?a=1`,
			`${ PRIVACY_EXPORT_PATH }?a=1&b=2&c=3`,
			PRIVACY_EXPORT_PATH,
		] ) {
			expect( await deliver( service, signed, { target } ) ).toEqual(
				REFUSED
			);
		}
		expect(
			(
				await deliver( service, signed, {
					target: `${ PRIVACY_EXPORT_PATH }?b=2&a=1`,
				} )
			).status
		).toBe( 200 );
	} );

	it( 'without a nonce, or with another one, is refused', async () => {
		const service = await configured();
		const signed = capture( 'POST', PRIVACY_EXPORT_PATH, {
			email: 'ada@example.com',
			page: 1,
		} );
		const { 'X-Chatflows-Nonce': nonce, ...withoutNonce } = signed.headers;
		expect(
			await deliver( service, { ...signed, headers: withoutNonce } )
		).toEqual( { status: 401, code: 'signature_missing' } );
		expect(
			await deliver( service, {
				...signed,
				headers: {
					...signed.headers,
					// Another nonce: the last character changed (whatever it was).
					'X-Chatflows-Nonce': `${ nonce.slice( 0, -1 ) }${
						nonce.endsWith( 'x' ) ? 'y' : 'x'
					}`,
				},
			} )
		).toEqual( { status: 401, code: 'signature_invalid' } );
	} );
} );

describe( 'on two nodes sharing Redis', () => {
	let redis: RedisServer;
	const clients: RedisConnection[] = [];

	beforeAll( async () => {
		redis = await startRedis();
	}, 30_000 );

	afterAll( async () => {
		await Promise.all( clients.map( ( client ) => client.quit() ) );
		await redis?.stop();
	} );

	async function node(): Promise< TestService > {
		const client = await connectRedis(
			redis.url,
			pino( { level: 'silent' } )
		);
		clients.push( client );
		return startService( {
			deps: { nonces: new RedisNonceStore( client ) },
		} );
	}

	it( 'a call one node accepted is refused by the other, and the nonce expires with the window', async () => {
		const [ one, two ] = await Promise.all( [ node(), node() ] );
		const exported = capture( 'POST', PRIVACY_EXPORT_PATH, {
			email: 'ada@example.com',
			page: 1,
		} );
		expect( ( await deliver( one, exported ) ).status ).toBe( 200 );
		expect( await deliver( two, exported ) ).toEqual( {
			status: 401,
			code: 'signature_replayed',
		} );
		const ttl = await clients[ 0 ].pTTL(
			REDIS_NONCE_PREFIX + exported.headers[ 'X-Chatflows-Nonce' ]
		);
		expect( ttl ).toBeGreaterThan( 290_000 );
		expect( ttl ).toBeLessThanOrEqual( 302_000 );
	} );
} );

describe( 'the nonces of one node', () => {
	it( 'are remembered until their window ends, and a full store refuses rather than forgets', async () => {
		const store = new MemoryNonceStore( 2 );
		await expect( store.claim( 'a', 1000, 0 ) ).resolves.toBe( true );
		await expect( store.claim( 'a', 1000, 999 ) ).resolves.toBe( false );
		await expect( store.claim( 'b', 2000, 999 ) ).resolves.toBe( true );
		await expect( store.claim( 'c', 2000, 999 ) ).rejects.toBeInstanceOf(
			NonceStoreUnavailable
		);
		// Once `a`'s window is over, it is forgotten and there is room again.
		await expect( store.claim( 'c', 3000, 1000 ) ).resolves.toBe( true );
		expect( store.size ).toBe( 2 );
		await expect( store.claim( 'a', 4000, 2000 ) ).resolves.toBe( true );
	} );
} );
