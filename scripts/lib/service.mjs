/**
 * Runs the built Chatflows chat service (server/dist/index.js) as a child process.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
	assertPortFree,
	isAlive,
	repoRoot,
	spawnDetached,
	stopProcessGroup,
	waitForHttp,
} from './process.mjs';

/** Entry point of the built service. */
export const SERVICE_ENTRY = path.join(
	repoRoot,
	'server',
	'dist',
	'server',
	'src',
	'index.js'
);

/**
 * Starts the service and waits until `GET /healthz` answers 200.
 *
 * @param {Object}            options
 * @param {number}            options.port
 * @param {string}            options.dbFile         SQLite database file (its folder is created).
 * @param {string}            options.secret         Secret shared with WordPress.
 * @param {string[]}          options.allowedOrigins Origins browsers may connect from.
 * @param {string}            options.logFile        Where the service's output goes.
 * @param {string}            [options.logLevel]
 * @param {NodeJS.ProcessEnv} [options.env]          Extra environment variables.
 * @param {number}            [options.timeoutMs]
 * @return {Promise<{ url: string, pid: number, logFile: string, exited: Promise<object>, stop: (signal?: NodeJS.Signals) => Promise<void> }>} The running service; `exited` settles when it exits.
 */
export async function startService( {
	port,
	dbFile,
	secret,
	allowedOrigins,
	logFile,
	logLevel = 'info',
	env = {},
	timeoutMs = 20000,
} ) {
	if ( ! fs.existsSync( SERVICE_ENTRY ) ) {
		throw new Error(
			`${ path.relative( repoRoot, SERVICE_ENTRY ) } does not exist: run \`npm run build\` first.`
		);
	}
	await assertPortFree( port, 'the chat service' );
	fs.mkdirSync( path.dirname( path.resolve( dbFile ) ), { recursive: true } );
	const child = spawnDetached( process.execPath, [ SERVICE_ENTRY ], {
		cwd: repoRoot,
		env: {
			...process.env,
			...env,
			CHATFLOWS_PORT: String( port ),
			CHATFLOWS_HOST: '127.0.0.1',
			CHATFLOWS_SECRET: secret,
			CHATFLOWS_ALLOWED_ORIGINS: allowedOrigins.join( ',' ),
			CHATFLOWS_DB_FILE: path.resolve( dbFile ),
			CHATFLOWS_LOG_LEVEL: logLevel,
		},
		logFile,
	} );
	const pid = child.pid;
	let exited = null;
	child.exited.then( ( result ) => ( exited = result ) );
	const stop = ( signal = 'SIGTERM' ) =>
		stopProcessGroup( pid, { signal, timeoutMs: 10000 } );
	const url = `http://127.0.0.1:${ port }`;
	try {
		await waitForHttp( `${ url }/healthz`, {
			timeoutMs,
			accept: ( status ) => status === 200,
			failed: () => {
				if ( exited ) {
					const tail = fs
						.readFileSync( logFile, 'utf8' )
						.trimEnd()
						.split( '\n' )
						.slice( -10 )
						.join( '\n' );
					return `the service exited (${ exited.error?.message ?? exited.signal ?? `exit ${ exited.code }` }); last lines of ${ logFile }:\n${ tail }`;
				}
				return pid && isAlive( pid )
					? undefined
					: `the service is gone; see ${ logFile }`;
			},
		} );
	} catch ( error ) {
		await stop( 'SIGKILL' );
		throw error;
	}
	return { url, pid, logFile, exited: child.exited, stop };
}
