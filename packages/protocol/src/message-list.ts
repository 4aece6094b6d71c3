/**
 * Helpers for a client's copy of a conversation, shared by the widget and
 * the inbox: merge what arrives (live, acknowledged, or caught up after a
 * reconnect) so that each message appears once, in order, and catch up until
 * none is missing.
 *
 * A conversation's seqs are 1, 2, 3, … without gaps (the service numbers
 * each message in the same transaction that stores it, and only ever deletes
 * whole conversations). So a client that holds 1–3 and 5 knows it misses 4,
 * and asks for what follows 3: resuming after the highest seq held would
 * leave the hole for good.
 */
import type { ChatMessage } from './events';
import { retryDelayMs } from './reconnection';

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

/** A message typed but not yet acknowledged: an outbox entry (the widget's, the inbox's). */
export interface PendingMessage {
	/** Kept across retries: the service stores a client id once. */
	clientId: string;
	body: string;
	/** A file uploaded for this message (see `ATTACHMENTS_PATH`). */
	attachmentId?: string;
}

/**
 * An outbox after the service stored some messages: acknowledged ones
 * leave it, however they arrived (an acknowledgement, a broadcast, a
 * catch-up).
 *
 * @param pending Messages waiting, in the order typed.
 * @param stored  Messages the service has stored.
 * @return Those still waiting (`pending` itself when none left).
 */
export function withoutStored(
	pending: PendingMessage[],
	stored: ChatMessage[]
): PendingMessage[] {
	const storedIds = new Set( stored.map( ( message ) => message.clientId ) );
	const left = pending.filter(
		( message ) => ! storedIds.has( message.clientId )
	);
	return left.length === pending.length ? pending : left;
}

/**
 * The highest sequence number held, 0 when none (the newest message shown;
 * not where to resume: see `gapFreeSeq`).
 *
 * @param messages Messages ordered by seq.
 */
export function lastSeq( messages: ChatMessage[] ): number {
	return messages.length ? messages[ messages.length - 1 ].seq : 0;
}

/**
 * The seq up to which every message is held, none missing before it, 0 when
 * not even the first is: what a client asks to resume after. The same for
 * anything numbered per conversation without gaps (internal notes).
 *
 * @param messages Messages ordered by seq, once each (as `mergeMessages` keeps them).
 */
export function gapFreeSeq(
	messages: ReadonlyArray< { seq: number } >
): number {
	let held = 0;
	for ( const message of messages ) {
		if ( message.seq !== held + 1 ) {
			break;
		}
		held = message.seq;
	}
	return held;
}

/**
 * Whether messages are missing: a hole among those held, or a newer seq known
 * (e.g. a conversation's last message as the inbox lists it) than held.
 *
 * @param messages Messages ordered by seq, once each.
 * @param newest   The newest seq known to exist (the highest held by default).
 */
export function missesMessages(
	messages: ChatMessage[],
	newest: number = lastSeq( messages )
): boolean {
	return newest > gapFreeSeq( messages );
}

/** How one catch-up request went: answered, refused for good, or no answer (timeout, dropped). */
export type CatchUpAnswer = 'answered' | 'refused' | 'unanswered';

export interface CatchUpSteps {
	/** Asks the service once for what is missing and takes in its answer. */
	ask: () => Promise< CatchUpAnswer >;
	/** Whether anything is still missing once an answer is taken in. */
	behind: () => boolean;
	/** Where the client stands (its gap-free seq): an answer that moved it made progress. */
	position: () => number;
	/** Whether a request can go out now; a new connection asks by itself. */
	canAsk: () => boolean;
}

/**
 * Catches up, one request at a time, until nothing is missing.
 *
 * - Requests while one is under way cost one more request after it (a
 *   burst of live gaps costs two).
 * - An answer that still leaves a gap is followed by another request at
 *   once when it made progress, else after a backoff.
 * - A request the service did not answer while the connection stays up is
 *   asked again after a backoff (`retryDelayMs`): a catch-up never silently
 *   dies. A dropped connection leaves it to the next connection's request.
 */
export class CatchUp {
	private busy = false;
	private again = false;
	private done: Promise< void > = Promise.resolve();
	private failures = 0;
	private retryTimer: ReturnType< typeof setTimeout > | undefined;
	private stopped = false;

	constructor( private readonly steps: CatchUpSteps ) {}

	/**
	 * Catches up now, or once more after the request under way.
	 *
	 * @return Settles when this round ends (caught up, refused, or a retry scheduled).
	 */
	request(): Promise< void > {
		if ( this.stopped ) {
			return Promise.resolve();
		}
		clearTimeout( this.retryTimer );
		if ( this.busy ) {
			this.again = true;
			return this.done;
		}
		this.busy = true;
		this.done = this.run();
		return this.done;
	}

	/** Stops for good (the client closed). */
	stop(): void {
		this.stopped = true;
		clearTimeout( this.retryTimer );
	}

	private async run(): Promise< void > {
		try {
			for (;;) {
				this.again = false;
				if ( ! this.steps.canAsk() ) {
					return;
				}
				const before = this.steps.position();
				const answer = await this.steps.ask();
				if ( this.again && ! this.stopped ) {
					// Asked for again meanwhile: the answer may predate that.
					continue;
				}
				if ( answer === 'refused' ) {
					return;
				}
				if ( answer === 'answered' ) {
					if ( ! this.steps.behind() ) {
						this.failures = 0;
						return;
					}
					if ( this.steps.position() !== before ) {
						this.failures = 0;
						continue;
					}
				}
				// No answer, or one that filled nothing: ask again later.
				this.retryLater();
				return;
			}
		} finally {
			// In the same step as the last check: no request slips between.
			this.busy = false;
		}
	}

	private retryLater(): void {
		if ( this.stopped || ! this.steps.canAsk() ) {
			return;
		}
		this.retryTimer = setTimeout(
			() => void this.request(),
			retryDelayMs( this.failures++ )
		);
	}
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
