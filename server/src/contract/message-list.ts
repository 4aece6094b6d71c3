/**
 * Pure helpers for a client's copy of a conversation, shared by the widget
 * and the inbox: merge what arrives (live, acknowledged, or caught up after a
 * reconnect) so that each message appears once, in order.
 */
import type { ChatMessage } from './events';

/**
 * Merges incoming messages into a list ordered by `seq`, keeping one copy of each.
 *
 * @param current  Messages held, ordered by seq.
 * @param incoming Messages received (any order, may repeat).
 * @return A new ordered list, or `current` itself when nothing was new.
 */
export function mergeMessages(
	current: ChatMessage[],
	incoming: ChatMessage[]
): ChatMessage[] {
	const known = new Set( current.map( ( message ) => message.seq ) );
	const fresh = incoming.filter( ( message ) => {
		if ( known.has( message.seq ) ) {
			return false;
		}
		known.add( message.seq );
		return true;
	} );
	if ( fresh.length === 0 ) {
		return current;
	}
	return [ ...current, ...fresh ].sort( ( a, b ) => a.seq - b.seq );
}

/**
 * The highest sequence number held, 0 when none: what a client asks to resume after.
 *
 * @param messages Messages ordered by seq.
 */
export function lastSeq( messages: ChatMessage[] ): number {
	return messages.length ? messages[ messages.length - 1 ].seq : 0;
}

/**
 * A random id for a message, unique enough to tell repeats from new messages.
 */
export function newClientId(): string {
	if ( typeof crypto.randomUUID === 'function' ) {
		return crypto.randomUUID();
	}
	const bytes = new Uint8Array( 16 );
	crypto.getRandomValues( bytes );
	return Array.from( bytes, ( byte ) =>
		byte.toString( 16 ).padStart( 2, '0' )
	).join( '' );
}
