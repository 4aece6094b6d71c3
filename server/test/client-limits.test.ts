/**
 * Floods from one address, and the real client address behind a reverse
 * proxy: fresh sessions and new conversations cost the client's address and
 * network, and forwarded headers count only when a trusted proxy wrote them.
 */
import { ConfigError, loadConfig } from '../src/environment';
import {
	ClientAddresses,
	forwardedForNodes,
	networkOf,
	normalizeAddress,
} from '../src/limits/client-address';
import {
	ChatLimits,
	DEFAULT_LIMIT_SETTINGS,
	type LimitSettings,
} from '../src/limits/rate-limits';
import { chatflow, configuration } from './repository-domain';
import {
	CHATFLOW_ID,
	cleanup,
	connectVisitor,
	openVisitor,
	SECRET,
	startService,
	visitorAsk,
	type TestService,
} from './helpers';

afterEach( cleanup );

const OTHER_LOOPBACK = '127.0.0.2';

const PDF = Buffer.from( '%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n' );

function limitedService(
	settings: Partial< LimitSettings >,
	trust?: ConstructorParameters< typeof ClientAddresses >[ 0 ]
): Promise< TestService > {
	return startService( {
		deps: {
			limits: ChatLimits.inMemory( {
				...DEFAULT_LIMIT_SETTINGS,
				...settings,
			} ),
			clientAddresses: trust ? new ClientAddresses( trust ) : undefined,
		},
	} );
}

/**
 * Opens a fresh session (no token) and tells how it went.
 *
 * @param service The service.
 * @param headers Handshake headers.
 * @param from    Local address to connect from.
 * @return `ok`, or the refusal's code and message.
 */
async function freshSession(
	service: TestService,
	headers: Record< string, string > = {},
	from?: string
): Promise< 'ok' | { code: string | undefined; message: string } > {
	const socket = openVisitor( service, {}, { headers, localAddress: from } );
	const outcome = await new Promise<
		'ok' | { code: string | undefined; message: string }
	>( ( resolve ) => {
		socket.once( 'session', () => resolve( 'ok' ) );
		socket.once( 'connect_error', ( error: Error & { data?: unknown } ) =>
			resolve( {
				code: ( error.data as { code?: string } | undefined )?.code,
				message: error.message,
			} )
		);
	} );
	socket.disconnect();
	return outcome;
}

async function freshSessions(
	count: number,
	service: TestService,
	headers: ( i: number ) => Record< string, string > = () => ( {} )
) {
	const outcomes = [];
	// A few at a time: a flood, without starving a busy machine.
	for ( let start = 0; start < count; start += 10 ) {
		const batch = [];
		for ( let i = start; i < Math.min( count, start + 10 ); i++ ) {
			batch.push( freshSession( service, headers( i ) ) );
		}
		outcomes.push( ...( await Promise.all( batch ) ) );
	}
	return outcomes;
}

const xff = ( address: string ) => ( { 'X-Forwarded-For': address } );

