/**
 * Office hours against the clock, with fixed UTC instants and real IANA zones.
 */
import {
	isWithinOfficeHours,
	nextOpening,
	type OfficeHours,
	type OfficeHoursRange,
} from '../src';

const COPENHAGEN = 'Europe/Copenhagen';

function weekdays( start: string, end: string ): OfficeHoursRange[] {
	return [ 1, 2, 3, 4, 5 ].map( ( day ) => ( { day, start, end } ) );
}

function officeHours(
	hours: OfficeHoursRange[],
	timeZone = COPENHAGEN
): OfficeHours {
	return { timeZone, hours };
}

const at = ( iso: string ): Date => new Date( iso );

describe( 'times of day', () => {
	it( 'reads HH:MM including 24:00 and refuses anything else', () => {
		const monday = at( '2026-01-12T00:00:00Z' );
		const range = ( start: string, end: string ) =>
			officeHours( [ { day: 1, start, end } ], 'UTC' );
		// 00:00 to 09:30 on Monday, then 23:59 to 24:00 (the last minute).
		expect( isWithinOfficeHours( range( '00:00', '09:30' ), monday ) ).toBe(
			true
		);
		expect(
			isWithinOfficeHours(
				range( '00:00', '09:30' ),
				at( '2026-01-12T09:30:00Z' )
			)
		).toBe( false );
		expect(
			isWithinOfficeHours(
				range( '23:59', '24:00' ),
				at( '2026-01-12T23:59:00Z' )
			)
		).toBe( true );
		for ( const bad of [ '24:01', '9:00', '12:60', '25:00', '' ] ) {
			expect( () =>
				isWithinOfficeHours( range( bad, '24:00' ), monday )
			).toThrow( RangeError );
			expect( () =>
				nextOpening( range( bad, '24:00' ), monday )
			).toThrow( RangeError );
		}
	} );
} );

