/**
 * `GET /metrics`: Prometheus text with connections, open conversations,
 * messages and the receive-to-acknowledgement latency.
 */
import { ChatLimits, DEFAULT_LIMIT_SETTINGS } from '../src/limits/rate-limits';
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

async function scrape( service: TestService ): Promise< string > {
	const response = await fetch( `${ service.url }/metrics` );
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
		const a = await startService();
		const b = await startService();
		await connectVisitor( a );
		expect(
			valueOf(
				await scrape( b ),
				'chatflows_connections{namespace="/visitor"}'
			)
		).toBe( 0 );
	} );
} );
