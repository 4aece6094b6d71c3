/**
 * Agents' internal notes and their mentions, the same SQL for SQLite and
 * PostgreSQL. Notes live apart from `messages`: nothing that reads messages
 * (the visitor's resume, transcripts, e-mails, unread counts, first-response
 * times) can ever see one. Each conversation numbers its notes from 1.
 */
import type {
	InternalNote,
	MentionTargetType,
	NoteMention,
} from '@chatflows/protocol';
import type { Db } from './db';

/** The schema step both databases apply. */
export const NOTES_MIGRATION = `
	CREATE TABLE notes (
		conversation_id TEXT NOT NULL REFERENCES conversations ( id ),
		seq INTEGER NOT NULL,
		client_id TEXT NOT NULL,
		author_id TEXT NOT NULL,
		author_name TEXT NOT NULL DEFAULT '',
		body TEXT NOT NULL,
		mentions TEXT NOT NULL DEFAULT '[]',
		created_at TEXT NOT NULL,
		PRIMARY KEY ( conversation_id, seq ),
		UNIQUE ( conversation_id, client_id )
	);
	CREATE TABLE note_mentions (
		conversation_id TEXT NOT NULL REFERENCES conversations ( id ),
		seq INTEGER NOT NULL,
		target_type TEXT NOT NULL CHECK ( target_type IN ( 'agent', 'team' ) ),
		target_id TEXT NOT NULL,
		created_at TEXT NOT NULL,
		PRIMARY KEY ( conversation_id, seq, target_type, target_id )
	);
	CREATE INDEX note_mentions_by_target
		ON note_mentions ( target_type, target_id, created_at );
	CREATE TABLE mention_reads (
		agent_id TEXT PRIMARY KEY,
		seen_until TEXT NOT NULL
	);
`;

interface NoteRow {
	conversation_id: string;
	seq: number | string;
	client_id: string;
	author_id: string;
	author_name: string;
	body: string;
	mentions: string;
	created_at: string;
}

/** A mention with what decides who may see its conversation. */
export interface MentionRecord {
	note: InternalNote;
	targetType: MentionTargetType;
	targetId: string;
	chatflowId: string;
	teamId: string | null;
	assigneeId: string | null;
}

export interface AppendNoteInput {
	conversationId: string;
	clientId: string;
	author: { id: string; name: string };
	body: string;
	mentions: NoteMention[];
	createdAt: string;
}

export interface AppendNoteResult {
	note: InternalNote;
	/** False when the client id was already stored: the stored note. */
	created: boolean;
	/** The conversation's chatflow, team and assignee (who may see the note). */
	conversation: {
		id: string;
		visitorId: string;
		chatflowId: string;
		teamId: string | null;
		assigneeId: string | null;
	};
}

export interface NoteRepository {
	/** Stores a note once per client id; null when the conversation does not exist. */
	appendNote: (
		input: AppendNoteInput
	) => Promise< AppendNoteResult | null >;
	/** A conversation's notes after a seq, oldest first. */
	listNotes: (
		conversationId: string,
		afterSeq: number
	) => Promise< InternalNote[] >;
	/**
	 * Mentions of any of these targets, newest first, created after `since`
	 * ('' for all), by authors other than `exceptAuthorId` ('' for none).
	 */
	listMentions: ( input: {
		agentIds: string[];
		teamIds: string[];
		since: string;
		exceptAuthorId: string;
		limit: number;
	} ) => Promise< MentionRecord[] >;
	/** When each agent last marked their mentions seen. */
	listMentionReads: (
		agentIds: string[]
	) => Promise< Record< string, string > >;
	/** Records that an agent has seen their mentions up to `until` (never back). */
	markMentionsSeen: ( agentId: string, until: string ) => Promise< void >;
}

function toNote( row: NoteRow ): InternalNote {
	return {
		conversationId: row.conversation_id,
		seq: Number( row.seq ),
		clientId: row.client_id,
		authorId: row.author_id,
		authorName: row.author_name,
		body: row.body,
		mentions: JSON.parse( row.mentions ) as NoteMention[],
		createdAt: row.created_at,
	};
}

function placeholders( values: readonly unknown[] ): string {
	return values.map( () => '?' ).join( ', ' );
}

export class SqlNoteRepository implements NoteRepository {
	constructor( private readonly db: Db ) {}

