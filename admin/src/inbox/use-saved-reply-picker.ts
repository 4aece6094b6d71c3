/**
 * The saved reply picker of the reply box: typing `/` (at the start or after
 * a space) opens it with what follows as the search; the arrow keys move,
 * Enter or Tab inserts, Escape closes. The chosen reply replaces the `/…`
 * with its text, variables filled for this conversation; unknown values leave
 * a gap, and the first gap is selected so the agent types over it. Several
 * replies can go into one reply, one `/` at a time. Articles of the
 * chatflow's knowledge base that match the words are offered too, as a link.
 */
import apiFetch from '@wordpress/api-fetch';
import { useSelect } from '@wordpress/data';
import {
	useCallback,
	useEffect,
	useLayoutEffect,
	useMemo,
	useRef,
	useState,
} from '@wordpress/element';

import { API_ROOT } from '../chatflows/store/api';
import { matchingReplies, replyLanguageOf } from '../saved-replies/matching';
import { store as savedRepliesStore } from '../saved-replies/store';
import type { SavedReply } from '../saved-replies/store/types';
import {
	conversationValues,
	fillVariables,
	GAP,
	type VariableValues,
} from '../saved-replies/variables';
import { inboxPageData } from './inbox-data';
import { store as inboxStore } from './store';

/** An article of the knowledge base, as its search answers it. */
export interface KnowledgeBaseArticle {
	id: number;
	title: string;
	excerpt: string;
	url: string;
}

export type PickerOption =
	| { kind: 'reply'; id: string; reply: SavedReply }
	| { kind: 'article'; id: string; article: KnowledgeBaseArticle };

/** The fewest characters searched in the knowledge base. */
const ARTICLE_SEARCH_MIN = 3;
/** Wait after the last key before searching articles, so each key is not a request. */
const ARTICLE_SEARCH_DELAY_MS = 250;
/** Longest search after the `/`. */
const MAX_QUERY = 50;

/** Pickers made so far, for their lists' ids. */
let pickers = 0;

/**
 * The `/…` being typed just before the caret, if any.
 *
 * @param text  The reply box's text.
 * @param caret Where the caret is.
 * @return Where the `/` is and what follows it, or null.
 */
export function triggerAt(
	text: string,
	caret: number
): { start: number; query: string } | null {
	const match = new RegExp( `(^|\\s)/([^\\n/]{0,${ MAX_QUERY }})$` ).exec(
		text.slice( 0, caret )
	);
	return match
		? { start: match.index + match[ 1 ].length, query: match[ 2 ] }
		: null;
}

/**
 * What the picker needs of the conversation: the replies the agent may use
 * there (shared with everyone, with its inbox, or their own), the values of
 * the variables, the visitor's language and whether to search articles.
 *
 * @param conversationId The conversation.
 */
function useConversationSource( conversationId: string | undefined ) {
	const { replies, conversation, context, myName } = useSelect(
		( select ) => ( {
			// Fetched the first time a conversation's reply box shows.
			replies: conversationId
				? select( savedRepliesStore ).getSavedReplies()
				: null,
			conversation: conversationId
				? select( inboxStore ).getConversation( conversationId )
				: undefined,
			context: conversationId
				? select( inboxStore ).getContext( conversationId )
				: undefined,
			myName: select( inboxStore ).getDirectory()?.me.name ?? '',
		} ),
		[ conversationId ]
	);
	return useMemo( () => {
		const page = inboxPageData();
		const chatflow = conversation
			? page.chatflows[ conversation.chatflowId ]
			: undefined;
		const usable = ( replies ?? [] ).filter(
			( reply ) =>
				reply.scope !== 'inbox' ||
				! chatflow ||
				reply.inboxId === chatflow.inboxId
		);
		const values: VariableValues = conversation
			? conversationValues( {
					conversation,
					context,
					agentName: myName,
					alias: chatflow?.alias ?? '',
					siteName: page.siteName,
				} )
			: {};
		return {
			replies: usable,
			values,
			language: replyLanguageOf( context?.visitor.language ?? '' ),
			articlesOf:
				conversation && chatflow?.knowledgeBase
					? conversation.chatflowId
					: null,
		};
	}, [ replies, conversation, context, myName ] );
}

/**
 * The picker's state and handlers, for the reply box.
 *
 * @param options                Options.
 * @param options.conversationId The conversation replied to; none: no replies to offer.
 * @param options.text           The reply box's text.
 * @param options.setText        Changes it.
 * @param options.textarea       Finds the reply box's textarea.
 */
