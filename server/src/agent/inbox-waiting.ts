/**
 * Keeps WordPress's admin menu count ("conversations waiting for me") right
 * within seconds without WordPress ever asking: every few seconds the
 * service counts, per agent of the directory, and when the counts changed
 * sends them, signed, to `PUT {site}/wp-json/chatflows/v1/service/waiting-counts`.
 * WordPress keeps them in an autoloaded option, so the menu costs no query.
 */
import type { Logger } from 'pino';
import type { ChatRepository } from '../repository/types';
import type { ConfigurationStore } from '../configuration/store';
import { signRequest } from '../configuration/signature';
import { waitingCounts } from './inbox-scope';

export const WAITING_COUNTS_PATH =
	'/wp-json/chatflows/v1/service/waiting-counts';

/** How often the counts are taken by default. */
export const WAITING_COUNTS_INTERVAL_MS = 2000;

const REQUEST_TIMEOUT_MS = 10_000;

export interface WaitingCountsDeps {
	repository: ChatRepository;
	configuration: ConfigurationStore;
	/** The WordPress site, e.g. `http://localhost:8888`. */
	wordpressUrl: string;
	secret: string;
	logger: Logger;
	clock: () => Date;
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
		const counts = waitingCounts(
			configuration.configuration,
			await repository.listOpenConversationActivity()
		);
		const body = JSON.stringify( { counts } );
		if ( body === this.sent ) {
			return;
		}
		const response = await fetch(
			`${ this.deps.wordpressUrl.replace(
				/\/+$/,
				''
			) }${ WAITING_COUNTS_PATH }`,
			{
				method: 'PUT',
				headers: {
					'Content-Type': 'application/json',
					...signRequest( this.deps.secret, body, this.deps.clock() ),
				},
				body,
				signal: AbortSignal.timeout( REQUEST_TIMEOUT_MS ),
			}
		);
		if ( ! response.ok ) {
			throw new Error( `WordPress answered HTTP ${ response.status }` );
		}
		this.sent = body;
	}
}
