/**
 * Presence and availability: which agents are connected (on any node) and
 * available, how loaded they are, and what that means for each chatflow's
 * visitors (available, away, offline, busy). Presence itself is shared
 * between nodes by `presence.ts`; this module turns it into loads and the
 * availability visitors see, and says when assignment should run again.
 */
import {
	type AgentPresenceStatus,
	type VisitorAvailability,
} from '@chatflows/protocol';
import type { ChatRepository } from '../repository/types';
import type { ConfigurationStore } from '../chatflow-sync/store';
import { evaluateAvailability, type AgentPool } from '../availability';
import type { DomainAnnouncer } from './announcer';
import {
	PresenceRegistry,
	type PresenceChange,
	type PresenceTransport,
} from './presence';
import { DEFAULT_CAPACITY, eligibleAgents, type AgentLoad } from './routing';

export interface AgentAvailabilityDeps {
	repository: ChatRepository;
	configuration: ConfigurationStore;
	announcer: DomainAnnouncer;
	/** Carries presence between nodes (the agent namespace). */
	presenceTransport: PresenceTransport;
	clock: () => Date;
	/**
	 * Asks for an assignment pass: a full one when presence changed here or
	 * a node left, else (another node announced its change and assigns
	 * itself) only one that refreshes this node's visitors.
	 */
	onPresenceChange: ( fullPass: boolean ) => void;
}

export class AgentAvailability {
	/** Agents connected to any node. */
	private readonly presence: PresenceRegistry;

	/** The availability last sent to each chatflow's visitors (published chatflows only). */
	private readonly sentAvailability = new Map< string, string >();

	/** Agents' load as of the last pass, so connecting visitors cost no query. */
	private cachedLoads: AgentLoad[] | null = null;

	/**
	 * The read of the loads under way for connecting visitors while none are
	 * cached: the visitors of a herd (a node died, and its death asked for a
	 * pass) share one read instead of one each.
	 */
	private sharedLoads: Promise< AgentLoad[] > | null = null;

	constructor( private readonly deps: AgentAvailabilityDeps ) {
		this.presence = new PresenceRegistry(
			deps.presenceTransport,
			( changes, announced ) =>
				this.remotePresenceChanged( changes, announced )
		);
	}

	/** Listens to the other nodes' presence. */
	start(): void {
		this.presence.start();
	}

	/** Tells the other nodes this one's agents are gone. */
	stop(): void {
		this.presence.stop();
	}

	/**
	 * Counts an agent's socket in.
	 *
	 * @param userId The agent.
	 * @param away   Whether their first socket starts away (their last choice).
	 */
	agentConnected( userId: string, away = false ): void {
		this.presenceChanged( userId, this.presence.connected( userId, away ) );
	}

	/**
	 * Counts an agent's socket out.
	 *
	 * @param userId The agent.
	 */
	agentDisconnected( userId: string ): void {
		const change = this.presence.disconnected( userId );
		if ( change ) {
			this.presenceChanged( userId, change );
		}
	}

	/**
	 * Sets an agent away or available, on every node.
	 *
	 * @param userId The agent.
	 * @param status Their choice.
	 */
	setPresence( userId: string, status: AgentPresenceStatus ): void {
		if ( this.presence.statusOf( userId ) === 'offline' ) {
			return;
		}
		this.presenceChanged(
			userId,
			this.presence.setAway( userId, status === 'away' )
		);
	}

	/**
	 * An agent's status over every node.
	 *
	 * @param userId The agent.
	 */
	presenceOf( userId: string ): AgentPresenceStatus | 'offline' {
		return this.presence.statusOf( userId );
	}

	/**
	 * A change made on this node: every agent hears it once (the broadcast
	 * reaches every node), and assignment runs.
	 *
	 * @param userId The agent.
	 * @param change Their status before and after.
	 */
	private presenceChanged( userId: string, change: PresenceChange ): void {
		if ( change.before === change.after ) {
			return;
		}
		this.deps.announcer.agentPresence( userId, change.after, 'cluster' );
		this.deps.onPresenceChange( true );
	}

	/**
	 * A change seen from another node, which announced it to every agent
	 * and runs its own assignment pass; here only this node's visitors may
	 * need a new availability. A node that left or died announces nothing:
	 * then each node tells its own agents, and assigns.
	 *
	 * @param changes   The agents whose status changed, before and after.
	 * @param announced Whether the other node announced the changes.
	 */
	private remotePresenceChanged(
		changes: Map< string, PresenceChange >,
		announced: boolean
	): void {
		this.forgetLoads();
		if ( announced ) {
			this.deps.onPresenceChange( false );
			return;
		}
		for ( const [ userId, change ] of changes ) {
			this.deps.announcer.agentPresence( userId, change.after, 'node' );
		}
		this.deps.onPresenceChange( true );
	}

