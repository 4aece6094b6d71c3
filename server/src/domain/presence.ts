/**
 * Agents' presence on every node. Each node counts its own agent sockets
 * and tells the other nodes through socket.io server-side events (over the
 * Redis streams adapter's pub/sub); every node merges what all nodes said,
 * so an agent with tabs on two nodes, or on another node only, is seen the
 * same everywhere. A node alone (the in-memory adapter) has nobody to tell.
 *
 * Away or available is the agent's one choice, whichever tab made it: the
 * newest choice wins on every node. Nodes repeat their agents every
 * `PRESENCE_HEARTBEAT_MS`; what a node said is forgotten `PRESENCE_EXPIRY_MS`
 * after it last spoke, so the agents of a node that died go offline on the
 * others.
 */
import { type AgentPresenceStatus } from '@chatflows/protocol';

/** The server-side event nodes exchange presence with. */
export const PRESENCE_EVENT = 'chatflows:presence';

/** How often a node with agents repeats them to the others. */
export const PRESENCE_HEARTBEAT_MS = 5000;

/** How long what a silent node said is kept. */
export const PRESENCE_EXPIRY_MS = 4 * PRESENCE_HEARTBEAT_MS;

/** An agent's state as one node knows it, or as every node together does. */
export type PresenceStatus = AgentPresenceStatus | 'offline';

/** An agent's choice of away or available, stamped so the newest wins on every node. */
interface AwayChoice {
	away: boolean;
	/** When it was made, milliseconds since the epoch. */
	at: number;
}

/** What nodes tell each other (plain JSON: it crosses Redis). */
export type PresenceMessage =
	| {
			type: 'snapshot';
			node: string;
			/** `[ userId, sockets, away, at ]` of each agent connected to the node. */
			agents: Array< [ string, number, boolean, number ] >;
	  }
	| { type: 'hello'; node: string }
	| { type: 'away'; node: string; userId: string; away: boolean; at: number }
	| { type: 'bye'; node: string };

/** A change of an agent's merged status. */
export interface PresenceChange {
	before: PresenceStatus;
	after: PresenceStatus;
}

interface RemoteNode {
	seenAt: number;
	/** Sockets per agent. */
	agents: Map< string, number >;
}

/**
 * What carries presence between nodes: the agent namespace, whose adapter
 * passes server-side events and whose sockets keep each agent's choice.
 */
export interface PresenceTransport {
	/** The adapter; its `uid` names this node when it is one of many. */
	readonly adapter: object;
	on: (
		event: typeof PRESENCE_EVENT,
		listener: ( message: PresenceMessage ) => void
	) => unknown;
	serverSideEmit: (
		event: typeof PRESENCE_EVENT,
		message: PresenceMessage
	) => unknown;
	/** This node's agent sockets. */
	readonly sockets: ReadonlyMap<
		string,
		{ data: { userId: string; away?: boolean } }
	>;
}

/**
 * The adapter's id of this node when it is one of many, else null.
 *
 * @param agents The agent namespace.
 */
export function clusterNodeId(
	agents: Pick< PresenceTransport, 'adapter' >
): string | null {
	const { uid } = agents.adapter as { uid?: unknown };
	return typeof uid === 'string' ? uid : null;
}

export class PresenceRegistry {
	/** This node's sockets per agent. */
	private readonly local = new Map< string, number >();

	private readonly remote = new Map< string, RemoteNode >();

	/** Each connected agent's newest choice. */
	private readonly choices = new Map< string, AwayChoice >();

	private readonly node: string | null;

	private heartbeat: NodeJS.Timeout | null = null;

	/**
	 * @param agents         Carries the messages (the agent namespace).
	 * @param onRemoteChange Called with the agents whose merged status changed
	 *                       because of another node: `announced` when that node
	 *                       told its change (and announced it to agents), false
	 *                       when it left or went silent and is forgotten.
	 * @param now            Milliseconds since the epoch.
	 */
	constructor(
		private readonly agents: PresenceTransport,
		private readonly onRemoteChange: (
			changes: Map< string, PresenceChange >,
			announced: boolean
		) => void,
		private readonly now: () => number = Date.now
	) {
		this.node = clusterNodeId( agents );
	}

