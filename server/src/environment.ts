/**
 * The service's environment: its settings, read from environment variables
 * and validated once at start. A bad value stops the process with a message
 * naming the variable. (What WordPress publishes is `chatflow-sync/`.)
 */
import { z } from 'zod';
import {
	FORWARDED_HEADERS,
	parseTrustedProxies,
	type ForwardedHeader,
} from './limits/client-address';
import type { LimitSettings } from './limits/rate-limits';

export const MIN_SECRET_LENGTH = 32;
export const MIN_METRICS_TOKEN_LENGTH = 16;

export interface ServiceConfig extends DatabaseConfig {
	port: number;
	host: string;
	secret: string;
	allowedOrigins: string[];
	logLevel: LogLevel;
	/** Redis URL for running on many nodes; null for one node. */
	redisUrl: string | null;
	/** The WordPress site to pull configuration from and notify; null: none. */
	wordpressUrl: string | null;
	/** Bearer token that lets `/metrics` be read on the service's port; null: not served there. */
	metricsToken: string | null;
	/** A separate address serving only `/metrics`; null: none. */
	metricsListen: { host: string; port: number } | null;
	limits: LimitSettings;
	/** The reverse proxies whose forwarded client addresses are believed. */
	trustProxy: { proxies: string; header: ForwardedHeader };
}

export const LOG_LEVELS = [
	'fatal',
	'error',
	'warn',
	'info',
	'debug',
	'trace',
	'silent',
] as const;

export type LogLevel = ( typeof LOG_LEVELS )[ number ];

/**
 * Turns one origin as written by a person (`http://localhost:8888/`) into the
 * exact form browsers send in the `Origin` header (`http://localhost:8888`).
 *
 * @param value An origin, possibly with a trailing slash or different letter case.
 * @return The serialized origin, or null when the value is not an http(s) origin.
 */
export function normalizeOrigin( value: string ): string | null {
	let url: URL;
	try {
		url = new URL( value.trim() );
	} catch {
		return null;
	}
	if ( url.protocol !== 'http:' && url.protocol !== 'https:' ) {
		return null;
	}
	if (
		( url.pathname !== '/' && url.pathname !== '' ) ||
		url.search !== '' ||
		url.hash !== '' ||
		url.username !== '' ||
		url.password !== ''
	) {
		return null;
	}
	return url.origin;
}

const originListSchema = z
	.string( { error: 'is required' } )
	.transform( ( value, ctx ) => {
		const parts = value
			.split( ',' )
			.map( ( part ) => part.trim() )
			.filter( ( part ) => part !== '' );
		if ( parts.length === 0 ) {
			ctx.addIssue( {
				code: 'custom',
				message: 'must list at least one origin',
			} );
			return z.NEVER;
		}
		const origins: string[] = [];
		for ( const part of parts ) {
			const origin = normalizeOrigin( part );
			if ( origin === null ) {
				ctx.addIssue( {
					code: 'custom',
					message: `"${ part }" is not an origin like http://localhost:8888 (scheme, host and optional port only)`,
				} );
				return z.NEVER;
			}
			if ( ! origins.includes( origin ) ) {
				origins.push( origin );
			}
		}
		return origins;
	} );

/**
 * A whole number of at least 1, with a default.
 *
 * @param fallback The default.
 */
function positiveCount( fallback: number ) {
	return z.coerce
		.number( { error: 'must be a number' } )
		.int( 'must be a whole number' )
		.min( 1, 'must be at least 1' )
		.default( fallback );
}

/**
 * PostgreSQL connections per node. With pg's default of 10, a node taking
 * over another's clients kept hundreds of queries waiting for a connection
 * (each reconnection asks a few small ones, and holds its connection while
 * the busy event loop gets round to the next); with 20 the session lookup
 * waited about 20 ms instead of 500 ms (median, 1,000 clients at once). Two
 * nodes stay well under PostgreSQL's default of 100 connections.
 */
export const DEFAULT_DATABASE_POOL_SIZE = 20;

