/**
 * `GET /metrics`: Prometheus text with connections, open conversations,
 * messages and the receive-to-acknowledgement latency.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChatLimits, DEFAULT_LIMIT_SETTINGS } from '../src/limits/rate-limits';
import { ConfigError, loadConfig } from '../src/environment';
import { createMetricsApp } from '../src/metrics-http';
import {
	agentAsk,
	cleanup,
	connectAgent,
	connectVisitor,
	loose,
	startService,
	visitorAsk,
	WAIT_MS,
	type TestService,
} from './helpers';

afterEach( cleanup );

const METRICS_TOKEN = 'scraper-token-0123456789';

async function scrape( service: TestService ): Promise< string > {
	const response = await fetch( `${ service.url }/metrics`, {
		headers: { Authorization: `Bearer ${ METRICS_TOKEN }` },
	} );
	expect( response.status ).toBe( 200 );
	expect( response.headers.get( 'content-type' ) ).toMatch(
		/^text\/plain; version=0\.0\.4/
	);
	return response.text();
}

/**
 * The value of one sample line, e.g. `chatflows_messages_total{namespace="/visitor"}`.
 *
 * @param text   The exposition.
 * @param sample Metric name with its labels, exactly as printed.
 */
function valueOf( text: string, sample: string ): number | null {
	for ( const line of text.split( '\n' ) ) {
		if ( line.startsWith( sample + ' ' ) ) {
			return Number( line.slice( sample.length + 1 ) );
		}
	}
	return null;
}

describe( '/metrics', () => {
	it( 'counts connections by namespace, messages, latency and open conversations', async () => {
		let started: TestService | null = null;
		const service = await startService( {
			metricsToken: METRICS_TOKEN,
			deps: {
				countOpenConversations: async () =>
					( await started!.repository.listOpenConversations() )
						.length,
			},
		} );
		started = service;
		const empty = await scrape( service );
		expect(
			valueOf( empty, 'chatflows_connections{namespace="/visitor"}' )
		).toBe( 0 );
		expect( valueOf( empty, 'chatflows_open_conversations' ) ).toBe( 0 );

		const one = await connectVisitor( service );
		const two = await connectVisitor( service );
		const agent = await connectAgent( service );
		const first = await visitorAsk( one.socket, 'message:send', {
			clientId: 'a',
			body: 'hello',
		} );
		await visitorAsk( one.socket, 'message:send', {
			clientId: 'b',
			body: 'again',
		} );
		await visitorAsk( two.socket, 'message:send', {
			clientId: 'c',
			body: 'other',
		} );
		await agentAsk( agent, 'message:send', {
			conversationId: first.ok ? first.data.message.conversationId : '',
			clientId: 'r',
			body: 'reply',
		} );
		// A refused message is timed but not counted as a message.
		await visitorAsk( one.socket, 'message:send', {
			clientId: 'bad id!',
			body: 'x',
		} );

		const text = await scrape( service );
		expect(
			valueOf( text, 'chatflows_connections{namespace="/visitor"}' )
		).toBe( 2 );
		expect(
			valueOf( text, 'chatflows_connections{namespace="/agent"}' )
		).toBe( 1 );
		expect(
			valueOf( text, 'chatflows_messages_total{namespace="/visitor"}' )
		).toBe( 3 );
		expect(
			valueOf( text, 'chatflows_messages_total{namespace="/agent"}' )
		).toBe( 1 );
		expect(
			valueOf(
				text,
				'chatflows_message_ack_seconds_count{namespace="/visitor"}'
			)
		).toBe( 4 );
		expect(
			valueOf(
				text,
				'chatflows_message_ack_seconds_bucket{le="+Inf",namespace="/visitor"}'
			)
		).toBe( 4 );
		expect( valueOf( text, 'chatflows_open_conversations' ) ).toBe( 2 );
		expect( text ).toContain(
			'# TYPE chatflows_message_ack_seconds histogram'
		);
		expect( text ).toContain( 'chatflows_process_resident_memory_bytes' );
		// Message bodies never reach the metrics.
		expect( text ).not.toContain( 'hello' );

		one.socket.disconnect();
		await new Promise( ( resolve ) => setTimeout( resolve, 100 ) );
		expect(
			valueOf(
				await scrape( service ),
				'chatflows_connections{namespace="/visitor"}'
			)
		).toBe( 1 );
	} );

	it( 'counts refused events by reason', async () => {
		const service = await startService( {
			metricsToken: METRICS_TOKEN,
			deps: {
				limits: ChatLimits.inMemory( {
					...DEFAULT_LIMIT_SETTINGS,
					visitorEventsPerMinute: 1,
				} ),
			},
		} );
		const { socket } = await connectVisitor( service );
		await visitorAsk( socket, 'conversation:resume', {} );
		await visitorAsk( socket, 'conversation:resume', {} );
		await loose( socket ).timeout( WAIT_MS ).emitWithAck( 'no:such', {} );
		const text = await scrape( service );
		expect(
			valueOf(
				text,
				'chatflows_refused_events_total{namespace="/visitor",reason="rate_limited"}'
			)
		).toBe( 1 );
		expect(
			valueOf(
				text,
				'chatflows_refused_events_total{namespace="/visitor",reason="unknown_event"}'
			)
		).toBe( 1 );
	} );

	it( 'keeps each service’s metrics apart', async () => {
		const a = await startService( { metricsToken: METRICS_TOKEN } );
		const b = await startService( { metricsToken: METRICS_TOKEN } );
		await connectVisitor( a );
		expect(
			valueOf(
				await scrape( b ),
				'chatflows_connections{namespace="/visitor"}'
			)
		).toBe( 0 );
	} );
} );

