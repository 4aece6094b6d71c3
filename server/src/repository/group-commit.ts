/**
 * Group commit for better-sqlite3: writes requested in the same turn of the
 * event loop run in one transaction, so one fsync (`synchronous = FULL`)
 * makes a whole batch durable instead of one message. Each write still runs
 * in its own savepoint: one failing write is rolled back alone and rejects
 * alone. Every promise settles only after the batch is committed, so an
 * acknowledgement still follows a durable write.
 */
import type Database from 'better-sqlite3';

interface PendingWrite {
	work: () => unknown;
	resolve: ( value: unknown ) => void;
	reject: ( error: unknown ) => void;
}

/** Most writes committed together; bounds how long one batch blocks the loop. */
export const MAX_BATCH = 256;

export class GroupCommit {
	private pending: PendingWrite[] = [];

	private scheduled = false;

	private readonly batch: (
		writes: PendingWrite[]
	) => Array< { ok: true; value: unknown } | { ok: false; error: unknown } >;

	/**
	 * @param db The database; writes run inside its transactions.
	 */
	constructor( db: Database.Database ) {
		// A transaction function called inside another one runs as a savepoint.
		const savepoint = db.transaction( ( work: () => unknown ) => work() );
		const batch = db.transaction( ( writes: PendingWrite[] ) =>
			writes.map( ( write ) => {
				try {
					return {
						ok: true as const,
						value: savepoint( write.work ),
					};
				} catch ( error ) {
					return { ok: false as const, error };
				}
			} )
		);
		this.batch = ( writes ) => batch.immediate( writes );
	}

	/**
	 * Queues a write for the next batch.
	 *
	 * @param work Synchronous statements; may itself be a transaction function.
	 * @return Its result, once the batch is committed.
	 */
	run< T >( work: () => T ): Promise< T > {
		return new Promise< T >( ( resolve, reject ) => {
			this.pending.push( {
				work,
				resolve: resolve as ( value: unknown ) => void,
				reject,
			} );
			if ( ! this.scheduled ) {
				this.scheduled = true;
				setImmediate( () => this.flush() );
			}
		} );
	}

	/** Commits everything queued now (also used before closing). */
	flush(): void {
		this.scheduled = false;
		while ( this.pending.length ) {
			const writes = this.pending.splice( 0, MAX_BATCH );
			let outcomes;
			try {
				outcomes = this.batch( writes );
			} catch ( error ) {
				// The commit itself failed: nothing of the batch is stored.
				writes.forEach( ( write ) => write.reject( error ) );
				continue;
			}
			writes.forEach( ( write, i ) => {
				const outcome = outcomes[ i ];
				if ( outcome.ok ) {
					write.resolve( outcome.value );
				} else {
					write.reject( outcome.error );
				}
			} );
		}
	}
}
