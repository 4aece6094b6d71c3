/**
 * The office hours of the Availability section: rows of days and hours as a
 * person says them ("Monday to Friday, from 09:00 to 17:00"), times picked
 * with the browser's time inputs, "+ Add hours" as in the article.
 */
import { Button } from '@wordpress/components';
import { useRef } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { SelectControl, TextControl } from '@chatflows/components';
import { jsonEqual } from '../form/dirty';

import {
	dayChoices,
	daysOf,
	endForInput,
	endFromInput,
	rangesOf,
	rowsOf,
	type OfficeHoursRow,
	type RowDays,
} from '../form/office-hours';
import {
	FieldError,
	FieldGroup,
	errorAttributes,
	useChatflowForm,
	useFieldError,
} from './form-context';

/**
 * The first error of a row's ranges for one part of them.
 *
 * @param errors The form's errors.
 * @param row    The row.
 * @param suffix '.start', '.end' or '' (the range as a whole).
 * @return The message, if any.
 */
function rowError(
	errors: Record< string, string >,
	row: OfficeHoursRow,
	suffix: string
): string | undefined {
	for ( const index of row.indexes ) {
		const message =
			errors[ `settings.availability.hours[${ index }]${ suffix }` ];
		if ( message ) {
			return message;
		}
	}
	return undefined;
}

/** Office hours: one row per set of days, "+ Add hours". */
export function OfficeHoursEditor() {
	const { settings, update, errors } = useChatflowForm();
	const hours = settings.availability.hours;
	// The rows as the user wrote them, while the stored ranges are theirs:
	// read back from ranges alone, "Monday to Friday" next to "Weekend" with
	// the same hours would turn into "Every day" while being edited.
	const written = useRef< OfficeHoursRow[] | null >( null );
	const rows =
		written.current && jsonEqual( rangesOf( written.current ), hours )
			? written.current
			: rowsOf( hours );
	const listError = useFieldError( 'availability.hours' );
	const choices = dayChoices();
	const labelOf = ( days: RowDays ) =>
		choices.find( ( choice ) => choice.value === days )?.label ?? days;

	const save = (
		changed: Array< Pick< OfficeHoursRow, 'days' | 'start' | 'end' > >
	) => {
		const ranges = rangesOf( changed );
		let next = 0;
		written.current = changed.map( ( row ) => {
			const count = daysOf( row.days ).length;
			next += count;
			return {
				...row,
				indexes: Array.from(
					{ length: count },
					( _, at ) => next - count + at
				),
			};
		} );
		update( 'availability.hours', ranges );
	};
	const change = (
		at: number,
		values: Partial< Pick< OfficeHoursRow, 'days' | 'start' | 'end' > >
	) =>
		save(
			rows.map( ( row, index ) =>
				index === at ? { ...row, ...values } : row
			)
		);
	const add = () => {
		const last = rows[ rows.length - 1 ];
		// The first row is the usual week; later ones the day after the last row's.
		const days: RowDays = last
			? ( String(
					( daysOf( last.days ).slice( -1 )[ 0 ] + 1 ) % 7
				) as RowDays )
			: 'weekdays';
		save( [ ...rows, { days, start: '09:00', end: '17:00' } ] );
	};

	return (
		<FieldGroup title={ __( 'Office hours', 'chatflows' ) }>
			<ol className="chatflows-hours">
				{ rows.map( ( row, index ) => {
					// Ids and errors follow the row's first stored range.
					const path = `availability.hours[${ row.indexes[ 0 ] }]`;
					const startError = rowError( errors, row, '.start' );
					const endError = rowError( errors, row, '.end' );
					const daysLabel = labelOf( row.days );
					return (
						<li key={ index }>
							<div
								className="chatflows-hours__range"
								role="group"
								aria-label={ daysLabel }
							>
								<SelectControl
									label={ __( 'Days', 'chatflows' ) }
									value={ row.days }
									options={ choices }
									onChange={ ( value: string ) =>
										change( index, {
											days: value as RowDays,
										} )
									}
								/>
								<div className="chatflows-field">
									<TextControl
										label={ __( 'From', 'chatflows' ) }
										type="time"
										value={ row.start }
										onChange={ ( value: string ) =>
											change( index, { start: value } )
										}
										{ ...errorAttributes(
											`${ path }.start`,
											startError
										) }
									/>
									<FieldError
										path={ `${ path }.start` }
										message={ startError }
									/>
								</div>
								<div className="chatflows-field">
									<TextControl
										label={ __( 'To', 'chatflows' ) }
										help={
											row.end === '24:00'
												? __(
														'00:00 is midnight, the end of the day.',
														'chatflows'
													)
												: undefined
										}
										type="time"
										value={ endForInput( row.end ) }
										onChange={ ( value: string ) =>
											change( index, {
												end: endFromInput( value ),
											} )
										}
										{ ...errorAttributes(
											`${ path }.end`,
											endError
										) }
									/>
									<FieldError
										path={ `${ path }.end` }
										message={ endError }
									/>
								</div>
								<Button
									variant="link"
									isDestructive
									className="chatflows-hours__remove"
									aria-label={ sprintf(
										/* translators: %s: the row's days, e.g. "Monday to Friday". */
										__( 'Remove %s', 'chatflows' ),
										daysLabel
									) }
									onClick={ () =>
										save(
											rows.filter(
												( _, at ) => at !== index
											)
										)
									}
								>
									{ __( 'Remove', 'chatflows' ) }
								</Button>
							</div>
							<FieldError
								path={ path }
								message={ rowError( errors, row, '' ) }
							/>
						</li>
					);
				} ) }
			</ol>
			<Button variant="secondary" onClick={ add }>
				{ __( '+ Add hours', 'chatflows' ) }
			</Button>
			<FieldError path="availability.hours" message={ listError } />
		</FieldGroup>
	);
}
