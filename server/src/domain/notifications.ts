/**
 * Notifications to WordPress, which e-mails them: a message left while
 * nobody could answer, a new conversation nobody can take, a transcript for
 * a verified visitor, a confirmation link. Each is stored first and
 * delivered with retries; e-mails to a team beyond its cap are held and go
 * out as one digest.
 */
import type { Logger } from 'pino';
import {
	type ChatMessage,
	type ServiceNotification,
} from '@chatflows/protocol';
import type {
	ChatRepository,
	ConversationRecord,
	PendingNotification,
} from '../repository/types';
import type { ChatLimits } from '../limits/rate-limits';
import type { ConfigurationStore } from '../chatflow-sync/store';
import {
	backoffMs,
	WordPressAnswerError,
	type WordPressClient,
} from '../chatflow-sync/wordpress';
import { EmailBudget } from '../limits/email-budget';
import { OnePassAtATime } from './one-pass-at-a-time';
import { eligibleAgents, type AgentLoad } from './routing';

/** Most notifications delivered per sweep. */
const NOTIFICATION_BATCH = 20;

/** Most messages quoted in one notification (WordPress accepts 200). */
const MESSAGES_PER_NOTIFICATION = 200;

/** Most held notifications folded into one digest e-mail (more: another digest). */
const NOTIFICATIONS_PER_DIGEST = 1000;

/** Longest text of a visitor's message quoted in a digest. */
const DIGEST_EXCERPT_LENGTH = 300;

/** How long a notification WordPress fails to take (5xx, no answer) is retried. */
export const NOTIFICATION_RETRY_LIMIT_MS = 24 * 60 * 60 * 1000;

/**
 * Messages as a notification quotes them.
 *
 * @param messages The stored messages.
 */
function quoted( messages: ChatMessage[] ): ServiceNotification[ 'messages' ] {
	return messages.map( ( message ) => ( {
		authorName: message.authorName,
		body: message.body,
		createdAt: message.createdAt,
		authorType: message.authorType,
	} ) );
}

export interface NotificationsDeps {
	repository: ChatRepository;
	configuration: ConfigurationStore;
	logger: Logger;
	clock: () => Date;
	/** Calls back into WordPress; null when no WordPress URL is configured. */
	wordpress: WordPressClient | null;
	/** Caps the e-mails to each chatflow's team; none when omitted. */
	limits?: ChatLimits;
	/** E-mails to visitors' addresses; in memory when omitted. */
	emailBudget?: EmailBudget;
	/** Every connected agent's presence and load, read afresh. */
	loads: () => Promise< AgentLoad[] >;
}

export class WordPressNotifications {
	private readonly deliveries = new OnePassAtATime( () =>
		this.runDeliveries()
	);

	private visitorEmails: EmailBudget | undefined;

	constructor( private readonly deps: NotificationsDeps ) {}

	/** What may still be e-mailed to visitors' addresses this hour. */
	get emailBudget(): EmailBudget {
		this.visitorEmails ??= this.deps.emailBudget ?? EmailBudget.inMemory();
		return this.visitorEmails;
	}

	/** Resolves when the running delivery pass, if any, is done. */
	async idle(): Promise< void > {
		await this.deliveries.idle();
	}

	/**
	 * Stores a notification for WordPress and tries to deliver it at once;
	 * the sweep retries it while WordPress does not accept it. Its id names
	 * the event: stored once, and WordPress e-mails each id once.
	 *
	 * E-mails to a chatflow's team beyond its cap for the current window are
	 * held instead, and go out together as one digest when the window ends.
	 *
	 * @param notification What WordPress should e-mail.
	 */
	async notify(
		notification: ServiceNotification & { id: string }
	): Promise< void > {
		const now = this.deps.clock();
		const digest = await this.digestFor( notification, now );
		await this.deps.repository.enqueueNotification( {
			id: notification.id,
			notification,
			createdAt: now.toISOString(),
			nextAttemptAt: digest?.dueAt,
			digestKey: digest?.key,
		} );
		if ( digest ) {
			return;
		}
		void this.deliverNotifications().catch( ( error: unknown ) => {
			this.deps.logger.error( { err: error }, 'notification failed' );
		} );
	}

	/**
	 * The digest a team notification is held for, when its chatflow's cap for
	 * this window is spent. Windows are fixed spans of the service's clock, so
	 * every node agrees on them; the key also names the recipients, so a
	 * digest goes only to whom its notifications would have gone.
	 *
	 * @param notification The notification.
	 * @param now          Now.
	 * @return The digest's key and when it is due, or null to send it now.
	 */
	private async digestFor(
		notification: ServiceNotification,
		now: Date
	): Promise< { key: string; dueAt: string } | null > {
		const limits = this.deps.limits;
		// Transcripts and confirmation links go to the visitor, not the team
		// (they have their own per-address budget).
		if (
			! limits ||
			notification.type === 'transcript' ||
			notification.type === 'email_confirmation'
		) {
			return null;
		}
		const windowMs = limits.teamEmailWindowMs;
		const window = Math.floor( now.getTime() / windowMs );
		if (
			await limits.consumeTeamEmail( notification.chatflowId, window )
		) {
			return null;
		}
		const recipients = [ ...notification.userIds ].sort().join( ',' );
		return {
			key: `${ notification.chatflowId }:${ window }:${ recipients }`,
			dueAt: new Date( ( window + 1 ) * windowMs ).toISOString(),
		};
	}

