/**
 * The in-memory socket.io adapter of a single node, with connection-state
 * recovery that keeps only what someone can recover.
 *
 * socket.io's own `SessionAwareAdapter` keeps every broadcast event packet
 * for the whole recovery window, whether or not any socket could ever get it
 * back, and finds a reconnecting client's offset by scanning all of them. A
 * chat broadcasts three packets per message, most of them to rooms nobody is
 * in (a visitor's other tabs, agent rooms without agents), so that buffer
 * grows with the traffic and every reconnect scans it.
 *
 * This adapter stores a packet only when a connected socket receives it or a
 * disconnected, unexpired session is in its rooms, and finds offsets through
 * a map. What clients see is unchanged: the offset is the last argument of
 * stored event packets, a recovered socket gets its rooms and the packets it
 * missed in order, and sessions and packets expire with the window.
 */
import {
	Adapter,
	type BroadcastOptions,
	type PrivateSessionId,
	type Room,
	type Session,
} from 'socket.io-adapter';

/** What socket.io hands `persistSession`: a session without missed packets. */
type PersistedSession = Parameters< Adapter[ 'persistSession' ] >[ 0 ];

interface StoredSession extends PersistedSession {
	/** When the connection dropped (epoch ms). */
	disconnectedAt: number;
}

interface StoredPacket {
	/** The offset the client presents to resume after this packet. */
	id: string;
	opts: BroadcastOptions;
	/** The event's name and arguments, the offset last. */
	data: unknown[];
	/** When it was broadcast (epoch ms). */
	emittedAt: number;
}

/** The event packet type of the socket.io protocol. */
const EVENT_PACKET = 2;

/** How often expired sessions and packets are dropped, at most (as socket.io does). */
const MAX_SWEEP_INTERVAL_MS = 60_000;

/** A floor for the sweep's interval under very short windows. */
const MIN_SWEEP_INTERVAL_MS = 100;

/**
 * How many sessions of a room are looked at for one not excluded by the
 * broadcast's `except` before the packet is kept anyway: storing a packet
 * nobody gets back only costs memory, missing one loses it.
 */
const MAX_EXCLUDED_SESSIONS_SCANNED = 16;

/**
 * The typings promise a session, but socket.io awaits the result and treats
 * null as "not recovered", as the base adapter returns.
 */
const NOT_RECOVERED = null as unknown as Promise< Session >;

/**
 * Whether a session in `sessionRooms` gets a packet broadcast with `opts`:
 * socket.io's rule for replaying missed packets.
 *
 * @param sessionRooms The rooms of the disconnected socket, its id included.
 * @param opts         The broadcast's rooms and exceptions.
 */
function sessionReceives(
	sessionRooms: readonly Room[],
	opts: BroadcastOptions
): boolean {
	const included =
		opts.rooms.size === 0 ||
		sessionRooms.some( ( room ) => opts.rooms.has( room ) );
	return (
		included &&
		! sessionRooms.some( ( room ) => opts.except?.has( room ) === true )
	);
}

/**
 * socket.io's `SessionAwareAdapter` for one node, storing only recoverable
 * packets. Pass the class as the server's `adapter` option; the server must
 * have `connectionStateRecovery` set. It extends the plain in-memory
 * `Adapter`: everything `SessionAwareAdapter` adds (its session and packet
 * stores, its sweep timer) is replaced here, so none of it is created.
 */
export class RecoveryAdapter extends Adapter {
	private readonly recoveryWindowMs: number;

	private readonly persisted = new Map< PrivateSessionId, StoredSession >();

	/** Room → the persisted sessions in it: which rooms someone may recover. */
	private readonly persistedByRoom = new Map<
		Room,
		Set< PrivateSessionId >
	>();

	/** Stored packets, oldest first; `recoverable[ i ]` has sequence number `firstSequence + i`. */
	private recoverable: StoredPacket[] = [];

	/** Offset → sequence number of the stored packet. */
	private readonly sequenceByOffset = new Map< string, number >();

	private firstSequence = 0;