describe( 'budgets per client address and network', () => {
	it( 'refuses fresh sessions from one address beyond its budget, with a coded error, while another address still gets in', async () => {
		const service = await limitedService( {} );
		const outcomes = await freshSessions( 150, service );
		const accepted = outcomes.filter( ( outcome ) => outcome === 'ok' );
		expect( accepted ).toHaveLength(
			DEFAULT_LIMIT_SETTINGS.sessionsPerIpPerHour
		);
		expect( outcomes.at( -1 ) ).toEqual( {
			code: 'rate_limited',
			message: expect.stringMatching(
				/^Slow down: too many new chat sessions from your address\. Try again in \d+ seconds\.$/
			),
		} );
		expect( await freshSession( service, {}, OTHER_LOOPBACK ) ).toBe(
			'ok'
		);
	}, 60_000 );

	it( 'keeps the sessions already issued working after the address ran out of new ones', async () => {
		const service = await limitedService( { sessionsPerIpPerHour: 2 } );
		const first = await connectVisitor( service );
		await connectVisitor( service );
		expect( await freshSession( service ) ).toMatchObject( {
			code: 'rate_limited',
		} );
		const again = await connectVisitor( service, {
			session: first.session.token,
		} );
		expect( again.session.visitorId ).toBe( first.session.visitorId );
	} );

	it( 'bounds the conversations one address opens with fresh sessions, not other addresses', async () => {
		const service = await limitedService( {
			sessionsPerIpPerHour: 1000,
			conversationsPerIpPerHour: 5,
		} );
		const acks = [];
		for ( let i = 0; i < 8; i++ ) {
			const { socket } = await connectVisitor( service );
			acks.push(
				await visitorAsk( socket, 'message:send', {
					clientId: `c${ i }`,
					body: 'Hello',
				} )
			);
			socket.disconnect();
		}
		expect( acks.filter( ( ack ) => ack.ok ) ).toHaveLength( 5 );
		expect( acks.at( -1 ) ).toEqual( {
			ok: false,
			error: {
				code: 'rate_limited',
				message: expect.stringMatching(
					/^Slow down: too many new conversations from your address\./
				),
			},
		} );
		const conversations = await service.repository.listOpenConversations();
		expect( conversations ).toHaveLength( 5 );

		const other = await connectVisitor(
			service,
			{},
			{ localAddress: OTHER_LOOPBACK }
		);
		const ack = await visitorAsk( other.socket, 'message:send', {
			clientId: 'o1',
			body: 'Hello',
		} );
		expect( ack.ok ).toBe( true );
	} );
} );

