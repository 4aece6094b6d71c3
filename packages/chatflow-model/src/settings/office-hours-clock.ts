/**
 * Office hours against the clock: whether a chatflow's office hours are open
 * at an instant, and when they next open. The chat service decides a
 * chatflow's availability with it; the admin's form is tested against it.
 *
 * Office hours are wall-clock times in an IANA time zone. Every conversion
 * goes through `Intl` with that zone, never the machine's zone, so daylight
 * saving changes are handled by the same tables the browser uses: a range
 * starting inside a skipped hour opens when the clocks jump, and a range
 * over a repeated hour is open both times.
 */
import { minutesOf } from './office-hours';
import type { OfficeHoursRange } from './settings-types';

/** Office hours in a zone: the settings' `availability.timeZone` and `availability.hours`. */
export interface OfficeHours {
	/** IANA zone, e.g. `Europe/Copenhagen`. */
	timeZone: string;
	hours: readonly OfficeHoursRange[];
}

const MINUTES_PER_DAY = 24 * 60;
const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = MINUTES_PER_DAY * MS_PER_MINUTE;

/**
 * Minutes since midnight of a range's `HH:MM` time; the settings were
 * validated, so anything else is a bug to report, not a time to guess.
 *
 * @param time `HH:MM`, `24:00` allowed.
 * @return Minutes, 0–1440.
 */
function minutesOfDay( time: string ): number {
	const minutes = minutesOf( time );
	if ( minutes === null ) {
		throw new RangeError( `Not a time of day: ${ time }` );
	}
	return minutes;
}

interface WallTime {
	year: number;
	month: number;
	day: number;
	weekday: number;
	/** Minutes since local midnight. */
	minutes: number;
	/** The wall time read as if it were UTC, in milliseconds (seconds dropped). */
	asUtc: number;
}

const formatters = new Map< string, Intl.DateTimeFormat >();

function formatterFor( timeZone: string ): Intl.DateTimeFormat {
	let formatter = formatters.get( timeZone );
	if ( ! formatter ) {
		formatter = new Intl.DateTimeFormat( 'en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: 'numeric',
			day: 'numeric',
			hour: 'numeric',
			minute: 'numeric',
		} );
		formatters.set( timeZone, formatter );
	}
	return formatter;
}

/**
 * The wall-clock time in a zone at an instant.
 *
 * @param instant  Milliseconds since the epoch.
 * @param timeZone IANA zone.
 * @return The local date and time.
 */
function wallTimeAt( instant: number, timeZone: string ): WallTime {
	const parts: Record< string, number > = {};
	for ( const part of formatterFor( timeZone ).formatToParts( instant ) ) {
		if ( part.type !== 'literal' ) {
			parts[ part.type ] = Number( part.value );
		}
	}
	const asUtc = Date.UTC(
		parts.year,
		parts.month - 1,
		parts.day,
		parts.hour,
		parts.minute
	);
	return {
		year: parts.year,
		month: parts.month,
		day: parts.day,
		weekday: new Date( asUtc ).getUTCDay(),
		minutes: parts.hour * 60 + parts.minute,
		asUtc,
	};
}

/**
 * The first instant at which the zone's clocks show a wall time or later.
 * An ambiguous wall time (clocks turned back) gives its first occurrence; a
 * skipped one (clocks turned forward) gives the moment of the jump.
 *
 * @param wallAsUtc The wall time read as if it were UTC, in milliseconds.
 * @param timeZone  IANA zone.
 * @return Milliseconds since the epoch.
 */
function instantOfWallTime( wallAsUtc: number, timeZone: string ): number {
	const offsetAt = ( instant: number ): number =>
		wallTimeAt( instant, timeZone ).asUtc -
		Math.floor( instant / MS_PER_MINUTE ) * MS_PER_MINUTE;
	// Offsets a day either side cover any single transition near the wall time.
	const candidates = [
		wallAsUtc - offsetAt( wallAsUtc - MS_PER_DAY ),
		wallAsUtc - offsetAt( wallAsUtc + MS_PER_DAY ),
	].sort( ( a, b ) => a - b );
	for ( const candidate of candidates ) {
		if ( wallTimeAt( candidate, timeZone ).asUtc === wallAsUtc ) {
			return candidate;
		}
	}
	// Skipped wall time: search the minute the clocks jump past it.
	let low = candidates[ 0 ];
	let high = candidates[ 1 ];
	while ( high - low > MS_PER_MINUTE ) {
		const middle =
			low +
			Math.floor( ( high - low ) / 2 / MS_PER_MINUTE ) * MS_PER_MINUTE;
		if ( wallTimeAt( middle, timeZone ).asUtc >= wallAsUtc ) {
			high = middle;
		} else {
			low = middle;
		}
	}
	return high;
}

/**
 * Whether office hours are open at a wall time. A range whose end is not
 * after its start runs over midnight into the next day.
 *
 * @param hours   The ranges.
 * @param weekday Local weekday, 0 = Sunday.
 * @param minutes Local minutes since midnight.
 * @return True when some range covers it.
 */
function isWithinHours(
	hours: readonly OfficeHoursRange[],
	weekday: number,
	minutes: number
): boolean {
	const previousDay = ( weekday + 6 ) % 7;
	return hours.some( ( range ) => {
		const start = minutesOfDay( range.start );
		const end = minutesOfDay( range.end );
		if ( end > start ) {
			return range.day === weekday && minutes >= start && minutes < end;
		}
		return (
			( range.day === weekday && minutes >= start ) ||
			( range.day === previousDay && minutes < end )
		);
	} );
}

/**
 * Whether office hours are open at an instant.
 *
 * @param officeHours Office hours in a zone.
 * @param instant     The instant.
 * @return True when open.
 */
export function isWithinOfficeHours(
	officeHours: OfficeHours,
	instant: Date
): boolean {
	const wall = wallTimeAt( instant.getTime(), officeHours.timeZone );
	return isWithinHours( officeHours.hours, wall.weekday, wall.minutes );
}

/**
 * When office hours next open after an instant, or null when no range is set.
 *
 * @param officeHours Office hours in a zone.
 * @param instant     The instant.
 * @return The opening instant, strictly after `instant`.
 */
export function nextOpening(
	officeHours: OfficeHours,
	instant: Date
): Date | null {
	const { timeZone, hours } = officeHours;
	const now = instant.getTime();
	const today = wallTimeAt( now, timeZone );
	const todayMidnight = Date.UTC( today.year, today.month - 1, today.day );
	let best: number | null = null;
	// Eight days reach the same weekday next week, even past a range that opened minutes ago.
	for ( let offset = 0; offset <= 8; offset++ ) {
		const midnight = todayMidnight + offset * MS_PER_DAY;
		const weekday = new Date( midnight ).getUTCDay();
		for ( const range of hours ) {
			if ( range.day !== weekday ) {
				continue;
			}
			const start = instantOfWallTime(
				midnight + minutesOfDay( range.start ) * MS_PER_MINUTE,
				timeZone
			);
			if ( start > now && ( best === null || start < best ) ) {
				best = start;
			}
		}
		if ( best !== null ) {
			break;
		}
	}
	return best === null ? null : new Date( best );
}
