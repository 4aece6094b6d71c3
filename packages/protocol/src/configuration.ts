/**
 * What WordPress sends the chat service: the compiled chatflows and the
 * directory of agents, teams and inboxes. WordPress owns the configuration;
 * the service never takes configuration from a browser.
 *
 * Transport (both directions signed with the shared secret, see `signature.ts`
 * on each side):
 * - WordPress → service, on publish / update / unpublish / delete and when teams
 *   or capacities change: `PUT /v1/configuration` with a full `ServiceConfiguration`
 *   (small: a site has a handful of chatflows), or `PUT /v1/chatflows/:id` with one
 *   `CompiledChatflow`, or `DELETE /v1/chatflows/:id`.
 * - Service → WordPress, when the service starts: `GET {site}/wp-json/chatflows/v1/service/configuration`
 *   (answers a `ServiceConfiguration`); and when WordPress must act, e.g. e-mail the team about a
 *   message left while offline: `POST {site}/wp-json/chatflows/v1/service/notify` with a `ServiceNotification`.
 * Requests carry `X-Chatflows-Timestamp`, `X-Chatflows-Nonce` and
 * `X-Chatflows-Signature: v2=<hex HMAC-SHA256>` over the method, the target,
 * the body's SHA-256, the timestamp and the nonce (see `signature.ts`); the
 * receiver refuses a bad signature, a timestamp more than 300 s away and a
 * nonce it has seen.
 */

/** Days as JavaScript counts them: 0 is Sunday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** One range of office hours; `end` may be `24:00`. Ranges of a day never overlap. */
export interface OfficeHoursRange {
	day: Weekday;
	/** `HH:MM`, 24-hour, in the chatflow's time zone. */
	start: string;
	end: string;
}

export type AvailabilityRule =
	| { mode: 'always' }
	/** Available while at least one assignable agent is connected and not away. */
	| { mode: 'users' }
	| { mode: 'office_hours'; timeZone: string; hours: OfficeHoursRange[] };

/** What the widget does in each availability state (the service reports the state). */
export interface AvailabilityBehaviour {
	/** Show the typical reply time while available. */
	showTypicalReplyTime: boolean;
	typicalReplyTime: 'minutes' | 'hour' | 'hours' | 'day';
	/** Away during office hours (all agents away). */
	whenAway: 'show_away_message' | 'hide_launcher';
	/** Outside office hours. */
	whenOffline:
		'show_return_time' | 'show_away_message' | 'hide_launcher' | 'nothing';
	/** Every assignable agent at their capacity. */
	whenAtCapacity: 'show_wait_message' | 'hide_launcher' | 'nothing';
}

/** Texts by locale (`en_US`, `da_DK`, `nl_NL`); a missing locale falls back to the default text. */
export type LocalizedText = Record< string, string >;

/** A chatflow as the service needs it. */
export interface CompiledChatflow {
	/** The WordPress post ID, as a string. */
	id: string;
	/** Increases with every save; the service keeps the newest it has seen. */
	version: number;
	/** Published = on. An unpublished chatflow accepts no new conversations. */
	enabled: boolean;
	name: string;
	inboxId: string;
	assignment: {
		enabled: boolean;
		/** WordPress user IDs, as strings. */
		userIds: string[];
		teamIds: string[];
		/** Skill rules, tried in order; the first match chooses the team. */
		rules: Array< {
			when: { pageUrlContains?: string; visitorLanguage?: string };
			teamId: string;
		} >;
	};
	availability: AvailabilityRule;
	behaviour: AvailabilityBehaviour;
	/** Minutes without a message after which an open conversation closes; 0: never. */
	idleCloseMinutes: number;
	ticket: {
		pipeline: string;
		status: string;
		priority: 'low' | 'medium' | 'high' | 'urgent';
		category: string;
	};
	emailCapture: {
		enabled: boolean;
		when: 'before_chat' | 'after_first_message' | 'when_offline';
	};
	survey: { enabled: boolean; question: LocalizedText };
	/**
	 * Contacts created from this chatflow: marketing contacts or not, and the
	 * subscription type the communications checkbox records. Absent: not
	 * marketing, no subscription type.
	 */
	contacts?: { marketing: boolean; subscriptionType: string };
	/** Files visitors may send; absent: allowed up to the service's limit. */
	attachments?: { enabled: boolean; maxSizeMb: number };
	/** Texts the service itself sends (e.g. the away message as a system message). */
	texts: { welcome: LocalizedText; away: LocalizedText; wait: LocalizedText };
	/**
	 * Custom branding used as alias: visitors see this name as the author of
	 * agents' messages (agents still see who wrote). Absent or '': agents' own names.
	 */
	alias?: string;
}

