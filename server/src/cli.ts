#!/usr/bin/env node
/**
 * The `chatflows-service` command of the service's npm package:
 * `start`, `migrate`, `check`, `backup FILE`, `version`. Configured by the
 * same environment variables as the service (see config.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { backupSqlite } from './cli/backup';
import { runChecks, type Finding } from './cli/check';
import { CliError } from './cli/cli-error';
import { loadDatabaseConfig } from './config';
import { runServiceOrExit } from './index';
import { migratePostgresDatabase } from './repository/postgres';
import { migrateSqliteFile } from './repository/sqlite';

const USAGE = `Usage: chatflows-service <command>

Commands:
  start         run the chat service (brings the database schema up to date first)
  migrate       bring the database schema up to date, then exit
  check         check the environment, the database, Redis and WordPress (a signed
                round trip with the shared secret); exit status 1 on any problem
  backup FILE   copy the SQLite database to FILE, also while the service runs
                (PostgreSQL: use pg_dump)
  version       print the version

The environment variables (CHATFLOWS_SECRET, CHATFLOWS_ALLOWED_ORIGINS,
CHATFLOWS_DB_FILE, CHATFLOWS_DATABASE_URL, ...) are described in the package's
README.md.
`;

/** The package's version, from the package.json beside the compiled code. */
function version(): string {
	try {
		const manifest = JSON.parse(
			fs.readFileSync(
				path.join( __dirname, '..', '..', '..', 'package.json' ),
				'utf8'
			)
		) as { version?: string };
		return manifest.version ?? 'unknown';
	} catch {
		return 'unknown';
	}
}

async function migrate(): Promise< void > {
	const database = loadDatabaseConfig( process.env );
	const { from, to } = database.databaseUrl
		? await migratePostgresDatabase( database.databaseUrl )
		: migrateSqliteFile( database.dbFile );
	const where = database.databaseUrl
		? 'The PostgreSQL database'
		: `The SQLite file ${ path.resolve( database.dbFile ) }`;
	process.stdout.write(
		from === to
			? `${ where } is up to date (schema version ${ to }).\n`
			: `${ where } was migrated from schema version ${ from } to ${ to }.\n`
	);
}

async function backup( target: string | undefined ): Promise< void > {
	if ( ! target ) {
		throw new CliError(
			'Say where the backup goes: chatflows-service backup FILE'
		);
	}
	const database = loadDatabaseConfig( process.env );
	if ( database.databaseUrl ) {
		throw new CliError(
			'The service uses PostgreSQL (CHATFLOWS_DATABASE_URL): back it up with pg_dump.'
		);
	}
	const result = await backupSqlite( database.dbFile, target );
	process.stdout.write(
		`Backed up ${ result.conversations } conversations and ${ result.messages } messages (schema version ${ result.schemaVersion }) to ${ result.file }.\n`
	);
}

const LABELS: Record< Finding[ 'level' ], string > = {
	ok: 'ok     ',
	note: 'note   ',
	problem: 'PROBLEM',
};

async function check(): Promise< void > {
	const findings = await runChecks( process.env );
	for ( const finding of findings ) {
		process.stdout.write(
			`${ LABELS[ finding.level ] } ${ finding.text }\n`
		);
	}
	const problems = findings.filter(
		( finding ) => finding.level === 'problem'
	).length;
	process.stdout.write(
		problems === 0
			? 'No problems found.\n'
			: `${ problems } problem${ problems === 1 ? '' : 's' } found.\n`
	);
	process.exitCode = problems === 0 ? 0 : 1;
}

async function main( args: string[] ): Promise< void > {
	const [ command, ...rest ] = args;
	switch ( command ) {
		case 'start':
			runServiceOrExit();
			return;
		case 'migrate':
			return migrate();
		case 'check':
			return check();
		case 'backup':
			return backup( rest[ 0 ] );
		case 'version':
		case '--version':
		case '-v':
			process.stdout.write( `${ version() }\n` );
			return;
		case 'help':
		case '--help':
		case '-h':
			process.stdout.write( USAGE );
			return;
		default:
			process.stderr.write(
				command
					? `chatflows-service: unknown command "${ command }".\n\n${ USAGE }`
					: USAGE
			);
			process.exitCode = 2;
	}
}

// CliError and ConfigError say what is wrong in plain words; anything else
// (a database that refuses, a full disk) is shown as its own message.
main( process.argv.slice( 2 ) ).catch( ( error: unknown ) => {
	process.stderr.write(
		`chatflows-service: ${
			error instanceof Error ? error.message : String( error )
		}\n`
	);
	process.exit( 1 );
} );
