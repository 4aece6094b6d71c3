/**
 * Whether this runtime (the browser, or Node for the service) knows an IANA
 * time zone. WordPress checks against PHP's list of time zones instead.
 */

/**
 * The runtime's name for a time zone (its canonical spelling), or '' when it
 * knows none by that name.
 *
 * @param zone Time zone, e.g. `Europe/Copenhagen`.
 */
export function canonicalTimeZoneName( zone: string ): string {
	if ( ! zone || ! /^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test( zone ) ) {
		return '';
	}
	try {
		// Building the format checks the zone: an unknown one throws.
		return new Intl.DateTimeFormat( 'en-US', {
			timeZone: zone,
		} ).resolvedOptions().timeZone;
	} catch {
		return '';
	}
}

/**
 * Whether this runtime knows an IANA time zone.
 *
 * @param zone Time zone, e.g. `Europe/Copenhagen`.
 */
export function isTimeZone( zone: string ): boolean {
	return canonicalTimeZoneName( zone ) !== '';
}
