/**
 * A page the visitor saw, as a link when its address is a web page's.
 */
import { __ } from '@wordpress/i18n';

import type { VisitorPage } from '@chatflows/protocol';

/**
 * Whether an address may be a link's `href`: only http and https, so a
 * `javascript:` or `data:` address the service let through never runs.
 *
 * @param url The address.
 */
export function isWebUrl( url: string ): boolean {
	return /^https?:\/\//i.test( url );
}

/**
 * The page as a link (opening in a new tab), or as text when its address is
 * not http(s); "Unknown" when there is none.
 *
 * @param props      Props.
 * @param props.page The page.
 */
export function PageLink( { page }: { page: VisitorPage | null } ) {
	if ( ! page || page.url === '' ) {
		return <>{ __( 'Unknown', 'chatflows' ) }</>;
	}
	return isWebUrl( page.url ) ? (
		<a href={ page.url } target="_blank" rel="noopener noreferrer">
			{ page.title || page.url }
		</a>
	) : (
		<>{ page.title || page.url }</>
	);
}
