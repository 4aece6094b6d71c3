/**
 * The chat's texts as WordPress translates and prints them into a page
 * (`Frontend::public_config`, `Frontend::window_texts`, …): read by the
 * widget, and printed by the admin's preview of it too.
 */
export interface WidgetTexts {
	openChat: string;
	closeChat: string;
	heading: string;
	message: string;
	send: string;
	you: string;
	team: string;
	messages: string;
	sending: string;
	notSent: string;
	connecting: string;
	reconnecting: string;
	emptyState: string;
	/** Texts of the chat window; missing in configurations printed before it had them (e.g. the admin's preview). */
	window?: ChatWindowTexts;
	/** Attaching and showing files; missing: no attachments are offered. */
	attachments?: AttachmentTexts;
	/** The knowledge-base tab; missing: no tab. */
	knowledge?: KnowledgeBaseTexts;
}

/** Texts of attaching and showing files (see `Frontend::attachment_texts`). */
export interface AttachmentTexts {
	attach: string;
	hint: string;
	/** `%s`: the file's name. */
	uploading: string;
	/** `%s`: the limit in megabytes. */
	tooLarge: string;
	wrongType: string;
	failed: string;
	/** `%s`: the file's name. */
	image: string;
	/** `%1$s`: the file's name; `%2$s`: its size. */
	download: string;
	unavailable: string;
}

/** Texts of the knowledge-base tab (see `Frontend::knowledge_base_texts`). */
export interface KnowledgeBaseTexts {
	tab: string;
	searchLabel: string;
	search: string;
	searching: string;
	noResults: string;
	/** `%s`: how many. */
	results: string;
	failed: string;
	opensInNewTab: string;
}

/**
 * The chat window's texts. Placeholders `%s`, `%1$s`, `%2$s` are filled in by
 * the window.
 */
export interface ChatWindowTexts {
	chatTab: string;
	sound: string;
	replyTime: Record< 'minutes' | 'hour' | 'hours' | 'day', string >;
	/** `%s`: when office hours begin again, e.g. "Monday 09:00". */
	returnTime: string;
	/** `%1$s`: place in the queue; `%2$s`: the estimated wait, e.g. "3 minutes". */
	queuePosition: string;
	/** `%s`: who is typing. */
	typing: string;
	seen: string;
	emailLabel: string;
	emailSubmit: string;
	emailInvalid: string;
	emailSaved: string;
	offlineHeading: string;
	offlineIntro: string;
	unreachable: string;
	/** The chat was switched off or removed since the page was made. */
	unavailable: string;
	offlineSubmit: string;
	offlineSent: string;
	offlineQueued: string;
	messageRequired: string;
	/** `%1$s`: a rating; `%2$s`: the highest rating. */
	surveyRating: string;
	surveyComment: string;
	surveySubmit: string;
	surveyThanks: string;
	surveyChooseRating: string;
	conversationClosed: string;
	/** The button that offers to write again after a conversation ended. */
	startNew: string;
	/** Goes on without answering the survey or giving the e-mail address. */
	skip: string;
	/** Under the welcome message before anything was written: what to do next. */
	startHint: string;
	rateLimited: string;
	notDelivered: string;
	/** The cookie banner's accessible name. */
	cookieBanner: string;
	cookieAccept: string;
	cookieDecline: string;
	/** The button giving consent to process data (explicit mode). */
	dataAgree: string;
	/** Said when the visitor sends before agreeing. */
	dataAgreeFirst: string;
	privacyPolicy: string;
}
