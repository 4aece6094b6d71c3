/**
 * Resolvers: the first time a screen selects a record, it is fetched.
 */
import apiFetch from '@wordpress/api-fetch';

import {
	receiveAgents,
	receiveChatflow,
	receiveChatflows,
	receiveInboxes,
	receiveTeams,
	type ChatflowsAction,
} from './actions';
import { API_ROOT } from './api';
import type { Agent, Chatflow, Inbox, Team } from './types';

interface ResolverArgs {
	dispatch: ( action: ChatflowsAction ) => void;
	select: { getChatflow: ( id: number ) => Chatflow | undefined };
}

/** Fetches the list of chatflows. */
export const getChatflows =
	() =>
	async ( { dispatch }: ResolverArgs ) => {
		dispatch(
			receiveChatflows(
				await apiFetch< Chatflow[] >( {
					path: `${ API_ROOT }/chatflows`,
				} )
			)
		);
	};

/**
 * Fetches one chatflow.
 *
 * @param id Chatflow id.
 */
export const getChatflow =
	( id: number ) =>
	async ( { dispatch, select }: ResolverArgs ) => {
		// The list already brought it.
		if ( select.getChatflow( id ) ) {
			return;
		}
		dispatch(
			receiveChatflow(
				await apiFetch< Chatflow >( {
					path: `${ API_ROOT }/chatflows/${ id }`,
				} )
			)
		);
	};

/** Fetches the teams. */
export const getTeams =
	() =>
	async ( { dispatch }: ResolverArgs ) => {
		dispatch(
			receiveTeams(
				await apiFetch< Team[] >( { path: `${ API_ROOT }/teams` } )
			)
		);
	};

/** Fetches the agents. */
export const getAgents =
	() =>
	async ( { dispatch }: ResolverArgs ) => {
		dispatch(
			receiveAgents(
				await apiFetch< Agent[] >( { path: `${ API_ROOT }/agents` } )
			)
		);
	};

/** Fetches the inboxes. */
export const getInboxes =
	() =>
	async ( { dispatch }: ResolverArgs ) => {
		dispatch(
			receiveInboxes(
				await apiFetch< Inbox[] >( { path: `${ API_ROOT }/inboxes` } )
			)
		);
	};
