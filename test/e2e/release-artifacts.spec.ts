/**
 * The release artifacts, as a site owner uses them: `npm run dist` makes the
 * plugin zip and the service package; the zip holds what WordPress needs and
 * nothing else, and a WordPress site runs the plugin from it; the package
 * installs with npm (compiling better-sqlite3 on this machine) and its
 * `chatflows-service` command checks, migrates, starts, backs up and restores
 * against that site. Every shell command of docs/deploy.md is run here, as
 * written there, with its system folders moved into a temporary one.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Client } from 'pg';
import { expect, test } from '@playwright/test';
import {
	connectVisitor,
	sendMessage,
	type TestService,
} from '../../server/test/helpers';
import { startPostgres } from '../../server/test/postgres-server';
import { freePort } from '../../server/test/process-helpers';

type WordPressModule = typeof import( '../../scripts/lib/wordpress.mjs' );
type ProcessModule = typeof import( '../../scripts/lib/process.mjs' );

const ROOT = path.resolve( __dirname, '..', '..' );
const VERSION: string = JSON.parse(
	fs.readFileSync( path.join( ROOT, 'package.json' ), 'utf8' )
).version;
const ZIP = path.join( ROOT, 'dist', `chatflows-${ VERSION }.zip` );
const TGZ = path.join( ROOT, 'dist', `chatflows-service-${ VERSION }.tgz` );

/** The system folders docs/deploy.md names, moved into the test's folder. */
const SYSTEM_FOLDERS = [
	'/etc/chatflows',
	'/var/lib/chatflows',
	'/var/backups/chatflows',
];

interface Run {
	code: number;
	stdout: string;
	stderr: string;
}

/**
 * Runs a program to its end.
 *
 * @param command     Program.
 * @param args        Arguments.
 * @param options     Folder and environment.
 * @param options.cwd
 * @param options.env
 */
function runToEnd(
	command: string,
	args: string[],
	options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}
): Promise< Run > {
	return new Promise( ( resolve ) => {
		execFile(
			command,
			args,
			{ maxBuffer: 64 * 1024 * 1024, ...options },
			( error, stdout, stderr ) =>
				resolve( {
					code: error ? Number( error.code ?? 1 ) : 0,
					stdout,
					stderr,
				} )
		);
	} );
}

/**
 * The fenced blocks of docs/deploy.md marked `<!-- test: name -->` (shell
 * commands) or `<!-- file: name -->` (files), by name.
 *
 * @param sandbox The folder the system folders move into.
 */
