/**
 * The server's rules for a chatflow's settings, checked in the browser so the
 * form can name a field before saving. WordPress checks them again and stays
 * the judge: its 400 answers are mapped onto the same paths.
 */
import { __, sprintf } from '@wordpress/i18n';

import type { ChatflowSettings, LocalizedText } from '../settings-types';
import type { FieldErrors } from './field-errors';
import { validateTargetSettings } from './target-validation';
import { dayNames } from './office-hours';
import { MAX_ATTACHMENT_MB } from '@chatflows/protocol';

/** The longest person-facing text, per language. */
export const MAX_TEXT_LENGTH = 1000;
/** The longest custom-branding team name. */
export const MAX_TEAM_NAME_LENGTH = 100;
/** The longest time on page, in seconds. */
export const MAX_SECONDS = 3600;
/** The longest idle time before a chat closes, in minutes (a week). */
export const MAX_IDLE_MINUTES = 10080;
/** The longest ticket property or subscription type. */
export const MAX_SHORT_TEXT_LENGTH = 100;
/** Below this many seconds on page, the form hints that it is very soon. */
export const RECOMMENDED_MIN_SECONDS = 5;

const TIME = /^(?:([01]\d|2[0-3]):([0-5]\d)|24:00)$/;

/**
 * Minutes since midnight of an `HH:MM` time, or null when it is not one.
 *
 * @param time `HH:MM`, 24-hour; `24:00` is the end of the day.
 */
export function minutesOf( time: string ): number | null {
	const match = TIME.exec( time );
	if ( ! match ) {
		return null;
	}
	return match[ 1 ] ? Number( match[ 1 ] ) * 60 + Number( match[ 2 ] ) : 1440;
}

/**
 * Whether a value is a `#RRGGBB` colour.
 *
 * @param value Value.
 */
export function isHexColor( value: unknown ): boolean {
	return typeof value === 'string' && /^#[0-9a-fA-F]{6}$/.test( value );
}

/**
 * Whether the browser knows the IANA time zone.
 *
 * @param zone Time zone, e.g. Europe/Copenhagen.
 */
export function isTimeZone( zone: string ): boolean {
	if ( ! zone || ! /^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test( zone ) ) {
		return false;
	}
	try {
		new Intl.DateTimeFormat( 'en-US', { timeZone: zone } ).format( 0 );
		return true;
	} catch {
		return false;
	}
}

type OfficeHours = ChatflowSettings[ 'availability' ][ 'hours' ];

/**
 * Errors of office-hour ranges: each valid `HH:MM`, end after start, no two
 * ranges of a day overlapping.
 *
 * @param hours Ranges.
 * @param path  Path of the ranges, e.g. `settings.availability.hours`.
 */
export function validateOfficeHours(
	hours: OfficeHours,
	path: string
): FieldErrors {
	const errors: FieldErrors = {};
	const valid: Array< {
		index: number;
		day: number;
		start: number;
		end: number;
	} > = [];
	hours.forEach( ( range, index ) => {
		const start = minutesOf( range.start );
		const end = minutesOf( range.end );
		if ( start === null || start === 1440 ) {
			errors[ `${ path }[${ index }].start` ] = __(
				'Enter a start time as HH:MM, e.g. 09:00.',
				'chatflows'
			);
		}
		if ( end === null ) {
			errors[ `${ path }[${ index }].end` ] = __(
				'Enter an end time as HH:MM, e.g. 17:00, or 24:00.',
				'chatflows'
			);
		}
		if ( start === null || end === null || start === 1440 ) {
			return;
		}
		if ( end === start ) {
			errors[ `${ path }[${ index }].end` ] = __(
				'The range is empty: the end must be after the start.',
				'chatflows'
			);
		} else if ( end < start ) {
			errors[ `${ path }[${ index }].end` ] = __(
				'The end must be after the start.',
				'chatflows'
			);
		} else {
			valid.push( { index, day: range.day, start, end } );
		}
	} );
	for ( const range of valid ) {
		const earlier = valid.find(
			( other ) =>
				other.index < range.index &&
				other.day === range.day &&
				other.start < range.end &&
				range.start < other.end
		);
		if ( earlier ) {
			errors[ `${ path }[${ range.index }].start` ] = sprintf(
				/* translators: %s: a day of the week, e.g. Monday. */
				__( 'These hours overlap other hours on %s.', 'chatflows' ),
				dayNames()[ range.day ] ?? String( range.day )
			);
		}
	}
	return errors;
}

/**
 * Errors of a text stored per language.
 *
 * @param text      Texts by language.
 * @param path      Path of the text.
 * @param maxLength Longest allowed.
 */
export function validateLocalizedText(
	text: LocalizedText | undefined,
	path: string,
	maxLength = MAX_TEXT_LENGTH
): FieldErrors {
	const errors: FieldErrors = {};
	for ( const [ language, value ] of Object.entries( text ?? {} ) ) {
		if ( typeof value === 'string' && value.length > maxLength ) {
			errors[ `${ path }.${ language }` ] = sprintf(
				/* translators: %d: maximum number of characters. */
				__( 'Use at most %d characters.', 'chatflows' ),
				maxLength
			);
		}
	}
	return errors;
}

/**
 * Every error of a chatflow's settings, by field path under `settings.`.
 *
 * @param settings Settings.
 */
