/**
 * The language wp-admin is shown in, as a BCP 47 tag for `Intl`: WordPress
 * writes the user's locale into `<html lang>` (e.g. `da-DK`). Undefined, so
 * the browser's own, when the page names none.
 *
 * @return The tag, or undefined.
 */
export function adminLocale(): string | undefined {
	return document.documentElement.lang || undefined;
}
