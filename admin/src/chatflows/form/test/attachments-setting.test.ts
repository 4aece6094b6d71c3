/**
 * The chatflow's attachment setting: on by default with a 5 MB limit, and a
 * limit outside 1–10 whole megabytes named before saving.
 */
import { defaultSettings } from '@chatflows/chatflow-model';
import { setAtPath } from '../dirty';
import { validateSettings } from '../validation';

describe( 'attachments setting', () => {
	it( 'lets visitors send files up to 5 MB by default', () => {
		expect( defaultSettings().options.attachments ).toEqual( {
			enabled: true,
			maxSizeMb: 5,
		} );
		expect( validateSettings( defaultSettings() ) ).toEqual( {} );
	} );

	it.each( [ 0, 11, 2.5 ] )( 'refuses a limit of %p MB', ( size ) => {
		expect(
			validateSettings(
				setAtPath(
					defaultSettings(),
					'options.attachments.maxSizeMb',
					size
				)
			)
		).toEqual( {
			'settings.options.attachments.maxSizeMb':
				'Enter whole megabytes from 1 to 10.',
		} );
	} );
} );
