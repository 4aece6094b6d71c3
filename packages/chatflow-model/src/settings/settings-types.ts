/**
 * Settings of a chatflow, as stored and served by the `chatflows/v1` REST API.
 *
 * GENERATED from plugin/schema/chatflow-settings.json by `npm run schema:types`: do not edit by hand.
 * A unit test fails when this file is older than the schema.
 */

/**
 * Every setting of one chatflow. The single definition: WordPress builds its REST schema from this file (inlining the definitions); the TypeScript types, limits and validators of packages/chatflow-model are generated from it. Person-facing texts are stored per language; a missing or empty language means that language's default text.
 */
export interface ChatflowSettings {
	/**
	 * The inbox the chatflow's conversations go to; 0: the site's default inbox.
	 */
	inboxId: number;
	display: {
		/**
		 * Accent colour of the launcher and the chat window, as #RRGGBB.
		 */
		accentColor: string;
	};
	/**
	 * Who the chat heading shows.
	 */
	heading: {
		/**
		 * users_and_teams: userIds and teamIds (then the agent who answers); contact_owner: the visitor's contact owner; custom_branding: teamName and imageId.
		 */
		mode: 'users_and_teams' | 'contact_owner' | 'custom_branding';
		/**
		 * Specific users and teams: WordPress user IDs of agents whose names and avatars the heading shows before an agent answers.
		 */
		userIds: number[];
		/**
		 * Specific users and teams: IDs of teams whose names the heading shows before an agent answers.
		 */
		teamIds: number[];
		/**
		 * Custom branding: the name shown in the heading.
		 */
		teamName: string;
		/**
		 * Custom branding: a media-library attachment ID; 0: none.
		 */
		imageId: number;
		/**
		 * Custom branding: show the team name instead of agents' names in the conversation and transcripts.
		 */
		useAsAlias: boolean;
	};
	welcomeMessage: LocalizedText;
	assignment: {
		/**
		 * Assign incoming chats to the users and teams below.
		 */
		enabled: boolean;
		/**
		 * WordPress user IDs of agents (users who may answer chats).
		 */
		userIds: number[];
		/**
		 * IDs of teams.
		 */
		teamIds: number[];
	};
	availability: {
		/**
		 * users: available while an assignable agent is online; office_hours: during the hours below; always: 24/7.
		 */
		mode: 'users' | 'office_hours' | 'always';
		/**
		 * IANA time zone of the office hours, e.g. Europe/Copenhagen.
		 */
		timeZone: string;
		/**
		 * Office-hour ranges; ranges of one day never overlap.
		 */
		hours: OfficeHoursRange[];
		/**
		 * While available, show the typical reply time.
		 */
		showTypicalReplyTime: boolean;
		typicalReplyTime: 'minutes' | 'hour' | 'hours' | 'day';
		/**
		 * During office hours with every agent away.
		 */
		whenAway: 'show_away_message' | 'hide_launcher';
		awayMessage: LocalizedText;
		/**
		 * Outside office hours.
		 */
		whenOffline:
			| 'show_return_time'
			| 'show_away_message'
			| 'hide_launcher'
			| 'nothing';
		/**
		 * When every assignable agent is at their capacity.
		 */
		whenAtCapacity: 'show_wait_message' | 'hide_launcher' | 'nothing';
		waitMessage: LocalizedText;
	};
	emailCapture: {
		/**
		 * Ask the visitor for their e-mail address; an address matching no contact creates one.
		 */
		enabled: boolean;
		when: 'before_chat' | 'after_first_message' | 'when_offline';
		message: LocalizedText;
	};
	displayBehaviour: {
		/**
		 * prompt: pop the welcome message; launcher: only the launcher; prompt_on_trigger: the welcome message and open the chat when a trigger fires (or on click).
		 */
		desktop: 'prompt' | 'launcher' | 'prompt_on_trigger';
		mobile: 'prompt' | 'launcher';
		triggers: {
			exitIntent: boolean;
			timeOnPage: boolean;
			/**
			 * Seconds on the page before the trigger fires; 5 or more is recommended.
			 */
			timeOnPageSeconds: number;
			scroll: boolean;
			/**
			 * Percentage of the page scrolled.
			 */
			scrollPercent: number;
		};
	};
	knowledgeBase: {
		/**
		 * Let visitors search the site's content from the chat.
		 */
		enabled: boolean;
		sourceType: 'category' | 'post_type';
		/**
		 * sourceType category: the category's term ID.
		 */
		categoryId: number;
		/**
		 * sourceType post_type: a public post type, e.g. post or page.
		 */
		postType: string;
	};
	options: {
		/**
		 * Language of the chat; page: the language of the page.
		 */
		language: 'page' | 'en_US' | 'da_DK' | 'nl_NL';
		/**
		 * Properties of tickets created from this chat.
		 */
		ticket: {
			pipeline: string;
			status: string;
			priority: 'low' | 'medium' | 'high' | 'urgent';
			category: string;
		};
		/**
		 * Consent to collect chat cookies; on for a new chatflow, as in HubSpot.
		 */
		cookieConsent: {
			enabled: boolean;
			when: 'before_chat' | 'exit_intent';
			text: LocalizedText;
		};
		/**
		 * Consent to process data; on for a new chatflow, as in HubSpot.
		 */
		dataConsent: {
			enabled: boolean;
			/**
			 * explicit: the visitor ticks "I agree"; legitimate_interest: a notice only.
			 */
			mode: 'explicit' | 'legitimate_interest';
			text: LocalizedText;
			/**
			 * An http(s) URL; empty: the site's privacy policy page.
			 */
			privacyPolicyUrl: string;
		};
		/**
		 * Consent to communications.
		 */
		communicationsConsent: {
			enabled: boolean;
			/**
			 * What the visitor subscribes to: one_to_one (one-to-one e-mails), marketing (marketing information), customer_service (customer service communication).
			 */
			subscriptionType: 'one_to_one' | 'marketing' | 'customer_service';
			label: LocalizedText;
		};
		/**
		 * Contacts created from this chat are marketing contacts.
		 */
		marketingContacts: boolean;
		/**
		 * Satisfaction survey at the end of a chat.
		 */
		survey: {
			enabled: boolean;
			question: LocalizedText;
		};
		/**
		 * Minutes without a message after which an open conversation closes; 0: never.
		 */
		idleCloseMinutes: number;
		/**
		 * Files visitors may send: images (PNG, JPEG, GIF, WebP) and PDF documents.
		 */
		attachments: {
			enabled: boolean;
			/**
			 * Largest file, in megabytes (the chat service accepts at most 10).
			 */
			maxSizeMb: number;
		};
	};
	/**
	 * Where the chatflow shows, besides pages that choose it: an exclusion that holds hides it; otherwise all pages, or any group whose rules all hold, show it.
	 */
	target: {
		/**
		 * Show on every page (exclusions still apply).
		 */
		allPages: boolean;
		/**
		 * Groups of rules: the chat shows when every rule of any one group holds.
		 */
		include: TargetGroup[];
		/**
		 * Rules that hide the chat when any one of them holds.
		 */
		exclude: TargetRule[];
	};
}
/**
 * A text per language, plain text (never HTML). A missing or empty language shows that language's default text; removing a key resets it.
 */
