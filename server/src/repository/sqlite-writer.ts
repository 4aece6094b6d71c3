/**
 * The main thread's handle on the SQLite writer thread
 * (`sqlite-writer-thread.ts`). The repository's write methods run there, on
 * the thread's own connection, and messages are committed in groups (one
 * fsync per batch) while the event loop here keeps serving sockets. Each
 * promise resolves only once its write is committed with
 * `synchronous = FULL`, so an acknowledgement still follows a durable write.
 *
 * If the thread dies, every write it had not answered is rejected (never
 * resolved: it may not be stored), every later write is rejected at once,
 * and `onFailure` is told, so the service can stop loudly instead of
 * running on without storage.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ChatRepository } from './types';

/** A repository method the writer thread runs. */
export type WriteMethod = {
	[ K in keyof ChatRepository ]: ChatRepository[ K ] extends (
		...args: never[]
	) => Promise< unknown >
		? K
		: never;
}[ keyof ChatRepository ];

/** What the main thread asks the writer thread. */
export type WriterRequest =
	| { type: 'write'; id: number; method: string; args: unknown[] }
	| { type: 'close' };

/** What the writer thread answers. */
export type WriterReply =
	| { type: 'ready' }
	| { type: 'done'; id: number; value: unknown }
	| {
			type: 'failed';
			id: number;
			error: { name: string; message: string; code?: string };
	  }
	| { type: 'closed' };

/** The writer thread stopped unexpectedly: nothing can be written any more. */
export class SqliteWriterFailedError extends Error {
	constructor( message: string, options?: { cause?: unknown } ) {
		super( message, options );
		this.name = 'SqliteWriterFailedError';
	}
}

/** A write the thread refused (a constraint, a full disk, …). */
export class SqliteWriteError extends Error {
	readonly code: string | undefined;

	constructor( error: { name: string; message: string; code?: string } ) {
		super( error.message );
		this.name = error.name;
		this.code = error.code;
	}
}

/**
 * Buffers cross threads as plain Uint8Arrays: makes them Buffers again.
 *
 * @param value An argument or a result, as received.
 * @return The value, as a Buffer when it is bytes.
 */
export function reviveBuffer( value: unknown ): unknown {
	return value instanceof Uint8Array && ! Buffer.isBuffer( value )
		? Buffer.from( value.buffer, value.byteOffset, value.byteLength )
		: value;
}

interface PendingWrite {
	resolve: ( value: unknown ) => void;
	reject: ( error: unknown ) => void;
}

/** The thread's code when running from the TypeScript sources, built once per process. */
let sourceBundle: string | null = null;

/**
 * How to start the thread: its compiled file next to this one, or, when
 * running from the TypeScript sources (as the tests do), the sources bundled
 * in memory with esbuild (a development dependency) and run as code.
 */
function threadEntry(): { script: string; eval: boolean } {
	const compiled = path.join( __dirname, 'sqlite-writer-thread.js' );
	if ( fs.existsSync( compiled ) ) {
		return { script: compiled, eval: false };
	}
	if ( sourceBundle === null ) {
		// Only from the TypeScript sources (the tests); the package runs the compiled file above.
		// eslint-disable-next-line import/no-extraneous-dependencies
		const esbuild = require( 'esbuild' ) as typeof import( 'esbuild' );
		const result = esbuild.buildSync( {
			entryPoints: [ path.join( __dirname, 'sqlite-writer-thread.ts' ) ],
			bundle: true,
			platform: 'node',
			format: 'cjs',
			target: 'node20',
			packages: 'external',
			write: false,
			logLevel: 'silent',
		} );
		// Packages resolve from this project's node_modules, wherever the code runs.
		const nodeModules = path.dirname(
			path.dirname( require.resolve( 'better-sqlite3/package.json' ) )
		);
		sourceBundle =
			`module.paths.unshift( ${ JSON.stringify( nodeModules ) } );\n` +
			result.outputFiles[ 0 ].text;
	}
	return { script: sourceBundle, eval: true };
}

export class SqliteWriter {
	private readonly worker: Worker;

	private readonly pending = new Map< number, PendingWrite >();

	private nextId = 1;

	private failure: SqliteWriterFailedError | null = null;

	private closing: Promise< void > | null = null;

	private closedCleanly = false;

	private readonly exited: Promise< void >;

