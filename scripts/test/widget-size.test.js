/**
 * The size check: the built widget holds its budgets (loader ≤ 3 KB gzip,
 * chat window with its realtime client ≤ 40 KB gzip), and the checker itself
 * fails when a budget is exceeded.
 */
const crypto = require( 'node:crypto' );
const fs = require( 'node:fs' );
const os = require( 'node:os' );
const path = require( 'node:path' );

const {
	exceededBudgets,
	gzipSize,
	measureWidget,
	staticImports,
	WIDGET_BUDGETS,
} = require( '../lib/widget-size.mjs' );

const repoRoot = path.resolve( __dirname, '..', '..' );
const tempDirs = [];

/**
 * A built widget folder with the given files.
 *
 * @param {Record<string, string|Buffer>} files Name → content.
 */
function widgetDir( files ) {
	const dir = fs.mkdtempSync( path.join( os.tmpdir(), 'chatflows-size-' ) );
	tempDirs.push( dir );
	for ( const [ name, content ] of Object.entries( files ) ) {
		fs.writeFileSync( path.join( dir, name ), content );
	}
	return dir;
}

/**
 * Text gzip cannot shrink much.
 *
 * @param {number} bytes Random bytes to encode.
 */
function incompressible( bytes ) {
	return crypto.randomBytes( bytes ).toString( 'base64' );
}

afterAll( () => {
	for ( const dir of tempDirs ) {
		fs.rmSync( dir, { recursive: true, force: true } );
	}
} );

describe( 'the built widget', () => {
	it( 'holds its budgets', () => {
		const sizes = measureWidget( path.join( repoRoot, 'build', 'widget' ) );
		expect( exceededBudgets( sizes ) ).toEqual( [] );
		// The realtime client is in the chat window's files, not the loader's.
		expect( sizes.loader.files ).toEqual( [ 'loader.js' ] );
	} );
} );

describe( 'the size checker', () => {
	it( 'passes a widget within its budgets', () => {
		const dir = widgetDir( {
			'loader.js': 'console.log("launcher")',
			'chat-window.js': 'export const mount = () => {};',
		} );
		expect( exceededBudgets( measureWidget( dir ) ) ).toEqual( [] );
	} );

	it( 'fails a loader over 3 KB gzip, naming it and the sizes', () => {
		const dir = widgetDir( {
			'loader.js': incompressible( 4000 ),
			'chat-window.js': 'export const mount = () => {};',
		} );
		const sizes = measureWidget( dir );
		expect( sizes.loader.gzip ).toBeGreaterThan( WIDGET_BUDGETS.loader );
		expect( exceededBudgets( sizes ) ).toEqual( [
			`The loader (loader.js) is ${ sizes.loader.gzip } bytes gzip, over its budget of 3072 bytes.`,
		] );
	} );

	it( 'counts the chunks the chat window imports statically, and fails when together they exceed 40 KB', () => {
		const dir = widgetDir( {
			'loader.js': '',
			'chat-window.js':
				'import{io as a}from"./chunk-socket.js";import"./chunk-style.js";export const mount=()=>import("./lazy-tab.js");',
			'chunk-socket.js': `export const io=${ JSON.stringify(
				incompressible( 25_000 )
			) };`,
			'chunk-style.js': `export const css=${ JSON.stringify(
				incompressible( 25_000 )
			) };`,
			'lazy-tab.js': incompressible( 60_000 ),
		} );
		const sizes = measureWidget( dir );
		expect( sizes.chatWindow.files.sort() ).toEqual( [
			'chat-window.js',
			'chunk-socket.js',
			'chunk-style.js',
		] );
		expect( exceededBudgets( sizes ) ).toEqual( [
			expect.stringMatching(
				/^The chat window \(chat-window\.js \+ chunk-socket\.js \+ chunk-style\.js\) is \d+ bytes gzip, over its budget of 40960 bytes\.$/
			),
		] );
	} );

	it( 'says to build first when a file is missing', () => {
		const dir = widgetDir( { 'loader.js': '' } );
		expect( () => measureWidget( dir ) ).toThrow(
			/chat-window\.js is missing: run npm run build:widget first\./
		);
	} );

	it( 'finds static imports in minified output, not dynamic ones', () => {
		expect(
			staticImports(
				'import{a as b}from"./x.js";export{c}from"../y.js";import"./z.js";const l=()=>import("./lazy.js");'
			)
		).toEqual( [ './x.js', '../y.js', './z.js' ] );
	} );

	it( 'measures gzip as servers send it', () => {
		expect( gzipSize( 'a'.repeat( 10_000 ) ) ).toBeLessThan( 100 );
	} );
} );
