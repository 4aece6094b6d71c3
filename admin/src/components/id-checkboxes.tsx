/**
 * A group of checkboxes choosing ids, shared by the chatflow's assignment
 * (agents and teams) and the teams screen (members, an inbox's agents and
 * teams), so choosing records looks and behaves the same everywhere.
 */
import { CheckboxControl } from './controls';
import { __ } from '@wordpress/i18n';

import { FieldError } from '../chatflows/components/form-context';

/**
 * Checkboxes choosing ids, one per choice, in the order given.
 *
 * @param props          Props.
 * @param props.legend   Name of the group.
 * @param props.choices  What can be chosen.
 * @param props.chosen   Chosen ids.
 * @param props.onChange Called with the chosen ids (a new id is appended).
 * @param props.error    Error, if any.
 * @param props.errorId  DOM id prefix of the error.
 */
export function IdCheckboxes( {
	legend,
	choices,
	chosen,
	onChange,
	error,
	errorId,
}: {
	legend: string;
	choices: Array< { id: number; name: string } >;
	chosen: number[];
	onChange: ( ids: number[] ) => void;
	error?: string;
	errorId: string;
} ) {
	return (
		<fieldset className="chatflows-choices">
			<legend>{ legend }</legend>
			{ choices.length === 0 && (
				<p>{ __( 'None yet.', 'chatflows' ) }</p>
			) }
			{ choices.map( ( choice ) => (
				<CheckboxControl
					key={ choice.id }
					label={ choice.name }
					checked={ chosen.includes( choice.id ) }
					onChange={ ( checked: boolean ) =>
						onChange(
							checked
								? [ ...chosen, choice.id ]
								: chosen.filter( ( id ) => id !== choice.id )
						)
					}
				/>
			) ) }
			<FieldError path={ errorId } message={ error } />
		</fieldset>
	);
}
