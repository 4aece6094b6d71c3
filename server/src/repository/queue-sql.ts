/**
 * The queries of the assignment queue, the same for SQLite and PostgreSQL
 * but for the column that breaks ties between conversations opened in the
 * same millisecond (`rowid` in SQLite, `ordinal` in PostgreSQL): the order
 * of `listOpenConversations`.
 *
 * They let an assignment pass read only what it needs: the agents' open
 * counts as an aggregate, the waiting conversations (not every open one),
 * and one conversation's place in its chatflow's queue.
 */

/** The databases these queries are written for. */
export type QueueDialect = 'sqlite' | 'postgres';

/**
 * The column that orders conversations opened in the same millisecond.
 *
 * @param dialect The database.
 * @return The column name.
 */
function tieBreaker( dialect: QueueDialect ): string {
	return dialect === 'postgres' ? 'ordinal' : 'rowid';
}

/**
 * Open conversations assigned to each agent: rows `{ user_id, open }`.
 *
 * @param dialect The database.
 * @return The statement (no parameters).
 */
export function openCountsByAssigneeSql( dialect: QueueDialect ): string {
	const count = dialect === 'postgres' ? 'COUNT(*)::int' : 'COUNT(*)';
	return `SELECT assignee_id AS user_id, ${ count } AS open
		FROM conversations
		WHERE status = 'open' AND assignee_id IS NOT NULL
		GROUP BY assignee_id`;
}

/**
 * Open conversations without an assignee, oldest first (the order of
 * `listOpenConversations`).
 *
 * @param dialect The database.
 * @return The statement (no parameters).
 */
export function waitingConversationsSql( dialect: QueueDialect ): string {
	return `SELECT * FROM conversations
		WHERE status = 'open' AND assignee_id IS NULL
		ORDER BY created_at, ${ tieBreaker( dialect ) }`;
}

/**
 * One waiting conversation's place in its chatflow's queue and the length
 * of that queue: one row `{ place, waiting }`, both 0 when the conversation
 * does not wait (closed, assigned or missing). One parameter: the
 * conversation id.
 *
 * @param dialect The database.
 * @return The statement.
 */
export function queuePlaceSql( dialect: QueueDialect ): string {
	const tie = tieBreaker( dialect );
	const count = dialect === 'postgres' ? 'COUNT(*)::int' : 'COUNT(*)';
	const sum = ( condition: string ) =>
		dialect === 'postgres'
			? `COALESCE( SUM( CASE WHEN ${ condition } THEN 1 ELSE 0 END ), 0 )::int`
			: `COALESCE( SUM( CASE WHEN ${ condition } THEN 1 ELSE 0 END ), 0 )`;
	return `SELECT
			${ sum(
				`w.created_at < c.created_at OR ( w.created_at = c.created_at AND w.${ tie } <= c.${ tie } )`
			) } AS place,
			${ count } AS waiting
		FROM conversations c
		JOIN conversations w ON w.chatflow_id = c.chatflow_id
			AND w.status = 'open' AND w.assignee_id IS NULL
		WHERE c.id = ? AND c.status = 'open' AND c.assignee_id IS NULL`;
}
