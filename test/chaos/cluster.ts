/**
 * The service under test for the fault-injection harness: one node on its
 * own SQLite file, or several nodes on one PostgreSQL database and one Redis
 * (the scale-out mode), each a real child process on loopback, behind the
 * harness's balancer. Nodes can be killed (SIGKILL) and restarted on the
 * same port, frozen (SIGSTOP) and thawed (SIGCONT).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildSync } from 'esbuild';
import { Client } from 'pg';
import { createClient } from 'redis';
import Database from 'better-sqlite3';
import { freePort } from '../../server/test/process-helpers';
import {
	startPostgres,
	type PostgresServer,
} from '../../server/test/postgres-server';
import { startRedis, type RedisServer } from '../../server/test/redis-server';
import {
	CPU_PROFILE_DIR,
	killServiceProcesses,
	startServiceProcess,
	type ServiceProcess,
} from '../../server/test/service-process';
// The bench raises the same ones.
import RAISED_LIMITS from '../../server/bench/raised-limits.json';
import { Balancer, type BalancerNode } from './balancer';
import {
	processCpuMs,
	processTreeCpuMs,
} from '../../scripts/lib/process-cpu.mjs';
import { repositoryRoot } from './widget-client';

/**
 * Compiles the service file by file into a temporary folder, as `tsc` does
 * but with esbuild: seconds instead of half a minute on a busy machine (the
 * types are checked by `npm run typecheck`).
 *
 * @param root The repository, or any folder holding a copy of its `server/src`.
 * @return The entry file to run with node.
 */
function compileService( root: string ): string {
	const outDir = fs.mkdtempSync(
		path.join( os.tmpdir(), 'chatflows-chaos-service-' )
	);
	const sources = path.join( root, 'server', 'src' );
	const entryPoints = (
		fs.readdirSync( sources, { recursive: true } ) as string[]
	 )
		.filter(
			( file ) => file.endsWith( '.ts' ) && ! file.endsWith( '.d.ts' )
		)
		.map( ( file ) => path.join( sources, file ) );
	buildSync( {
		absWorkingDir: root,
		entryPoints,
		outdir: outDir,
		outbase: sources,
		format: 'cjs',
		platform: 'node',
		target: 'node20',
		logLevel: 'silent',
	} );
	return path.join( outDir, 'index.js' );
}

/** A message as stored, read straight from the database. */
export interface StoredMessage {
	conversationId: string;
	seq: number;
	clientId: string;
	authorType: string;
	body: string;
}

/** A conversation as stored, read straight from the database. */
export interface StoredConversation {
	id: string;
	status: string;
	assigneeId: string | null;
	lastSeq: number;
}

export interface ClusterNode extends BalancerNode {
	process: ServiceProcess | null;
	url: string;
}

export interface ClusterOptions {
	/** 'sqlite': one node on a SQLite file; 'postgres': nodes on PostgreSQL and Redis. */
	storage: 'sqlite' | 'postgres';
	nodes: number;
	/** First of the loopback ports to use (balancer, nodes, PostgreSQL, Redis); free ports when 0. */
	portBase: number;
	/**
	 * A folder holding the `server/src` to run (e.g. an older commit's, from
	 * `git archive`), to compare builds under the same harness; this
	 * repository's when unset. Its packages load from this repository.
	 */
	serviceSource?: string;
}

/**
 * The service's budgets raised for the run, as for the bench: every visitor
 * comes from 127.0.0.1 and sends fast on purpose.
 */
const UNLIMITED: Record< string, string > = RAISED_LIMITS;

export class Cluster {
	readonly nodes: ClusterNode[] = [];

	readonly balancer: Balancer;

	private entry = '';

	private env: Record< string, string > = {};

	private postgres: PostgresServer | null = null;

	private redis: RedisServer | null = null;

	private database = '';

	private dataDir = '';

	private nextPort: number;

	constructor( readonly options: ClusterOptions ) {
		this.balancer = new Balancer( this.nodes );
		this.nextPort = options.portBase;
	}

	private async port(): Promise< number > {
		return this.options.portBase ? this.nextPort++ : freePort();
	}

	/** Builds the service, starts the storage, the nodes and the balancer. */
	async start(): Promise< void > {
		await this.balancer.listen( await this.port() );
		this.entry = compileService(
			this.options.serviceSource || repositoryRoot()
		);
		this.dataDir = fs.mkdtempSync(
			path.join( os.tmpdir(), 'chatflows-chaos-' )
		);
		this.env = { ...UNLIMITED };
		if ( this.options.storage === 'postgres' ) {
			const [ postgresPort, redisPort ] = [
				await this.port(),
				await this.port(),
			];
			[ this.postgres, this.redis ] = await Promise.all( [
				startPostgres( { port: postgresPort } ),
				startRedis( { port: redisPort } ),
			] );
			this.database = await this.postgres.createDatabase();
			this.env.CHATFLOWS_DATABASE_URL = this.postgres.url(
				this.database
			);
			this.env.CHATFLOWS_REDIS_URL = this.redis.url;
		} else {
			this.env.CHATFLOWS_DB_FILE = path.join(
				this.dataDir,
				'chatflows.sqlite'
			);
		}
		for ( let i = 0; i < this.options.nodes; i++ ) {
			const node: ClusterNode = {
				name: String.fromCharCode( 65 + i ),
				port: await this.port(),
				live: false,
				process: null,
				url: '',
			};
			this.nodes.push( node );
			// One after the other: the first migrates the fresh database.
			await this.boot( node );
		}
	}

