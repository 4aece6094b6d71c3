/**
 * The translation pipeline (scripts/i18n.mjs and scripts/lib/i18n): what it extracts, and the
 * files it writes for WordPress. Its modules are ES modules, so each case runs in a child node.
 */
const { spawnSync } = require( 'node:child_process' );
const { mkdtempSync, writeFileSync, rmSync } = require( 'node:fs' );
const os = require( 'node:os' );
const path = require( 'node:path' );

const repoRoot = path.resolve( __dirname, '..', '..' );

/**
 * Runs an ES module snippet that imports the pipeline and prints JSON.
 *
 * @param {string} body Code; `extract` and `catalog` are the modules.
 * @return {any} What the snippet printed, parsed.
 */
function runModule( body ) {
	const code = `
		import * as extract from './scripts/lib/i18n/extract.mjs';
		import * as catalog from './scripts/lib/i18n/catalog.mjs';
		import gettextParser from 'gettext-parser';
		const result = await ( async () => { ${ body } } )();
		process.stdout.write( JSON.stringify( result ) );
	`;
	const child = spawnSync(
		process.execPath,
		[ '--input-type=module', '-e', code ],
		{ cwd: repoRoot, encoding: 'utf8' }
	);
	if ( child.status !== 0 ) {
		throw new Error( child.stderr );
	}
	return JSON.parse( child.stdout );
}

describe( 'string extraction from scripts', () => {
	it( 'finds every WordPress i18n function of our text domain and nothing else', () => {
		const found = runModule( `
			const code = [
				"import { __, _x, _n, _nx } from '@wordpress/i18n';",
				"__( 'Plain', 'chatflows' );",
				"_x( 'Post', 'verb', 'chatflows' );",
				"_n( '%d chat', '%d chats', n, 'chatflows' );",
				"_nx( '%d item', '%d items', n, 'noun', 'chatflows' );",
				"__( 'Not ours', 'other-domain' );",
				"__( 'No domain' );",
				"__( \`Template\`, 'chatflows' );",
			].join( '\\n' );
			return extract.extractScript( code, 'admin/src/a.ts' );
		` );
		expect(
			found.map( ( { msgid, msgctxt, msgidPlural } ) => [
				msgid,
				msgctxt ?? null,
				msgidPlural ?? null,
			] )
		).toEqual( [
			[ 'Plain', null, null ],
			[ 'Post', 'verb', null ],
			[ '%d chat', null, '%d chats' ],
			[ '%d item', 'noun', '%d items' ],
			[ 'Template', null, null ],
		] );
		expect( found[ 0 ].references ).toEqual( [ 'admin/src/a.ts:2' ] );
	} );

	it( 'reads translator comments and the calls a bundler rewrote', () => {
		const found = runModule( `
			const source = "const label = sprintf(\\n\\t/* translators: %s: a name. */\\n\\t__( 'Hello %s', 'chatflows' ),\\n\\tname\\n);";
			const bundled = 'var a=(0,r.__)("Bundled","chatflows"),b=(0,r._x)("Open","verb","chatflows");';
			return [
				...extract.extractScript( source, 'admin/src/b.tsx' ),
				...extract.extractScript( bundled, 'build/admin/b.js' ),
			];
		` );
		expect( found.map( ( message ) => message.msgid ) ).toEqual( [
			'Hello %s',
			'Bundled',
			'Open',
		] );
		expect( found[ 0 ].comments ).toEqual( [ 'translators: %s: a name.' ] );
		expect( found[ 2 ].msgctxt ).toBe( 'verb' );
	} );

	it( 'refuses a translated string that is not a literal', () => {
		expect( () =>
			runModule(
				`return extract.extractScript( "__( label, 'chatflows' );", 'admin/src/c.ts' );`
			)
		).toThrow(
			/admin\/src\/c.ts:1: a translated string must be a literal/
		);
	} );
} );