export function validateSettings( settings: ChatflowSettings ): FieldErrors {
	const errors: FieldErrors = {};
	const { availability, assignment, displayBehaviour, options } = settings;

	if ( ! isHexColor( settings.display.accentColor ) ) {
		errors[ 'settings.display.accentColor' ] = __(
			'Choose a colour as #RRGGBB, e.g. #2563eb.',
			'chatflows'
		);
	}

	if ( settings.heading.teamName.length > MAX_TEAM_NAME_LENGTH ) {
		errors[ 'settings.heading.teamName' ] = sprintf(
			/* translators: %d: maximum number of characters. */
			__( 'Use at most %d characters.', 'chatflows' ),
			MAX_TEAM_NAME_LENGTH
		);
	}
	if ( settings.heading.mode === 'custom_branding' ) {
		if ( ! settings.heading.teamName.trim() ) {
			errors[ 'settings.heading.teamName' ] = __(
				'Custom branding needs a team name.',
				'chatflows'
			);
		}
		if ( settings.heading.imageId <= 0 ) {
			errors[ 'settings.heading.imageId' ] = __(
				'Choose an image from the media library.',
				'chatflows'
			);
		}
	}

	if (
		assignment.enabled &&
		assignment.userIds.length === 0 &&
		assignment.teamIds.length === 0
	) {
		errors[ 'settings.assignment.userIds' ] = __(
			'Assignment is on: choose at least one user or team to assign chats to.',
			'chatflows'
		);
	}

	if ( ! isTimeZone( availability.timeZone ) ) {
		errors[ 'settings.availability.timeZone' ] = __(
			'Choose a time zone from the list, e.g. Europe/Copenhagen.',
			'chatflows'
		);
	}
	if ( availability.mode === 'office_hours' ) {
		if ( availability.hours.length === 0 ) {
			errors[ 'settings.availability.hours' ] = __(
				'Add at least one range of office hours.',
				'chatflows'
			);
		}
		Object.assign(
			errors,
			validateOfficeHours(
				availability.hours,
				'settings.availability.hours'
			)
		);
	}

	const { triggers } = displayBehaviour;
	if (
		! Number.isInteger( triggers.timeOnPageSeconds ) ||
		triggers.timeOnPageSeconds < 0 ||
		triggers.timeOnPageSeconds > MAX_SECONDS
	) {
		errors[ 'settings.displayBehaviour.triggers.timeOnPageSeconds' ] =
			sprintf(
				/* translators: %d: maximum number of seconds. */
				__( 'Enter whole seconds from 0 to %d.', 'chatflows' ),
				MAX_SECONDS
			);
	}
	if (
		! Number.isInteger( triggers.scrollPercent ) ||
		triggers.scrollPercent < 0 ||
		triggers.scrollPercent > 100
	) {
		errors[ 'settings.displayBehaviour.triggers.scrollPercent' ] = __(
			'Enter a percentage from 0 to 100.',
			'chatflows'
		);
	}

	if (
		! Number.isInteger( options.idleCloseMinutes ) ||
		options.idleCloseMinutes < 0 ||
		options.idleCloseMinutes > MAX_IDLE_MINUTES
	) {
		errors[ 'settings.options.idleCloseMinutes' ] = sprintf(
			/* translators: %d: maximum number of minutes. */
			__( 'Enter whole minutes from 0 to %d.', 'chatflows' ),
			MAX_IDLE_MINUTES
		);
	}

	if (
		! Number.isInteger( options.attachments.maxSizeMb ) ||
		options.attachments.maxSizeMb < 1 ||
		options.attachments.maxSizeMb > MAX_ATTACHMENT_MB
	) {
		errors[ 'settings.options.attachments.maxSizeMb' ] = sprintf(
			/* translators: %d: the largest size allowed, in megabytes. */
			__( 'Enter whole megabytes from 1 to %d.', 'chatflows' ),
			MAX_ATTACHMENT_MB
		);
	}

	const shortTexts: Array< [ string, string ] > = [
		[ 'settings.options.ticket.pipeline', options.ticket.pipeline ],
		[ 'settings.options.ticket.status', options.ticket.status ],
		[ 'settings.options.ticket.category', options.ticket.category ],
		[
			'settings.options.communicationsConsent.subscriptionType',
			options.communicationsConsent.subscriptionType,
		],
	];
	for ( const [ path, value ] of shortTexts ) {
		if ( value.length > MAX_SHORT_TEXT_LENGTH ) {
			errors[ path ] = sprintf(
				/* translators: %d: maximum number of characters. */
				__( 'Use at most %d characters.', 'chatflows' ),
				MAX_SHORT_TEXT_LENGTH
			);
		}
	}

	const url = options.dataConsent.privacyPolicyUrl;
	if (
		url &&
		( url.length > 2000 || ! /^https?:\/\/[^\s]+$/i.test( url ) )
	) {
		errors[ 'settings.options.dataConsent.privacyPolicyUrl' ] = __(
			'Enter an address starting with http:// or https://, or leave it empty.',
			'chatflows'
		);
	}

	const texts: Array< [ string, LocalizedText ] > = [
		[ 'settings.welcomeMessage', settings.welcomeMessage ],
		[ 'settings.availability.awayMessage', availability.awayMessage ],
		[ 'settings.availability.waitMessage', availability.waitMessage ],
		[ 'settings.emailCapture.message', settings.emailCapture.message ],
		[ 'settings.options.cookieConsent.text', options.cookieConsent.text ],
		[ 'settings.options.dataConsent.text', options.dataConsent.text ],
		[
			'settings.options.communicationsConsent.label',
			options.communicationsConsent.label,
		],
		[ 'settings.options.survey.question', options.survey.question ],
	];
	for ( const [ path, text ] of texts ) {
		Object.assign( errors, validateLocalizedText( text, path ) );
	}
	Object.assign( errors, validateTargetSettings( settings.target ) );
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