	/**
	 * Asks WordPress to e-mail the chatflow's team about a message left while
	 * nobody could answer.
	 *
	 * @param conversation      The conversation it opened.
	 * @param message           The message.
	 * @param message.body      Its text.
	 * @param message.createdAt When it was written.
	 */
	async notifyOfflineMessage(
		conversation: ConversationRecord,
		message: { body: string; createdAt: string }
	): Promise< void > {
		await this.notify( {
			id: `offline_message:${ conversation.id }`,
			type: 'offline_message',
			chatflowId: conversation.chatflowId,
			conversationId: conversation.id,
			userIds: [],
			visitor: await this.visitorForTeam( conversation ),
			messages: [
				{
					authorName: '',
					body: message.body,
					createdAt: message.createdAt,
				},
			],
			pageUrl: conversation.pageUrl,
		} );
	}

	/**
	 * After a new conversation's first routing: when no available agent can
	 * take it now (nobody connected and available, or everyone at capacity),
	 * asks WordPress to e-mail the agents who could (the team its skill rule
	 * chose, else the chatflow's users and teams). With assignment off, an
	 * available agent sees it in the inbox, so only nobody available counts.
	 *
	 * @param conversationId The conversation.
	 */
	async notifyIfUnattended( conversationId: string ): Promise< void > {
		const { repository, configuration, logger } = this.deps;
		try {
			const conversation =
				await repository.findConversation( conversationId );
			if (
				! conversation ||
				conversation.status !== 'open' ||
				conversation.assigneeId !== null
			) {
				return;
			}
			const chatflow = configuration.chatflow( conversation.chatflowId );
			const eligible = eligibleAgents(
				configuration.configuration,
				chatflow,
				conversation.teamId
			);
			// Fresh: another node may have freed someone since the last pass.
			const loads = await this.deps.loads();
			const someoneCanTakeIt = loads.some(
				( load ) =>
					load.available &&
					load.open < load.capacity &&
					( eligible === null || eligible.has( load.userId ) )
			);
			if ( someoneCanTakeIt ) {
				return;
			}
			const [ visitor, messages ] = await Promise.all( [
				this.visitorForTeam( conversation ),
				repository.listMessages( conversation.id, 0 ),
			] );
			await this.notify( {
				id: `new_conversation:${ conversation.id }`,
				type: 'new_conversation',
				chatflowId: conversation.chatflowId,
				conversationId: conversation.id,
				userIds: eligible ? [ ...eligible ] : [],
				visitor,
				messages: quoted(
					messages.slice( 0, MESSAGES_PER_NOTIFICATION )
				),
				pageUrl: conversation.pageUrl,
			} );
		} catch ( error ) {
			logger.error(
				{ err: error, conversationId },
				'new conversation notification failed'
			);
		}
	}

	/**
	 * When a conversation closes and its visitor is verified for an e-mail
	 * address, asks WordPress to send them the transcript. Once per close
	 * with new messages (closing again without any sends nothing more), and
	 * at most `EMAILS_PER_ADDRESS_PER_HOUR` an hour to one address.
	 *
	 * @param conversation The conversation, closed.
	 */
	async sendTranscript( conversation: ConversationRecord ): Promise< void > {
		const { repository, logger } = this.deps;
		try {
			// Only a verified address: a contact is linked by identification
			// or a confirmed link, never by what a visitor typed.
			const visitor = await this.visitorOf( conversation );
			if ( visitor.email === null || conversation.lastSeq === 0 ) {
				return;
			}
			if (
				! ( await this.emailBudget.take( 'transcript', visitor.email ) )
			) {
				logger.info(
					{ conversationId: conversation.id },
					'transcript not sent: the address had its hourly budget'
				);
				return;
			}
			const [ messages, context ] = await Promise.all( [
				repository.listMessages( conversation.id, 0 ),
				repository.findConversationContext( conversation.id ),
			] );
			await this.notify( {
				id: `transcript:${ conversation.id }:${ conversation.lastSeq }`,
				type: 'transcript',
				chatflowId: conversation.chatflowId,
				conversationId: conversation.id,
				userIds: [],
				visitor,
				// The newest ones when it is very long.
				messages: quoted(
					messages.slice( -MESSAGES_PER_NOTIFICATION )
				),
				pageUrl: conversation.pageUrl,
				locale:
					context && context.language !== ''
						? context.language
						: null,
			} );
		} catch ( error ) {
			logger.error(
				{ err: error, conversationId: conversation.id },
				'transcript notification failed'
			);
		}
	}

	/**
	 * The visitor's e-mail and name, from the conversation's contact (a
	 * verified identity: never a typed claim).
	 *
	 * @param conversation The conversation.
	 */
	private async visitorOf(
		conversation: ConversationRecord
	): Promise< ServiceNotification[ 'visitor' ] > {
		const contact = conversation.contactId
			? await this.deps.repository.findContact( conversation.contactId )
			: null;
		return {
			email: contact ? contact.email : null,
			name: contact && contact.name !== '' ? contact.name : null,
		};
	}