export interface DirectoryAgent {
	/** WordPress user ID, as a string. */
	id: string;
	name: string;
	/** The most open conversations assigned at once. */
	capacity: number;
	teamIds: string[];
	inboxIds: string[];
}

export interface DirectoryTeam {
	id: string;
	name: string;
	memberIds: string[];
}

export interface DirectoryInbox {
	id: string;
	name: string;
}

/** Everything WordPress tells the service, as sent in full. */
export interface ServiceConfiguration {
	/** The site's URL (WordPress `home_url()`); where the service sends signed calls back. */
	siteUrl: string;
	/** Origins allowed to connect besides the configured ones (e.g. the site's other hosts). */
	allowedOrigins: string[];
	chatflows: CompiledChatflow[];
	agents: DirectoryAgent[];
	teams: DirectoryTeam[];
	inboxes: DirectoryInbox[];
	/**
	 * How long closed conversations are kept: the service deletes those closed
	 * more than `closedConversationDays` days ago, with their messages, files,
	 * tickets and survey answers. 0 or absent: kept until erased.
	 */
	retention?: { closedConversationDays: number };
}

/**
 * A signed call from the service asking WordPress to e-mail people (through `wp_mail`):
 * - `offline_message`: a conversation opened while nobody could answer (offline or away); to the team.
 * - `new_conversation`: a conversation opened that no available agent can take now (it waits); to the team.
 * - `transcript`: the conversation closed and its visitor is verified for an e-mail address (identification,
 *   or a confirmed claim); to `visitor.email`, at most `EMAILS_PER_ADDRESS_PER_HOUR` an hour.
 * - `email_confirmation`: a visitor typed `visitor.email`; to that address, a link to WordPress's confirmation
 *   page carrying `confirmationToken` (fixed text: nothing the visitor typed), at most
 *   `EMAILS_PER_ADDRESS_PER_HOUR` an hour.
 * - `digest`: the team notifications of one window beyond the chatflow's cap, folded into one e-mail; to the team.
 */
export interface ServiceNotification {
	/**
	 * Stable for one event (e.g. `transcript:<conversation>:<last seq>`): the
	 * service retries until WordPress answers 2xx, and WordPress e-mails each
	 * id once, so a retry never sends twice.
	 */
	id?: string;
	/**
	 * `digest`: the team's notifications of one window beyond the chatflow's
	 * e-mail cap, in one e-mail: one entry of `messages` per folded
	 * notification (the visitor's name as `authorName`, their first message),
	 * `count` of them in all; `conversationId` and `pageUrl` are empty.
	 */
	type:
		| 'offline_message'
		| 'new_conversation'
		| 'transcript'
		| 'email_confirmation'
		| 'digest';
	chatflowId: string;
	conversationId: string;
	/** WordPress user IDs to e-mail; empty: the chatflow's assigned users and teams. */
	userIds: string[];
	visitor: {
		email: string | null;
		name: string | null;
		/**
		 * False: typed by the visitor and not confirmed (in the team's e-mails only, shown as such); absent:
		 * the contact's verified address.
		 */
		verified?: boolean;
	};
	/** Plain text of the messages concerned, oldest first. */
	messages: Array< {
		authorName: string;
		body: string;
		createdAt: string;
		/** Who wrote it (the transcript says "You" for the visitor). */
		authorType?: 'visitor' | 'agent' | 'system';
	} >;
	pageUrl: string;
	/** The visitor's browser language (BCP 47, e.g. `da-DK`): the transcript's language when the site has it. */
	locale?: string | null;
	/** A digest's number of folded notifications (`messages` lists at most 200 of them). */
	count?: number;
	/**
	 * `email_confirmation` only: the link's token (43 base64url characters). WordPress's page posts it back
	 * to `EMAIL_CONFIRMATION_PATH`; it works once, until `EMAIL_CONFIRMATION_LIFETIME_MS` after it was sent.
	 */
	confirmationToken?: string;
}

/** Where WordPress's confirmation page posts a clicked link's token, signed: `{ token }`. */
export const EMAIL_CONFIRMATION_PATH = '/v1/email-confirmations';

/** How long a confirmation link works. */
export const EMAIL_CONFIRMATION_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Most confirmation e-mails, and most transcripts, one address gets an hour (and confirmation e-mails one visitor asks for). */
export const EMAILS_PER_ADDRESS_PER_HOUR = 3;
