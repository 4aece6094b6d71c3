/**
 * The snippet's script for pages outside WordPress (a shop on another host,
 * a static landing page). Its script tag names the site's embed route:
 *
 *     <script src="…/build/widget/outside-page.js" data-chatflows-embed="https://site/wp-json/chatflows/v1/embed" defer></script>
 *
 * It asks that route which chatflow serves this page's URL (the site applies
 * the same rules as to its own pages, and answers only for sites it lists),
 * then starts the loader with the answer. No chatflow: nothing more happens.
 */

/** The embed route's answer. */
interface EmbedAnswer {
	/** As `window.chatflowsConfig` on the site's own pages; null for no chat. */
	config: unknown;
	loaderUrl: string;
}

/**
 * Asks the site and starts the loader when a chatflow serves this page.
 *
 * @param embedUrl The site's embed route.
 * @param pageUrl  This page's URL.
 */
export async function startOutsidePage(
	embedUrl: string,
	pageUrl: string
): Promise< boolean > {
	const url = new URL( embedUrl );
	url.searchParams.set( 'url', pageUrl );
	const response = await fetch( url.toString(), {
		credentials: 'omit',
		headers: { Accept: 'application/json' },
	} );
	if ( ! response.ok ) {
		return false;
	}
	const answer = ( await response.json() ) as EmbedAnswer;
	if ( ! answer.config || typeof answer.loaderUrl !== 'string' ) {
		return false;
	}
	window.chatflowsConfig = answer.config as typeof window.chatflowsConfig;
	const loader = document.createElement( 'script' );
	loader.src = answer.loaderUrl;
	loader.async = true;
	document.head.appendChild( loader );
	return true;
}

const script = document.currentScript as HTMLScriptElement | null;
const embed = script?.dataset.chatflowsEmbed;
if ( embed ) {
	// The page's URL without its fragment: rules never look at it.
	startOutsidePage( embed, location.href.split( '#' )[ 0 ] ).catch( () => {
		// The site could not be asked: the page simply has no chat.
	} );
}
