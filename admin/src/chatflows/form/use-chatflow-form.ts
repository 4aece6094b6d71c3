/**
 * State of a chatflow form: the draft, what was loaded or last saved, the
 * browser's and the server's errors, and whether anything is unsaved.
 */
import { useCallback, useMemo, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import type { ChatflowSettings } from '@chatflows/chatflow-model';
import { isDirty, setAtPath } from './dirty';
import { errorsFromRestError, type FieldErrors } from './field-errors';
import { validateSettings } from './validation';

/** The longest chatflow name. */
export const MAX_TITLE_LENGTH = 200;

export interface ChatflowDraftState {
	title: string;
	settings: ChatflowSettings;
}

/**
 * Errors of a whole draft, by path (`title`, `settings.…`).
 *
 * @param draft Title and settings.
 */
export function validateDraft( draft: ChatflowDraftState ): FieldErrors {
	const errors: FieldErrors = {};
	if ( ! draft.title.trim() ) {
		errors.title = __( 'Give the chatflow a name.', 'chatflows' );
	} else if ( draft.title.length > MAX_TITLE_LENGTH ) {
		errors.title = __( 'Use at most 200 characters.', 'chatflows' );
	}
	return { ...errors, ...validateSettings( draft.settings ) };
}

/**
 * Drops errors a change may have fixed: those at or under the changed path.
 *
 * @param errors Errors.
 * @param path   Full path that changed.
 */
export function withoutErrorsUnder(
	errors: FieldErrors,
	path: string
): FieldErrors {
	const kept: FieldErrors = {};
	for ( const [ key, message ] of Object.entries( errors ) ) {
		if (
			key !== path &&
			! key.startsWith( path + '.' ) &&
			! key.startsWith( path + '[' ) &&
			! path.startsWith( key + '.' )
		) {
			kept[ key ] = message;
		}
	}
	return kept;
}

/**
 * The form's state and its operations.
 *
 * @param initial What was loaded.
 */
export function useChatflowFormState( initial: ChatflowDraftState ) {
	const [ saved, setSaved ] = useState( initial );
	const [ draft, setDraft ] = useState( initial );
	const [ serverErrors, setServerErrors ] = useState< FieldErrors >( {} );

	const clientErrors = useMemo( () => validateDraft( draft ), [ draft ] );
	const errors = useMemo(
		() => ( { ...serverErrors, ...clientErrors } ),
		[ serverErrors, clientErrors ]
	);

	const updateSetting = useCallback( ( path: string, value: unknown ) => {
		setDraft( ( current ) => ( {
			...current,
			settings: setAtPath( current.settings, path, value ),
		} ) );
		setServerErrors( ( current ) =>
			withoutErrorsUnder( current, `settings.${ path }` )
		);
	}, [] );

	const updateTitle = useCallback( ( title: string ) => {
		setDraft( ( current ) => ( { ...current, title } ) );
		setServerErrors( ( current ) =>
			withoutErrorsUnder( current, 'title' )
		);
	}, [] );

	/** Takes what the server saved as the new clean state. */
	const markSaved = useCallback( ( next: ChatflowDraftState ) => {
		setSaved( next );
		setDraft( next );
		setServerErrors( {} );
	}, [] );

	/**
	 * Shows a refusal of the server on the fields it names.
	 *
	 * @return What did not fit a field, and whether it was a conflict.
	 */
	const showServerError = useCallback( ( error: unknown ) => {
		const mapped = errorsFromRestError( error );
		setServerErrors( mapped.fields );
		return mapped;
	}, [] );

	return {
		draft,
		errors,
		clientErrors,
		dirty: isDirty( saved, draft ),
		updateSetting,
		updateTitle,
		markSaved,
		showServerError,
	};
}
