/**
 * A ticket's pipeline or status: the named values to choose from, in the
 * admin's language, and "Other…" for a value of one's own.
 */
import { useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

import { SelectControl, TextControl } from '@chatflows/components';

/** The select's value for "a value of one's own" (no stored value looks like it). */
const OTHER = '\u0000other';

interface TicketValueControlProps {
	label: string;
	/** Label of the text field for a value of one's own. */
	otherLabel: string;
	value: string;
	/** The named values. */
	options: Array< { value: string; label: string } >;
	onChange: ( value: string ) => void;
	/** An error or a hint, under the text field or the select. */
	help?: string;
	/** aria-invalid / aria-describedby of the control that holds the value. */
	invalidProps?: Record< string, unknown >;
}

/**
 * The control.
 *
 * @param props              Props.
 * @param props.label        Label.
 * @param props.otherLabel   Label of the text field.
 * @param props.value        The value.
 * @param props.options      The named values.
 * @param props.onChange     Called with the new value.
 * @param props.help         Error or hint.
 * @param props.invalidProps Error attributes.
 */
export function TicketValueControl( {
	label,
	otherLabel,
	value,
	options,
	onChange,
	help,
	invalidProps = {},
}: TicketValueControlProps ) {
	const named = options.some( ( option ) => option.value === value );
	const [ typing, setTyping ] = useState( ! named );
	const own = typing || ! named;
	return (
		<>
			<SelectControl
				label={ label }
				value={ own ? OTHER : value }
				options={ [
					...options,
					{ value: OTHER, label: __( 'Other…', 'chatflows' ) },
				] }
				help={ own ? undefined : help }
				onChange={ ( chosen: string ) => {
					setTyping( chosen === OTHER );
					if ( chosen !== OTHER ) {
						onChange( chosen );
					}
				} }
				{ ...( own ? {} : invalidProps ) }
			/>
			{ own && (
				<TextControl
					label={ otherLabel }
					value={ value }
					help={ help }
					onChange={ onChange }
					{ ...invalidProps }
				/>
			) }
		</>
	);
}
