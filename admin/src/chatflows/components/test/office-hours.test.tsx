/**
 * Office hours edited as a person says them: a row covers several days
 * ("Monday to Friday", "Weekend", "Every day"), times come from time inputs,
 * labels read "Days", "From", "To". What is stored stays one range per day,
 * and the office-hours rule the chat service evaluates (@chatflows/chatflow-model)
 * agrees with the rows at fixed UTC instants in real IANA zones (summer and
 * winter time).
 */
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import {
	type ChatflowSettings,
	defaultSettings,
	isWithinOfficeHours,
	type OfficeHoursRange,
} from '@chatflows/chatflow-model';
import { setAtPath } from '../../form/dirty';
import {
	endFromInput,
	rangesOf,
	rowsOf,
	type OfficeHoursRow,
} from '../../form/office-hours';
import { FormHarness } from './form-harness';
import { OfficeHoursEditor } from '../office-hours-editor';

jest.setTimeout( 30_000 );
const user = userEvent.setup( { delay: null } );

let latest: ChatflowSettings;

function Harness( { hours }: { hours: OfficeHoursRange[] } ) {
	const initial = setAtPath(
		setAtPath( defaultSettings(), 'availability.mode', 'office_hours' ),
		'availability.hours',
		hours
	);
	return (
		<FormHarness
			initial={ initial }
			onSettings={ ( settings ) => ( latest = settings ) }
		>
			<OfficeHoursEditor />
		</FormHarness>
	);
}

const WEEKDAYS_9_TO_5: OfficeHoursRange[] = [ 1, 2, 3, 4, 5 ].map(
	( day ) => ( { day, start: '09:00', end: '17:00' } )
);

it( 'shows the usual week as one row, "Monday to Friday", with time inputs named as a person says them', () => {
	render( <Harness hours={ WEEKDAYS_9_TO_5 } /> );
	expect( screen.getAllByRole( 'listitem' ) ).toHaveLength( 1 );
	const row = screen.getByRole( 'group', { name: 'Monday to Friday' } );
	expect(
		within( row ).getByRole( 'combobox', { name: 'Days' } )
	).toHaveDisplayValue( 'Monday to Friday' );
	const from = within( row ).getByLabelText( 'From' );
	const to = within( row ).getByLabelText( 'To' );
	expect( from ).toHaveAttribute( 'type', 'time' );
	expect( from ).toHaveValue( '09:00' );
	expect( to ).toHaveAttribute( 'type', 'time' );
	expect( to ).toHaveValue( '17:00' );
	expect(
		within( row ).getByRole( 'button', { name: 'Remove Monday to Friday' } )
	).toBeInTheDocument();
	// No numbered, technical labels.
	expect( screen.queryByText( /of range/i ) ).not.toBeInTheDocument();
} );

it( 'adds the usual week first, then a day; choosing "Weekend" stores Saturday and Sunday', async () => {
	render( <Harness hours={ [] } /> );
	await user.click( screen.getByRole( 'button', { name: '+ Add hours' } ) );
	expect( latest.availability.hours ).toEqual( WEEKDAYS_9_TO_5 );
	await user.click( screen.getByRole( 'button', { name: '+ Add hours' } ) );
	const saturday = screen.getByRole( 'group', { name: 'Saturday' } );
	await user.selectOptions(
		within( saturday ).getByRole( 'combobox', { name: 'Days' } ),
		'Weekend'
	);
	const weekend = screen.getByRole( 'group', { name: 'Weekend' } );
	const from = within( weekend ).getByLabelText( 'From' );
	await user.clear( from );
	await user.type( from, '10:00' );
	expect( latest.availability.hours ).toEqual( [
		...WEEKDAYS_9_TO_5,
		{ day: 6, start: '10:00', end: '17:00' },
		{ day: 0, start: '10:00', end: '17:00' },
	] );
	await user.click(
		within( weekend ).getByRole( 'button', { name: 'Remove Weekend' } )
	);
	expect( latest.availability.hours ).toEqual( WEEKDAYS_9_TO_5 );
} );

it( 'writes "Every day" until midnight as seven ranges ending 24:00, and names an overlap by its day', async () => {
	render( <Harness hours={ WEEKDAYS_9_TO_5 } /> );
	const row = screen.getByRole( 'group', { name: 'Monday to Friday' } );
	await user.selectOptions(
		within( row ).getByRole( 'combobox', { name: 'Days' } ),
		'Every day'
	);
	const to = within(
		screen.getByRole( 'group', { name: 'Every day' } )
	).getByLabelText( 'To' );
	await user.clear( to );
	await user.type( to, '00:00' );
	expect( latest.availability.hours ).toHaveLength( 7 );
	expect(
		latest.availability.hours.every(
			( range ) => range.start === '09:00' && range.end === '24:00'
		)
	).toBe( true );
	expect( screen.getByLabelText( 'To' ) ).toHaveValue( '00:00' );

	await user.click( screen.getByRole( 'button', { name: '+ Add hours' } ) );
	// The new row (Monday, the day after Sunday) overlaps "Every day".
	expect( screen.getByRole( 'alert' ) ).toHaveTextContent(
		'These hours overlap other hours on Monday.'
	);
} );

