/**
 * The messages a person reads for the Target tab's checks (the targeting
 * engine's codes; WordPress runs the same checks in `Targeting_Rules::validate()`).
 */
import { __, sprintf } from '@wordpress/i18n';

import { MAX_WILDCARDS, type TargetErrorCode } from '@chatflows/chatflow-model';

/**
 * The message of an error code.
 *
 * @param code Code from the rule engine's checks.
 */
export function targetErrorMessage( code: TargetErrorCode ): string {
	switch ( code ) {
		case 'field':
			return __( 'Choose what the rule looks at.', 'chatflows' );
		case 'operator':
			return __(
				'Choose a comparison this kind of rule offers.',
				'chatflows'
			);
		case 'required':
			return __( 'Enter a value.', 'chatflows' );
		case 'spaces':
			return __(
				'A URL has no spaces: write a space as %20.',
				'chatflows'
			);
		case 'query_in_url':
			return __(
				'Leave out the part from ? or #: use a query parameter rule for parameters.',
				'chatflows'
			);
		case 'url_start':
			return __(
				'Start with / for a path on any of your sites, or with http:// or https:// for a full address.',
				'chatflows'
			);
		case 'pattern_start':
			return __(
				'Start the pattern with /, with * or with http:// or https://, e.g. /blog/*.',
				'chatflows'
			);
		case 'pattern_double_wildcard':
			return __(
				'Use a single * for any characters: ** is not a pattern.',
				'chatflows'
			);
		case 'pattern_wildcards':
			return sprintf(
				/* translators: %d: most wildcards in a pattern. */
				__( 'Use at most %d wildcards (*) in a pattern.', 'chatflows' ),
				MAX_WILDCARDS
			);
		case 'name_required':
			return __(
				'Enter the name of the query parameter, e.g. utm_source.',
				'chatflows'
			);
		case 'name_characters':
			return __(
				"Enter only the parameter's name, without =, & or #.",
				'chatflows'
			);
		case 'choice':
			return __( 'Choose one of the offered values.', 'chatflows' );
		case 'language':
			return __(
				'Enter a language code such as da or da-DK.',
				'chatflows'
			);
		case 'role':
			return __( 'Choose a role.', 'chatflows' );
		case 'rules_required':
			return __(
				'Add a rule to this group, or remove the group.',
				'chatflows'
			);
	}
}