	/** Listens to the other nodes, asks them for their agents and starts the heartbeat. */
	start(): void {
		if ( this.node === null || this.heartbeat ) {
			return;
		}
		this.agents.on( PRESENCE_EVENT, ( message: PresenceMessage ) =>
			this.receive( message )
		);
		this.send( { type: 'hello', node: this.node } );
		this.heartbeat = setInterval( () => {
			if ( this.local.size > 0 ) {
				this.sendSnapshot();
			}
			this.forgetSilentNodes();
		}, PRESENCE_HEARTBEAT_MS );
		this.heartbeat.unref();
	}

	/** Stops the heartbeat and tells the other nodes this one's agents are gone. */
	stop(): void {
		if ( this.heartbeat ) {
			clearInterval( this.heartbeat );
			this.heartbeat = null;
		}
		if ( this.node !== null ) {
			this.send( { type: 'bye', node: this.node } );
		}
	}

	/**
	 * An agent's status over every node: offline when no node has a socket
	 * of theirs, else their newest choice.
	 *
	 * @param userId The agent.
	 * @return The status.
	 */
	statusOf( userId: string ): PresenceStatus {
		let sockets = this.local.get( userId ) ?? 0;
		for ( const node of this.remote.values() ) {
			sockets += node.agents.get( userId ) ?? 0;
		}
		if ( sockets === 0 ) {
			return 'offline';
		}
		return this.choices.get( userId )?.away ? 'away' : 'available';
	}

	/** @return Every agent connected to any node, with their merged status. */
	statuses(): Map< string, AgentPresenceStatus > {
		const users = new Set( this.local.keys() );
		for ( const node of this.remote.values() ) {
			node.agents.forEach( ( _sockets, userId ) => users.add( userId ) );
		}
		const result = new Map< string, AgentPresenceStatus >();
		for ( const userId of users ) {
			const status = this.statusOf( userId );
			if ( status !== 'offline' ) {
				result.set( userId, status );
			}
		}
		return result;
	}

	/**
	 * Counts one of this node's sockets in.
	 *
	 * @param userId The agent.
	 * @param away   Whether it starts away, when no other socket of theirs
	 *               is connected anywhere (else it follows their choice).
	 * @return The agent's merged status before and after.
	 */
	connected( userId: string, away: boolean ): PresenceChange {
		const before = this.statusOf( userId );
		if ( before === 'offline' ) {
			this.choose( userId, { away, at: this.now() } );
		}
		const sockets = this.local.get( userId ) ?? 0;
		this.local.set( userId, sockets + 1 );
		if ( sockets === 0 ) {
			this.sendSnapshot();
		}
		return { before, after: this.statusOf( userId ) };
	}

	/**
	 * Counts one of this node's sockets out.
	 *
	 * @param userId The agent.
	 * @return The agent's merged status before and after; null when this
	 *         node had no socket of theirs.
	 */
	disconnected( userId: string ): PresenceChange | null {
		const sockets = this.local.get( userId );
		if ( sockets === undefined ) {
			return null;
		}
		const before = this.statusOf( userId );
		if ( sockets > 1 ) {
			this.local.set( userId, sockets - 1 );
		} else {
			this.local.delete( userId );
			this.sendSnapshot();
		}
		const after = this.statusOf( userId );
		if ( after === 'offline' ) {
			this.choices.delete( userId );
		}
		return { before, after };
	}

	/**
	 * Sets an agent away or back, on every node: this node at once, the
	 * others when the message arrives.
	 *
	 * @param userId The agent.
	 * @param away   Away or available.
	 * @return The agent's merged status before and after.
	 */
	setAway( userId: string, away: boolean ): PresenceChange {
		const before = this.statusOf( userId );
		// Never older than the choice it replaces, whatever the clocks say.
		const at = Math.max(
			this.now(),
			( this.choices.get( userId )?.at ?? 0 ) + 1
		);
		this.choose( userId, { away, at } );
		if ( this.node !== null ) {
			this.send( { type: 'away', node: this.node, userId, away, at } );
		}
		return { before, after: this.statusOf( userId ) };
	}