	/**
	 * Who the team is told wrote: the contact, else the address the visitor
	 * typed, marked not verified (the team may answer it; nothing is sent to
	 * it but the confirmation link).
	 *
	 * @param conversation The conversation.
	 */
	private async visitorForTeam(
		conversation: ConversationRecord
	): Promise< ServiceNotification[ 'visitor' ] > {
		const contact = await this.visitorOf( conversation );
		if ( contact.email !== null ) {
			return contact;
		}
		const claim = await this.deps.repository.findEmailClaim(
			conversation.visitorId
		);
		return claim
			? {
					email: claim.email,
					name: claim.name !== '' ? claim.name : null,
					verified: false,
				}
			: contact;
	}

	/** Delivers due notifications; one delivery pass at a time, begun after this call. */
	deliverNotifications(): Promise< void > {
		return this.deliveries.run();
	}

	private async runDeliveries(): Promise< void > {
		const { repository, wordpress, clock } = this.deps;
		if ( ! wordpress ) {
			return;
		}
		const due = await repository.listDueNotifications(
			clock().toISOString(),
			NOTIFICATION_BATCH
		);
		const digests = new Set< string >();
		for ( const pending of due ) {
			if ( pending.digestKey === null ) {
				await this.deliver( wordpress, pending.notification, [
					pending,
				] );
				continue;
			}
			if ( digests.has( pending.digestKey ) ) {
				continue;
			}
			digests.add( pending.digestKey );
			const held = await repository.listDigestNotifications(
				pending.digestKey,
				NOTIFICATIONS_PER_DIGEST
			);
			if ( held.length > 0 ) {
				await this.deliver( wordpress, digestOf( held ), held );
			}
		}
	}

	/**
	 * Sends one notification (maybe a digest) standing for stored ones: done,
	 * they are forgotten; refused for good (a 4xx) or failing for longer
	 * than NOTIFICATION_RETRY_LIMIT_MS, they are marked failed; else they
	 * are retried with backoff.
	 *
	 * @param wordpress    The WordPress client.
	 * @param notification What to send.
	 * @param stored       The stored notifications it stands for.
	 */
	private async deliver(
		wordpress: WordPressClient,
		notification: ServiceNotification,
		stored: PendingNotification[]
	): Promise< void > {
		const { repository, clock, logger } = this.deps;
		const about = {
			type: notification.type,
			conversationId: notification.conversationId || undefined,
			count: notification.count,
		};
		try {
			await wordpress.notify( notification );
			for ( const pending of stored ) {
				await repository.completeNotification( pending.id );
			}
			logger.info( about, 'WordPress notified' );
		} catch ( error ) {
			const now = clock();
			const refused =
				error instanceof WordPressAnswerError && error.permanent;
			const oldest = Math.min(
				...stored.map( ( pending ) => Date.parse( pending.createdAt ) )
			);
			if (
				refused ||
				now.getTime() - oldest >= NOTIFICATION_RETRY_LIMIT_MS
			) {
				for ( const pending of stored ) {
					await repository.failNotification(
						pending.id,
						now.toISOString()
					);
				}
				logger.error(
					{ ...about, err: error },
					refused
						? 'WordPress refused a notification; not retrying it'
						: 'WordPress did not accept a notification for too long; giving up'
				);
				return;
			}
			const retryAt = new Date(
				now.getTime() + backoffMs( stored[ 0 ].attempts )
			).toISOString();
			for ( const pending of stored ) {
				await repository.postponeNotification( pending.id, retryAt );
			}
			logger.warn(
				{ ...about, err: error, retryAt },
				'WordPress did not accept a notification; retrying later'
			);
		}
	}
}

/**
 * One e-mail for the team notifications held in a window: a line per
 * notification (who, their first message), to the same recipients.
 *
 * @param held The held notifications, oldest first (at least one).
 * @return The digest notification; its id names the window and its first
 *         notification, so WordPress e-mails it once even if two nodes send it.
 */
function digestOf( held: PendingNotification[] ): ServiceNotification {
	const first = held[ 0 ];
	return {
		id: `digest:${ first.digestKey }:${ first.id }`,
		type: 'digest',
		chatflowId: first.notification.chatflowId,
		conversationId: '',
		userIds: first.notification.userIds,
		visitor: { email: null, name: null },
		messages: held
			.slice( 0, MESSAGES_PER_NOTIFICATION )
			.map( ( { notification, createdAt } ) => ( {
				authorName: notification.visitor.name ?? '',
				// By code points, so no character is cut in half.
				body: Array.from(
					notification.messages.find(
						( message ) => message.authorType !== 'agent'
					)?.body ?? ''
				)
					.slice( 0, DIGEST_EXCERPT_LENGTH )
					.join( '' ),
				createdAt,
				authorType: 'visitor' as const,
			} ) ),
		pageUrl: '',
		count: held.length,
	};
}
