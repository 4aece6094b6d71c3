/**
 * The newest WordPress release a reachable package registry serves, fetched once into the cache and reused.
 *
 * 1. Composer's `johnpbloch/wordpress-core` (the build of core Composer users install), where the registry
 *    Composer is configured with holds it.
 * 2. Else Debian 13 (trixie)'s `wordpress` package, downloaded with a private apt configuration (its own
 *    sources list, state and cache folders: the machine's apt is left untouched) and unpacked with
 *    `dpkg -x`, never installed. Debian replaces some bundled files with symlinks into other packages
 *    (libjs-cropper, libjs-lodash, libjs-underscore, php-getid3); those are unpacked beside it and the links
 *    resolved, so that the core folder holds plain files only. Its default theme is a package of its own.
 *
 * Also runnable on its own: `node scripts/lib/newest-wordpress.mjs [--refresh]` prints the core folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireLock, hasCommand, log, repoRoot, run } from './process.mjs';

/** Where the newest core is kept between runs. */
export const NEWEST_WORDPRESS_CACHE = path.join(
	repoRoot,
	'.data',
	'cache',
	'wordpress-newest'
);

/** The Composer package of WordPress core. */
export const COMPOSER_CORE_PACKAGE = 'johnpbloch/wordpress-core';

/** Debian release whose `wordpress` package is the fallback, and its suites. */
export const DEBIAN_FALLBACK = {
	release: 'trixie',
	suites: [
		[ 'http://deb.debian.org/debian', 'trixie' ],
		[ 'http://deb.debian.org/debian-security', 'trixie-security' ],
	],
	keyring: '/usr/share/keyrings/debian-archive-keyring.gpg',
	// WordPress, what its symlinks point into, and the default theme it recommends.
	packages: [
		'wordpress',
		'wordpress-theme-twentytwentyfive',
		'libjs-cropper',
		'libjs-lodash',
		'libjs-underscore',
		'php-getid3',
	],
};

/**
 * Reads `$wp_version` from a core folder.
 *
 * @param {string} coreDir
 * @return {string} Version, e.g. "6.8.13".
 */
export function wordpressVersion( coreDir ) {
	const source = fs.readFileSync(
		path.join( coreDir, 'wp-includes', 'version.php' ),
		'utf8'
	);
	const match = source.match( /\$wp_version\s*=\s*'([^']+)'/ );
	if ( ! match ) {
		throw new Error( `${ coreDir } has no $wp_version.` );
	}
	return match[ 1 ];
}

/**
 * The newest stable version of a Composer package the configured registry holds, or null when it has none.
 *
 * @param {string} name
 * @param {string} workDir A folder without composer.json.
 * @return {Promise<string|null>} Version.
 */
async function newestComposerVersion( name, workDir ) {
	const result = await run(
		'composer',
		[ 'show', '--available', '--format=json', '--no-interaction', name ],
		{ cwd: workDir, capture: true, allowFailure: true }
	);
	if ( result.code !== 0 ) {
		return null;
	}
	let versions;
	try {
		versions = JSON.parse( result.stdout ).versions ?? [];
	} catch {
		return null;
	}
	const stable = versions
		.filter( ( version ) => /^\d+(\.\d+)*$/.test( version ) )
		.sort( ( a, b ) => a.localeCompare( b, 'en', { numeric: true } ) );
	return stable.pop() ?? null;
}

/**
 * Fetches core with Composer into `target`.
 *
 * @param {string} target
 * @param {string} workDir
 * @return {Promise<boolean>} False when the registry does not hold the package.
 */
async function fetchFromComposer( target, workDir ) {
	if ( ! hasCommand( 'composer' ) ) {
		return false;
	}
	const version = await newestComposerVersion(
		COMPOSER_CORE_PACKAGE,
		workDir
	);
	if ( ! version ) {
		log(
			`Composer's registry does not hold ${ COMPOSER_CORE_PACKAGE }: falling back to Debian ${ DEBIAN_FALLBACK.release }.`
		);
		return false;
	}
	log(
		`Fetching WordPress ${ version } with Composer (${ COMPOSER_CORE_PACKAGE })`
	);
	await run(
		'composer',
		[
			'create-project',
			'--no-install',
			'--no-interaction',
			'--no-scripts',
			'--no-plugins',
			COMPOSER_CORE_PACKAGE,
			target,
			version,
		],
		{ cwd: workDir, capture: true }
	);
	fs.rmSync( path.join( target, 'composer.json' ), { force: true } );
	return true;
}