	/**
	 * Every connected agent's presence (on any node) and open conversations,
	 * counted by the database.
	 *
	 * @return One entry per connected agent.
	 */
	async loads(): Promise< AgentLoad[] > {
		const counts = new Map(
			( await this.deps.repository.countOpenByAssignee() ).map(
				( entry ) => [ entry.userId, entry.open ]
			)
		);
		const loads: AgentLoad[] = [];
		for ( const [ userId, status ] of this.presence.statuses() ) {
			loads.push( {
				userId,
				available: status === 'available',
				away: status === 'away',
				open: counts.get( userId ) ?? 0,
				capacity:
					this.deps.configuration.agent( userId )?.capacity ??
					DEFAULT_CAPACITY,
			} );
		}
		return loads;
	}

	/**
	 * Keeps the loads an assignment pass ended with, for visitors who
	 * connect before the next one.
	 *
	 * @param loads The loads.
	 */
	rememberLoads( loads: AgentLoad[] ): void {
		this.cachedLoads = loads;
	}

	/** Presence may have changed: until the next pass, loads are read afresh. */
	forgetLoads(): void {
		this.cachedLoads = null;
		// A read begun before the change may miss it: later visitors read anew.
		this.sharedLoads = null;
	}

	/**
	 * Availability of a chatflow for its visitors.
	 *
	 * @param chatflowId The chatflow.
	 * @param loads      Presence and load of the agents.
	 * @return What the widget needs.
	 */
	availabilityFor(
		chatflowId: string,
		loads: AgentLoad[]
	): VisitorAvailability {
		const { configuration } = this.deps;
		const chatflow = configuration.chatflow( chatflowId );
		const eligible = eligibleAgents(
			configuration.configuration,
			chatflow,
			null
		);
		const pool: AgentPool = { available: 0, withRoom: 0, away: 0 };
		for ( const load of loads ) {
			if ( eligible !== null && ! eligible.has( load.userId ) ) {
				continue;
			}
			if ( load.available ) {
				pool.available++;
				if ( load.open < load.capacity ) {
					pool.withRoom++;
				}
			} else if ( load.away ) {
				pool.away++;
			}
		}
		const result = evaluateAvailability(
			chatflow ? chatflow.availability : { mode: 'always' },
			this.deps.clock(),
			pool
		);
		return {
			chatflowId,
			state: result.state,
			nextReturnAt: result.nextReturnAt,
			behaviour: chatflow ? chatflow.behaviour : null,
		};
	}

	/**
	 * The availability to send one visitor socket on connect.
	 *
	 * @param chatflowId The chatflow.
	 */
	async currentAvailability(
		chatflowId: string
	): Promise< VisitorAvailability > {
		let loads = this.cachedLoads;
		if ( ! loads ) {
			if ( ! this.sharedLoads ) {
				const read = this.loads().finally( () => {
					if ( this.sharedLoads === read ) {
						this.sharedLoads = null;
					}
				} );
				this.sharedLoads = read;
			}
			loads = await this.sharedLoads;
		}
		return this.availabilityFor( chatflowId, loads );
	}

	/**
	 * Sends each chatflow's visitors its availability when it changed.
	 *
	 * @param loads Presence and load of the agents.
	 */
	announceAvailability( loads: AgentLoad[] ): void {
		const { configuration, announcer } = this.deps;
		for ( const chatflowId of announcer.chatflowsWithVisitors() ) {
			// Visitors of a chatflow deleted since they connected hear nothing more.
			if ( ! configuration.chatflow( chatflowId ) ) {
				continue;
			}
			const availability = this.availabilityFor( chatflowId, loads );
			const key = JSON.stringify( availability );
			if ( this.sentAvailability.get( chatflowId ) !== key ) {
				this.sentAvailability.set( chatflowId, key );
				announcer.availability( chatflowId, availability );
			}
		}
		// Kept for the chatflows WordPress holds, never for ids visitors name.
		for ( const chatflowId of this.sentAvailability.keys() ) {
			if ( ! configuration.chatflow( chatflowId ) ) {
				this.sentAvailability.delete( chatflowId );
			}
		}
	}
}
