/**
 * Actions of the chatflows store: `receive*` / `remove*` record what the REST
 * API returned; the thunks call the API, update the store and return what the
 * API answered, so screens can show service and validation messages. Failed
 * calls reject with the REST error unchanged.
 */
import apiFetch from '@wordpress/api-fetch';

import { API_ROOT } from './api';
import type { Agent, Chatflow, ChatflowDraft, Inbox, Team } from './types';

/**
 * The whole list of chatflows (replaces the known order).
 *
 * @param chatflows Chatflows.
 */
export function receiveChatflows( chatflows: Chatflow[] ) {
	return { type: 'RECEIVE_CHATFLOWS' as const, chatflows };
}

/**
 * One chatflow, created or changed.
 *
 * @param chatflow Chatflow.
 */
export function receiveChatflow( chatflow: Chatflow ) {
	return { type: 'RECEIVE_CHATFLOW' as const, chatflow };
}

/**
 * Forgets a deleted chatflow.
 *
 * @param id Chatflow id.
 */
export function removeChatflow( id: number ) {
	return { type: 'REMOVE_CHATFLOW' as const, id };
}

/**
 * Every team.
 *
 * @param teams Teams.
 */
export function receiveTeams( teams: Team[] ) {
	return { type: 'RECEIVE_TEAMS' as const, teams };
}

/**
 * One team, created or changed.
 *
 * @param team Team.
 */
export function receiveTeam( team: Team ) {
	return { type: 'RECEIVE_TEAM' as const, team };
}

/**
 * Forgets a deleted team.
 *
 * @param id Team id.
 */
export function removeTeam( id: number ) {
	return { type: 'REMOVE_TEAM' as const, id };
}

/**
 * Every agent.
 *
 * @param agents Agents.
 */
export function receiveAgents( agents: Agent[] ) {
	return { type: 'RECEIVE_AGENTS' as const, agents };
}

/**
 * One agent, changed.
 *
 * @param agent Agent.
 */
export function receiveAgent( agent: Agent ) {
	return { type: 'RECEIVE_AGENT' as const, agent };
}

/**
 * Every inbox.
 *
 * @param inboxes Inboxes.
 */
export function receiveInboxes( inboxes: Inbox[] ) {
	return { type: 'RECEIVE_INBOXES' as const, inboxes };
}

/**
 * One inbox, created or changed.
 *
 * @param inbox Inbox.
 */
export function receiveInbox( inbox: Inbox ) {
	return { type: 'RECEIVE_INBOX' as const, inbox };
}

/**
 * Forgets a deleted inbox.
 *
 * @param id Inbox id.
 */
export function removeInbox( id: number ) {
	return { type: 'REMOVE_INBOX' as const, id };
}

export type ChatflowsAction =
	| ReturnType< typeof receiveChatflows >
	| ReturnType< typeof receiveChatflow >
	| ReturnType< typeof removeChatflow >
	| ReturnType< typeof receiveTeams >
	| ReturnType< typeof receiveTeam >
	| ReturnType< typeof removeTeam >
	| ReturnType< typeof receiveAgents >
	| ReturnType< typeof receiveAgent >
	| ReturnType< typeof receiveInboxes >
	| ReturnType< typeof receiveInbox >
	| ReturnType< typeof removeInbox >;

/** What a thunk receives from `@wordpress/data` (the part used here). */
interface ThunkArgs {
	dispatch: ( action: ChatflowsAction ) => void;
}

/**
 * Creates a chatflow (a draft: off until published).
 *
 * @param draft Title and settings.
 */
export const createChatflow =
	( draft: ChatflowDraft ) =>
	async ( { dispatch }: ThunkArgs ): Promise< Chatflow > => {
		const chatflow = await apiFetch< Chatflow >( {
			path: `${ API_ROOT }/chatflows`,
			method: 'POST',
			data: draft,
		} );
		dispatch( receiveChatflow( chatflow ) );
		return chatflow;
	};

/**
 * Saves a chatflow over the version the editor loaded. A newer stored
 * version makes WordPress refuse it (409 `chatflows_conflict`).
 *
 * @param id      Chatflow id.
 * @param draft   Title and settings.
 * @param version The version the editor loaded.
 */
export const saveChatflow =
	( id: number, draft: ChatflowDraft, version: Chatflow[ 'version' ] ) =>
	async ( { dispatch }: ThunkArgs ): Promise< Chatflow > => {
		const chatflow = await apiFetch< Chatflow >( {
			path: `${ API_ROOT }/chatflows/${ id }`,
			method: 'PUT',
			data: { ...draft, version },
		} );
		dispatch( receiveChatflow( chatflow ) );
		return chatflow;
	};

/**
 * Reloads a chatflow from WordPress, e.g. after a conflict.
 *
 * @param id Chatflow id.
 */
export const reloadChatflow =
	( id: number ) =>
	async ( { dispatch }: ThunkArgs ): Promise< Chatflow > => {
		const chatflow = await apiFetch< Chatflow >( {
			path: `${ API_ROOT }/chatflows/${ id }`,
		} );
		dispatch( receiveChatflow( chatflow ) );
		return chatflow;
	};

/**
 * Turns a chatflow on (publish) or off (unpublish).
 *
 * @param id      Chatflow id.
 * @param enabled On or off.
 */
