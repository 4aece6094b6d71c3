/**
 * Signed calls from the service to WordPress: pulling the configuration at
 * start and asking WordPress to e-mail people. WordPress being down never
 * stops the service: callers retry later.
 */
import type { Logger } from 'pino';
import type {
	ServiceConfiguration,
	ServiceNotification,
} from '../contract/configuration';
import { describeIssues } from '../validation';
import { serviceConfigurationSchema } from './schema';
import { signRequest } from './signature';

export const CONFIGURATION_PATH = '/wp-json/chatflows/v1/service/configuration';
export const NOTIFY_PATH = '/wp-json/chatflows/v1/service/notify';

/** How long one call to WordPress may take. */
const REQUEST_TIMEOUT_MS = 10_000;

/** WordPress answered, but not with success: its status and error code say why. */
export class WordPressAnswerError extends Error {
	constructor(
		readonly status: number,
		/** The REST error's `code` (e.g. `chatflows_signature_invalid`), when it sent one. */
		readonly code: string | null
	) {
		super(
			`WordPress answered HTTP ${ status }${ code ? ` (${ code })` : '' }`
		);
		this.name = 'WordPressAnswerError';
	}

	/**
	 * The error for a response that was not a success.
	 *
	 * @param response The response; its body is read.
	 */
	static async from( response: Response ): Promise< WordPressAnswerError > {
		let code: string | null = null;
		try {
			const body = ( await response.json() ) as { code?: unknown };
			code = typeof body?.code === 'string' ? body.code : null;
		} catch {
			// Not JSON: the status says enough.
		}
		return new WordPressAnswerError( response.status, code );
	}
}

export class WordPressClient {
	constructor(
		private readonly baseUrl: string,
		private readonly secret: string,
		private readonly clock: () => Date
	) {}

	/** Fetches and validates the full configuration; rejects on any failure. */
	async fetchConfiguration(): Promise< ServiceConfiguration > {
		const response = await fetch( this.url( CONFIGURATION_PATH ), {
			method: 'GET',
			headers: {
				Accept: 'application/json',
				...signRequest( this.secret, '', this.clock() ),
			},
			signal: AbortSignal.timeout( REQUEST_TIMEOUT_MS ),
		} );
		if ( ! response.ok ) {
			throw await WordPressAnswerError.from( response );
		}
		const parsed = serviceConfigurationSchema.safeParse(
			await response.json()
		);
		if ( ! parsed.success ) {
			throw new Error(
				`WordPress sent an invalid configuration: ${ describeIssues(
					parsed.error
				) }`
			);
		}
		return parsed.data;
	}

	/**
	 * Delivers one notification; rejects unless WordPress accepted it.
	 * @param notification
	 */
	async notify( notification: ServiceNotification ): Promise< void > {
		const body = JSON.stringify( notification );
		const response = await fetch( this.url( NOTIFY_PATH ), {
			method: 'POST',
			headers: {
				'Content-Type': 'application/json',
				...signRequest( this.secret, body, this.clock() ),
			},
			body,
			signal: AbortSignal.timeout( REQUEST_TIMEOUT_MS ),
		} );
		if ( ! response.ok ) {
			throw await WordPressAnswerError.from( response );
		}
	}

	private url( path: string ): string {
		return `${ this.baseUrl.replace( /\/+$/, '' ) }${ path }`;
	}
}

/**
 * Delay before retry number `attempt` (0-based): 1 s, doubling, at most 5 minutes.
 * @param attempt
 */
export function backoffMs( attempt: number ): number {
	return Math.min( 1000 * 2 ** Math.min( attempt, 20 ), 5 * 60_000 );
}

/**
 * Pulls the configuration until WordPress answers, with backoff. The stored
 * configuration stays in effect meanwhile.
 *
 * @param options         Options.
 * @param options.client  The WordPress client.
 * @param options.apply   Stores what WordPress sent.
 * @param options.logger  Logger.
 * @param options.delayMs Delay before retry n (defaults to backoffMs).
 * @return A function that stops retrying.
 */
export function pullConfiguration( options: {
	client: WordPressClient;
	apply: ( configuration: ServiceConfiguration ) => Promise< unknown >;
	logger: Logger;
	delayMs?: ( attempt: number ) => number;
} ): () => void {
	const delayMs = options.delayMs ?? backoffMs;
	let stopped = false;
	let timer: NodeJS.Timeout | null = null;
	const attempt = async ( count: number ): Promise< void > => {
		if ( stopped ) {
			return;
		}
		try {
			const configuration = await options.client.fetchConfiguration();
			if ( stopped ) {
				return;
			}
			await options.apply( configuration );
			options.logger.info(
				{ chatflows: configuration.chatflows.length },
				'configuration pulled from WordPress'
			);
		} catch ( error ) {
			const delay = delayMs( count );
			options.logger.warn(
				{ err: error, retryInMs: delay },
				'cannot pull the configuration from WordPress; keeping the stored one'
			);
			if ( ! stopped ) {
				timer = setTimeout( () => void attempt( count + 1 ), delay );
				timer.unref();
			}
		}
	};
	void attempt( 0 );
	return () => {
		stopped = true;
		if ( timer ) {
			clearTimeout( timer );
		}
	};
}
