/**
 * The settings model: limits read from the schema, defaults, office hours,
 * and lengths counted as WordPress counts them.
 */
import schemaFile from '../../../plugin/schema/chatflow-settings.json';
import {
	characterCount,
	defaultSettings,
	minutesOf,
	officeHoursIssues,
	SETTINGS_CHOICES,
	SETTINGS_LIMITS,
	validateSettings,
} from '../src/index';

describe( 'limits', () => {
	it( 'are the schema file’s own numbers', () => {
		const { properties, definitions } = schemaFile;
		expect( SETTINGS_LIMITS.idleCloseMinutes ).toBe(
			properties.options.properties.idleCloseMinutes.maximum
		);
		expect( SETTINGS_LIMITS.idleCloseMinutes ).toBe( 10080 );
		expect( SETTINGS_LIMITS.textLength ).toBe(
			definitions.localizedText.properties.en_US.maxLength
		);
		expect( SETTINGS_LIMITS.textLength ).toBe( 1000 );
		expect( SETTINGS_CHOICES.locales ).toEqual( [
			'en_US',
			'da_DK',
			'nl_NL',
		] );
	} );

	it( 'are the same for every language of a text', () => {
		const lengths = Object.values(
			schemaFile.definitions.localizedText.properties
		).map( ( text ) => text.maxLength );
		expect( new Set( lengths ) ).toEqual(
			new Set( [ SETTINGS_LIMITS.textLength ] )
		);
	} );
} );

describe( 'defaults', () => {
	it( 'are complete and valid, and a fresh copy each time', () => {
		const settings = defaultSettings();
		expect( validateSettings( settings ) ).toEqual( {} );
		settings.availability.hours.push( {
			day: 1,
			start: '09:00',
			end: '17:00',
		} );
		expect( defaultSettings().availability.hours ).toEqual( [] );
	} );
} );

describe( 'lengths', () => {
	it( 'count characters, not UTF-16 units', () => {
		expect( characterCount( '😀' ) ).toBe( 1 );
		expect( characterCount( 'café' ) ).toBe( 4 );
	} );
} );

describe( 'office hours', () => {
	it( 'read HH:MM and 24:00', () => {
		expect( minutesOf( '09:30' ) ).toBe( 570 );
		expect( minutesOf( '24:00' ) ).toBe( 1440 );
		expect( minutesOf( '24:01' ) ).toBeNull();
		expect( minutesOf( '9:30' ) ).toBeNull();
	} );

	it( 'name the day of an overlap', () => {
		expect(
			officeHoursIssues(
				[
					{ day: 3, start: '09:00', end: '17:00' },
					{ day: 3, start: '16:00', end: '18:00' },
				],
				'hours'
			)
		).toEqual( { 'hours[1].start': { code: 'range_overlap', day: 3 } } );
	} );
} );
