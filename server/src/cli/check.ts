/**
 * `chatflows-service check`: validates the environment, reaches the database
 * (and Redis), and makes a signed round trip to WordPress, so an operator
 * learns in plain words what is wrong before starting the service.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { createClient } from 'redis';
import {
	ConfigError,
	loadConfig,
	loadDatabaseConfig,
	normalizeOrigin,
	type DatabaseConfig,
	type ServiceConfig,
} from '../environment';
import {
	CONFIGURATION_PATH,
	WordPressAnswerError,
	WordPressClient,
} from '../chatflow-sync/wordpress';
import { MAX_CLOCK_SKEW_SECONDS } from '../chatflow-sync/signature';
import { POSTGRES_SCHEMA_VERSION } from '../repository/postgres';
import { SCHEMA_VERSION } from '../repository/sqlite';

export type Finding =
	| { level: 'ok'; text: string }
	| { level: 'note'; text: string }
	| { level: 'problem'; text: string };

const ok = ( text: string ): Finding => ( { level: 'ok', text } );
const note = ( text: string ): Finding => ( { level: 'note', text } );
const problem = ( text: string ): Finding => ( { level: 'problem', text } );

/**
 * A URL without its password, to print.
 *
 * @param url A URL that may carry credentials.
 */
function withoutPassword( url: string ): string {
	try {
		const parsed = new URL( url );
		if ( parsed.password ) {
			parsed.password = '***';
		}
		return parsed.toString();
	} catch {
		return url;
	}
}

/**
 * Why a network call failed, in a few words (`connection refused`, …).
 *
 * @param error What fetch, pg or redis threw.
 */
function networkReason( error: unknown ): string {
	const cause =
		error instanceof Error && error.cause instanceof Error
			? error.cause
			: error;
	const code = ( cause as { code?: unknown } )?.code;
	switch ( code ) {
		case 'ECONNREFUSED':
			return 'connection refused (nothing listens there)';
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
			return 'the host name does not resolve';
		case 'ETIMEDOUT':
		case 'ABORT_ERR':
		case 23: // DOMException TIMEOUT_ERR
			return 'no answer in time';
		case 'CERT_HAS_EXPIRED':
		case 'DEPTH_ZERO_SELF_SIGNED_CERT':
		case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
		case 'SELF_SIGNED_CERT_IN_CHAIN':
			return `its TLS certificate is not trusted (${ code }); give Node the authority with NODE_EXTRA_CA_CERTS`;
	}
	if ( error instanceof Error && error.name === 'TimeoutError' ) {
		return 'no answer in time';
	}
	return cause instanceof Error ? cause.message : String( cause );
}

/**
 * The nearest folder of `file` that exists (the file's own folder when it does).
 *
 * @param file A path.
 */
function nearestExistingFolder( file: string ): string {
	let folder = path.dirname( file );
	while ( ! fs.existsSync( folder ) && path.dirname( folder ) !== folder ) {
		folder = path.dirname( folder );
	}
	return folder;
}

/**
 * Whether the process may write in `folder`.
 *
 * @param folder A folder.
 */
function writable( folder: string ): boolean {
	try {
		fs.accessSync( folder, fs.constants.W_OK );
		return true;
	} catch {
		return false;
	}
}

/**
 * What a schema version found means.
 *
 * @param found   The database's version.
 * @param current This service's version.
 */
function schemaFinding( found: number, current: number ): Finding {
	if ( found > current ) {
		return problem(
			`The database's schema (version ${ found }) is newer than this service (version ${ current }): a newer chatflows-service wrote it; install that version.`
		);
	}
	if ( found < current ) {
		return note(
			`The database's schema is at version ${ found }; \`chatflows-service migrate\` (or \`start\`) brings it to version ${ current }.`
		);
	}
	return ok( `The database's schema is current (version ${ current }).` );
}

/**
 * The SQLite file: readable, writable where it must be, of a known schema.
 *
 * @param dbFile CHATFLOWS_DB_FILE.
 */