const envSchema = z.object( {
	CHATFLOWS_PORT: z.coerce
		.number( { error: 'must be a port number' } )
		.int( 'must be a whole number' )
		.min( 0, 'must be between 0 and 65535' )
		.max( 65535, 'must be between 0 and 65535' )
		.default( 8889 ),
	CHATFLOWS_HOST: z
		.string()
		.trim()
		.min( 1, 'must not be empty' )
		.default( '127.0.0.1' ),
	CHATFLOWS_SECRET: z
		.string( { error: 'is required' } )
		.min(
			MIN_SECRET_LENGTH,
			`must be at least ${ MIN_SECRET_LENGTH } characters long`
		),
	CHATFLOWS_ALLOWED_ORIGINS: originListSchema,
	CHATFLOWS_DB_FILE: z
		.string()
		.trim()
		.min( 1, 'must not be empty' )
		.default( './.data/service/chatflows.sqlite' ),
	CHATFLOWS_DATABASE_URL: z
		.string()
		.trim()
		.regex(
			/^postgres(ql)?:\/\/\S+$/,
			'must be a postgres://user:password@host:port/database URL'
		)
		.optional(),
	CHATFLOWS_DATABASE_POOL_SIZE: z.coerce
		.number( { error: 'must be a number' } )
		.int( 'must be a whole number' )
		.min( 1, 'must be between 1 and 500' )
		.max( 500, 'must be between 1 and 500' )
		.default( DEFAULT_DATABASE_POOL_SIZE ),
	CHATFLOWS_REDIS_URL: z
		.string()
		.trim()
		.regex(
			/^rediss?:\/\/\S+$/,
			'must be a redis://[user:password@]host:port URL'
		)
		.optional(),
	CHATFLOWS_WORDPRESS_URL: z
		.string()
		.trim()
		.regex(
			/^https?:\/\/\S+$/,
			'must be the site URL, like http://localhost:8888'
		)
		.optional(),
	CHATFLOWS_METRICS_TOKEN: z
		.string()
		.trim()
		.min(
			MIN_METRICS_TOKEN_LENGTH,
			`must be at least ${ MIN_METRICS_TOKEN_LENGTH } characters long`
		)
		.regex( /^\S+$/, 'must not contain spaces' )
		.optional(),
	CHATFLOWS_METRICS_LISTEN: z
		.string()
		.trim()
		.transform( ( value, ctx ) => {
			const match = /^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):(\d{1,5})$/.exec(
				value
			);
			const port = match ? Number( match[ 2 ] ) : NaN;
			if ( ! match || port > 65535 ) {
				ctx.addIssue( {
					code: 'custom',
					message:
						'must be host:port, like 127.0.0.1:9464 or [::1]:9464',
				} );
				return z.NEVER;
			}
			return { host: match[ 1 ].replace( /^\[|\]$/g, '' ), port };
		} )
		.optional(),
	CHATFLOWS_RATE_VISITOR_PER_MINUTE: positiveCount( 120 ),
	CHATFLOWS_RATE_IP_PER_MINUTE: positiveCount( 1200 ),
	CHATFLOWS_CONVERSATIONS_PER_HOUR: positiveCount( 10 ),
	CHATFLOWS_NEW_SESSIONS_PER_IP_PER_HOUR: positiveCount( 60 ),
	CHATFLOWS_NEW_SESSIONS_PER_NETWORK_PER_HOUR: positiveCount( 600 ),
	CHATFLOWS_CONVERSATIONS_PER_IP_PER_HOUR: positiveCount( 30 ),
	CHATFLOWS_CONVERSATIONS_PER_NETWORK_PER_HOUR: positiveCount( 300 ),
	CHATFLOWS_TEAM_EMAILS_PER_WINDOW: positiveCount( 10 ),
	CHATFLOWS_TEAM_EMAIL_WINDOW_MINUTES: positiveCount( 15 ),
	CHATFLOWS_CONFIRMATIONS_PER_IP_PER_HOUR: positiveCount( 10 ),
	CHATFLOWS_TRUST_PROXY: z
		.string()
		.default( '' )
		.superRefine( ( value, ctx ) => {
			try {
				parseTrustedProxies( value );
			} catch ( error ) {
				ctx.addIssue( {
					code: 'custom',
					message: ( error as Error ).message,
				} );
			}
		} ),
	CHATFLOWS_TRUST_PROXY_HEADER: z
		.enum( FORWARDED_HEADERS, {
			error: `must be one of ${ FORWARDED_HEADERS.join( ', ' ) }`,
		} )
		.default( 'x-forwarded-for' ),
	CHATFLOWS_LOG_LEVEL: z
		.enum( LOG_LEVELS, {
			error: `must be one of ${ LOG_LEVELS.join( ', ' ) }`,
		} )
		.default( 'info' ),
} );

export class ConfigError extends Error {
	constructor( message: string ) {
		super( message );
		this.name = 'ConfigError';
	}
}

/** Where the service keeps its data: the SQLite file, or PostgreSQL when its URL is set. */
export interface DatabaseConfig {
	dbFile: string;
	/** PostgreSQL URL; null for the embedded SQLite file. */
	databaseUrl: string | null;
	/** PostgreSQL connections this node opens at most. */
	databasePoolSize: number;
}

