/**
 * Process entry of the Chatflows chat service: `node server/dist/server/src/index.js`,
 * or `chatflows-service start` (cli.ts).
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
import { ClientAddresses } from './limits/client-address';
import { RedisNonceStore } from './configuration/nonce-store';
import { ChatLimits } from './limits/rate-limits';
import { createMetricsApp } from './metrics-http';
import { EmailBudget } from './limits/email-budget';
import { openPostgresRepository } from './repository/postgres';
import { openSqliteRepository } from './repository/sqlite';
import type { ChatRepository } from './repository/types';
import {
	connectRedis,
	redisServerOptions,
	type RedisConnection,
} from './scale/redis';

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

/**
 * Opens the database the configuration names: PostgreSQL when
 * CHATFLOWS_DATABASE_URL is set, else the SQLite file.
 *
 * @param config The configuration.
 * @param logger Where a failure is reported before exiting.
 */
async function openRepository(
	config: ServiceConfig,
	logger: pino.Logger
): Promise< ChatRepository > {
	try {
		if ( config.databaseUrl ) {
			return await openPostgresRepository( config.databaseUrl );
		}
		return openSqliteRepository( config.dbFile, {
			// Without its writer nothing can be stored: stop loudly, so the
			// process manager restarts the service and clients reconnect.
			onWriterFailure: ( error ) => {
				logger.fatal(
					{ err: error, dbFile: config.dbFile },
					'the database writer stopped; exiting'
				);
				process.exit( 1 );
			},
		} );
	} catch ( error ) {
		logger.fatal(
			{
				err: error,
				dbFile: config.databaseUrl ? undefined : config.dbFile,
			},
			config.databaseUrl
				? 'cannot open the database (CHATFLOWS_DATABASE_URL)'
				: 'cannot open the database (CHATFLOWS_DB_FILE)'
		);
		process.exit( 1 );
	}
}

/**
 * Runs the service until a signal stops it; any failure to start exits the
 * process with status 1 and a message naming what is wrong.
 */
export async function runService(): Promise< void > {
	const config = readConfig();
	const logger = pino( {
		level: config.logLevel,
		base: { service: 'chatflows', pid: process.pid },
	} );

	const repository = await openRepository( config, logger );

	let redis: RedisConnection | null = null;
	if ( config.redisUrl ) {
		try {
			redis = await connectRedis( config.redisUrl, logger );
		} catch ( error ) {
			logger.fatal(
				{ err: error },
				'cannot connect to Redis (CHATFLOWS_REDIS_URL)'
			);
			process.exit( 1 );
		}
	}

	let application: ChatApplication | null = null;
	const clientAddresses = new ClientAddresses( config.trustProxy );
	const metrics = () => application?.metrics;
	const httpServer = http.createServer(
		createHttpApp( {
			clientAddresses,
			isDraining: () => application?.isDraining() ?? true,
			metrics,
			metricsToken: config.metricsToken,
			routes: () => application?.routes,
			logger,
		} )
	);
	application = createApplication(
		httpServer,
		{
			repository,
			secret: config.secret,
			allowedOrigins: config.allowedOrigins,
			logger,
			limits: redis
				? ChatLimits.inRedis( config.limits, redis )
				: ChatLimits.inMemory( config.limits ),
			clientAddresses,
			emailBudget: redis
				? EmailBudget.inRedis(
						redis,
						config.limits.confirmationsPerIpPerHour
					)
				: EmailBudget.inMemory(
						config.limits.confirmationsPerIpPerHour
					),
			wordpressUrl: config.wordpressUrl,
			// Every node must refuse a signed call another node accepted.
			nonces: redis ? new RedisNonceStore( redis ) : undefined,
			countOpenConversations: async () =>
				( await repository.listOpenConversations() ).length,
		},
		redis ? redisServerOptions( redis ) : {}
	);

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

	const metricsServer = config.metricsListen
		? http.createServer(
				createMetricsApp(
					{ metrics, token: config.metricsToken },
					logger
				)
			)
		: null;
	if ( metricsServer && config.metricsListen ) {
		const { host, port } = config.metricsListen;
		metricsServer.on( 'error', ( error ) => {
			logger.fatal(
				{ err: error, host, port },
				'cannot listen (CHATFLOWS_METRICS_LISTEN)'
			);
			process.exit( 1 );
		} );
		metricsServer.listen( port, host, () => {
			const address = metricsServer.address() as AddressInfo;
			logger.info(
				{ host: address.address, port: address.port },
				'metrics listening'
			);
		} );
		metricsServer.unref();
	}

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
			.then( () => redis?.quit() )
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

/** Runs the service; an unexpected failure exits with status 1. */
export function runServiceOrExit(): void {
	runService().catch( ( error: unknown ) => {
		process.stderr.write( `chatflows service: ${ String( error ) }\n` );
		process.exit( 1 );
	} );
}

if ( require.main === module ) {
	runServiceOrExit();
}
