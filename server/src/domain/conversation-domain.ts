/**
 * The live side of conversations, in parts by job:
 *
 * - `agent-availability.ts`: agents' presence (shared between nodes by
 *   `presence.ts`), their loads, and each chatflow's availability;
 * - `assignment.ts`: assignment and the queue;
 * - `sweeps.ts`: idle close and retention;
 * - `notifications.ts`: notifications to WordPress.
 *
 * This module wires them together and holds what concerns a conversation
 * as a whole. Everything that survives a restart is in the repository
 * (assignments, statuses, timestamps, pending notifications); presence is
 * rebuilt as agents reconnect. The domain never touches sockets: it tells
 * people through a `DomainAnnouncer` (the socket layer's `Broadcaster`).
 */
import type { Logger } from 'pino';
import {
	type ConversationSummary,
	type VisitorConversationUpdate,
} from '@chatflows/protocol';
import type {
	AppendResult,
	ChatRepository,
	ConversationRecord,
} from '../repository/types';
import type { ChatLimits } from '../limits/rate-limits';
import type { ConfigurationStore } from '../chatflow-sync/store';
import type { WordPressClient } from '../chatflow-sync/wordpress';
import type { EmailBudget } from '../limits/email-budget';
import { announceConversation, type DomainAnnouncer } from './announcer';
import { AgentAvailability } from './agent-availability';
import { AssignmentQueue } from './assignment';
import { WordPressNotifications } from './notifications';
import type { PresenceTransport } from './presence';
import { Sweeps } from './sweeps';

export interface ConversationDomainDeps {
	repository: ChatRepository;
	configuration: ConfigurationStore;
	/** Tells agents and visitors what changed (the socket layer). */
	announcer: DomainAnnouncer;
	/** Carries agents' presence between nodes (the agent namespace). */
	presenceTransport: PresenceTransport;
	logger: Logger;
	clock: () => Date;
	/** Calls back into WordPress; null when no WordPress URL is configured. */
	wordpress: WordPressClient | null;
	/** Caps the e-mails to each chatflow's team; none when omitted. */
	limits?: ChatLimits;
	/** E-mails to visitors' addresses; in memory when omitted. */
	emailBudget?: EmailBudget;
	sweepIntervalMs?: number;
}

export class ConversationDomain {
	/** Presence, loads and each chatflow's availability. */
	readonly availability: AgentAvailability;

	/** Assignment and the queue. */
	readonly assignment: AssignmentQueue;

	/** Notifications to WordPress. */
	readonly notifications: WordPressNotifications;

	/** Idle close and retention. */
	readonly sweeps: Sweeps;

	constructor( private readonly deps: ConversationDomainDeps ) {
		this.availability = new AgentAvailability( {
			...deps,
			onPresenceChange: ( fullPass ) =>
				void ( fullPass
					? this.assignment.rebalance()
					: this.assignment.schedulePass() ),
		} );
		this.assignment = new AssignmentQueue( {
			...deps,
			availability: this.availability,
		} );
		this.notifications = new WordPressNotifications( {
			...deps,
			loads: () => this.availability.loads(),
		} );
		this.sweeps = new Sweeps( {
			...deps,
			intervalMs: deps.sweepIntervalMs,
			closed: async ( conversation ) => {
				this.announceStatusToVisitor( conversation );
				await this.announceConversation( conversation.id );
				await this.conversationClosed( conversation );
			},
			deliverNotifications: () =>
				this.notifications.deliverNotifications(),
			rebalance: () => this.assignment.rebalance(),
		} );
		deps.configuration.onChange( () => {
			void this.assignment.rebalance();
		} );
	}

	/** Loads the stored configuration and starts the periodic sweep. */
	async start(): Promise< void > {
		this.availability.start();
		await this.deps.configuration.refresh();
		this.sweeps.start();
	}

	/** Stops the sweep and waits for running work. */
	async stop(): Promise< void > {
		this.availability.stop();
		this.assignment.stop();
		await this.sweeps.stop();
		await this.assignment.idle();
		await this.notifications.idle();
	}

	/** The configuration WordPress sent. */
	get configurationStore(): ConfigurationStore {
		return this.deps.configuration;
	}

