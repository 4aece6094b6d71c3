/**
 * Filling in the placeholders of translated texts, and the formats that
 * follow the chat's language.
 */

/**
 * Replaces `%s` (in order) and `%1$s`, `%2$s`… (by position) in a translated text.
 *
 * @param template The text.
 * @param values   Values, in placeholder order.
 * @return The text filled in.
 */
export function fill(
	template: string,
	...values: Array< string | number >
): string {
	let next = 0;
	return template.replace( /%(?:(\d+)\$)?s/g, ( placeholder, position ) => {
		const index = position ? Number( position ) - 1 : next++;
		return index < values.length ? String( values[ index ] ) : placeholder;
	} );
}

/**
 * The BCP 47 tag of a WordPress locale (`da_DK` → `da-DK`).
 *
 * @param locale WordPress locale.
 */
export function languageTag( locale: string ): string {
	return locale.replace( /_/g, '-' );
}

/**
 * When office hours begin again, in the visitor's own time zone and the chat's language,
 * e.g. "Monday 09:00".
 *
 * @param iso      ISO 8601 instant.
 * @param locale   The chat's locale (WordPress or BCP 47).
 * @param timeZone IANA zone; the browser's own when omitted.
 */
export function formatReturnTime(
	iso: string,
	locale: string,
	timeZone?: string
): string {
	const date = new Date( iso );
	if ( Number.isNaN( date.getTime() ) ) {
		return '';
	}
	const format = ( tag: string ) =>
		new Intl.DateTimeFormat( tag, {
			weekday: 'long',
			hour: 'numeric',
			minute: '2-digit',
			timeZone,
		} ).format( date );
	try {
		return format( languageTag( locale ) );
	} catch {
		return format( 'en' );
	}
}

/**
 * An estimated wait in whole minutes (at least one), e.g. "3 minutes".
 *
 * @param seconds Estimated wait.
 * @param locale  The chat's locale.
 */
export function formatWait( seconds: number, locale: string ): string {
	const minutes = Math.max( 1, Math.round( seconds / 60 ) );
	const format = ( tag: string ) =>
		new Intl.NumberFormat( tag, {
			style: 'unit',
			unit: 'minute',
			unitDisplay: 'long',
		} ).format( minutes );
	try {
		return format( languageTag( locale ) );
	} catch {
		return format( 'en' );
	}
}

/**
 * Whether an address looks like an e-mail address the chat service accepts.
 *
 * @param email Address typed.
 */
export function isEmailAddress( email: string ): boolean {
	const value = email.trim();
	return (
		value.length <= 254 &&
		/^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]{2,}$/.test( value )
	);
}
