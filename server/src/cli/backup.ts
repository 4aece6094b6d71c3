/**
 * `chatflows-service backup FILE`: SQLite's online backup of the service's
 * database, taken while the service runs (it copies a consistent snapshot,
 * page by page, without stopping writers for long). PostgreSQL databases are
 * backed up with `pg_dump`.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CliError } from './cli-error';

export interface BackupResult {
	file: string;
	schemaVersion: number;
	conversations: number;
	messages: number;
}

/**
 * Copies the database to `target` as one self-contained file (no `-wal`
 * beside it), checks the copy's integrity, and only then gives it its name,
 * so `target` is never a partial copy.
 *
 * @param dbFile The service's SQLite file.
 * @param target Where the backup goes (replaced when it exists).
 * @return What the backup holds.
 */
export async function backupSqlite(
	dbFile: string,
	target: string
): Promise< BackupResult > {
	const source = path.resolve( dbFile );
	const file = path.resolve( target );
	if ( ! fs.existsSync( source ) ) {
		throw new CliError(
			`There is no database to back up: ${ source } (CHATFLOWS_DB_FILE) does not exist.`
		);
	}
	if ( file === source ) {
		throw new CliError(
			'The backup file must not be the database file itself.'
		);
	}
	fs.mkdirSync( path.dirname( file ), { recursive: true } );
	const partial = `${ file }.partial`;
	fs.rmSync( partial, { force: true } );
	const db = new Database( source, { fileMustExist: true } );
	try {
		db.pragma( 'busy_timeout = 5000' );
		await db.backup( partial );
	} finally {
		db.close();
	}
	try {
		const copy = new Database( partial, { fileMustExist: true } );
		try {
			// A rollback journal instead of WAL: the backup is one file to copy back.
			copy.pragma( 'journal_mode = DELETE' );
			const integrity = copy.pragma( 'integrity_check', {
				simple: true,
			} );
			if ( integrity !== 'ok' ) {
				throw new CliError(
					`The backup failed its integrity check: ${ String(
						integrity
					) }`
				);
			}
			const count = ( table: string ): number =>
				(
					copy
						.prepare( `SELECT COUNT(*) AS n FROM ${ table }` )
						.get() as { n: number }
				 ).n;
			const result: BackupResult = {
				file,
				schemaVersion: copy.pragma( 'user_version', {
					simple: true,
				} ) as number,
				conversations: count( 'conversations' ),
				messages: count( 'messages' ),
			};
			copy.close();
			fs.renameSync( partial, file );
			return result;
		} finally {
			if ( copy.open ) {
				copy.close();
			}
		}
	} finally {
		fs.rmSync( partial, { force: true } );
	}
}
