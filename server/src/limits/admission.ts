/**
 * Applies the rate limits to the visitor namespace: connection attempts per
 * address, events per visitor and per address, conversations per visitor.
 */
import type { ExtendedError, Socket } from 'socket.io';
import type { ChatRepository } from '../repository/types';
import { connectError, type VisitorSocket } from '../types';
import type { Refusal } from './packet-guard';
import type { ChatLimits, LimitDecision } from './rate-limits';

/**
 * The client's address as seen by this process. Behind a reverse proxy every
 * visitor shares the proxy's address: raise CHATFLOWS_RATE_IP_PER_MINUTE then.
 *
 * @param socket A socket.
 */
export function clientAddress( socket: Socket ): string {
	return socket.handshake.address || 'unknown';
}

function seconds( decision: { retryAfterMs: number } ): number {
	return Math.max( 1, Math.ceil( decision.retryAfterMs / 1000 ) );
}

/**
 * Namespace middleware: refuses connection attempts above the address's rate
 * with `connect_error` code `rate_limited`.
 *
 * @param limits The limits.
 * @return The middleware; register it before authentication so a flood costs no database work.
 */
export function connectionRateLimit( limits: ChatLimits ) {
	return async (
		socket: Socket,
		next: ( err?: ExtendedError ) => void
	): Promise< void > => {
		const decision = await limits.consumeConnection(
			clientAddress( socket )
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
 * @return The check of one socket's event.
 */
export function visitorAdmission(
	limits: ChatLimits,
	repository: ChatRepository
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
				clientAddress( socket )
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
		if ( decision.allowed ) {
			conversationOpen.add( socket );
		} else {
			conversationOpen.delete( socket );
		}
		return slowDown(
			decision,
			`you have started ${ limits.settings.conversationsPerHour } conversations this hour`,
			'conversations_per_hour'
		);
	};
}
