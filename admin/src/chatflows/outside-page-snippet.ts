/**
 * The snippet a site owner pastes into a page outside WordPress, written from the URLs the site gives
 * (`embed` in `GET chatflows/v1/targeting`). It is shown as text in the Target tab, never run here.
 */

/** What the snippet names. */
export interface EmbedUrls {
	/** The script to load (`build/widget/outside-page.js`). */
	script: string;
	/** The endpoint the script asks which chatflow serves the page. */
	endpoint: string;
}

/**
 * Escapes a value for a double-quoted HTML attribute.
 *
 * @param value Value.
 */
function attribute( value: string ): string {
	return value
		.replace( /&/g, '&amp;' )
		.replace( /"/g, '&quot;' )
		.replace( /</g, '&lt;' );
}

/**
 * The snippet's HTML.
 *
 * @param urls The URLs it names.
 */
export function outsidePageSnippet( urls: EmbedUrls ): string {
	return `<script src="${ attribute(
		urls.script
	) }" data-chatflows-embed="${ attribute(
		urls.endpoint
	) }" defer></script>`;
}