	private offsetCounter = 0;

	/** Sets this adapter's offsets apart from any other string a client may receive last. */
	private readonly offsetPrefix = `r${ Math.random()
		.toString( 36 )
		.slice( 2, 8 ) }.`;

	private readonly sweepTimer: NodeJS.Timeout;

	/**
	 * @param nsp The namespace (socket.io creates one adapter per namespace).
	 */
	constructor( nsp: any ) {
		super( nsp );
		this.recoveryWindowMs =
			nsp.server.opts.connectionStateRecovery.maxDisconnectionDuration;
		this.sweepTimer = setInterval(
			() => this.sweep( Date.now() ),
			Math.max(
				MIN_SWEEP_INTERVAL_MS,
				Math.min( MAX_SWEEP_INTERVAL_MS, this.recoveryWindowMs )
			)
		);
		// Never keeps the process alive.
		this.sweepTimer.unref();
	}

	/** How many broadcast packets are held for recovery now. */
	get storedPacketCount(): number {
		return this.recoverable.length;
	}

	/** How many disconnected sessions are held for recovery now. */
	get persistedSessionCount(): number {
		return this.persisted.size;
	}

	/**
	 * How many held sessions are in a room.
	 *
	 * @param room The room.
	 */
	persistedSessionsIn( room: Room ): number {
		return this.persistedByRoom.get( room )?.size ?? 0;
	}

	override close(): void {
		clearInterval( this.sweepTimer );
		for ( const pid of [ ...this.persisted.keys() ] ) {
			this.forgetSession( pid );
		}
		this.recoverable = [];
		this.sequenceByOffset.clear();
	}

	override persistSession( session: PersistedSession ): void {
		// The same private id comes back after a recovered socket drops again.
		this.forgetSession( session.pid );
		this.persisted.set( session.pid, {
			...session,
			disconnectedAt: Date.now(),
		} );
		for ( const room of session.rooms ) {
			let pids = this.persistedByRoom.get( room );
			if ( ! pids ) {
				pids = new Set();
				this.persistedByRoom.set( room, pids );
			}
			pids.add( session.pid );
		}
	}

	override restoreSession(
		pid: PrivateSessionId,
		offset: string
	): Promise< Session > {
		const session = this.persisted.get( pid );
		if ( ! session ) {
			return NOT_RECOVERED;
		}
		if ( session.disconnectedAt + this.recoveryWindowMs < Date.now() ) {
			this.forgetSession( pid );
			return NOT_RECOVERED;
		}
		const sequence = this.sequenceByOffset.get( offset );
		if ( sequence === undefined ) {
			// Too old, or not an offset of ours.
			return NOT_RECOVERED;
		}
		// Like socket.io's adapter, the session stays until it expires or is
		// persisted again: a reconnection its middlewares refuse may be retried.
		const missedPackets: unknown[][] = [];
		for (
			let index = sequence - this.firstSequence + 1;
			index < this.recoverable.length;
			index++
		) {
			const packet = this.recoverable[ index ];
			if ( sessionReceives( session.rooms, packet.opts ) ) {
				missedPackets.push( packet.data );
			}
		}
		const { sid, rooms, data } = session;
		return Promise.resolve( { sid, pid, rooms, data, missedPackets } );
	}

	override broadcast( packet: any, opts: BroadcastOptions ): void {
		const delivered = this.hasConnectedRecipient( opts );
		// Packets with an acknowledgement are never stored (the callback
		// cannot be restored), nor volatile ones, as in socket.io's adapter.
		if (
			packet.type === EVENT_PACKET &&
			packet.id === undefined &&
			opts.flags?.volatile === undefined &&
			( delivered || this.hasPersistedRecipient( opts ) )
		) {
			const id =
				this.offsetPrefix + ( this.offsetCounter++ ).toString( 36 );
			// The client takes the last argument as the offset to resume from.
			packet.data.push( id );
			this.sequenceByOffset.set(
				id,
				this.firstSequence + this.recoverable.length
			);
			this.recoverable.push( {
				id,
				opts,
				data: packet.data,
				emittedAt: Date.now(),
			} );
		}
		// Delivery itself, the base adapter stores nothing; with nobody to
		// deliver to, not even the encoding (most visitors have one tab, and
		// agent rooms are often empty).
		if ( delivered ) {
			super.broadcast( packet, opts );
		}
	}

