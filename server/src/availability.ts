/**
 * Availability of a chatflow at one instant: a pure function of the
 * chatflow's rule, the instant and the agents that could answer.
 *
 * Office hours are wall-clock times in an IANA time zone. Every conversion
 * goes through `Intl` with that zone, never the machine's zone, so daylight
 * saving changes are handled by the same tables the browser uses: a range
 * starting inside a skipped hour opens when the clocks jump, and a range
 * over a repeated hour is open both times.
 */
import type {
	AvailabilityRule,
	AvailabilityState,
	OfficeHoursRange,
} from '@chatflows/protocol';
import { isTimeZone, minutesOf } from '@chatflows/chatflow-model';

export type { AvailabilityState };

/** The agents that could answer a chatflow's visitors right now. */
export interface AgentPool {
	/** Assignable agents connected and not away. */
	available: number;
	/** Of those, how many still have room below their capacity. */
	withRoom: number;
	/** Assignable agents connected but set to away. */
	away: number;
}

export interface AvailabilityResult {
	state: AvailabilityState;
	/** When office hours next begin (ISO 8601, UTC) while `offline` by office hours; otherwise null. */
	nextReturnAt: string | null;
}

const MINUTES_PER_DAY = 24 * 60;
const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = MINUTES_PER_DAY * MS_PER_MINUTE;

/**
 * Minutes since midnight of a `HH:MM` time (the settings' own reading, see
 * packages/chatflow-model).
 *
 * @param time `HH:MM`, `24:00` allowed.
 * @return Minutes, 0–1440.
 */
export function minutesOfDay( time: string ): number {
	const minutes = minutesOf( time );
	if ( minutes === null ) {
		throw new RangeError( `Not a time of day: ${ time }` );
	}
	return minutes;
}

/** Answers of `canonicalTimeZone` so far (names from visitors included). */
const canonicalZones = new Map< string, string >();

/** More distinct names than there are IANA zones means made-up ones: stop keeping them. */
const MAX_REMEMBERED_ZONES = 1000;

/**
 * The runtime's name for a time zone, or '' when it knows none by that name.
 * Building an `Intl.DateTimeFormat` was a tenth of a node's CPU while it
 * admitted another node's visitors, so each answer is remembered.
 *
 * @param timeZone An IANA name such as `Europe/Copenhagen`.
 * @return The canonical name, or ''.
 */
export function canonicalTimeZone( timeZone: string ): string {
	const known = canonicalZones.get( timeZone );
	if ( known !== undefined ) {
		return known;
	}
	// The settings' rule decides which names count; the runtime names them.
	const zone = isTimeZone( timeZone )
		? new Intl.DateTimeFormat( 'en-US', { timeZone } ).resolvedOptions()
				.timeZone
		: '';
	if ( canonicalZones.size < MAX_REMEMBERED_ZONES ) {
		canonicalZones.set( timeZone, zone );
	}
	return zone;
}

/**
 * Whether a string names a time zone this runtime knows (the settings' own
 * check, see packages/chatflow-model).
 */
export const isValidTimeZone = isTimeZone;

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
	hours: OfficeHoursRange[],
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
 * @param rule          Office hours in a zone.
 * @param rule.timeZone IANA zone.
 * @param rule.hours    The ranges.
 * @param instant       The instant.
 * @return True when open.
 */
export function isWithinOfficeHours(
	rule: { timeZone: string; hours: OfficeHoursRange[] },
	instant: Date
): boolean {
	const wall = wallTimeAt( instant.getTime(), rule.timeZone );
	return isWithinHours( rule.hours, wall.weekday, wall.minutes );
}

/**
 * When office hours next open after an instant, or null when no range is set.
 *
 * @param rule          Office hours in a zone.
 * @param rule.timeZone IANA zone.
 * @param rule.hours    The ranges.
 * @param instant       The instant.
 * @return The opening instant, strictly after `instant`.
 */
export function nextOpening(
	rule: { timeZone: string; hours: OfficeHoursRange[] },
	instant: Date
): Date | null {
	const now = instant.getTime();
	const today = wallTimeAt( now, rule.timeZone );
	const todayMidnight = Date.UTC( today.year, today.month - 1, today.day );
	let best: number | null = null;
	// Eight days reach the same weekday next week, even past a range that opened minutes ago.
	for ( let offset = 0; offset <= 8; offset++ ) {
		const midnight = todayMidnight + offset * MS_PER_DAY;
		const weekday = new Date( midnight ).getUTCDay();
		for ( const range of rule.hours ) {
			if ( range.day !== weekday ) {
				continue;
			}
			const start = instantOfWallTime(
				midnight + minutesOfDay( range.start ) * MS_PER_MINUTE,
				rule.timeZone
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

/**
 * Availability of a chatflow.
 *
 * - `always`: never offline or away; `at_capacity` when agents are available
 *   but every one of them is full.
 * - `users`: `available` while an assignable agent is connected and not away,
 *   `away` when they are all away, `offline` when none is connected.
 * - `office_hours`: `offline` outside the hours, with `nextReturnAt`; inside,
 *   `away` without an available agent, `at_capacity` when all are full.
 *
 * @param rule    The chatflow's rule.
 * @param instant The instant to evaluate.
 * @param pool    The agents that could answer.
 * @return The state and, when offline by office hours, the next opening.
 */
export function evaluateAvailability(
	rule: AvailabilityRule,
	instant: Date,
	pool: AgentPool
): AvailabilityResult {
	const full = pool.available > 0 && pool.withRoom === 0;
	switch ( rule.mode ) {
		case 'always':
			return {
				state: full ? 'at_capacity' : 'available',
				nextReturnAt: null,
			};
		case 'users':
			if ( pool.available === 0 ) {
				return {
					state: pool.away > 0 ? 'away' : 'offline',
					nextReturnAt: null,
				};
			}
			return {
				state: full ? 'at_capacity' : 'available',
				nextReturnAt: null,
			};
		case 'office_hours': {
			if ( ! isWithinOfficeHours( rule, instant ) ) {
				const opening = nextOpening( rule, instant );
				return {
					state: 'offline',
					nextReturnAt: opening ? opening.toISOString() : null,
				};
			}
			if ( pool.available === 0 ) {
				return { state: 'away', nextReturnAt: null };
			}
			return {
				state: full ? 'at_capacity' : 'available',
				nextReturnAt: null,
			};
		}
	}
}
