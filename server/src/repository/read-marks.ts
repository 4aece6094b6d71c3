/**
 * Per-agent read marks, the same SQL for SQLite and PostgreSQL.
 *
 * Each agent has their own mark per conversation (`agent_reads`), so unread
 * counts are each agent's own. `conversations.agent_read_seq` stays the
 * highest mark of any agent: what the visitor's read receipt says ("seen by
 * the team").
 */
import type { SqlDialect } from './db';

/** The schema step both databases apply. */
export const AGENT_READS_MIGRATION = `
	CREATE TABLE agent_reads (
		conversation_id TEXT NOT NULL REFERENCES conversations ( id ),
		agent_id TEXT NOT NULL,
		read_seq INTEGER NOT NULL,
		PRIMARY KEY ( conversation_id, agent_id )
	);
`;

/**
 * Moves one agent's mark forward (never back, never beyond the last message).
 * Parameters, in this order: agent id, seq, conversation id.
 *
 * @param dialect The database.
 * @return The statement.
 */
export function upsertAgentReadSql( dialect: SqlDialect ): string {
	const { greatest, least } = dialect;
	return `INSERT INTO agent_reads ( conversation_id, agent_id, read_seq )
		SELECT c.id, ?, ${ least }( ?, c.last_seq ) FROM conversations c WHERE c.id = ?
		ON CONFLICT ( conversation_id, agent_id ) DO UPDATE
		SET read_seq = ${ greatest }( agent_reads.read_seq, excluded.read_seq )`;
}

/**
 * The unread count of one conversation `c` for one agent, as a scalar
 * subquery: messages not written by agents after the agent's own mark.
 *
 * @param count      `COUNT(*)`, cast as the database needs.
 * @param agentParam The placeholder of the agent's id.
 * @return The subquery.
 */
export function agentUnreadSubquery(
	count: string,
	agentParam: string
): string {
	return `( SELECT ${ count } FROM messages u
		WHERE u.conversation_id = c.id AND u.author_type <> 'agent'
		AND u.seq > COALESCE( ( SELECT r.read_seq FROM agent_reads r
			WHERE r.conversation_id = c.id AND r.agent_id = ${ agentParam } ), 0 ) )`;
}