describe( 'CHATFLOWS_TRUST_PROXY', () => {
	it( 'unset: a forged X-Forwarded-For is ignored, every session counts for the peer', async () => {
		const service = await limitedService( { sessionsPerIpPerHour: 3 } );
		const outcomes = await freshSessions( 4, service, ( i ) =>
			xff( `203.0.113.${ i + 1 }` )
		);
		expect( outcomes.slice( 0, 3 ) ).toEqual( [ 'ok', 'ok', 'ok' ] );
		expect( outcomes[ 3 ] ).toMatchObject( { code: 'rate_limited' } );
	} );

	it( 'set to the peer: each forwarded client has its own budget', async () => {
		const service = await limitedService(
			{ sessionsPerIpPerHour: 3 },
			{ proxies: '127.0.0.1', header: 'x-forwarded-for' }
		);
		const outcomes = await freshSessions( 4, service, () =>
			// The visitor's own claim, then what the proxy saw.
			xff( '198.51.100.250, 203.0.113.7' )
		);
		expect( outcomes.slice( 0, 3 ) ).toEqual( [ 'ok', 'ok', 'ok' ] );
		expect( outcomes[ 3 ] ).toMatchObject( { code: 'rate_limited' } );
		// Another client of the proxy, and the proxy itself, still get in.
		expect( await freshSession( service, xff( '203.0.113.8' ) ) ).toBe(
			'ok'
		);
		expect( await freshSession( service ) ).toBe( 'ok' );
	} );

	it( 'set to other proxies: a peer outside them is the client, whatever it forwards', async () => {
		const service = await limitedService(
			{ sessionsPerIpPerHour: 2 },
			{ proxies: '10.0.0.0/8, ::1', header: 'x-forwarded-for' }
		);
		const outcomes = await freshSessions( 3, service, ( i ) =>
			xff( `203.0.113.${ i + 1 }` )
		);
		expect( outcomes[ 2 ] ).toMatchObject( { code: 'rate_limited' } );
	} );

	it( 'walks back through trusted proxies only', async () => {
		const service = await limitedService(
			{ sessionsPerIpPerHour: 1 },
			{ proxies: '127.0.0.1, 10.0.0.0/8', header: 'x-forwarded-for' }
		);
		// Client, then an inner proxy 10.1.1.1 that is trusted too.
		expect(
			await freshSession( service, xff( '203.0.113.1, 10.1.1.1' ) )
		).toBe( 'ok' );
		expect(
			await freshSession( service, xff( '203.0.113.1, 10.1.1.2' ) )
		).toMatchObject( { code: 'rate_limited' } );
		// Garbage where an address should be ends the walk at the proxy that sent it.
		expect(
			await freshSession( service, xff( 'not-an-address, 10.1.1.3' ) )
		).toBe( 'ok' );
		expect(
			await freshSession( service, xff( 'anything, 10.1.1.3' ) )
		).toMatchObject( { code: 'rate_limited' } );
	} );

	it( 'with the Forwarded header: reads RFC 7239 `for`, and no longer believes X-Forwarded-For', async () => {
		const service = await limitedService(
			{ sessionsPerIpPerHour: 1 },
			{ proxies: '127.0.0.1', header: 'forwarded' }
		);
		const forwarded = ( node: string ) => ( {
			Forwarded: `for=${ node };proto=https;by=127.0.0.1`,
		} );
		expect(
			await freshSession( service, forwarded( '"[2001:db8:5::1]:4711"' ) )
		).toBe( 'ok' );
		expect(
			await freshSession( service, forwarded( '2001:db8:5:0:0:0:0:1' ) )
		).toMatchObject( { code: 'rate_limited' } );
		expect( await freshSession( service, forwarded( '192.0.2.60' ) ) ).toBe(
			'ok'
		);
		// Only the proxy's own address is left for X-Forwarded-For claims.
		expect( await freshSession( service, xff( '192.0.2.61' ) ) ).toBe(
			'ok'
		);
		expect(
			await freshSession( service, xff( '192.0.2.62' ) )
		).toMatchObject( { code: 'rate_limited' } );
	} );

	it( 'groups IPv4 clients by /24 and IPv6 clients by /64, IPv4-mapped addresses as IPv4', async () => {
		const service = await limitedService(
			{ sessionsPerIpPerHour: 100, sessionsPerNetworkPerHour: 2 },
			{ proxies: 'loopback', header: 'x-forwarded-for' }
		);
		expect( await freshSession( service, xff( '198.51.100.1' ) ) ).toBe(
			'ok'
		);
		expect(
			await freshSession( service, xff( '::ffff:198.51.100.2' ) )
		).toBe( 'ok' );
		expect(
			await freshSession( service, xff( '198.51.100.200' ) )
		).toEqual( {
			code: 'rate_limited',
			message: expect.stringMatching(
				/^Slow down: too many new chat sessions from your network\./
			),
		} );
		expect( await freshSession( service, xff( '198.51.101.1' ) ) ).toBe(
			'ok'
		);

		expect( await freshSession( service, xff( '2001:db8:1:2::1' ) ) ).toBe(
			'ok'
		);
		expect(
			await freshSession(
				service,
				xff( '2001:db8:1:2:ffff:ffff:ffff:ffff' )
			)
		).toBe( 'ok' );
		expect(
			await freshSession( service, xff( '2001:db8:1:2:abcd::9' ) )
		).toMatchObject( { code: 'rate_limited' } );
		expect( await freshSession( service, xff( '2001:db8:1:3::1' ) ) ).toBe(
			'ok'
		);
	} );

	it( 'applies to HTTP uploads as to sockets: each forwarded client has its own address budget', async () => {
		const service = await limitedService(
			{ ipEventsPerMinute: 2, visitorEventsPerMinute: 100 },
			{ proxies: '127.0.0.1', header: 'x-forwarded-for' }
		);
		await service.app.configuration.replace(
			configuration( [ chatflow( CHATFLOW_ID, 1 ) ] )
		);
		const visitor = await connectVisitor(
			service,
			{},
			{ headers: xff( '203.0.113.5' ) }
		);
		const upload = async ( client: string ) =>
			(
				await fetch(
					`${ service.url }/v1/attachments?${ new URLSearchParams( {
						name: 'a.pdf',
						chatflowId: CHATFLOW_ID,
					} ) }`,
					{
						method: 'POST',
						headers: {
							'Content-Type': 'application/octet-stream',
							Authorization: `Bearer ${ visitor.session.token }`,
							...xff( client ),
						},
						body: PDF,
					}
				)
			).status;
		// The connection spent one of 203.0.113.5's two.
		expect( await upload( '203.0.113.5' ) ).toBe( 201 );
		expect( await upload( '203.0.113.5' ) ).toBe( 429 );
		expect( await upload( '203.0.113.6' ) ).toBe( 201 );
	} );

	it( 'is read from the environment, and a bad entry stops the service naming it', () => {
		const base = {
			CHATFLOWS_SECRET: SECRET,
			CHATFLOWS_ALLOWED_ORIGINS: 'http://localhost:8888',
		};
		expect( loadConfig( base ).trustProxy ).toEqual( {
			proxies: '',
			header: 'x-forwarded-for',
		} );
		expect(
			loadConfig( {
				...base,
				CHATFLOWS_TRUST_PROXY: '10.0.0.0/8, 2001:db8::/32, loopback',
				CHATFLOWS_TRUST_PROXY_HEADER: 'forwarded',
			} ).trustProxy
		).toEqual( {
			proxies: '10.0.0.0/8, 2001:db8::/32, loopback',
			header: 'forwarded',
		} );
		for ( const bad of [ 'proxy.example', '10.0.0.0/33', '127.1' ] ) {
			expect( () =>
				loadConfig( { ...base, CHATFLOWS_TRUST_PROXY: bad } )
			).toThrow( ConfigError );
			expect( () =>
				loadConfig( { ...base, CHATFLOWS_TRUST_PROXY: bad } )
			).toThrow( `CHATFLOWS_TRUST_PROXY "${ bad }" is not an address` );
		}
		expect( () =>
			loadConfig( { ...base, CHATFLOWS_TRUST_PROXY_HEADER: 'x-real-ip' } )
		).toThrow( 'CHATFLOWS_TRUST_PROXY_HEADER must be one of' );
	} );
} );

