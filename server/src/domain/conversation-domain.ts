/**
 * The live side of conversations: agent presence, assignment and the queue,
 * availability per chatflow, idle close and notifications to WordPress.
 *
 * Everything that survives a restart is in the repository (assignments,
 * statuses, timestamps, pending notifications); presence is shared between
 * nodes (`presence.ts`) and rebuilt as agents reconnect. A periodic sweep
 * re-derives the rest from stored timestamps, so an idle conversation closes
 * even if the process restarted after its last message.
 *
 * Assignment is incremental: a full pass (agents' open counts as an SQL
 * aggregate, then the waiting conversations only, oldest first) runs when
 * something may free an agent or move the queue (presence, a close, a
 * claim, a transfer, the configuration, the sweep); a conversation that
 * opens while nobody who may take it has room only learns its own place,
 * counted by the database, as the queue's newest.
 */
import type { Logger } from 'pino';
import type {
	AgentPresenceStatus,
	ConversationSummary,
	QueuePosition,
	ServiceNotification,
	VisitorAvailability,
	VisitorConversationUpdate,
} from '@chatflows/protocol';
import type {
	ChatRepository,
	ConversationRecord,
	PendingNotification,
} from '../repository/types';
import type { ChatLimits } from '../limits/rate-limits';
import { PresenceRegistry, type PresenceChange } from './presence';
import { evaluateAvailability, type AgentPool } from '../availability';
import type { ConfigurationStore } from '../configuration/store';
import {
	backoffMs,
	WordPressAnswerError,
	type WordPressClient,
} from '../configuration/wordpress';
import { EmailBudget } from '../limits/email-budget';
import {
	conversationRooms,
	type ScopedConversation,
} from '../agent/inbox-scope';
import {
	AGENTS_ROOM,
	visitorRoom,
	type AgentNamespace,
	type VisitorNamespace,
} from '../types';
import {
	DEFAULT_CAPACITY,
	chooseTeam,
	eligibleAgents,
	estimateWaitSeconds,
	pickAgent,
	type AgentLoad,
} from './routing';

/** How often the sweep runs by default. */
export const SWEEP_INTERVAL_MS = 15_000;

/** Closed conversations retention deletes per transaction (a sweep deletes all that are due). */
export const RETENTION_BATCH = 100;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Most notifications delivered per sweep. */
const NOTIFICATION_BATCH = 20;

/** Most messages quoted in one notification (WordPress accepts 200). */
const MESSAGES_PER_NOTIFICATION = 200;

/** Most held notifications folded into one digest e-mail (more: another digest). */
const NOTIFICATIONS_PER_DIGEST = 1000;

/** Longest text of a visitor's message quoted in a digest. */
const DIGEST_EXCERPT_LENGTH = 300;

/** How long a notification WordPress fails to take (5xx, no answer) is retried. */
export const NOTIFICATION_RETRY_LIMIT_MS = 24 * 60 * 60 * 1000;

/**
 * What decides who may take a conversation (see `eligibleAgents`).
 *
 * @param conversation The conversation.
 * @return A key equal for conversations the same agents may take.
 */
function eligibilityGroup( conversation: ConversationRecord ): string {
	return JSON.stringify( [ conversation.chatflowId, conversation.teamId ] );
}

/**
 * Agents who could help with a kind of conversation: available and eligible.
 *
 * @param loads    Everyone's presence and load.
 * @param eligible Who may take it (null: anyone).
 * @return How many.
 */
function countHelpers( loads: AgentLoad[], eligible: Set< string > | null ) {
	return loads.filter(
		( load ) =>
			load.available &&
			( eligible === null || eligible.has( load.userId ) )
	).length;
}

/**
 * The room of the visitors on pages of one chatflow.
 *
 * @param chatflowId The chatflow.
 * @return The room name.
 */
export function chatflowRoom( chatflowId: string ): string {
	return `chatflow:${ chatflowId }`;
}

export interface ConversationDomainDeps {
	repository: ChatRepository;
	configuration: ConfigurationStore;
	visitors: VisitorNamespace;
	agents: AgentNamespace;
	logger: Logger;
	clock: () => Date;
	/** Calls back into WordPress; null when no WordPress URL is configured. */
	wordpress: WordPressClient | null;
	/** Caps the e-mails to each chatflow's team; none when omitted. */
	limits?: ChatLimits;
	/** E-mails to visitors' addresses; in memory when omitted. */
	emailBudget?: EmailBudget;
	sweepIntervalMs?: number;
}

export class ConversationDomain {
	/** Agents connected to any node. */
	private readonly presence: PresenceRegistry;