	/**
	 * Starts the writer thread on a database whose schema is up to date.
	 *
	 * @param file      The SQLite file.
	 * @param onFailure Called once if the thread dies.
	 */
	constructor(
		file: string,
		private readonly onFailure: ( error: SqliteWriterFailedError ) => void
	) {
		const entry = threadEntry();
		this.worker = new Worker( entry.script, {
			eval: entry.eval,
			workerData: { file },
		} );
		// Idle, the thread does not keep the process alive; see track().
		this.worker.unref();
		this.worker.on( 'message', ( reply: WriterReply ) =>
			this.receive( reply )
		);
		this.worker.on( 'error', ( error ) =>
			this.fail(
				new SqliteWriterFailedError(
					`The SQLite writer thread failed: ${ error.message }`,
					{ cause: error }
				)
			)
		);
		this.exited = new Promise( ( resolve ) => {
			this.worker.once( 'exit', ( code ) => {
				const stopped = new SqliteWriterFailedError(
					`The SQLite writer thread stopped (exit code ${ code }).`
				);
				if ( ! this.closedCleanly ) {
					this.fail( stopped );
				}
				// Never left hanging, never resolved without an answer.
				this.rejectPending( stopped );
				resolve();
			} );
		} );
	}

	/** The thread itself, for operations and tests. */
	get thread(): Worker {
		return this.worker;
	}

	/** Why writing stopped, or null while it works. */
	get failed(): SqliteWriterFailedError | null {
		return this.failure;
	}

	/**
	 * Runs one repository method on the writer thread's repository.
	 *
	 * @param method The method.
	 * @param args   Its arguments (they cross threads by structured cloning).
	 * @return Its result, once committed durably.
	 */
	run< K extends WriteMethod >(
		method: K,
		args: Parameters< ChatRepository[ K ] >
	): ReturnType< ChatRepository[ K ] > {
		return this.call( method, args ) as ReturnType< ChatRepository[ K ] >;
	}

	/**
	 * `run` without the types, for forwarding calls generically.
	 *
	 * @param method The method.
	 * @param args   Its arguments.
	 * @return Its result, once committed durably.
	 */
	call( method: string, args: unknown[] ): Promise< unknown > {
		if ( this.failure ) {
			return Promise.reject( this.failure );
		}
		if ( this.closing ) {
			return Promise.reject(
				new Error( 'The database is closed: nothing more is written.' )
			);
		}
		const id = this.nextId++;
		return new Promise( ( resolve, reject ) => {
			this.pending.set( id, { resolve, reject } );
			this.track();
			const request: WriterRequest = { type: 'write', id, method, args };
			this.worker.postMessage( request );
		} );
	}

	/**
	 * Commits everything sent so far, checkpoints the WAL into the main file,
	 * and stops the thread. Later writes are refused.
	 *
	 * @return Resolves once the thread has stopped.
	 */
	close(): Promise< void > {
		if ( ! this.closing ) {
			if ( this.failure ) {
				this.closing = this.exited;
			} else {
				this.worker.ref();
				const request: WriterRequest = { type: 'close' };
				this.worker.postMessage( request );
				this.closing = this.exited;
			}
		}
		return this.closing;
	}

	/** Keeps the process alive while writes are in flight, not when idle. */
	private track(): void {
		if ( this.pending.size > 0 || this.closing ) {
			this.worker.ref();
		} else {
			this.worker.unref();
		}
	}

	private receive( reply: WriterReply ): void {
		if ( reply.type === 'ready' ) {
			return;
		}
		if ( reply.type === 'closed' ) {
			this.closedCleanly = true;
			return;
		}
		const pending = this.pending.get( reply.id );
		if ( ! pending ) {
			return;
		}
		this.pending.delete( reply.id );
		if ( reply.type === 'done' ) {
			pending.resolve( reviveBuffer( reply.value ) );
		} else {
			pending.reject( new SqliteWriteError( reply.error ) );
		}
		this.track();
	}

	private fail( error: SqliteWriterFailedError ): void {
		if ( this.failure || this.closedCleanly ) {
			return;
		}
		this.failure = error;
		this.rejectPending( error );
		this.onFailure( error );
	}

	private rejectPending( error: Error ): void {
		const pending = [ ...this.pending.values() ];
		this.pending.clear();
		for ( const write of pending ) {
			write.reject( error );
		}
	}
}
