/**
 * Applies the rate limits to the visitor namespace: connection attempts per
 * address, events per visitor and per address, new sessions per address and
 * network, conversations per visitor, address and network. Addresses are the
 * clients' (see client-address.ts), never a trusted proxy's.
 */
import type { ExtendedError, Socket } from 'socket.io';
import type { ChatRepository } from '../repository/types';
import { connectError, type VisitorSocket } from '../types';
import type { ClientAddresses } from './client-address';
import type { Refusal } from './packet-guard';
import type { BudgetDecision, ChatLimits, LimitDecision } from './rate-limits';

function seconds( decision: { retryAfterMs: number } ): number {
	return Math.max( 1, Math.ceil( decision.retryAfterMs / 1000 ) );
}

/**
 * Namespace middleware: refuses connection attempts above the address's rate
 * with `connect_error` code `rate_limited`.
 *
 * @param limits    The limits.
 * @param addresses Resolves the client's address.
 * @return The middleware; register it before authentication so a flood costs no database work.
 */
export function connectionRateLimit(
	limits: ChatLimits,
	addresses: ClientAddresses
) {
	return async (
		socket: Socket,
		next: ( err?: ExtendedError ) => void
	): Promise< void > => {
		const decision = await limits.consumeConnection(
			addresses.ofSocket( socket )
		);
		if ( decision.allowed ) {
			next();
			return;
		}
		next(
			connectError(
				'rate_limited',
				`Slow down: too many connections from your address. Try again in ${ seconds(
					decision
				) } seconds.`
			)
		);
	};
}

/**
 * What a refused address or network budget says.
 *
 * @param decision The refusal.
 * @param what     What ran out (`new chat sessions`).
 */
function budgetExceeded(
	decision: BudgetDecision & { allowed: false },
	what: string
): string {
	const from = decision.scope === 'address' ? 'your address' : 'your network';
	return `Slow down: too many ${ what } from ${ from }. Try again in ${ seconds(
		decision
	) } seconds.`;
}

/**
 * The check before a handshake creates a visitor, for visitorAuthMiddleware:
 * new sessions cost the address and its network.
 *
 * @param limits    The limits.
 * @param addresses Resolves the client's address.
 * @return Resolves null to go ahead, or the `connect_error` to refuse with.
 */
export function newSessionAdmission(
	limits: ChatLimits,
	addresses: ClientAddresses
): ( socket: Socket ) => Promise< ExtendedError | null > {
	return async ( socket ) => {
		const decision = await limits.consumeNewSession(
			addresses.ofSocket( socket )
		);
		return decision.allowed
			? null
			: connectError(
					'rate_limited',
					budgetExceeded( decision, 'new chat sessions' )
				);
	};
}

function slowDown(
	decision: LimitDecision,
	what: string,
	reason: string
): Refusal | null {
	if ( decision.allowed ) {
		return null;
	}
	return {
		code: 'rate_limited',
		message: `Slow down: ${ what }. Try again in ${ seconds(
			decision
		) } seconds.`,
		reason,
	};
}

/**
 * The admission check of visitor sockets' events, for createPacketGuard().
 *
 * @param limits     The limits.
 * @param repository To tell whether a message would open a conversation.
 * @param addresses  Resolves the client's address.
 * @return The check of one socket's event.
 */
export function visitorAdmission(
	limits: ChatLimits,
	repository: ChatRepository,
	addresses: ClientAddresses
): ( socket: Socket, event: string ) => Promise< Refusal | null > {
	// Connections that have seen their conversation open: their messages need
	// no database read here, as only a visitor's own new connections (or an
	// agent closing the conversation) can lead to opening another one.
	const conversationOpen = new WeakSet< Socket >();
	return async ( socket, event ) => {
		const { visitorId, chatflowId } = ( socket as unknown as VisitorSocket )
			.data;
		const refusal = slowDown(
			await limits.consumeVisitorEvent(
				visitorId,
				addresses.ofSocket( socket )
			),
			'you are sending too quickly',
			'rate_limited'
		);
		if (
			refusal ||
			event !== 'message:send' ||
			conversationOpen.has( socket )
		) {
			return refusal;
		}
		// Only a message without an open conversation opens (or reopens) one.
		if ( await repository.findOpenConversation( visitorId, chatflowId ) ) {
			conversationOpen.add( socket );
			return null;
		}
		const decision = await limits.consumeConversation( visitorId );
		if ( ! decision.allowed ) {
			conversationOpen.delete( socket );
			return slowDown(
				decision,
				`you have started ${ limits.settings.conversationsPerHour } conversations this hour`,
				'conversations_per_hour'
			);
		}
		// Fresh sessions cost nothing, so the address and its network pay too.
		const budget = await limits.consumeNewConversation(
			addresses.ofSocket( socket )
		);
		if ( ! budget.allowed ) {
			conversationOpen.delete( socket );
			return {
				code: 'rate_limited',
				message: budgetExceeded( budget, 'new conversations' ),
				reason: `conversations_per_${ budget.scope }`,
			};
		}
		conversationOpen.add( socket );
		return null;
	};
}