describe( 'client address parts', () => {
	it( 'normalizes addresses and names their networks', () => {
		expect( normalizeAddress( '::ffff:192.0.2.1' ) ).toBe( '192.0.2.1' );
		expect( normalizeAddress( '2001:0DB8:0:0::1' ) ).toBe( '2001:db8::1' );
		expect( normalizeAddress( 'unknown' ) ).toBeNull();
		expect( normalizeAddress( '127.1' ) ).toBeNull();
		expect( networkOf( '192.0.2.77' ) ).toBe( '192.0.2.0/24' );
		expect( networkOf( '2001:db8:1:2:3:4:5:6' ) ).toBe(
			'2001:db8:1:2::/64'
		);
	} );

	it( 'reads the `for` nodes of a Forwarded header', () => {
		expect(
			forwardedForNodes(
				'for=192.0.2.43, for="[2001:db8:cafe::17]:4711";proto=http, by=203.0.113.60;for=unknown, proto=https'
			)
		).toEqual( [ '192.0.2.43', '2001:db8:cafe::17', 'unknown', '' ] );
		expect(
			forwardedForNodes( 'For="198.51.100.17:80";host="a,b"' )
		).toEqual( [ '198.51.100.17' ] );
	} );

	it( 'matches IPv4-mapped peers against IPv4 ranges', () => {
		const addresses = new ClientAddresses( {
			proxies: '10.0.0.0/8, ::ffff:192.0.2.0/120',
			header: 'x-forwarded-for',
		} );
		expect( addresses.isTrusted( '::ffff:10.2.3.4' ) ).toBe( true );
		expect( addresses.isTrusted( '192.0.2.9' ) ).toBe( true );
		expect( addresses.isTrusted( '11.0.0.1' ) ).toBe( false );
		expect( addresses.isTrusted( '2001:db8::1' ) ).toBe( false );
	} );
} );
