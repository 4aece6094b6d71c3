/**
 * Agents' presence on every node. Each node counts its own agent sockets
 * and tells the other nodes through socket.io server-side events (over the
 * Redis streams adapter's pub/sub); every node merges what all nodes said,
 * so an agent with tabs on two nodes, or on another node only, is seen the
 * same everywhere. A node alone (the in-memory adapter) has nobody to tell.
 *
 * Nodes repeat their agents every `PRESENCE_HEARTBEAT_MS`; what a node said
 * is forgotten `PRESENCE_EXPIRY_MS` after it last spoke, so the agents of a
 * node that died go offline on the others.
 */
import type { AgentPresenceStatus } from '../contract/events';
import type { AgentNamespace } from '../types';

/** The server-side event nodes exchange presence with. */
export const PRESENCE_EVENT = 'chatflows:presence';

/** How often a node with agents repeats them to the others. */
export const PRESENCE_HEARTBEAT_MS = 5000;

/** How long what a silent node said is kept. */
export const PRESENCE_EXPIRY_MS = 4 * PRESENCE_HEARTBEAT_MS;

/** An agent's state as one node knows it, or as every node together does. */
export type PresenceStatus = AgentPresenceStatus | 'offline';

/** One agent's sockets on one node. */
interface NodePresence {
	sockets: number;
	/** Set away: the agent's choice, the same on every node. */
	away: boolean;
}

/** What nodes tell each other (plain JSON: it crosses Redis). */
export type PresenceMessage =
	| {
			type: 'snapshot';
			node: string;
			/** `[ userId, sockets, away ]` of each agent connected to the node. */
			agents: Array< [ string, number, boolean ] >;
	  }
	| { type: 'hello'; node: string }
	| { type: 'away'; node: string; userId: string; away: boolean }
	| { type: 'bye'; node: string };

/** A change of an agent's merged status. */
export interface PresenceChange {
	before: PresenceStatus;
	after: PresenceStatus;
}

interface RemoteNode {
	seenAt: number;
	agents: Map< string, NodePresence >;
}

/**
 * The adapter's id of this node when it is one of many, else null.
 * @param agents
 */
function clusterNodeId( agents: AgentNamespace ): string | null {
	const { uid } = agents.adapter as unknown as { uid?: unknown };
	return typeof uid === 'string' ? uid : null;
}

export class PresenceRegistry {
	private readonly local = new Map< string, NodePresence >();

	private readonly remote = new Map< string, RemoteNode >();

	private readonly node: string | null;

	private heartbeat: NodeJS.Timeout | null = null;

