/**
 * The save-time checks of a chatflow's target, as codes by field path (the
 * admin turns codes into translated messages; WordPress runs the same checks
 * in `Targeting_Rules::validate()` and stays the judge).
 */
import type { Target, TargetField, TargetOperator, TargetRule } from './types';

/** Operators each field takes. */
export const OPERATORS: Record< TargetField, readonly TargetOperator[] > = {
	url: [
		'is',
		'is_not',
		'contains',
		'not_contains',
		'starts_with',
		'ends_with',
		'matches',
	],
	query: [ 'equals', 'contains', 'present' ],
	contact: [ 'is' ],
	user: [ 'is' ],
	role: [ 'is', 'is_not' ],
	device: [ 'is', 'is_not' ],
	referrer: [
		'is',
		'is_not',
		'contains',
		'not_contains',
		'starts_with',
		'ends_with',
		'matches',
	],
	language: [ 'is', 'is_not' ],
};

/** The values of the fields that are a choice. */
export const CHOICES: Partial< Record< TargetField, readonly string[] > > = {
	contact: [ 'known', 'unknown' ],
	user: [ 'logged_in', 'logged_out' ],
	device: [ 'desktop', 'tablet', 'mobile' ],
};

/** The most wildcards a pattern may have (each one costs matching time). */
export const MAX_WILDCARDS = 4;

export type TargetErrorCode =
	| 'field'
	| 'operator'
	| 'required'
	| 'spaces'
	| 'query_in_url'
	| 'url_start'
	| 'pattern_start'
	| 'pattern_double_wildcard'
	| 'pattern_wildcards'
	| 'name_required'
	| 'name_characters'
	| 'choice'
	| 'language'
	| 'role'
	| 'rules_required';

const FULL_URL = /^https?:\/\/[^/\s*]+/i;

/**
 * The error of a URL or referrer value, if any.
 *
 * @param operator Operator.
 * @param value    Value.
 */
function urlValueError(
	operator: TargetOperator,
	value: string
): TargetErrorCode | null {
	if ( value === '' ) {
		return 'required';
	}
	if ( /\s/.test( value ) ) {
		return 'spaces';
	}
	if ( /[?#]/.test( value ) ) {
		return 'query_in_url';
	}
	if ( operator === 'matches' ) {
		if ( ! /^(?:\/|\*|https?:\/\/)/i.test( value ) ) {
			return 'pattern_start';
		}
		if ( value.includes( '**' ) ) {
			return 'pattern_double_wildcard';
		}
		if ( value.split( '*' ).length - 1 > MAX_WILDCARDS ) {
			return 'pattern_wildcards';
		}
		return null;
	}
	if (
		[ 'is', 'is_not', 'starts_with' ].includes( operator ) &&
		! ( value.startsWith( '/' ) || FULL_URL.test( value ) )
	) {
		return 'url_start';
	}
	return null;
}

/**
 * Errors of one rule, by the rule's field name (`field`, `operator`, `name`, `value`).
 *
 * @param rule Rule.
 */
export function ruleErrors(
	rule: TargetRule
): Partial< Record< keyof TargetRule, TargetErrorCode > > {
	const operators = OPERATORS[ rule.field ] as
		readonly TargetOperator[] | undefined;
	if ( ! operators ) {
		return { field: 'field' };
	}
	if ( ! operators.includes( rule.operator ) ) {
		return { operator: 'operator' };
	}
	const value = rule.value.trim();
	const name = rule.name.trim();
	const choices = CHOICES[ rule.field ];
	let error: TargetErrorCode | null = null;
	switch ( rule.field ) {
		case 'url':
		case 'referrer':
			error = urlValueError( rule.operator, value );
			break;
		case 'query':
			if ( name === '' ) {
				return { name: 'name_required' };
			}
			if ( /[=&#]/.test( name ) ) {
				return { name: 'name_characters' };
			}
			error =
				rule.operator === 'contains' && value === ''
					? 'required'
					: null;
			break;
		case 'role':
			error = /^[A-Za-z0-9_-]{1,60}$/.test( value ) ? null : 'role';
			break;
		case 'language':
			error = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/.test( value )
				? null
				: 'language';
			break;
		default:
			error = choices?.includes( value ) ? null : 'choice';
	}
	return error ? { value: error } : {};
}

/**
 * Every error of a target, by path, e.g.
 * `settings.target.include[0].rules[1].value`.
 *
 * @param target Target settings.
 * @param path   Path of the target.
 */
export function validateTarget(
	target: Target,
	path = 'settings.target'
): Record< string, TargetErrorCode > {
	const errors: Record< string, TargetErrorCode > = {};
	const addRule = ( rule: TargetRule, rulePath: string ) => {
		for ( const [ key, code ] of Object.entries( ruleErrors( rule ) ) ) {
			errors[ `${ rulePath }.${ key }` ] = code;
		}
	};
	target.include.forEach( ( group, index ) => {
		const groupPath = `${ path }.include[${ index }]`;
		if ( group.rules.length === 0 ) {
			errors[ `${ groupPath }.rules` ] = 'rules_required';
		}
		group.rules.forEach( ( rule, ruleIndex ) =>
			addRule( rule, `${ groupPath }.rules[${ ruleIndex }]` )
		);
	} );
	target.exclude.forEach( ( rule, index ) =>
		addRule( rule, `${ path }.exclude[${ index }]` )
	);
	return errors;
}