function deployDoc( sandbox: string ): {
	commands: Map< string, string >;
	files: Map< string, string >;
	unmarkedShellBlocks: number;
} {
	let text = fs.readFileSync(
		path.join( ROOT, 'docs', 'deploy.md' ),
		'utf8'
	);
	for ( const folder of SYSTEM_FOLDERS ) {
		text = text.replaceAll( folder, path.join( sandbox, folder ) );
	}
	const commands = new Map< string, string >();
	const files = new Map< string, string >();
	for ( const match of text.matchAll(
		/<!-- (test|file): ([\w.-]+) -->\n```\w*\n([\s\S]*?)```/g
	) ) {
		( match[ 1 ] === 'test' ? commands : files ).set(
			match[ 2 ],
			match[ 3 ]
		);
	}
	const shellBlocks = [ ...text.matchAll( /```sh\n/g ) ].length;
	return {
		commands,
		files,
		unmarkedShellBlocks: shellBlocks - commands.size,
	};
}

test( 'npm run dist: the plugin zip runs in WordPress, the service package installs and its commands work as docs/deploy.md says', async () => {
	// npm compiles better-sqlite3 from source: 2-3 minutes, and 7 on a busy machine.
	test.setTimeout( 40 * 60_000 );
	const sandbox = fs.mkdtempSync(
		path.join( os.tmpdir(), 'chatflows-release-' )
	);
	const { provisionWordPress, startWordPress }: WordPressModule =
		await import( '../../scripts/lib/wordpress.mjs' );
	const { stopProcessGroup, waitForHttp }: ProcessModule =
		await import( '../../scripts/lib/process.mjs' );
	const doc = deployDoc( sandbox );
	const ran = new Set< string >();
	const globalPrefix = path.join( sandbox, 'npm-global' );
	const shellEnv = {
		...process.env,
		// `npm install -g` installs here, and the command is found here.
		npm_config_prefix: globalPrefix,
		PATH: `${ path.join( globalPrefix, 'bin' ) }:${ process.env.PATH }`,
	};
	/**
	 * Runs the docs' block `name` with bash, in the sandbox.
	 *
	 * @param name The block's name.
	 * @param env  Extra environment variables.
	 */
	const runDoc = ( name: string, env: NodeJS.ProcessEnv = {} ) => {
		const script = doc.commands.get( name );
		expect( script, `docs/deploy.md has a block "${ name }"` ).toBeTruthy();
		ran.add( name );
		return runToEnd(
			'bash',
			[ '-euo', 'pipefail', '-c', script as string ],
			{ cwd: sandbox, env: { ...shellEnv, ...env } }
		);
	};
	const children: ChildProcess[] = [];
	const stopAll: Array< () => Promise< void > > = [];

	try {
		await test.step( 'npm run dist makes both artifacts', async () => {
			for ( const file of [ ZIP, TGZ ] ) {
				fs.rmSync( file, { force: true } );
			}
			const dist = await runToEnd( 'npm', [ 'run', 'dist' ], {
				cwd: ROOT,
			} );
			expect( dist.code, dist.stderr ).toBe( 0 );
			expect( fs.existsSync( ZIP ) ).toBe( true );
			expect( fs.existsSync( TGZ ) ).toBe( true );
		} );

		await test.step( 'the zip holds the plugin and nothing else, in order', async () => {
			const entries = ( await runToEnd( 'unzip', [ '-Z1', ZIP ] ) ).stdout
				.trim()
				.split( '\n' );
			expect( entries ).toEqual( [ ...entries ].sort() );
			const forbidden = entries.filter(
				( entry ) =>
					! entry.startsWith( 'chatflows/' ) ||
					/(^|\/)\./.test( entry ) ||
					// The sources' folders, and anything of development anywhere.
					/^chatflows\/(admin|widget|server|scripts|docs|test|vendor)\//.test(
						entry
					) ||
					/(^|\/)(node_modules|src|tests?)\//.test( entry ) ||
					/\.(tsx?|map|mjs|cjs|md|xml|lock)$/.test( entry ) ||
					/(^|\/)(package(-lock)?\.json|composer\.json|tsconfig[\w.]*\.json|jest\.config\.js|babel\.config\.js|eslint\.config\.cjs)$/.test(
						entry
					)
			);
			expect( forbidden ).toEqual( [] );
			const required = [
				'chatflows/chatflows.php',
				'chatflows/uninstall.php',
				'chatflows/readme.txt',
				'chatflows/plugin/class-plugin.php',
				'chatflows/plugin/schema/chatflow-settings.json',
				'chatflows/blocks/live-chat/block.json',
				...[ 'inbox', 'chatflows', 'teams' ].flatMap( ( name ) => [
					`chatflows/build/admin/${ name }.js`,
					`chatflows/build/admin/${ name }.asset.php`,
					`chatflows/build/admin/${ name }.css`,
				] ),
				'chatflows/build/blocks/live-chat.js',
				'chatflows/build/blocks/live-chat.asset.php',
				'chatflows/build/blocks/live-chat.css',
				'chatflows/build/blocks/page-panel.js',
				'chatflows/build/blocks/page-panel.asset.php',
				'chatflows/build/widget/loader.js',
				'chatflows/build/widget/chat-window.js',
				'chatflows/build/widget/outside-page.js',
				'chatflows/languages/chatflows.pot',
				'chatflows/languages/chatflows-da_DK.mo',
				'chatflows/languages/chatflows-nl_NL.mo',
			];
			expect(
				required.filter( ( entry ) => ! entries.includes( entry ) )
			).toEqual( [] );
			// Every PHP file of plugin/ and its parts' folders (the autoloader finds classes by file name) and the
			// settings schema; nothing else of plugin/ (not its README).
			const pluginFiles = (
				fs.readdirSync( path.join( ROOT, 'plugin' ), {
					recursive: true,
				} ) as string[]
			 )
				.filter( ( file ) => /\.(?:php|json)$/.test( file ) )
				.map(
					( file ) =>
						`chatflows/plugin/${ file.split( path.sep ).join( '/' ) }`
				)
				.sort();
			expect( pluginFiles.length ).toBeGreaterThan( 30 );
			expect(
				entries.filter(
					( entry ) =>
						entry.startsWith( 'chatflows/plugin/' ) &&
						! entry.endsWith( '/' )
				)
			).toEqual( pluginFiles );
			for ( const locale of [ 'da_DK', 'nl_NL' ] ) {
				expect(
					entries.filter( ( entry ) =>
						new RegExp(
							`^chatflows/languages/chatflows-${ locale }-[0-9a-f]{32}\\.json$`
						).test( entry )
					).length
				).toBeGreaterThan( 0 );
			}
		} );

		await test.step( 'the package holds compiled JavaScript and manifests only, the workspace packages bundled', async () => {
			const entries = ( await runToEnd( 'tar', [ '-tzf', TGZ ] ) ).stdout
				.trim()
				.split( '\n' );
			expect(
				entries.filter(
					( entry ) =>
						! /^package\/(?:node_modules\/@chatflows\/[\w-]+\/)?(package\.json|README\.md|dist\/[\w/-]+\.js)$/.test(
							entry
						)
				)
			).toEqual( [] );
			expect( entries ).toEqual(
				expect.arrayContaining( [
					'package/package.json',
					'package/dist/cli.js',
					'package/dist/index.js',
					'package/dist/repository/sqlite-writer-thread.js',
					// The workspace packages the service imports, bundled (never published).
					'package/node_modules/@chatflows/protocol/package.json',
					'package/node_modules/@chatflows/protocol/dist/index.js',
				] )
			);
		} );

		await test.step( 'docs/deploy.md: install (npm compiles better-sqlite3 here)', async () => {
			expect(
				doc.unmarkedShellBlocks,
				'shell blocks without <!-- test: … -->'
			).toBe( 0 );
			fs.copyFileSync( TGZ, path.join( sandbox, path.basename( TGZ ) ) );
			const install = await runDoc( 'install' );
			expect( install.code, install.stderr ).toBe( 0 );
			expect( install.stdout.trim().split( '\n' ).pop() ).toBe( VERSION );
		} );

		await test.step( 'docs/deploy.md: the systemd unit is valid and runs the installed command', async () => {
			const unit = path.join( sandbox, 'chatflows-service.service' );
			fs.writeFileSync(
				unit,
				(
					doc.files.get( 'chatflows-service.service' ) as string
				 ).replace(
					'/usr/local/bin/chatflows-service',
					path.join( globalPrefix, 'bin', 'chatflows-service' )
				)
			);
			const verify = await runToEnd( 'systemd-analyze', [
				'verify',
				unit,
			] );
			expect( verify.stderr ).toBe( '' );
			expect( verify.code ).toBe( 0 );
		} );

		// WordPress with the plugin as the zip has it, and the demo's chatflow.
		const [ wpPort, servicePort ] = [ await freePort(), await freePort() ];
		const wpUrl = `http://localhost:${ wpPort }`;
		const secret = `release-test-secret-${ Date.now() }-0123456789abcdef`;
		let chatflowId = '';
		await test.step( 'a WordPress site runs the plugin from the zip', async () => {
			const unzipped = path.join( sandbox, 'plugin' );
			const unzip = await runToEnd( 'unzip', [
				'-q',
				ZIP,
				'-d',
				unzipped,
			] );
			expect( unzip.code, unzip.stderr ).toBe( 0 );
			const site = await provisionWordPress( {
				siteDir: path.join( sandbox, 'wordpress' ),
				url: wpUrl,
				secret,
				serviceUrl: `http://localhost:${ servicePort }`,
				demo: true,
				pluginDir: path.join( unzipped, 'chatflows' ),
			} );
			const report = site.report as {
				activated: string[];
				chatflow: number;
			};
			expect( report.activated ).toContain( 'chatflows/chatflows.php' );
			chatflowId = String( report.chatflow );
			const wordpress = await startWordPress( {
				siteDir: path.join( sandbox, 'wordpress' ),
				port: wpPort,
			} );
			stopAll.push( wordpress.stop );
		} );

		const envFile = path.join( sandbox, 'etc', 'chatflows', 'service.env' );
		await test.step( 'docs/deploy.md: the environment, then check', async () => {
			fs.mkdirSync( path.dirname( envFile ), { recursive: true } );
			// The docs' file, then this site's values, which win as later lines.
			fs.writeFileSync(
				envFile,
				`${ doc.files.get( 'service.env' ) }\n${ [
					`CHATFLOWS_SECRET=${ secret }`,
					`CHATFLOWS_ALLOWED_ORIGINS=${ wpUrl }`,
					`CHATFLOWS_WORDPRESS_URL=${ wpUrl }`,
					`CHATFLOWS_PORT=${ servicePort }`,
				].join( '\n' ) }\n`,
				{ mode: 0o600 }
			);
			const check = await runDoc( 'check' );
			expect( check.stdout ).toContain(
				`ok      WordPress at ${ wpUrl } verified the service's signature and sent its configuration (1 published chatflows): the shared secret matches.`
			);
			expect( check.stdout ).toContain( 'No problems found.' );
			expect( check.code ).toBe( 0 );

			// The same with another secret: said in plain words, exit status 1.
			const wrong = await runToEnd(
				'bash',
				[
					'-c',
					`set -a; . '${ envFile }'; set +a; CHATFLOWS_SECRET=${ 'w'.repeat(
						40
					) } chatflows-service check`,
				],
				{ env: shellEnv }
			);
			expect( wrong.stdout ).toContain(
				`PROBLEM WordPress at ${ wpUrl } refused the service's signature: CHATFLOWS_SECRET is not the secret WordPress has (CHATFLOWS_SERVICE_SECRET in wp-config.php). Put the same value in both places.`
			);
			expect( wrong.code ).toBe( 1 );
		} );

		await test.step( 'docs/deploy.md: migrate', async () => {
			const migrate = await runDoc( 'migrate' );
			expect( migrate.stdout ).toMatch(
				/^The SQLite file .*\/var\/lib\/chatflows\/chatflows\.sqlite was migrated from schema version 0 to \d+\.\n$/
			);
			expect( migrate.code ).toBe( 0 );
		} );

		const dbFile = path.join(
			sandbox,
			'var',
			'lib',
			'chatflows',
			'chatflows.sqlite'
		);
		/** Starts the docs' `start` block and waits for /healthz. */
		const start = async () => {
			const log = path.join( sandbox, 'service.log' );
			const child = spawn(
				'bash',
				[
					'-euo',
					'pipefail',
					'-c',
					doc.commands.get( 'start' ) as string,
				],
				{
					cwd: sandbox,
					env: shellEnv,
					detached: true,
					stdio: [
						'ignore',
						fs.openSync( log, 'a' ),
						fs.openSync( log, 'a' ),
					],
				}
			);
			ran.add( 'start' );
			children.push( child );
			await waitForHttp( `http://127.0.0.1:${ servicePort }/healthz`, {
				timeoutMs: 30_000,
				accept: ( status ) => status === 200,
				failed: () =>
					child.exitCode !== null
						? `it exited: ${ fs.readFileSync( log, 'utf8' ) }`
						: undefined,
			} );
			const stop = () => stopProcessGroup( child.pid as number );
			return { child, log, stop };
		};

		await test.step( 'docs/deploy.md: start, a visitor writes, backup while it runs, restore', async () => {
			const service = await start();
			stopAll.push( service.stop );
			await expect
				.poll( () => fs.readFileSync( service.log, 'utf8' ), {
					timeout: 20_000,
				} )
				.toContain( 'configuration pulled from WordPress' );
			const { socket } = await connectVisitor(
				{ url: `http://127.0.0.1:${ servicePort }` } as TestService,
				{ chatflowId, pageUrl: `${ wpUrl }/pricing/` },
				{ origin: wpUrl }
			);
			await sendMessage( socket, 'Sent to the installed service' );
			socket.disconnect();

			const backup = await runDoc( 'backup' );
			expect( backup.stdout ).toMatch(
				/^Backed up 1 conversations and 1 messages \(schema version \d+\) to .*\/var\/backups\/chatflows\/chatflows\.sqlite\.\n$/
			);
			expect( backup.code ).toBe( 0 );

			// Lose the database, restore it from the backup, run again.
			await service.stop();
			fs.rmSync( dbFile );
			const restore = await runDoc( 'restore' );
			expect( restore.code, restore.stderr ).toBe( 0 );
			const restored = new Database( dbFile, { readonly: true } );
			expect(
				restored.prepare( 'SELECT body FROM messages' ).all()
			).toEqual( [ { body: 'Sent to the installed service' } ] );
			restored.close();
			const again = await start();
			stopAll.push( again.stop );
			expect( ( await runDoc( 'check' ) ).code ).toBe( 0 );
			await again.stop();
			// SIGTERM drains and stops cleanly.
			expect( fs.readFileSync( again.log, 'utf8' ) ).toContain(
				'"msg":"stopped"'
			);
		} );

		await test.step( 'docs/deploy.md: PostgreSQL, migrated by the package, dumped and restored', async () => {
			const postgres = await startPostgres();
			stopAll.push( postgres.stop );
			const database = await postgres.createDatabase();
			const url = postgres.url( database );
			const query = async ( sql: string ) => {
				const client = new Client( { connectionString: url } );
				await client.connect();
				try {
					return ( await client.query( sql ) ).rows;
				} finally {
					await client.end();
				}
			};
			// The predecessor's database (see server/test/fixtures/predecessor).
			await query(
				fs.readFileSync(
					path.join(
						ROOT,
						'server',
						'test',
						'fixtures',
						'predecessor',
						'postgres.sql'
					),
					'utf8'
				)
			);
			const env = { CHATFLOWS_DATABASE_URL: url };
			const migrate = await runToEnd(
				'chatflows-service',
				[ 'migrate' ],
				{
					env: { ...shellEnv, ...env },
				}
			);
			expect( migrate.stdout ).toMatch(
				/^The PostgreSQL database was migrated from schema version 5 to \d+\.\n$/
			);
			const messages = await query(
				'SELECT * FROM public.messages ORDER BY conversation_id, seq'
			);
			expect( messages ).toHaveLength( 16 );
			fs.mkdirSync( path.join( sandbox, 'var', 'backups', 'chatflows' ), {
				recursive: true,
			} );
			const dump = await runDoc( 'pg-backup', env );
			expect( dump.code, dump.stderr ).toBe( 0 );
			await query( 'DELETE FROM public.messages' );
			const restore = await runDoc( 'pg-restore', env );
			expect( restore.code, restore.stderr ).toBe( 0 );
			expect(
				await query(
					'SELECT * FROM public.messages ORDER BY conversation_id, seq'
				)
			).toEqual( messages );
		} );

		expect( [ ...ran ].sort() ).toEqual(
			[ ...doc.commands.keys() ].sort()
		);
	} finally {
		for ( const stop of stopAll.reverse() ) {
			await stop().catch( () => undefined );
		}
		for ( const child of children ) {
			if ( child.exitCode === null && child.pid ) {
				await stopProcessGroup( child.pid ).catch( () => undefined );
			}
		}
		fs.rmSync( sandbox, { recursive: true, force: true } );
	}
} );
