/**
 * Browser notifications of mentions: a note mentioning the agent (or their
 * team) that arrives while the inbox is in a background tab shows a
 * notification, when the browser allows it (the same permission as for new
 * conversations). Mentions listed when the inbox opens are not news.
 */
import { dispatch, select, subscribe } from '@wordpress/data';
import { __, sprintf } from '@wordpress/i18n';

import type { MentionItem } from '@chatflows/protocol';
import type { NotifierEnvironment } from './notifications';
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

	const notify = ( mention: MentionItem ) => {
		const { Notification } = environment;
		if (
			! Notification ||
			select( store ).getNotificationPermission() !== 'granted'
		) {
			return;
		}
		const notification = new Notification(
			sprintf(
				/* translators: %s: the agent who wrote the note. */
				__( '%s mentioned you in a note', 'chatflows' ),
				mention.note.authorName
			),
			{
				// Plain text: notifications never render markup.
				body: mention.note.body,
				tag: `chatflows-mention-${ keyOf( mention ) }`,
			}
		);
		notification.onclick = () => {
			environment.focus();
			dispatch( store ).selectConversation( mention.note.conversationId );
			notification.close();
		};
	};

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
