/**
 * Availability of a chatflow at one instant: a pure function of the
 * chatflow's rule, the instant and the agents that could answer. Whether
 * office hours are open, and when they next open, is the settings' own rule
 * (`@chatflows/chatflow-model`), which the admin's form is tested against.
 */
import type { AvailabilityRule, AvailabilityState } from '@chatflows/protocol';
import {
	canonicalTimeZoneName,
	isTimeZone,
	isWithinOfficeHours,
	nextOpening,
} from '@chatflows/chatflow-model';

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
	const zone = canonicalTimeZoneName( timeZone );
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
