/**
 * Periodic work: closes conversations idle past their chatflow's limit and
 * deletes closed ones past retention, then has due notifications delivered
 * and assignment re-run. Everything is re-derived from stored timestamps,
 * so an idle conversation closes even if the process restarted after its
 * last message.
 */
import type { Logger } from 'pino';
import type { ChatRepository, ConversationRecord } from '../repository/types';
import type { ConfigurationStore } from '../chatflow-sync/store';
import { OnePassAtATime } from './one-pass-at-a-time';

/** How often the sweep runs by default. */
export const SWEEP_INTERVAL_MS = 15_000;

/** Closed conversations retention deletes per transaction (a sweep deletes all that are due). */
export const RETENTION_BATCH = 100;

const DAY_MS = 24 * 60 * 60 * 1000;

export interface SweepsDeps {
	repository: ChatRepository;
	configuration: ConfigurationStore;
	logger: Logger;
	clock: () => Date;
	/** Tells everyone a conversation the sweep closed (visitor, agents, transcript). */
	closed: ( conversation: ConversationRecord ) => Promise< void >;
	/** Delivers the notifications that are due. */
	deliverNotifications: () => Promise< void >;
	/** A full assignment pass. */
	rebalance: () => Promise< void >;
	intervalMs?: number;
}

export class Sweeps {
	private timer: NodeJS.Timeout | null = null;

	private readonly passes = new OnePassAtATime( () =>
		this.runSweep().catch( ( error: unknown ) => {
			this.deps.logger.error( { err: error }, 'sweep failed' );
		} )
	);

	private stopped = false;

	constructor( private readonly deps: SweepsDeps ) {}

	/** Sweeps every `intervalMs`. */
	start(): void {
		const interval = this.deps.intervalMs ?? SWEEP_INTERVAL_MS;
		this.timer = setInterval( () => void this.sweep(), interval );
		this.timer.unref();
	}

	/**
	 * Sweeps no more.
	 *
	 * @return Resolves when a running sweep is done.
	 */
	async stop(): Promise< void > {
		this.stopped = true;
		if ( this.timer ) {
			clearInterval( this.timer );
		}
		await this.passes.idle();
	}

	/**
	 * One pass of periodic work, begun after this call (see OnePassAtATime).
	 * Safe to call at any time.
	 *
	 * @return Resolves when the pass is done.
	 */
	sweep(): Promise< void > {
		return this.passes.run();
	}

	private async runSweep(): Promise< void > {
		if ( this.stopped ) {
			return;
		}
		// Other nodes may have stored a newer configuration.
		await this.deps.configuration.refresh();
		await this.closeIdle();
		await this.deleteExpired();
		await this.deps.deliverNotifications();
		await this.deps.rebalance();
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

	/** Closes the open conversations idle past their chatflow's `idleCloseMinutes`. */
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
				await this.deps.closed( result.conversation );
			}
		}
	}
}