	appendNote( input: AppendNoteInput ): Promise< AppendNoteResult | null > {
		return this.db.transaction( async ( tx ) => {
			// The conversation's row lock orders its notes across nodes.
			const conversation = await tx.one< {
				id: string;
				visitor_id: string;
				chatflow_id: string;
				team_id: string | null;
				assignee_id: string | null;
			} >(
				`SELECT id, visitor_id, chatflow_id, team_id, assignee_id FROM conversations WHERE id = ?${ tx.dialect.forUpdate }`,
				[ input.conversationId ]
			);
			if ( ! conversation ) {
				return null;
			}
			const scoped = {
				id: conversation.id,
				visitorId: conversation.visitor_id,
				chatflowId: conversation.chatflow_id,
				teamId: conversation.team_id,
				assigneeId: conversation.assignee_id,
			};
			const existing = await tx.one< NoteRow >(
				'SELECT * FROM notes WHERE conversation_id = ? AND client_id = ?',
				[ input.conversationId, input.clientId ]
			);
			if ( existing ) {
				return {
					note: toNote( existing ),
					created: false,
					conversation: scoped,
				};
			}
			const last = await tx.one< { seq: number | string | null } >(
				'SELECT MAX( seq ) AS seq FROM notes WHERE conversation_id = ?',
				[ input.conversationId ]
			);
			const seq = Number( last?.seq ?? 0 ) + 1;
			const row = ( await tx.one< NoteRow >(
				`INSERT INTO notes ( conversation_id, seq, client_id, author_id,
					author_name, body, mentions, created_at )
				VALUES ( ?, ?, ?, ?, ?, ?, ?, ? ) RETURNING *`,
				[
					input.conversationId,
					seq,
					input.clientId,
					input.author.id,
					input.author.name,
					input.body,
					JSON.stringify( input.mentions ),
					input.createdAt,
				]
			) ) as NoteRow;
			for ( const mention of input.mentions ) {
				await tx.exec(
					`INSERT INTO note_mentions ( conversation_id, seq, target_type, target_id, created_at )
					VALUES ( ?, ?, ?, ?, ? )`,
					[
						input.conversationId,
						seq,
						mention.type,
						mention.id,
						input.createdAt,
					]
				);
			}
			return { note: toNote( row ), created: true, conversation: scoped };
		} );
	}

	async listNotes(
		conversationId: string,
		afterSeq: number
	): Promise< InternalNote[] > {
		return (
			await this.db.many< NoteRow >(
				'SELECT * FROM notes WHERE conversation_id = ? AND seq > ? ORDER BY seq',
				[ conversationId, afterSeq ]
			)
		).map( toNote );
	}

	async listMentions( input: {
		agentIds: string[];
		teamIds: string[];
		since: string;
		exceptAuthorId: string;
		limit: number;
	} ): Promise< MentionRecord[] > {
		const targets: string[] = [];
		const params: unknown[] = [];
		if ( input.agentIds.length > 0 ) {
			targets.push(
				`( m.target_type = 'agent' AND m.target_id IN ( ${ placeholders(
					input.agentIds
				) } ) )`
			);
			params.push( ...input.agentIds );
		}
		if ( input.teamIds.length > 0 ) {
			targets.push(
				`( m.target_type = 'team' AND m.target_id IN ( ${ placeholders(
					input.teamIds
				) } ) )`
			);
			params.push( ...input.teamIds );
		}
		if ( targets.length === 0 ) {
			return [];
		}
		const rows = await this.db.many<
			NoteRow & {
				target_type: MentionTargetType;
				target_id: string;
				chatflow_id: string;
				team_id: string | null;
				assignee_id: string | null;
			}
		>(
			`SELECT n.*, m.target_type, m.target_id, c.chatflow_id, c.team_id, c.assignee_id
			FROM note_mentions m
			JOIN notes n ON n.conversation_id = m.conversation_id AND n.seq = m.seq
			JOIN conversations c ON c.id = m.conversation_id
			WHERE ( ${ targets.join( ' OR ' ) } )
				AND m.created_at > ? AND n.author_id <> ?
			ORDER BY m.created_at DESC, m.conversation_id, m.seq DESC
			LIMIT ?`,
			[ ...params, input.since, input.exceptAuthorId, input.limit ]
		);
		return rows.map( ( row ) => ( {
			note: toNote( row ),
			targetType: row.target_type,
			targetId: row.target_id,
			chatflowId: row.chatflow_id,
			teamId: row.team_id,
			assigneeId: row.assignee_id,
		} ) );
	}

	async listMentionReads(
		agentIds: string[]
	): Promise< Record< string, string > > {
		if ( agentIds.length === 0 ) {
			return {};
		}
		const rows = await this.db.many< {
			agent_id: string;
			seen_until: string;
		} >(
			`SELECT agent_id, seen_until FROM mention_reads WHERE agent_id IN ( ${ placeholders(
				agentIds
			) } )`,
			agentIds
		);
		return Object.fromEntries(
			rows.map( ( row ) => [ row.agent_id, row.seen_until ] )
		);
	}

	async markMentionsSeen( agentId: string, until: string ): Promise< void > {
		await this.db.exec(
			`INSERT INTO mention_reads ( agent_id, seen_until ) VALUES ( ?, ? )
			ON CONFLICT ( agent_id ) DO UPDATE SET seen_until = ${ this.db.dialect.greatest }( mention_reads.seen_until, excluded.seen_until )`,
			[ agentId, until ]
		);
	}
}
