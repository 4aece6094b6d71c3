/**
 * Pure helpers for the visitor's message list: merging server messages
 * without doubles, and the outbox of messages not yet acknowledged.
 */
import type { ChatMessage } from '../../../server/src/contract/events';

/** A message typed by the visitor that the service has not acknowledged yet. */
export interface PendingMessage {
	clientId: string;
	body: string;
}

/**
 * Merges incoming messages into a list ordered by `seq`, keeping one copy of each.
 *
 * @param current  Messages held, ordered by seq.
 * @param incoming Messages received (any order, may repeat).
 * @return A new ordered list, or `current` itself when nothing was new.
 */
export function mergeMessages( current: ChatMessage[], incoming: ChatMessage[] ): ChatMessage[] {
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
 * The outbox after the service stored some messages: acknowledged ones leave it.
 *
 * @param pending Messages waiting, in the order typed.
 * @param stored  Messages the service has stored.
 * @return Those still waiting.
 */
export function withoutStored( pending: PendingMessage[], stored: ChatMessage[] ): PendingMessage[] {
	const storedIds = new Set( stored.map( ( message ) => message.clientId ) );
	const left = pending.filter( ( message ) => ! storedIds.has( message.clientId ) );
	return left.length === pending.length ? pending : left;
}

/**
 * The highest sequence number held, 0 when none.
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
	if ( typeof crypto !== 'undefined' && 'randomUUID' in crypto ) {
		return crypto.randomUUID();
	}
	const bytes = new Uint8Array( 16 );
	crypto.getRandomValues( bytes );
	return Array.from( bytes, ( byte ) => byte.toString( 16 ).padStart( 2, '0' ) ).join( '' );
}
