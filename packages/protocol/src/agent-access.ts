/**
 * WordPress → service, signed as the configuration endpoints are: a user's
 * rights changed (role, capabilities, team or inbox membership, removed from
 * the site, deleted), so the service re-scopes or ends that user's open agent
 * connections on every node at once, instead of waiting for their token to
 * expire.
 *
 * - `POST AGENT_ACCESS_PATH` with an `AgentAccessChange` answers
 *   `200 { agents: number }` (the entries applied);
 *   `400 { error: { code: 'invalid_payload', message, fields } }` for a bad
 *   body, `401` for a bad signature.
 *
 * A revoked user's connections get `auth:ended` (`access_revoked`) and are
 * disconnected; tokens WordPress signed for that user before `changedAt` are
 * refused from then on (by the nodes that heard it: a node started later
 * relies on the tokens' short life, as when the service was down).
 */

export const AGENT_ACCESS_PATH = '/v1/agents/access';

/** What a user may do now, as their next agent token would say. */
export interface AgentRights {
	/** The WordPress user id, as a string. */
	userId: string;
	/** The user's Chatflows capabilities now; without `chatflows_answer` the user is revoked. */
	caps: string[];
	/** Their teams now. */
	teams: string[];
	/** Their inboxes now. */
	inboxes: string[];
}

/** The user may no longer answer chats (deleted, demoted, removed from the site). */
export interface AgentRevoked {
	userId: string;
	revoked: true;
}

export interface AgentAccessChange {
	/** When WordPress made the change, Unix seconds by WordPress's clock (the tokens' `iat` clock). */
	changedAt: number;
	/** One entry per user whose rights changed (1–1000). */
	agents: Array< AgentRights | AgentRevoked >;
}
