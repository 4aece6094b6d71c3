/**
 * How many e-mails the service may have WordPress send to visitors'
 * addresses: the site must never be a way to e-mail strangers. Confirmation
 * links and transcripts each get `EMAILS_PER_ADDRESS_PER_HOUR` per address
 * an hour, and a visitor may ask for that many confirmation links an hour
 * (however many addresses they type). In memory on one node, in Redis on
 * many (so every node counts the same e-mails). Always on, unlike the
 * configurable event limits.
 */
import {
	RateLimiterMemory,
	RateLimiterRedis,
	type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { EMAILS_PER_ADDRESS_PER_HOUR } from '../contract/configuration';
import { contactEmailKey } from '../repository/contact-key';
import type { RedisStoreClient } from './rate-limits';

/** What an e-mail to a visitor's address is. */
export type VisitorEmailKind = 'confirmation' | 'transcript';

const HOUR_SECONDS = 3600;
const KEY_PREFIX = 'chatflows:rl:email';

export class EmailBudget {
	/**
	 * Use `inMemory()` or `inRedis()`.
	 *
	 * @param limiter The hourly limiter.
	 */
	private constructor( private readonly limiter: RateLimiterAbstract ) {}

	/** Counted in this process. */
	static inMemory(): EmailBudget {
		return new EmailBudget(
			new RateLimiterMemory( {
				keyPrefix: KEY_PREFIX,
				points: EMAILS_PER_ADDRESS_PER_HOUR,
				duration: HOUR_SECONDS,
			} )
		);
	}

	/**
	 * Counted in Redis, shared by every node.
	 *
	 * @param client A connected node-redis client.
	 */
	static inRedis( client: RedisStoreClient ): EmailBudget {
		const options = {
			keyPrefix: KEY_PREFIX,
			points: EMAILS_PER_ADDRESS_PER_HOUR,
			duration: HOUR_SECONDS,
		};
		return new EmailBudget(
			new RateLimiterRedis( {
				...options,
				storeClient: client,
				useRedisPackage: true,
				insuranceLimiter: new RateLimiterMemory( options ),
			} )
		);
	}

	/**
	 * Takes one e-mail of the budgets, or none: false when any is spent.
	 * Unlike chat events, a store failure refuses: an e-mail not sent waits
	 * for the visitor to ask again, an e-mail sent cannot be taken back.
	 *
	 * @param kind      Confirmation link or transcript.
	 * @param email     The address it goes to.
	 * @param visitorId Who asked for a confirmation link (counted too).
	 * @return Whether it may be sent.
	 */
	async take(
		kind: VisitorEmailKind,
		email: string,
		visitorId?: string
	): Promise< boolean > {
		const keys = [ `${ kind }:${ contactEmailKey( email ) }` ];
		if ( visitorId !== undefined ) {
			keys.push( `${ kind }:visitor:${ visitorId }` );
		}
		// Look first, so a refusal by one budget spends nothing of the other.
		for ( const key of keys ) {
			const used = await this.limiter.get( key ).catch( () => null );
			if (
				used !== null &&
				used.consumedPoints >= EMAILS_PER_ADDRESS_PER_HOUR
			) {
				return false;
			}
		}
		try {
			for ( const key of keys ) {
				await this.limiter.consume( key, 1 );
			}
			return true;
		} catch {
			// Spent meanwhile (another node), or the store failed.
			return false;
		}
	}
}
