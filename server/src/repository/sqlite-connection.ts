/**
 * Settings every connection to the SQLite file uses, the reading one on the
 * main thread and the writing one on the writer thread alike.
 */
import type Database from 'better-sqlite3';

/**
 * WAL journal (readers never wait for the writer), `synchronous = FULL` (a
 * commit is on disk when it returns), foreign keys, and a busy timeout for
 * the moments another connection holds a lock.
 *
 * @param db A freshly opened connection.
 */
export function configureConnection( db: Database.Database ): void {
	db.pragma( 'journal_mode = WAL' );
	db.pragma( 'synchronous = FULL' );
	db.pragma( 'foreign_keys = ON' );
	db.pragma( 'busy_timeout = 5000' );
}
