/**
 * The nonces of signed calls already accepted, so a captured call is refused
 * when replayed: in memory on one node, in Redis (shared by every node) when
 * the service runs with `CHATFLOWS_REDIS_URL`. Each nonce is kept only until
 * its call's timestamp falls out of the accepted window; after that the
 * timestamp check refuses the call anyway. Only calls with a valid signature
 * reach the store, so nobody without the secret can fill it.
 */
import type { RedisConnection } from '../scale/redis';

export interface NonceStore {
	/**
	 * Records a nonce unless it is already known.
	 *
	 * @param nonce     The call's nonce (checked against NONCE_PATTERN).
	 * @param expiresAt Until when to remember it, ms since the epoch.
	 * @param now       The current time, ms since the epoch.
	 * @return True when the nonce is new (the call may go on).
	 * @throws NonceStoreUnavailable when it cannot tell (full, Redis down).
	 */
	claim: (
		nonce: string,
		expiresAt: number,
		now: number
	) => Promise< boolean >;
}

/** The store cannot tell whether a nonce is new: the call is refused (503). */
export class NonceStoreUnavailable extends Error {
	constructor( message: string, options?: { cause?: unknown } ) {
		super( message, options );
		this.name = 'NonceStoreUnavailable';
	}
}

/** Most nonces one node remembers: far above what WordPress sends in a window. */
export const MAX_MEMORY_NONCES = 100_000;

/** One node's nonces, with their expiry; bounded (refuses rather than forgets). */
export class MemoryNonceStore implements NonceStore {
	private readonly seen = new Map< string, number >();

	constructor( private readonly maxEntries = MAX_MEMORY_NONCES ) {}

	async claim(
		nonce: string,
		expiresAt: number,
		now: number
	): Promise< boolean > {
		this.forgetExpired( now );
		const known = this.seen.get( nonce );
		if ( known !== undefined && known > now ) {
			return false;
		}
		if ( this.seen.size >= this.maxEntries ) {
			// Forgetting a live nonce would let its call be replayed.
			throw new NonceStoreUnavailable(
				'Too many signed calls within the replay window.'
			);
		}
		this.seen.set( nonce, expiresAt );
		return true;
	}

	/** How many nonces are remembered now. */
	get size(): number {
		return this.seen.size;
	}

	private forgetExpired( now: number ): void {
		// Insertion order is nearly expiry order: drop from the front, and
		// scan everything only when full.
		for ( const [ nonce, expiresAt ] of this.seen ) {
			if ( expiresAt > now ) {
				break;
			}
			this.seen.delete( nonce );
		}
		if ( this.seen.size >= this.maxEntries ) {
			for ( const [ nonce, expiresAt ] of this.seen ) {
				if ( expiresAt <= now ) {
					this.seen.delete( nonce );
				}
			}
		}
	}
}

/** Prefix of the nonce keys in Redis. */
export const REDIS_NONCE_PREFIX = 'chatflows:signed-call-nonce:';

/** The nonces of every node, in Redis: `SET NX` with the key's own expiry. */
export class RedisNonceStore implements NonceStore {
	constructor( private readonly client: RedisConnection ) {}

	async claim(
		nonce: string,
		expiresAt: number,
		now: number
	): Promise< boolean > {
		let answer: unknown;
		try {
			answer = await this.client.set( REDIS_NONCE_PREFIX + nonce, '1', {
				condition: 'NX',
				expiration: {
					type: 'PX',
					value: Math.max( 1000, Math.ceil( expiresAt - now ) ),
				},
			} );
		} catch ( error ) {
			throw new NonceStoreUnavailable( 'Redis did not answer.', {
				cause: error,
			} );
		}
		return answer === 'OK';
	}
}