export function useSavedReplyPicker( {
	conversationId,
	text,
	setText,
	textarea,
}: {
	conversationId: string | undefined;
	text: string;
	setText: ( text: string ) => void;
	textarea: () => HTMLTextAreaElement | null;
} ) {
	const source = useConversationSource( conversationId );
	// WordPress 6.1's React has no useId.
	const [ listboxId ] = useState(
		() => `chatflows-saved-replies-${ ++pickers }`
	);
	const [ caret, setCaret ] = useState( 0 );
	const [ dismissedAt, setDismissedAt ] = useState< number | null >( null );
	const [ active, setActive ] = useState( 0 );
	const [ articles, setArticles ] = useState< {
		query: string;
		list: KnowledgeBaseArticle[];
	} >( { query: '', list: [] } );
	const [ notice, setNotice ] = useState< string | null >( null );
	const selectAfterInsert = useRef< [ number, number ] | null >( null );

	const found = triggerAt( text, Math.min( caret, text.length ) );
	const trigger = found && found.start !== dismissedAt ? found : null;
	const query = trigger?.query ?? '';
	const searchArticles =
		trigger !== null &&
		source.articlesOf !== null &&
		query.trim().length >= ARTICLE_SEARCH_MIN;

	useEffect( () => {
		if ( ! searchArticles || ! source.articlesOf ) {
			return;
		}
		let cancelled = false;
		const timer = setTimeout( () => {
			apiFetch< { articles: KnowledgeBaseArticle[] } >( {
				path: `${ API_ROOT }/knowledge-base/search?chatflow=${ encodeURIComponent(
					source.articlesOf ?? ''
				) }&q=${ encodeURIComponent( query.trim() ) }`,
			} )
				.then( ( answer ) => {
					if ( ! cancelled ) {
						setArticles( { query, list: answer.articles } );
					}
				} )
				// No articles to offer is no reason to interrupt the agent.
				.catch( () => undefined );
		}, ARTICLE_SEARCH_DELAY_MS );
		return () => {
			cancelled = true;
			clearTimeout( timer );
		};
	}, [ searchArticles, source.articlesOf, query ] );

	const open = trigger !== null;
	const options: PickerOption[] = useMemo( () => {
		if ( ! open ) {
			return [];
		}
		return [
			...matchingReplies( source.replies, query, source.language ).map(
				( reply ): PickerOption => ( {
					kind: 'reply',
					id: `${ listboxId }-reply-${ reply.id }`,
					reply,
				} )
			),
			...( searchArticles && articles.query === query
				? articles.list
				: []
			).map( ( article ): PickerOption => ( {
				kind: 'article',
				id: `${ listboxId }-article-${ article.id }`,
				article,
			} ) ),
		];
	}, [ open, query, source, articles, searchArticles, listboxId ] );

	useEffect( () => setActive( 0 ), [ query ] );

	// Puts the caret (or selects the first gap) once the inserted text is in the box.
	useLayoutEffect( () => {
		const range = selectAfterInsert.current;
		const element = textarea();
		if ( range && element && element.value === text ) {
			selectAfterInsert.current = null;
			element.focus();
			element.setSelectionRange( range[ 0 ], range[ 1 ] );
			setCaret( range[ 1 ] );
		}
	}, [ text, textarea ] );

	const insert = useCallback(
		( option: PickerOption ) => {
			if ( ! trigger ) {
				return;
			}
			const filled =
				option.kind === 'reply'
					? fillVariables( option.reply.text, source.values )
					: {
							text: `${ option.article.title }: ${ option.article.url }`,
							gaps: [],
						};
			const end = Math.min( caret, text.length );
			const next =
				text.slice( 0, trigger.start ) +
				filled.text +
				text.slice( end );
			const gap = filled.gaps[ 0 ];
			const range: [ number, number ] = gap
				? [ trigger.start + gap.start, trigger.start + gap.end ]
				: [
						trigger.start + filled.text.length,
						trigger.start + filled.text.length,
					];
			selectAfterInsert.current = range;
			// A reply ending in " /word" must not open the picker again by itself.
			setDismissedAt( triggerAt( next, range[ 1 ] )?.start ?? null );
			setNotice( gap ? 'gaps' : null );
			setText( next );
		},
		[ trigger, caret, text, source.values, setText ]
	);

	const onKeyDown = ( event: React.KeyboardEvent ): boolean => {
		if ( ! open || event.nativeEvent.isComposing ) {
			return false;
		}
		if ( event.key === 'Escape' ) {
			event.preventDefault();
			// Closing the picker must not close a dialog around it.
			event.stopPropagation();
			setDismissedAt( trigger.start );
			return true;
		}
		if ( options.length === 0 ) {
			return false;
		}
		if ( event.key === 'ArrowDown' || event.key === 'ArrowUp' ) {
			event.preventDefault();
			const step = event.key === 'ArrowDown' ? 1 : -1;
			setActive(
				( current ) =>
					( current + step + options.length ) % options.length
			);
			return true;
		}
		if (
			( event.key === 'Enter' && ! event.shiftKey ) ||
			event.key === 'Tab'
		) {
			event.preventDefault();
			insert( options[ Math.min( active, options.length - 1 ) ] );
			return true;
		}
		return false;
	};

	const activeOption = open ? options[ active ] : undefined;
	return {
		open,
		query,
		options,
		active: Math.min( active, Math.max( options.length - 1, 0 ) ),
		listboxId,
		/** Gaps were left for unknown values after the last insertion. */
		leftGaps: notice === 'gaps' && text.includes( GAP ),
		insert,
		/**
		 * A reply's text as it would go in, for the list.
		 *
		 * @param reply The reply.
		 */
		filledText: ( reply: SavedReply ) =>
			fillVariables( reply.text, source.values ).text,
		onKeyDown,
		/**
		 * Follows the caret: call on every change and selection of the textarea.
		 *
		 * @param element The textarea.
		 */
		onCaret: ( element: HTMLTextAreaElement ) =>
			setCaret( element.selectionEnd ?? element.value.length ),
		/** The textarea's ARIA attributes, as WordPress's own `/` autocompleter sets them. */
		textboxProps: {
			'aria-autocomplete': 'list' as const,
			'aria-controls': open && options.length ? listboxId : undefined,
			'aria-activedescendant': activeOption?.id,
		},
	};
}

export type SavedReplyPicker = ReturnType< typeof useSavedReplyPicker >;
