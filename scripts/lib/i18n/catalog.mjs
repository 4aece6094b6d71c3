/**
 * Turns extracted strings into the files WordPress loads: the `.pot`
 * template, each locale's `.po`/`.mo`, and the JSON files for scripts.
 */
import { createHash } from 'node:crypto';

import gettextParser from 'gettext-parser';

import { TEXT_DOMAIN } from './extract.mjs';

/** The locales the plugin ships, with their plural rules. */
export const LOCALES = {
	da_DK: { language: 'da', pluralForms: 'nplurals=2; plural=(n != 1);' },
	nl_NL: { language: 'nl', pluralForms: 'nplurals=2; plural=(n != 1);' },
};

const CONTEXT_GLUE = '\u0004';

/**
 * A message's key in a catalog: context and singular.
 *
 * @param {{msgctxt?: string, msgid: string}} message
 * @return {string} Key.
 */
export function messageKey( message ) {
	return message.msgctxt
		? `${ message.msgctxt }${ CONTEXT_GLUE }${ message.msgid }`
		: message.msgid;
}

/**
 * Merges messages found in several places into one sorted list.
 *
 * @param {import('./extract.mjs').Message[]} found
 * @return {import('./extract.mjs').Message[]} One entry per key, sorted by first reference.
 */
export function mergeMessages( found ) {
	const byKey = new Map();
	// File names only: line numbers would make the template change with every edit.
	const messages = found.map( ( message ) => ( {
		...message,
		references: [
			...new Set(
				message.references.map( ( reference ) =>
					reference.replace( /:\d+$/, '' )
				)
			),
		],
	} ) );
	for ( const message of messages ) {
		const key = messageKey( message );
		const existing = byKey.get( key );
		if ( ! existing ) {
			byKey.set( key, {
				...message,
				references: [ ...message.references ],
				comments: [ ...message.comments ],
			} );
			continue;
		}
		if ( message.msgidPlural && ! existing.msgidPlural ) {
			existing.msgidPlural = message.msgidPlural;
		}
		for ( const reference of message.references ) {
			if ( ! existing.references.includes( reference ) ) {
				existing.references.push( reference );
			}
		}
		for ( const comment of message.comments ) {
			if ( ! existing.comments.includes( comment ) ) {
				existing.comments.push( comment );
			}
		}
	}
	return [ ...byKey.values() ].sort(
		( a, b ) =>
			a.references[ 0 ].localeCompare( b.references[ 0 ], 'en', {
				numeric: true,
			} ) || messageKey( a ).localeCompare( messageKey( b ) )
	);
}

function header( fields ) {
	return {
		'Project-Id-Version': 'Chatflows',
		'Report-Msgid-Bugs-To':
			'https://wordpress.org/support/plugin/chatflows',
		'MIME-Version': '1.0',
		'Content-Type': 'text/plain; charset=UTF-8',
		'Content-Transfer-Encoding': '8bit',
		'X-Domain': TEXT_DOMAIN,
		...fields,
	};
}

function toCatalog( messages, headers, translate ) {
	const translations = { '': { '': { msgid: '', msgstr: [ '' ] } } };
	for ( const message of messages ) {
		const context = message.msgctxt ?? '';
		translations[ context ] ??= {};
		const entry = {
			msgid: message.msgid,
			msgstr: translate( message ),
			comments: {
				reference: message.references.join( '\n' ),
				...( message.comments.length
					? { extracted: message.comments.join( '\n' ) }
					: {} ),
			},
		};
		if ( message.msgctxt ) {
			entry.msgctxt = message.msgctxt;
		}
		if ( message.msgidPlural ) {
			entry.msgid_plural = message.msgidPlural;
		}
		translations[ context ][ message.msgid ] = entry;
	}
	return { charset: 'utf-8', headers, translations };
}

/**
 * The `.pot` template text.
 *
 * @param {import('./extract.mjs').Message[]} messages Merged messages.
 * @return {string} File content.
 */
export function potText( messages ) {
	const catalog = toCatalog( messages, header( {} ), ( message ) =>
		message.msgidPlural ? [ '', '' ] : [ '' ]
	);
	return `${ gettextParser.po
		.compile( catalog, { foldLength: 0, sort: false } )
		.toString() }\n`;
}

