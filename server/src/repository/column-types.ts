/**
 * The column types that differ between SQLite and PostgreSQL, for the
 * schema steps (`schema-sql.ts` and the steps of single aggregates).
 */
import type { DialectName } from './db';

/** The column types that differ between the databases. */
export interface ColumnTypes {
	/** An instant: ISO 8601 text in SQLite. */
	time: string;
	/** True or false: 0 or 1 in SQLite. */
	flag: string;
	/** A 64-bit counter. */
	counter: string;
	/** A JSON document: text in SQLite. */
	json: string;
	/** Bytes. */
	bytes: string;
	/**
	 * A column (with its comma) that orders rows inserted in the same
	 * millisecond; '' in SQLite, whose rowid does.
	 */
	ordinal: string;
	/** After a table keyed by its primary key alone: SQLite stores it without a rowid. */
	withoutRowid: string;
}

/**
 * The column types of a database.
 *
 * @param dialect The database.
 * @return Its types.
 */
export function columnTypes( dialect: DialectName ): ColumnTypes {
	return dialect === 'postgres'
		? {
				time: 'TIMESTAMPTZ',
				flag: 'BOOLEAN',
				counter: 'BIGINT',
				json: 'JSONB',
				bytes: 'BYTEA',
				ordinal: 'ordinal BIGINT GENERATED ALWAYS AS IDENTITY,',
				withoutRowid: '',
			}
		: {
				time: 'TEXT',
				flag: 'INTEGER',
				counter: 'INTEGER',
				json: 'TEXT',
				bytes: 'BLOB',
				ordinal: '',
				withoutRowid: ' WITHOUT ROWID',
			};
}
