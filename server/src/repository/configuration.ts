/**
 * What WordPress pushed (chatflows and the directory) and the calls to
 * WordPress waiting to be made, written once over the query layer (`db.ts`).
 * Documents are JSON: text in SQLite, JSONB in PostgreSQL.
 */
import type {
	CompiledChatflow,
	ServiceConfiguration,
	ServiceNotification,
} from '@chatflows/protocol';
import { LockScope, jsonColumn, type Db } from './db';
import { iso, type Timestamp } from './rows';
import type {
	ConfigurationRepository,
	NotificationRepository,
	PendingNotification,
} from './types';

const UPSERT_CHATFLOW = `INSERT INTO chatflows ( id, version, document ) VALUES ( ?, ?, ? )
	ON CONFLICT ( id ) DO UPDATE SET version = excluded.version, document = excluded.document
	WHERE excluded.version >= chatflows.version`;

/**
 * Stores one chatflow unless a newer version is stored.
 *
 * @param db       The database.
 * @param chatflow The chatflow.
 * @return True when written.
 */
async function writeChatflow(
	db: Db,
	chatflow: CompiledChatflow
): Promise< boolean > {
	return (
		( await db.exec( UPSERT_CHATFLOW, [
			chatflow.id,
			chatflow.version,
			JSON.stringify( chatflow ),
		] ) ) > 0
	);
}

export class SqlConfigurationRepository implements ConfigurationRepository {
	constructor( private readonly db: Db ) {}

	async replaceConfiguration(
		configuration: ServiceConfiguration
	): Promise< ServiceConfiguration > {
		await this.db.transaction( async ( tx ) => {
			await tx.lock( LockScope.configuration, 'configuration' );
			const { chatflows, ...directory } = configuration;
			await tx.exec(
				`INSERT INTO directory ( id, document ) VALUES ( 1, ? )
				ON CONFLICT ( id ) DO UPDATE SET document = excluded.document`,
				[ JSON.stringify( directory ) ]
			);
			const keep = new Set( chatflows.map( ( flow ) => flow.id ) );
			for ( const row of await tx.many< { id: string } >(
				'SELECT id FROM chatflows'
			) ) {
				if ( ! keep.has( row.id ) ) {
					await tx.exec( 'DELETE FROM chatflows WHERE id = ?', [
						row.id,
					] );
				}
			}
			for ( const chatflow of chatflows ) {
				await writeChatflow( tx, chatflow );
			}
		} );
		return ( await this.loadConfiguration() ) as ServiceConfiguration;
	}

	saveChatflow( chatflow: CompiledChatflow ): Promise< boolean > {
		return writeChatflow( this.db, chatflow );
	}

	async deleteChatflow( id: string ): Promise< boolean > {
		return (
			( await this.db.exec( 'DELETE FROM chatflows WHERE id = ?', [
				id,
			] ) ) > 0
		);
	}

	async loadConfiguration(): Promise< ServiceConfiguration | null > {
		const [ directory, rows ] = await Promise.all( [
			this.db.one< { document: unknown } >(
				'SELECT document FROM directory WHERE id = 1'
			),
			this.db.many< { document: unknown } >(
				'SELECT document FROM chatflows ORDER BY id'
			),
		] );
		const chatflows = rows.map( ( row ) =>
			jsonColumn< CompiledChatflow >( row.document )
		);
		if ( ! directory && chatflows.length === 0 ) {
			return null;
		}
		const rest = directory
			? jsonColumn< Omit< ServiceConfiguration, 'chatflows' > >(
					directory.document
				)
			: {
					siteUrl: '',
					allowedOrigins: [],
					agents: [],
					teams: [],
					inboxes: [],
				};
		return { ...rest, chatflows };
	}
}

interface NotificationRow {
	id: string;
	payload: unknown;
	attempts: number;
	created_at: Timestamp;
	next_attempt_at: Timestamp;
	digest_key: string | null;
}

function pendingNotification( row: NotificationRow ): PendingNotification {
	return {
		id: row.id,
		notification: jsonColumn< ServiceNotification >( row.payload ),
		attempts: row.attempts,
		nextAttemptAt: iso( row.next_attempt_at ),
		createdAt: iso( row.created_at ),
		digestKey: row.digest_key,
	};
}

export class SqlNotificationRepository implements NotificationRepository {
	constructor( private readonly db: Db ) {}

	async enqueueNotification(
		input: Parameters<
			NotificationRepository[ 'enqueueNotification' ]
		>[ 0 ]
	): Promise< void > {
		// With the messages written at the same time: one commit for all.
		await this.db.grouped( () =>
			this.db.exec(
				`INSERT INTO notifications ( id, payload, attempts, created_at, next_attempt_at, digest_key )
				VALUES ( ?, ?, 0, ?, ?, ? ) ON CONFLICT ( id ) DO NOTHING`,
				[
					input.id,
					JSON.stringify( input.notification ),
					input.createdAt,
					input.nextAttemptAt ?? input.createdAt,
					input.digestKey ?? null,
				]
			)
		);
	}

	async listDueNotifications(
		now: string,
		limit: number
	): Promise< PendingNotification[] > {
		const rows = await this.db.many< NotificationRow >(
			`SELECT * FROM notifications WHERE failed_at IS NULL AND next_attempt_at <= ?
			ORDER BY next_attempt_at, created_at LIMIT ?`,
			[ now, limit ]
		);
		return rows.map( pendingNotification );
	}

	async listDigestNotifications(
		digestKey: string,
		limit: number
	): Promise< PendingNotification[] > {
		const rows = await this.db.many< NotificationRow >(
			`SELECT * FROM notifications WHERE failed_at IS NULL AND digest_key = ?
			ORDER BY created_at, id LIMIT ?`,
			[ digestKey, limit ]
		);
		return rows.map( pendingNotification );
	}

	async failNotification( id: string, failedAt: string ): Promise< void > {
		await this.db.exec(
			'UPDATE notifications SET failed_at = ? WHERE id = ?',
			[ failedAt, id ]
		);
	}

	async completeNotification( id: string ): Promise< void > {
		await this.db.exec( 'DELETE FROM notifications WHERE id = ?', [ id ] );
	}

	async postponeNotification(
		id: string,
		nextAttemptAt: string
	): Promise< void > {
		await this.db.exec(
			'UPDATE notifications SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?',
			[ nextAttemptAt, id ]
		);
	}
}
