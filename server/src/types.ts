/**
 * socket.io types of the two namespaces, and what each socket carries.
 */
import type { Namespace, Socket } from 'socket.io';
import type {
	AgentAccessChange,
	AgentClientToServerEvents,
	AgentServerToClientEvents,
	ConnectErrorCode,
	ConnectErrorData,
	VisitorClientToServerEvents,
	VisitorServerToClientEvents,
} from '@chatflows/protocol';
import type { PresenceMessage } from './domain/presence';

/** Events between nodes of a cluster. */
export interface InterServerEvents {
	/** Agents' presence (see `domain/presence.ts`). */
	'chatflows:presence': ( message: PresenceMessage ) => void;
	/** A user's rights changed (see `agent/access.ts`). */
	'chatflows:agent-access': ( change: AgentAccessChange ) => void;
}

export interface VisitorSocketData {
	visitorId: string;
	/** The session token, to confirm it to the client; never stored. */
	token: string;
	chatflowId: string;
	/** Sanitized page URL from the handshake, '' when unknown. */
	pageUrl: string;
	/** The browser's language tag, lower case, '' when unknown. */
	language: string;
	/** Contact captured on this connection before a conversation existed. */
	contactId: string | null;
}

export interface AgentSocketData {
	/** WordPress user id (the token's `sub`). */
	userId: string;
	name: string;
	caps: string[];
	/** The agent's teams, from the token. */
	teams: string[];
	/** The agent's inboxes, from the token; null: the token names none (sees every inbox). */
	inboxes: string[] | null;
	/** Token expiry, seconds since the epoch. */
	exp: number;
	/** Set away by the agent (`agent:presence`); kept on the socket so every node sees it. */
	away?: boolean;
}

export type VisitorNamespace = Namespace<
	VisitorClientToServerEvents,
	VisitorServerToClientEvents,
	InterServerEvents,
	VisitorSocketData
>;

export type VisitorSocket = Socket<
	VisitorClientToServerEvents,
	VisitorServerToClientEvents,
	InterServerEvents,
	VisitorSocketData
>;

export type AgentNamespace = Namespace<
	AgentClientToServerEvents,
	AgentServerToClientEvents,
	InterServerEvents,
	AgentSocketData
>;

export type AgentSocket = Socket<
	AgentClientToServerEvents,
	AgentServerToClientEvents,
	InterServerEvents,
	AgentSocketData
>;

/** The room every agent socket joins. */
export const AGENTS_ROOM = 'agents';

/**
 * The room of one agent's sockets (all their tabs, on every node).
 *
 * @param userId The agent's WordPress user id.
 * @return The room name.
 */
export function agentRoom( userId: string ): string {
	return `agent:${ userId }`;
}

/**
 * The room of the visitors on pages of one chatflow.
 *
 * @param chatflowId The chatflow.
 * @return The room name.
 */
export function chatflowRoom( chatflowId: string ): string {
	return `${ CHATFLOW_ROOM_PREFIX }${ chatflowId }`;
}

/** What the name of each chatflow's visitor room starts with. */
export const CHATFLOW_ROOM_PREFIX = 'chatflow:';

/**
 * The room of one visitor's sockets (all their tabs).
 *
 * @param visitorId The visitor.
 * @return The room name.
 */
export function visitorRoom( visitorId: string ): string {
	return `visitor:${ visitorId }`;
}

/** The error a namespace middleware passes to `next()` to refuse a connection. */
export interface ConnectError extends Error {
	data?: ConnectErrorData;
}

/**
 * Builds a refusal the client receives as `connect_error`.
 *
 * @param code    Machine-readable reason, in `err.data.code`.
 * @param message A sentence for people, in `err.message`.
 * @return The error.
 */
export function connectError(
	code: ConnectErrorCode,
	message: string
): ConnectError {
	const error: ConnectError = new Error( message );
	error.data = { code };
	return error;
}
