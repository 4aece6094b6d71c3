/**
 * Tests of the form state's helpers: the whole draft's validation and which
 * of WordPress's errors a change clears.
 */
import { defaultSettings } from '@chatflows/chatflow-model';
import { validateDraft, withoutErrorsUnder } from '../use-chatflow-form';

describe( 'validateDraft', () => {
	it( 'needs a name of at most 200 characters', () => {
		const settings = defaultSettings();
		expect( validateDraft( { title: '  ', settings } ) ).toEqual( {
			title: 'Give the chatflow a name.',
		} );
		expect(
			Object.keys(
				validateDraft( { title: 'x'.repeat( 201 ), settings } )
			)
		).toEqual( [ 'title' ] );
		expect( validateDraft( { title: 'Sales', settings } ) ).toEqual( {} );
	} );
} );

describe( 'withoutErrorsUnder', () => {
	const errors = {
		'settings.availability.hours[0].end': 'a',
		'settings.availability.hours': 'b',
		'settings.availability.timeZone': 'c',
		'settings.assignment.userIds': 'd',
		title: 'e',
	};

	it( 'clears the changed field, what is under it, and the group it belongs to', () => {
		expect(
			withoutErrorsUnder( errors, 'settings.availability.hours' )
		).toEqual( {
			'settings.availability.timeZone': 'c',
			'settings.assignment.userIds': 'd',
			title: 'e',
		} );
		expect(
			Object.keys(
				withoutErrorsUnder(
					errors,
					'settings.availability.hours[0].end'
				)
			)
		).toEqual( [
			'settings.availability.hours',
			'settings.availability.timeZone',
			'settings.assignment.userIds',
			'title',
		] );
		expect(
			withoutErrorsUnder(
				{ 'settings.heading': 'x' },
				'settings.heading.teamName'
			)
		).toEqual( {} );
	} );
} );
