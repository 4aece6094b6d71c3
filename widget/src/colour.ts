/**
 * Colours derived from the chatflow's accent, with WCAG 2 contrast computed,
 * not guessed: the chat window builds its palette from them (the loader's
 * launcher uses CSS `contrast-color()`, which makes the same choice).
 */

/** The accent colour when the configuration names none. */
export const DEFAULT_ACCENT = '#1e6ef4';

/** Near-black text on light accents. */
export const DARK_TEXT = '#111111';

/** Normal text's minimum contrast (WCAG 2, level AA). */
export const TEXT_CONTRAST = 4.5;

/**
 * Whether a value is a #RRGGBB colour.
 *
 * @param value Value.
 */
export function isHexColour( value: unknown ): value is string {
	return /^#[0-9a-f]{6}$/i.test( String( value ) );
}

/**
 * The channels of a #RRGGBB colour, 0 to 255.
 *
 * @param hex Colour.
 */
function channels( hex: string ): number[] {
	return [ 1, 3, 5 ].map( ( at ) => parseInt( hex.slice( at, at + 2 ), 16 ) );
}

/**
 * The relative luminance (WCAG 2) of a #RRGGBB colour, 0 to 1.
 *
 * @param hex Colour.
 */
export function luminance( hex: string ): number {
	const [ r, g, b ] = channels( hex ).map( ( value ) => {
		const c = value / 255;
		return c <= 0.03928 ? c / 12.92 : ( ( c + 0.055 ) / 1.055 ) ** 2.4;
	} );
	return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * The contrast ratio of two #RRGGBB colours (1 to 21).
 *
 * @param a One colour.
 * @param b The other.
 */
export function contrast( a: string, b: string ): number {
	const [ light, dark ] = [ luminance( a ), luminance( b ) ].sort(
		( x, y ) => y - x
	);
	return ( light + 0.05 ) / ( dark + 0.05 );
}

/**
 * The colour of text that reads best on a background colour: near-black
 * where black contrasts more than white (CSS `contrast-color()`'s choice),
 * else white; white for anything that is not #RRGGBB.
 *
 * @param background Background colour.
 * @return '#ffffff' or '#111111'.
 */
export function readableTextColor( background: string ): string {
	return isHexColour( background ) &&
		contrast( background, '#000000' ) > contrast( background, '#ffffff' )
		? DARK_TEXT
		: '#ffffff';
}

/**
 * A colour moved towards another (#RRGGBB).
 *
 * @param from   Colour.
 * @param to     The colour to move towards.
 * @param amount 0 (from) to 1 (to).
 */
export function mix( from: string, to: string, amount: number ): string {
	const target = channels( to );
	return (
		'#' +
		channels( from )
			.map( ( value, index ) =>
				Math.round( value + ( target[ index ] - value ) * amount )
					.toString( 16 )
					.padStart( 2, '0' )
			)
			.join( '' )
	);
}

/**
 * The nearest colour to `colour`, moved towards `away` (black or white),
 * whose contrast with `against` is at least `minimum`.
 *
 * @param colour  Colour to keep as close as possible.
 * @param against The colour it must contrast with.
 * @param away    Black or white: the way to move.
 * @param minimum Contrast needed.
 */
function adjusted(
	colour: string,
	against: string,
	away: string,
	minimum: number
): string {
	for ( let step = 0; step <= 20; step++ ) {
		const candidate = mix( colour, away, step / 20 );
		if ( contrast( candidate, against ) >= minimum ) {
			return candidate;
		}
	}
	return away;
}

/** The chat window's colours, all derived from the accent. */
export interface AccentPalette {
	/** The accent as configured (the header). */
	accent: string;
	/** Text on `accent`. */
	onAccent: string;
	/** The accent, darkened or lightened until `onAccent` on it has 4.5:1 (buttons, the visitor's messages). */
	solid: string;
	/** The accent as text, links and focus rings on white: 4.5:1 at least. */
	text: string;
	/** A faint tint of the accent for backgrounds (notices, hover). */
	soft: string;
}

/**
 * The chat window's palette from the chatflow's accent colour. Every pair
 * of text and background in it has at least 4.5:1 contrast.
 *
 * @param accentColor The chatflow's accent (#RRGGBB); the default otherwise.
 */
export function accentPalette( accentColor?: string ): AccentPalette {
	const accent = isHexColour( accentColor ) ? accentColor : DEFAULT_ACCENT;
	const onAccent = readableTextColor( accent );
	// Dark text on a light accent: lighten the surface; white text: darken it.
	const solid = adjusted(
		accent,
		onAccent,
		onAccent === DARK_TEXT ? '#ffffff' : '#000000',
		TEXT_CONTRAST
	);
	return {
		accent,
		onAccent,
		solid,
		text: adjusted( accent, '#ffffff', '#000000', TEXT_CONTRAST ),
		soft: mix( accent, '#ffffff', 0.9 ),
	};
}
