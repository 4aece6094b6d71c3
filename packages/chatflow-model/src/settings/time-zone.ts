/**
 * Whether this runtime (the browser, or Node for the service) knows an IANA
 * time zone. WordPress checks against PHP's list of time zones instead.
 *
 * @param zone Time zone, e.g. `Europe/Copenhagen`.
 */
export function isTimeZone( zone: string ): boolean {
	if ( ! zone || ! /^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test( zone ) ) {
		return false;
	}
	try {
		new Intl.DateTimeFormat( 'en-US', { timeZone: zone } ).format( 0 );
		return true;
	} catch {
		return false;
	}
}