	/**
	 * @param agents         The agent namespace (its adapter carries the messages).
	 * @param onRemoteChange Called with the agents whose merged status changed
	 *                       because of another node: `announced` when that node
	 *                       told its change (and announced it to agents), false
	 *                       when it left or went silent and is forgotten.
	 * @param now            Milliseconds since the epoch.
	 */
	constructor(
		private readonly agents: AgentNamespace,
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
	 * An agent's status over every node: available when any node has a
	 * socket of theirs not set away, away when every socket is, offline
	 * when none is connected.
	 *
	 * @param userId The agent.
	 * @return The status.
	 */
	statusOf( userId: string ): PresenceStatus {
		let sockets = 0;
		let available = false;
		for ( const entry of this.entriesOf( userId ) ) {
			sockets += entry.sockets;
			available = available || ! entry.away;
		}
		if ( sockets === 0 ) {
			return 'offline';
		}
		return available ? 'available' : 'away';
	}

	/** @return Every agent connected to any node, with their merged status. */
	statuses(): Map< string, AgentPresenceStatus > {
		const users = new Set( this.local.keys() );
		for ( const node of this.remote.values() ) {
			node.agents.forEach( ( _entry, userId ) => users.add( userId ) );
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
	 * @param away   Whether it starts away.
	 * @return The agent's merged status before and after.
	 */
	connected( userId: string, away: boolean ): PresenceChange {
		const before = this.statusOf( userId );
		const current = this.local.get( userId );
		this.local.set( userId, {
			sockets: ( current?.sockets ?? 0 ) + 1,
			away: current?.away ?? away,
		} );
		if ( ! current ) {
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
		const current = this.local.get( userId );
		if ( ! current ) {
			return null;
		}
		const before = this.statusOf( userId );
		if ( current.sockets > 1 ) {
			current.sockets--;
		} else {
			this.local.delete( userId );
			this.sendSnapshot();
		}
		return { before, after: this.statusOf( userId ) };
	}

	/**
	 * Sets an agent away or back, on every node: this node's sockets of
	 * theirs at once, the other nodes' when the message arrives.
	 *
	 * @param userId The agent.
	 * @param away   Away or available.
	 * @return The agent's merged status before and after.
	 */
	setAway( userId: string, away: boolean ): PresenceChange {
		const before = this.statusOf( userId );
		this.applyAway( userId, away );
		if ( this.node !== null ) {
			this.send( { type: 'away', node: this.node, userId, away } );
		}
		return { before, after: this.statusOf( userId ) };
	}

	private applyAway( userId: string, away: boolean ): void {
		for ( const entry of this.entriesOf( userId ) ) {
			entry.away = away;
		}
		// New tabs read it from here; the socket keeps it for its own reads.
		for ( const socket of this.agents.sockets.values() ) {
			if ( socket.data.userId === userId ) {
				socket.data.away = away;
			}
		}
	}

	private *entriesOf( userId: string ): Iterable< NodePresence > {
		const mine = this.local.get( userId );
		if ( mine ) {
			yield mine;
		}
		for ( const node of this.remote.values() ) {
			const entry = node.agents.get( userId );
			if ( entry ) {
				yield entry;
			}
		}
	}

	private receive( message: PresenceMessage ): void {
		if ( ! message || message.node === this.node ) {
			return;
		}
		const touched = new Set< string >();
		const before = ( userIds: Iterable< string > ) => {
			const statuses = new Map< string, PresenceStatus >();
			for ( const userId of userIds ) {
				statuses.set( userId, this.statusOf( userId ) );
			}
			return statuses;
		};
		let previous: Map< string, PresenceStatus >;
		switch ( message.type ) {
			case 'hello':
				if ( this.local.size > 0 ) {
					this.sendSnapshot();
				}
				return;
			case 'snapshot': {
				const known = this.remote.get( message.node );
				const agents = new Map< string, NodePresence >();
				for ( const [ userId, sockets, away ] of message.agents ) {
					agents.set( userId, { sockets, away } );
					touched.add( userId );
				}
				known?.agents.forEach( ( _entry, userId ) =>
					touched.add( userId )
				);
				previous = before( touched );
				this.remote.set( message.node, {
					seenAt: this.now(),
					agents,
				} );
				break;
			}
			case 'away':
				touched.add( message.userId );
				previous = before( touched );
				this.applyAway( message.userId, message.away );
				this.markSeen( message.node );
				break;
			case 'bye': {
				const known = this.remote.get( message.node );
				if ( ! known ) {
					return;
				}
				known.agents.forEach( ( _entry, userId ) =>
					touched.add( userId )
				);
				previous = before( touched );
				this.remote.delete( message.node );
				break;
			}
			default:
				return;
		}
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
		const previous = new Map< string, PresenceStatus >();
		for ( const [ , known ] of silent ) {
			known.agents.forEach( ( _entry, userId ) =>
				previous.set( userId, this.statusOf( userId ) )
			);
		}
		for ( const [ node ] of silent ) {
			this.remote.delete( node );
		}
		this.reportChanges( previous, false );
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
			agents: [ ...this.local ].map( ( [ userId, entry ] ) => [
				userId,
				entry.sockets,
				entry.away,
			] ),
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