	/** The availability last sent to each chatflow's visitors (published chatflows only). */
	private readonly sentAvailability = new Map< string, string >();

	/** The place last announced to each waiting conversation's visitor. */
	private readonly sentQueue = new Map< string, QueuePosition >();

	/**
	 * Per chatflow, the highest place this node announced since its last
	 * full pass: a new conversation placed after it moves nobody announced.
	 */
	private readonly announcedTail = new Map< string, number >();

	/** The next pass must be a full one. */
	private fullPassRequested = false;

	/** Conversations opened since the last pass, for the next one to place. */
	private openings: ConversationRecord[] = [];

	/** Assignment runs one pass at a time, so two passes never hand out the same capacity. */
	private assigning: Promise< void > = Promise.resolve();

	/** A pass queued behind the running one; later requests join it. */
	private queuedPass: Promise< void > | null = null;

	/** Agents' load as of the last pass, so connecting visitors cost no query. */
	private cachedLoads: AgentLoad[] | null = null;

	private sweepTimer: NodeJS.Timeout | null = null;

	private sweeping: Promise< void > | null = null;

	private stopped = false;

	constructor( private readonly deps: ConversationDomainDeps ) {
		this.presence = new PresenceRegistry(
			deps.agents,
			( changes, announced ) =>
				this.remotePresenceChanged( changes, announced )
		);
		deps.configuration.onChange( () => {
			void this.rebalance();
		} );
	}

	/** Loads the stored configuration and starts the periodic sweep. */
	async start(): Promise< void > {
		this.presence.start();
		await this.deps.configuration.refresh();
		const interval = this.deps.sweepIntervalMs ?? SWEEP_INTERVAL_MS;
		this.sweepTimer = setInterval( () => void this.sweep(), interval );
		this.sweepTimer.unref();
	}

	/** Stops the sweep and waits for a running one. */
	async stop(): Promise< void > {
		this.stopped = true;
		this.presence.stop();
		if ( this.sweepTimer ) {
			clearInterval( this.sweepTimer );
		}
		await this.sweeping;
		await this.assigning;
		await this.delivering;
	}

	/** The configuration WordPress sent. */
	get configurationStore(): ConfigurationStore {
		return this.deps.configuration;
	}

	/** What may still be e-mailed to visitors' addresses this hour. */
	get emailBudget(): EmailBudget {
		this.visitorEmails ??= this.deps.emailBudget ?? EmailBudget.inMemory();
		return this.visitorEmails;
	}

	private visitorEmails: EmailBudget | undefined;

	/**
	 * The agent rooms of a conversation's live events (see `conversationRooms`).
	 *
	 * @param conversation The conversation's chatflow, team and assignee.
	 * @return The room names.
	 */
	agentRoomsOf( conversation: ScopedConversation ): string[] {
		const { configuration } = this.deps;
		return conversationRooms(
			conversation,
			configuration.known ? configuration.configuration : null
		);
	}

	/**
	 * The agents whose scope includes a conversation, in any of the states
	 * given: pass the state before and after a transfer so the agents it
	 * leaves hear that it left their lists.
	 *
	 * @param conversations The conversation's states.
	 */
	toAgentsSeeing( ...conversations: ScopedConversation[] ) {
		const rooms = new Set(
			conversations.flatMap( ( conversation ) =>
				this.agentRoomsOf( conversation )
			)
		);
		return this.deps.agents.to( [ ...rooms ] );
	}

	/**
	 * Every socket (tab) of one visitor.
	 *
	 * @param visitorId The visitor.
	 */
	toVisitor( visitorId: string ) {
		return this.deps.visitors.to( visitorRoom( visitorId ) );
	}

