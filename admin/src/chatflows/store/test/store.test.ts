/**
 * Tests of the chatflows store: the reducer and selectors through a real
 * registry, and the resolvers and thunks with a mocked `apiFetch`.
 */
import apiFetch from '@wordpress/api-fetch';
import { createRegistry } from '@wordpress/data';

import { store } from '..';
import { reducer, initialState } from '../reducer';
import { receiveChatflow, receiveChatflows } from '../actions';
import type { Chatflow } from '../types';

jest.mock( '@wordpress/api-fetch', () => jest.fn() );
const mockedApiFetch = apiFetch as unknown as jest.Mock;

function chatflow( id: number, priority: number, title = `Chatflow ${ id }` ) {
	return {
		id,
		title,
		enabled: false,
		modified: '2026-01-01T00:00:00Z',
		version: 1,
		priority,
		settings: {},
	} as unknown as Chatflow;
}

function freshRegistry() {
	const registry = createRegistry();
	registry.register( store );
	return registry;
}

/** Resolves once every pending resolution of the registry settled. */
const flush = () => new Promise( ( resolve ) => setTimeout( resolve, 0 ) );

beforeEach( () => mockedApiFetch.mockReset() );
afterEach( flush );

describe( 'reducer', () => {
	it( 'orders the list by priority, then id', () => {
		const state = reducer(
			initialState,
			receiveChatflows( [
				chatflow( 3, 2 ),
				chatflow( 1, 5 ),
				chatflow( 2, 2 ),
			] )
		);
		expect( state.listOrder ).toEqual( [ 2, 3, 1 ] );
	} );

	it( 'adds a created chatflow to a loaded list at its priority', () => {
		let state = reducer(
			initialState,
			receiveChatflows( [ chatflow( 1, 0 ), chatflow( 2, 10 ) ] )
		);
		state = reducer( state, receiveChatflow( chatflow( 3, 5 ) ) );
		expect( state.listOrder ).toEqual( [ 1, 3, 2 ] );
	} );

	it( 'does not invent a list when only one chatflow was loaded', () => {
		const state = reducer(
			initialState,
			receiveChatflow( chatflow( 1, 0 ) )
		);
		expect( state.listOrder ).toBeNull();
		expect( state.chatflows[ 1 ].title ).toBe( 'Chatflow 1' );
	} );
} );

describe( 'resolvers and selectors', () => {
	it( 'fetches the list once and keeps returning the same array', async () => {
		mockedApiFetch.mockResolvedValue( [
			chatflow( 1, 0 ),
			chatflow( 2, 1 ),
		] );
		const registry = freshRegistry();

		expect( registry.select( store ).getChatflows() ).toBeNull();
		const list = await registry.resolveSelect( store ).getChatflows();

		expect( mockedApiFetch ).toHaveBeenCalledTimes( 1 );
		expect( mockedApiFetch ).toHaveBeenCalledWith( {
			path: '/chatflows/v1/chatflows',
		} );
		expect( list?.map( ( item ) => item.id ) ).toEqual( [ 1, 2 ] );
		expect( registry.select( store ).getChatflows() ).toBe(
			registry.select( store ).getChatflows()
		);
	} );

	it( 'fetches one chatflow by id', async () => {
		mockedApiFetch.mockResolvedValue( chatflow( 7, 0, 'Sales' ) );
		const registry = freshRegistry();

		const loaded = await registry.resolveSelect( store ).getChatflow( 7 );

		expect( mockedApiFetch ).toHaveBeenCalledWith( {
			path: '/chatflows/v1/chatflows/7',
		} );
		expect( loaded?.title ).toBe( 'Sales' );
	} );

	it( 'lists teams, agents and inboxes by name', async () => {
		mockedApiFetch.mockImplementation( ( { path } ) =>
			Promise.resolve(
				{
					'/chatflows/v1/teams': [
						{ id: 1, name: 'Support', memberIds: [] },
						{ id: 2, name: 'Sales', memberIds: [ 3 ] },
					],
					'/chatflows/v1/agents': [
						{ id: 3, name: 'Zoë', capacity: 5, teamIds: [ 2 ] },
						{ id: 4, name: 'Ann', capacity: 2, teamIds: [] },
					],
					'/chatflows/v1/inboxes': [
						{ id: 9, name: 'Website', agentIds: [], teamIds: [] },
					],
				}[ path as string ]
			)
		);
		const registry = freshRegistry();
		const resolve = registry.resolveSelect( store );

		expect( ( await resolve.getTeams() )?.map( ( t ) => t.name ) ).toEqual(
			[ 'Sales', 'Support' ]
		);
		expect( ( await resolve.getAgents() )?.map( ( a ) => a.name ) ).toEqual(
			[ 'Ann', 'Zoë' ]
		);
		expect( ( await resolve.getInboxes() )?.[ 0 ].id ).toBe( 9 );
	} );
} );

