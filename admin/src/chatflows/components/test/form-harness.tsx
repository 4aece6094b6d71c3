/**
 * A part of the chatflow form, rendered with the form's state as the editor
 * keeps it (settings, their errors, updates by path), for component tests.
 */
import { useState } from '@wordpress/element';
import type { ReactNode } from 'react';

import { setAtPath } from '../../form/dirty';
import { validateSettings } from '../../form/validation';
import type { ChatflowSettings } from '@chatflows/chatflow-model';
import { FormContext } from '../form-context';

/**
 * The harness.
 *
 * @param props            Props.
 * @param props.initial    Settings to start from.
 * @param props.onSettings Called with the settings on every render (the test's view of them).
 * @param props.children   The part of the form.
 */
export function FormHarness( {
	initial,
	onSettings,
	children,
}: {
	initial: ChatflowSettings;
	onSettings: ( settings: ChatflowSettings ) => void;
	children: ReactNode;
} ) {
	const [ settings, setSettings ] = useState( initial );
	onSettings( settings );
	return (
		<FormContext.Provider
			value={ {
				settings,
				errors: validateSettings( settings ),
				language: 'en_US',
				update: ( path, value ) =>
					setSettings( ( current ) =>
						setAtPath( current, path, value )
					),
			} }
		>
			{ children }
		</FormContext.Provider>
	);
}
