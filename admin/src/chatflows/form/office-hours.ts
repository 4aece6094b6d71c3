/**
 * Office hours as a person writes them: one row for several days ("Monday to
 * Friday, 09:00 to 17:00"). The stored settings keep one range per day (the
 * format the service evaluates and older versions saved), so rows are read
 * from the stored ranges and written back as ranges: nothing to migrate.
 */
import { __ } from '@wordpress/i18n';

import type { OfficeHoursRange } from '@chatflows/chatflow-model';

/** Days of several: every day, Monday to Friday, Saturday and Sunday. */
export const DAY_SETS = {
	every_day: [ 1, 2, 3, 4, 5, 6, 0 ],
	weekdays: [ 1, 2, 3, 4, 5 ],
	weekend: [ 6, 0 ],
} as const;

/** A row's days: a set of days, or one day ('0' Sunday … '6' Saturday, as JavaScript counts). */
export type RowDays = keyof typeof DAY_SETS | `${ number }`;

/** One row of the editor: days and the hours they share. */
export interface OfficeHoursRow {
	days: RowDays;
	start: string;
	end: string;
	/** Where the row's ranges are in the stored list (for their errors). */
	indexes: number[];
}

/** The days of the week by JavaScript's number (0 is Sunday), translated. */
export function dayNames(): string[] {
	return [
		__( 'Sunday', 'chatflows' ),
		__( 'Monday', 'chatflows' ),
		__( 'Tuesday', 'chatflows' ),
		__( 'Wednesday', 'chatflows' ),
		__( 'Thursday', 'chatflows' ),
		__( 'Friday', 'chatflows' ),
		__( 'Saturday', 'chatflows' ),
	];
}

/**
 * The choices of a row's days, sets first, then each day from Monday.
 *
 * @return Value and label of each choice.
 */
export function dayChoices(): Array< { value: RowDays; label: string } > {
	const names = dayNames();
	return [
		{ value: 'every_day', label: __( 'Every day', 'chatflows' ) },
		{ value: 'weekdays', label: __( 'Monday to Friday', 'chatflows' ) },
		{ value: 'weekend', label: __( 'Weekend', 'chatflows' ) },
		...[ 1, 2, 3, 4, 5, 6, 0 ].map( ( day ) => ( {
			value: String( day ) as RowDays,
			label: names[ day ],
		} ) ),
	];
}

/**
 * The days a row covers.
 *
 * @param days The row's days.
 * @return Day numbers (0 is Sunday).
 */
export function daysOf( days: RowDays ): number[] {
	return days in DAY_SETS
		? [ ...DAY_SETS[ days as keyof typeof DAY_SETS ] ]
		: [ Number( days ) ];
}

/**
 * Rows for stored ranges: ranges next to each other with the same hours
 * become one row when their days make a set (every day, Monday to Friday,
 * the weekend); the rest stay one row per day.
 *
 * @param hours Stored ranges.
 * @return The rows, covering every range once.
 */
export function rowsOf( hours: OfficeHoursRange[] ): OfficeHoursRow[] {
	const rows: OfficeHoursRow[] = [];
	let at = 0;
	while ( at < hours.length ) {
		const { start, end } = hours[ at ];
		// The run: following ranges with the same hours, each day once.
		const run = new Map< number, number >();
		while (
			at < hours.length &&
			hours[ at ].start === start &&
			hours[ at ].end === end &&
			! run.has( hours[ at ].day )
		) {
			run.set( hours[ at ].day, at );
			at++;
		}
		for ( const set of [ 'every_day', 'weekdays', 'weekend' ] as const ) {
			if ( DAY_SETS[ set ].every( ( day ) => run.has( day ) ) ) {
				rows.push( {
					days: set,
					start,
					end,
					indexes: DAY_SETS[ set ].map( ( day ) => run.get( day )! ),
				} );
				DAY_SETS[ set ].forEach( ( day ) => run.delete( day ) );
			}
		}
		for ( const [ day, index ] of [ ...run ].sort(
			( a, b ) => a[ 1 ] - b[ 1 ]
		) ) {
			rows.push( {
				days: String( day ) as RowDays,
				start,
				end,
				indexes: [ index ],
			} );
		}
	}
	return rows;
}

/**
 * The stored ranges of rows: one per day of each row.
 *
 * @param rows The rows.
 * @return Ranges, in the rows' order.
 */
export function rangesOf(
	rows: Array< Pick< OfficeHoursRow, 'days' | 'start' | 'end' > >
): OfficeHoursRange[] {
	return rows.flatMap( ( row ) =>
		daysOf( row.days ).map( ( day ) => ( {
			day,
			start: row.start,
			end: row.end,
		} ) )
	);
}

/**
 * What a time input shows for a stored end: the end of the day (24:00) is
 * midnight, 00:00, which a time input can hold.
 *
 * @param end Stored end.
 */
export function endForInput( end: string ): string {
	return end === '24:00' ? '00:00' : end;
}

/**
 * What is stored for a time input's end: an end at 00:00 closes at midnight,
 * the end of the day.
 *
 * @param value The input's value.
 */
export function endFromInput( value: string ): string {
	return value === '00:00' ? '24:00' : value;
}