/**
 * Replaces each symlink under `dir` by a copy of what it points to, resolving links that point into
 * `unpackRoot` (an unpacked file system) there first; links that lead nowhere are removed.
 *
 * @param {string} dir
 * @param {string} unpackRoot
 * @return {{ resolved: number, removed: string[] }} What was done.
 */
function resolveSymlinks( dir, unpackRoot ) {
	const report = { resolved: 0, removed: [] };
	const walk = ( folder ) => {
		for ( const entry of fs.readdirSync( folder, {
			withFileTypes: true,
		} ) ) {
			const full = path.join( folder, entry.name );
			if ( entry.isDirectory() ) {
				walk( full );
				continue;
			}
			if ( ! entry.isSymbolicLink() ) {
				continue;
			}
			const link = fs.readlinkSync( full );
			// An absolute link names a path of the system the package is installed on: look in the unpacked
			// tree first, then on this machine (e.g. the CA bundle of ca-certificates).
			const candidates = path.isAbsolute( link )
				? [ path.join( unpackRoot, link ), link ]
				: [ path.resolve( folder, link ) ];
			const found = candidates.find( ( candidate ) =>
				fs.existsSync( candidate )
			);
			fs.rmSync( full );
			if ( found ) {
				fs.cpSync( fs.realpathSync( found ), full, {
					dereference: true,
					recursive: true,
				} );
				report.resolved++;
			} else {
				report.removed.push( path.relative( dir, full ) );
			}
		}
	};
	walk( dir );
	return report;
}

/**
 * Fetches core from Debian's fallback release into `target`, without touching the machine's apt.
 *
 * @param {string} target
 * @param {string} workDir
 * @return {Promise<void>}
 */
async function fetchFromDebian( target, workDir ) {
	if ( ! hasCommand( 'apt-get' ) || ! hasCommand( 'dpkg' ) ) {
		throw new Error(
			'Neither Composer nor apt-get can fetch the newest WordPress on this machine.'
		);
	}
	const apt = path.join( workDir, 'apt' );
	for ( const sub of [
		'state/lists/partial',
		'cache/archives/partial',
		'debs',
	] ) {
		fs.mkdirSync( path.join( apt, sub ), { recursive: true } );
	}
	const sourcesList = path.join( apt, 'sources.list' );
	fs.writeFileSync(
		sourcesList,
		DEBIAN_FALLBACK.suites
			.map(
				( [ uri, suite ] ) =>
					`deb [signed-by=${ DEBIAN_FALLBACK.keyring }] ${ uri } ${ suite } main\n`
			)
			.join( '' )
	);
	// Everything apt reads or writes is in the work folder; no lock on the system's apt is taken.
	const options = [
		[ 'Dir::Etc::SourceList', sourcesList ],
		[ 'Dir::Etc::SourceParts', '/dev/null' ],
		[ 'Dir::State', path.join( apt, 'state' ) ],
		[ 'Dir::State::Lists', path.join( apt, 'state', 'lists' ) ],
		[ 'Dir::State::status', '/dev/null' ],
		[ 'Dir::Cache', path.join( apt, 'cache' ) ],
		[ 'Debug::NoLocking', '1' ],
		[ 'Acquire::Languages', 'none' ],
		// Root's downloads would otherwise switch to the _apt user, who cannot write the work folder.
		[ 'APT::Sandbox::User', 'root' ],
	].flatMap( ( [ key, value ] ) => [ '-o', `${ key }=${ value }` ] );
	log(
		`Fetching WordPress from Debian ${ DEBIAN_FALLBACK.release } (${ DEBIAN_FALLBACK.packages.join(
			', '
		) })`
	);
	await run( 'apt-get', [ ...options, '-q', 'update' ], { capture: true } );
	const debs = path.join( apt, 'debs' );
	await run(
		'apt-get',
		[ ...options, '-q', 'download', ...DEBIAN_FALLBACK.packages ],
		{ cwd: debs, capture: true }
	);
	const unpacked = path.join( workDir, 'root' );
	for ( const deb of fs.readdirSync( debs ) ) {
		await run( 'dpkg', [ '-x', path.join( debs, deb ), unpacked ], {
			capture: true,
		} );
	}
	const core = path.join( unpacked, 'usr', 'share', 'wordpress' );
	const { resolved, removed } = resolveSymlinks( core, unpacked );
	log(
		`Resolved ${ resolved } symlinks${
			removed.length
				? `; removed ${ removed.join( ', ' ) } (nothing there)`
				: ''
		}`
	);
	// Debian's wp-config.php reads /etc/wordpress; sites write their own.
	fs.rmSync( path.join( core, 'wp-config.php' ), { force: true } );
	fs.renameSync( core, target );
}