export const setChatflowEnabled =
	( id: number, enabled: boolean ) =>
	async ( { dispatch }: ThunkArgs ): Promise< Chatflow > => {
		const chatflow = await apiFetch< Chatflow >( {
			path: `${ API_ROOT }/chatflows/${ id }/${
				enabled ? 'publish' : 'unpublish'
			}`,
			method: 'POST',
		} );
		dispatch( receiveChatflow( chatflow ) );
		return chatflow;
	};

/**
 * Puts chatflows in this priority order, all at once: the first published
 * chatflow whose rules hold serves a page.
 *
 * @param ordered Chatflows, first to last.
 */
export const setChatflowPriorities =
	( ordered: Chatflow[] ) =>
	async ( {
		dispatch,
	}: ThunkArgs ): Promise< { service?: Chatflow[ 'service' ] } > => {
		const saved = await apiFetch< {
			chatflows: Chatflow[];
			service: Chatflow[ 'service' ];
		} >( {
			path: `${ API_ROOT }/chatflows/order`,
			method: 'PUT',
			data: { ids: ordered.map( ( chatflow ) => chatflow.id ) },
		} );
		dispatch( receiveChatflows( saved.chatflows ) );
		return { service: saved.service };
	};

/**
 * Copies a chatflow (the copy starts off).
 *
 * @param id Chatflow id.
 */
export const duplicateChatflow =
	( id: number ) =>
	async ( { dispatch }: ThunkArgs ): Promise< Chatflow > => {
		const chatflow = await apiFetch< Chatflow >( {
			path: `${ API_ROOT }/chatflows/${ id }/duplicate`,
			method: 'POST',
		} );
		dispatch( receiveChatflow( chatflow ) );
		return chatflow;
	};

/**
 * Deletes a chatflow.
 *
 * @param id Chatflow id.
 */
export const deleteChatflow =
	( id: number ) =>
	async ( { dispatch }: ThunkArgs ): Promise< void > => {
		await apiFetch( {
			path: `${ API_ROOT }/chatflows/${ id }`,
			method: 'DELETE',
		} );
		dispatch( removeChatflow( id ) );
	};

/**
 * Fetches the agents again: team changes change their `teamIds`.
 *
 * @param dispatch The store's dispatch.
 */
async function refreshAgents( dispatch: ThunkArgs[ 'dispatch' ] ) {
	dispatch(
		receiveAgents(
			await apiFetch< Agent[] >( { path: `${ API_ROOT }/agents` } )
		)
	);
}

/**
 * Creates a team (without id) or changes one.
 *
 * @param team Name and members.
 */
export const saveTeam =
	( team: Omit< Team, 'id' > & { id?: number } ) =>
	async ( { dispatch }: ThunkArgs ): Promise< Team > => {
		const saved = await apiFetch< Team >( {
			path: `${ API_ROOT }/teams${ team.id ? `/${ team.id }` : '' }`,
			method: team.id ? 'PUT' : 'POST',
			data: { name: team.name, memberIds: team.memberIds },
		} );
		dispatch( receiveTeam( saved ) );
		await refreshAgents( dispatch );
		return saved;
	};

/**
 * Deletes a team.
 *
 * @param id Team id.
 */
export const deleteTeam =
	( id: number ) =>
	async ( { dispatch }: ThunkArgs ): Promise< void > => {
		await apiFetch( {
			path: `${ API_ROOT }/teams/${ id }`,
			method: 'DELETE',
		} );
		dispatch( removeTeam( id ) );
		await refreshAgents( dispatch );
	};

/**
 * Sets the most open conversations an agent takes at once.
 *
 * @param id       User id.
 * @param capacity 1–100.
 */
export const saveAgentCapacity =
	( id: number, capacity: number ) =>
	async ( { dispatch }: ThunkArgs ): Promise< Agent > => {
		const agent = await apiFetch< Agent >( {
			path: `${ API_ROOT }/agents/${ id }`,
			method: 'PUT',
			data: { capacity },
		} );
		dispatch( receiveAgent( agent ) );
		return agent;
	};

/**
 * Creates an inbox (without id) or changes one.
 *
 * @param inbox Name, agents and teams.
 */
export const saveInbox =
	( inbox: Omit< Inbox, 'id' > & { id?: number } ) =>
	async ( { dispatch }: ThunkArgs ): Promise< Inbox > => {
		const saved = await apiFetch< Inbox >( {
			path: `${ API_ROOT }/inboxes${ inbox.id ? `/${ inbox.id }` : '' }`,
			method: inbox.id ? 'PUT' : 'POST',
			data: {
				name: inbox.name,
				agentIds: inbox.agentIds,
				teamIds: inbox.teamIds,
			},
		} );
		dispatch( receiveInbox( saved ) );
		return saved;
	};

/**
 * Deletes an inbox.
 *
 * @param id Inbox id.
 */
export const deleteInbox =
	( id: number ) =>
	async ( { dispatch }: ThunkArgs ): Promise< void > => {
		await apiFetch( {
			path: `${ API_ROOT }/inboxes/${ id }`,
			method: 'DELETE',
		} );
		dispatch( removeInbox( id ) );
	};
