/**
 * `npm run dist`: the release artifacts, in dist/.
 *
 *   dist/chatflows-<version>.zip            the plugin, as WordPress's uploader and the plugin directory take
 *                                           it: one folder `chatflows/`, PHP, built assets, translations and
 *                                           the blocks' metadata; no sources, tests, server or dotfiles
 *   dist/chatflows-service-<version>.tgz    the chat service as an npm package with the `chatflows-service`
 *                                           command: compiled JavaScript, production dependencies only; the
 *                                           repository's own packages it uses (packages/*) compiled inside it
 *
 * Builds first when the sources changed. The zip's entries are in sorted order with one fixed time, so the
 * same sources make the same zip.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './lib/build.mjs';
import { workspacePackages } from './lib/packages.mjs';
import { log, repoRoot, run } from './lib/process.mjs';

export const DIST_DIR = path.join( repoRoot, 'dist' );

/** The plugin's folder name inside the zip (its slug). */
export const PLUGIN_SLUG = 'chatflows';

/**
 * What goes into the plugin zip, relative to the repository: each rule names a file or a folder and, for
 * a folder, which files of it.
 */
const PLUGIN_CONTENT = [
	{ file: 'chatflows.php' },
	{ file: 'uninstall.php' },
	{ file: 'readme.txt' },
	{ dir: 'plugin', include: /\.(?:php|json)$/ },
	{ dir: 'build', include: /\.(?:js|css|php|svg|png|woff2?)$/ },
	{ dir: 'languages', include: /\.(?:pot|po|mo|json)$/ },
	{ dir: 'blocks', include: /(?:^|\/)block\.json$/ },
];

/**
 * The version every part carries (package.json's).
 *
 * @return {string} Version.
 */
export function projectVersion() {
	return JSON.parse(
		fs.readFileSync( path.join( repoRoot, 'package.json' ), 'utf8' )
	).version;
}

/**
 * The artifacts' paths for a version.
 *
 * @param {string} version
 * @return {{ zip: string, tgz: string }} Paths in dist/.
 */
export function artifactPaths( version = projectVersion() ) {
	return {
		zip: path.join( DIST_DIR, `${ PLUGIN_SLUG }-${ version }.zip` ),
		tgz: path.join( DIST_DIR, `chatflows-service-${ version }.tgz` ),
	};
}

/**
 * Every file of `dir` (relative to the repository), skipping dotfiles and dot-folders.
 *
 * @param {string} dir
 * @return {string[]} Relative paths.
 */
function filesUnder( dir ) {
	const found = [];
	for ( const entry of fs.readdirSync( path.join( repoRoot, dir ), {
		withFileTypes: true,
	} ) ) {
		if ( entry.name.startsWith( '.' ) ) {
			continue;
		}
		const relative = path.posix.join( dir, entry.name );
		if ( entry.isDirectory() ) {
			found.push( ...filesUnder( relative ) );
		} else if ( entry.isFile() ) {
			found.push( relative );
		}
	}
	return found;
}

/**
 * The plugin's files, relative to the repository, sorted.
 *
 * @return {string[]} Paths.
 */
export function pluginFiles() {
	const files = [];
	for ( const rule of PLUGIN_CONTENT ) {
		if ( rule.file ) {
			files.push( rule.file );
		} else {
			files.push(
				...filesUnder( rule.dir ).filter( ( file ) =>
					rule.include.test( file )
				)
			);
		}
	}
	return files.sort();
}

/**
 * A fixed time for every zip entry: the last commit's, so a rebuild of the same commit makes the same zip.
 *
 * @return {Promise<Date>} The time.
 */
async function entryTime() {
	const { code, stdout } = await run(
		'git',
		[ 'log', '-1', '--format=%ct' ],
		{
			capture: true,
			allowFailure: true,
		}
	);
	const seconds = Number( stdout.trim() );
	return code === 0 && seconds > 0
		? new Date( seconds * 1000 )
		: new Date( Date.UTC( 2026, 0, 1 ) );
}

/**
 * Makes the plugin zip with Debian's `zip`.
 *
 * @param {string} target Path of the zip.
 * @param {string} work   A scratch folder.
 */
async function makePluginZip( target, work ) {
	const stage = path.join( work, 'plugin' );
	const time = await entryTime();
	const entries = new Set();
	for ( const file of pluginFiles() ) {
		const destination = path.join( stage, PLUGIN_SLUG, file );
		fs.mkdirSync( path.dirname( destination ), { recursive: true } );
		fs.copyFileSync( path.join( repoRoot, file ), destination );
		fs.utimesSync( destination, time, time );
		// Each folder gets its own entry, before its files.
		const parts = `${ PLUGIN_SLUG }/${ file }`.split( '/' );
		for ( let depth = 1; depth < parts.length; depth++ ) {
			entries.add( parts.slice( 0, depth ).join( '/' ) + '/' );
		}
		entries.add( parts.join( '/' ) );
	}
	for ( const entry of entries ) {
		if ( entry.endsWith( '/' ) ) {
			fs.utimesSync( path.join( stage, entry ), time, time );
		}
	}
	fs.rmSync( target, { force: true } );
	// -X: no uid/gid or extra time fields; the names (folders before their files) read from stdin, in order, without recursion.
	await run( 'zip', [ '-X', '-q', target, '-@' ], {
		cwd: stage,
		input: [ ...entries ].sort().join( '\n' ) + '\n',
		capture: true,
	} );
}

