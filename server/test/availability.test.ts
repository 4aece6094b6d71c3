/**
 * The availability module with fixed UTC instants and real IANA zones (office
 * hours against the clock are tested with their rule, in
 * packages/chatflow-model/test/office-hours-clock.test.ts).
 */
import {
	canonicalTimeZone,
	evaluateAvailability,
	isValidTimeZone,
	type AgentPool,
} from '../src/availability';
import type { AvailabilityRule, OfficeHoursRange } from '@chatflows/protocol';

const ONE_FREE: AgentPool = { available: 1, withRoom: 1, away: 0 };
const ALL_FULL: AgentPool = { available: 2, withRoom: 0, away: 0 };
const ALL_AWAY: AgentPool = { available: 0, withRoom: 0, away: 2 };
const NOBODY: AgentPool = { available: 0, withRoom: 0, away: 0 };

const COPENHAGEN = 'Europe/Copenhagen';

function weekdays( start: string, end: string ): OfficeHoursRange[] {
	return ( [ 1, 2, 3, 4, 5 ] as const ).map( ( day ) => ( {
		day,
		start,
		end,
	} ) );
}

function officeHours(
	hours: OfficeHoursRange[],
	timeZone = COPENHAGEN
): AvailabilityRule & { mode: 'office_hours' } {
	return { mode: 'office_hours', timeZone, hours };
}

const at = ( iso: string ): Date => new Date( iso );

describe( 'time zones', () => {
	it( 'knows real IANA zones only', () => {
		expect( isValidTimeZone( COPENHAGEN ) ).toBe( true );
		expect( isValidTimeZone( 'America/New_York' ) ).toBe( true );
		expect( isValidTimeZone( 'Mars/Olympus_Mons' ) ).toBe( false );
	} );

	it( 'names a zone as the runtime does, and a made-up one as none, every time it is asked', () => {
		for ( let asked = 0; asked < 2; asked++ ) {
			expect( canonicalTimeZone( COPENHAGEN ) ).toBe( COPENHAGEN );
			expect( canonicalTimeZone( 'UTC' ) ).toBe( 'UTC' );
			expect( canonicalTimeZone( 'Mars/Olympus_Mons' ) ).toBe( '' );
		}
		// Past the names it remembers, still answered (only not kept).
		for ( let i = 0; i < 1100; i++ ) {
			expect( canonicalTimeZone( `Made/Up_${ i }` ) ).toBe( '' );
		}
		expect( canonicalTimeZone( 'America/New_York' ) ).toBe(
			'America/New_York'
		);
	} );
} );

describe( 'office hours', () => {
	it( 'gives the next opening across a change of summer time, in UTC', () => {
		const workdays = officeHours( weekdays( '09:00', '17:00' ) );
		// Saturday before spring forward (2026-03-29), in winter time: Monday in summer time.
		expect(
			evaluateAvailability(
				workdays,
				at( '2026-03-28T12:00:00Z' ),
				ONE_FREE
			)
		).toEqual( {
			state: 'offline',
			nextReturnAt: '2026-03-30T07:00:00.000Z',
		} );
		// Friday 17:00 before fall back (2026-10-25), in summer time: Monday in winter time.
		expect(
			evaluateAvailability(
				workdays,
				at( '2026-10-23T15:00:00Z' ),
				ONE_FREE
			)
		).toEqual( {
			state: 'offline',
			nextReturnAt: '2026-10-26T08:00:00.000Z',
		} );
	} );

	it( 'has no next opening without ranges', () => {
		const never = officeHours( [] );
		expect(
			evaluateAvailability(
				never,
				at( '2026-01-12T10:00:00Z' ),
				ONE_FREE
			)
		).toEqual( { state: 'offline', nextReturnAt: null } );
	} );
} );

describe( 'evaluateAvailability', () => {
	const monday10 = at( '2026-01-12T09:00:00Z' );
	const rule = officeHours( weekdays( '09:00', '17:00' ) );

	it.each( [
		[ 'available', ONE_FREE ],
		[ 'at_capacity', ALL_FULL ],
		[ 'away', ALL_AWAY ],
		[ 'away', NOBODY ],
	] as const )( 'during office hours is %s for %p', ( state, pool ) => {
		expect( evaluateAvailability( rule, monday10, pool ) ).toEqual( {
			state,
			nextReturnAt: null,
		} );
	} );

	it( 'outside office hours is offline whoever is connected', () => {
		expect(
			evaluateAvailability( rule, at( '2026-01-12T18:00:00Z' ), ONE_FREE )
		).toEqual( {
			state: 'offline',
			nextReturnAt: '2026-01-13T08:00:00.000Z',
		} );
	} );

	it.each( [
		[ 'available', ONE_FREE ],
		[ 'at_capacity', ALL_FULL ],
		[ 'away', ALL_AWAY ],
		[ 'offline', NOBODY ],
	] as const )( 'by users is %s for %p', ( state, pool ) => {
		expect(
			evaluateAvailability( { mode: 'users' }, monday10, pool )
		).toEqual( { state, nextReturnAt: null } );
	} );

	it.each( [
		[ 'available', ONE_FREE ],
		[ 'at_capacity', ALL_FULL ],
		[ 'available', ALL_AWAY ],
		[ 'available', NOBODY ],
	] as const )( '24/7 is %s for %p', ( state, pool ) => {
		expect(
			evaluateAvailability( { mode: 'always' }, monday10, pool )
		).toEqual( { state, nextReturnAt: null } );
	} );
} );
