/**
 * The first stop of every incoming event, before any handler: refuses what no
 * handler should see (unknown events, binary data,
 * prototype-pollution keys, absurd nesting), applies admission checks such as
 * rate limits, and keeps the socket's events in arrival order while those
 * checks wait.
 *
 * Structural refusals reach the client as the acknowledgement (when there is
 * one) and as a `request:refused` event; admission refusals (rate limits) as
 * the acknowledgement, or as `request:refused` for events sent without one.
 * Nothing here throws.
 */
import type { Logger } from 'pino';
import type { Socket } from 'socket.io';
import type { Ack, ErrorCode, RequestRefused } from '@chatflows/protocol';

/** Keys that could reach an object's prototype if a handler ever merged a payload. */
const FORBIDDEN_KEYS = new Set( [ '__proto__', 'constructor', 'prototype' ] );

/** Deepest nesting accepted in a payload; the contract's payloads are 2 levels deep. */
export const MAX_PAYLOAD_DEPTH = 8;

/** Most values (array items, object properties) accepted in one packet. */
export const MAX_PAYLOAD_VALUES = 1000;

/** Why the guard refuses a packet, for the client and for metrics. */
export interface Refusal {
	code: ErrorCode;
	message: string;
	/** Short, fixed label for metrics and logs, e.g. `binary`. */
	reason: string;
}

/**
 * Finds what makes a payload unacceptable before validation: binary data,
 * forbidden keys, too deep or too many values.
 *
 * @param args The event's arguments, acknowledgement excluded.
 * @return The refusal, or null when the payload may go on to validation.
 */
export function inspectPayload( args: unknown[] ): Refusal | null {
	const stack: Array< { value: unknown; depth: number } > = args.map(
		( value ) => ( { value, depth: 1 } )
	);
	let count = 0;
	while ( stack.length ) {
		const { value, depth } = stack.pop() as {
			value: unknown;
			depth: number;
		};
		if ( ++count > MAX_PAYLOAD_VALUES ) {
			return {
				code: 'invalid_payload',
				message: `payload: must hold at most ${ MAX_PAYLOAD_VALUES } values`,
				reason: 'too_large',
			};
		}
		if ( value === null || typeof value !== 'object' ) {
			continue;
		}
		if ( value instanceof ArrayBuffer || ArrayBuffer.isView( value ) ) {
			return {
				code: 'invalid_payload',
				message: 'payload: binary data is not accepted, only text',
				reason: 'binary',
			};
		}
		if ( depth > MAX_PAYLOAD_DEPTH ) {
			return {
				code: 'invalid_payload',
				message: `payload: must be nested at most ${ MAX_PAYLOAD_DEPTH } levels deep`,
				reason: 'too_deep',
			};
		}
		if ( Array.isArray( value ) ) {
			if ( value.length > MAX_PAYLOAD_VALUES ) {
				return {
					code: 'invalid_payload',
					message: `payload: must hold at most ${ MAX_PAYLOAD_VALUES } values`,
					reason: 'too_large',
				};
			}
			for ( const item of value ) {
				stack.push( { value: item, depth: depth + 1 } );
			}
			continue;
		}
		for ( const key of Object.keys( value ) ) {
			if ( FORBIDDEN_KEYS.has( key ) ) {
				return {
					code: 'invalid_payload',
					message: `payload: the key "${ key }" is not accepted`,
					reason: 'forbidden_key',
				};
			}
			stack.push( {
				value: ( value as Record< string, unknown > )[ key ],
				depth: depth + 1,
			} );
		}
	}
	return null;
}

/** Wraps an acknowledgement callback, e.g. to time it. */
export type AckObserver = (
	event: string,
	ack: ( response: Ack< unknown > ) => void
) => ( response: Ack< unknown > ) => void;

