/**
 * Initials for an avatar without an image.
 */
import { initialsOf } from '../src';

it.each( [
	[ '  ada  lovelace byron ', 'AL' ],
	[ 'Support', 'S' ],
	[ 'søren kierkegaard', 'SK' ],
	[ '', '' ],
] )( '%p → %p', ( name, initials ) => {
	expect( initialsOf( name ) ).toBe( initials );
} );
