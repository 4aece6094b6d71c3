/**
 * Visitor sessions: opaque random tokens issued by the service. Only the
 * SHA-256 of a token is stored, so a copy of the database cannot be used to
 * impersonate visitors.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ExtendedError } from 'socket.io';
import type { ConfigurationStore } from '../chatflow-sync/store';
import { thisConnectionOnly } from '../realtime/this-connection';
import type { ChatRepository, VisitorRecord } from '../repository/types';
import { connectError, visitorRoom, type VisitorSocket } from '../types';
import {
	sanitizeLanguage,
	sanitizePageUrl,
	visitorHandshakeSchema,
} from '../validation';
import { isRefusal, usableChatflow } from './chatflow-gate';

/** 32 random bytes in base64url: 43 characters. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function createSessionToken(): string {
	return randomBytes( 32 ).toString( 'base64url' );
}

export function hashSessionToken( token: string ): string {
	return createHash( 'sha256' ).update( token, 'utf8' ).digest( 'hex' );
}

export interface VisitorAuthDeps {
	repository: ChatRepository;
	/** Only chatflows WordPress published are served. */
	configuration: ConfigurationStore;
	logger: Logger;
	clock: () => Date;
	/** Asked before a new visitor is created: null to go ahead, or the refusal. */
	admitNewSession?: (
		socket: VisitorSocket
	) => Promise< ExtendedError | null >;
}

/**
 * Namespace middleware for `/visitor`: validates the handshake, refuses a
 * chatflow visitors may not use (see `usableChatflow`), then finds the
 * visitor by session or creates a new one.
 *
 * @param deps Repository, logger and clock.
 * @return The middleware.
 */
export function visitorAuthMiddleware( deps: VisitorAuthDeps ) {
	return async (
		socket: VisitorSocket,
		next: ( err?: ExtendedError ) => void
	): Promise< void > => {
		const parsed = visitorHandshakeSchema.safeParse(
			socket.handshake.auth
		);
		if ( ! parsed.success ) {
			next(
				connectError(
					'invalid_handshake',
					'The handshake must name a chatflowId of 1–64 letters, digits, "_" or "-".'
				)
			);
			return;
		}
		const { session, chatflowId, pageUrl, language } = parsed.data;
		try {
			let visitor: VisitorRecord | null = null;
			let token = '';
			if ( session !== undefined && TOKEN_PATTERN.test( session ) ) {
				visitor = await deps.repository.findVisitorBySessionHash(
					hashSessionToken( session )
				);
				token = session;
			}
			// Before a visitor is created: a refused chatflow leaves no trace.
			const chatflow = await usableChatflow(
				deps.configuration,
				deps.repository,
				chatflowId,
				visitor?.id ?? null
			);
			if ( isRefusal( chatflow ) ) {
				next( connectError( chatflow.code, chatflow.message ) );
				return;
			}
			if ( ! visitor ) {
				const refusal = await deps.admitNewSession?.( socket );
				if ( refusal ) {
					next( refusal );
					return;
				}
				token = createSessionToken();
				visitor = {
					id: randomUUID(),
					sessionHash: hashSessionToken( token ),
					createdAt: deps.clock().toISOString(),
				};
				await deps.repository.createVisitor( visitor );
				deps.logger.debug(
					{ visitorId: visitor.id },
					'visitor created'
				);
			}
			socket.data = {
				visitorId: visitor.id,
				token,
				chatflowId,
				pageUrl: sanitizePageUrl( pageUrl ),
				language: sanitizeLanguage( language ),
				contactId: null,
			};
			next();
		} catch ( error ) {
			deps.logger.error( { err: error }, 'visitor session failed' );
			next( new Error( 'The chat service could not start a session.' ) );
		}
	};
}

/**
 * Joins the visitor's room and confirms the session to the client.
 *
 * @param socket A socket that passed the middleware.
 */
export function startVisitorSession( socket: VisitorSocket ): void {
	const { visitorId, token, contactId } = socket.data;
	socket.join( visitorRoom( visitorId ) );
	// At connection time a contact can only come from an accepted identification.
	// Sent again on every connection: kept out of the cluster's stream.
	thisConnectionOnly( socket ).emit(
		'session',
		contactId
			? { visitorId, token, identified: true }
			: { visitorId, token }
	);
}