function checkSqlite( dbFile: string ): Finding[] {
	const file = path.resolve( dbFile );
	if ( ! fs.existsSync( file ) ) {
		const folder = nearestExistingFolder( file );
		return writable( folder )
			? [
					note(
						`The SQLite file ${ file } (CHATFLOWS_DB_FILE) does not exist yet; \`chatflows-service migrate\` or \`start\` creates it.`
					),
				]
			: [
					problem(
						`The SQLite file ${ file } (CHATFLOWS_DB_FILE) does not exist, and this user cannot create it: ${ folder } is not writable.`
					),
				];
	}
	const findings: Finding[] = [];
	// WAL keeps two files beside the database: the folder must be writable too.
	for ( const target of [ file, path.dirname( file ) ] ) {
		if ( ! writable( target ) ) {
			findings.push(
				problem(
					`${ target } is not writable by this user: the service must write the database and the journal files beside it.`
				)
			);
		}
	}
	let db: Database.Database | null = null;
	try {
		db = new Database( file, { readonly: true, fileMustExist: true } );
		db.prepare( 'SELECT COUNT(*) FROM sqlite_master' ).get();
		const version = db.pragma( 'user_version', { simple: true } ) as number;
		findings.push(
			ok( `The SQLite file ${ file } opens.` ),
			schemaFinding( version, SCHEMA_VERSION )
		);
	} catch ( error ) {
		findings.push(
			problem(
				`The SQLite file ${ file } (CHATFLOWS_DB_FILE) cannot be read: ${
					error instanceof Error ? error.message : String( error )
				}.`
			)
		);
	} finally {
		db?.close();
	}
	return findings;
}

/**
 * PostgreSQL: reachable, the credentials accepted, of a known schema.
 *
 * @param url CHATFLOWS_DATABASE_URL.
 */
async function checkPostgres( url: string ): Promise< Finding[] > {
	const client = new Client( {
		connectionString: url,
		connectionTimeoutMillis: 10_000,
	} );
	client.on( 'error', () => undefined );
	try {
		await client.connect();
	} catch ( error ) {
		return [
			problem(
				`Cannot connect to PostgreSQL at ${ withoutPassword(
					url
				) } (CHATFLOWS_DATABASE_URL): ${ networkReason( error ) }.`
			),
		];
	}
	try {
		let version = 0;
		try {
			const { rows } = await client.query< { version: number } >(
				'SELECT version FROM chatflows_schema'
			);
			version = rows.length ? rows[ 0 ].version : 0;
		} catch ( error ) {
			// 42P01: no such table, an empty database the service will set up.
			if ( ( error as { code?: string } ).code !== '42P01' ) {
				throw error;
			}
		}
		return [
			ok( `PostgreSQL at ${ withoutPassword( url ) } answers.` ),
			schemaFinding( version, POSTGRES_SCHEMA_VERSION ),
		];
	} catch ( error ) {
		return [
			problem(
				`PostgreSQL at ${ withoutPassword( url ) } refused a query: ${
					error instanceof Error ? error.message : String( error )
				}.`
			),
		];
	} finally {
		await client.end().catch( () => undefined );
	}
}

/**
 * Redis: reachable and answering.
 *
 * @param url CHATFLOWS_REDIS_URL.
 */
async function checkRedis( url: string ): Promise< Finding[] > {
	const client = createClient( {
		url,
		socket: { connectTimeout: 5000, reconnectStrategy: false },
	} );
	client.on( 'error', () => undefined );
	try {
		await client.connect();
		await client.ping();
		return [ ok( `Redis at ${ withoutPassword( url ) } answers.` ) ];
	} catch ( error ) {
		return [
			problem(
				`Cannot use Redis at ${ withoutPassword(
					url
				) } (CHATFLOWS_REDIS_URL): ${ networkReason( error ) }.`
			),
		];
	} finally {
		if ( client.isOpen ) {
			await client.quit().catch( () => undefined );
		}
	}
}

/**
 * What a refusal by WordPress means for the operator.
 *
 * @param site  The site's URL.
 * @param error What WordPress answered.
 */
