/**
 * The languages Chatflows has texts in: chatflows' texts and saved replies.
 */
import { __ } from '@wordpress/i18n';

/**
 * Language choices, English first.
 *
 * @return `{ value, label }` per locale.
 */
export function textLanguageOptions(): Array< {
	value: 'en_US' | 'da_DK' | 'nl_NL';
	label: string;
} > {
	return [
		{ value: 'en_US', label: __( 'English', 'chatflows' ) },
		{ value: 'da_DK', label: __( 'Danish', 'chatflows' ) },
		{ value: 'nl_NL', label: __( 'Dutch', 'chatflows' ) },
	];
}

/**
 * A locale's name; "Any language" for ''.
 *
 * @param locale `en_US`, `da_DK`, `nl_NL` or ''.
 * @return Its name.
 */
export function textLanguageName( locale: string ): string {
	return (
		textLanguageOptions().find( ( option ) => option.value === locale )
			?.label ?? __( 'Any language', 'chatflows' )
	);
}
