/**
 * Agent authentication: a short-lived HS256 JWT that WordPress signs with the
 * secret it shares with the service (see AgentTokenClaims in the contract).
 */
import { errors, jwtVerify } from 'jose';
import type { Logger } from 'pino';
import type { ExtendedError } from 'socket.io';
import { connectError, type AgentSocket, type ConnectError } from '../types';
import { agentClaimsSchema } from '../validation';

export const TOKEN_AUDIENCE = 'chatflows-service';

/** The capability an agent needs to connect. */
export const ANSWER_CAPABILITY = 'chatflows_answer';

/** Seconds of clock difference between WordPress and the service tolerated. */
export const CLOCK_TOLERANCE_SECONDS = 5;

export interface AgentIdentity {
	userId: string;
	name: string;
	caps: string[];
	/** The agent's teams (token claim `teams`). */
	teams: string[];
	/** The agent's inboxes (token claim `inboxes`); null when the token has none. */
	inboxes: string[] | null;
	/** When WordPress signed the token (Unix seconds); null when it does not say. */
	iat: number | null;
	exp: number;
}

/**
 * Verifies an agent token.
 *
 * @param token  What the inbox sent as `handshake.auth.token`.
 * @param secret The shared secret, as bytes.
 * @param now    Current time.
 * @return The agent, or the refusal to send.
 */
export async function verifyAgentToken(
	token: unknown,
	secret: Uint8Array,
	now: Date
): Promise< AgentIdentity | ConnectError > {
	if ( typeof token !== 'string' || token === '' ) {
		return connectError(
			'token_missing',
			'An agent token is required to connect.'
		);
	}
	let payload: unknown;
	try {
		( { payload } = await jwtVerify( token, secret, {
			algorithms: [ 'HS256' ],
			audience: TOKEN_AUDIENCE,
			requiredClaims: [ 'exp', 'sub' ],
			clockTolerance: CLOCK_TOLERANCE_SECONDS,
			currentDate: now,
		} ) );
	} catch ( error ) {
		if ( error instanceof errors.JWTExpired ) {
			return connectError(
				'token_expired',
				'The agent token has expired. Request a new one and reconnect.'
			);
		}
		return connectError( 'token_invalid', 'The agent token is not valid.' );
	}
	const claims = agentClaimsSchema.safeParse( payload );
	if ( ! claims.success ) {
		return connectError( 'token_invalid', 'The agent token is not valid.' );
	}
	if ( ! claims.data.caps.includes( ANSWER_CAPABILITY ) ) {
		return connectError(
			'forbidden',
			'This user is not allowed to answer chats.'
		);
	}
	return {
		userId: claims.data.sub,
		name: claims.data.name,
		caps: claims.data.caps,
		teams: claims.data.teams,
		inboxes: claims.data.inboxes ?? null,
		iat: claims.data.iat ?? null,
		exp: claims.data.exp,
	};
}

/** Checks a token presented at connection or with `auth:renew`. */
export type AgentTokenVerifier = (
	token: unknown
) => Promise< AgentIdentity | ConnectError >;

/**
 * The one check of agent tokens, at connection and on renewal alike.
 *
 * @param options         Options.
 * @param options.secret  The shared secret.
 * @param options.clock   The service's clock.
 * @param options.isStale Whether WordPress changed the user's rights after signing the token (see `AgentAccess`).
 * @return The verifier.
 */
export function agentTokenVerifier( options: {
	secret: string;
	clock: () => Date;
	isStale?: ( agent: AgentIdentity ) => boolean;
} ): AgentTokenVerifier {
	const key = new TextEncoder().encode( options.secret );
	return async ( token ) => {
		const agent = await verifyAgentToken( token, key, options.clock() );
		if ( ! ( agent instanceof Error ) && options.isStale?.( agent ) ) {
			return connectError(
				'token_invalid',
				'The agent token was signed before the user’s rights changed. Request a new one.'
			);
		}
		return agent;
	};
}

export interface AgentAuthDeps {
	verify: AgentTokenVerifier;
	logger: Logger;
}

/**
 * Namespace middleware for `/agent`.
 *
 * @param deps Token check and logger.
 * @return The middleware.
 */
export function agentAuthMiddleware( deps: AgentAuthDeps ) {
	return async (
		socket: AgentSocket,
		next: ( err?: ExtendedError ) => void
	): Promise< void > => {
		try {
			const auth: unknown = socket.handshake.auth;
			const token =
				auth && typeof auth === 'object'
					? ( auth as Record< string, unknown > ).token
					: undefined;
			const result = await deps.verify( token );
			if ( result instanceof Error ) {
				deps.logger.info(
					{
						code: result.data?.code,
						address: socket.handshake.address,
					},
					'agent refused'
				);
				next( result );
				return;
			}
			// The agent's last choice, so nothing is assigned while they reconnect away.
			socket.data = {
				...result,
				away: ( auth as Record< string, unknown > ).presence === 'away',
			};
			next();
		} catch ( error ) {
			deps.logger.error( { err: error }, 'agent authentication failed' );
			next(
				new Error( 'The chat service could not check the agent token.' )
			);
		}
	};
}
