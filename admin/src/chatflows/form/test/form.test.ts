/**
 * Tests of the editor's form logic: defaults, validation, the server's
 * errors mapped onto fields, and the unsaved-changes check.
 */
import { defaultSettings } from '@chatflows/chatflow-model';
import { getAtPath, isDirty, jsonEqual, setAtPath } from '../dirty';
import {
	errorsFromRestError,
	errorsUnder,
	normalisePath,
} from '../field-errors';
import { timeOnPageHint, validateSettings } from '../validation';

describe( 'defaultSettings', () => {
	it( 'gives complete, valid settings', () => {
		const settings = defaultSettings();
		expect( settings.display.accentColor ).toMatch( /^#[0-9a-f]{6}$/i );
		expect( settings.target.allPages ).toBe( false );
		expect( settings.welcomeMessage ).toEqual( {} );
		expect( validateSettings( settings ) ).toEqual( {} );
	} );

	it( 'returns a fresh copy every time', () => {
		const first = defaultSettings();
		first.availability.hours.push( {
			day: 1,
			start: '09:00',
			end: '17:00',
		} );
		expect( defaultSettings().availability.hours ).toEqual( [] );
	} );
} );

describe( 'validateSettings', () => {
	function withChange( path: string, value: unknown ) {
		return validateSettings( setAtPath( defaultSettings(), path, value ) );
	}

	it.each( [ 'red', '#12345', '#12345g', '', '<b>#fff</b>' ] )(
		'refuses the colour %p',
		( colour ) => {
			expect(
				Object.keys( withChange( 'display.accentColor', colour ) )
			).toEqual( [ 'settings.display.accentColor' ] );
		}
	);

	it.each( [ -1, 3601, 2.5, Number.NaN ] )(
		'refuses %p seconds on page',
		( seconds ) => {
			expect(
				Object.keys(
					withChange(
						'displayBehaviour.triggers.timeOnPageSeconds',
						seconds
					)
				)
			).toEqual( [
				'settings.displayBehaviour.triggers.timeOnPageSeconds',
			] );
		}
	);

	it( 'hints below 5 seconds without refusing', () => {
		const settings = setAtPath(
			defaultSettings(),
			'displayBehaviour.triggers.timeOnPageSeconds',
			2
		);
		expect( validateSettings( settings ) ).toEqual( {} );
		expect( timeOnPageHint( settings ) ).toMatch( /5 seconds or more/ );
		expect(
			timeOnPageHint(
				setAtPath(
					settings,
					'displayBehaviour.triggers.timeOnPageSeconds',
					5
				)
			)
		).toBeNull();
	} );

	it.each( [ -1, 101 ] )( 'refuses scrolling %p percent', ( percent ) => {
		expect(
			Object.keys(
				withChange( 'displayBehaviour.triggers.scrollPercent', percent )
			)
		).toEqual( [ 'settings.displayBehaviour.triggers.scrollPercent' ] );
	} );

	it( 'refuses an unknown time zone and accepts real ones', () => {
		expect(
			withChange( 'availability.timeZone', 'Mars/Olympus' )
		).toHaveProperty( [ 'settings.availability.timeZone' ] );
		expect(
			withChange( 'availability.timeZone', 'Europe/Copenhagen' )
		).toEqual( {} );
	} );

	it( 'refuses assignment on with nobody to assign to', () => {
		expect( withChange( 'assignment.enabled', true ) ).toHaveProperty( [
			'settings.assignment.userIds',
		] );
		const settings = setAtPath(
			setAtPath( defaultSettings(), 'assignment.enabled', true ),
			'assignment.teamIds',
			[ 3 ]
		);
		expect( validateSettings( settings ) ).toEqual( {} );
	} );

	it( 'refuses texts over 1000 characters, naming the language', () => {
		expect(
			Object.keys(
				withChange( 'welcomeMessage.en_US', 'x'.repeat( 1001 ) )
			)
		).toEqual( [ 'settings.welcomeMessage.en_US' ] );
		expect(
			withChange( 'welcomeMessage.en_US', '<script>alert(1)</script>' )
		).toEqual( {} );
		// 1,000 characters, as WordPress counts them, though 2,000 UTF-16 units.
		expect(
			withChange( 'welcomeMessage.en_US', '😀'.repeat( 1000 ) )
		).toEqual( {} );
	} );

	it.each( [ -1, 10081, 1.5 ] )(
		'refuses closing idle chats after %p minutes',
		( minutes ) => {
			expect(
				Object.keys( withChange( 'options.idleCloseMinutes', minutes ) )
			).toEqual( [ 'settings.options.idleCloseMinutes' ] );
		}
	);

	it( 'refuses ticket properties over 100 characters', () => {
		expect(
			Object.keys(
				withChange( 'options.ticket.pipeline', 'p'.repeat( 101 ) )
			)
		).toEqual( [ 'settings.options.ticket.pipeline' ] );
	} );

	it( 'refuses a privacy-policy link that is not http(s)', () => {
		expect(
			Object.keys(
				withChange(
					'options.dataConsent.privacyPolicyUrl',
					'javascript:alert(1)'
				)
			)
		).toEqual( [ 'settings.options.dataConsent.privacyPolicyUrl' ] );
		expect(
			withChange(
				'options.dataConsent.privacyPolicyUrl',
				'https://example.com/privacy'
			)
		).toEqual( {} );
	} );

	it( 'needs a team name for custom branding (an image is optional, as WordPress has it)', () => {
		expect(
			Object.keys( withChange( 'heading.mode', 'custom_branding' ) )
		).toEqual( [ 'settings.heading.teamName' ] );
	} );

	it( 'needs office hours when availability follows them', () => {
		expect(
			withChange( 'availability.mode', 'office_hours' )
		).toHaveProperty( [ 'settings.availability.hours' ] );
	} );
} );

describe( 'office hours', () => {
	it( 'names an overlap with the day it is on', () => {
		const settings = setAtPath( defaultSettings(), 'availability.hours', [
			{ day: 1, start: '09:00', end: '17:00' },
			{ day: 1, start: '12:00', end: '18:00' },
		] );
		expect( validateSettings( settings ) ).toEqual( {
			'settings.availability.hours[1].start': expect.stringMatching(
				/overlap other hours on Monday/
			),
		} );
	} );
} );

describe( 'server errors', () => {
	it( 'maps every named field, whatever the path notation', () => {
		const mapped = errorsFromRestError( {
			code: 'rest_invalid_param',
			message: 'Invalid parameter(s): settings',
			data: {
				status: 400,
				params: {
					'settings.availability.hours[1].end':
						'The end must be after the start.',
					'settings[display][accentColor]': 'Not a colour.',
					'settings.welcomeMessage.en_US': 'Too long.',
				},
			},
		} );
		expect( mapped.fields ).toEqual( {
			'settings.availability.hours[1].end':
				'The end must be after the start.',
			'settings.display.accentColor': 'Not a colour.',
			'settings.welcomeMessage.en_US': 'Too long.',
		} );
		expect( mapped.conflict ).toBe( false );
		expect( mapped.general ).toMatch( /Nothing was saved/ );
	} );

	it( 'recognises a conflict', () => {
		const mapped = errorsFromRestError( {
			code: 'chatflows_conflict',
			message: 'Someone else saved this chatflow.',
			data: { status: 409 },
		} );
		expect( mapped ).toEqual( {
			fields: {},
			general: 'Someone else saved this chatflow.',
			conflict: true,
		} );
	} );

	it( 'shows other errors and network failures as a whole-form message', () => {
		expect(
			errorsFromRestError( {
				code: 'rest_forbidden',
				message: 'Sorry, you are not allowed to do that.',
			} ).general
		).toBe( 'Sorry, you are not allowed to do that.' );
		expect(
			errorsFromRestError( new TypeError( 'fetch' ) ).general
		).toMatch( /Could not reach WordPress/ );
	} );

	it( 'normalises paths and finds errors under a group', () => {
		expect( normalisePath( 'a[b][0][c]' ) ).toBe( 'a.b[0].c' );
		expect( normalisePath( 'a.b.0.c' ) ).toBe( 'a.b[0].c' );
		const errors = {
			'settings.availability.hours[0].end': 'x',
			'settings.availabilityNote': 'y',
			'settings.availability': 'z',
		};
		expect( errorsUnder( errors, 'settings.availability' ) ).toEqual( [
			'x',
			'z',
		] );
	} );
} );

describe( 'dirty state', () => {
	it( 'ignores key order and undefined keys', () => {
		expect(
			jsonEqual(
				{ a: 1, b: [ 1, { c: 2 } ] },
				{ b: [ 1, { c: 2 } ], a: 1 }
			)
		).toBe( true );
		expect( isDirty( { a: 1 }, { a: 1, b: undefined } ) ).toBe( false );
	} );

	it( 'sees any change, and a change undone is clean again', () => {
		const loaded = defaultSettings();
		const changed = setAtPath( loaded, 'availability.hours[0]', {
			day: 1,
			start: '09:00',
			end: '17:00',
		} );
		expect( isDirty( loaded, changed ) ).toBe( true );
		expect( loaded.availability.hours ).toEqual( [] );
		expect(
			isDirty( loaded, setAtPath( changed, 'availability.hours', [] ) )
		).toBe( false );
		expect( getAtPath( changed, 'availability.hours[0].start' ) ).toBe(
			'09:00'
		);
	} );

	it( 'shares what did not change', () => {
		const loaded = defaultSettings();
		const changed = setAtPath( loaded, 'display.accentColor', '#000000' );
		expect( changed.availability ).toBe( loaded.availability );
		expect( changed.display ).not.toBe( loaded.display );
	} );
} );
