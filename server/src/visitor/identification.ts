/**
 * Identification: a visitor whose page passed an e-mail and a token that
 * WordPress signed for it (see `IdentificationTokenClaims`) is linked to that
 * contact. A missing, wrong or expired token leaves the visitor anonymous:
 * the chat still works, it is only not linked. So does a token without an
 * `email`: WordPress signs the address only when it confirmed it.
 */
import { jwtVerify } from 'jose';
import type { Logger } from 'pino';
import type { ExtendedError } from 'socket.io';
import { z } from 'zod';
import { contactEmailKey } from '../repository/contact-key';
import type { ChatRepository } from '../repository/types';
import type { VisitorSocket } from '../types';
import { linkVisitorToContact } from './contact-link';
import { CLOCK_TOLERANCE_SECONDS } from '../agent/auth';
import { emailSchema } from '../validation';

/** The audience WordPress puts in identification tokens. */
export const IDENTIFICATION_AUDIENCE = 'chatflows-identification';

const handshakeSchema = z.object( {
	identificationEmail: z.string().min( 3 ).max( 254 ),
	identificationToken: z.string().min( 1 ).max( 4096 ),
} );

const claimsSchema = z.object( {
	email: emailSchema,
	name: z.string().max( 250 ).default( '' ),
} );

/** Who a valid identification names. */
export interface Identity {
	email: string;
	name: string;
}

/**
 * Checks a handshake's identification.
 *
 * @param auth   The handshake (`socket.handshake.auth`).
 * @param secret The shared secret.
 * @param now    The current time.
 * @return The contact it names, or null when absent or not valid.
 */
export async function verifyIdentification(
	auth: unknown,
	secret: Uint8Array,
	now: Date
): Promise< Identity | null > {
	const handshake = handshakeSchema.safeParse( auth );
	if ( ! handshake.success ) {
		return null;
	}
	try {
		const { payload } = await jwtVerify(
			handshake.data.identificationToken,
			secret,
			{
				algorithms: [ 'HS256' ],
				audience: IDENTIFICATION_AUDIENCE,
				requiredClaims: [ 'exp', 'email' ],
				clockTolerance: CLOCK_TOLERANCE_SECONDS,
				currentDate: now,
			}
		);
		const claims = claimsSchema.safeParse( payload );
		// The token is for one address: the page may not pass another with it.
		if (
			! claims.success ||
			contactEmailKey( claims.data.email ) !==
				contactEmailKey( handshake.data.identificationEmail )
		) {
			return null;
		}
		return { email: claims.data.email.trim(), name: claims.data.name };
	} catch {
		return null;
	}
}

/**
 * Namespace middleware for `/visitor`, after the session: links an
 * identified visitor to their contact, and their latest conversation under
 * this chatflow with it.
 *
 * @param deps             Dependencies.
 * @param deps.repository  The repository.
 * @param deps.secret      The shared secret.
 * @param deps.logger      Logger.
 * @param deps.clock       Clock.
 * @param deps.isMarketing Whether the chatflow makes marketing contacts.
 * @return The middleware.
 */
export function visitorIdentificationMiddleware( deps: {
	repository: ChatRepository;
	secret: string;
	logger: Logger;
	clock: () => Date;
	/** Whether the chatflow's contacts are marketing contacts. */
	isMarketing?: ( chatflowId: string ) => boolean;
} ) {
	const secret = new TextEncoder().encode( deps.secret );
	return async (
		socket: VisitorSocket,
		next: ( err?: ExtendedError ) => void
	): Promise< void > => {
		const auth = socket.handshake.auth as Record< string, unknown >;
		if ( ! auth?.identificationToken ) {
			next();
			return;
		}
		try {
			const identity = await verifyIdentification(
				auth,
				secret,
				deps.clock()
			);
			if ( ! identity ) {
				deps.logger.info(
					{ visitorId: socket.data.visitorId },
					'identification refused: the token is not valid for this e-mail'
				);
				next();
				return;
			}
			const conversation = await deps.repository.findLatestConversation(
				socket.data.visitorId,
				socket.data.chatflowId
			);
			const contact = await linkVisitorToContact( deps, {
				visitorId: socket.data.visitorId,
				conversationId: conversation ? conversation.id : null,
				email: identity.email,
				name: identity.name,
				// The site vouches for the name as for the address.
				rename: true,
				marketing:
					deps.isMarketing?.( socket.data.chatflowId ) === true,
			} );
			socket.data.contactId = contact.id;
			next();
		} catch ( error ) {
			// The chat works without it; the visitor is only not linked.
			deps.logger.error( { err: error }, 'identification failed' );
			next();
		}
	};
}
