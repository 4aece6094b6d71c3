/**
 * One version number: the plugin's header and constant, readme.txt's stable tag, package.json, the service's
 * package (server/package.json, which `chatflows-service version` prints) and the artifact names in
 * docs/deploy.md all agree. The service package's dependencies are the root's, at the same versions.
 */
const fs = require( 'node:fs' );
const path = require( 'node:path' );

const repoRoot = path.resolve( __dirname, '..', '..' );
const read = ( file ) => fs.readFileSync( path.join( repoRoot, file ), 'utf8' );
const rootManifest = JSON.parse( read( 'package.json' ) );
const serviceManifest = JSON.parse( read( 'server/package.json' ) );
const version = rootManifest.version;

/**
 * The first group of the first match, or a note that nothing matched.
 *
 * @param {string} text
 * @param {RegExp} pattern
 * @return {string} What it found.
 */
function found( text, pattern ) {
	return pattern.exec( text )?.[ 1 ] ?? `(nothing matches ${ pattern })`;
}

describe( 'one version number', () => {
	it( 'is a release version', () => {
		expect( version ).toMatch( /^\d+\.\d+\.\d+$/ );
	} );

	it.each( [
		[
			'chatflows.php header',
			() => found( read( 'chatflows.php' ), /^ \* Version:\s+(\S+)$/m ),
		],
		[
			'chatflows.php VERSION',
			() =>
				found(
					read( 'chatflows.php' ),
					/^const VERSION\s*=\s*'([^']+)';$/m
				),
		],
		[
			'readme.txt Stable tag',
			() => found( read( 'readme.txt' ), /^Stable tag:\s*(\S+)$/m ),
		],
		[ 'server/package.json', () => serviceManifest.version ],
	] )( '%s is package.json’s', ( _where, actual ) => {
		expect( actual() ).toBe( version );
	} );

	it( 'names the artifacts of this version in docs/deploy.md', () => {
		const names = [
			...read( 'docs/deploy.md' ).matchAll(
				/chatflows(?:-service)?-(\d[\w.-]*?)\.(?:zip|tgz)/g
			),
		];
		expect( names.length ).toBeGreaterThan( 0 );
		expect( [
			...new Set( names.map( ( match ) => match[ 1 ] ) ),
		] ).toEqual( [ version ] );
	} );
} );

describe( 'the service package', () => {
	it( 'depends on what the repository does, at the same versions', () => {
		for ( const [ name, range ] of Object.entries(
			serviceManifest.dependencies
		) ) {
			expect( [ name, rootManifest.dependencies[ name ] ] ).toEqual( [
				name,
				range,
			] );
		}
	} );

	it( 'has the chatflows-service command and no development dependencies', () => {
		expect( serviceManifest ).toMatchObject( {
			name: 'chatflows-service',
			bin: { 'chatflows-service': 'dist/server/src/cli.js' },
			engines: { node: '>=20' },
		} );
		expect( serviceManifest.devDependencies ).toBeUndefined();
		expect(
			read( 'server/src/cli.ts' ).startsWith( '#!/usr/bin/env node\n' )
		).toBe( true );
	} );
} );