/**
 * Reads the translations of an existing `.po` text, keyed like messageKey().
 *
 * @param {string|undefined} text
 * @return {Map<string, string[]>} Translations (only non-empty ones).
 */
export function readTranslations( text ) {
	const found = new Map();
	if ( ! text ) {
		return found;
	}
	const catalog = gettextParser.po.parse( text );
	for ( const [ context, entries ] of Object.entries(
		catalog.translations
	) ) {
		for ( const entry of Object.values( entries ) ) {
			if ( entry.msgid && entry.msgstr.some( ( value ) => value ) ) {
				found.set(
					messageKey( {
						msgctxt: context || undefined,
						msgid: entry.msgid,
					} ),
					entry.msgstr
				);
			}
		}
	}
	return found;
}

/**
 * Every message key of a `.po` or `.pot` text, translated or not.
 *
 * @param {string} text
 * @return {Set<string>} Keys like messageKey().
 */
export function readKeys( text ) {
	const keys = new Set();
	const catalog = gettextParser.po.parse( text );
	for ( const [ context, entries ] of Object.entries(
		catalog.translations
	) ) {
		for ( const msgid of Object.keys( entries ) ) {
			if ( msgid ) {
				keys.add(
					messageKey( { msgctxt: context || undefined, msgid } )
				);
			}
		}
	}
	return keys;
}

/**
 * A locale's `.po` text: the template's messages with the translations kept
 * from the previous `.po` (strings no longer in the code are dropped).
 *
 * @param {import('./extract.mjs').Message[]} messages     Merged messages.
 * @param {string}                            locale       e.g. da_DK.
 * @param {Map<string, string[]>}             translations From readTranslations().
 * @return {string} File content.
 */
export function poText( messages, locale, translations ) {
	const catalog = toCatalog(
		messages,
		header( {
			Language: locale,
			'Plural-Forms': LOCALES[ locale ].pluralForms,
		} ),
		( message ) =>
			translations.get( messageKey( message ) ) ??
			( message.msgidPlural ? [ '', '' ] : [ '' ] )
	);
	return `${ gettextParser.po
		.compile( catalog, { foldLength: 0, sort: false } )
		.toString() }\n`;
}

/**
 * The binary `.mo` for a `.po` text (untranslated entries left out).
 *
 * @param {string} po
 * @return {Buffer} File content.
 */
export function moBuffer( po ) {
	const catalog = gettextParser.po.parse( po );
	for ( const entries of Object.values( catalog.translations ) ) {
		for ( const [ msgid, entry ] of Object.entries( entries ) ) {
			if ( msgid && ! entry.msgstr.some( ( value ) => value ) ) {
				delete entries[ msgid ];
			}
		}
	}
	return gettextParser.mo.compile( catalog );
}

/**
 * The file name WordPress looks for when a script's translations are set with
 * wp_set_script_translations(): the md5 of the script's path in the plugin.
 *
 * @param {string} locale
 * @param {string} scriptPath e.g. build/admin/inbox.js.
 * @return {string} File name.
 */
export function scriptJsonName( locale, scriptPath ) {
	const hash = createHash( 'md5' ).update( scriptPath ).digest( 'hex' );
	return `${ TEXT_DOMAIN }-${ locale }-${ hash }.json`;
}

/**
 * The Jed JSON WordPress's `wp.i18n` reads, for the strings one script uses.
 *
 * @param {string}                locale
 * @param {Set<string>}           keys         Keys (messageKey) the script uses.
 * @param {Map<string, string[]>} translations The locale's translations.
 * @return {string} File content.
 */
export function scriptJsonText( locale, keys, translations ) {
	const messages = {
		'': {
			domain: 'messages',
			lang: locale,
			'plural-forms': LOCALES[ locale ].pluralForms,
		},
	};
	for ( const key of [ ...keys ].sort() ) {
		const translation = translations.get( key );
		if ( translation ) {
			messages[ key ] = translation;
		}
	}
	return `${ JSON.stringify( {
		domain: 'messages',
		locale_data: { messages },
	} ) }\n`;
}