/**
 * Validates the variables of `schema` found in an environment.
 *
 * Empty variables count as unset, so `CHATFLOWS_PORT=` falls back to the default.
 *
 * @param schema The variables to read.
 * @param env    The environment.
 * @return The validated values.
 * @throws ConfigError naming every variable that is missing or wrong.
 */
function parseEnv< Schema extends z.ZodObject >(
	schema: Schema,
	env: NodeJS.ProcessEnv
): z.output< Schema > {
	const input: Record< string, string > = {};
	for ( const key of Object.keys( schema.shape ) ) {
		const value = env[ key ];
		if ( value !== undefined && value !== '' ) {
			input[ key ] = value;
		}
	}
	const result = schema.safeParse( input );
	if ( ! result.success ) {
		const lines = result.error.issues.map(
			( issue ) => `${ String( issue.path[ 0 ] ) } ${ issue.message }.`
		);
		throw new ConfigError(
			`Invalid configuration:\n  ${ lines.join( '\n  ' ) }`
		);
	}
	return result.data;
}

/**
 * Reads only the database variables: what `migrate` and `backup` need.
 *
 * @param env The environment, usually `process.env`.
 * @return The database configuration.
 * @throws ConfigError naming every variable that is wrong.
 */
export function loadDatabaseConfig( env: NodeJS.ProcessEnv ): DatabaseConfig {
	const values = parseEnv(
		envSchema.pick( {
			CHATFLOWS_DB_FILE: true,
			CHATFLOWS_DATABASE_URL: true,
			CHATFLOWS_DATABASE_POOL_SIZE: true,
		} ),
		env
	);
	return {
		dbFile: values.CHATFLOWS_DB_FILE,
		databaseUrl: values.CHATFLOWS_DATABASE_URL ?? null,
		databasePoolSize: values.CHATFLOWS_DATABASE_POOL_SIZE,
	};
}

/**
 * Reads the configuration from an environment.
 *
 * @param env The environment, usually `process.env`.
 * @return The validated configuration.
 * @throws ConfigError naming every variable that is missing or wrong.
 */
export function loadConfig( env: NodeJS.ProcessEnv ): ServiceConfig {
	const values = parseEnv( envSchema, env );
	return {
		port: values.CHATFLOWS_PORT,
		host: values.CHATFLOWS_HOST,
		secret: values.CHATFLOWS_SECRET,
		allowedOrigins: values.CHATFLOWS_ALLOWED_ORIGINS,
		dbFile: values.CHATFLOWS_DB_FILE,
		logLevel: values.CHATFLOWS_LOG_LEVEL,
		databaseUrl: values.CHATFLOWS_DATABASE_URL ?? null,
		databasePoolSize: values.CHATFLOWS_DATABASE_POOL_SIZE,
		redisUrl: values.CHATFLOWS_REDIS_URL ?? null,
		wordpressUrl: values.CHATFLOWS_WORDPRESS_URL ?? null,
		metricsToken: values.CHATFLOWS_METRICS_TOKEN ?? null,
		metricsListen: values.CHATFLOWS_METRICS_LISTEN ?? null,
		limits: {
			visitorEventsPerMinute: values.CHATFLOWS_RATE_VISITOR_PER_MINUTE,
			ipEventsPerMinute: values.CHATFLOWS_RATE_IP_PER_MINUTE,
			conversationsPerHour: values.CHATFLOWS_CONVERSATIONS_PER_HOUR,
			sessionsPerIpPerHour: values.CHATFLOWS_NEW_SESSIONS_PER_IP_PER_HOUR,
			sessionsPerNetworkPerHour:
				values.CHATFLOWS_NEW_SESSIONS_PER_NETWORK_PER_HOUR,
			conversationsPerIpPerHour:
				values.CHATFLOWS_CONVERSATIONS_PER_IP_PER_HOUR,
			conversationsPerNetworkPerHour:
				values.CHATFLOWS_CONVERSATIONS_PER_NETWORK_PER_HOUR,
			teamEmailsPerWindow: values.CHATFLOWS_TEAM_EMAILS_PER_WINDOW,
			teamEmailWindowMinutes: values.CHATFLOWS_TEAM_EMAIL_WINDOW_MINUTES,
			confirmationsPerIpPerHour:
				values.CHATFLOWS_CONFIRMATIONS_PER_IP_PER_HOUR,
		},
		trustProxy: {
			proxies: values.CHATFLOWS_TRUST_PROXY,
			header: values.CHATFLOWS_TRUST_PROXY_HEADER,
		},
	};
}
