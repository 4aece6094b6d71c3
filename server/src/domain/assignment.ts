/**
 * Assignment and the queue: hands waiting conversations to agents with room
 * and tells waiting visitors their place.
 *
 * Assignment is incremental: a full pass (agents' open counts as an SQL
 * aggregate, then the waiting conversations only, oldest first) runs when
 * something may free an agent or move the queue (presence, a close, a
 * claim, a transfer, the configuration, the sweep); a conversation that
 * opens while nobody who may take it has room only learns its own place,
 * counted by the database, as the queue's newest.
 */
import type { Logger } from 'pino';
import { type QueuePosition } from '@chatflows/protocol';
import type { ChatRepository, ConversationRecord } from '../repository/types';
import type { ConfigurationStore } from '../chatflow-sync/store';
import { announceConversation, type DomainAnnouncer } from './announcer';
import type { AgentAvailability } from './agent-availability';
import {
	chooseTeam,
	eligibleAgents,
	estimateWaitSeconds,
	pickAgent,
	type AgentLoad,
} from './routing';

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

export interface AssignmentDeps {
	repository: ChatRepository;
	configuration: ConfigurationStore;
	announcer: DomainAnnouncer;
	/** Agents' loads, and the availability a pass announces. */
	availability: AgentAvailability;
	logger: Logger;
}

export class AssignmentQueue {
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

	private stopped = false;

	constructor( private readonly deps: AssignmentDeps ) {}

	/** Runs no more passes (see `idle` for the running one). */
	stop(): void {
		this.stopped = true;
	}

	/** Resolves when the running pass, if any, is done. */
	idle(): Promise< void > {
		return this.assigning;
	}

	/**
	 * Routes a newly opened (or reopened) conversation: the first matching
	 * skill rule chooses the team, then it is assigned or waits in the queue.
	 *
	 * @param conversation     The conversation.
	 * @param language         The visitor's browser language.
	 * @param options          Options.
	 * @param options.keepTeam A team it already has stays (routing again
	 *                         after a retry: the first routing, or an agent's
	 *                         transfer, chose it).
	 */
	async conversationOpened(
		conversation: ConversationRecord,
		language: string,
		options: { keepTeam?: boolean } = {}
	): Promise< void > {
		const teamId =
			options.keepTeam && conversation.teamId !== null
				? null
				: chooseTeam(
						this.deps.configuration.chatflow(
							conversation.chatflowId
						),
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
				await announceConversation(
					this.deps.repository,
					this.deps.announcer,
					conversation.id
				);
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
		this.deps.availability.forgetLoads();
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
	schedulePass(): Promise< void > {
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
		const { configuration, repository, availability } = this.deps;
		const loads = await availability.loads();
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
		availability.announceAvailability( loads );
		if ( this.queuedPass === null ) {
			availability.rememberLoads( loads );
		}
	}

	/** The full pass: every waiting conversation, oldest first. */
	private async assignWaiting(): Promise< void > {
		if ( this.stopped ) {
			return;
		}
		const { configuration, repository, availability } = this.deps;
		const loads = await availability.loads();
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
				await announceConversation(
					repository,
					this.deps.announcer,
					conversation.id
				);
			}
		}
		this.announceQueue( waiting, loads );
		availability.announceAvailability( loads );
		if ( this.queuedPass === null ) {
			availability.rememberLoads( loads );
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
			this.deps.announcer.queuePosition(
				conversation.visitorId,
				position
			);
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
}
