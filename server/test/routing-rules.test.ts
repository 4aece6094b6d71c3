/**
 * Routing rules as pure functions: team choice, who is eligible, who is picked.
 */
import type { CompiledChatflow } from '@chatflows/protocol';
import {
	chooseTeam,
	eligibleAgents,
	estimateWaitSeconds,
	pickAgent,
	teamMembers,
	type AgentLoad,
} from '../src/domain/routing';
import { chatflow, configuration } from './repository-domain';

function withRules(
	rules: CompiledChatflow[ 'assignment' ][ 'rules' ]
): CompiledChatflow {
	const flow = chatflow( 'support', 1 );
	return { ...flow, assignment: { ...flow.assignment, rules } };
}

function load(
	overrides: Partial< AgentLoad > & { userId: string }
): AgentLoad {
	return {
		available: true,
		away: false,
		open: 0,
		capacity: 3,
		...overrides,
	};
}

describe( 'chooseTeam', () => {
	const flow = withRules( [
		{ when: {}, teamId: 'never' },
		{ when: { pageUrlContains: '/pricing' }, teamId: 'sales' },
		{
			when: { pageUrlContains: '/docs', visitorLanguage: 'da' },
			teamId: 'danish-docs',
		},
		{ when: { visitorLanguage: 'nl_NL' }, teamId: 'dutch' },
	] );

	it.each( [
		[ 'http://x/pricing/', 'en-us', 'sales' ],
		[ 'http://x/docs/', 'da-dk', 'danish-docs' ],
		[ 'http://x/docs/', 'da', 'danish-docs' ],
		[ 'http://x/docs/', 'dan', null ],
		[ 'http://x/docs/', 'en-us', null ],
		[ 'http://x/', 'nl-nl', 'dutch' ],
		[ 'http://x/', 'nl', null ],
		[ 'http://x/', '', null ],
	] )( 'routes %s in %p to %p', ( pageUrl, language, team ) => {
		expect( chooseTeam( flow, { pageUrl, language } ) ).toBe( team );
	} );

	it( 'has no team for an unknown chatflow', () => {
		expect(
			chooseTeam( undefined, {
				pageUrl: 'http://x/pricing',
				language: '',
			} )
		).toBeNull();
	} );
} );

describe( 'eligibleAgents', () => {
	const directory = {
		...configuration( [] ),
		agents: [
			{
				id: '1',
				name: 'A',
				capacity: 1,
				teamIds: [ 't1' ],
				inboxIds: [],
			},
			{ id: '2', name: 'B', capacity: 1, teamIds: [], inboxIds: [] },
		],
		teams: [ { id: 't1', name: 'T', memberIds: [ '3' ] } ],
	};

	it( 'takes team members from the team and from the agents', () => {
		expect( [ ...teamMembers( directory, 't1' ) ].sort() ).toEqual( [
			'1',
			'3',
		] );
	} );

	it( 'is the routed team, else the chatflow’s users and teams, else anyone', () => {
		const flow = chatflow( 'support', 1 );
		expect(
			[
				...( eligibleAgents(
					directory,
					{
						...flow,
						assignment: {
							...flow.assignment,
							userIds: [ '2' ],
							teamIds: [ 't1' ],
						},
					},
					null
				) ?? [] ),
			].sort()
		).toEqual( [ '1', '2', '3' ] );
		expect( [
			...( eligibleAgents( directory, flow, 't1' ) ?? [] ),
		] ).toEqual( expect.arrayContaining( [ '1', '3' ] ) );
		expect(
			eligibleAgents(
				directory,
				{
					...flow,
					assignment: {
						...flow.assignment,
						userIds: [],
						teamIds: [],
					},
				},
				null
			)
		).toBeNull();
		expect( eligibleAgents( directory, undefined, null ) ).toBeNull();
	} );
} );

describe( 'pickAgent', () => {
	it( 'picks the available agent with the fewest open conversations below capacity', () => {
		const agents = [
			load( { userId: 'a', open: 2 } ),
			load( { userId: 'b', open: 1 } ),
			load( { userId: 'c', open: 0, available: false, away: true } ),
			load( { userId: 'd', open: 0, capacity: 0 } ),
		];
		expect( pickAgent( agents, null ) ).toBe( 'b' );
		expect( pickAgent( agents, new Set( [ 'a', 'c' ] ) ) ).toBe( 'a' );
		expect( pickAgent( agents, new Set( [ 'c', 'd' ] ) ) ).toBeNull();
	} );

	it( 'breaks ties by user id, and never exceeds capacity', () => {
		expect(
			pickAgent(
				[ load( { userId: '9' } ), load( { userId: '10' } ) ],
				null
			)
		).toBe( '10' );
		expect(
			pickAgent( [ load( { userId: 'a', open: 3, capacity: 3 } ) ], null )
		).toBeNull();
	} );
} );

describe( 'estimateWaitSeconds', () => {
	it( 'grows with the place and shrinks with helpers', () => {
		expect( estimateWaitSeconds( 1, 0 ) ).toBe( 180 );
		expect( estimateWaitSeconds( 3, 1 ) ).toBe( 540 );
		expect( estimateWaitSeconds( 3, 2 ) ).toBe( 360 );
	} );
} );
