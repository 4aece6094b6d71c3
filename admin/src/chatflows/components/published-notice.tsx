/**
 * After the wizard publishes a chatflow, the list says where the chat now
 * shows, with links to see it and to change it: a reader who followed the
 * set-up steps must never be left with a chat that shows on no page unawares.
 */
import { Notice } from '@wordpress/components';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import { adminData } from '../admin-data';
import { navigate, urlOf } from '../navigation';

/** Where the wizard leaves what it published for the list. */
export const PUBLISHED_KEY = 'chatflows:published';

/** What the wizard published. */
export interface PublishedChatflow {
	id: number;
	title: string;
	/** Shown on every page (exclusions apply). */
	allPages: boolean;
}

/**
 * Leaves what was published for the list to announce.
 *
 * @param published What was published.
 */
export function rememberPublished( published: PublishedChatflow ): void {
	window.sessionStorage?.setItem(
		PUBLISHED_KEY,
		JSON.stringify( published )
	);
	// The list may already show: the first chatflow replaces the wizard as soon as it exists.
	window.dispatchEvent( new Event( PUBLISHED_KEY ) );
}

/** Takes what the wizard left, once. */
function takePublished(): PublishedChatflow | null {
	const left = window.sessionStorage?.getItem( PUBLISHED_KEY );
	if ( ! left ) {
		return null;
	}
	window.sessionStorage.removeItem( PUBLISHED_KEY );
	try {
		const value = JSON.parse( left ) as PublishedChatflow;
		return typeof value.id === 'number' ? value : null;
	} catch {
		return null;
	}
}

/**
 * The notice: where the chat shows, a link to the site and one to the
 * chatflow's editor (its Target tab says where it shows).
 */
export function PublishedNotice() {
	const [ published, setPublished ] = useState< PublishedChatflow | null >(
		null
	);
	useEffect( () => {
		const take = () => {
			const taken = takePublished();
			if ( taken ) {
				setPublished( taken );
			}
		};
		take();
		window.addEventListener( PUBLISHED_KEY, take );
		return () => window.removeEventListener( PUBLISHED_KEY, take );
	}, [] );
	if ( ! published ) {
		return null;
	}
	const editUrl = urlOf( { view: 'edit', id: published.id } );
	return (
		<Notice
			status={ published.allPages ? 'success' : 'warning' }
			onRemove={ () => setPublished( null ) }
		>
			<p>
				{ published.allPages
					? sprintf(
							/* translators: %s: the chatflow's name. */
							__(
								'“%s” is published: the chat now shows on every page of your site.',
								'chatflows'
							),
							published.title
						)
					: sprintf(
							/* translators: %s: the chatflow's name. */
							__(
								'“%s” is published, but it shows on no page yet: it shows only on pages that choose it, or where its Target rules hold.',
								'chatflows'
							),
							published.title
						) }
			</p>
			<p className="chatflows-published__links">
				{ adminData().homeUrl && (
					<a
						href={ adminData().homeUrl }
						target="_blank"
						rel="noreferrer"
					>
						{ __( 'View your site', 'chatflows' ) }
					</a>
				) }{ ' ' }
				<a
					href={ editUrl }
					onClick={ ( event ) => {
						event.preventDefault();
						navigate( { view: 'edit', id: published.id } );
					} }
				>
					{ __( 'Choose where the chat shows', 'chatflows' ) }
				</a>
			</p>
		</Notice>
	);
}
