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
 */
import type { Namespace, Socket } from 'socket.io';

/** How long held packets wait for their socket's middlewares before they are dropped. */
const HOLD_MS = 60_000;

interface EventEmitting {
	emit: ( event: string, ...args: unknown[] ) => boolean;
}

export interface RecoveryGuard {
	/** First middleware of the namespace: takes the packets held for this socket. */
	middleware: ( socket: Socket, next: ( err?: Error ) => void ) => void;
	/**
	 * Sends a socket the packets it missed; call it once the socket is
	 * connected (every check passed).
	 */
	replay: ( socket: Socket ) => void;
}

/**
 * A stored event's arguments without the offset the adapter appended to them
 * (a string, always last).
 *
 * @param args The arguments as stored.
 * @return The event's own arguments.
 */
function withoutOffset( args: unknown[] ): unknown[] {
	return typeof args[ args.length - 1 ] === 'string'
		? args.slice( 0, -1 )
		: args;
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
			next();
		},
		replay: ( socket ) => {
			const held = heldBySocket.get( socket );
			if ( ! held ) {
				return;
			}
			heldBySocket.delete( socket );
			// Each is an event's data as broadcast: name, arguments, and the
			// offset it was stored under. Emitting stores it again under a new
			// offset, appended last: the old one is left out, so the client's
			// listener gets the event's arguments only.
			for ( const [ event, ...args ] of held ) {
				( socket as unknown as EventEmitting ).emit(
					String( event ),
					...withoutOffset( args )
				);
			}
		},
	};
}
