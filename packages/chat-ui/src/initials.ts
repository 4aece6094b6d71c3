/**
 * The initials of a name (first letters of its first two words), for an
 * avatar without an image: in the chat window's heading, and beside the
 * agents and teams a chatflow's heading names in wp-admin.
 *
 * @param name A name.
 */
export function initialsOf( name: string ): string {
	return name
		.trim()
		.split( /\s+/ )
		.slice( 0, 2 )
		.map( ( word ) => Array.from( word )[ 0 ] ?? '' )
		.join( '' )
		.toUpperCase();
}
