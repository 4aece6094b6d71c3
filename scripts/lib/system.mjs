/**
 * Makes sure the machine has what the development stack needs: Debian packages and node_modules.
 *
 * Also runnable on its own: `node scripts/lib/system.mjs` installs the missing Debian packages,
 * `node scripts/lib/system.mjs --node-modules` also installs node_modules when needed, and
 * `--composer` the PHP development tools (vendor/).
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasCommand, log, repoRoot, run } from './process.mjs';

/** Debian packages the stack and its tests use. */
export const SYSTEM_PACKAGES = [
	'wordpress',
	'wordpress-l10n',
	'wordpress-theme-twentytwentythree',
	'php8.2-cli',
	'php8.2-sqlite3',
	'php8.2-mbstring',
	'php8.2-xml',
	'php8.2-curl',
	'php8.2-zip',
	'php8.2-intl',
	'php8.2-mysql',
	'phpunit',
	'composer',
	'gettext',
	'chromium',
	'fonts-liberation',
	'unzip',
	// npm run dist makes the plugin zip with it.
	'zip',
	// The release test checks docs/deploy.md's unit file with systemd-analyze.
	'systemd',
	'postgresql',
	'redis-server',
	// The production-like stack of test/production: nginx with TLS, PHP-FPM, MariaDB, and certutil to
	// make the test browser's profile trust the test's certificate authority.
	'nginx',
	'php8.2-fpm',
	'php8.2-mysql',
	'mariadb-server',
	'openssl',
	'libnss3-tools',
];

/**
 * Lists the packages of `packages` that are not installed.
 *
 * @param {string[]} [packages]
 * @return {Promise<string[]>} Missing package names.
 */
export async function missingSystemPackages( packages = SYSTEM_PACKAGES ) {
	if ( ! hasCommand( 'dpkg-query' ) ) {
		throw new Error(
			'This machine has no dpkg-query: the development stack expects Debian 12.'
		);
	}
	// dpkg-query exits non-zero when some package is unknown; its output still covers the known ones.
	const { stdout } = await run(
		'dpkg-query',
		[ '-W', '-f=${Package} ${Status}\\n', ...packages ],
		{
			capture: true,
			allowFailure: true,
		}
	);
	const installed = new Set(
		stdout
			.split( '\n' )
			.filter( ( line ) => line.endsWith( ' install ok installed' ) )
			.map( ( line ) => line.split( ' ' )[ 0 ].split( ':' )[ 0 ] )
	);
	return packages.filter( ( name ) => ! installed.has( name ) );
}

/**
 * Installs the missing Debian packages with apt-get (non-interactive, without recommended extras).
 *
 * @param {Object}   [options]
 * @param {string[]} [options.packages]
 * @return {Promise<string[]>} The packages that were installed.
 */
export async function ensureSystemPackages( {
	packages = SYSTEM_PACKAGES,
} = {} ) {
	const missing = await missingSystemPackages( packages );
	if ( missing.length === 0 ) {
		return [];
	}
	log( `Installing Debian packages: ${ missing.join( ' ' ) }` );
	const sudo = process.getuid?.() === 0 ? [] : [ 'sudo', '-n' ];
	const env = {
		...process.env,
		DEBIAN_FRONTEND: 'noninteractive',
		NEEDRESTART_MODE: 'a',
	};
	const apt = async ( ...args ) => {
		// Wait for another apt or dpkg run to finish instead of failing on its lock.
		const [ command, ...rest ] = [
			...sudo,
			'apt-get',
			'-o',
			'DPkg::Lock::Timeout=300',
			...args,
		];
		await run( command, rest, { env } );
	};
	await apt( 'update', '-q' );
	await apt(
		'install',
		'-y',
		'-q',
		'--no-install-recommends',
		'-o',
		'Dpkg::Options::=--force-confdef',
		'-o',
		'Dpkg::Options::=--force-confold',
		...missing
	);
	const still = await missingSystemPackages( missing );
	if ( still.length ) {
		throw new Error( `apt-get did not install: ${ still.join( ' ' ) }` );
	}
	return missing;
}

/**
 * Runs `npm ci` (or `npm install` without a lock file) when node_modules is missing or older than
 * package-lock.json / package.json.
 *
 * @param {Object} [options]
 * @param {string} [options.root] Folder holding package.json.
 * @return {Promise<boolean>} Whether an install ran.
 */
export async function ensureNodeModules( { root = repoRoot } = {} ) {
	const lock = path.join( root, 'package-lock.json' );
	const manifest = path.join( root, 'package.json' );
	// npm writes node_modules/.package-lock.json at the end of every install.
	const installedMarker = path.join(
		root,
		'node_modules',
		'.package-lock.json'
	);
	const mtime = ( file ) =>
		fs.existsSync( file ) ? fs.statSync( file ).mtimeMs : 0;
	const hasLock = fs.existsSync( lock );
	const installedAt = mtime( installedMarker );
	const wanted = Math.max( mtime( lock ), hasLock ? 0 : mtime( manifest ) );
	if ( installedAt && installedAt >= wanted ) {
		return false;
	}
	const args = hasLock
		? [ 'ci', '--no-audit', '--no-fund' ]
		: [ 'install', '--no-audit', '--no-fund' ];
	log(
		`node_modules is ${ installedAt ? 'out of date' : 'missing' }: npm ${ args[ 0 ] }`
	);
	await run( 'npm', args, { cwd: root } );
	return true;
}

/**
 * Runs `composer install` (the PHP development tools: coding standards, PHP compatibility) when vendor/ is
 * missing or older than composer.json. The project keeps no composer.lock: the newest versions the
 * constraints allow.
 *
 * @param {Object} [options]
 * @param {string} [options.root] Folder holding composer.json.
 * @return {Promise<boolean>} Whether an install ran.
 */
export async function ensureComposerPackages( { root = repoRoot } = {} ) {
	const manifest = path.join( root, 'composer.json' );
	// Composer rewrites vendor/autoload.php at the end of every install.
	const installedMarker = path.join( root, 'vendor', 'autoload.php' );
	if (
		fs.existsSync( installedMarker ) &&
		fs.statSync( installedMarker ).mtimeMs >=
			fs.statSync( manifest ).mtimeMs
	) {
		return false;
	}
	log( 'vendor/ is missing or out of date: composer install' );
	await run( 'composer', [ 'install', '--no-interaction', '--no-progress' ], {
		cwd: root,
	} );
	return true;
}

if (
	process.argv[ 1 ] &&
	path.resolve( process.argv[ 1 ] ) === fileURLToPath( import.meta.url )
) {
	try {
		const installed = await ensureSystemPackages();
		log(
			installed.length
				? `Installed ${ installed.length } Debian packages.`
				: 'Debian packages: all present.'
		);
		if ( process.argv.includes( '--node-modules' ) ) {
			await ensureNodeModules();
		}
		if ( process.argv.includes( '--composer' ) ) {
			await ensureComposerPackages();
		}
	} catch ( error ) {
		log( error.message );
		process.exit( 1 );
	}
}
