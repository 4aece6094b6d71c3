/**
 * Office hours: `HH:MM` times and the rules of a day's ranges, as the admin's
 * form, the chat service and WordPress (`Chatflow_Settings`, its own PHP,
 * held equal by the shared fixtures in test/fixtures/settings) check them.
 */

/** `HH:MM`, 24-hour, from 00:00 to 23:59, or `24:00` (the end of the day). */
export const TIME_OF_DAY_PATTERN = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

/** Minutes in a day: `24:00`. */
export const END_OF_DAY = 24 * 60;

/**
 * Minutes since midnight of an `HH:MM` time (`24:00` is 1440), or null when
 * it is not one.
 *
 * @param time `HH:MM`, 24-hour.
 */
export function minutesOf( time: string ): number | null {
	const match = TIME_OF_DAY_PATTERN.exec( time );
	if ( ! match ) {
		return null;
	}
	return match[ 1 ]
		? Number( match[ 1 ] ) * 60 + Number( match[ 2 ] )
		: END_OF_DAY;
}

/** What is wrong with a range of office hours (`day` names the overlapped day). */
export type OfficeHoursIssue =
	| { code: 'start_time' }
	| { code: 'end_time' }
	| { code: 'range_empty' }
	| { code: 'range_inverted' }
	| { code: 'range_overlap'; day: number };

interface Range {
	day: number;
	start: string;
	end: string;
}

/**
 * Every issue of a list of office-hour ranges, by path: each time an `HH:MM`
 * (a start before 24:00), each end after its start, and no range starting
 * inside an earlier-starting range of the same day (the later one is named;
 * ranges may touch).
 *
 * @param hours Ranges, in any order.
 * @param path  Path of the list, e.g. `settings.availability.hours`.
 */
export function officeHoursIssues(
	hours: readonly Range[],
	path: string
): Record< string, OfficeHoursIssue > {
	const issues: Record< string, OfficeHoursIssue > = {};
	const valid: Array< {
		index: number;
		day: number;
		start: number;
		end: number;
	} > = [];
	hours.forEach( ( range, index ) => {
		const at = `${ path }[${ index }]`;
		const start = minutesOf( range.start );
		const end = minutesOf( range.end );
		if ( start === null || start === END_OF_DAY ) {
			issues[ `${ at }.start` ] = { code: 'start_time' };
		}
		if ( end === null ) {
			issues[ `${ at }.end` ] = { code: 'end_time' };
		}
		if ( start === null || end === null || start === END_OF_DAY ) {
			return;
		}
		if ( end === start ) {
			issues[ `${ at }.end` ] = { code: 'range_empty' };
		} else if ( end < start ) {
			issues[ `${ at }.end` ] = { code: 'range_inverted' };
		} else {
			valid.push( { index, day: range.day, start, end } );
		}
	} );
	// By day and start (then list order): a range overlaps when it starts before an earlier one ends.
	valid.sort(
		( a, b ) => a.day - b.day || a.start - b.start || a.index - b.index
	);
	let latestEnd = 0;
	valid.forEach( ( range, position ) => {
		if ( position === 0 || valid[ position - 1 ].day !== range.day ) {
			latestEnd = 0;
		}
		if ( range.start < latestEnd ) {
			issues[ `${ path }[${ range.index }].start` ] = {
				code: 'range_overlap',
				day: range.day,
			};
		}
		latestEnd = Math.max( latestEnd, range.end );
	} );
	return issues;
}
