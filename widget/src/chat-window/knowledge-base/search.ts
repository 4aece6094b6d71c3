/**
 * The site's public knowledge-base search (WordPress's
 * `GET chatflows/v1/knowledge-base/search?chatflow=ID&q=…`).
 */

/** One article as the search answers it: plain text and its address. */
export interface Article {
	id: number;
	title: string;
	excerpt: string;
	url: string;
}

/**
 * Searches the chatflow's chosen content.
 *
 * @param searchUrl  The route's URL, from the configuration.
 * @param chatflowId The chatflow.
 * @param words      What the visitor typed.
 * @param fetchImpl  Tests pass their own.
 * @return The articles found (a few at most).
 * @throws Error when the site does not answer with articles.
 */
export async function searchArticles(
	searchUrl: string,
	chatflowId: string,
	words: string,
	fetchImpl: typeof fetch = fetch
): Promise< Article[] > {
	const url = new URL( searchUrl, window.location.href );
	url.searchParams.set( 'chatflow', chatflowId );
	url.searchParams.set( 'q', words );
	const response = await fetchImpl( url.toString(), {
		headers: { Accept: 'application/json' },
		credentials: 'omit',
	} );
	const answer = ( await response.json().catch( () => null ) ) as {
		articles?: unknown;
	} | null;
	if ( ! response.ok || ! Array.isArray( answer?.articles ) ) {
		throw new Error(
			`knowledge-base search failed (${ response.status })`
		);
	}
	return ( answer.articles as Article[] ).filter( ( article ) =>
		isHttpUrl( article.url )
	);
}

/**
 * Only http(s) links are offered, whatever the site answers.
 *
 * @param value A URL.
 */
function isHttpUrl( value: unknown ): boolean {
	try {
		const protocol = new URL( String( value ) ).protocol;
		return protocol === 'http:' || protocol === 'https:';
	} catch {
		return false;
	}
}