export interface PacketGuardOptions {
	logger: Logger;
	/**
	 * Decides whether a well-formed event of a socket may run now (rate
	 * limits, quotas). Resolves null to let it through.
	 */
	admit?: (
		socket: Socket,
		event: string,
		args: unknown[]
	) => Promise< Refusal | null >;
	/** Replaces each admitted event's acknowledgement, e.g. to measure latency. */
	observeAck?: AckObserver;
	/** Told about every refusal, e.g. to count them. */
	onRefused?: ( refusal: Refusal ) => void;
}

/**
 * Builds the guard of a namespace's sockets, once: what it keeps per socket
 * (the chain of pending admission checks) lives in a WeakMap, so a
 * connection costs one small middleware, not a set of closures.
 *
 * Known events are those with a listener when a packet arrives, so handlers
 * may be registered before or after the guard is installed.
 *
 * @param options Logger, admission check, acknowledgement observer.
 * @return Installs the guard on one connected socket.
 */
export function createPacketGuard(
	options: PacketGuardOptions
): ( socket: Socket ) => void {
	// Admission checks may wait (Redis, database); chaining them per socket
	// keeps each socket's events in the order they arrived.
	const queues = new WeakMap< Socket, Promise< void > >();

	const refuse = (
		socket: Socket,
		event: string,
		refusal: Refusal,
		ack: unknown,
		announce: boolean
	): void => {
		options.onRefused?.( refusal );
		options.logger.debug(
			{ event, reason: refusal.reason, socketId: socket.id },
			'event refused'
		);
		if ( typeof ack === 'function' ) {
			try {
				ack( {
					ok: false,
					error: { code: refusal.code, message: refusal.message },
				} );
			} catch {
				// A broken acknowledgement must not stop the guard.
			}
		}
		if ( announce || typeof ack !== 'function' ) {
			const payload: RequestRefused = {
				event,
				code: refusal.code,
				message: refusal.message,
			};
			socket.emit( 'request:refused', payload );
		}
	};

	const inspect = (
		socket: Socket,
		packet: unknown[],
		next: ( err?: Error ) => void
	): void => {
		const [ name, ...rest ] = packet;
		const event = typeof name === 'string' ? name : '';
		const ack = rest.length ? rest[ rest.length - 1 ] : undefined;
		const args = typeof ack === 'function' ? rest.slice( 0, -1 ) : rest;
		if ( event === '' || socket.listeners( event ).length === 0 ) {
			refuse(
				socket,
				event,
				{
					code: 'invalid_payload',
					message: `event: "${ event.slice(
						0,
						64
					) }" is not an event of this namespace`,
					reason: 'unknown_event',
				},
				ack,
				true
			);
			return;
		}
		const malformed = inspectPayload( args );
		if ( malformed ) {
			refuse( socket, event, malformed, ack, true );
			return;
		}
		if ( options.observeAck && typeof ack === 'function' ) {
			packet[ packet.length - 1 ] = options.observeAck(
				event,
				ack as ( response: Ack< unknown > ) => void
			);
		}
		if ( ! options.admit ) {
			next();
			return;
		}
		const admit = options.admit;
		const queue = ( queues.get( socket ) ?? Promise.resolve() ).then(
			async () => {
				let refusal: Refusal | null;
				try {
					refusal = await admit( socket, event, args );
				} catch ( error ) {
					options.logger.error(
						{ err: error, event },
						'admission check failed'
					);
					refusal = null;
				}
				if ( refusal ) {
					refuse(
						socket,
						event,
						refusal,
						packet[ packet.length - 1 ],
						false
					);
					return;
				}
				next();
			}
		);
		queues.set( socket, queue );
	};

	// socket.io emits 'error' on the socket when a middleware refuses or a
	// client sends an event named 'error'; without a listener Node would throw.
	function logSocketError( this: Socket, error: unknown ): void {
		options.logger.debug(
			{ err: error, socketId: this.id },
			'socket error'
		);
	}

	return ( socket ) => {
		socket.use( ( packet, next ) => inspect( socket, packet, next ) );
		socket.on( 'error', logSocketError );
	};
}
