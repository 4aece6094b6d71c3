/**
 * One load-generating process of the benchmark (run by scripts/bench.mjs
 * over IPC, so the server's CPU and memory figures are its own).
 *
 * Modes, from the `start` message:
 * - `steady`: `count` visitors; on `go`, each sends one message to open its
 *   conversation, then one every `intervalMs` for `durationMs`; reports the
 *   send-to-acknowledgement latencies measured after the warm-up.
 * - `idle`: `count` visitors connect and stay silent until `stop`.
 * - `verify` (after `go`, against the service): each visitor reads its
 *   conversation back (`conversation:resume`) and compares it with what it
 *   sent: acknowledged messages missing or changed, any client id stored
 *   twice, gaps in the numbering, and what became of the sends that got no
 *   acknowledgement.
 */
import { performance } from 'node:perf_hooks';
import { io } from 'socket.io-client';

const sockets = [];

/** Per socket: client id → the stored message acknowledged, or null when no acknowledgement came. */
const sent = new Map();

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
		sent.set( socket, new Map() );
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
	const mine = sent.get( socket );
	mine.set( clientId, null );
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
			mine.set( clientId, ack.data.message );
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

/**
 * Reads every visitor's conversation back and compares it with what was sent.
 *
 * @return {Promise<Record<string, number>>} Counts over all visitors of this process.
 */
async function verify() {
	const check = {
		acknowledged: 0,
		lost: 0,
		changed: 0,
		doubled: 0,
		gaps: 0,
		unacknowledgedStored: 0,
		unacknowledgedMissing: 0,
		unreadable: 0,
	};
	await Promise.all(
		sockets.map( async ( socket ) => {
			const answer = await socket
				.timeout( 60_000 )
				.emitWithAck( 'conversation:resume', { afterSeq: 0 } )
				.catch( () => null );
			if ( ! answer?.ok ) {
				check.unreadable++;
				return;
			}
			const stored = answer.data.messages;
			const byClientId = new Map();
			stored.forEach( ( message, index ) => {
				if ( message.seq !== index + 1 ) {
					check.gaps++;
				}
				if ( byClientId.has( message.clientId ) ) {
					check.doubled++;
				}
				byClientId.set( message.clientId, message );
			} );
			for ( const [ clientId, acknowledged ] of sent.get( socket ) ) {
				const found = byClientId.get( clientId );
				if ( acknowledged === null ) {
					check[
						found ? 'unacknowledgedStored' : 'unacknowledgedMissing'
					]++;
					continue;
				}
				check.acknowledged++;
				if ( ! found ) {
					check.lost++;
				} else if (
					found.seq !== acknowledged.seq ||
					found.body !== acknowledged.body
				) {
					check.changed++;
				}
			}
		} )
	);
	return check;
}

process.on( 'message', async ( message ) => {
	try {
		if ( message.type === 'start' ) {
			await connectAll( message.options );
			send( { type: 'ready' } );
		} else if ( message.type === 'go' ) {
			send( { type: 'result', result: await steady( message.options ) } );
		} else if ( message.type === 'verify' ) {
			send( { type: 'checked', check: await verify() } );
		} else if ( message.type === 'stop' ) {
			sockets.forEach( ( socket ) => socket.disconnect() );
			process.exit( 0 );
		}
	} catch ( error ) {
		send( { type: 'error', message: String( error?.stack ?? error ) } );
	}
} );
