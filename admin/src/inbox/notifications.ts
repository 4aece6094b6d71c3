/**
 * Tells an agent whose inbox tab is in the background about a new or waiting
 * conversation: a count in the tab's title and, if they allowed it, a
 * browser notification. Also keeps the admin menu's count live.
 */
import { dispatch, select, subscribe } from '@wordpress/data';
import { __, _n, sprintf } from '@wordpress/i18n';

import type { ConversationSummary } from '@chatflows/protocol';
import { store } from './store';
import type { NotificationPermissionState } from './store/types';

/** What the notifier needs of the page (the real one, or a test's). */
export interface NotifierEnvironment {
	document: Pick<
		Document,
		'title' | 'hidden' | 'addEventListener' | 'removeEventListener'
	> & { querySelectorAll: Document[ 'querySelectorAll' ] };
	/** The browser's Notification API, when it has one. */
	Notification?: {
		permission: NotificationPermission;
		requestPermission: () => Promise< NotificationPermission >;
		new (
			title: string,
			options?: NotificationOptions
		): {
			onclick: ( ( event: Event ) => void ) | null;
			close: () => void;
		};
	};
	focus: () => void;
}

/**
 * The name to show for a conversation's visitor: their name, their e-mail,
 * or a short id. Always plain text.
 *
 * @param conversation The conversation.
 * @return The label.
 */
export function visitorLabel( conversation: ConversationSummary ): string {
	if ( conversation.visitorName ) {
		return conversation.visitorName;
	}
	if ( conversation.visitorEmail ) {
		return conversation.visitorEmail;
	}
	return sprintf(
		/* translators: %s: a short identifier of an anonymous visitor. */
		__( 'Visitor %s', 'chatflows' ),
		conversation.visitorId.slice( 0, 6 )
	);
}

/**
 * The permission the page starts with.
 *
 * @param environment The page.
 * @return The permission, or `unsupported`.
 */
export function initialPermission(
	environment: NotifierEnvironment
): NotificationPermissionState {
	return environment.Notification
		? environment.Notification.permission
		: 'unsupported';
}

/**
 * Asks the browser to allow notifications. Only ever called from a click.
 *
 * @param environment The page.
 */
export async function requestNotificationPermission(
	environment: NotifierEnvironment
): Promise< void > {
	if ( ! environment.Notification ) {
		return;
	}
	const permission = await environment.Notification.requestPermission();
	dispatch( store ).setNotificationPermission( permission );
}

/**
 * Shows a browser notification when the agent allowed them; a click brings
 * the inbox forward with the conversation open.
 *
 * @param environment          The page's Notification and focus.
 * @param shown                What to show.
 * @param shown.title          The title.
 * @param shown.body           Plain text: notifications never render markup.
 * @param shown.tag            Replaces an earlier one with the same tag.
 * @param shown.conversationId The conversation a click opens.
 */
export function showBrowserNotification(
	environment: NotifierEnvironment,
	shown: { title: string; body: string; tag: string; conversationId: string }
): void {
	const { Notification } = environment;
	if (
		! Notification ||
		select( store ).getNotificationPermission() !== 'granted'
	) {
		return;
	}
	const notification = new Notification( shown.title, {
		body: shown.body,
		tag: shown.tag,
	} );
	notification.onclick = () => {
		environment.focus();
		dispatch( store ).selectConversation( shown.conversationId );
		notification.close();
	};
}

/**
 * Starts watching the store.
 *
 * @param environment The page.
 * @return Stops watching and restores the title.
 */
export function startNotifier( environment: NotifierEnvironment ): () => void {
	const { document } = environment;
	const baseTitle = document.title;
	let known: Set< string > | null = null;
	let unseen = 0;

	const showTitle = () => {
		document.title =
			unseen > 0
				? sprintf(
						/* translators: 1: number of conversations, 2: the page's title. */
						__( '(%1$d) %2$s', 'chatflows' ),
						unseen,
						baseTitle
					)
				: baseTitle;
	};

	const showMenuCount = ( count: number ) => {
		for ( const bubble of Array.from(
			document.querySelectorAll( '.chatflows-waiting-count' )
		) ) {
			bubble.className = `awaiting-mod chatflows-waiting-count count-${ count }`;
			const number = bubble.querySelector( '.pending-count' );
			if ( number ) {
				number.textContent = String( count );
			}
			const words = bubble.querySelector( '.screen-reader-text' );
			if ( words ) {
				words.textContent = sprintf(
					/* translators: %d: number of conversations. */
					_n(
						'%d conversation waiting for you',
						'%d conversations waiting for you',
						count,
						'chatflows'
					),
					count
				);
			}
		}
	};

	const notify = ( conversation: ConversationSummary ) =>
		showBrowserNotification( environment, {
			title: sprintf(
				/* translators: %s: the visitor's name or e-mail. */
				__( 'A visitor is waiting: %s', 'chatflows' ),
				visitorLabel( conversation )
			),
			body: conversation.lastMessage?.body ?? '',
			tag: `chatflows-${ conversation.id }`,
			conversationId: conversation.id,
		} );

	// The menu counts unseen mentions too, as WordPress's own count does.
	let menuCount = -1;
	const showMenuTotal = ( waiting: number ) => {
		const total = waiting + select( store ).getUnseenMentionCount();
		if ( total !== menuCount ) {
			menuCount = total;
			showMenuCount( total );
		}
	};

	const check = () => {
		const attention = select( store ).getAttentionIds();
		const current = new Set( attention );
		if ( known === null ) {
			// What waits when the inbox opens is on screen: not news.
			if ( select( store ).getCounts() !== null ) {
				known = current;
				showMenuTotal( current.size );
			}
			return;
		}
		const fresh = attention.filter( ( id ) => ! known?.has( id ) );
		showMenuTotal( current.size );
		known = current;
		if ( fresh.length === 0 || ! document.hidden ) {
			return;
		}
		unseen += fresh.length;
		showTitle();
		for ( const id of fresh ) {
			const conversation = select( store ).getConversation( id );
			if ( conversation ) {
				notify( conversation );
			}
		}
	};

	const onVisibility = () => {
		if ( ! document.hidden && unseen > 0 ) {
			unseen = 0;
			showTitle();
		}
	};

	dispatch( store ).setNotificationPermission(
		initialPermission( environment )
	);
	const unsubscribe = subscribe( check );
	document.addEventListener( 'visibilitychange', onVisibility );
	return () => {
		unsubscribe();
		document.removeEventListener( 'visibilitychange', onVisibility );
		document.title = baseTitle;
	};
}
