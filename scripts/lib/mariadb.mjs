/**
 * A throwaway MariaDB server (Debian's `mariadb-server` binaries) for tests that need MySQL semantics: a new
 * data folder, started by hand on a free loopback port, never the system service.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
	freePort,
	hasCommand,
	isAlive,
	log,
	run,
	spawnDetached,
	stopProcessGroup,
} from './process.mjs';

/** The database the server is started with. */
export const MARIADB_DATABASE = 'wordpress';

/**
 * Creates a data folder in `dir` and starts MariaDB on it.
 *
 * @param {Object} options
 * @param {string} options.dir         Folder for the data, the socket and the log (emptied first).
 * @param {number} [options.port]      Loopback port (default: a free one).
 * @param {number} [options.timeoutMs]
 * @return {Promise<{ host: string, port: number, database: string, user: string, password: string, stop: () => Promise<void> }>} The running server.
 */
export async function startMariaDB( { dir, port, timeoutMs = 60000 } ) {
	for ( const command of [ 'mariadbd', 'mariadb-install-db', 'mariadb' ] ) {
		if ( ! hasCommand( command ) ) {
			throw new Error(
				`${ command } is missing: install the Debian package "mariadb-server" (npm test does).`
			);
		}
	}
	dir = path.resolve( dir );
	fs.rmSync( dir, { recursive: true, force: true } );
	const dataDir = path.join( dir, 'data' );
	fs.mkdirSync( dataDir, { recursive: true } );
	const socket = path.join( dir, 'mariadb.sock' );
	// mariadbd refuses to run as root unless told which user it runs as.
	const asUser = process.getuid?.() === 0 ? [ '--user=root' ] : [];
	await run(
		'mariadb-install-db',
		[
			'--no-defaults',
			`--datadir=${ dataDir }`,
			'--auth-root-authentication-method=normal',
			'--skip-test-db',
			...asUser,
		],
		{ capture: true }
	);
	port ??= await freePort();
	const logFile = path.join( dir, 'mariadb.log' );
	const child = spawnDetached(
		'mariadbd',
		[
			'--no-defaults',
			`--datadir=${ dataDir }`,
			`--socket=${ socket }`,
			`--pid-file=${ path.join( dir, 'mariadb.pid' ) }`,
			'--bind-address=127.0.0.1',
			`--port=${ port }`,
			'--skip-name-resolve',
			// Test data: no need to survive a power cut.
			'--innodb-flush-log-at-trx-commit=0',
			'--skip-log-bin',
			...asUser,
		],
		{ cwd: dir, logFile }
	);
	const stop = () => stopProcessGroup( child.pid );
	// root, without a password, over the socket; then a user for TCP that WordPress connects as.
	const client = ( sql ) =>
		run(
			'mariadb',
			[ '--no-defaults', `--socket=${ socket }`, '-uroot', '-e', sql ],
			{ capture: true, allowFailure: true }
		);
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const { code } = await client( 'SELECT 1' );
		if ( code === 0 ) {
			break;
		}
		if ( ! isAlive( child.pid ) || Date.now() > deadline ) {
			await stop();
			throw new Error( `MariaDB did not start; see ${ logFile }` );
		}
		await new Promise( ( resolve ) => setTimeout( resolve, 200 ) );
	}
	const user = 'chatflows';
	const password = 'chatflows';
	const setup = await client(
		[
			`CREATE DATABASE ${ MARIADB_DATABASE } CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
			`CREATE USER '${ user }'@'127.0.0.1' IDENTIFIED BY '${ password }'`,
			`GRANT ALL ON ${ MARIADB_DATABASE }.* TO '${ user }'@'127.0.0.1'`,
		].join( ';' )
	);
	if ( setup.code !== 0 ) {
		await stop();
		throw new Error( `Cannot set MariaDB up: ${ setup.stderr.trim() }` );
	}
	log( `MariaDB on 127.0.0.1:${ port } (${ dir })` );
	return {
		host: '127.0.0.1',
		port,
		database: MARIADB_DATABASE,
		user,
		password,
		stop,
	};
}
