/**
 * A person's initials in a coloured circle: the inbox shows no photos (the
 * visitor sent none, and wp-admin may have avatars off), yet lets the agent
 * tell conversations apart at a glance.
 */

/**
 * Background colours, each with white text above 4.5:1 contrast, so
 * initials stay readable whichever one a name gets.
 */
const AVATAR_COLOURS = [
	'#135e96',
	'#007017',
	'#8a2424',
	'#5b3e96',
	'#6e4b00',
	'#0a4b78',
];

/**
 * Up to two initials of a name: the first letters of its first two words
 * (words of letters only, so an anonymous visitor's code is left out), or of
 * an e-mail address's name.
 *
 * @param name The name shown beside the avatar.
 * @return The initials, upper case; '?' for an empty name.
 */
export function initialsOf( name: string ): string {
	const words = name
		.replace( /@.*$/, '' )
		.split( /[\s._-]+/ )
		// Words of letters only: "Visitor a407be" is "V", not "VA".
		.filter( ( word ) => /^[\p{L}']+$/u.test( word ) );
	if ( words.length === 0 ) {
		return name.trim() ? Array.from( name.trim() )[ 0 ].toUpperCase() : '?';
	}
	return words
		.slice( 0, 2 )
		.map( ( word ) => Array.from( word )[ 0 ] )
		.join( '' )
		.toLocaleUpperCase();
}

/**
 * The same colour for the same name on every screen.
 *
 * @param name The name.
 * @return A colour of AVATAR_COLOURS.
 */
export function avatarColourOf( name: string ): string {
	let hash = 0;
	for ( const character of name ) {
		hash = ( hash * 31 + ( character.codePointAt( 0 ) ?? 0 ) ) % 2147483647;
	}
	return AVATAR_COLOURS[ hash % AVATAR_COLOURS.length ];
}

/**
 * The avatar. Decorative: the name it stands for is always written beside it.
 *
 * @param props      Props.
 * @param props.name The person's name as shown.
 * @param props.size Small in lists, large in headings.
 */
export function Avatar( {
	name,
	size = 'small',
}: {
	name: string;
	size?: 'small' | 'large';
} ) {
	return (
		<span
			className={ `chatflows-inbox__avatar is-${ size }` }
			style={ { backgroundColor: avatarColourOf( name ) } }
			aria-hidden="true"
		>
			{ initialsOf( name ) }
		</span>
	);
}
