/**
 * The query layer the repositories are written against: one asynchronous
 * interface over SQLite (better-sqlite3, see `sqlite.ts`) and PostgreSQL
 * (`pg`, see `postgres.ts`). Statements use `?` placeholders; the
 * PostgreSQL connection numbers them (`numberPlaceholders`), here only.
 *
 * What still differs between the databases is described by `SqlDialect`
 * (a few SQL fragments) and by `Db.lock` and `Db.grouped`.
 */

/** The databases. */
export type DialectName = 'sqlite' | 'postgres';

/** The SQL fragments that differ between the databases. */
export interface SqlDialect {
	name: DialectName;
	/**
	 * Appended to a SELECT of rows the transaction will change: ` FOR UPDATE`
	 * in PostgreSQL; '' in SQLite, whose write transactions run one at a time.
	 */
	forUpdate: string;
	/** The column that orders conversations created in the same millisecond. */
	insertionOrder: string;
	/** `COUNT(*)`, read as a number (PostgreSQL's is a bigint, read as a string). */
	count: string;
	/** The larger of two values (a scalar function). */
	greatest: string;
	/** The smaller of two values (a scalar function). */
	least: string;
}

/**
 * What an advisory lock serializes (PostgreSQL, across nodes): two
 * transactions taking the same scope and key run one after the other.
 */
export const LockScope = {
	visitor: 0,
	contact: 1,
	configuration: 2,
	consents: 3,
} as const;

export type LockScope = ( typeof LockScope )[ keyof typeof LockScope ];

/** A connection, or a transaction on one. */
export interface Db {
	readonly dialect: SqlDialect;
	/** The rows of a statement. */
	many: < R >( sql: string, params?: readonly unknown[] ) => Promise< R[] >;
	/** The first row of a statement, or null. */
	one: < R >(
		sql: string,
		params?: readonly unknown[]
	) => Promise< R | null >;
	/** Runs a statement; resolves how many rows it changed. */
	exec: ( sql: string, params?: readonly unknown[] ) => Promise< number >;
	/**
	 * Runs `work` atomically: committed when it resolves, rolled back when it
	 * throws. Inside another transaction (or a group, see `grouped`) it is
	 * part of that one.
	 */
	transaction: < T >( work: ( tx: Db ) => Promise< T > ) => Promise< T >;
	/**
	 * Lets a write share its commit with the other writes of the moment: in
	 * SQLite's writer, one transaction (one fsync) per batch, each write in a
	 * savepoint of its own, so it still succeeds or fails alone. Elsewhere
	 * runs it as it is (wrap it in `transaction` where it must be atomic).
	 */
	grouped: < T >( work: () => Promise< T > ) => Promise< T >;
	/**
	 * Takes a lock held until the transaction ends. PostgreSQL: an advisory
	 * lock, for rows that do not exist yet (a first message, a new contact);
	 * SQLite: nothing, its write transactions already run one at a time.
	 */
	lock: ( scope: LockScope, key: string ) => Promise< void >;
}

/**
 * Numbers `?` placeholders as `$1`, `$2`, … (PostgreSQL). The statements
 * hold no `?` inside literals.
 *
 * @param sql A statement with `?` placeholders.
 * @return The statement with numbered ones.
 */
export function numberPlaceholders( sql: string ): string {
	let index = 0;
	return sql.replace( /\?/g, () => `$${ ++index }` );
}

/**
 * A bounded map from statement text to what a connection made of it (a
 * prepared statement, numbered SQL). Statements built per call (the inbox's
 * search) would otherwise grow it without end.
 */
export class StatementCache< V > {
	private readonly entries = new Map< string, V >();

	constructor(
		private readonly make: ( sql: string ) => V,
		private readonly limit = 500
	) {}

	get( sql: string ): V {
		let value = this.entries.get( sql );
		if ( value === undefined ) {
			if ( this.entries.size >= this.limit ) {
				this.entries.clear();
			}
			value = this.make( sql );
			this.entries.set( sql, value );
		}
		return value;
	}
}

/**
 * A JSON column: text in SQLite, already parsed from JSONB in PostgreSQL.
 *
 * @param value The column's value.
 * @return The document.
 */
export function jsonColumn< T >( value: unknown ): T {
	return ( typeof value === 'string' ? JSON.parse( value ) : value ) as T;
}
