/**
 * The rules of a chatflow's settings (packages/chatflow-model: the schema's
 * limits and the rules across fields, the same WordPress checks), worded for
 * the form so it can name a field before saving. WordPress checks them again,
 * with the site's data, and stays the judge: its 400 answers are mapped onto
 * the same paths.
 */
import { __, sprintf } from '@wordpress/i18n';

import {
	validateSettings as settingsIssues,
	type ChatflowSettings,
	type SettingsIssue,
} from '@chatflows/chatflow-model';
import type { FieldErrors } from './field-errors';
import { dayNames } from './office-hours';
import { targetErrorMessage } from './target-validation';

/** Below this many seconds on page, the form hints that it is very soon. */
export const RECOMMENDED_MIN_SECONDS = 5;

/**
 * The message of a number out of its range, for the fields that have a unit.
 *
 * @param path          Field path.
 * @param issue         The issue (its range).
 * @param issue.minimum
 * @param issue.maximum
 */
function numberMessage(
	path: string,
	issue: { minimum?: number; maximum?: number }
): string {
	const { minimum = 0, maximum = Number.MAX_SAFE_INTEGER } = issue;
	switch ( path ) {
		case 'settings.displayBehaviour.triggers.timeOnPageSeconds':
			return sprintf(
				/* translators: %d: maximum number of seconds. */
				__( 'Enter whole seconds from 0 to %d.', 'chatflows' ),
				maximum
			);
		case 'settings.displayBehaviour.triggers.scrollPercent':
			return __( 'Enter a percentage from 0 to 100.', 'chatflows' );
		case 'settings.options.idleCloseMinutes':
			return sprintf(
				/* translators: %d: maximum number of minutes. */
				__( 'Enter whole minutes from 0 to %d.', 'chatflows' ),
				maximum
			);
		case 'settings.options.attachments.maxSizeMb':
			return sprintf(
				/* translators: %d: the largest size allowed, in megabytes. */
				__( 'Enter whole megabytes from 1 to %d.', 'chatflows' ),
				maximum
			);
	}
	return sprintf(
		/* translators: 1: the smallest number allowed, 2: the largest. */
		__( 'Enter a whole number from %1$d to %2$d.', 'chatflows' ),
		minimum,
		maximum
	);
}

/**
 * The message a person reads for one issue of the settings.
 *
 * @param path  Field path, e.g. `settings.availability.hours[1].end`.
 * @param issue The issue.
 */
export function settingsIssueMessage(
	path: string,
	issue: SettingsIssue
): string {
	if ( path === 'settings.display.accentColor' ) {
		return __( 'Choose a colour as #RRGGBB, e.g. #2563eb.', 'chatflows' );
	}
	switch ( issue.code ) {
		case 'too_long':
			return sprintf(
				/* translators: %d: maximum number of characters. */
				__( 'Use at most %d characters.', 'chatflows' ),
				issue.maxLength
			);
		case 'too_many':
			return sprintf(
				/* translators: %d: the most that may be chosen. */
				__( 'Choose at most %d.', 'chatflows' ),
				issue.maxItems
			);
		case 'range':
			return numberMessage( path, issue );
		case 'choice':
			return __( 'Choose one of the offered values.', 'chatflows' );
		case 'type':
		case 'required':
		case 'unknown':
		case 'pattern':
			return __( 'This value is not valid.', 'chatflows' );
		case 'start_time':
			return __(
				'Enter a start time as HH:MM, e.g. 09:00.',
				'chatflows'
			);
		case 'end_time':
			return __(
				'Enter an end time as HH:MM, e.g. 17:00, or 24:00.',
				'chatflows'
			);
		case 'range_empty':
			return __(
				'The range is empty: the end must be after the start.',
				'chatflows'
			);
		case 'range_inverted':
			return __( 'The end must be after the start.', 'chatflows' );
		case 'range_overlap':
			return sprintf(
				/* translators: %s: a day of the week, e.g. Monday. */
				__( 'These hours overlap other hours on %s.', 'chatflows' ),
				dayNames()[ issue.day ] ?? String( issue.day )
			);
		case 'hours_required':
			return __( 'Add at least one range of office hours.', 'chatflows' );
		case 'time_zone':
			return __(
				'Choose a time zone from the list, e.g. Europe/Copenhagen.',
				'chatflows'
			);
		case 'team_name_required':
			return __( 'Custom branding needs a team name.', 'chatflows' );
		case 'assignment_nobody':
			return __(
				'Assignment is on: choose at least one user or team to assign chats to.',
				'chatflows'
			);
		case 'privacy_url':
			return __(
				'Enter an address starting with http:// or https://, or leave it empty.',
				'chatflows'
			);
		case 'target':
			return targetErrorMessage( issue.target );
	}
}

/**
 * Every error of a chatflow's settings, by field path under `settings.`.
 *
 * @param settings Settings.
 */
export function validateSettings( settings: ChatflowSettings ): FieldErrors {
	const errors: FieldErrors = {};
	for ( const [ path, issue ] of Object.entries(
		settingsIssues( settings )
	) ) {
		errors[ path ] = settingsIssueMessage( path, issue );
	}
	return errors;
}

/**
 * A hint (not an error) for a field, e.g. a very short time on page.
 *
 * @param settings Settings.
 */
export function timeOnPageHint( settings: ChatflowSettings ): string | null {
	const seconds = settings.displayBehaviour.triggers.timeOnPageSeconds;
	return Number.isInteger( seconds ) &&
		seconds >= 0 &&
		seconds < RECOMMENDED_MIN_SECONDS
		? __(
				'We recommend 5 seconds or more, so visitors can look around first.',
				'chatflows'
			)
		: null;
}
