/**
 * Turns a typed, validated operation into a socket.io event listener that
 * never throws: bad payloads and failures become error acknowledgements.
 */
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { Ack, ErrorCode } from '@chatflows/protocol';
import { describeIssues } from './validation';

/** An error a handler raises on purpose, sent to the client as is. */
export class ClientError extends Error {
	readonly code: ErrorCode;

	constructor( code: ErrorCode, message: string ) {
		super( message );
		this.name = 'ClientError';
		this.code = code;
	}
}

/**
 * Counts operations in progress, so a shutdown can wait until every started
 * write has finished and been acknowledged.
 */
export class InflightTracker {
	private count = 0;

	private waiters: Array< () => void > = [];

	get size(): number {
		return this.count;
	}

	async run< T >( operation: () => Promise< T > ): Promise< T > {
		this.count++;
		try {
			return await operation();
		} finally {
			this.count--;
			if ( this.count === 0 ) {
				const waiters = this.waiters;
				this.waiters = [];
				waiters.forEach( ( resolve ) => resolve() );
			}
		}
	}

	/** Resolves once nothing is in progress. */
	idle(): Promise< void > {
		if ( this.count === 0 ) {
			return Promise.resolve();
		}
		return new Promise( ( resolve ) => this.waiters.push( resolve ) );
	}
}

export interface HandlerContext {
	logger: Logger;
	inflight: InflightTracker;
	isDraining: () => boolean;
}

/** What an operation acknowledges, and what it does once the ack is sent. */
export interface Outcome< R > {
	data: R;
	/** Runs after the acknowledgement, e.g. to broadcast. */
	afterAck?: () => void;
}

/** A listener socket.io calls with the socket as `this`. */
export type EventListener = ( this: unknown, ...args: unknown[] ) => void;

/** One event of a namespace and the listener that answers it. */
export interface EventHandler {
	event: string;
	listener: EventListener;
}

export function failure(
	code: ErrorCode,
	message: string
): { ok: false; error: { code: ErrorCode; message: string } } {
	return { ok: false, error: { code, message } };
}

/**
 * Builds a listener for one client-to-server event.
 *
 * The last argument must be the acknowledgement callback; without one the
 * event is ignored. The payload is validated with `schema`; `handle` receives
 * the parsed value and the socket the event came from, and returns the data
 * to acknowledge. Rejections with a ClientError are sent as that error; any
 * other failure is logged and sent as `internal`, without details.
 *
 * The listener finds its socket in `this`, as socket.io calls it, so one
 * listener serves every socket of a namespace: a connection costs no
 * closures of its own.
 *
 * @param context Logger, in-flight tracker and draining flag.
 * @param event   Event name, for logs.
 * @param schema  Zod schema of the payload.
 * @param handle  The operation.
 * @return A listener to pass to `socket.on`.
 */
export function createHandler< S extends z.ZodType, R, Sock = unknown >(
	context: HandlerContext,
	event: string,
	schema: S,
	handle: ( payload: z.output< S >, socket: Sock ) => Promise< Outcome< R > >
): EventListener {
	return function ( this: unknown, ...args: unknown[] ): void {
		const socket = this as Sock;
		const ack = args[ args.length - 1 ];
		if ( typeof ack !== 'function' ) {
			return;
		}
		const respond = ( response: Ack< R > ): void => {
			try {
				ack( response );
			} catch ( error ) {
				context.logger.warn( { err: error, event }, 'ack failed' );
			}
		};
		if ( context.isDraining() ) {
			respond(
				failure(
					'internal',
					'The chat service is restarting. Please retry in a moment.'
				)
			);
			return;
		}
		const payload = args.length > 1 ? args[ 0 ] : undefined;
		const parsed = schema.safeParse( payload );
		if ( ! parsed.success ) {
			respond(
				failure( 'invalid_payload', describeIssues( parsed.error ) )
			);
			return;
		}
		void context.inflight.run( async () => {
			let outcome: Outcome< R >;
			try {
				outcome = await handle( parsed.data, socket );
			} catch ( error ) {
				if ( error instanceof ClientError ) {
					respond( failure( error.code, error.message ) );
					return;
				}
				context.logger.error( { err: error, event }, 'event failed' );
				respond(
					failure(
						'internal',
						'The chat service could not complete this request.'
					)
				);
				return;
			}
			respond( { ok: true, data: outcome.data } );
			if ( outcome.afterAck ) {
				try {
					outcome.afterAck();
				} catch ( error ) {
					context.logger.error(
						{ err: error, event },
						'broadcast failed'
					);
				}
			}
		} );
	};
}

/**
 * Names one event's handler for a namespace's list (see `createHandler`).
 *
 * @param context Logger, in-flight tracker and draining flag.
 * @param event   The event.
 * @param schema  Zod schema of the payload.
 * @param handle  The operation.
 * @return The event and its listener.
 */
export function defineHandler< S extends z.ZodType, R, Sock = unknown >(
	context: HandlerContext,
	event: string,
	schema: S,
	handle: ( payload: z.output< S >, socket: Sock ) => Promise< Outcome< R > >
): EventHandler {
	return { event, listener: createHandler( context, event, schema, handle ) };
}

/**
 * Registers a namespace's handlers on one connected socket. The listeners
 * are built once per namespace: each finds its socket in `this`.
 *
 * @param socket   The connected socket.
 * @param handlers The namespace's handlers.
 */
export function listenTo(
	socket: object,
	handlers: readonly EventHandler[]
): void {
	const target = socket as {
		on: ( event: string, listener: EventListener ) => unknown;
	};
	for ( const { event, listener } of handlers ) {
		target.on( event, listener );
	}
}
