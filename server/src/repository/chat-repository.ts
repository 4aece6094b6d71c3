/**
 * The service's repository: the narrow repositories of each aggregate over
 * one connection (`Db`), gathered into one object for the code that takes
 * everything (`ChatRepository`). The same for SQLite and PostgreSQL; the
 * dialect modules (`sqlite.ts`, `postgres.ts`) only open the connection.
 */
import { SqlAttachmentRepository } from './attachments';
import {
	SqlConfigurationRepository,
	SqlNotificationRepository,
} from './configuration';
import { SqlContactRepository } from './contacts';
import {
	SqlConversationRepository,
	SqlVisitorRepository,
} from './conversations';
import type { Db } from './db';
import { SqlInboxRepository, SqlQueueRepository } from './inbox';
import { SqlNoteRepository } from './notes';
import { SqlPrivacyRepository } from './privacy';
import type { ChatRepository } from './types';

/**
 * The methods of an object (its class's, not Object's), bound to it.
 *
 * @param target A repository.
 * @return Its methods by name.
 */
function methodsOf( target: object ): Record< string, unknown > {
	const methods: Record< string, unknown > = {};
	const prototype = Object.getPrototypeOf( target ) as object;
	for ( const name of Object.getOwnPropertyNames( prototype ) ) {
		const value = ( target as Record< string, unknown > )[ name ];
		if ( name !== 'constructor' && typeof value === 'function' ) {
			methods[ name ] = value.bind( target );
		}
	}
	return methods;
}

/**
 * Every repository over one connection.
 *
 * @param db    The connection.
 * @param close Closes it (pending writes first).
 * @return The repository.
 */
export function createChatRepository(
	db: Db,
	close: () => Promise< void >
): ChatRepository {
	const parts = [
		new SqlVisitorRepository( db ),
		new SqlConversationRepository( db ),
		new SqlQueueRepository( db ),
		new SqlContactRepository( db ),
		new SqlPrivacyRepository( db ),
		new SqlAttachmentRepository( db ),
		new SqlInboxRepository( db ),
		new SqlConfigurationRepository( db ),
		new SqlNotificationRepository( db ),
		new SqlNoteRepository( db ),
	];
	return Object.assign(
		{ close },
		...parts.map( methodsOf )
	) as ChatRepository;
}
