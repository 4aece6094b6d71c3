/**
 * Browser notifications of mentions: a note mentioning the agent (or their
 * team) that arrives while the inbox is in a background tab shows a
 * notification, when the browser allows it (the same permission as for new
 * conversations). Mentions listed when the inbox opens are not news.
 */
import { select, subscribe } from '@wordpress/data';
import { __, sprintf } from '@wordpress/i18n';

import type { MentionItem } from '@chatflows/protocol';
import {
	showBrowserNotification,
	type NotifierEnvironment,
} from './notifications';
import { store } from './store';

function keyOf( mention: MentionItem ): string {
	return `${ mention.note.conversationId }:${ mention.note.seq }`;
}

/**
 * Starts notifying of new mentions.
 *
 * @param environment The page's document, Notification and focus.
 * @return Stops.
 */
export function startMentionNotifier(
	environment: NotifierEnvironment
): () => void {
	let known: Set< string > | null = null;

	const notify = ( mention: MentionItem ) =>
		showBrowserNotification( environment, {
			title: sprintf(
				/* translators: %s: the agent who wrote the note. */
				__( '%s mentioned you in a note', 'chatflows' ),
				mention.note.authorName
			),
			body: mention.note.body,
			tag: `chatflows-mention-${ keyOf( mention ) }`,
			conversationId: mention.note.conversationId,
		} );

	const check = () => {
		if ( ! select( store ).areMentionsLoaded() ) {
			return;
		}
		const mentions = select( store ).getMentions();
		if ( known === null ) {
			known = new Set( mentions.map( keyOf ) );
			return;
		}
		const fresh = mentions.filter(
			( mention ) => ! mention.seen && ! known?.has( keyOf( mention ) )
		);
		for ( const mention of fresh ) {
			known.add( keyOf( mention ) );
			if ( environment.document.hidden ) {
				notify( mention );
			}
		}
	};

	return subscribe( check );
}