	/**
	 * Starts (or restarts) a node on its port and waits until it serves.
	 *
	 * @param node The node.
	 */
	async boot( node: ClusterNode ): Promise< void > {
		node.process = await startServiceProcess( this.entry, {
			...this.env,
			CHATFLOWS_PORT: String( node.port ),
		} );
		node.url = node.process.url;
		node.live = true;
	}

	/**
	 * SIGKILL: the node dies at once, its connections with it.
	 *
	 * @param node The node.
	 */
	async kill( node: ClusterNode ): Promise< void > {
		node.live = false;
		const child = node.process?.child;
		if ( child && child.exitCode === null && child.signalCode === null ) {
			child.kill( 'SIGKILL' );
			await node.process?.exited;
		}
		node.process = null;
	}

	/**
	 * SIGSTOP or SIGCONT.
	 *
	 * @param node   The node.
	 * @param signal Which.
	 */
	signal( node: ClusterNode, signal: 'SIGSTOP' | 'SIGCONT' ): void {
		node.process?.child.kill( signal );
	}

	/**
	 * CPU time used so far (user plus system, ms) by a node's process, and by
	 * PostgreSQL (postmaster and backends) and Redis; NaN where there is none.
	 *
	 * @param node The node.
	 */
	cpuMs( node: ClusterNode ): {
		node: number;
		postgres: number;
		redis: number;
	} {
		return {
			node: processCpuMs( node.process?.child.pid ),
			postgres: processTreeCpuMs( this.postgres?.pid ),
			redis: processCpuMs( this.redis?.pid ),
		};
	}

	/**
	 * Work the storage did so far: PostgreSQL's transactions in the service's
	 * database (each statement outside a transaction is one) and the commands
	 * Redis processed; NaN without them. Counted by the servers themselves,
	 * so exact whatever the machine's load (PostgreSQL's figures lag by up
	 * to a second: its statistics are flushed that often).
	 */
	async storageWork(): Promise< {
		postgresTransactions: number;
		redisCommands: number;
		/** Redis commands by name. */
		redisByCommand: Record< string, number >;
	} > {
		let postgresTransactions = NaN;
		let redisCommands = NaN;
		const redisByCommand: Record< string, number > = {};
		if ( this.postgres ) {
			const client = new Client( {
				connectionString: this.postgres.url( this.database ),
			} );
			await client.connect();
			try {
				const { rows } = await client.query< { n: string } >(
					'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()'
				);
				postgresTransactions = Number( rows[ 0 ]?.n );
			} finally {
				await client.end();
			}
		}
		if ( this.redis ) {
			const client = createClient( { url: this.redis.url } );
			await client.connect();
			try {
				const stats = await client.info( 'stats' );
				redisCommands = Number(
					/total_commands_processed:(\d+)/.exec( stats )?.[ 1 ]
				);
				const commands = await client.info( 'commandstats' );
				for ( const [ , name, calls ] of commands.matchAll(
					/^cmdstat_([^:]+):calls=(\d+)/gm
				) ) {
					redisByCommand[ name ] = Number( calls );
				}
			} finally {
				await client.quit();
			}
		}
		return { postgresTransactions, redisCommands, redisByCommand };
	}

	/** Every stored message, by conversation, in seq order. */
	async storedMessages(): Promise< Map< string, StoredMessage[] > > {
		const rows = await this.read< StoredMessage >(
			'SELECT conversation_id AS "conversationId", seq, client_id AS "clientId", author_type AS "authorType", body FROM messages ORDER BY conversation_id, seq'
		);
		const byConversation = new Map< string, StoredMessage[] >();
		for ( const row of rows ) {
			const list = byConversation.get( row.conversationId ) ?? [];
			list.push( row );
			byConversation.set( row.conversationId, list );
		}
		return byConversation;
	}

	/** Every stored conversation, by id. */
	async storedConversations(): Promise< Map< string, StoredConversation > > {
		const rows = await this.read< StoredConversation >(
			'SELECT id, status, assignee_id AS "assigneeId", last_seq AS "lastSeq" FROM conversations'
		);
		return new Map(
			rows.map( ( row ) => [
				row.id,
				{ ...row, lastSeq: Number( row.lastSeq ) },
			] )
		);
	}

	/**
	 * Reads the database directly.
	 *
	 * @param query The query.
	 */
	private async read< T extends object >( query: string ): Promise< T[] > {
		if ( this.postgres ) {
			const client = new Client( {
				connectionString: this.postgres.url( this.database ),
			} );
			await client.connect();
			try {
				return ( await client.query< T >( query ) ).rows;
			} finally {
				await client.end();
			}
		}
		const db = new Database( this.env.CHATFLOWS_DB_FILE, {
			readonly: true,
		} );
		try {
			return db.prepare( query ).all() as T[];
		} finally {
			db.close();
		}
	}

	/** Stops everything and removes every folder. */
	async stop(): Promise< void > {
		await this.balancer.close().catch( () => undefined );
		for ( const node of this.nodes ) {
			this.signal( node, 'SIGCONT' );
			// A node writes its CPU profile only when it stops on its own.
			if ( CPU_PROFILE_DIR && node.process ) {
				node.process.child.kill( 'SIGTERM' );
				await node.process.exited;
			}
			await this.kill( node );
		}
		// Also a node whose start failed half-way.
		killServiceProcesses();
		if ( this.postgres ) {
			await this.postgres
				.dropDatabase( this.database )
				.catch( () => undefined );
		}
		await Promise.all( [ this.postgres?.stop(), this.redis?.stop() ] );
		if ( this.entry ) {
			fs.rmSync( path.dirname( this.entry ), {
				recursive: true,
				force: true,
			} );
		}
		if ( this.dataDir ) {
			fs.rmSync( this.dataDir, { recursive: true, force: true } );
		}
	}
}
