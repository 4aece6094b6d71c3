/**
 * Process entry of the Chatflows chat service: `node server/dist/index.js`.
 *
 * Configured by environment variables (see config.ts). On SIGTERM or SIGINT it
 * drains: refuses new connections, finishes and acknowledges started writes,
 * closes the database and exits with status 0.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApplication, createHttpApp, type ChatApplication } from './app';
import { ConfigError, loadConfig, type ServiceConfig } from './config';
import { openSqliteRepository } from './repository/sqlite';

/** How long a drain may take before remaining connections are cut. */
const DRAIN_TIMEOUT_MS = 10_000;

function readConfig(): ServiceConfig {
	try {
		return loadConfig( process.env );
	} catch ( error ) {
		if ( error instanceof ConfigError ) {
			process.stderr.write( `chatflows service: ${ error.message }\n` );
			process.exit( 1 );
		}
		throw error;
	}
}

function main(): void {
	const config = readConfig();
	const logger = pino( {
		level: config.logLevel,
		base: { service: 'chatflows', pid: process.pid },
	} );

	let repository;
	try {
		repository = openSqliteRepository( config.dbFile );
	} catch ( error ) {
		logger.fatal(
			{ err: error, dbFile: config.dbFile },
			'cannot open the database (CHATFLOWS_DB_FILE)'
		);
		process.exit( 1 );
	}

	let application: ChatApplication | null = null;
	const httpServer = http.createServer(
		createHttpApp( {
			isDraining: () => application?.isDraining() ?? true,
		} )
	);
	application = createApplication( httpServer, {
		repository,
		secret: config.secret,
		allowedOrigins: config.allowedOrigins,
		logger,
	} );

	httpServer.on( 'error', ( error ) => {
		logger.fatal(
			{ err: error, host: config.host, port: config.port },
			'cannot listen (CHATFLOWS_HOST, CHATFLOWS_PORT)'
		);
		process.exit( 1 );
	} );
	httpServer.listen( config.port, config.host, () => {
		const address = httpServer.address() as AddressInfo;
		logger.info(
			{
				host: address.address,
				port: address.port,
				origins: config.allowedOrigins,
			},
			'listening'
		);
	} );

	let stopping = false;
	const shutdown = ( signal: NodeJS.Signals ): void => {
		if ( stopping ) {
			logger.warn( { signal }, 'second signal, exiting now' );
			process.exit( 1 );
		}
		stopping = true;
		logger.info( { signal }, 'draining' );
		const force = setTimeout( () => {
			logger.warn( 'drain timed out, closing remaining connections' );
			httpServer.closeAllConnections();
		}, DRAIN_TIMEOUT_MS );
		force.unref();
		( application as ChatApplication )
			.close()
			.then( () => repository.close() )
			.then(
				() => {
					clearTimeout( force );
					logger.info( 'stopped' );
					process.exit( 0 );
				},
				( error: unknown ) => {
					logger.fatal( { err: error }, 'shutdown failed' );
					process.exit( 1 );
				}
			);
	};
	process.on( 'SIGTERM', shutdown );
	process.on( 'SIGINT', shutdown );

	process.on( 'uncaughtException', ( error ) => {
		logger.fatal( { err: error }, 'uncaught exception' );
		process.exit( 1 );
	} );
	process.on( 'unhandledRejection', ( reason ) => {
		logger.error( { err: reason }, 'unhandled rejection' );
	} );
}

main();