	/* ---------- presence ---------- */

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
		this.deps.agents.to( AGENTS_ROOM ).emit( 'agent:presence', {
			userId,
			status: change.after,
		} );
		void this.rebalance();
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
		this.cachedLoads = null;
		if ( announced ) {
			void this.schedulePass();
			return;
		}
		for ( const [ userId, change ] of changes ) {
			this.deps.agents.local
				.to( AGENTS_ROOM )
				.emit( 'agent:presence', { userId, status: change.after } );
		}
		void this.rebalance();
	}

	/* ---------- load and availability ---------- */

	/**
	 * Every connected agent's presence (on any node) and open conversations,
	 * counted by the database.
	 *
	 * @return One entry per connected agent.
	 */
	private async loads(): Promise< AgentLoad[] > {
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
	 * @param chatflowId
	 */
	async currentAvailability(
		chatflowId: string
	): Promise< VisitorAvailability > {
		const loads = this.cachedLoads ?? ( await this.loads() );
		return this.availabilityFor( chatflowId, loads );
	}

	/**
	 * Sends each chatflow's visitors its availability when it changed.
	 * @param loads
	 */
	private announceAvailability( loads: AgentLoad[] ): void {
		const { configuration } = this.deps;
		const rooms = this.deps.visitors.adapter.rooms;
		for ( const room of rooms.keys() ) {
			if ( ! room.startsWith( 'chatflow:' ) ) {
				continue;
			}
			const chatflowId = room.slice( 'chatflow:'.length );
			// Visitors of a chatflow deleted since they connected hear nothing more.
			if ( ! configuration.chatflow( chatflowId ) ) {
				continue;
			}
			const availability = this.availabilityFor( chatflowId, loads );
			const key = JSON.stringify( availability );
			if ( this.sentAvailability.get( chatflowId ) !== key ) {
				this.sentAvailability.set( chatflowId, key );
				this.deps.visitors
					.to( room )
					.emit( 'availability', availability );
			}
		}
		// Kept for the chatflows WordPress holds, never for ids visitors name.
		for ( const chatflowId of this.sentAvailability.keys() ) {
			if ( ! configuration.chatflow( chatflowId ) ) {
				this.sentAvailability.delete( chatflowId );
			}
		}
	}

	/* ---------- assignment and queue ---------- */

	/**
	 * Routes a newly opened (or reopened) conversation: the first matching
	 * skill rule chooses the team, then it is assigned or waits in the queue.
	 *
	 * @param conversation The conversation.
	 * @param language     The visitor's browser language.
	 */
	async conversationOpened(
		conversation: ConversationRecord,
		language: string
	): Promise< void > {
		const teamId = chooseTeam(
			this.deps.configuration.chatflow( conversation.chatflowId ),
			{ pageUrl: conversation.pageUrl, language }
		);
		let routed = conversation;
		if ( teamId !== null ) {
			const result = await this.deps.repository.assignConversation( {
				conversationId: conversation.id,
				assigneeId: null,
				teamId,
				expectedAssigneeId: null,
			} );
			if ( result ) {
				routed = result.conversation;
			}
			// The team may work outside the chatflow's inbox: it hears now.
			if ( result?.changed ) {
				await this.announceConversation( conversation.id );
			}
		}
		this.openings.push( routed );
		await this.schedulePass();
	}

	/**
	 * Hands waiting conversations, oldest first, to free agents, then tells
	 * waiting visitors their place and everyone the availability: a full
	 * pass. Passes run one at a time.
	 *
	 * @return Resolves when this pass is done.
	 */
	rebalance(): Promise< void > {
		// Presence may have changed: until the pass is done, read it afresh.
		this.cachedLoads = null;
		this.fullPassRequested = true;
		return this.schedulePass();
	}

	/**
	 * Queues the next pass behind the running one; later requests join it.
	 * It is a full pass when one was requested, else it places the
	 * conversations opened since the last pass, else it only refreshes the
	 * availability.
	 *
	 * @return Resolves when the queued pass is done.
	 */
	private schedulePass(): Promise< void > {
		if ( this.queuedPass ) {
			return this.queuedPass;
		}
		const pass = this.assigning
			.then( () => {
				this.queuedPass = null;
				if ( this.fullPassRequested ) {
					// It places the openings too: they are stored already.
					this.fullPassRequested = false;
					this.openings = [];
					return this.assignWaiting();
				}
				return this.placeOpenings( this.openings.splice( 0 ) );
			} )
			.catch( ( error: unknown ) => {
				this.deps.logger.error( { err: error }, 'assignment failed' );
			} );
		this.queuedPass = pass;
		this.assigning = pass;
		return pass;
	}

	/**
	 * The incremental pass: conversations that just opened, while nobody who
	 * may take them has room, join the end of their chatflow's queue and are
	 * told their place; nobody else's place moves. Anything else (someone
	 * could take one, or one lands before a place already announced, e.g. a
	 * reopened conversation) runs the full pass, so the results are those of
	 * a full pass.
	 *
	 * @param openings Conversations opened since the last pass, as routed.
	 */
	private async placeOpenings(
		openings: ConversationRecord[]
	): Promise< void > {
		if ( this.stopped ) {
			return;
		}
		const { configuration, repository } = this.deps;
		const loads = await this.loads();
		const helpersOf = new Map< string, number >();
		for ( const conversation of openings ) {
			const chatflow = configuration.chatflow( conversation.chatflowId );
			const eligible = eligibleAgents(
				configuration.configuration,
				chatflow,
				conversation.teamId
			);
			if (
				( ! chatflow || chatflow.assignment.enabled ) &&
				pickAgent( loads, eligible ) !== null
			) {
				return this.assignWaiting();
			}
			const found = await repository.findQueuePlace( conversation.id );
			if ( found === null ) {
				// Taken, or closed, meanwhile: whoever did it runs a full pass.
				continue;
			}
			if (
				found.place <=
				( this.announcedTail.get( conversation.chatflowId ) ?? 0 )
			) {
				return this.assignWaiting();
			}
			const group = eligibilityGroup( conversation );
			let helpers = helpersOf.get( group );
			if ( helpers === undefined ) {
				helpers = countHelpers( loads, eligible );
				helpersOf.set( group, helpers );
			}
			this.announcedTail.set( conversation.chatflowId, found.place );
			this.announcePlace( conversation, found.place, helpers );
		}
		this.announceAvailability( loads );
		if ( this.queuedPass === null ) {
			this.cachedLoads = loads;
		}
	}

	/** The full pass: every waiting conversation, oldest first. */
	private async assignWaiting(): Promise< void > {
		if ( this.stopped ) {
			return;
		}
		const { configuration, repository } = this.deps;
		const loads = await this.loads();
		const queue = await repository.listWaitingConversations();
		// Nobody anywhere with room: nothing to hand out, skip the search.
		const anyoneFree = loads.some(
			( load ) => load.available && load.open < load.capacity
		);
		const waiting: ConversationRecord[] = anyoneFree ? [] : queue;
		// Loads only grow within a pass: whom nobody could take stays so (under
		// the same configuration), so the rest of its kind skip the search.
		const nobodyFree = new Set< string >();
		let seen = configuration.configuration;
		for ( const conversation of anyoneFree ? queue : [] ) {
			if ( configuration.configuration !== seen ) {
				seen = configuration.configuration;
				nobodyFree.clear();
			}
			const chatflow = configuration.chatflow( conversation.chatflowId );
			const group = eligibilityGroup( conversation );
			if (
				( chatflow && ! chatflow.assignment.enabled ) ||
				nobodyFree.has( group )
			) {
				waiting.push( conversation );
				continue;
			}
			const eligible = eligibleAgents(
				configuration.configuration,
				chatflow,
				conversation.teamId
			);
			const userId = pickAgent( loads, eligible );
			if ( userId === null ) {
				nobodyFree.add( group );
				waiting.push( conversation );
				continue;
			}
			const result = await repository.assignConversation( {
				conversationId: conversation.id,
				assigneeId: userId,
				teamId: conversation.teamId,
				expectedAssigneeId: null,
			} );
			if ( result?.changed ) {
				const load = loads.find( ( entry ) => entry.userId === userId );
				if ( load ) {
					load.open++;
				}
				this.deps.logger.info(
					{ conversationId: conversation.id, userId },
					'conversation assigned'
				);
				await this.announceConversation( conversation.id );
			}
		}
		this.announceQueue( waiting, loads );
		this.announceAvailability( loads );
		if ( this.queuedPass === null ) {
			this.cachedLoads = loads;
		}
	}

	private announceQueue(
		waiting: ConversationRecord[],
		loads: AgentLoad[]
	): void {
		const { configuration } = this.deps;
		const stillWaiting = new Set< string >();
		// Counted once per kind of conversation, not once per waiting one.
		const helpersOf = new Map< string, number >();
		this.announcedTail.clear();
		for ( const conversation of waiting ) {
			const place =
				( this.announcedTail.get( conversation.chatflowId ) ?? 0 ) + 1;
			this.announcedTail.set( conversation.chatflowId, place );
			stillWaiting.add( conversation.id );
			const group = eligibilityGroup( conversation );
			let helpers = helpersOf.get( group );
			if ( helpers === undefined ) {
				helpers = countHelpers(
					loads,
					eligibleAgents(
						configuration.configuration,
						configuration.chatflow( conversation.chatflowId ),
						conversation.teamId
					)
				);
				helpersOf.set( group, helpers );
			}
			this.announcePlace( conversation, place, helpers );
		}
		for ( const id of this.sentQueue.keys() ) {
			if ( ! stillWaiting.has( id ) ) {
				this.sentQueue.delete( id );
			}
		}
	}

	/**
	 * Tells a waiting conversation's visitor their place, when it changed.
	 *
	 * @param conversation The conversation.
	 * @param place        Its 1-based place in its chatflow's queue.
	 * @param helpers      Agents who could take it.
	 */
	private announcePlace(
		conversation: ConversationRecord,
		place: number,
		helpers: number
	): void {
		const position = {
			conversationId: conversation.id,
			position: place,
			estimatedWaitSeconds: estimateWaitSeconds( place, helpers ),
		};
		const sent = this.sentQueue.get( conversation.id );
		if (
			sent?.position !== position.position ||
			sent.estimatedWaitSeconds !== position.estimatedWaitSeconds
		) {
			this.sentQueue.set( conversation.id, position );
			this.deps.visitors
				.to( visitorRoom( conversation.visitorId ) )
				.emit( 'queue:position', position );
		}
	}

	/**
	 * A waiting conversation's place now, for its visitor's reload or
	 * reconnection (the live announcements only say when it changes): the
	 * place last announced, else the one an assignment pass works out (e.g.
	 * after a restart).
	 *
	 * @param conversation The conversation as stored now.
	 * @return Its place, or null when it does not wait (closed or assigned).
	 */
	async queuePositionOf(
		conversation: ConversationRecord
	): Promise< QueuePosition | null > {
		if (
			conversation.status !== 'open' ||
			conversation.assigneeId !== null
		) {
			return null;
		}
		if ( ! this.sentQueue.has( conversation.id ) ) {
			await this.rebalance();
		}
		return this.sentQueue.get( conversation.id ) ?? null;
	}

	/**
	 * Sends the agents who see it the conversation as it is stored now.
	 *
	 * @param conversationId The conversation.
	 * @return The summary sent, or null when it does not exist.
	 */
	async announceConversation(
		conversationId: string
	): Promise< ConversationSummary | null > {
		const summary =
			await this.deps.repository.getConversationSummary( conversationId );
		if ( summary ) {
			this.toAgentsSeeing( summary ).emit(
				'conversation:updated',
				summary
			);
		}
		return summary;
	}

	/**
	 * Tells the visitor their conversation closed or reopened (with the
	 * survey when it closed and the chatflow asks one).
	 *
	 * @param conversation The conversation after the change.
	 */
	announceStatusToVisitor( conversation: ConversationRecord ): void {
		const chatflow = this.deps.configuration.chatflow(
			conversation.chatflowId
		);
		this.deps.visitors
			.to( visitorRoom( conversation.visitorId ) )
			.emit( 'conversation:updated', {
				conversation: {
					id: conversation.id,
					chatflowId: conversation.chatflowId,
					status: conversation.status,
					createdAt: conversation.createdAt,
				},
				survey:
					conversation.status === 'closed' && chatflow?.survey.enabled
						? { question: chatflow.survey.question }
						: null,
			} );
	}

	/**
	 * The survey a visitor still has to answer for a closed conversation:
	 * its chatflow asks one and no answer is stored yet.
	 *
	 * @param conversation The conversation.
	 * @return The question, or null.
	 */
	async pendingSurvey(
		conversation: ConversationRecord
	): Promise< VisitorConversationUpdate[ 'survey' ] > {
		const chatflow = this.deps.configuration.chatflow(
			conversation.chatflowId
		);
		if ( conversation.status !== 'closed' || ! chatflow?.survey.enabled ) {
			return null;
		}
		const answer = await this.deps.repository.findSurveyAnswer(
			conversation.id
		);
		return answer ? null : { question: chatflow.survey.question };
	}

	/* ---------- sweep: idle close, notifications, other nodes' configuration ---------- */

	/**
	 * One pass of periodic work. Safe to call at any time; overlapping calls
	 * share the running pass.
	 *
	 * @return Resolves when the pass is done.
	 */
	sweep(): Promise< void > {
		if ( ! this.sweeping ) {
			this.sweeping = this.runSweep()
				.catch( ( error: unknown ) => {
					this.deps.logger.error( { err: error }, 'sweep failed' );
				} )
				.finally( () => {
					this.sweeping = null;
				} );
		}
		return this.sweeping;
	}

	private async runSweep(): Promise< void > {
		if ( this.stopped ) {
			return;
		}
		await this.deps.configuration.refresh();
		await this.closeIdle();
		await this.deleteExpired();
		await this.deliverNotifications();
		await this.rebalance();
	}

	/**
	 * Retention: deletes conversations closed (with no activity since) more
	 * than the configuration's `closedConversationDays` ago, with everything
	 * keyed by them, in batches of `RETENTION_BATCH`. 0 or absent keeps them.
	 */
	private async deleteExpired(): Promise< void > {
		const { repository, configuration, clock, logger } = this.deps;
		const days = configuration.known
			? ( configuration.configuration.retention?.closedConversationDays ??
				0 )
			: 0;
		if ( days <= 0 ) {
			return;
		}
		const closedBefore = new Date(
			clock().getTime() - days * DAY_MS
		).toISOString();
		let total = 0;
		let deleted: number;
		do {
			deleted = await repository.deleteClosedConversations( {
				closedBefore,
				limit: RETENTION_BATCH,
			} );
			total += deleted;
		} while ( deleted === RETENTION_BATCH && ! this.stopped );
		if ( total > 0 ) {
			logger.info(
				{ deleted: total, closedConversationDays: days },
				'closed conversations past retention deleted'
			);
		}
	}

	private async closeIdle(): Promise< void > {
		const { repository, configuration, clock } = this.deps;
		const now = clock();
		for ( const conversation of await repository.listOpenConversations() ) {
			const minutes =
				configuration.chatflow( conversation.chatflowId )
					?.idleCloseMinutes ?? 0;
			if ( minutes <= 0 ) {
				continue;
			}
			const idleSince = Date.parse( conversation.updatedAt );
			if ( now.getTime() - idleSince < minutes * 60_000 ) {
				continue;
			}
			const result = await repository.setConversationStatus( {
				conversationId: conversation.id,
				status: 'closed',
				updatedAt: now.toISOString(),
			} );
			if ( result?.changed ) {
				this.deps.logger.info(
					{ conversationId: conversation.id, idleMinutes: minutes },
					'idle conversation closed'
				);
				this.announceStatusToVisitor( result.conversation );
				await this.announceConversation( conversation.id );
				await this.conversationClosed( result.conversation );
			}
		}
	}

	/**
	 * Stores a notification for WordPress and tries to deliver it at once;
	 * the sweep retries it while WordPress does not accept it. Its id names
	 * the event: stored once, and WordPress e-mails each id once.
	 *
	 * E-mails to a chatflow's team beyond its cap for the current window are
	 * held instead, and go out together as one digest when the window ends.
	 *
	 * @param notification What WordPress should e-mail.
	 */
	async notify(
		notification: ServiceNotification & { id: string }
	): Promise< void > {
		const now = this.deps.clock();
		const digest = await this.digestFor( notification, now );
		await this.deps.repository.enqueueNotification( {
			id: notification.id,
			notification,
			createdAt: now.toISOString(),
			nextAttemptAt: digest?.dueAt,
			digestKey: digest?.key,
		} );
		if ( digest ) {
			return;
		}
		void this.deliverNotifications().catch( ( error: unknown ) => {
			this.deps.logger.error( { err: error }, 'notification failed' );
		} );
	}

	/**
	 * The digest a team notification is held for, when its chatflow's cap for
	 * this window is spent. Windows are fixed spans of the service's clock, so
	 * every node agrees on them; the key also names the recipients, so a
	 * digest goes only to whom its notifications would have gone.
	 *
	 * @param notification The notification.
	 * @param now          Now.
	 * @return The digest's key and when it is due, or null to send it now.
	 */
	private async digestFor(
		notification: ServiceNotification,
		now: Date
	): Promise< { key: string; dueAt: string } | null > {
		const limits = this.deps.limits;
		// Transcripts and confirmation links go to the visitor, not the team
		// (they have their own per-address budget).
		if (
			! limits ||
			notification.type === 'transcript' ||
			notification.type === 'email_confirmation'
		) {
			return null;
		}
		const windowMs = limits.teamEmailWindowMs;
		const window = Math.floor( now.getTime() / windowMs );
		if (
			await limits.consumeTeamEmail( notification.chatflowId, window )
		) {
			return null;
		}
		const recipients = [ ...notification.userIds ].sort().join( ',' );
		return {
			key: `${ notification.chatflowId }:${ window }:${ recipients }`,
			dueAt: new Date( ( window + 1 ) * windowMs ).toISOString(),
		};
	}

	/**
	 * Asks WordPress to e-mail the chatflow's team about a message left while
	 * nobody could answer.
	 *
	 * @param conversation      The conversation it opened.
	 * @param message           The message.
	 * @param message.body      Its text.
	 * @param message.createdAt When it was written.
	 */
	async notifyOfflineMessage(
		conversation: ConversationRecord,
		message: { body: string; createdAt: string }
	): Promise< void > {
		await this.notify( {
			id: `offline_message:${ conversation.id }`,
			type: 'offline_message',
			chatflowId: conversation.chatflowId,
			conversationId: conversation.id,
			userIds: [],
			visitor: await this.visitorForTeam( conversation ),
			messages: [
				{
					authorName: '',
					body: message.body,
					createdAt: message.createdAt,
				},
			],
			pageUrl: conversation.pageUrl,
		} );
	}

	/**
	 * After a new conversation's first routing: when no available agent can
	 * take it now (nobody connected and available, or everyone at capacity),
	 * asks WordPress to e-mail the agents who could (the team its skill rule
	 * chose, else the chatflow's users and teams). With assignment off, an
	 * available agent sees it in the inbox, so only nobody available counts.
	 *
	 * @param conversationId The conversation.
	 */
	async notifyIfUnattended( conversationId: string ): Promise< void > {
		const { repository, configuration, logger } = this.deps;
		try {
			const conversation =
				await repository.findConversation( conversationId );
			if (
				! conversation ||
				conversation.status !== 'open' ||
				conversation.assigneeId !== null
			) {
				return;
			}
			const chatflow = configuration.chatflow( conversation.chatflowId );
			const eligible = eligibleAgents(
				configuration.configuration,
				chatflow,
				conversation.teamId
			);
			// Fresh: another node may have freed someone since the last pass.
			const loads = await this.loads();
			const someoneCanTakeIt = loads.some(
				( load ) =>
					load.available &&
					load.open < load.capacity &&
					( eligible === null || eligible.has( load.userId ) )
			);
			if ( someoneCanTakeIt ) {
				return;
			}
			const [ visitor, messages ] = await Promise.all( [
				this.visitorForTeam( conversation ),
				repository.listMessages( conversation.id, 0 ),
			] );
			await this.notify( {
				id: `new_conversation:${ conversation.id }`,
				type: 'new_conversation',
				chatflowId: conversation.chatflowId,
				conversationId: conversation.id,
				userIds: eligible ? [ ...eligible ] : [],
				visitor,
				messages: messages
					.slice( 0, MESSAGES_PER_NOTIFICATION )
					.map( ( message ) => ( {
						authorName: message.authorName,
						body: message.body,
						createdAt: message.createdAt,
						authorType: message.authorType,
					} ) ),
				pageUrl: conversation.pageUrl,
			} );
		} catch ( error ) {
			logger.error(
				{ err: error, conversationId },
				'new conversation notification failed'
			);
		}
	}

	/**
	 * When a conversation closes and its visitor is verified for an e-mail
	 * address, asks WordPress to send them the transcript. Once per close
	 * with new messages (closing again without any sends nothing more), and
	 * at most `EMAILS_PER_ADDRESS_PER_HOUR` an hour to one address.
	 *
	 * @param conversation The conversation, closed.
	 */
	async conversationClosed(
		conversation: ConversationRecord
	): Promise< void > {
		const { repository, logger } = this.deps;
		try {
			// Only a verified address: a contact is linked by identification
			// or a confirmed link, never by what a visitor typed.
			const visitor = await this.visitorOf( conversation );
			if ( visitor.email === null || conversation.lastSeq === 0 ) {
				return;
			}
			if (
				! ( await this.emailBudget.take( 'transcript', visitor.email ) )
			) {
				logger.info(
					{ conversationId: conversation.id },
					'transcript not sent: the address had its hourly budget'
				);
				return;
			}
			const [ messages, context ] = await Promise.all( [
				repository.listMessages( conversation.id, 0 ),
				repository.findConversationContext( conversation.id ),
			] );
			await this.notify( {
				id: `transcript:${ conversation.id }:${ conversation.lastSeq }`,
				type: 'transcript',
				chatflowId: conversation.chatflowId,
				conversationId: conversation.id,
				userIds: [],
				visitor,
				// The newest ones when it is very long.
				messages: messages
					.slice( -MESSAGES_PER_NOTIFICATION )
					.map( ( message ) => ( {
						authorName: message.authorName,
						body: message.body,
						createdAt: message.createdAt,
						authorType: message.authorType,
					} ) ),
				pageUrl: conversation.pageUrl,
				locale:
					context && context.language !== ''
						? context.language
						: null,
			} );
		} catch ( error ) {
			logger.error(
				{ err: error, conversationId: conversation.id },
				'transcript notification failed'
			);
		}
	}

	/**
	 * The visitor's e-mail and name, from the conversation's contact (a
	 * verified identity: never a typed claim).
	 *
	 * @param conversation The conversation.
	 */
	private async visitorOf(
		conversation: ConversationRecord
	): Promise< ServiceNotification[ 'visitor' ] > {
		const contact = conversation.contactId
			? await this.deps.repository.findContact( conversation.contactId )
			: null;
		return {
			email: contact ? contact.email : null,
			name: contact && contact.name !== '' ? contact.name : null,
		};
	}

	/**
	 * Who the team is told wrote: the contact, else the address the visitor
	 * typed, marked not verified (the team may answer it; nothing is sent to
	 * it but the confirmation link).
	 *
	 * @param conversation The conversation.
	 */
	private async visitorForTeam(
		conversation: ConversationRecord
	): Promise< ServiceNotification[ 'visitor' ] > {
		const contact = await this.visitorOf( conversation );
		if ( contact.email !== null ) {
			return contact;
		}
		const claim = await this.deps.repository.findEmailClaim(
			conversation.visitorId
		);
		return claim
			? {
					email: claim.email,
					name: claim.name !== '' ? claim.name : null,
					verified: false,
				}
			: contact;
	}

	private delivering: Promise< void > | null = null;

	/** Delivers due notifications; one delivery pass at a time. */
	deliverNotifications(): Promise< void > {
		if ( ! this.delivering ) {
			this.delivering = this.runDeliveries().finally( () => {
				this.delivering = null;
			} );
		}
		return this.delivering;
	}

	private async runDeliveries(): Promise< void > {
		const { repository, wordpress, clock } = this.deps;
		if ( ! wordpress ) {
			return;
		}
		const due = await repository.listDueNotifications(
			clock().toISOString(),
			NOTIFICATION_BATCH
		);
		const digests = new Set< string >();
		for ( const pending of due ) {
			if ( pending.digestKey === null ) {
				await this.deliver( wordpress, pending.notification, [
					pending,
				] );
				continue;
			}
			if ( digests.has( pending.digestKey ) ) {
				continue;
			}
			digests.add( pending.digestKey );
			const held = await repository.listDigestNotifications(
				pending.digestKey,
				NOTIFICATIONS_PER_DIGEST
			);
			if ( held.length > 0 ) {
				await this.deliver( wordpress, digestOf( held ), held );
			}
		}
	}

	/**
	 * Sends one notification (maybe a digest) standing for stored ones: done,
	 * they are forgotten; refused for good (a 4xx) or failing for longer
	 * than NOTIFICATION_RETRY_LIMIT_MS, they are marked failed; else they
	 * are retried with backoff.
	 *
	 * @param wordpress    The WordPress client.
	 * @param notification What to send.
	 * @param stored       The stored notifications it stands for.
	 */
	private async deliver(
		wordpress: WordPressClient,
		notification: ServiceNotification,
		stored: PendingNotification[]
	): Promise< void > {
		const { repository, clock, logger } = this.deps;
		const about = {
			type: notification.type,
			conversationId: notification.conversationId || undefined,
			count: notification.count,
		};
		try {
			await wordpress.notify( notification );
			for ( const pending of stored ) {
				await repository.completeNotification( pending.id );
			}
			logger.info( about, 'WordPress notified' );
		} catch ( error ) {
			const now = clock();
			const refused =
				error instanceof WordPressAnswerError && error.permanent;
			const oldest = Math.min(
				...stored.map( ( pending ) => Date.parse( pending.createdAt ) )
			);
			if (
				refused ||
				now.getTime() - oldest >= NOTIFICATION_RETRY_LIMIT_MS
			) {
				for ( const pending of stored ) {
					await repository.failNotification(
						pending.id,
						now.toISOString()
					);
				}
				logger.error(
					{ ...about, err: error },
					refused
						? 'WordPress refused a notification; not retrying it'
						: 'WordPress did not accept a notification for too long; giving up'
				);
				return;
			}
			const retryAt = new Date(
				now.getTime() + backoffMs( stored[ 0 ].attempts )
			).toISOString();
			for ( const pending of stored ) {
				await repository.postponeNotification( pending.id, retryAt );
			}
			logger.warn(
				{ ...about, err: error, retryAt },
				'WordPress did not accept a notification; retrying later'
			);
		}
	}
}

/**
 * One e-mail for the team notifications held in a window: a line per
 * notification (who, their first message), to the same recipients.
 *
 * @param held The held notifications, oldest first (at least one).
 * @return The digest notification; its id names the window and its first
 *         notification, so WordPress e-mails it once even if two nodes send it.
 */
function digestOf( held: PendingNotification[] ): ServiceNotification {
	const first = held[ 0 ];
	return {
		id: `digest:${ first.digestKey }:${ first.id }`,
		type: 'digest',
		chatflowId: first.notification.chatflowId,
		conversationId: '',
		userIds: first.notification.userIds,
		visitor: { email: null, name: null },
		messages: held
			.slice( 0, MESSAGES_PER_NOTIFICATION )
			.map( ( { notification, createdAt } ) => ( {
				authorName: notification.visitor.name ?? '',
				// By code points, so no character is cut in half.
				body: Array.from(
					notification.messages.find(
						( message ) => message.authorType !== 'agent'
					)?.body ?? ''
				)
					.slice( 0, DIGEST_EXCERPT_LENGTH )
					.join( '' ),
				createdAt,
				authorType: 'visitor' as const,
			} ) ),
		pageUrl: '',
		count: held.length,
	};
}
