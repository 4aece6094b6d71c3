/**
 * Finds the translatable strings of the `chatflows` text domain: PHP with
 * gettext's `xgettext`, TypeScript and built scripts with Babel's parser,
 * and block metadata (`block.json`) the way WordPress reads it.
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';

import { parse } from '@babel/parser';
import traverseModule from '@babel/traverse';
import gettextParser from 'gettext-parser';

import { run } from '../process.mjs';

const traverse = traverseModule.default ?? traverseModule;

export const TEXT_DOMAIN = 'chatflows';

/**
 * WordPress's translation functions: where the singular, plural and context
 * arguments sit, and where the text domain sits (0-based).
 */
const FUNCTIONS = {
	__: { singular: 0, domain: 1 },
	_e: { singular: 0, domain: 1 },
	_x: { singular: 0, context: 1, domain: 2 },
	_ex: { singular: 0, context: 1, domain: 2 },
	_n: { singular: 0, plural: 1, domain: 3 },
	_nx: { singular: 0, plural: 1, context: 3, domain: 4 },
	_n_noop: { singular: 0, plural: 1, domain: 2 },
	_nx_noop: { singular: 0, plural: 1, context: 2, domain: 3 },
	esc_html__: { singular: 0, domain: 1 },
	esc_html_e: { singular: 0, domain: 1 },
	esc_attr__: { singular: 0, domain: 1 },
	esc_attr_e: { singular: 0, domain: 1 },
	esc_html_x: { singular: 0, context: 1, domain: 2 },
	esc_attr_x: { singular: 0, context: 1, domain: 2 },
};

/**
 * One translatable string.
 *
 * @typedef {Object} Message
 * @property {string}   msgid         The English singular.
 * @property {string}   [msgctxt]     Disambiguating context.
 * @property {string}   [msgidPlural] The English plural.
 * @property {string[]} references    "file:line" entries.
 * @property {string[]} comments      Translator comments.
 */

/**
 * Runs xgettext over PHP files (keywords as WordPress's i18n tools use them;
 * calls without a text domain are not ours and are skipped by the argument
 * counts).
 *
 * @param {string}   root  Project root.
 * @param {string[]} files Paths relative to root.
 * @return {Promise<Message[]>} Messages found.
 */
export async function extractPhp( root, files ) {
	if ( files.length === 0 ) {
		return [];
	}
	const keywords = Object.entries( FUNCTIONS ).map( ( [ name, spec ] ) => {
		const positions = [ spec.singular + 1 ];
		if ( spec.plural !== undefined ) {
			positions.push( spec.plural + 1 );
		}
		if ( spec.context !== undefined ) {
			positions.push( `${ spec.context + 1 }c` );
		}
		return `--keyword=${ name }:${ positions.join( ',' ) },${
			spec.domain + 1
		}t`;
	} );
	return await runXgettext( root, files, keywords );
}

/**
 * Runs xgettext over files of a folder and reads what it found.
 *
 * @param {string}   folder   Folder the paths are relative to.
 * @param {string[]} files    Paths.
 * @param {string[]} keywords xgettext's --keyword arguments.
 * @return {Promise<Message[]>} Messages found.
 */
async function runXgettext( folder, files, keywords ) {
	const { stdout } = await run(
		'xgettext',
		[
			'--language=PHP',
			// Not --omit-header: without a header declaring UTF-8, xgettext writes
			// ASCII and drops every other character ("Searching…" becomes "Searching").
			'--from-code=UTF-8',
			'--add-comments=translators:',
			'--no-wrap',
			'--sort-by-file',
			'--keyword',
			...keywords,
			'--output=-',
			...files,
		],
		{ cwd: folder, capture: true }
	);
	const catalog = gettextParser.po.parse( stdout || '' );
	const messages = [];
	for ( const [ context, entries ] of Object.entries(
		catalog.translations
	) ) {
		for ( const entry of Object.values( entries ) ) {
			if ( entry.msgid === '' ) {
				continue;
			}
			messages.push( {
				msgid: entry.msgid,
				msgctxt: context || undefined,
				msgidPlural: entry.msgid_plural,
				references: ( entry.comments?.reference ?? '' )
					.split( /\s+/ )
					.filter( Boolean ),
				comments: ( entry.comments?.extracted ?? '' )
					.split( '\n' )
					.filter( Boolean ),
			} );
		}
	}
	return messages;
}

