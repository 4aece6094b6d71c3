/**
 * Sending to one connection without the cluster's stream.
 *
 * With connection-state recovery on, socket.io sends even `socket.emit()`
 * through the adapter, so that the packet gets an offset and can be replayed:
 * on many nodes every such packet is written to the Redis stream and read back
 * by every node. What a connection is told on connecting (its session, the
 * chatflow's availability) is sent again on every connection, so it needs no
 * replay, and it carries the visitor's session token, which must not be kept
 * in Redis. (`socket.local` is no help: it is a broadcast to every *other*
 * socket of the node.)
 */
import type { Socket } from 'socket.io';

/**
 * A broadcast operator reaching this connection only, on this node only.
 *
 * @param socket The connection.
 * @return Emit on it as on the socket.
 */
export function thisConnectionOnly< S extends Socket >(
	socket: S
): ReturnType< S[ 'nsp' ][ 'to' ] > {
	return socket.nsp.local.to( socket.id ) as ReturnType< S[ 'nsp' ][ 'to' ] >;
}
