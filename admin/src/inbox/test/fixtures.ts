/**
 * Shared test data for the inbox's tests.
 */
import type {
	ConversationContext,
	ConversationSummary,
} from '@chatflows/protocol';

/**
 * A conversation's context with an anonymous visitor online and nothing
 * else recorded, changed by `overrides`.
 *
 * @param conversationId The conversation.
 * @param overrides      Values to use instead.
 */
export function conversationContext(
	conversationId: string,
	overrides: Partial< ConversationContext > = {}
): ConversationContext {
	return {
		conversationId,
		visitor: {
			startPage: null,
			currentPage: null,
			referrer: '',
			timeZone: '',
			language: '',
			deviceType: null,
			online: true,
		},
		chatflowName: '',
		contact: null,
		earlier: [],
		ticket: null,
		survey: null,
		consents: [],
		...overrides,
	};
}

/**
 * An open conversation of chatflow 7 started on a shop's start page, with
 * an anonymous visitor, changed by `overrides`.
 *
 * @param overrides Values to use instead.
 */
export function conversationSummary(
	overrides: Partial< ConversationSummary > = {}
): ConversationSummary {
	return {
		id: 'c1',
		chatflowId: '7',
		status: 'open',
		createdAt: '2026-12-01T10:00:00.000Z',
		visitorId: 'v1',
		pageUrl: 'https://shop.example/start/',
		updatedAt: '2026-12-01T10:00:00.000Z',
		lastMessage: null,
		...overrides,
	};
}
