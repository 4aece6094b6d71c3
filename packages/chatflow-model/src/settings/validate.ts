/**
 * Every rule of a chatflow's settings that needs no site data, in one place:
 * the schema first, then, on settings the schema accepts, the rules across
 * fields. The admin's form words the issues; WordPress runs the same checks in
 * `Chatflow_Settings::validate()` (its own PHP, held equal by the shared
 * fixtures in test/fixtures/settings) and adds those on the site's data
 * (inboxes, agents, teams, images, categories, post types, roles).
 */
import { validateTarget, type TargetErrorCode } from '../targeting/validate';
import { officeHoursIssues, type OfficeHoursIssue } from './office-hours';
import { schemaIssues, type SchemaIssue } from './schema-issues';
import type { ChatflowSettings } from './settings-types';
import { isTimeZone } from './time-zone';

/** What is wrong with one field of the settings. */
export type SettingsIssue =
	| SchemaIssue
	| OfficeHoursIssue
	| { code: 'team_name_required' }
	| { code: 'assignment_nobody' }
	| { code: 'time_zone' }
	| { code: 'hours_required' }
	| { code: 'privacy_url' }
	| { code: 'target'; target: TargetErrorCode };

/** Issues by field path, e.g. `settings.availability.hours[1].end`. */
export type SettingsIssues = Record< string, SettingsIssue >;

/** A link the privacy policy may be: http(s), no spaces. */
const PRIVACY_URL = /^https?:\/\/[^\s]+$/i;

/**
 * The rules across fields, on settings the schema accepts.
 *
 * @param settings Settings.
 * @param path     Name of the settings in paths.
 */
export function crossFieldIssues(
	settings: ChatflowSettings,
	path = 'settings'
): SettingsIssues {
	const issues: SettingsIssues = {};
	const { heading, assignment, availability, options } = settings;

	if ( heading.mode === 'custom_branding' && ! heading.teamName.trim() ) {
		issues[ `${ path }.heading.teamName` ] = { code: 'team_name_required' };
	}
	if (
		assignment.enabled &&
		assignment.userIds.length === 0 &&
		assignment.teamIds.length === 0
	) {
		issues[ `${ path }.assignment.userIds` ] = {
			code: 'assignment_nobody',
		};
	}

	if ( ! isTimeZone( availability.timeZone ) ) {
		issues[ `${ path }.availability.timeZone` ] = { code: 'time_zone' };
	}
	if ( availability.mode === 'office_hours' && ! availability.hours.length ) {
		issues[ `${ path }.availability.hours` ] = { code: 'hours_required' };
	}
	// Checked in every mode: the hours are kept when the mode changes, and used again when it changes back.
	Object.assign(
		issues,
		officeHoursIssues( availability.hours, `${ path }.availability.hours` )
	);

	for ( const [ at, code ] of Object.entries(
		validateTarget( settings.target, `${ path }.target` )
	) ) {
		issues[ at ] = { code: 'target', target: code };
	}

	const privacyUrl = options.dataConsent.privacyPolicyUrl;
	if ( privacyUrl && ! PRIVACY_URL.test( privacyUrl ) ) {
		issues[ `${ path }.options.dataConsent.privacyPolicyUrl` ] = {
			code: 'privacy_url',
		};
	}
	return issues;
}

/**
 * Every issue of a chatflow's settings: the schema's, else the rules across
 * fields (which assume the schema's shapes). Empty when valid.
 *
 * @param settings Settings, of any shape.
 * @param path     Name of the settings in paths.
 */
export function validateSettings(
	settings: unknown,
	path = 'settings'
): SettingsIssues {
	const issues: SettingsIssues = schemaIssues( settings, undefined, path );
	return Object.keys( issues ).length
		? issues
		: crossFieldIssues( settings as ChatflowSettings, path );
}
