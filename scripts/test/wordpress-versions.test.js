/**
 * The WordPress versions the plugin claims are the ones the tests run: "Requires at least" (plugin header
 * and readme.txt) is the oldest release the stack runs (Debian 12's), readme.txt's "Tested up to" the
 * newest (scripts/lib/newest-wordpress.mjs).
 */
const { execFileSync } = require( 'node:child_process' );
const fs = require( 'node:fs' );
const path = require( 'node:path' );

const repoRoot = path.resolve( __dirname, '..', '..' );
// The release the stack runs as the minimum (scripts/lib/wordpress.mjs's WORDPRESS_SOURCE).
const OLDEST_CORE = '/usr/share/wordpress';

/**
 * A core folder's version, as major.minor (the form plugin headers use).
 *
 * @param {string} coreDir
 * @return {string} E.g. "6.1".
 */
function majorMinor( coreDir ) {
	const source = fs.readFileSync(
		path.join( coreDir, 'wp-includes', 'version.php' ),
		'utf8'
	);
	const [ , version ] = source.match( /\$wp_version\s*=\s*'([^']+)'/ );
	return version.split( '.' ).slice( 0, 2 ).join( '.' );
}

/**
 * A header field of a plugin file or readme.
 *
 * @param {string} file  Relative to the repository.
 * @param {string} field E.g. "Requires at least".
 * @return {string|undefined} Value.
 */
function header( file, field ) {
	const text = fs.readFileSync( path.join( repoRoot, file ), 'utf8' );
	return text.match(
		new RegExp( `^[\\s*]*${ field }:\\s*(.+?)\\s*$`, 'm' )
	)?.[ 1 ];
}

test( '"Requires at least" is the oldest WordPress the tests run', () => {
	const oldest = majorMinor( OLDEST_CORE );
	expect( header( 'chatflows.php', 'Requires at least' ) ).toBe( oldest );
	expect( header( 'readme.txt', 'Requires at least' ) ).toBe( oldest );
} );

test( '"Tested up to" is the newest WordPress the tests run', () => {
	// Fetched once and cached; the e2e and production-stack tests run on this same core.
	const coreDir = execFileSync(
		process.execPath,
		[ path.join( repoRoot, 'scripts', 'lib', 'newest-wordpress.mjs' ) ],
		{ encoding: 'utf8', stdio: [ 'ignore', 'pipe', 'inherit' ] }
	).trim();
	expect( header( 'readme.txt', 'Tested up to' ) ).toBe(
		majorMinor( coreDir )
	);
}, 180_000 );