export interface LocalizedText {
	en_US?: string;
	da_DK?: string;
	nl_NL?: string;
}
/**
 * One range of office hours in the chatflow's time zone.
 */
export interface OfficeHoursRange {
	/**
	 * 0 is Sunday, as JavaScript counts.
	 */
	day: number;
	/**
	 * HH:MM, 24-hour.
	 */
	start: string;
	/**
	 * HH:MM, 24-hour, or 24:00; after start.
	 */
	end: string;
}
/**
 * Rules that must all hold.
 */
export interface TargetGroup {
	/**
	 * At least one rule.
	 */
	rules: TargetRule[];
}
/**
 * One targeting rule. url and query are decided when the page renders; the others (visitor rules) in the visitor's browser.
 */
export interface TargetRule {
	/**
	 * url: the page's URL; query: a query parameter; contact: known or unknown visitor; user: logged_in or logged_out; role: a WordPress role; device: desktop, tablet or mobile; referrer: the referring URL; language: the page's language.
	 */
	field:
		| 'url'
		| 'query'
		| 'contact'
		| 'user'
		| 'role'
		| 'device'
		| 'referrer'
		| 'language';
	/**
	 * url and referrer: is, is_not, contains, not_contains, starts_with, ends_with, matches (wildcard *); query: equals, contains, present; role, device, language: is, is_not; contact, user: is.
	 */
	operator:
		| 'is'
		| 'is_not'
		| 'contains'
		| 'not_contains'
		| 'starts_with'
		| 'ends_with'
		| 'matches'
		| 'equals'
		| 'present';
	/**
	 * query: the parameter's name; empty for other fields.
	 */
	name: string;
	value: string;
}
