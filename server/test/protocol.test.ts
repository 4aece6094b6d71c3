import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { io as connect } from 'socket.io-client';
import { createHttpApp } from '../src/app';
import { MAX_MESSAGE_LENGTH } from '@chatflows/protocol';
import {
	OTHER_ALLOWED_ORIGIN,
	WAIT_MS,
	visitorAsk,
	cleanup,
	connectAgent,
	connectVisitor,
	expectConnectError,
	loose,
	openAgent,
	openVisitor,
	signAgentToken,
	sleep,
	startService,
} from './helpers';

afterEach( cleanup );

describe( 'origin check', () => {
	it.each( [
		[ 'polling', [ 'polling' as const ] ],
		[ 'websocket', [ 'websocket' as const ] ],
	] )(
		'refuses a %s handshake from an origin not allowed',
		async ( _label, transports ) => {
			const service = await startService();
			const visitor = openVisitor(
				service,
				{},
				{ origin: 'http://evil.example', transports }
			);
			await expectConnectError( visitor );
			const agent = openAgent(
				service,
				{ token: await signAgentToken() },
				{ origin: 'http://evil.example', transports }
			);
			await expectConnectError( agent );
		}
	);

	it.each( [
		[ 'polling', [ 'polling' as const ] ],
		[ 'websocket', [ 'websocket' as const ] ],
	] )(
		'refuses a %s handshake without an Origin header',
		async ( _label, transports ) => {
			const service = await startService();
			await expectConnectError(
				openVisitor( service, {}, { origin: null, transports } )
			);
		}
	);

	it( 'accepts every allowed origin, over both transports', async () => {
		const service = await startService();
		const polling = await connectVisitor(
			service,
			{},
			{ origin: OTHER_ALLOWED_ORIGIN, transports: [ 'polling' ] }
		);
		const websocket = await connectVisitor(
			service,
			{},
			{ transports: [ 'websocket' ] }
		);
		expect( polling.socket.connected && websocket.socket.connected ).toBe(
			true
		);
	} );

	it( 'answers CORS for allowed origins only', async () => {
		const service = await startService();
		const url = `${ service.url }/socket.io/?EIO=4&transport=polling`;
		const allowed = await fetch( url, {
			headers: { origin: OTHER_ALLOWED_ORIGIN },
		} );
		expect( allowed.status ).toBe( 200 );
		expect( allowed.headers.get( 'access-control-allow-origin' ) ).toBe(
			OTHER_ALLOWED_ORIGIN
		);
		const refused = await fetch( url, {
			headers: { origin: 'http://evil.example' },
		} );
		expect( refused.status ).toBe( 403 );
		expect(
			refused.headers.get( 'access-control-allow-origin' )
		).toBeNull();
	} );

	it( 'serves nothing on the main namespace', async () => {
		const service = await startService();
		const socket = connect( service.url, {
			forceNew: true,
			reconnection: false,
			extraHeaders: { origin: OTHER_ALLOWED_ORIGIN },
		} );
		try {
			const error = await expectConnectError( socket as never );
			expect( ( error as { data?: unknown } ).data ).toEqual( {
				code: 'invalid_handshake',
			} );
		} finally {
			socket.disconnect();
		}
	} );
} );

