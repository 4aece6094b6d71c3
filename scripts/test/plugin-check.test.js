/**
 * The findings of WordPress's Plugin Check that need no WordPress to find, checked on the plugin's files
 * (Plugin Check itself cannot be installed here; phpcs in `npm test` covers its coding-standard sniffs):
 * blocks on API version 3, every PHP file refusing to run outside WordPress, no script tag printed from PHP,
 * no query that turns filters off.
 */
const fs = require( 'node:fs' );
const path = require( 'node:path' );

const repoRoot = path.resolve( __dirname, '..', '..' );

/** The plugin's PHP files, as the zip ships them. */
function pluginPhpFiles() {
	const files = [ 'chatflows.php', 'uninstall.php' ];
	const walk = ( dir ) => {
		for ( const entry of fs.readdirSync( path.join( repoRoot, dir ), {
			withFileTypes: true,
		} ) ) {
			const relative = path.join( dir, entry.name );
			if ( entry.isDirectory() ) {
				walk( relative );
			} else if ( entry.name.endsWith( '.php' ) ) {
				files.push( relative );
			}
		}
	};
	walk( 'plugin' );
	return files.map( ( file ) => ( {
		file,
		code: fs.readFileSync( path.join( repoRoot, file ), 'utf8' ),
	} ) );
}

test( 'every block uses block API version 3 (block_api_version_too_low)', () => {
	const blocks = fs
		.readdirSync( path.join( repoRoot, 'blocks' ), { withFileTypes: true } )
		.map( ( entry ) =>
			path.join( repoRoot, 'blocks', entry.name, 'block.json' )
		)
		.filter( ( file ) => fs.existsSync( file ) );
	expect( blocks.length ).toBeGreaterThan( 0 );
	for ( const file of blocks ) {
		expect( [
			path.relative( repoRoot, file ),
			JSON.parse( fs.readFileSync( file, 'utf8' ) ).apiVersion,
		] ).toEqual( [ path.relative( repoRoot, file ), 3 ] );
	}
} );

test( 'every PHP file stops when loaded outside WordPress (direct file access)', () => {
	const unguarded = pluginPhpFiles()
		.filter(
			( { code } ) =>
				! /defined\(\s*'(ABSPATH|WP_UNINSTALL_PLUGIN)'\s*\)\s*(\|\||or)\s*exit/.test(
					code
				) &&
				! /if\s*\(\s*!\s*defined\(\s*'(ABSPATH|WP_UNINSTALL_PLUGIN)'\s*\)\s*\)\s*\{?\s*exit/.test(
					code
				)
		)
		.map( ( { file } ) => file );
	expect( unguarded ).toEqual( [] );
} );

test( 'no script tag is written in PHP (scripts are enqueued; the outside-page snippet is shown as text)', () => {
	const withScripts = pluginPhpFiles()
		.filter( ( { code } ) => /<script\b/i.test( code ) )
		.map( ( { file } ) => file );
	expect( withScripts ).toEqual( [] );
} );

test( 'no query turns filters off (suppress_filters)', () => {
	const suppressing = pluginPhpFiles()
		.filter( ( { code } ) => /'suppress_filters'\s*=>\s*true/.test( code ) )
		.map( ( { file } ) => file );
	expect( suppressing ).toEqual( [] );
} );
