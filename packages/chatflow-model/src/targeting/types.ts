/**
 * Targeting rules: where a chatflow shows. The shapes are the generated ones of the `target`
 * settings of `plugin/schema/chatflow-settings.json`, which WordPress
 * validates; `plugin/targeting/class-targeting-rules.php` is the PHP twin of this
 * folder's evaluator, and both pass the fixtures in `test/fixtures/targeting`.
 */

import type {
	ChatflowSettings,
	TargetGroup,
	TargetRule,
} from '../settings/settings-types';

/** One rule (`name` is the query parameter's name) and a group whose rules must all hold: the schema's own types. */
export type { TargetGroup, TargetRule };

export type TargetField = TargetRule[ 'field' ];

export type TargetOperator = TargetRule[ 'operator' ];

/** A chatflow's `target` settings. */
export type Target = ChatflowSettings[ 'target' ];

/** Device kinds, by viewport and user agent. */
export type Device = 'desktop' | 'tablet' | 'mobile';

/** What the browser knows about the visitor. */
export interface VisitorTraits {
	/** The visitor gave their e-mail address in the chat (a contact). */
	contact: 'known' | 'unknown';
	device: Device;
	/** `document.referrer`; empty for direct visits. */
	referrer: string;
	/** The page's language, from `<html lang>`, e.g. `da-DK`. */
	language: string;
	/** The WordPress user; absent until asked (rules on it do not hold while unknown). */
	user?: { loggedIn: boolean; roles: string[] };
}

/**
 * What remains of a chatflow's rules once the page-level ones are settled:
 * any one group of visitor rules that all hold shows the chat (an empty group
 * always holds), unless one of the exclusions holds.
 */
export interface VisitorConditions {
	groups: TargetRule[][];
	exclude: TargetRule[];
}

/** Which part of the rules decided, for the admin's tester and the tests. */
export type DecidedBy =
	| { kind: 'exclude'; index: number }
	| { kind: 'include'; index: number }
	| { kind: 'all_pages' }
	| { kind: 'no_match' }
	| { kind: 'visitor_rules' };

/** The result of evaluating a chatflow's target. */
export type TargetResult =
	| { result: 'yes' | 'no'; decidedBy: DecidedBy }
	/** Depends on visitor rules not known here. */
	| {
			result: 'maybe';
			decidedBy: { kind: 'visitor_rules' };
			conditions: VisitorConditions;
	  };

/** The facts a target is evaluated against; unknown visitor traits leave visitor rules open. */
export interface TargetFacts {
	/** The page's full URL. */
	url: string;
	traits?: VisitorTraits;
}
