/**
 * Rate limits and hostile clients: a flooding visitor is told to slow down,
 * malformed packets are refused with an error, and the service keeps serving.
 */
import type { RequestRefused } from '@chatflows/protocol';
import {
	ChatLimits,
	DEFAULT_LIMIT_SETTINGS,
	type LimitSettings,
} from '../src/limits/rate-limits';
import {
	MAX_PAYLOAD_DEPTH,
	MAX_PAYLOAD_VALUES,
	inspectPayload,
} from '../src/limits/packet-guard';
import {
	CHATFLOW_ID,
	agentAsk,
	cleanup,
	connectAgent,
	connectVisitor,
	expectConnectError,
	loose,
	nextEvent,
	openVisitor,
	record,
	sleep,
	startService,
	visitorAsk,
	WAIT_MS,
	type VisitorClient,
} from './helpers';

afterEach( cleanup );

function limited( settings: Partial< LimitSettings > ) {
	return {
		deps: {
			limits: ChatLimits.inMemory( {
				...DEFAULT_LIMIT_SETTINGS,
				...settings,
			} ),
		},
	};
}

function send( socket: VisitorClient, clientId: string, body = clientId ) {
	return visitorAsk( socket, 'message:send', { clientId, body } );
}

describe( 'rate limits', () => {
	it( 'tells a flooding visitor to slow down, stores nothing more, and spares other visitors', async () => {
		const service = await startService(
			limited( { visitorEventsPerMinute: 5 } )
		);
		const flooder = await connectVisitor( service );
		const acks = [];
		for ( let i = 1; i <= 8; i++ ) {
			acks.push( await send( flooder.socket, `m${ i }` ) );
		}
		expect( acks.slice( 0, 5 ).every( ( ack ) => ack.ok ) ).toBe( true );
		for ( const ack of acks.slice( 5 ) ) {
			expect( ack ).toEqual( {
				ok: false,
				error: {
					code: 'rate_limited',
					message: expect.stringMatching(
						/^Slow down: .* Try again in \d+ seconds\.$/
					),
				},
			} );
		}
		const other = await connectVisitor( service );
		expect( ( await send( other.socket, 'o1' ) ).ok ).toBe( true );

		const agent = await connectAgent( service );
		const conversationId = acks[ 0 ].ok
			? acks[ 0 ].data.message.conversationId
			: '';
		const stored = await agentAsk( agent, 'conversation:messages', {
			conversationId,
		} );
		expect(
			stored.ok && stored.data.messages.map( ( m ) => m.clientId )
		).toEqual( [ 'm1', 'm2', 'm3', 'm4', 'm5' ] );
	} );

	it( 'counts a visitor across tabs (sockets of one session)', async () => {
		const service = await startService(
			limited( { visitorEventsPerMinute: 3 } )
		);
		const first = await connectVisitor( service );
		const second = await connectVisitor( service, {
			session: first.session.token,
		} );
		expect( ( await send( first.socket, 'a' ) ).ok ).toBe( true );
		expect( ( await send( second.socket, 'b' ) ).ok ).toBe( true );
		expect( ( await send( first.socket, 'c' ) ).ok ).toBe( true );
		const refused = await send( second.socket, 'd' );
		expect( ! refused.ok && refused.error.code ).toBe( 'rate_limited' );
	} );

	it( 'announces a limit hit by an event sent without an acknowledgement', async () => {
		const service = await startService(
			limited( { visitorEventsPerMinute: 1 } )
		);
		const { socket } = await connectVisitor( service );
		await visitorAsk( socket, 'conversation:resume', {} );
		const refusal = nextEvent< RequestRefused >(
			socket,
			'request:refused'
		);
		loose( socket ).emit( 'conversation:resume', {} );
		expect( await refusal ).toEqual( {
			event: 'conversation:resume',
			code: 'rate_limited',
			message: expect.stringContaining( 'Slow down' ),
		} );
	} );

	it( 'limits connection attempts per address', async () => {
		const service = await startService(
			limited( { ipEventsPerMinute: 3 } )
		);
		await connectVisitor( service );
		await connectVisitor( service );
		await connectVisitor( service );
		const error = await expectConnectError( openVisitor( service ) );
		expect( error.data ).toEqual( { code: 'rate_limited' } );
		expect( error.message ).toMatch( /^Slow down/ );
	} );

	it( 'counts every visitor event from one address against the address', async () => {
		const service = await startService(
			limited( { ipEventsPerMinute: 4, visitorEventsPerMinute: 100 } )
		);
		const a = await connectVisitor( service );
		const b = await connectVisitor( service );
		// Two connections spent; two events left for the address.
		expect( ( await send( a.socket, 'a1' ) ).ok ).toBe( true );
		expect( ( await send( b.socket, 'b1' ) ).ok ).toBe( true );
		const refused = await send( a.socket, 'a2' );
		expect( ! refused.ok && refused.error.code ).toBe( 'rate_limited' );
	} );

	it( 'bounds the conversations a visitor may open per hour, not the messages within them', async () => {
		const service = await startService(
			limited( { conversationsPerHour: 1 } )
		);
		const support = await connectVisitor( service );
		expect( ( await send( support.socket, 's1' ) ).ok ).toBe( true );
		expect( ( await send( support.socket, 's2' ) ).ok ).toBe( true );

		// The same visitor on a page served by another chatflow would open a second one.
		const sales = await connectVisitor( service, {
			session: support.session.token,
			chatflowId: 'sales',
		} );
		const refused = await send( sales.socket, 'x1' );
		expect( refused ).toEqual( {
			ok: false,
			error: {
				code: 'rate_limited',
				message: expect.stringContaining(
					'you have started 1 conversations this hour'
				),
			},
		} );
		const resumed = await visitorAsk(
			sales.socket,
			'conversation:resume',
			{}
		);
		expect( resumed.ok && resumed.data.conversation ).toBeNull();
		// The open conversation goes on.
		expect( ( await send( support.socket, 's3' ) ).ok ).toBe( true );
		expect( CHATFLOW_ID ).not.toBe( 'sales' );
	} );

	it( 'applies no limits when none are configured', async () => {
		const service = await startService();
		const { socket } = await connectVisitor( service );
		const acks = await Promise.all(
			Array.from( { length: 150 }, ( _, i ) => send( socket, `m${ i }` ) )
		);
		expect( acks.every( ( ack ) => ack.ok ) ).toBe( true );
	} );
} );