describe( 'thunks', () => {
	async function registryWithList() {
		mockedApiFetch.mockResolvedValueOnce( [ chatflow( 1, 0 ) ] );
		const registry = freshRegistry();
		await registry.resolveSelect( store ).getChatflows();
		mockedApiFetch.mockReset();
		return registry;
	}

	it( 'creates a chatflow and lists it', async () => {
		const registry = await registryWithList();
		mockedApiFetch.mockResolvedValue( chatflow( 2, 1, 'New' ) );

		const created = await registry
			.dispatch( store )
			.createChatflow( { title: 'New', settings: {} as never } );

		expect( mockedApiFetch ).toHaveBeenCalledWith( {
			path: '/chatflows/v1/chatflows',
			method: 'POST',
			data: { title: 'New', settings: {} },
		} );
		expect( created.id ).toBe( 2 );
		expect(
			registry
				.select( store )
				.getChatflows()
				?.map( ( item ) => item.title )
		).toEqual( [ 'Chatflow 1', 'New' ] );
	} );

	it( 'saves with the loaded version and keeps what WordPress returned', async () => {
		const registry = await registryWithList();
		mockedApiFetch.mockResolvedValue( {
			...chatflow( 1, 0, 'Renamed' ),
			version: 2,
		} );

		await registry
			.dispatch( store )
			.saveChatflow( 1, { title: 'Renamed', settings: {} as never }, 1 );

		expect( mockedApiFetch ).toHaveBeenCalledWith( {
			path: '/chatflows/v1/chatflows/1',
			method: 'PUT',
			data: { title: 'Renamed', settings: {}, version: 1 },
		} );
		expect( registry.select( store ).getChatflow( 1 )?.version ).toBe( 2 );
	} );

	it( 'rejects with the REST error and keeps the stored chatflow on conflict', async () => {
		const registry = await registryWithList();
		const conflict = {
			code: 'chatflows_conflict',
			message: 'Changed elsewhere.',
			data: { status: 409 },
		};
		mockedApiFetch.mockRejectedValue( conflict );

		await expect(
			registry
				.dispatch( store )
				.saveChatflow( 1, { title: 'Mine', settings: {} as never }, 1 )
		).rejects.toBe( conflict );
		expect( registry.select( store ).getChatflow( 1 )?.title ).toBe(
			'Chatflow 1'
		);
	} );

	it( 'publishes and unpublishes through their routes', async () => {
		const registry = await registryWithList();
		mockedApiFetch.mockResolvedValue( {
			...chatflow( 1, 0 ),
			enabled: true,
		} );
		await registry.dispatch( store ).setChatflowEnabled( 1, true );
		expect( mockedApiFetch ).toHaveBeenLastCalledWith( {
			path: '/chatflows/v1/chatflows/1/publish',
			method: 'POST',
		} );
		expect( registry.select( store ).getChatflow( 1 )?.enabled ).toBe(
			true
		);

		mockedApiFetch.mockResolvedValue( chatflow( 1, 0 ) );
		await registry.dispatch( store ).setChatflowEnabled( 1, false );
		expect( mockedApiFetch ).toHaveBeenLastCalledWith( {
			path: '/chatflows/v1/chatflows/1/unpublish',
			method: 'POST',
		} );
		expect( registry.select( store ).getChatflow( 1 )?.enabled ).toBe(
			false
		);
	} );

	it( 'duplicates and deletes', async () => {
		const registry = await registryWithList();
		mockedApiFetch.mockResolvedValue( chatflow( 5, 1, 'Copy' ) );
		await registry.dispatch( store ).duplicateChatflow( 1 );
		expect( mockedApiFetch ).toHaveBeenLastCalledWith( {
			path: '/chatflows/v1/chatflows/1/duplicate',
			method: 'POST',
		} );

		mockedApiFetch.mockResolvedValue( { deleted: true } );
		await registry.dispatch( store ).deleteChatflow( 1 );
		expect( mockedApiFetch ).toHaveBeenLastCalledWith( {
			path: '/chatflows/v1/chatflows/1',
			method: 'DELETE',
		} );
		expect(
			registry
				.select( store )
				.getChatflows()
				?.map( ( item ) => item.id )
		).toEqual( [ 5 ] );
		await flush();
	} );

	it( 'saves teams and capacity', async () => {
		const registry = freshRegistry();
		mockedApiFetch.mockImplementation( ( { path } ) =>
			Promise.resolve(
				path === '/chatflows/v1/agents'
					? [ { id: 2, name: 'Agent', capacity: 5, teamIds: [ 4 ] } ]
					: { id: 4, name: 'Sales', memberIds: [ 2 ] }
			)
		);
		await registry
			.dispatch( store )
			.saveTeam( { name: 'Sales', memberIds: [ 2 ] } );
		expect( mockedApiFetch ).toHaveBeenCalledWith( {
			path: '/chatflows/v1/teams',
			method: 'POST',
			data: { name: 'Sales', memberIds: [ 2 ] },
		} );
		expect( registry.select( store ).getTeams()?.[ 0 ].name ).toBe(
			'Sales'
		);
		// Membership changed the agent's teams: the agents are fetched again.
		expect( registry.select( store ).getAgents()?.[ 0 ].teamIds ).toEqual( [
			4,
		] );

		mockedApiFetch.mockResolvedValue( {
			id: 2,
			name: 'Agent',
			capacity: 8,
			teamIds: [],
		} );
		await registry.dispatch( store ).saveAgentCapacity( 2, 8 );
		expect( mockedApiFetch ).toHaveBeenLastCalledWith( {
			path: '/chatflows/v1/agents/2',
			method: 'PUT',
			data: { capacity: 8 },
		} );
	} );
} );
