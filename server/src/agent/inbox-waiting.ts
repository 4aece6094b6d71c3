/**
 * Keeps WordPress's admin menu count ("conversations waiting for me", plus
 * notes mentioning me not seen yet) right
 * within seconds without WordPress ever asking: every few seconds the
 * service counts, per agent of the directory, and when the counts changed
 * sends them, signed, to `PUT {site}/wp-json/chatflows/v1/service/waiting-counts`
 * (through `WordPressClient.send`).
 * WordPress keeps them in an autoloaded option, so the menu costs no query.
 */
import type { Logger } from 'pino';
import type { ChatRepository } from '../repository/types';
import type { ConfigurationStore } from '../chatflow-sync/store';
import type { WordPressClient } from '../chatflow-sync/wordpress';
import { waitingCounts } from './inbox-scope';
import { MENTION_COUNT_WINDOW_MS, unseenMentionCounts } from './mentions';

export const WAITING_COUNTS_ROUTE = '/chatflows/v1/service/waiting-counts';

/** Most recent mentions read to count the unseen ones. */
const MENTION_COUNT_LIMIT = 2000;

/** How often the counts are taken by default. */
export const WAITING_COUNTS_INTERVAL_MS = 2000;

export interface WaitingCountsDeps {
	repository: ChatRepository;
	configuration: ConfigurationStore;
	/** Signs and sends the calls to WordPress. */
	wordpress: WordPressClient;
	logger: Logger;
	intervalMs?: number;
}

/** Sends WordPress each agent's waiting count whenever it changes. */
export class WaitingCountsReporter {
	private timer: NodeJS.Timeout | null = null;

	private running: Promise< void > | null = null;

	/** The counts WordPress last accepted, as JSON. */
	private sent = '';

	constructor( private readonly deps: WaitingCountsDeps ) {}

	start(): void {
		this.timer = setInterval(
			() => void this.report(),
			this.deps.intervalMs ?? WAITING_COUNTS_INTERVAL_MS
		);
		this.timer.unref();
	}

	/** Stops and waits for a report under way. */
	async stop(): Promise< void > {
		if ( this.timer ) {
			clearInterval( this.timer );
			this.timer = null;
		}
		await this.running;
	}

	/**
	 * Counts now and sends the counts when they changed; one report at a time.
	 *
	 * @return Resolves when done (never rejects: a failure is retried next time).
	 */
	report(): Promise< void > {
		if ( ! this.running ) {
			this.running = this.run()
				.catch( ( error: unknown ) => {
					this.deps.logger.warn(
						{ err: error },
						'WordPress did not take the waiting counts; retrying'
					);
				} )
				.finally( () => {
					this.running = null;
				} );
		}
		return this.running;
	}

	private async run(): Promise< void > {
		const { configuration, repository } = this.deps;
		if ( ! configuration.known ) {
			return;
		}
		const directory = configuration.configuration;
		const counts = waitingCounts(
			directory,
			await repository.listOpenConversationActivity()
		);
		const reads = await repository.listMentionReads(
			directory.agents.map( ( agent ) => agent.id )
		);
		const mentions = unseenMentionCounts(
			directory,
			await repository.listMentions( {
				agentIds: directory.agents.map( ( agent ) => agent.id ),
				teamIds: directory.teams.map( ( team ) => team.id ),
				since: new Date(
					Date.now() - MENTION_COUNT_WINDOW_MS
				).toISOString(),
				exceptAuthorId: '',
				limit: MENTION_COUNT_LIMIT,
			} ),
			reads
		);
		for ( const [ agentId, count ] of Object.entries( mentions ) ) {
			counts[ agentId ] = ( counts[ agentId ] ?? 0 ) + count;
		}
		const sent = JSON.stringify( counts );
		if ( sent === this.sent ) {
			return;
		}
		const response = await this.deps.wordpress.send(
			'PUT',
			WAITING_COUNTS_ROUTE,
			{ counts }
		);
		if ( ! response.ok ) {
			throw new Error( `WordPress answered HTTP ${ response.status }` );
		}
		this.sent = sent;
	}
}
