/**
 * Runs `npm run build`, or skips it when nothing it reads changed since the last successful build.
 */
import fs from 'node:fs';
import path from 'node:path';
import { log, repoRoot, run } from './process.mjs';

const STAMP = path.join( repoRoot, '.data', 'build-stamp.json' );

/** Folders never read by the build (or written by it). */
const SKIP_DIRS = new Set( [
	'node_modules',
	'.git',
	'.data',
	'build',
	'dist',
	'test',
	'test-results',
	'playwright-report',
	'languages',
	'scripts',
	'vendor',
] );
const INPUT_FILE = /\.(?:[cm]?[jt]sx?|json|s?css|svg)$/;

/** Files the build needs to exist afterwards. */
const OUTPUTS = [
	path.join( repoRoot, 'server', 'dist', 'server', 'src', 'index.js' ),
	path.join( repoRoot, 'build' ),
];

/**
 * Newest modification time of the build's inputs.
 *
 * @param {string} dir
 * @return {number} Milliseconds since the epoch.
 */
function newestInput( dir = repoRoot ) {
	let newest = 0;
	for ( const entry of fs.readdirSync( dir, { withFileTypes: true } ) ) {
		const full = path.join( dir, entry.name );
		if ( entry.isDirectory() ) {
			if (
				! SKIP_DIRS.has( entry.name ) &&
				! entry.name.startsWith( '.' )
			) {
				newest = Math.max( newest, newestInput( full ) );
			}
		} else if ( entry.isFile() && INPUT_FILE.test( entry.name ) ) {
			newest = Math.max( newest, fs.statSync( full ).mtimeMs );
		}
	}
	return newest;
}

/**
 * Whether the last successful build is newer than every input.
 *
 * @return {boolean} Up to date.
 */
export function buildIsUpToDate() {
	try {
		const { startedAt } = JSON.parse( fs.readFileSync( STAMP, 'utf8' ) );
		return (
			OUTPUTS.every( ( file ) => fs.existsSync( file ) ) &&
			newestInput() < startedAt
		);
	} catch {
		return false;
	}
}

/**
 * Runs `npm run build`, its output streamed.
 *
 * @param {Object}  [options]
 * @param {boolean} [options.ifNeeded] Skip when {@link buildIsUpToDate}.
 * @return {Promise<boolean>} Whether the build ran.
 */
export async function build( { ifNeeded = false } = {} ) {
	if ( ifNeeded && buildIsUpToDate() ) {
		log( 'Build is up to date.' );
		return false;
	}
	const startedAt = Date.now();
	log( 'npm run build' );
	fs.rmSync( STAMP, { force: true } );
	await run( 'npm', [ 'run', 'build' ] );
	fs.mkdirSync( path.dirname( STAMP ), { recursive: true } );
	fs.writeFileSync( STAMP, JSON.stringify( { startedAt } ) + '\n' );
	return true;
}