	/**
	 * What follows a visitor's message that opened or reopened their
	 * conversation: the visitor hears it reopened; it is routed (the team by
	 * skill rule, then an agent or its place in the queue) while it waits;
	 * and a new one's team hears by e-mail when nobody can take it, or that
	 * it was left while nobody could answer. Every step is keyed on what is
	 * stored (routing only while nobody has it, notifications by an id named
	 * after the conversation), so running it again for a retried message
	 * does nothing twice.
	 *
	 * @param started                   The conversation and how it started.
	 * @param started.conversation      The conversation after the message.
	 * @param started.message           The message that opened or reopened it.
	 * @param started.opened            The message opened it.
	 * @param started.offline           It opened while nobody could answer.
	 * @param started.language          The visitor's browser language.
	 * @param started.retried           Run again for a retry: a team it has stays.
	 * @param started.message.body
	 * @param started.message.createdAt
	 */
	async conversationStarted( started: {
		conversation: ConversationRecord;
		message: { body: string; createdAt: string };
		opened: boolean;
		offline: boolean;
		language: string;
		retried?: boolean;
	} ): Promise< void > {
		const { conversation, opened, offline } = started;
		if ( ! opened ) {
			this.announceStatusToVisitor( conversation );
		}
		// A retry finds one an agent has: routed (or taken) already.
		const routed =
			! started.retried || conversation.assigneeId === null
				? this.assignment.conversationOpened(
						conversation,
						started.language,
						{
							keepTeam: started.retried,
						}
					)
				: Promise.resolve();
		if ( opened && offline ) {
			await Promise.all( [
				routed,
				this.notifications.notifyOfflineMessage(
					conversation,
					started.message
				),
			] );
		} else {
			await routed;
			// Nobody free to take a new one: the team hears by e-mail.
			if ( opened ) {
				await this.notifications.notifyIfUnattended( conversation.id );
			}
		}
	}

	/**
	 * A visitor's retry of a message already stored (deduplicated). The node
	 * that stored it may have died before what follows the message: when it
	 * opened or reopened the conversation, that runs again (see
	 * `conversationStarted`, which does nothing twice).
	 *
	 * @param result   The deduplicated write: the conversation now and the stored message.
	 * @param language The visitor's browser language.
	 */
	async visitorMessageRetried(
		result: AppendResult,
		language: string
	): Promise< void > {
		const { conversation, message } = result;
		if ( conversation.status !== 'open' ) {
			return;
		}
		// A conversation opens with its first message, at that message's time.
		const opened =
			message.seq === 1 && message.createdAt === conversation.createdAt;
		const ticket = await this.deps.repository.findTicket( conversation.id );
		// A reopening moves the ticket along at the reopening message's time.
		const reopened =
			! opened &&
			ticket?.state === 'reopened' &&
			ticket.updatedAt === message.createdAt;
		if ( ! opened && ! reopened ) {
			return;
		}
		await this.conversationStarted( {
			conversation,
			message,
			opened,
			offline: opened && ( ticket?.offline ?? false ),
			language,
			retried: true,
		} );
	}

	/**
	 * After a conversation closed: its verified visitor gets the transcript.
	 *
	 * @param conversation The conversation, closed.
	 */
	conversationClosed( conversation: ConversationRecord ): Promise< void > {
		return this.notifications.sendTranscript( conversation );
	}

	/**
	 * Sends the agents who see it the conversation as it is stored now.
	 *
	 * @param conversationId The conversation.
	 * @return The summary sent, or null when it does not exist.
	 */
	announceConversation(
		conversationId: string
	): Promise< ConversationSummary | null > {
		return announceConversation(
			this.deps.repository,
			this.deps.announcer,
			conversationId
		);
	}

	/**
	 * Tells the visitor their conversation closed or reopened (with the
	 * survey when it closed and the chatflow asks one).
	 *
	 * @param conversation The conversation after the change.
	 */
	announceStatusToVisitor( conversation: ConversationRecord ): void {
		const chatflow = this.deps.configuration.chatflow(
			conversation.chatflowId
		);
		this.deps.announcer.visitorConversationUpdated(
			conversation.visitorId,
			{
				conversation: {
					id: conversation.id,
					chatflowId: conversation.chatflowId,
					status: conversation.status,
					createdAt: conversation.createdAt,
				},
				survey:
					conversation.status === 'closed' && chatflow?.survey.enabled
						? { question: chatflow.survey.question }
						: null,
			}
		);
	}

	/**
	 * The survey a visitor still has to answer for a closed conversation:
	 * its chatflow asks one and no answer is stored yet.
	 *
	 * @param conversation The conversation.
	 * @return The question, or null.
	 */
	async pendingSurvey(
		conversation: ConversationRecord
	): Promise< VisitorConversationUpdate[ 'survey' ] > {
		const chatflow = this.deps.configuration.chatflow(
			conversation.chatflowId
		);
		if ( conversation.status !== 'closed' || ! chatflow?.survey.enabled ) {
			return null;
		}
		const answer = await this.deps.repository.findSurveyAnswer(
			conversation.id
		);
		return answer ? null : { question: chatflow.survey.question };
	}
}
