/**
 * Rate limits against floods and abuse, with rate-limiter-flexible: in memory
 * on one node, in Redis when the service runs on many nodes (so a visitor
 * cannot multiply their allowance by reaching several nodes).
 *
 * - per visitor: events per minute (messages, typing, resumes, …);
 * - per IP address: connection attempts and visitor events per minute, higher
 *   than the per-visitor limit since offices and mobile carriers share addresses;
 * - per visitor: conversations opened per hour;
 * - per client address and per network (/24, /64): new visitor sessions and
 *   new conversations per hour, since sessions cost a visitor nothing; the
 *   address budgets are per person behind one NAT, the network ones generous;
 * - per chatflow: e-mails to its team per window (the rest go in a digest).
 */
import { networkOf } from './client-address';
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
	/** New visitor sessions one client address may start per hour. */
	sessionsPerIpPerHour: number;
	/** New visitor sessions one network (/24, /64) may start per hour. */
	sessionsPerNetworkPerHour: number;
	/** Conversations one client address may open per hour. */
	conversationsPerIpPerHour: number;
	/** Conversations one network (/24, /64) may open per hour. */
	conversationsPerNetworkPerHour: number;
	/** E-mails to one chatflow's team per window; more wait for the window's digest. */
	teamEmailsPerWindow: number;
	/** The team e-mail window, in minutes. */
	teamEmailWindowMinutes: number;
}

export const DEFAULT_LIMIT_SETTINGS: LimitSettings = {
	visitorEventsPerMinute: 120,
	ipEventsPerMinute: 1200,
	conversationsPerHour: 10,
	sessionsPerIpPerHour: 60,
	sessionsPerNetworkPerHour: 600,
	conversationsPerIpPerHour: 30,
	conversationsPerNetworkPerHour: 300,
	teamEmailsPerWindow: 10,
	teamEmailWindowMinutes: 15,
};

/** A budget refused: which one, for the message and the metrics. */
export type BudgetDecision =
	| { allowed: true }
	| { allowed: false; retryAfterMs: number; scope: 'address' | 'network' };

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

	private readonly sessionsByIp: RateLimiterAbstract;

	private readonly sessionsByNetwork: RateLimiterAbstract;

	private readonly conversationsByIp: RateLimiterAbstract;

	private readonly conversationsByNetwork: RateLimiterAbstract;

	private readonly teamEmails: RateLimiterAbstract;

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
		this.sessionsByIp = make(
			'chatflows:rl:sessions:ip',
			settings.sessionsPerIpPerHour,
			3600
		);
		this.sessionsByNetwork = make(
			'chatflows:rl:sessions:net',
			settings.sessionsPerNetworkPerHour,
			3600
		);
		this.conversationsByIp = make(
			'chatflows:rl:conversations:ip',
			settings.conversationsPerIpPerHour,
			3600
		);
		this.conversationsByNetwork = make(
			'chatflows:rl:conversations:net',
			settings.conversationsPerNetworkPerHour,
			3600
		);
		// Keys name their window (see consumeTeamEmail), so a key lives one window.
		this.teamEmails = make(
			'chatflows:rl:team-emails',
			settings.teamEmailsPerWindow,
			settings.teamEmailWindowMinutes * 60
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

	/**
	 * A new visitor session from an address: counts for the address and its network.
	 *
	 * @param ip The client's address (see ClientAddresses).
	 */
	consumeNewSession( ip: string ): Promise< BudgetDecision > {
		return consumeBudgets( this.sessionsByIp, this.sessionsByNetwork, ip );
	}

	/**
	 * A conversation opened from an address: counts for the address and its network.
	 *
	 * @param ip The client's address.
	 */
	consumeNewConversation( ip: string ): Promise< BudgetDecision > {
		return consumeBudgets(
			this.conversationsByIp,
			this.conversationsByNetwork,
			ip
		);
	}

	/** The team e-mail window's length in milliseconds. */
	get teamEmailWindowMs(): number {
		return this.settings.teamEmailWindowMinutes * 60_000;
	}

	/**
	 * One e-mail to a chatflow's team in a window.
	 *
	 * @param chatflowId The chatflow.
	 * @param window     The window's number (time / window length), by the service's clock.
	 * @return Whether it may go out now; if not, it waits for the window's digest.
	 */
	async consumeTeamEmail(
		chatflowId: string,
		window: number
	): Promise< boolean > {
		return (
			await consume( this.teamEmails, `${ chatflowId }:${ window }` )
		).allowed;
	}
}

/**
 * Consumes a point from an address's budget, then from its network's.
 *
 * @param byIp      The address budget.
 * @param byNetwork The network budget.
 * @param ip        The address.
 */
async function consumeBudgets(
	byIp: RateLimiterAbstract,
	byNetwork: RateLimiterAbstract,
	ip: string
): Promise< BudgetDecision > {
	const address = await consume( byIp, ip );
	if ( ! address.allowed ) {
		return { ...address, scope: 'address' };
	}
	const network = await consume( byNetwork, networkOf( ip ) );
	if ( ! network.allowed ) {
		return { ...network, scope: 'network' };
	}
	return { allowed: true };
}
