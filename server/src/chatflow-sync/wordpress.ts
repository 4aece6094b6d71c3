/**
 * Signed calls from the service to WordPress: pulling the configuration at
 * start, asking WordPress to e-mail people, the agents' waiting counts. Every
 * one goes through `WordPressClient.send`, which signs the REST route (what
 * WordPress verifies, whatever the site's folder), the method, the body, a
 * timestamp and a nonce (see signature.ts). WordPress being down never stops
 * the service: callers retry later.
 */
import type { Logger } from 'pino';
import type {
	ServiceConfiguration,
	ServiceNotification,
} from '@chatflows/protocol';
import { describeIssues } from '../validation';
import { serviceConfigurationSchema } from './schema';
import { signRequest } from './signature';

/** Where WordPress serves its REST API under the site's URL. */
export const REST_PREFIX = '/wp-json';
export const CONFIGURATION_ROUTE = '/chatflows/v1/service/configuration';
export const NOTIFY_ROUTE = '/chatflows/v1/service/notify';
export const CONFIGURATION_PATH = REST_PREFIX + CONFIGURATION_ROUTE;
export const NOTIFY_PATH = REST_PREFIX + NOTIFY_ROUTE;

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
	 * A 4xx says the request itself is wrong (a chatflow deleted since, a bad
	 * payload or signature): sending it again cannot help. Timeouts and
	 * "too many requests" are the exceptions.
	 */
	get permanent(): boolean {
		return (
			this.status >= 400 &&
			this.status < 500 &&
			this.status !== 408 &&
			this.status !== 429
		);
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
		const response = await this.send( 'GET', CONFIGURATION_ROUTE );
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
	 * Delivers one notification; rejects unless WordPress accepted it, with
	 * a WordPressAnswerError when WordPress answered.
	 *
	 * @param notification What WordPress should e-mail.
	 */
	async notify( notification: ServiceNotification ): Promise< void > {
		const response = await this.send( 'POST', NOTIFY_ROUTE, notification );
		if ( ! response.ok ) {
			throw await WordPressAnswerError.from( response );
		}
	}

	/**
	 * One signed call to a REST route of the plugin: every call the service
	 * makes to WordPress.
	 *
	 * @param method HTTP method.
	 * @param route  REST route, optionally with a query (`/chatflows/v1/…`).
	 * @param body   Sent as JSON; none when omitted.
	 * @return The response, whatever its status.
	 */
	send( method: string, route: string, body?: unknown ): Promise< Response > {
		const raw = body === undefined ? '' : JSON.stringify( body );
		const signed = signRequest(
			this.secret,
			{ method, target: route, body: raw },
			this.clock()
		);
		return fetch(
			`${ this.baseUrl.replace( /\/+$/, '' ) }${ REST_PREFIX }${
				signed.target
			}`,
			{
				method,
				headers: {
					Accept: 'application/json',
					...( raw === ''
						? {}
						: { 'Content-Type': 'application/json' } ),
					...signed.headers,
				},
				body: raw === '' ? undefined : raw,
				signal: AbortSignal.timeout( REQUEST_TIMEOUT_MS ),
			}
		);
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
