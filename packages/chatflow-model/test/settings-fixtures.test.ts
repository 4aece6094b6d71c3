/**
 * The settings rules against the fixtures WordPress's own implementation
 * also passes (test/fixtures/settings, run there by
 * test/php/ChatflowSettingsFixturesTest.php).
 */
import validation from '../../../test/fixtures/settings/validation.json';
import { defaultSettings, validateSettings } from '../src/index';

/**
 * The default settings with values written at dotted paths.
 *
 * @param set Values by path, e.g. `options.idleCloseMinutes`.
 */
function settingsWith( set: Record< string, unknown > ): unknown {
	const settings = defaultSettings() as unknown as Record< string, unknown >;
	for ( const [ path, value ] of Object.entries( set ) ) {
		const keys = path.split( '.' );
		let node = settings;
		for ( const key of keys.slice( 0, -1 ) ) {
			node = node[ key ] as Record< string, unknown >;
		}
		node[ keys[ keys.length - 1 ] ] = value;
	}
	return settings;
}

describe( 'settings validation (fixtures)', () => {
	it.each( validation.map( ( item ) => [ item.name, item ] ) )(
		'%s',
		( _name, item ) => {
			const issues = validateSettings( settingsWith( item.set ) );
			expect( Object.keys( issues ).sort() ).toEqual(
				[ ...item.errors ].sort()
			);
		}
	);

	it( 'hold cases of every kind of issue', () => {
		const codes = new Set(
			validation.flatMap( ( item ) =>
				Object.values(
					validateSettings( settingsWith( item.set ) )
				).map( ( issue ) => issue.code )
			)
		);
		expect( [ ...codes ].sort() ).toEqual(
			[
				'assignment_nobody',
				'choice',
				'end_time',
				'hours_required',
				'pattern',
				'privacy_url',
				'range',
				'range_empty',
				'range_inverted',
				'range_overlap',
				'start_time',
				'target',
				'team_name_required',
				'time_zone',
				'too_long',
				'too_many',
				'type',
				'unknown',
			].sort()
		);
	} );
} );
