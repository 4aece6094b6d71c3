/**
 * A group of checkboxes choosing ids, shared by the chatflow's assignment
 * (agents and teams) and the teams screen (members, an inbox's agents and
 * teams), so choosing records looks and behaves the same everywhere.
 */
import { CheckboxControl } from '@chatflows/components';
import { __ } from '@wordpress/i18n';

import { FieldError } from '../chatflows/components/form-context';
import { initialsOf } from '@chatflows/chat-ui';

/**
 * Checkboxes choosing ids, one per choice, in the order given.
 *
 * @param props             Props.
 * @param props.legend      Name of the group.
 * @param props.choices     What can be chosen.
 * @param props.chosen      Chosen ids.
 * @param props.onChange    Called with the chosen ids (a new id is appended).
 * @param props.error       Error, if any.
 * @param props.errorId     DOM id prefix of the error.
 * @param props.withAvatars Show each choice's avatar (or its initials) beside its name.
 */
export function IdCheckboxes( {
	legend,
	choices,
	chosen,
	onChange,
	error,
	errorId,
	withAvatars = false,
}: {
	legend: string;
	choices: Array< { id: number; name: string; avatarUrl?: string } >;
	chosen: number[];
	onChange: ( ids: number[] ) => void;
	error?: string;
	errorId: string;
	withAvatars?: boolean;
} ) {
	return (
		<fieldset className="chatflows-choices">
			<legend>{ legend }</legend>
			{ choices.length === 0 && (
				<p>{ __( 'None yet.', 'chatflows' ) }</p>
			) }
			{ choices.map( ( choice ) => {
				const toggle = ( checked: boolean ) =>
					onChange(
						checked
							? [ ...chosen, choice.id ]
							: chosen.filter( ( id ) => id !== choice.id )
					);
				// WordPress's CheckboxControl takes a text label only.
				return withAvatars ? (
					<label
						key={ choice.id }
						className="chatflows-person"
						htmlFor={ `chatflows-${ errorId }-${ choice.id }` }
					>
						<input
							id={ `chatflows-${ errorId }-${ choice.id }` }
							type="checkbox"
							checked={ chosen.includes( choice.id ) }
							onChange={ ( event ) =>
								toggle( event.target.checked )
							}
						/>
						<Avatar name={ choice.name } url={ choice.avatarUrl } />
						{ choice.name }
					</label>
				) : (
					<CheckboxControl
						key={ choice.id }
						label={ choice.name }
						checked={ chosen.includes( choice.id ) }
						onChange={ toggle }
					/>
				);
			} ) }
			<FieldError path={ errorId } message={ error } />
		</fieldset>
	);
}

/**
 * A person's or team's avatar: the image when there is one, else initials.
 * Decorative: the name beside it says who it is.
 *
 * @param props      Props.
 * @param props.name Name.
 * @param props.url  Image, if any.
 */
export function Avatar( { name, url }: { name: string; url?: string } ) {
	return url ? (
		<img className="chatflows-avatar" src={ url } alt="" />
	) : (
		<span className="chatflows-avatar" aria-hidden="true">
			{ initialsOf( name ) }
		</span>
	);
}
