/**
 * Shared test data for the inbox's tests.
 */
import type { ConversationContext } from '@chatflows/protocol';

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
