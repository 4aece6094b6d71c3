/**
 * The agents' inbox and the queue, written once over the query layer
 * (`db.ts`); the statements are in inbox-sql.ts and queue-sql.ts.
 */
import type {
	ConversationSummary,
	InboxCounts,
	InboxView,
} from '@chatflows/protocol';
import { rowsOf } from './contacts';
import type { Db } from './db';
import {
	CONTEXT_BY_CONVERSATION,
	OPEN_WITH_LAST_AUTHOR,
	MOVE_CURRENT_PAGE,
	UPSERT_CONTEXT,
	contextParams,
	inboxCountsStatement,
	inboxListStatement,
	relatedConversationsStatement,
	toContextRecord,
	toCounts,
	toInboxSummary,
	toOpenActivity,
	type ContextRow,
	type InboxSummaryRow,
	type OpenWithLastAuthorRow,
} from './inbox-sql';
import {
	openCountsByAssigneeSql,
	queuePlaceSql,
	waitingConversationsSql,
} from './queue-sql';
import { toConversation, type ConversationRow } from './rows';
import type {
	AgentOpenCount,
	ConversationContextRecord,
	ConversationRecord,
	InboxListInput,
	InboxRepository,
	OpenConversationActivity,
	QueuePlace,
	QueueRepository,
} from './types';

export class SqlInboxRepository implements InboxRepository {
	constructor( private readonly db: Db ) {}

	async listInbox( input: InboxListInput ): Promise< {
		conversations: ConversationSummary[];
		counts: InboxCounts;
	} > {
		const { dialect } = this.db;
		const [ rows, [ counts ] ] = await Promise.all( [
			rowsOf< InboxSummaryRow >(
				this.db,
				inboxListStatement( dialect, input )
			),
			rowsOf< Record< InboxView, unknown > >(
				this.db,
				inboxCountsStatement( input )
			),
		] );
		return {
			conversations: rows.map( toInboxSummary ),
			counts: toCounts( counts ),
		};
	}

	async listRelatedConversations( input: {
		conversationId: string;
		visitorId: string;
		contactId: string | null;
		limit: number;
	} ): Promise< ConversationSummary[] > {
		return (
			await rowsOf< InboxSummaryRow >(
				this.db,
				relatedConversationsStatement( this.db.dialect, input )
			)
		).map( toInboxSummary );
	}

	async saveConversationContext(
		context: ConversationContextRecord
	): Promise< void > {
		// Every new conversation writes one: with its neighbours, one commit.
		await this.db.grouped( () =>
			this.db.exec( UPSERT_CONTEXT, contextParams( context ) )
		);
	}

	moveCurrentPage( input: {
		visitorId: string;
		chatflowId: string;
		url: string;
		title: string;
		updatedAt: string;
	} ): Promise< number > {
		return this.db.grouped( () =>
			this.db.exec( MOVE_CURRENT_PAGE, [
				input.url,
				input.title,
				input.updatedAt,
				input.visitorId,
				input.url,
				input.title,
				input.visitorId,
				input.chatflowId,
			] )
		);
	}

	async findConversationContext(
		conversationId: string
	): Promise< ConversationContextRecord | null > {
		const row = await this.db.one< ContextRow >( CONTEXT_BY_CONVERSATION, [
			conversationId,
		] );
		return row ? toContextRecord( row ) : null;
	}
}

export class SqlQueueRepository implements QueueRepository {
	constructor( private readonly db: Db ) {}

	async listOpenConversations(): Promise< ConversationRecord[] > {
		const rows = await this.db.many< ConversationRow >(
			`SELECT * FROM conversations WHERE status = 'open'
			ORDER BY created_at, ${ this.db.dialect.insertionOrder }`
		);
		return rows.map( toConversation );
	}

	async listWaitingConversations(): Promise< ConversationRecord[] > {
		const rows = await this.db.many< ConversationRow >(
			waitingConversationsSql( this.db.dialect )
		);
		return rows.map( toConversation );
	}

	async countOpenByAssignee(): Promise< AgentOpenCount[] > {
		const rows = await this.db.many< { user_id: string; open: number } >(
			openCountsByAssigneeSql( this.db.dialect )
		);
		return rows.map( ( row ) => ( {
			userId: row.user_id,
			open: row.open,
		} ) );
	}

	async findQueuePlace(
		conversationId: string
	): Promise< QueuePlace | null > {
		const row = await this.db.one< QueuePlace >(
			queuePlaceSql( this.db.dialect ),
			[ conversationId ]
		);
		return row && row.place > 0
			? { place: row.place, waiting: row.waiting }
			: null;
	}

	async listOpenConversationActivity(): Promise<
		OpenConversationActivity[]
	> {
		return (
			await this.db.many< OpenWithLastAuthorRow >( OPEN_WITH_LAST_AUTHOR )
		).map( toOpenActivity );
	}
}