/**
 * Returns the folder of the newest WordPress core a registry serves, fetching it the first time.
 *
 * @param {Object}  [options]
 * @param {string}  [options.cacheDir] Where it is kept (default: .data/cache/wordpress-newest).
 * @param {boolean} [options.refresh]  Fetch again even when a copy is cached.
 * @return {Promise<{ coreDir: string, version: string, source: 'composer'|'debian' }>} The core.
 */
export async function provisionNewestWordPress( {
	cacheDir = NEWEST_WORDPRESS_CACHE,
	refresh = false,
} = {} ) {
	const coreDir = path.join( cacheDir, 'core' );
	const infoFile = path.join( cacheDir, 'source.json' );
	const cached = () =>
		fs.existsSync( infoFile ) &&
		fs.existsSync( path.join( coreDir, 'wp-settings.php' ) );
	if ( ! refresh && cached() ) {
		return {
			coreDir,
			...JSON.parse( fs.readFileSync( infoFile, 'utf8' ) ),
		};
	}
	// The e2e stack, the PHP tests and the production-stack test may ask at the same time.
	const release = await acquireLock( `${ cacheDir }.lock`, {
		what: 'the newest WordPress cache',
	} );
	let workDir = null;
	try {
		// Another process may have fetched it while this one waited for the lock.
		if ( ! refresh && cached() ) {
			return {
				coreDir,
				...JSON.parse( fs.readFileSync( infoFile, 'utf8' ) ),
			};
		}
		workDir = fs.mkdtempSync(
			path.join( os.tmpdir(), 'chatflows-newest-wp-' )
		);
		const target = path.join( workDir, 'core' );
		const source = ( await fetchFromComposer( target, workDir ) )
			? 'composer'
			: 'debian';
		if ( source === 'debian' ) {
			await fetchFromDebian( target, workDir );
		}
		const version = wordpressVersion( target );
		fs.mkdirSync( cacheDir, { recursive: true } );
		fs.rmSync( coreDir, { recursive: true, force: true } );
		fs.rmSync( infoFile, { force: true } );
		// The work folder may be on another file system than the cache: copy, not rename.
		fs.cpSync( target, coreDir, { recursive: true } );
		const info = { version, source, fetchedAt: new Date().toISOString() };
		fs.writeFileSync( infoFile, JSON.stringify( info, null, '\t' ) + '\n' );
		log( `WordPress ${ version } (from ${ source }) is in ${ coreDir }` );
		return { coreDir, ...info };
	} finally {
		if ( workDir ) {
			fs.rmSync( workDir, { recursive: true, force: true } );
		}
		release();
	}
}

if (
	process.argv[ 1 ] &&
	path.resolve( process.argv[ 1 ] ) === fileURLToPath( import.meta.url )
) {
	try {
		const { coreDir, version, source } = await provisionNewestWordPress( {
			refresh: process.argv.includes( '--refresh' ),
		} );
		process.stdout.write( `${ coreDir }\n` );
		log( `WordPress ${ version } from ${ source }` );
	} catch ( error ) {
		log( error.message );
		process.exit( 1 );
	}
}