/** The TypeScript compiler, run by node (no shell). */
const TSC = path.join( repoRoot, 'node_modules', 'typescript', 'bin', 'tsc' );

/**
 * Compiles the workspace packages the service depends on into the stage's node_modules, each with a
 * manifest of its compiled JavaScript only, to be bundled into the tarball: they are never published,
 * so npm must find them inside it. Their own dependencies must be the service's too, so npm installs them.
 *
 * @param {Object} manifest server/package.json.
 * @param {string} stage    The service's scratch folder.
 * @param {string} work     A scratch folder outside the stage.
 * @return {Promise<string[]>} The bundled packages' names.
 */
async function stageWorkspacePackages( manifest, stage, work ) {
	const bundled = [];
	for ( const { dir, manifest: own } of workspacePackages() ) {
		const { name } = own;
		const range = manifest.dependencies[ name ];
		if ( ! range ) {
			continue;
		}
		if ( own.version !== range ) {
			throw new Error(
				`server/package.json wants ${ name } ${ range }, packages/ has ${ own.version }: they must agree.`
			);
		}
		for ( const dependency of Object.keys( own.dependencies ?? {} ) ) {
			if ( ! manifest.dependencies[ dependency ] ) {
				throw new Error(
					`${ name } depends on ${ dependency }: server/package.json must list it too.`
				);
			}
		}
		const target = path.join( stage, 'node_modules', ...name.split( '/' ) );
		await run(
			process.execPath,
			[
				TSC,
				'-p',
				path.join( dir, 'tsconfig.json' ),
				'--outDir',
				path.join( target, 'dist' ),
				// Not the repository's build record: this compile must not make `tsc -b` skip one.
				'--tsBuildInfoFile',
				path.join( work, `${ path.basename( dir ) }.tsbuildinfo` ),
				'--sourceMap',
				'false',
			],
			{ capture: true }
		);
		fs.writeFileSync(
			path.join( target, 'package.json' ),
			JSON.stringify(
				{
					name,
					version: own.version,
					description: own.description,
					license: own.license,
					main: 'dist/index.js',
					files: [ 'dist/**/*.js' ],
					dependencies: own.dependencies,
				},
				null,
				2
			) + '\n'
		);
		bundled.push( name );
	}
	return bundled;
}

/**
 * Makes the service's npm package: compiled into a scratch folder (so no stale file of an earlier build
 * slips in), with server/package.json and docs/deploy.md as its README, packed by `npm pack`.
 *
 * @param {string} target  Path of the tgz.
 * @param {string} work    A scratch folder.
 * @param {string} version The project's version, which server/package.json must carry.
 */
async function makeServicePackage( target, work, version ) {
	const stage = path.join( work, 'service' );
	const manifest = JSON.parse(
		fs.readFileSync(
			path.join( repoRoot, 'server', 'package.json' ),
			'utf8'
		)
	);
	if ( manifest.version !== version ) {
		throw new Error(
			`server/package.json has version ${ manifest.version }, package.json ${ version }: they must agree.`
		);
	}
	const bundled = await stageWorkspacePackages( manifest, stage, work );
	await run(
		process.execPath,
		[
			TSC,
			'-p',
			path.join( 'server', 'tsconfig.json' ),
			'--outDir',
			path.join( stage, 'dist' ),
			'--sourceMap',
			'false',
		],
		{ capture: true }
	);
	fs.writeFileSync(
		path.join( stage, 'package.json' ),
		JSON.stringify(
			bundled.length
				? { ...manifest, bundleDependencies: bundled }
				: manifest,
			null,
			2
		) + '\n'
	);
	fs.copyFileSync(
		path.join( repoRoot, 'docs', 'deploy.md' ),
		path.join( stage, 'README.md' )
	);
	const { stdout } = await run(
		'npm',
		[ 'pack', stage, '--json', '--pack-destination', work ],
		{ capture: true, cwd: work }
	);
	const [ { filename } ] = JSON.parse( stdout );
	fs.rmSync( target, { force: true } );
	fs.renameSync( path.join( work, filename ), target );
}

/**
 * Builds when needed and writes both artifacts.
 *
 * @return {Promise<{ zip: string, tgz: string, version: string }>} Their paths.
 */
export async function makeDist() {
	await build( { ifNeeded: true } );
	const version = projectVersion();
	const paths = artifactPaths( version );
	fs.mkdirSync( DIST_DIR, { recursive: true } );
	const work = fs.mkdtempSync( path.join( os.tmpdir(), 'chatflows-dist-' ) );
	try {
		await makePluginZip( paths.zip, work );
		await makeServicePackage( paths.tgz, work, version );
	} finally {
		fs.rmSync( work, { recursive: true, force: true } );
	}
	return { ...paths, version };
}

if (
	process.argv[ 1 ] &&
	path.resolve( process.argv[ 1 ] ) === fileURLToPath( import.meta.url )
) {
	try {
		const { zip, tgz } = await makeDist();
		for ( const file of [ zip, tgz ] ) {
			log(
				`${ path.relative( repoRoot, file ) } (${ Math.round(
					fs.statSync( file ).size / 1024
				) } KB)`
			);
		}
	} catch ( error ) {
		log( `npm run dist failed: ${ error.message }` );
		process.exit( 1 );
	}
}
