/**
 * Uploaded files, written once over the query layer (`db.ts`); the
 * statements are in `attachments/rows.ts`.
 */
import {
	ATTACHMENT_SQL,
	insertAttachmentParams,
	linkAttachmentParams,
	toAttachment,
	type AttachmentRow,
} from '../attachments/rows';
import type { Db } from './db';
import type { AttachmentRecord, AttachmentRepository } from './types';

export class SqlAttachmentRepository implements AttachmentRepository {
	constructor( private readonly db: Db ) {}

	async saveAttachment(
		attachment: AttachmentRecord,
		data: Buffer
	): Promise< void > {
		await this.db.exec(
			ATTACHMENT_SQL.insert,
			insertAttachmentParams( attachment, data )
		);
	}

	async findAttachment( id: string ): Promise< AttachmentRecord | null > {
		const row = await this.db.one< AttachmentRow >( ATTACHMENT_SQL.byId, [
			id,
		] );
		return row ? toAttachment( row ) : null;
	}

	async readAttachmentData( id: string ): Promise< Buffer | null > {
		const row = await this.db.one< { data: Buffer } >(
			ATTACHMENT_SQL.data,
			[ id ]
		);
		return row ? row.data : null;
	}

	async linkAttachment(
		input: Parameters< AttachmentRepository[ 'linkAttachment' ] >[ 0 ]
	): Promise< AttachmentRecord | null > {
		const row = await this.db.one< AttachmentRow >(
			ATTACHMENT_SQL.link,
			linkAttachmentParams( input )
		);
		return row ? toAttachment( row ) : null;
	}

	async countUnsentAttachments(
		uploaderType: AttachmentRecord[ 'uploaderType' ],
		uploaderId: string
	): Promise< number > {
		const row = await this.db.one< { n: number } >(
			ATTACHMENT_SQL.countUnsent,
			[ uploaderType, uploaderId ]
		);
		return row?.n ?? 0;
	}

	deleteUnsentAttachments( before: string ): Promise< number > {
		return this.db.exec( ATTACHMENT_SQL.deleteUnsent, [ before ] );
	}
}
