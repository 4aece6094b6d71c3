/**
 * The accent's derived colours: text on the accent turns dark on light
 * accents, and every text/background pair of the palette has 4.5:1 contrast,
 * computed with WCAG 2's formula.
 */
import {
	accentPalette,
	contrast,
	DARK_TEXT,
	DEFAULT_ACCENT,
	luminance,
	mix,
	readableTextColor,
	TEXT_CONTRAST,
} from '../colour';

/** Accents a site might choose: dark, light, mid-tones where neither text colour reaches 4.5:1. */
const ACCENTS = [
	DEFAULT_ACCENT,
	'#ffe600',
	'#ffe066',
	'#ffffff',
	'#000000',
	'#0f766e',
	'#ff5c35',
	'#e0457b',
	'#7fdbff',
	'#808080',
	'#00a651',
];

describe( 'contrast', () => {
	it( 'follows WCAG 2: 21:1 for black on white, 1:1 for a colour on itself', () => {
		expect( contrast( '#000000', '#ffffff' ) ).toBeCloseTo( 21, 5 );
		expect( contrast( '#ffffff', '#000000' ) ).toBeCloseTo( 21, 5 );
		expect( contrast( '#1e6ef4', '#1e6ef4' ) ).toBe( 1 );
		// The W3C's reference value for #777777 on white.
		expect( contrast( '#777777', '#ffffff' ) ).toBeCloseTo( 4.48, 2 );
		expect( luminance( '#ffffff' ) ).toBeCloseTo( 1, 5 );
	} );
} );

describe( 'readableTextColor', () => {
	it( 'chooses white on dark accents and near-black on light ones', () => {
		expect( readableTextColor( '#2563eb' ) ).toBe( '#ffffff' );
		expect( readableTextColor( '#000000' ) ).toBe( '#ffffff' );
		expect( readableTextColor( '#ffe600' ) ).toBe( DARK_TEXT );
		expect( readableTextColor( '#ffe066' ) ).toBe( DARK_TEXT );
		expect( readableTextColor( '#ffffff' ) ).toBe( DARK_TEXT );
		expect( readableTextColor( 'red' ) ).toBe( '#ffffff' );
	} );
} );

describe( 'mix', () => {
	it( 'moves a colour towards another', () => {
		expect( mix( '#000000', '#ffffff', 0 ) ).toBe( '#000000' );
		expect( mix( '#000000', '#ffffff', 1 ) ).toBe( '#ffffff' );
		expect( mix( '#1e6ef4', '#ffffff', 0.5 ) ).toBe( '#8fb7fa' );
	} );
} );

describe( 'accentPalette', () => {
	it.each( ACCENTS )(
		'%s: every text on its background has 4.5:1 at least',
		( accent ) => {
			const palette = accentPalette( accent );
			expect( palette.accent ).toBe( accent );
			expect(
				contrast( palette.solid, palette.onAccent )
			).toBeGreaterThanOrEqual( TEXT_CONTRAST );
			expect(
				contrast( palette.text, '#ffffff' )
			).toBeGreaterThanOrEqual( TEXT_CONTRAST );
			// Dark text on the faint tint (notices).
			expect(
				contrast( '#1e1e1e', palette.soft )
			).toBeGreaterThanOrEqual( TEXT_CONTRAST );
		}
	);

	it( 'keeps an accent that already has the contrast, and turns text dark on #ffe600', () => {
		expect( accentPalette( '#0f766e' ).solid ).toBe( '#0f766e' );
		const yellow = accentPalette( '#ffe600' );
		expect( yellow.onAccent ).toBe( DARK_TEXT );
		expect( yellow.solid ).toBe( '#ffe600' );
		// Yellow text on white would be unreadable: links and rings are darker.
		expect( contrast( yellow.text, '#ffffff' ) ).toBeGreaterThanOrEqual(
			TEXT_CONTRAST
		);
	} );

	it( 'falls back to the default accent for anything but #RRGGBB', () => {
		expect( accentPalette( 'red' ).accent ).toBe( DEFAULT_ACCENT );
		expect( accentPalette( undefined ).accent ).toBe( DEFAULT_ACCENT );
	} );
} );