describe( 'rows and stored ranges', () => {
	it( 'reads ranges saved one day at a time as the rows a person would write', () => {
		const saved: OfficeHoursRange[] = [
			...WEEKDAYS_9_TO_5,
			{ day: 6, start: '10:00', end: '14:00' },
			{ day: 0, start: '10:00', end: '14:00' },
			{ day: 3, start: '18:00', end: '20:00' },
		];
		const rows = rowsOf( saved );
		expect(
			rows.map( ( { days, start, end } ) => [ days, start, end ] )
		).toEqual( [
			[ 'weekdays', '09:00', '17:00' ],
			[ 'weekend', '10:00', '14:00' ],
			[ '3', '18:00', '20:00' ],
		] );
		expect( rangesOf( rows ) ).toEqual( saved );
		expect( rows.flatMap( ( row ) => row.indexes ).sort() ).toEqual( [
			0, 1, 2, 3, 4, 5, 6, 7,
		] );
	} );

	it( 'keeps days that make no set as one row each', () => {
		const saved: OfficeHoursRange[] = [
			{ day: 1, start: '09:00', end: '17:00' },
			{ day: 2, start: '09:00', end: '17:00' },
		];
		expect( rowsOf( saved ).map( ( row ) => row.days ) ).toEqual( [
			'1',
			'2',
		] );
	} );
} );

describe( 'the office-hours rule the chat service evaluates agrees with the rows', () => {
	const rows: Array< Pick< OfficeHoursRow, 'days' | 'start' | 'end' > > = [
		{ days: 'weekdays', start: '09:00', end: '17:00' },
		{ days: 'weekend', start: '10:00', end: '14:00' },
	];
	const open = ( timeZone: string, instant: string ) =>
		isWithinOfficeHours(
			{ timeZone, hours: rangesOf( rows ) },
			new Date( instant )
		);

	it.each( [
		// Copenhagen in winter (UTC+1).
		[ 'Europe/Copenhagen', '2026-12-07T08:00:00Z', true ], // Monday 09:00
		[ 'Europe/Copenhagen', '2026-12-07T07:59:00Z', false ], // Monday 08:59
		[ 'Europe/Copenhagen', '2026-12-11T15:59:00Z', true ], // Friday 16:59
		[ 'Europe/Copenhagen', '2026-12-11T16:00:00Z', false ], // Friday 17:00
		[ 'Europe/Copenhagen', '2026-12-12T09:30:00Z', true ], // Saturday 10:30
		[ 'Europe/Copenhagen', '2026-12-13T13:00:00Z', false ], // Sunday 14:00
		// Copenhagen in summer (UTC+2).
		[ 'Europe/Copenhagen', '2026-07-06T07:00:00Z', true ], // Monday 09:00
		[ 'Europe/Copenhagen', '2026-07-06T06:59:00Z', false ], // Monday 08:59
		// New York: Friday 16:30 there is Saturday in Copenhagen.
		[ 'America/New_York', '2026-12-11T21:30:00Z', true ], // Friday 16:30
		[ 'America/New_York', '2026-12-12T14:30:00Z', false ], // Saturday 09:30
		[ 'America/New_York', '2026-12-12T15:00:00Z', true ], // Saturday 10:00
	] )( 'in %s at %s: open %s', ( timeZone, instant, expected ) => {
		expect( open( timeZone, instant ) ).toBe( expected );
	} );

	it( 'reads an end at 00:00 as midnight: open until the day ends', () => {
		const allDay = rangesOf( [
			{ days: 'every_day', start: '00:00', end: endFromInput( '00:00' ) },
		] );
		expect( allDay.every( ( range ) => range.end === '24:00' ) ).toBe(
			true
		);
		for ( const instant of [
			'2026-12-07T22:59:00Z', // Monday 23:59 in Copenhagen
			'2026-12-13T23:00:00Z', // Monday 00:00
			'2026-07-04T12:00:00Z', // Saturday
		] ) {
			expect(
				isWithinOfficeHours(
					{
						timeZone: 'Europe/Copenhagen',
						hours: allDay,
					},
					new Date( instant )
				)
			).toBe( true );
		}
	} );
} );
