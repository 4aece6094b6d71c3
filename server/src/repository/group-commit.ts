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

	/** The batch being committed; the next one starts after it. */
	private flushing: Promise< void > = Promise.resolve();

	private readonly sql;

	/**
	 * @param db The database; writes run inside its transactions.
	 */
	constructor( private readonly db: Database.Database ) {
		const prepare = ( sql: string ) => db.prepare( sql );
		this.sql = {
			begin: prepare( 'BEGIN IMMEDIATE' ),
			commit: prepare( 'COMMIT' ),
			rollback: prepare( 'ROLLBACK' ),
			savepoint: prepare( 'SAVEPOINT group_write' ),
			release: prepare( 'RELEASE group_write' ),
			rollbackTo: prepare( 'ROLLBACK TO group_write' ),
		};
	}

	/**
	 * Queues a write for the next batch.
	 *
	 * @param work The write's statements. When asynchronous, it must not wait
	 *             for anything but these synchronous statements (the Db of
	 *             `sqlite.ts`), so a batch never spans two turns of the loop.
	 * @return Its result, once the batch is committed.
	 */
	run< T >( work: () => T | Promise< T > ): Promise< T > {
		return new Promise< T >( ( resolve, reject ) => {
			this.pending.push( {
				work,
				resolve: resolve as ( value: unknown ) => void,
				reject,
			} );
			if ( ! this.scheduled ) {
				this.scheduled = true;
				setImmediate( () => void this.flush() );
			}
		} );
	}

	/**
	 * Commits everything queued now (also used before closing).
	 *
	 * @return Resolves once it is committed.
	 */
	flush(): Promise< void > {
		this.flushing = this.flushing.then( () => this.commitPending() );
		return this.flushing;
	}

	private async commitPending(): Promise< void > {
		this.scheduled = false;
		while ( this.pending.length ) {
			const writes = this.pending.splice( 0, MAX_BATCH );
			let outcomes;
			try {
				outcomes = await this.batch( writes );
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

	/**
	 * One transaction for the batch, one savepoint for each write in it.
	 *
	 * @param writes The batch.
	 * @return Each write's outcome, once committed.
	 */
	private async batch(
		writes: PendingWrite[]
	): Promise<
		Array< { ok: true; value: unknown } | { ok: false; error: unknown } >
	> {
		const { sql } = this;
		sql.begin.run();
		try {
			const outcomes = [];
			for ( const write of writes ) {
				sql.savepoint.run();
				try {
					const value: unknown = await write.work();
					sql.release.run();
					outcomes.push( { ok: true as const, value } );
				} catch ( error ) {
					sql.rollbackTo.run();
					sql.release.run();
					outcomes.push( { ok: false as const, error } );
				}
			}
			sql.commit.run();
			return outcomes;
		} catch ( error ) {
			if ( this.db.inTransaction ) {
				sql.rollback.run();
			}
			throw error;
		}
	}
}