describe( 'who may read /metrics', () => {
	const expectRefused = async (
		response: Response,
		status: number
	): Promise< void > => {
		expect( response.status ).toBe( status );
		const text = await response.text();
		expect( text ).not.toContain( 'chatflows_' );
		expect( JSON.parse( text ).error.code ).toEqual( expect.any( String ) );
	};

	it( 'is not served at all without a token (404), whoever asks', async () => {
		const service = await startService();
		await expectRefused( await fetch( `${ service.url }/metrics` ), 404 );
		await expectRefused(
			await fetch( `${ service.url }/metrics`, {
				headers: { Authorization: `Bearer ${ METRICS_TOKEN }` },
			} ),
			404
		);
	} );

	it( 'with CHATFLOWS_METRICS_TOKEN, is served only to the bearer of that token', async () => {
		const service = await startService( { metricsToken: METRICS_TOKEN } );
		for ( const authorization of [
			undefined,
			'Bearer',
			'Bearer wrong-token-0123456789',
			`Bearer ${ METRICS_TOKEN }x`,
			`Bearer ${ METRICS_TOKEN.slice( 0, -1 ) }`,
			`Basic ${ Buffer.from( `x:${ METRICS_TOKEN }` ).toString( 'base64' ) }`,
		] ) {
			const response = await fetch( `${ service.url }/metrics`, {
				headers: authorization ? { Authorization: authorization } : {},
			} );
			await expectRefused( response, 401 );
			expect( response.headers.get( 'www-authenticate' ) ).toMatch(
				/^Bearer /
			);
		}
		expect( await scrape( service ) ).toContain( 'chatflows_connections' );
	} );

	it( 'with CHATFLOWS_METRICS_LISTEN, a separate listener serves /metrics and nothing else', async () => {
		const service = await startService();
		const listener = http.createServer(
			createMetricsApp( {
				metrics: () => service.app.metrics,
				token: null,
			} )
		);
		await new Promise< void >( ( resolve ) =>
			listener.listen( 0, '127.0.0.1', resolve )
		);
		try {
			const url = `http://127.0.0.1:${
				( listener.address() as AddressInfo ).port
			}`;
			const response = await fetch( `${ url }/metrics` );
			expect( response.status ).toBe( 200 );
			expect( await response.text() ).toContain(
				'chatflows_connections'
			);
			await expectRefused( await fetch( `${ url }/healthz` ), 404 );
			await expectRefused(
				await fetch( `${ url }/v1/configuration`, { method: 'PUT' } ),
				404
			);
			// The service's own port still does not serve them.
			await expectRefused(
				await fetch( `${ service.url }/metrics` ),
				404
			);
		} finally {
			listener.closeAllConnections();
			await new Promise( ( resolve ) => listener.close( resolve ) );
		}
	} );

	it( 'reads the token and the listen address from the environment, refusing bad values', () => {
		const base = {
			CHATFLOWS_SECRET: 'a'.repeat( 32 ),
			CHATFLOWS_ALLOWED_ORIGINS: 'http://localhost:8888',
		};
		expect( loadConfig( base ) ).toMatchObject( {
			metricsToken: null,
			metricsListen: null,
		} );
		expect(
			loadConfig( {
				...base,
				CHATFLOWS_METRICS_TOKEN: METRICS_TOKEN,
				CHATFLOWS_METRICS_LISTEN: '[::1]:9464',
			} )
		).toMatchObject( {
			metricsToken: METRICS_TOKEN,
			metricsListen: { host: '::1', port: 9464 },
		} );
		expect(
			loadConfig( { ...base, CHATFLOWS_METRICS_LISTEN: '10.0.0.5:9464' } )
				.metricsListen
		).toEqual( { host: '10.0.0.5', port: 9464 } );
		expect( () =>
			loadConfig( { ...base, CHATFLOWS_METRICS_TOKEN: 'short' } )
		).toThrow( /CHATFLOWS_METRICS_TOKEN must be at least 16/ );
		for ( const listen of [ '9464', 'host:99999', 'a b:1' ] ) {
			expect( () =>
				loadConfig( { ...base, CHATFLOWS_METRICS_LISTEN: listen } )
			).toThrow( ConfigError );
		}
	} );
} );
