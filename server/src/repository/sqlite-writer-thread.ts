/**
 * The SQLite writer thread: owns the one connection that writes, with its
 * own repository, so every fsync of `synchronous = FULL` happens
 * here and never blocks the main thread's event loop. Messages and new
 * visitors arriving in one turn share a group commit (one fsync per batch);
 * each request is answered only once its write is committed. Started by
 * `SqliteWriter`; the schema comes up to date from the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteRepository } from './sqlite';
import {
	reviveBuffer,
	type WriterReply,
	type WriterRequest,
} from './sqlite-writer';

/**
 * An error as plain data, to cross back to the main thread.
 *
 * @param error What the write threw.
 */
function serializeError( error: unknown ): {
	name: string;
	message: string;
	code?: string;
} {
	if ( error instanceof Error ) {
		const code = ( error as { code?: unknown } ).code;
		return {
			name: error.name,
			message: error.message,
			code: typeof code === 'string' ? code : undefined,
		};
	}
	return { name: 'Error', message: String( error ) };
}

function serve(): void {
	const port = parentPort;
	if ( ! port ) {
		throw new Error( 'The SQLite writer runs as a worker thread only.' );
	}
	const { file } = workerData as { file: string };
	const repository = openSqliteRepository( file, {
		inWriterThread: true,
	} );
	const reply = ( message: WriterReply ): void => port.postMessage( message );

	// Writes not yet answered; a close waits for them.
	const unanswered = new Set< Promise< void > >();

	port.on( 'message', ( request: WriterRequest ) => {
		if ( request.type === 'close' ) {
			// Everything received before the close is committed and answered first.
			void repository
				.close()
				.then( () => Promise.allSettled( [ ...unanswered ] ) )
				.then( () => {
					reply( { type: 'closed' } );
					port.close();
				} );
			return;
		}
		const method = ( repository as unknown as Record< string, unknown > )[
			request.method
		];
		let result: Promise< unknown >;
		try {
			if ( typeof method !== 'function' || request.method === 'close' ) {
				throw new Error(
					`The repository has no method ${ request.method }.`
				);
			}
			result = Promise.resolve(
				method.apply( repository, request.args.map( reviveBuffer ) )
			);
		} catch ( error ) {
			result = Promise.reject( error );
		}
		const answered = result.then(
			( value ) => reply( { type: 'done', id: request.id, value } ),
			( error: unknown ) =>
				reply( {
					type: 'failed',
					id: request.id,
					error: serializeError( error ),
				} )
		);
		unanswered.add( answered );
		void answered.finally( () => unanswered.delete( answered ) );
	} );
	reply( { type: 'ready' } );
}

serve();