describe( 'string extraction from PHP and block.json', () => {
	let folder;
	beforeAll( () => {
		folder = mkdtempSync( path.join( os.tmpdir(), 'chatflows-i18n-' ) );
		writeFileSync(
			path.join( folder, 'sample.php' ),
			[
				'<?php',
				"esc_html_e( 'Inbox', 'chatflows' );",
				'/* translators: %d: number of chats. */',
				"printf( _n( '%d chat', '%d chats', 2, 'chatflows' ), 2 );",
				"echo esc_attr_x( 'Close', 'button', 'chatflows' );",
				"__( 'Core string' );",
				"__( 'Searching…', 'chatflows' );",
				'/* translators: %s: the file’s name. */',
				"_x( 'Sending %s…', 'upload – in progress', 'chatflows' );",
			].join( '\n' )
		);
		writeFileSync(
			path.join( folder, 'block.json' ),
			JSON.stringify( {
				name: 'chatflows/live-chat',
				title: 'Live chat',
				description: 'Chat here.',
				keywords: [ 'support' ],
				textdomain: 'chatflows',
			} )
		);
	} );
	afterAll( () => rmSync( folder, { recursive: true, force: true } ) );

	it( 'finds PHP strings with contexts, plurals and translator comments', () => {
		const found = runModule(
			`return extract.extractPhp( ${ JSON.stringify( folder ) }, [ 'sample.php' ] );`
		);
		const byId = Object.fromEntries(
			found.map( ( message ) => [ message.msgid, message ] )
		);
		expect( Object.keys( byId ).sort() ).toEqual( [
			'%d chat',
			'Close',
			'Inbox',
			'Searching…',
			'Sending %s…',
		] );
		expect( byId[ 'Sending %s…' ].msgctxt ).toBe( 'upload – in progress' );
		expect( byId[ 'Sending %s…' ].comments ).toEqual( [
			'translators: %s: the file’s name.',
		] );
		expect( byId[ '%d chat' ].msgidPlural ).toBe( '%d chats' );
		expect( byId[ '%d chat' ].comments ).toEqual( [
			'translators: %d: number of chats.',
		] );
		expect( byId.Close.msgctxt ).toBe( 'button' );
	} );

	it( 'takes the fields WordPress translates from block.json, with their contexts', () => {
		const found = runModule(
			`return extract.extractBlockJson( ${ JSON.stringify( folder ) }, [ 'block.json' ] );`
		);
		expect(
			found.map( ( { msgid, msgctxt } ) => `${ msgctxt }: ${ msgid }` )
		).toEqual( [
			'block title: Live chat',
			'block description: Chat here.',
			'block keyword: support',
		] );
	} );
} );

describe( 'the files WordPress loads', () => {
	it( 'names script translations after the md5 of the built script path', () => {
		const name = runModule(
			`return catalog.scriptJsonName( 'da_DK', 'build/admin/inbox.js' );`
		);
		const hash = require( 'node:crypto' )
			.createHash( 'md5' )
			.update( 'build/admin/inbox.js' )
			.digest( 'hex' );
		expect( name ).toBe( `chatflows-da_DK-${ hash }.json` );
	} );

	it( 'keeps translations when merging, drops strings gone from the code, and compiles them', () => {
		const result = runModule( `
			const old = catalog.poText(
				[ { msgid: 'Kept', references: [ 'a.php' ], comments: [] }, { msgid: 'Gone', references: [ 'a.php' ], comments: [] } ],
				'nl_NL',
				new Map( [ [ 'Kept', [ 'Behouden' ] ], [ 'Gone', [ 'Weg' ] ] ] )
			);
			const messages = catalog.mergeMessages( [
				{ msgid: 'Kept', references: [ 'a.php:3' ], comments: [] },
				{ msgid: 'New', msgctxt: 'verb', references: [ 'b.ts:9' ], comments: [] },
			] );
			const po = catalog.poText( messages, 'nl_NL', catalog.readTranslations( old ) );
			const mo = gettextParser.mo.parse( catalog.moBuffer( po ) );
			const json = JSON.parse(
				catalog.scriptJsonText( 'nl_NL', new Set( [ 'Kept', 'verb\\u0004New' ] ), catalog.readTranslations( po ) )
			);
			return { po, moKeys: Object.keys( mo.translations[ '' ] ), json, pot: catalog.potText( messages ) };
		` );
		expect( result.po ).toContain( 'msgid "Kept"\nmsgstr "Behouden"' );
		expect( result.po ).not.toContain( 'Gone' );
		expect( result.po ).toContain(
			'msgctxt "verb"\nmsgid "New"\nmsgstr ""'
		);
		expect( result.po ).toContain(
			'"Plural-Forms: nplurals=2; plural=(n != 1);\\n"'
		);
		// Untranslated strings stay out of the compiled files, so English shows instead.
		expect( result.moKeys ).toEqual( [ '', 'Kept' ] );
		expect( result.json.locale_data.messages.Kept ).toEqual( [
			'Behouden',
		] );
		expect( result.json.locale_data.messages ).not.toHaveProperty(
			'verb\u0004New'
		);
		expect( result.json.locale_data.messages[ '' ].lang ).toBe( 'nl_NL' );
		// References carry file names only, so the template does not change with every edit.
		expect( result.pot ).toContain( '#: a.php\n' );
		expect( result.pot ).not.toContain( 'a.php:3' );
	} );
} );