function wordpressRefusal( site: string, error: WordPressAnswerError ): string {
	switch ( error.code ) {
		case 'chatflows_signature_invalid':
			return `WordPress at ${ site } refused the service's signature: CHATFLOWS_SECRET is not the secret WordPress has (CHATFLOWS_SERVICE_SECRET in wp-config.php). Put the same value in both places.`;
		case 'chatflows_signature_expired':
			return `WordPress at ${ site } refused the service's signature as expired: the clocks of this machine and WordPress's differ by more than ${ MAX_CLOCK_SKEW_SECONDS } seconds. Keep both in time (NTP).`;
		case 'chatflows_no_secret':
			return `WordPress at ${ site } has no shared secret: define CHATFLOWS_SERVICE_SECRET in wp-config.php with the value of CHATFLOWS_SECRET.`;
		case 'chatflows_signature_missing':
			return `WordPress at ${ site } did not receive the signature: something between this machine and WordPress drops the X-Chatflows-Timestamp and X-Chatflows-Signature headers.`;
		case 'rest_no_route':
			return `WordPress at ${ site } has no Chatflows routes: activate the Chatflows plugin, and check that CHATFLOWS_WORDPRESS_URL is the site's address.`;
	}
	if ( error.status === 404 ) {
		return `${ site }${ CONFIGURATION_PATH } was not found (HTTP 404): CHATFLOWS_WORDPRESS_URL must be the WordPress site's address, with the Chatflows plugin active and the REST API reachable.`;
	}
	return `WordPress at ${ site } answered HTTP ${ error.status }${
		error.code ? ` (${ error.code })` : ''
	} to the signed request for the configuration.`;
}

/**
 * WordPress: reachable, the plugin active, and the shared secret the same on
 * both sides (a signed request it verifies and answers).
 *
 * @param config The validated configuration.
 */
async function checkWordPress( config: ServiceConfig ): Promise< Finding[] > {
	if ( ! config.wordpressUrl ) {
		return [
			note(
				'CHATFLOWS_WORDPRESS_URL is not set, so the shared secret was not verified: the service will only get its configuration when WordPress sends it, and e-mail notifications wait in the database.'
			),
		];
	}
	const site = config.wordpressUrl.replace( /\/+$/, '' );
	const findings: Finding[] = [];
	const origin = normalizeOrigin( new URL( site ).origin );
	if ( origin && ! config.allowedOrigins.includes( origin ) ) {
		findings.push(
			note(
				`${ origin } is not in CHATFLOWS_ALLOWED_ORIGINS: browsers on pages of that origin cannot connect (fine when the service reaches WordPress by another address than visitors do).`
			)
		);
	}
	const client = new WordPressClient( site, config.secret, () => new Date() );
	try {
		const configuration = await client.fetchConfiguration();
		findings.push(
			ok(
				`WordPress at ${ site } verified the service's signature and sent its configuration (${ configuration.chatflows.length } published chatflows): the shared secret matches.`
			)
		);
	} catch ( error ) {
		if ( error instanceof WordPressAnswerError ) {
			findings.push( problem( wordpressRefusal( site, error ) ) );
		} else if (
			error instanceof Error &&
			error.message.startsWith(
				'WordPress sent an invalid configuration'
			)
		) {
			findings.push(
				problem(
					`${ error.message }: the Chatflows plugin and this service are of different versions.`
				)
			);
		} else {
			findings.push(
				problem(
					`Cannot reach WordPress at ${ site } (CHATFLOWS_WORDPRESS_URL): ${ networkReason(
						error
					) }.`
				)
			);
		}
	}
	return findings;
}

/**
 * Runs every check.
 *
 * @param env The environment, usually `process.env`.
 * @return What was found, in order.
 */
export async function runChecks(
	env: NodeJS.ProcessEnv
): Promise< Finding[] > {
	const findings: Finding[] = [];
	let config: ServiceConfig | null = null;
	let database: DatabaseConfig | null = null;
	try {
		config = loadConfig( env );
		database = config;
		findings.push( ok( 'The environment variables are valid.' ) );
	} catch ( error ) {
		if ( ! ( error instanceof ConfigError ) ) {
			throw error;
		}
		for ( const line of error.message.split( '\n' ).slice( 1 ) ) {
			findings.push( problem( line.trim() ) );
		}
		try {
			database = loadDatabaseConfig( env );
		} catch {
			// Already reported above.
		}
	}
	if ( database ) {
		findings.push(
			...( database.databaseUrl
				? await checkPostgres( database.databaseUrl )
				: checkSqlite( database.dbFile ) )
		);
	}
	if ( config?.redisUrl ) {
		findings.push( ...( await checkRedis( config.redisUrl ) ) );
	}
	if ( config ) {
		findings.push( ...( await checkWordPress( config ) ) );
	} else {
		findings.push(
			note(
				'WordPress was not checked: the service needs a valid configuration first.'
			)
		);
	}
	return findings;
}
