/**
 * A fetched file in the page: shown through an object URL, or saved. Plain
 * DOM, for the visitor's chat window and the agents' inbox alike.
 */

/**
 * Loads a file into an object URL while it is shown; for an effect.
 *
 * @param load     Fetches the file.
 * @param onUrl    Takes the object URL.
 * @param onFailed Called when the file cannot be fetched.
 * @return The effect's clean-up: ignores a late answer, frees the URL.
 */
export function showFile(
	load: () => Promise< Blob >,
	onUrl: ( url: string ) => void,
	onFailed: () => void
): () => void {
	let objectUrl: string | null = null;
	let cancelled = false;
	load().then(
		( blob ) => {
			if ( ! cancelled ) {
				objectUrl = URL.createObjectURL( blob );
				onUrl( objectUrl );
			}
		},
		() => ! cancelled && onFailed()
	);
	return () => {
		cancelled = true;
		if ( objectUrl ) {
			URL.revokeObjectURL( objectUrl );
		}
	};
}

/**
 * Saves a fetched file the way a download link would.
 *
 * @param blob The file.
 * @param name The name to save it under.
 */
export function saveFile( blob: Blob, name: string ): void {
	const objectUrl = URL.createObjectURL( blob );
	const link = document.createElement( 'a' );
	link.href = objectUrl;
	link.download = name;
	link.click();
	// Long enough for the browser to start saving it.
	setTimeout( () => URL.revokeObjectURL( objectUrl ), 60_000 );
}