function stringValue( node ) {
	if ( ! node ) {
		return undefined;
	}
	if ( node.type === 'StringLiteral' ) {
		return node.value;
	}
	if ( node.type === 'TemplateLiteral' && node.expressions.length === 0 ) {
		return node.quasis[ 0 ].value.cooked;
	}
	return undefined;
}

function calleeName( callee ) {
	if ( callee.type === 'Identifier' ) {
		return callee.name;
	}
	if ( callee.type === 'MemberExpression' && ! callee.computed ) {
		return callee.property.name;
	}
	// Bundlers write `( 0, i18n.__ )( … )`.
	if ( callee.type === 'SequenceExpression' ) {
		return calleeName( callee.expressions.at( -1 ) );
	}
	return undefined;
}

function translatorComments( path ) {
	let current = path;
	// The comment may sit on the call, its argument, or the statement holding it.
	for ( let depth = 0; current && depth < 6; depth++ ) {
		const found = ( current.node.leadingComments ?? [] )
			.map( ( comment ) => comment.value.trim() )
			.filter( ( text ) => /^translators:/i.test( text ) );
		if ( found.length ) {
			return found;
		}
		if ( current.isStatement() ) {
			break;
		}
		current = current.parentPath;
	}
	return [];
}

/**
 * Finds the `chatflows` strings in one JavaScript or TypeScript file.
 *
 * @param {string} code     Source text.
 * @param {string} fileName Reference name (relative path).
 * @return {Message[]} Messages found.
 */
export function extractScript( code, fileName ) {
	const ast = parse( code, {
		sourceType: 'unambiguous',
		plugins: fileName.endsWith( '.js' )
			? [ 'jsx' ]
			: [ 'typescript', 'jsx' ],
		errorRecovery: false,
	} );
	const messages = [];
	traverse( ast, {
		CallExpression( path ) {
			const spec = FUNCTIONS[ calleeName( path.node.callee ) ];
			if ( ! spec ) {
				return;
			}
			const args = path.node.arguments;
			if ( stringValue( args[ spec.domain ] ) !== TEXT_DOMAIN ) {
				return;
			}
			const msgid = stringValue( args[ spec.singular ] );
			if ( msgid === undefined ) {
				throw new Error(
					`${ fileName }:${ path.node.loc.start.line }: a translated string must be a literal.`
				);
			}
			messages.push( {
				msgid,
				msgctxt:
					spec.context !== undefined
						? stringValue( args[ spec.context ] )
						: undefined,
				msgidPlural:
					spec.plural !== undefined
						? stringValue( args[ spec.plural ] )
						: undefined,
				references: [ `${ fileName }:${ path.node.loc.start.line }` ],
				comments: translatorComments( path ),
			} );
		},
	} );
	return messages;
}

/**
 * Reads script files and extracts their strings.
 *
 * @param {string}   root  Project root.
 * @param {string[]} files Absolute or root-relative paths.
 * @return {Promise<Message[]>} Messages found.
 */
export async function extractScripts( root, files ) {
	const messages = [];
	for ( const file of files ) {
		const name = relative(
			root,
			file.startsWith( '/' ) ? file : `${ root }/${ file }`
		);
		messages.push(
			...extractScript(
				await readFile( `${ root }/${ name }`, 'utf8' ),
				name
			)
		);
	}
	return messages;
}

/** The block.json fields WordPress translates, with their contexts. */
const BLOCK_FIELDS = {
	title: 'block title',
	description: 'block description',
	keywords: 'block keyword',
};

/**
 * Extracts the translatable fields of block.json files.
 *
 * @param {string}   root  Project root.
 * @param {string[]} files Paths relative to root.
 * @return {Promise<Message[]>} Messages found.
 */
export async function extractBlockJson( root, files ) {
	const messages = [];
	for ( const file of files ) {
		const metadata = JSON.parse(
			await readFile( `${ root }/${ file }`, 'utf8' )
		);
		if ( metadata.textdomain !== TEXT_DOMAIN ) {
			continue;
		}
		for ( const [ field, context ] of Object.entries( BLOCK_FIELDS ) ) {
			const values = [].concat( metadata[ field ] ?? [] );
			for ( const value of values ) {
				messages.push( {
					msgid: value,
					msgctxt: context,
					references: [ file ],
					comments: [],
				} );
			}
		}
	}
	return messages;
}