describe( 'office hours', () => {
	const rule = officeHours( weekdays( '09:00', '17:00' ) );

	it( 'is open inside the range in the zone, not in UTC', () => {
		// Monday 2026-01-12: Copenhagen is UTC+1 in winter.
		expect(
			isWithinOfficeHours( rule, at( '2026-01-12T07:59:00Z' ) )
		).toBe( false );
		expect(
			isWithinOfficeHours( rule, at( '2026-01-12T08:00:00Z' ) )
		).toBe( true );
		expect(
			isWithinOfficeHours( rule, at( '2026-01-12T15:59:00Z' ) )
		).toBe( true );
		// The end is exclusive.
		expect(
			isWithinOfficeHours( rule, at( '2026-01-12T16:00:00Z' ) )
		).toBe( false );
		// Summer: UTC+2.
		expect(
			isWithinOfficeHours( rule, at( '2026-07-13T07:00:00Z' ) )
		).toBe( true );
		expect(
			isWithinOfficeHours( rule, at( '2026-07-13T15:00:00Z' ) )
		).toBe( false );
		// Saturday.
		expect(
			isWithinOfficeHours( rule, at( '2026-01-17T10:00:00Z' ) )
		).toBe( false );
	} );

	it( 'uses the local weekday when it differs from the UTC one', () => {
		const tokyo = officeHours(
			[ { day: 1, start: '08:00', end: '10:00' } ],
			'Asia/Tokyo'
		);
		// Sunday 23:30 UTC is Monday 08:30 in Tokyo.
		expect(
			isWithinOfficeHours( tokyo, at( '2026-01-11T23:30:00Z' ) )
		).toBe( true );
	} );

	it( 'handles several ranges a day with a lunch break', () => {
		const split = officeHours( [
			{ day: 3, start: '08:00', end: '12:00' },
			{ day: 3, start: '13:00', end: '16:30' },
		] );
		// Wednesday 2026-01-14.
		expect(
			isWithinOfficeHours( split, at( '2026-01-14T10:00:00Z' ) )
		).toBe( true );
		expect(
			isWithinOfficeHours( split, at( '2026-01-14T11:30:00Z' ) )
		).toBe( false );
		expect(
			isWithinOfficeHours( split, at( '2026-01-14T12:00:00Z' ) )
		).toBe( true );
		expect( nextOpening( split, at( '2026-01-14T11:30:00Z' ) ) ).toEqual(
			at( '2026-01-14T12:00:00Z' )
		);
	} );

	it( 'runs a range over midnight into the next day', () => {
		// Friday 22:00 to Saturday 02:00.
		const night = officeHours( [
			{ day: 5, start: '22:00', end: '02:00' },
		] );
		// Friday 2026-01-16 23:30 local = 22:30Z.
		expect(
			isWithinOfficeHours( night, at( '2026-01-16T22:30:00Z' ) )
		).toBe( true );
		// Saturday 01:59 local.
		expect(
			isWithinOfficeHours( night, at( '2026-01-17T00:59:00Z' ) )
		).toBe( true );
		// Saturday 02:00 local: closed.
		expect(
			isWithinOfficeHours( night, at( '2026-01-17T01:00:00Z' ) )
		).toBe( false );
		// Friday 21:59 local: not yet.
		expect(
			isWithinOfficeHours( night, at( '2026-01-16T20:59:00Z' ) )
		).toBe( false );
		// Thursday night after midnight is not covered (the range belongs to Friday).
		expect(
			isWithinOfficeHours( night, at( '2026-01-15T23:30:00Z' ) )
		).toBe( false );
	} );

	it( 'treats 24:00 as the end of the day and joins it to a range from 00:00', () => {
		const lateAndEarly = officeHours( [
			{ day: 1, start: '18:00', end: '24:00' },
			{ day: 2, start: '00:00', end: '06:00' },
		] );
		// Monday 23:59 local.
		expect(
			isWithinOfficeHours( lateAndEarly, at( '2026-01-12T22:59:00Z' ) )
		).toBe( true );
		// Tuesday 00:00 local.
		expect(
			isWithinOfficeHours( lateAndEarly, at( '2026-01-12T23:00:00Z' ) )
		).toBe( true );
		// Tuesday 06:00 local.
		expect(
			isWithinOfficeHours( lateAndEarly, at( '2026-01-13T05:00:00Z' ) )
		).toBe( false );
	} );

	describe( 'Europe/Copenhagen spring forward (2026-03-29, 02:00 → 03:00)', () => {
		const sunday = officeHours( [
			{ day: 0, start: '01:00', end: '04:00' },
		] );

		it( 'counts a range across the jump in wall time', () => {
			// 00:59Z = 01:59 CET: open; 01:00Z = 03:00 CEST: still open.
			expect(
				isWithinOfficeHours( sunday, at( '2026-03-29T00:59:00Z' ) )
			).toBe( true );
			expect(
				isWithinOfficeHours( sunday, at( '2026-03-29T01:00:00Z' ) )
			).toBe( true );
			// 02:00Z = 04:00 CEST: closed, two real hours after 01:00 CET.
			expect(
				isWithinOfficeHours( sunday, at( '2026-03-29T02:00:00Z' ) )
			).toBe( false );
		} );

		it( 'opens a range that starts in the skipped hour when the clocks jump', () => {
			const skipped = officeHours( [
				{ day: 0, start: '02:30', end: '05:00' },
			] );
			expect(
				nextOpening( skipped, at( '2026-03-28T12:00:00Z' ) )
			).toEqual( at( '2026-03-29T01:00:00Z' ) );
			expect(
				isWithinOfficeHours( skipped, at( '2026-03-29T00:59:00Z' ) )
			).toBe( false );
			expect(
				isWithinOfficeHours( skipped, at( '2026-03-29T01:00:00Z' ) )
			).toBe( true );
		} );

		it( 'gives the next Monday opening in summer time', () => {
			const workdays = officeHours( weekdays( '09:00', '17:00' ) );
			// Saturday before the change, in winter time.
			expect(
				nextOpening( workdays, at( '2026-03-28T12:00:00Z' ) )
			).toEqual( at( '2026-03-30T07:00:00Z' ) );
		} );
	} );

	describe( 'Europe/Copenhagen fall back (2026-10-25, 03:00 → 02:00)', () => {
		it( 'is open during both occurrences of the repeated hour', () => {
			const repeated = officeHours( [
				{ day: 0, start: '02:00', end: '03:00' },
			] );
			// 00:30Z = 02:30 CEST, 01:30Z = 02:30 CET.
			expect(
				isWithinOfficeHours( repeated, at( '2026-10-25T00:30:00Z' ) )
			).toBe( true );
			expect(
				isWithinOfficeHours( repeated, at( '2026-10-25T01:30:00Z' ) )
			).toBe( true );
			expect(
				isWithinOfficeHours( repeated, at( '2026-10-25T02:00:00Z' ) )
			).toBe( false );
			// Its next opening is the first occurrence.
			expect(
				nextOpening( repeated, at( '2026-10-24T12:00:00Z' ) )
			).toEqual( at( '2026-10-25T00:00:00Z' ) );
		} );

		it( 'gives the next Monday opening in winter time', () => {
			const workdays = officeHours( weekdays( '09:00', '17:00' ) );
			// Friday 2026-10-23 17:00 CEST, before the change.
			expect(
				nextOpening( workdays, at( '2026-10-23T15:00:00Z' ) )
			).toEqual( at( '2026-10-26T08:00:00Z' ) );
		} );
	} );

	it( 'gives the same weekday next week when today’s only range has passed', () => {
		const monday = officeHours( [
			{ day: 1, start: '09:00', end: '10:00' },
		] );
		expect( nextOpening( monday, at( '2026-01-12T09:30:00Z' ) ) ).toEqual(
			at( '2026-01-19T08:00:00Z' )
		);
	} );

	it( 'is never open and has no next opening without ranges', () => {
		const never = officeHours( [] );
		expect(
			isWithinOfficeHours( never, at( '2026-01-12T10:00:00Z' ) )
		).toBe( false );
		expect( nextOpening( never, at( '2026-01-12T10:00:00Z' ) ) ).toBe(
			null
		);
	} );
} );
