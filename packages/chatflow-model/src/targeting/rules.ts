/**
 * Evaluating targeting rules: one rule, a chatflow's whole target, and the
 * visitor conditions WordPress leaves to the browser. Kept in step with
 * `Targeting_Rules` in PHP by the shared fixtures.
 */
import type {
	TargetFacts,
	TargetResult,
	TargetRule,
	Target,
	VisitorConditions,
	VisitorTraits,
} from './types';
import { queryRuleHolds, urlRuleHolds } from './url';

/**
 * A page language or a rule's language, compared: lower case, `_` as `-`.
 *
 * @param language E.g. `da_DK`.
 */
function languageKey( language: string ): string {
	return language.trim().toLowerCase().replace( /_/g, '-' );
}

/**
 * Whether a visitor rule holds. Rules on the WordPress user do not hold while
 * the user is unknown, whatever their operator.
 *
 * @param rule   Visitor rule.
 * @param traits What the browser knows.
 */
export function visitorRuleHolds(
	rule: TargetRule,
	traits: VisitorTraits
): boolean {
	const value = rule.value.trim();
	const negate = rule.operator === 'is_not';
	switch ( rule.field ) {
		case 'contact':
			return rule.operator === 'is' && traits.contact === value;
		case 'user':
			return (
				rule.operator === 'is' &&
				!! traits.user &&
				traits.user.loggedIn === ( value === 'logged_in' )
			);
		case 'role':
			if ( ! traits.user || ( ! negate && rule.operator !== 'is' ) ) {
				return false;
			}
			return traits.user.roles.includes( value ) !== negate;
		case 'device':
			if ( ! negate && rule.operator !== 'is' ) {
				return false;
			}
			return ( traits.device === value ) !== negate;
		case 'referrer':
			return urlRuleHolds( rule.operator, value, traits.referrer );
		case 'language': {
			if ( ! negate && rule.operator !== 'is' ) {
				return false;
			}
			const page = languageKey( traits.language );
			const wanted = languageKey( value );
			const same =
				page !== '' &&
				( page === wanted || page.startsWith( wanted + '-' ) );
			return same !== negate;
		}
		default:
			return false;
	}
}

/**
 * Whether a rule holds, or null when it is a visitor rule and the visitor is
 * not known here.
 *
 * @param rule  Rule.
 * @param facts The page, and the visitor if known.
 */
export function ruleHolds(
	rule: TargetRule,
	facts: TargetFacts
): boolean | null {
	if ( rule.field === 'url' ) {
		return urlRuleHolds( rule.operator, rule.value, facts.url );
	}
	if ( rule.field === 'query' ) {
		return queryRuleHolds(
			rule.operator,
			rule.name,
			rule.value,
			facts.url
		);
	}
	return facts.traits ? visitorRuleHolds( rule, facts.traits ) : null;
}

/**
 * Evaluates a chatflow's target: an exclusion that holds hides the chat;
 * otherwise all pages, or the first group whose rules all hold, shows it.
 * Visitor rules that cannot be decided here are left as conditions.
 *
 * @param target The chatflow's target settings.
 * @param facts  The page, and the visitor if known.
 */
export function evaluateTarget(
	target: Target,
	facts: TargetFacts
): TargetResult {
	const pendingExclusions: TargetRule[] = [];
	for ( const [ index, rule ] of target.exclude.entries() ) {
		const holds = ruleHolds( rule, facts );
		if ( holds === true ) {
			return { result: 'no', decidedBy: { kind: 'exclude', index } };
		}
		if ( holds === null ) {
			pendingExclusions.push( rule );
		}
	}

	const groups: Array< { index: number; rest: TargetRule[] } > = [];
	if ( target.allPages ) {
		groups.push( { index: -1, rest: [] } );
	} else {
		target.include.forEach( ( group, index ) => {
			const rest: TargetRule[] = [];
			for ( const rule of group.rules ) {
				const holds = ruleHolds( rule, facts );
				if ( holds === false ) {
					return;
				}
				if ( holds === null ) {
					rest.push( rule );
				}
			}
			groups.push( { index, rest } );
		} );
	}
	if ( groups.length === 0 ) {
		return { result: 'no', decidedBy: { kind: 'no_match' } };
	}

	const settled = groups.find( ( group ) => group.rest.length === 0 );
	if ( settled && pendingExclusions.length === 0 ) {
		return {
			result: 'yes',
			decidedBy:
				settled.index < 0
					? { kind: 'all_pages' }
					: { kind: 'include', index: settled.index },
		};
	}
	return {
		result: 'maybe',
		decidedBy: { kind: 'visitor_rules' },
		conditions: {
			groups: settled ? [ [] ] : groups.map( ( group ) => group.rest ),
			exclude: pendingExclusions,
		},
	};
}

/**
 * Whether the visitor conditions WordPress left to the browser hold.
 *
 * @param conditions Visitor conditions.
 * @param traits     What the browser knows.
 */
export function conditionsHold(
	conditions: VisitorConditions,
	traits: VisitorTraits
): boolean {
	return (
		! conditions.exclude.some( ( rule ) =>
			visitorRuleHolds( rule, traits )
		) &&
		conditions.groups.some( ( group ) =>
			group.every( ( rule ) => visitorRuleHolds( rule, traits ) )
		)
	);
}

/**
 * Whether any of the conditions is about the WordPress user (then the loader
 * asks WordPress who the visitor is).
 *
 * @param conditions Visitor conditions.
 */
export function needsUser( conditions: VisitorConditions ): boolean {
	return [ ...conditions.exclude, ...conditions.groups.flat() ].some(
		( rule ) => rule.field === 'user' || rule.field === 'role'
	);
}
