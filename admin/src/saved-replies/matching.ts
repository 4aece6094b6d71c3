/**
 * Which saved replies a `/` search offers, and in what order: those whose
 * shortcut starts with what was typed, then those holding every word typed;
 * within each, the visitor's language first, then replies for any language,
 * then the other languages.
 */
import type { SavedReply, SavedReplyLanguage } from './store/types';

const LOCALES: Array< Exclude< SavedReplyLanguage, '' > > = [
	'en_US',
	'da_DK',
	'nl_NL',
];

/**
 * The saved replies' language for a visitor's language tag (`da-dk`, `da`,
 * `nl-BE` …): the one with the same primary language, else ''.
 *
 * @param tag BCP 47 tag, any case; '' when unknown.
 * @return A locale of saved replies, or ''.
 */
export function replyLanguageOf( tag: string ): SavedReplyLanguage {
	const primary = tag.toLowerCase().split( /[-_]/ )[ 0 ];
	return (
		LOCALES.find( ( locale ) => locale.startsWith( `${ primary }_` ) ) ?? ''
	);
}

/**
 * Lower case, without accents, so "forsendelse" finds "Forsendelse" and "cafe" finds "café".
 *
 * @param text Text.
 */
function folded( text: string ): string {
	return text.normalize( 'NFD' ).replace( /\p{M}/gu, '' ).toLowerCase();
}

/**
 * The replies matching a search, best first.
 *
 * @param replies  Every reply the agent may use.
 * @param query    What follows the `/`.
 * @param language The visitor's language ('' when unknown).
 * @param limit    Most replies answered.
 * @return The matching replies.
 */
export function matchingReplies(
	replies: SavedReply[],
	query: string,
	language: SavedReplyLanguage,
	limit = 8
): SavedReply[] {
	const wanted = folded( query.trim() );
	const words = wanted.split( /\s+/ ).filter( Boolean );
	const ranked: Array< { reply: SavedReply; rank: number } > = [];
	for ( const reply of replies ) {
		let match: number;
		if ( folded( reply.shortcut ).startsWith( wanted ) ) {
			match = 0;
		} else {
			const haystack = folded(
				`${ reply.shortcut } ${ reply.name } ${ reply.text }`
			);
			if ( ! words.every( ( word ) => haystack.includes( word ) ) ) {
				continue;
			}
			match = 1;
		}
		let languageRank = 2;
		if ( language && reply.language === language ) {
			languageRank = 0;
		} else if ( reply.language === '' ) {
			languageRank = 1;
		}
		ranked.push( { reply, rank: match * 3 + languageRank } );
	}
	return ranked
		.sort(
			( a, b ) =>
				a.rank - b.rank ||
				a.reply.shortcut.localeCompare( b.reply.shortcut ) ||
				a.reply.id - b.reply.id
		)
		.slice( 0, limit )
		.map( ( { reply } ) => reply );
}
