/**
 * Reducer of the chatflows store.
 */
import type { ChatflowsAction } from './actions';
import type { ChatflowsState } from './types';

export const initialState: ChatflowsState = {
	chatflows: {},
	listOrder: null,
	teams: null,
	agents: null,
	inboxes: null,
};

function byId< T extends { id: number } >( records: T[] ): Record< number, T > {
	const result: Record< number, T > = {};
	for ( const record of records ) {
		result[ record.id ] = record;
	}
	return result;
}

function sortedIds(
	chatflows: ChatflowsState[ 'chatflows' ],
	ids: number[]
): number[] {
	return [ ...ids ].sort(
		( a, b ) =>
			( chatflows[ a ]?.priority ?? 0 ) -
				( chatflows[ b ]?.priority ?? 0 ) || a - b
	);
}

export function reducer(
	state: ChatflowsState = initialState,
	action: ChatflowsAction
): ChatflowsState {
	switch ( action.type ) {
		case 'RECEIVE_CHATFLOWS': {
			const chatflows = {
				...state.chatflows,
				...byId( action.chatflows ),
			};
			return {
				...state,
				chatflows,
				listOrder: sortedIds(
					chatflows,
					action.chatflows.map( ( chatflow ) => chatflow.id )
				),
			};
		}
		case 'RECEIVE_CHATFLOW': {
			const chatflows = {
				...state.chatflows,
				[ action.chatflow.id ]: action.chatflow,
			};
			let listOrder = state.listOrder;
			if ( listOrder ) {
				listOrder = sortedIds(
					chatflows,
					listOrder.includes( action.chatflow.id )
						? listOrder
						: [ ...listOrder, action.chatflow.id ]
				);
			}
			return { ...state, chatflows, listOrder };
		}
		case 'REMOVE_CHATFLOW': {
			const chatflows = { ...state.chatflows };
			delete chatflows[ action.id ];
			return {
				...state,
				chatflows,
				listOrder:
					state.listOrder?.filter( ( id ) => id !== action.id ) ??
					null,
			};
		}
		case 'RECEIVE_TEAMS':
			return { ...state, teams: byId( action.teams ) };
		case 'RECEIVE_TEAM':
			return {
				...state,
				teams: { ...state.teams, [ action.team.id ]: action.team },
			};
		case 'REMOVE_TEAM': {
			const teams = { ...state.teams };
			delete teams[ action.id ];
			return { ...state, teams };
		}
		case 'RECEIVE_AGENTS':
			return { ...state, agents: byId( action.agents ) };
		case 'RECEIVE_AGENT':
			return {
				...state,
				agents: { ...state.agents, [ action.agent.id ]: action.agent },
			};
		case 'RECEIVE_INBOXES':
			return { ...state, inboxes: byId( action.inboxes ) };
		case 'RECEIVE_INBOX':
			return {
				...state,
				inboxes: {
					...state.inboxes,
					[ action.inbox.id ]: action.inbox,
				},
			};
		case 'REMOVE_INBOX': {
			const inboxes = { ...state.inboxes };
			delete inboxes[ action.id ];
			return { ...state, inboxes };
		}
		default:
			return state;
	}
}
