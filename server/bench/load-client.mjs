/**
 * One load-generating process of the benchmark (run by scripts/bench.mjs
 * over IPC, so the server's CPU and memory figures are its own).
 *
 * Modes, from the `start` message:
 * - `steady`: `count` visitors; on `go`, each sends one message to open its
 *   conversation, then one every `intervalMs` for `durationMs`; reports the
 *   send-to-acknowledgement latencies measured after the warm-up.
 * - `idle`: `count` visitors connect and stay silent until `stop`.
 */
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';

const sockets = [];

function send( message ) {
	process.send?.( message );
}

function connectVisitor( options, index ) {
	return new Promise( ( resolve, reject ) => {
		const socket = io( `${ options.url }/visitor`, {
			auth: {
				chatflowId: 'bench',
				pageUrl: 'http://localhost:8888/bench/',
			},
			forceNew: true,
			reconnection: false,
			transports: [ 'websocket' ],
			extraHeaders: { origin: options.origin },
			timeout: 20_000,
		} );
		sockets.push( socket );
		socket.once( 'session', () => resolve( socket ) );
		socket.once( 'connect_error', ( error ) =>
			reject( new Error( `visitor ${ index }: ${ error.message }` ) )
		);
	} );
}

async function connectAll( options ) {
	// A few at a time, so the handshakes do not all land in one instant.
	const batch = 50;
	for ( let i = 0; i < options.count; i += batch ) {
		await Promise.all(
			Array.from(
				{ length: Math.min( batch, options.count - i ) },
				( _, j ) => connectVisitor( options, i + j )
			)
		);
	}
}

function sendMessage( socket, clientId ) {
	const started = performance.now();
	return socket
		.timeout( 30_000 )
		.emitWithAck( 'message:send', {
			clientId,
			body: `bench ${ clientId }`,
		} )
		.then( ( ack ) => {
			if ( ! ack?.ok ) {
				throw new Error( `refused: ${ JSON.stringify( ack ) }` );
			}
			return performance.now() - started;
		} );
}

async function steady( options ) {
	const latencies = [];
	let failures = 0;
	let acknowledged = 0;
	// Open every conversation first.
	await Promise.all(
		sockets.map( ( socket, i ) =>
			sendMessage( socket, `${ options.prefix }-${ i }-0` ).catch(
				() => failures++
			)
		)
	);
	const start = performance.now();
	const warmupEnd = start + options.warmupMs;
	const end = warmupEnd + options.durationMs;
	await Promise.all(
		sockets.map( async ( socket, i ) => {
			// Spread the senders evenly over the interval.
			await new Promise( ( resolve ) =>
				setTimeout(
					resolve,
					( options.intervalMs * i ) / sockets.length
				)
			);
			let n = 0;
			while ( performance.now() < end ) {
				const sentAt = performance.now();
				try {
					const latency = await sendMessage(
						socket,
						`${ options.prefix }-${ i }-${ ++n }`
					);
					if ( sentAt >= warmupEnd ) {
						latencies.push( latency );
						acknowledged++;
					}
				} catch {
					failures++;
				}
				const wait = sentAt + options.intervalMs - performance.now();
				if ( wait > 0 ) {
					await new Promise( ( resolve ) =>
						setTimeout( resolve, wait )
					);
				}
			}
		} )
	);
	return { latencies, failures, acknowledged };
}

process.on( 'message', async ( message ) => {
	try {
		if ( message.type === 'start' ) {
			await connectAll( message.options );
			send( { type: 'ready' } );
		} else if ( message.type === 'go' ) {
			send( { type: 'result', result: await steady( message.options ) } );
		} else if ( message.type === 'stop' ) {
			sockets.forEach( ( socket ) => socket.disconnect() );
			process.exit( 0 );
		}
	} catch ( error ) {
		send( { type: 'error', message: String( error?.stack ?? error ) } );
	}
} );
