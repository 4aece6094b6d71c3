/**
 * Selectors of the chatflows store. Each list selector returns the same array
 * while its records do not change, so components do not re-render.
 */
import type { Agent, Chatflow, ChatflowsState, Inbox, Team } from './types';

const listCache = new WeakMap< object, unknown[] >();

function cachedList< T >( key: object, build: () => T[] ): T[] {
	let list = listCache.get( key ) as T[] | undefined;
	if ( ! list ) {
		list = build();
		listCache.set( key, list );
	}
	return list;
}

const byName = ( a: { name: string }, b: { name: string } ) =>
	a.name.localeCompare( b.name );

/**
 * Every chatflow in priority order, or null while the list loads.
 *
 * @param state Store state.
 */
export function getChatflows( state: ChatflowsState ): Chatflow[] | null {
	const { listOrder, chatflows } = state;
	if ( ! listOrder ) {
		return null;
	}
	return cachedList( listOrder, () =>
		listOrder.map( ( id ) => chatflows[ id ] ).filter( Boolean )
	);
}

/**
 * A chatflow by id, or undefined while it loads.
 *
 * @param state Store state.
 * @param id    Chatflow id.
 */
export function getChatflow(
	state: ChatflowsState,
	id: number
): Chatflow | undefined {
	return state.chatflows[ id ];
}

/**
 * Teams by name, or null while they load.
 *
 * @param state Store state.
 */
export function getTeams( state: ChatflowsState ): Team[] | null {
	const { teams } = state;
	return teams
		? cachedList( teams, () => Object.values( teams ).sort( byName ) )
		: null;
}

/**
 * Agents (users who may answer chats) by name, or null while they load.
 *
 * @param state Store state.
 */
export function getAgents( state: ChatflowsState ): Agent[] | null {
	const { agents } = state;
	return agents
		? cachedList( agents, () => Object.values( agents ).sort( byName ) )
		: null;
}

/**
 * Inboxes by name, or null while they load.
 *
 * @param state Store state.
 */
export function getInboxes( state: ChatflowsState ): Inbox[] | null {
	const { inboxes } = state;
	return inboxes
		? cachedList( inboxes, () => Object.values( inboxes ).sort( byName ) )
		: null;
}
