/**
 * E-mail capture without takeovers. An address a visitor types is a claim
 * (`EmailClaimRecord`): stored with the visitor, shown to agents as not
 * verified, and never used to create, rename, flag or link a contact, nor
 * to find anyone's history or consents. To turn it into an identity the
 * service asks WordPress to e-mail that address a confirmation link (a
 * signed `email_confirmation` notification, sent with `wp_mail`).
 *
 * The link points at WordPress (`?chatflows_confirm_email=<token>`), not at
 * the service: WordPress shows the page in the visitor's language at the
 * site's own address, and confirming takes a button (a POST), so a mail
 * scanner that fetches links confirms nothing. WordPress then posts the
 * token here, signed (`EMAIL_CONFIRMATION_PATH`); only then is the visitor
 * linked to the contact, with their consents and current conversation.
 */
import type express from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
	EMAIL_CONFIRMATION_LIFETIME_MS,
	EMAIL_CONFIRMATION_PATH,
} from '@chatflows/protocol';
import {
	sendError,
	signedRouter,
	type SignedCallOptions,
} from '../chatflow-sync/signed-routes';
import type { ConversationDomain } from '../domain/conversation-domain';
import { contactEmailKey } from '../repository/contact-key';
import type { ClientAddresses } from '../limits/client-address';
import type { ChatRepository } from '../repository/types';
import type { VisitorSocket } from '../types';
import { linkVisitorToContact } from './contact-link';
import { createSessionToken, hashSessionToken } from './session';

interface ClaimDeps {
	repository: ChatRepository;
	/** Sends notifications; holds the e-mail budget. */
	domain: ConversationDomain;
	clock: () => Date;
	logger: Logger;
	/** Tells the client's address behind trusted proxies: its confirmation links are counted. */
	clientAddresses?: ClientAddresses;
}

/**
 * `contact:email`: stores the claim and, within the e-mail budgets, has a
 * confirmation link sent. An address the visitor is already verified for
 * (identification) is simply theirs.
 *
 * @param deps          Repository, domain, clock and logger.
 * @param socket        The visitor's connection.
 * @param payload       What the visitor typed.
 * @param payload.email The address.
 * @param payload.name  The name, if any.
 * @return The acknowledgement's data.
 */
export async function claimEmail(
	deps: ClaimDeps,
	socket: VisitorSocket,
	payload: { email: string; name?: string }
): Promise< { contactId: string | null; confirmationSent: boolean } > {
	const { repository, domain } = deps;
	const { visitorId, chatflowId, contactId } = socket.data;
	const key = contactEmailKey( payload.email );
	if ( contactId ) {
		const contact = await repository.findContact( contactId );
		if ( contact && contactEmailKey( contact.email ) === key ) {
			return { contactId, confirmationSent: false };
		}
	}
	const earlier = await repository.findEmailClaim( visitorId );
	const sent = await domain.notifications.emailBudget.take(
		'confirmation',
		payload.email,
		visitorId,
		deps.clientAddresses?.ofSocket( socket )
	);
	// Out of budget for the same address: the link already sent keeps working.
	if ( ! sent && earlier && contactEmailKey( earlier.email ) === key ) {
		return { contactId: null, confirmationSent: false };
	}
	const now = deps.clock();
	const token = createSessionToken();
	await repository.saveEmailClaim( {
		visitorId,
		chatflowId,
		email: payload.email,
		name: payload.name ?? '',
		marketing:
			domain.configurationStore.chatflow( chatflowId )?.contacts
				?.marketing === true,
		claimedAt: now.toISOString(),
		confirmationHash: sent ? hashSessionToken( token ) : null,
		confirmationExpiresAt: sent
			? new Date(
					now.getTime() + EMAIL_CONFIRMATION_LIFETIME_MS
				).toISOString()
			: null,
	} );
	if ( sent ) {
		await domain.notifications.notify( {
			id: `email_confirmation:${ hashSessionToken( token ).slice( 0, 32 ) }`,
			type: 'email_confirmation',
			chatflowId,
			conversationId: '',
			userIds: [],
			// Only the address: nothing else a visitor typed goes to a stranger.
			visitor: { email: payload.email.trim(), name: null },
			messages: [],
			pageUrl: socket.data.pageUrl,
			locale: socket.data.language || null,
			confirmationToken: token,
		} );
	} else {
		deps.logger.info(
			{ visitorId },
			'confirmation e-mail not sent: the hourly budget is spent'
		);
	}
	return { contactId: null, confirmationSent: sent };
}

const confirmationSchema = z.object( {
	token: z
		.string( { message: 'must be the token of a confirmation link' } )
		.regex(
			/^[A-Za-z0-9_-]{43}$/,
			'must be the token of a confirmation link'
		),
} );

/**
 * The signed endpoint WordPress's confirmation page posts a clicked link's
 * token to: `200 { confirmed: true }` once the visitor is linked to the
 * contact, `410 link_invalid` for a link expired, used or never sent.
 *
 * @param options            What every signed endpoint needs (`SignedCallOptions`), and:
 * @param options.repository The repository.
 * @param options.domain     Announces the change to agents.
 * @param options.announce   Tells agents a visitor's context changed.
 * @return An express router mounted at the root.
 */
export function emailConfirmationRouter(
	options: SignedCallOptions & {
		repository: ChatRepository;
		domain: ConversationDomain;
		announce: ( visitorId: string, contactId: string ) => Promise< void >;
	}
): express.Router {
	const signed = signedRouter( {
		...options,
		purpose: 'confirm an e-mail address',
	} );
	const { repository } = options;

	signed.route(
		'post',
		EMAIL_CONFIRMATION_PATH,
		confirmationSchema,
		async ( request, res ) => {
			const now = options.clock();
			const claim = await repository.takeEmailClaim( {
				confirmationHash: hashSessionToken( request.token ),
				now: now.toISOString(),
			} );
			if ( ! claim ) {
				sendError(
					res,
					410,
					'link_invalid',
					'token: this link has expired, was already used, or was replaced by a newer one.'
				);
				return;
			}
			const conversation = await repository.findLatestConversation(
				claim.visitorId,
				claim.chatflowId
			);
			const contact = await linkVisitorToContact(
				{ repository, clock: () => now },
				{
					visitorId: claim.visitorId,
					conversationId: conversation ? conversation.id : null,
					email: claim.email,
					name: claim.name,
					marketing: claim.marketing,
				}
			);
			options.logger.info(
				{ visitorId: claim.visitorId, contactId: contact.id },
				'e-mail address confirmed'
			);
			// Agents hear of it before WordPress shows the visitor it is done.
			if ( conversation ) {
				await options.domain.announceConversation( conversation.id );
			}
			await options.announce( claim.visitorId, contact.id );
			res.status( 200 ).json( { confirmed: true } );
		}
	);
	return signed.done();
}