describe( 'payload validation', () => {
	const tooLong = 'x'.repeat( MAX_MESSAGE_LENGTH + 1 );

	it.each( [
		[ 'a missing body', { clientId: 'c1' } ],
		[ 'an empty body', { clientId: 'c1', body: '' } ],
		[ 'a blank body', { clientId: 'c1', body: ' \n\t ' } ],
		[ 'a body too long', { clientId: 'c1', body: tooLong } ],
		[ 'a body of the wrong type', { clientId: 'c1', body: 42 } ],
		[ 'a missing client id', { body: 'hi' } ],
		[ 'a client id too long', { clientId: 'c'.repeat( 65 ), body: 'hi' } ],
		[ 'a client id with odd characters', { clientId: 'a/b', body: 'hi' } ],
		[ 'a number instead of an object', 42 ],
		[ 'a string instead of an object', 'hello' ],
		[ 'null', null ],
		[ 'an array', [ 'c1', 'hi' ] ],
	] )(
		'answers invalid_payload to a visitor message with %s',
		async ( _label, payload ) => {
			const service = await startService();
			const { socket } = await connectVisitor( service );
			const response = await loose( socket )
				.timeout( WAIT_MS )
				.emitWithAck( 'message:send', payload );
			expect( response ).toEqual( {
				ok: false,
				error: {
					code: 'invalid_payload',
					message: expect.any( String ),
				},
			} );
			const resumed = await visitorAsk(
				socket,
				'conversation:resume',
				{}
			);
			expect( resumed ).toEqual( {
				ok: true,
				data: { conversation: null, messages: [] },
			} );
		}
	);

	it( 'accepts a body of exactly the maximum length, counting characters not code units', async () => {
		const service = await startService();
		const { socket } = await connectVisitor( service );
		const emoji = '😀'.repeat( MAX_MESSAGE_LENGTH );
		const response = await visitorAsk( socket, 'message:send', {
			clientId: 'c1',
			body: emoji,
		} );
		expect( response.ok && response.data.message.body ).toBe( emoji );
	} );

	it( 'stores markup as plain text, unchanged', async () => {
		const service = await startService();
		const { socket } = await connectVisitor( service );
		const body = '<img src=x onerror="alert(1)"> & <b>bold</b>';
		const response = await visitorAsk( socket, 'message:send', {
			clientId: 'c1',
			body,
		} );
		expect( response.ok && response.data.message.body ).toBe( body );
	} );

	it.each( [
		[ 'conversation:resume', { afterSeq: -1 } ],
		[ 'conversation:resume', { afterSeq: 1.5 } ],
		[ 'conversation:resume', { afterSeq: '3' } ],
		[ 'conversation:resume', 'all' ],
	] )(
		'answers invalid_payload to visitor %s with %p',
		async ( event, payload ) => {
			const service = await startService();
			const { socket } = await connectVisitor( service );
			const response = await loose( socket )
				.timeout( WAIT_MS )
				.emitWithAck( event, payload );
			expect( ! response.ok && response.error.code ).toBe(
				'invalid_payload'
			);
		}
	);

	it.each( [
		[ 'inbox:list', null ],
		[ 'conversation:messages', {} ],
		[ 'conversation:messages', { conversationId: 5 } ],
		[ 'conversation:messages', { conversationId: 'x', afterSeq: -2 } ],
		[ 'message:send', { conversationId: 'x', clientId: 'a1' } ],
		[
			'message:send',
			{
				conversationId: 'x',
				clientId: 'a1',
				body: 'y'.repeat( MAX_MESSAGE_LENGTH + 1 ),
			},
		],
		[ 'message:send', [] ],
	] )(
		'answers invalid_payload to agent %s with %p',
		async ( event, payload ) => {
			const service = await startService();
			const agent = await connectAgent( service );
			const response = await loose( agent )
				.timeout( WAIT_MS )
				.emitWithAck( event, payload );
			expect( ! response.ok && response.error.code ).toBe(
				'invalid_payload'
			);
		}
	);

	it( 'ignores events without an acknowledgement callback, and unknown events', async () => {
		const service = await startService();
		const { socket } = await connectVisitor( service );
		loose( socket ).emit( 'message:send', {
			clientId: 'c1',
			body: 'no ack',
		} );
		loose( socket ).emit( 'message:send' );
		loose( socket ).emit( 'conversation:resume' );
		loose( socket ).emit( 'no:such:event', { x: 1 }, () => undefined );
		await sleep( 100 );
		const resumed = await visitorAsk( socket, 'conversation:resume', {} );
		expect( resumed ).toEqual( {
			ok: true,
			data: { conversation: null, messages: [] },
		} );
		expect( socket.connected ).toBe( true );
	} );

	it( 'disconnects a client that sends an oversized packet, and keeps serving others', async () => {
		const service = await startService();
		const big = await connectVisitor(
			service,
			{},
			{ transports: [ 'websocket' ] }
		);
		const disconnected = new Promise( ( resolve ) =>
			big.socket.once( 'disconnect', resolve )
		);
		loose( big.socket ).emit( 'message:send', {
			clientId: 'c1',
			body: 'x'.repeat( 200 * 1024 ),
		} );
		await disconnected;
		const other = await connectVisitor( service );
		const response = await visitorAsk( other.socket, 'message:send', {
			clientId: 'c1',
			body: 'still here',
		} );
		expect( response.ok ).toBe( true );
	} );
} );

describe( 'health', () => {
	it( 'answers 503 while draining', async () => {
		let draining = false;
		const server = http.createServer(
			createHttpApp( { isDraining: () => draining } )
		);
		await new Promise< void >( ( resolve ) =>
			server.listen( 0, '127.0.0.1', resolve )
		);
		try {
			const url = `http://127.0.0.1:${
				( server.address() as AddressInfo ).port
			}/healthz`;
			expect( ( await fetch( url ) ).status ).toBe( 200 );
			draining = true;
			const response = await fetch( url );
			expect( response.status ).toBe( 503 );
			expect( await response.json() ).toEqual( { status: 'draining' } );
		} finally {
			await new Promise( ( resolve ) => server.close( resolve ) );
		}
	} );

	it( 'answers ok', async () => {
		const service = await startService();
		const ok = await fetch( `${ service.url }/healthz` );
		expect( ok.status ).toBe( 200 );
		expect( await ok.json() ).toEqual( { status: 'ok' } );
		expect( service.app.isDraining() ).toBe( false );
		const missing = await fetch( `${ service.url }/nothing-here` );
		expect( missing.status ).toBe( 404 );
	} );

	it( 'refuses new connections while draining', async () => {
		const service = await startService();
		const { socket } = await connectVisitor( service );
		const disconnected = new Promise( ( resolve ) =>
			socket.once( 'disconnect', resolve )
		);
		const closing = service.app.close();
		expect( service.app.isDraining() ).toBe( true );
		await closing;
		await disconnected;
		const late = openVisitor( service );
		await expectConnectError( late );
	} );
} );
