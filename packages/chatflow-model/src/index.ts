/**
 * `@chatflows/chatflow-model`: a chatflow's settings as the admin, the widget
 * and the chat service share them. One source, plugin/schema/chatflow-settings.json
 * (WordPress validates with it): the types and the schema constant generated
 * from it (`npm run schema:types`), its limits, the rules across fields, the
 * office hours against the clock, and the targeting engine. WordPress keeps
 * its own PHP of the rules, held equal by the shared fixtures in test/fixtures.
 */
export * from './settings/settings-types';
export { SETTINGS_SCHEMA } from './settings/settings-schema';
export {
	characterCount,
	defaultsOf,
	resolveRef,
	schemaIssues,
	type SchemaIssue,
	type SchemaNode,
} from './settings/schema-issues';
export { defaultSettings } from './settings/defaults';
export {
	END_OF_DAY,
	minutesOf,
	officeHoursIssues,
	TIME_OF_DAY_PATTERN,
	type OfficeHoursIssue,
} from './settings/office-hours';
export {
	isWithinOfficeHours,
	nextOpening,
	type OfficeHours,
} from './settings/office-hours-clock';
export { canonicalTimeZoneName, isTimeZone } from './settings/time-zone';
export { SETTINGS_CHOICES, SETTINGS_LIMITS } from './settings/limits';
export {
	crossFieldIssues,
	validateSettings,
	type SettingsIssue,
	type SettingsIssues,
} from './settings/validate';
export * from './targeting/types';
export * from './targeting/rules';
export * from './targeting/url';
export * from './targeting/validate';
