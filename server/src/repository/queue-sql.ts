/**
 * The queries of the assignment queue: the order of
 * `listOpenConversations`, with the dialect's column breaking ties between
 * conversations opened in the same millisecond.
 *
 * They let an assignment pass read only what it needs: the agents' open
 * counts as an aggregate, the waiting conversations (not every open one),
 * and one conversation's place in its chatflow's queue.
 */
import type { SqlDialect } from './db';

/**
 * Open conversations assigned to each agent: rows `{ user_id, open }`.
 *
 * @param dialect The database.
 * @return The statement (no parameters).
 */
export function openCountsByAssigneeSql( dialect: SqlDialect ): string {
	return `SELECT assignee_id AS user_id, ${ dialect.count } AS open
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
export function waitingConversationsSql( dialect: SqlDialect ): string {
	return `SELECT * FROM conversations
		WHERE status = 'open' AND assignee_id IS NULL
		ORDER BY created_at, ${ dialect.insertionOrder }`;
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
export function queuePlaceSql( dialect: SqlDialect ): string {
	const tie = dialect.insertionOrder;
	// An integer in both (PostgreSQL's SUM of integers is a bigint, read as a string).
	return `SELECT
			CAST( COALESCE( SUM( CASE WHEN w.created_at < c.created_at
				OR ( w.created_at = c.created_at AND w.${ tie } <= c.${ tie } )
				THEN 1 ELSE 0 END ), 0 ) AS INTEGER ) AS place,
			${ dialect.count } AS waiting
		FROM conversations c
		JOIN conversations w ON w.chatflow_id = c.chatflow_id
			AND w.status = 'open' AND w.assignee_id IS NULL
		WHERE c.id = ? AND c.status = 'open' AND c.assignee_id IS NULL`;
}