describe( 'malformed packets', () => {
	it.each( [
		[
			'a __proto__ key',
			JSON.parse(
				'{"clientId":"c1","body":"x","__proto__":{"admin":true}}'
			),
			'the key "__proto__"',
		],
		[
			'a nested constructor key',
			{
				clientId: 'c1',
				body: 'x',
				meta: { constructor: { prototype: {} } },
			},
			'the key "constructor"',
		],
		[
			'binary data',
			{ clientId: 'c1', body: Buffer.from( 'hello' ) },
			'binary data',
		],
		[
			'a huge array',
			{ clientId: 'c1', body: 'x', items: new Array( 5000 ).fill( 1 ) },
			`at most ${ MAX_PAYLOAD_VALUES } values`,
		],
		[
			'deep nesting',
			{
				clientId: 'c1',
				body: 'x',
				deep: JSON.parse( '['.repeat( 50 ) + ']'.repeat( 50 ) ),
			},
			`at most ${ MAX_PAYLOAD_DEPTH } levels`,
		],
	] )(
		'refuses %s with an error event and an error acknowledgement',
		async ( _name, payload, message ) => {
			const service = await startService();
			const { socket } = await connectVisitor( service );
			const refusals = record< RequestRefused >(
				socket,
				'request:refused'
			);
			const ack = await loose( socket )
				.timeout( WAIT_MS )
				.emitWithAck( 'message:send', payload );
			expect( ack ).toEqual( {
				ok: false,
				error: {
					code: 'invalid_payload',
					message: expect.stringContaining( message ),
				},
			} );
			await visitorAsk( socket, 'conversation:resume', {} );
			expect( refusals ).toEqual( [
				{
					event: 'message:send',
					code: 'invalid_payload',
					message: expect.stringContaining( message ),
				},
			] );
			const resumed = await visitorAsk(
				socket,
				'conversation:resume',
				{}
			);
			expect( resumed.ok && resumed.data.conversation ).toBeNull();
			expect( ( {} as Record< string, unknown > ).admin ).toBeUndefined();
		}
	);

	it( 'refuses an unknown event, by name, with an error event', async () => {
		const service = await startService();
		const agent = await connectAgent( service );
		const refusal = nextEvent< RequestRefused >( agent, 'request:refused' );
		loose( agent ).emit( 'admin:drop-all', {} );
		expect( await refusal ).toEqual( {
			event: 'admin:drop-all',
			code: 'invalid_payload',
			message:
				'event: "admin:drop-all" is not an event of this namespace',
		} );
	} );

	it( 'survives a client emitting "error" and payloads of the wrong type', async () => {
		const service = await startService();
		const { socket } = await connectVisitor( service );
		loose( socket ).emit( 'error', { boom: true } );
		for ( const payload of [ 'text', 42, null, [ 1, 2 ], true ] ) {
			const ack = await loose( socket )
				.timeout( WAIT_MS )
				.emitWithAck( 'message:send', payload );
			expect( ack.ok ).toBe( false );
			expect( ack.error.code ).toBe( 'invalid_payload' );
		}
		expect( ( await send( socket, 'fine' ) ).ok ).toBe( true );
	} );

	it.each( [
		[ 'non-JSON', '2/visitor,["message:send",{bad json' ],
		[ 'an unknown packet type', '9/visitor,[]' ],
		[ 'an event that is not a list', '2/visitor,"just a string"' ],
	] )(
		'closes a connection that sends %s, and keeps serving',
		async ( _name, raw ) => {
			const service = await startService();
			const { socket } = await connectVisitor(
				service,
				{},
				{
					transports: [ 'websocket' ],
				}
			);
			const closed = nextEvent( socket, 'disconnect' );
			(
				socket.io as unknown as {
					engine: { write: ( data: string ) => void };
				}
			 ).engine.write( raw );
			await closed;
			await sleep( 50 );
			const other = await connectVisitor( service );
			expect( ( await send( other.socket, 'still-here' ) ).ok ).toBe(
				true
			);
		}
	);
} );

describe( 'inspectPayload', () => {
	it( 'lets ordinary payloads through', () => {
		expect(
			inspectPayload( [
				{ clientId: 'c1', body: 'Hello 😀', afterSeq: 3 },
			] )
		).toBeNull();
		expect( inspectPayload( [] ) ).toBeNull();
		expect( inspectPayload( [ 'text', 1, null ] ) ).toBeNull();
	} );

	it( 'finds forbidden keys at any depth and typed arrays', () => {
		expect(
			inspectPayload( [ { a: [ { b: { prototype: 1 } } ] } ] )?.reason
		).toBe( 'forbidden_key' );
		expect( inspectPayload( [ { a: new Uint8Array( 2 ) } ] )?.reason ).toBe(
			'binary'
		);
		expect( inspectPayload( [ new ArrayBuffer( 4 ) ] )?.reason ).toBe(
			'binary'
		);
	} );

	it( 'counts values across many small arrays', () => {
		const wide = Array.from( { length: 40 }, () =>
			new Array( 40 ).fill( 0 )
		);
		expect( inspectPayload( [ { wide } ] )?.reason ).toBe( 'too_large' );
	} );
} );
