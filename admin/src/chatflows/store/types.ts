/**
 * Records of the `chatflows/v1` REST API, as the admin screens use them.
 */
import type { ChatflowSettings } from '@chatflows/chatflow-model';

export type { ChatflowSettings };

/** What the service said when WordPress sent it the change. */
export interface ServiceSync {
	synced: boolean;
	message?: string;
}

/** A chatflow as `GET /chatflows` and `GET /chatflows/<id>` return it. */
export interface Chatflow {
	id: number;
	title: string;
	/** Published: chat shows where the chatflow targets. */
	enabled: boolean;
	/** Last change, GMT ISO 8601. */
	modified: string;
	/** Sent back on save, so a save over a newer version is refused. */
	version: number | string;
	priority: number;
	settings: ChatflowSettings;
	/** A short, translated description of where chat shows. */
	target: string;
	service?: ServiceSync;
}

/** A team: a name and members among agents. */
export interface Team {
	id: number;
	name: string;
	/** User ids of the members. */
	memberIds: number[];
	service?: ServiceSync;
}

/** A user who may answer chats. */
export interface Agent {
	id: number;
	name: string;
	/** The user's avatar; '' when the site shows no avatars. */
	avatarUrl?: string;
	/** The most open conversations the agent takes at once. */
	capacity: number;
	teamIds: number[];
	inboxIds?: number[];
	service?: ServiceSync;
}

/** Where a chatflow's conversations go, with its agents and teams. */
export interface Inbox {
	id: number;
	name: string;
	agentIds: number[];
	teamIds: number[];
	/** Chatflows without an inbox of their own use it. */
	isDefault?: boolean;
	service?: ServiceSync;
}

export interface ChatflowsState {
	/** Chatflows by id. */
	chatflows: Record< number, Chatflow >;
	/** Ids in priority order, once the list was loaded. */
	listOrder: number[] | null;
	teams: Record< number, Team > | null;
	agents: Record< number, Agent > | null;
	inboxes: Record< number, Inbox > | null;
}

/** Fields of a chatflow a save sends. */
export interface ChatflowDraft {
	title: string;
	settings: ChatflowSettings;
}
