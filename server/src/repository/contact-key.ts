/**
 * How contacts are matched, the same in every database.
 */

/**
 * The key contacts are matched by: trimmed and lower-cased, so
 * ` Ann@Example.com` and `ann@example.com` are one contact.
 *
 * @param email An e-mail address.
 * @return The key.
 */
export function contactEmailKey( email: string ): string {
	return email.trim().toLowerCase();
}
