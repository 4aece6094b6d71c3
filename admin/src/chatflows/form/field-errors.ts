/**
 * Field errors keyed by the path of the field in the saved object, the same
 * paths WordPress names in a 400's `data.params`
 * (e.g. `settings.availability.hours[1].end`).
 */
import { __ } from '@wordpress/i18n';

import { isRestError } from '../store/api';

export type FieldErrors = Record< string, string >;

/** Returned by {@link errorsFromRestError}: field errors plus what fits no field. */
export interface MappedRestError {
	fields: FieldErrors;
	/** A message for the whole form, or null when every problem has a field. */
	general: string | null;
	/** The chatflow changed since the editor loaded it (409). */
	conflict: boolean;
}

/**
 * Normalises a path as WordPress may write it: `a[b][0]`, `a.b[0]` and
 * `a.b.0` all become `a.b[0]`.
 *
 * @param path A field path.
 */
export function normalisePath( path: string ): string {
	return path
		.replace( /\[([^\]\d][^\]]*)\]/g, '.$1' )
		.replace( /\.(\d+)(?=\.|\[|$)/g, '[$1]' )
		.replace( /^\./, '' );
}

/**
 * Maps what the REST API refused with onto the fields that caused it.
 *
 * @param error What `apiFetch` rejected with.
 */
export function errorsFromRestError( error: unknown ): MappedRestError {
	if ( ! isRestError( error ) ) {
		return {
			fields: {},
			general: __(
				'Could not reach WordPress. Check your connection and try again.',
				'chatflows'
			),
			conflict: false,
		};
	}
	if ( error.code === 'chatflows_conflict' ) {
		return { fields: {}, general: error.message, conflict: true };
	}
	const fields: FieldErrors = {};
	const params = error.data?.params ?? {};
	for ( const [ path, message ] of Object.entries( params ) ) {
		fields[ normalisePath( path ) ] = String( message );
	}
	const hasFields = Object.keys( fields ).length > 0;
	return {
		fields,
		general: hasFields
			? __(
					'Some fields need your attention. Nothing was saved.',
					'chatflows'
				)
			: error.message,
		conflict: false,
	};
}

/**
 * The errors of a field, or of anything under it (for a tab's or a group's
 * badge).
 *
 * @param errors Field errors.
 * @param prefix Path of the field or group.
 */
export function errorsUnder( errors: FieldErrors, prefix: string ): string[] {
	return Object.entries( errors )
		.filter(
			( [ path ] ) =>
				path === prefix ||
				path.startsWith( prefix + '.' ) ||
				path.startsWith( prefix + '[' )
		)
		.map( ( [ , message ] ) => message );
}