	/**
	 * The rule of the base adapter's delivery (`apply`), stopping at the
	 * first socket. A socket in a room is connected, or recovered and still
	 * being admitted by the middlewares (its deliveries wait for it, see
	 * limits/recovery-guard.ts): both are recipients.
	 *
	 * @param opts The broadcast's rooms and exceptions.
	 */
	private hasConnectedRecipient( opts: BroadcastOptions ): boolean {
		const receives = ( sid: string ): boolean =>
			! this.isExcepted( sid, opts );
		if ( opts.rooms.size === 0 ) {
			for ( const sid of this.sids.keys() ) {
				if ( receives( sid ) ) {
					return true;
				}
			}
			return false;
		}
		for ( const room of opts.rooms ) {
			for ( const sid of this.rooms.get( room ) ?? [] ) {
				if ( receives( sid ) ) {
					return true;
				}
			}
		}
		return false;
	}

	private isExcepted( sid: string, opts: BroadcastOptions ): boolean {
		if ( ! opts.except ) {
			return false;
		}
		for ( const room of opts.except ) {
			if ( this.rooms.get( room )?.has( sid ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether a held session would get the packet on recovery, looking only
	 * at the broadcast's rooms in the index.
	 *
	 * @param opts The broadcast's rooms and exceptions.
	 */
	private hasPersistedRecipient( opts: BroadcastOptions ): boolean {
		if ( opts.rooms.size === 0 ) {
			return this.anyNotExcepted( this.persisted.keys(), opts );
		}
		for ( const room of opts.rooms ) {
			const pids = this.persistedByRoom.get( room );
			if ( pids && this.anyNotExcepted( pids.values(), opts ) ) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Whether one of these sessions is in none of the excepted rooms; after
	 * a few excluded ones, assumes so.
	 *
	 * @param pids The sessions, all in one of the broadcast's rooms.
	 * @param opts The broadcast's rooms and exceptions.
	 */
	private anyNotExcepted(
		pids: Iterator< PrivateSessionId >,
		opts: BroadcastOptions
	): boolean {
		if ( ! opts.except || opts.except.size === 0 ) {
			return ! pids.next().done;
		}
		for ( let scanned = 0; ; scanned++ ) {
			const next = pids.next();
			if ( next.done ) {
				return false;
			}
			if ( scanned === MAX_EXCLUDED_SESSIONS_SCANNED ) {
				return true;
			}
			const session = this.persisted.get( next.value );
			if ( session && sessionReceives( session.rooms, opts ) ) {
				return true;
			}
		}
	}

	private forgetSession( pid: PrivateSessionId ): void {
		const session = this.persisted.get( pid );
		if ( ! session ) {
			return;
		}
		this.persisted.delete( pid );
		for ( const room of session.rooms ) {
			const pids = this.persistedByRoom.get( room );
			pids?.delete( pid );
			if ( pids?.size === 0 ) {
				this.persistedByRoom.delete( room );
			}
		}
	}

	/**
	 * Drops the sessions and packets older than the window.
	 *
	 * @param now The time (epoch ms).
	 */
	private sweep( now: number ): void {
		const threshold = now - this.recoveryWindowMs;
		for ( const [ pid, session ] of this.persisted ) {
			if ( session.disconnectedAt < threshold ) {
				this.forgetSession( pid );
			}
		}
		let expired = 0;
		while (
			expired < this.recoverable.length &&
			this.recoverable[ expired ].emittedAt < threshold
		) {
			this.sequenceByOffset.delete( this.recoverable[ expired ].id );
			expired++;
		}
		if ( expired > 0 ) {
			this.recoverable = this.recoverable.slice( expired );
			this.firstSequence += expired;
		}
	}
}
