/**
 * The one rule for chatflows a visitor names (in the handshake or an
 * upload's query): only those WordPress published, and under one switched
 * off since, only an open conversation goes on. A made-up or deleted id
 * never opens anything, and nothing is kept in memory for it.
 */
import {
	type ChatflowRefusalCode,
	type CompiledChatflow,
} from '@chatflows/protocol';
import type { ConfigurationStore } from '../chatflow-sync/store';
import type { ChatRepository } from '../repository/types';

export interface ChatflowRefusal {
	code: ChatflowRefusalCode;
	message: string;
}

const PENDING: ChatflowRefusal = {
	code: 'configuration_pending',
	message:
		'The chat service is starting and has no chatflows yet. Try again in a few seconds.',
};

const UNAVAILABLE: ChatflowRefusal = {
	code: 'chatflow_unavailable',
	message: 'chatflowId: this chat is not available.',
};

const SWITCHED_OFF: ChatflowRefusal = {
	code: 'chatflow_unavailable',
	message:
		'chatflowId: this chat is switched off and accepts no new conversations.',
};

/**
 * Why a chatflow takes nothing new now (a map lookup), or null when it is
 * published.
 *
 * @param store      The configuration WordPress sent.
 * @param chatflowId The chatflow a visitor names.
 * @return The refusal to send, or null.
 */
export function newConversationRefusal(
	store: ConfigurationStore,
	chatflowId: string
): ChatflowRefusal | null {
	return {
		published: null,
		unpublished: SWITCHED_OFF,
		unknown: UNAVAILABLE,
		pending: PENDING,
	}[ store.standing( chatflowId ).state ];
}

/**
 * The chatflow a visitor may use now, or why not: a published one, or one
 * switched off while the visitor has an open conversation there.
 *
 * @param store      The configuration WordPress sent.
 * @param repository Finds the visitor's open conversation (asked only under a chatflow switched off).
 * @param chatflowId The chatflow the visitor names.
 * @param visitorId  The visitor; null for one not created yet.
 * @param hasOpen    Whether the visitor has an open conversation under it, when the caller knows.
 * @return The chatflow, or the refusal to send.
 */
export async function usableChatflow(
	store: ConfigurationStore,
	repository: ChatRepository,
	chatflowId: string,
	visitorId: string | null,
	hasOpen?: boolean
): Promise< CompiledChatflow | ChatflowRefusal > {
	const standing = store.standing( chatflowId );
	if ( standing.state === 'published' ) {
		return standing.chatflow;
	}
	if ( standing.state !== 'unpublished' ) {
		return standing.state === 'pending' ? PENDING : UNAVAILABLE;
	}
	const open =
		hasOpen ??
		( visitorId !== null &&
			( await repository.findOpenConversation(
				visitorId,
				chatflowId
			) ) !== null );
	return open ? standing.chatflow : SWITCHED_OFF;
}

/**
 * Whether `usableChatflow` refused.
 *
 * @param result What it answered.
 */
export function isRefusal(
	result: CompiledChatflow | ChatflowRefusal
): result is ChatflowRefusal {
	return 'code' in result;
}
