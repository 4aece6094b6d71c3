/**
 * socket.io's connection-state recovery writes a recovering socket's missed
 * packets to the wire as the socket is created, before any middleware has
 * checked the credentials presented now. A connection whose session was
 * revoked, or that presents someone else's recovery id, would receive them
 * even though the checks then refuse it.
 *
 * This guard holds the missed packets back when the session is restored and
 * sends them only once every middleware has let the socket in; a refused
 * socket never gets them.
 *
 * While those middlewares run, the socket is already in its restored rooms
 * but not yet among the namespace's sockets, so socket.io delivers it no
 * live broadcast, and the adapter's replay has already been read: an event
 * broadcast in that window would be lost. The guard keeps those deliveries
 * too and makes them, in order, after the missed packets.
 */
import type { Namespace, Socket } from 'socket.io';
import type { BroadcastOptions } from 'socket.io-adapter';

/** How long held packets wait for their socket's middlewares before they are dropped. */
const HOLD_MS = 60_000;

/** socket.io's own way of writing a missed packet to one socket (private in its typings). */
interface PacketWriting {
	packet: ( packet: { type: number; data: unknown[] } ) => void;
}

/** The event packet type of the socket.io protocol. */
const EVENT_PACKET = 2;

export interface RecoveryGuard {
	/** First middleware of the namespace: takes the packets held for this socket. */
	middleware: ( socket: Socket, next: ( err?: Error ) => void ) => void;
	/**
	 * Sends a socket the packets it missed; call it once the socket is
	 * connected (every check passed).
	 */
	replay: ( socket: Socket ) => void;
}

/** What the adapter calls once per recipient of a broadcast (socket.io-adapter's `apply`). */
type Deliver = ( socket: Socket ) => void;

/** socket.io-adapter's in-memory delivery, private in its typings. */
interface DeliveringAdapter {
	apply: ( opts: BroadcastOptions, deliver: Deliver ) => void;
	sids: Map< string, Set< string > >;
}

/** A recovered socket whose middlewares still run, and the deliveries it waits for. */
interface Admitting {
	socket: Socket;
	deliveries: Array< () => void >;
}

/**
 * Whether a socket in `rooms` is a recipient of a broadcast with `opts`
 * (the rule of socket.io-adapter's `apply`).
 *
 * @param rooms The socket's rooms, its id included.
 * @param opts  The broadcast's rooms and exceptions.
 */
function isRecipient(
	rooms: ReadonlySet< string >,
	opts: BroadcastOptions
): boolean {
	const included =
		opts.rooms.size === 0 ||
		[ ...opts.rooms ].some( ( room ) => rooms.has( room ) );
	return (
		included &&
		! [ ...( opts.except ?? [] ) ].some( ( room ) => rooms.has( room ) )
	);
}

/**
 * Installs the guard on a namespace (its adapter may be the in-memory one or
 * the Redis streams one: both restore sessions through `restoreSession`).
 *
 * @param namespace The namespace.
 * @return The middleware to use first and the replay to call on connection.
 */
export function guardRecoveredPackets( namespace: Namespace ): RecoveryGuard {
	const adapter = namespace.adapter;
	const restore = adapter.restoreSession.bind( adapter );
	const heldBySessionId = new Map< string, unknown[][] >();
	const heldBySocket = new WeakMap< Socket, unknown[][] >();
	const admitting = new Map< string, Admitting >();

	// Every delivery of a broadcast on this node goes through `apply`, whether
	// the event was emitted here or came from another node.
	const delivering = adapter as unknown as DeliveringAdapter;
	const apply = delivering.apply.bind( adapter );
	delivering.apply = ( opts: BroadcastOptions, deliver: Deliver ) => {
		apply( opts, deliver );
		for ( const waiting of admitting.values() ) {
			const rooms = delivering.sids.get( waiting.socket.id );
			if ( ! rooms ) {
				// Refused: it left its rooms and is never replayed.
				admitting.delete( waiting.socket.id );
			} else if (
				! namespace.sockets.has( waiting.socket.id ) &&
				isRecipient( rooms, opts )
			) {
				waiting.deliveries.push( () => deliver( waiting.socket ) );
			}
		}
	};

	adapter.restoreSession = async ( pid, offset ) => {
		const session = await restore( pid, offset );
		if ( ! session || session.missedPackets.length === 0 ) {
			return session;
		}
		heldBySessionId.set( session.sid, session.missedPackets );
		setTimeout(
			() => heldBySessionId.delete( session.sid ),
			HOLD_MS
		).unref();
		return { ...session, missedPackets: [] };
	};

	return {
		middleware: ( socket, next ) => {
			const held = heldBySessionId.get( socket.id );
			if ( socket.recovered && held ) {
				heldBySessionId.delete( socket.id );
				heldBySocket.set( socket, held );
			}
			if ( socket.recovered ) {
				const waiting = { socket, deliveries: [] };
				admitting.set( socket.id, waiting );
				// A refused socket is never replayed: forget it in time.
				setTimeout( () => {
					if ( admitting.get( socket.id ) === waiting ) {
						admitting.delete( socket.id );
					}
				}, HOLD_MS ).unref();
			}
			next();
		},
		replay: ( socket ) => {
			const admitted = admitting.get( socket.id );
			const waiting = admitted?.socket === socket ? admitted : undefined;
			if ( waiting ) {
				admitting.delete( socket.id );
			}
			const held = heldBySocket.get( socket ) ?? [];
			heldBySocket.delete( socket );
			// Written as socket.io writes missed packets, each with the offset
			// it was stored under (the client resumes from the last one), and
			// synchronously, so they come before the live deliveries below.
			// (`socket.emit` would go through the adapter again: on Redis, a
			// round trip later than the live ones.)
			for ( const data of held ) {
				( socket as unknown as PacketWriting ).packet( {
					type: EVENT_PACKET,
					data,
				} );
			}
			for ( const deliver of waiting?.deliveries ?? [] ) {
				deliver();
			}
		},
	};
}
