/**
 * Rate limits against floods and abuse, with rate-limiter-flexible: in memory
 * on one node, in Redis when the service runs on many nodes (so a visitor
 * cannot multiply their allowance by reaching several nodes).
 *
 * - per visitor: events per minute (messages, typing, resumes, …);
 * - per IP address: connection attempts and visitor events per minute, higher
 *   than the per-visitor limit since offices and mobile carriers share addresses;
 * - per visitor: conversations opened per hour.
 */
import {
	RateLimiterMemory,
	RateLimiterRedis,
	RateLimiterRes,
	type RateLimiterAbstract,
} from 'rate-limiter-flexible';

export interface LimitSettings {
	/** Events one visitor may send per minute. */
	visitorEventsPerMinute: number;
	/** Connection attempts plus visitor events one IP address may make per minute. */
	ipEventsPerMinute: number;
	/** Conversations one visitor may open per hour. */
	conversationsPerHour: number;
}

export const DEFAULT_LIMIT_SETTINGS: LimitSettings = {
	visitorEventsPerMinute: 120,
	ipEventsPerMinute: 1200,
	conversationsPerHour: 10,
};

/** What a limiter decided: go ahead, or wait `retryAfterMs`. */
export type LimitDecision =
	{ allowed: true } | { allowed: false; retryAfterMs: number };

/** The part of a node-redis client the Redis store needs. */
export type RedisStoreClient = object;

const ALLOWED: LimitDecision = { allowed: true };

/**
 * Consumes one point; a store failure (Redis unreachable) allows the event,
 * since chat must keep working while Redis recovers; the in-memory insurance
 * limiter still applies then.
 *
 * @param limiter The limiter.
 * @param key     Who consumes.
 */
async function consume(
	limiter: RateLimiterAbstract,
	key: string
): Promise< LimitDecision > {
	try {
		await limiter.consume( key, 1 );
		return ALLOWED;
	} catch ( rejection ) {
		if ( rejection instanceof RateLimiterRes ) {
			return {
				allowed: false,
				retryAfterMs: Math.max( 1, rejection.msBeforeNext ),
			};
		}
		return ALLOWED;
	}
}

/** The service's limits, sharing one store. */
export class ChatLimits {
	readonly settings: LimitSettings;

	private readonly visitorEvents: RateLimiterAbstract;

	private readonly ipEvents: RateLimiterAbstract;

	private readonly conversations: RateLimiterAbstract;

	/**
	 * Use createChatLimits().
	 *
	 * @param settings The limits.
	 * @param make     Builds one limiter.
	 */
	private constructor(
		settings: LimitSettings,
		make: (
			keyPrefix: string,
			points: number,
			durationSeconds: number
		) => RateLimiterAbstract
	) {
		this.settings = settings;
		this.visitorEvents = make(
			'chatflows:rl:visitor',
			settings.visitorEventsPerMinute,
			60
		);
		this.ipEvents = make(
			'chatflows:rl:ip',
			settings.ipEventsPerMinute,
			60
		);
		this.conversations = make(
			'chatflows:rl:conversations',
			settings.conversationsPerHour,
			3600
		);
	}

	/**
	 * Limits kept in this process.
	 *
	 * @param settings The limits.
	 */
	static inMemory( settings: LimitSettings ): ChatLimits {
		return new ChatLimits(
			settings,
			( keyPrefix, points, duration ) =>
				new RateLimiterMemory( { keyPrefix, points, duration } )
		);
	}

	/**
	 * Limits shared by every node through Redis.
	 *
	 * @param settings The limits.
	 * @param client   A connected node-redis client.
	 */
	static inRedis(
		settings: LimitSettings,
		client: RedisStoreClient
	): ChatLimits {
		return new ChatLimits(
			settings,
			( keyPrefix, points, duration ) =>
				new RateLimiterRedis( {
					storeClient: client,
					useRedisPackage: true,
					keyPrefix,
					points,
					duration,
					insuranceLimiter: new RateLimiterMemory( {
						keyPrefix,
						points,
						duration,
					} ),
				} )
		);
	}

	/**
	 * A connection attempt from an address.
	 *
	 * @param ip The client's address.
	 */
	consumeConnection( ip: string ): Promise< LimitDecision > {
		return consume( this.ipEvents, ip );
	}

	/**
	 * One event of a visitor: counts for the visitor and for the address.
	 *
	 * @param visitorId The visitor.
	 * @param ip        Their address.
	 */
	async consumeVisitorEvent(
		visitorId: string,
		ip: string
	): Promise< LimitDecision > {
		const byVisitor = await consume( this.visitorEvents, visitorId );
		if ( ! byVisitor.allowed ) {
			return byVisitor;
		}
		return consume( this.ipEvents, ip );
	}

	/**
	 * A visitor opening (or reopening) a conversation.
	 *
	 * @param visitorId The visitor.
	 */
	consumeConversation( visitorId: string ): Promise< LimitDecision > {
		return consume( this.conversations, visitorId );
	}
}
