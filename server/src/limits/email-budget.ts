/**
 * How many e-mails the service may have WordPress send to visitors'
 * addresses: the site must never be a way to e-mail strangers. Confirmation
 * links and transcripts each get `EMAILS_PER_ADDRESS_PER_HOUR` per address
 * an hour, and a visitor may ask for that many confirmation links an hour
 * (however many addresses they type), and one client address (however many
 * free sessions it opens) `CONFIRMATIONS_PER_CLIENT_PER_HOUR`. In memory on one node, in Redis on
 * many (so every node counts the same e-mails). Always on, unlike the
 * configurable event limits.
 */
import {
	RateLimiterMemory,
	RateLimiterRedis,
	type RateLimiterAbstract,
} from 'rate-limiter-flexible';
import { EMAILS_PER_ADDRESS_PER_HOUR } from '@chatflows/protocol';
import { contactEmailKey } from '../repository/contact-key';
import { DEFAULT_LIMIT_SETTINGS, type RedisStoreClient } from './rate-limits';

/** What an e-mail to a visitor's address is. */
export type VisitorEmailKind = 'confirmation' | 'transcript';

const HOUR_SECONDS = 3600;
const KEY_PREFIX = 'chatflows:rl:email';
const CLIENT_KEY_PREFIX = 'chatflows:rl:email-client';

/**
 * Confirmation links one client address may have sent an hour, by default
 * (`CHATFLOWS_CONFIRMATIONS_PER_IP_PER_HOUR`): a visitor's session costs
 * nothing, so the per-visitor budget alone would let one address e-mail
 * strangers through many sessions. Room for an office behind one address
 * whose people each confirm an address or two.
 */
export const CONFIRMATIONS_PER_CLIENT_PER_HOUR =
	DEFAULT_LIMIT_SETTINGS.confirmationsPerIpPerHour;

export class EmailBudget {
	/**
	 * Use `inMemory()` or `inRedis()`.
	 *
	 * @param limiter       The hourly limiter of addresses and visitors.
	 * @param clientLimiter The hourly limiter of client addresses.
	 * @param perClient     Its points.
	 */
	private constructor(
		private readonly limiter: RateLimiterAbstract,
		private readonly clientLimiter: RateLimiterAbstract,
		private readonly perClient: number
	) {}

	/**
	 * Counted in this process.
	 *
	 * @param perClient Confirmation links per client address and hour.
	 */
	static inMemory(
		perClient = CONFIRMATIONS_PER_CLIENT_PER_HOUR
	): EmailBudget {
		return new EmailBudget(
			new RateLimiterMemory( {
				keyPrefix: KEY_PREFIX,
				points: EMAILS_PER_ADDRESS_PER_HOUR,
				duration: HOUR_SECONDS,
			} ),
			new RateLimiterMemory( {
				keyPrefix: CLIENT_KEY_PREFIX,
				points: perClient,
				duration: HOUR_SECONDS,
			} ),
			perClient
		);
	}

	/**
	 * Counted in Redis, shared by every node.
	 *
	 * @param client    A connected node-redis client.
	 * @param perClient Confirmation links per client address and hour.
	 */
	static inRedis(
		client: RedisStoreClient,
		perClient = CONFIRMATIONS_PER_CLIENT_PER_HOUR
	): EmailBudget {
		const inRedis = ( options: {
			keyPrefix: string;
			points: number;
			duration: number;
		} ) =>
			new RateLimiterRedis( {
				...options,
				storeClient: client,
				useRedisPackage: true,
				insuranceLimiter: new RateLimiterMemory( options ),
			} );
		return new EmailBudget(
			inRedis( {
				keyPrefix: KEY_PREFIX,
				points: EMAILS_PER_ADDRESS_PER_HOUR,
				duration: HOUR_SECONDS,
			} ),
			inRedis( {
				keyPrefix: CLIENT_KEY_PREFIX,
				points: perClient,
				duration: HOUR_SECONDS,
			} ),
			perClient
		);
	}

	/**
	 * Takes one e-mail of the budgets, or none: false when any is spent.
	 * Unlike chat events, a store failure refuses: an e-mail not sent waits
	 * for the visitor to ask again, an e-mail sent cannot be taken back.
	 *
	 * @param kind          Confirmation link or transcript.
	 * @param email         The address it goes to.
	 * @param visitorId     Who asked for a confirmation link (counted too).
	 * @param clientAddress Where that visitor connects from (counted too).
	 * @return Whether it may be sent.
	 */
	async take(
		kind: VisitorEmailKind,
		email: string,
		visitorId?: string,
		clientAddress?: string
	): Promise< boolean > {
		const budgets: Array< [ RateLimiterAbstract, string, number ] > = [
			[
				this.limiter,
				`${ kind }:${ contactEmailKey( email ) }`,
				EMAILS_PER_ADDRESS_PER_HOUR,
			],
		];
		if ( visitorId !== undefined ) {
			budgets.push( [
				this.limiter,
				`${ kind }:visitor:${ visitorId }`,
				EMAILS_PER_ADDRESS_PER_HOUR,
			] );
		}
		if ( clientAddress !== undefined ) {
			budgets.push( [
				this.clientLimiter,
				`${ kind }:${ clientAddress }`,
				this.perClient,
			] );
		}
		// Look first, so a refusal by one budget spends nothing of the others.
		for ( const [ limiter, key, points ] of budgets ) {
			const used = await limiter.get( key ).catch( () => null );
			if ( used !== null && used.consumedPoints >= points ) {
				return false;
			}
		}
		try {
			for ( const [ limiter, key ] of budgets ) {
				await limiter.consume( key, 1 );
			}
			return true;
		} catch {
			// Spent meanwhile (another node), or the store failed.
			return false;
		}
	}
}