	/**
	 * Keeps a choice unless a newer one is known.
	 *
	 * @param userId The agent.
	 * @param choice The choice.
	 */
	private choose( userId: string, choice: AwayChoice ): void {
		const current = this.choices.get( userId );
		if ( current && current.at > choice.at ) {
			return;
		}
		this.choices.set( userId, choice );
		// The sockets keep it too, for the agent's handlers.
		for ( const socket of this.agents.sockets.values() ) {
			if ( socket.data.userId === userId ) {
				socket.data.away = choice.away;
			}
		}
	}

	private statusesOf(
		userIds: Iterable< string >
	): Map< string, PresenceStatus > {
		const statuses = new Map< string, PresenceStatus >();
		for ( const userId of userIds ) {
			statuses.set( userId, this.statusOf( userId ) );
		}
		return statuses;
	}

	private receive( message: PresenceMessage ): void {
		if ( ! message || message.node === this.node ) {
			return;
		}
		let previous: Map< string, PresenceStatus >;
		switch ( message.type ) {
			case 'hello':
				if ( this.local.size > 0 ) {
					this.sendSnapshot();
				}
				return;
			case 'snapshot': {
				const touched = new Set(
					this.remote.get( message.node )?.agents.keys() ?? []
				);
				message.agents.forEach( ( [ userId ] ) =>
					touched.add( userId )
				);
				previous = this.statusesOf( touched );
				const agents = new Map< string, number >();
				for ( const [ userId, sockets, away, at ] of message.agents ) {
					agents.set( userId, sockets );
					this.choose( userId, { away, at } );
				}
				this.remote.set( message.node, {
					seenAt: this.now(),
					agents,
				} );
				break;
			}
			case 'away':
				previous = this.statusesOf( [ message.userId ] );
				this.choose( message.userId, {
					away: message.away,
					at: message.at,
				} );
				this.markSeen( message.node );
				break;
			case 'bye': {
				const known = this.remote.get( message.node );
				if ( ! known ) {
					return;
				}
				previous = this.statusesOf( known.agents.keys() );
				this.remote.delete( message.node );
				break;
			}
			default:
				return;
		}
		this.forgetOffline( previous.keys() );
		this.reportChanges( previous, message.type !== 'bye' );
	}

	private markSeen( node: string ): void {
		const known = this.remote.get( node );
		if ( known ) {
			known.seenAt = this.now();
		}
	}

	private forgetSilentNodes(): void {
		const limit = this.now() - PRESENCE_EXPIRY_MS;
		const silent = [ ...this.remote ].filter(
			( [ , known ] ) => known.seenAt < limit
		);
		const userIds = new Set< string >();
		for ( const [ , known ] of silent ) {
			known.agents.forEach( ( _sockets, userId ) =>
				userIds.add( userId )
			);
		}
		const previous = this.statusesOf( userIds );
		for ( const [ node ] of silent ) {
			this.remote.delete( node );
		}
		this.forgetOffline( userIds );
		this.reportChanges( previous, false );
	}

	/**
	 * Drops the choice of agents connected nowhere: their next first socket
	 * brings its own.
	 *
	 * @param userIds Agents to look at.
	 */
	private forgetOffline( userIds: Iterable< string > ): void {
		for ( const userId of userIds ) {
			if ( this.statusOf( userId ) === 'offline' ) {
				this.choices.delete( userId );
			}
		}
	}

	private reportChanges(
		previous: Map< string, PresenceStatus >,
		announced: boolean
	): void {
		const changes = new Map< string, PresenceChange >();
		for ( const [ userId, before ] of previous ) {
			const after = this.statusOf( userId );
			if ( after !== before ) {
				changes.set( userId, { before, after } );
			}
		}
		if ( changes.size > 0 ) {
			this.onRemoteChange( changes, announced );
		}
	}

	private sendSnapshot(): void {
		if ( this.node === null ) {
			return;
		}
		this.send( {
			type: 'snapshot',
			node: this.node,
			agents: [ ...this.local ].map( ( [ userId, sockets ] ) => {
				const choice = this.choices.get( userId );
				return [
					userId,
					sockets,
					choice?.away ?? false,
					choice?.at ?? 0,
				];
			} ),
		} );
	}

	private send( message: PresenceMessage ): void {
		if ( this.node === null ) {
			return;
		}
		// A lost message is repaired by the next heartbeat's snapshot.
		try {
			this.agents.serverSideEmit( PRESENCE_EVENT, message );
		} catch {
			// The adapter logs its own connection errors.
		}
	}
}
