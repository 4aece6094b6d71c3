/**
 * A contact's personal data (export and erasure) and retention, written
 * once over the query layer (`db.ts`); the statements are in privacy-sql.ts.
 */
import type { ConsentRecord } from '@chatflows/protocol';
import { changesOf, rowsOf } from './contacts';
import { LockScope, type Db } from './db';
import {
	claimContactVisitorsStatement,
	closedBeforeStatement,
	contactConsentsStatement,
	contactConversationsStatement,
	deleteConversationsStatements,
	eraseContactStatements,
	toConsentRecord,
	type ConsentRow,
} from './privacy-sql';
import { toConversation, type ConversationRow } from './rows';
import type {
	ConversationRecord,
	ErasureBatch,
	PrivacyRepository,
} from './types';

/**
 * Deletes conversations with everything keyed by them, in the caller's
 * transaction.
 *
 * @param tx  The transaction.
 * @param ids Conversation ids.
 * @return How many conversations went.
 */
async function deleteConversations( tx: Db, ids: string[] ): Promise< number > {
	let deleted = 0;
	if ( ids.length > 0 ) {
		for ( const statement of deleteConversationsStatements( ids ) ) {
			deleted = await changesOf( tx, statement );
		}
	}
	return deleted;
}

export class SqlPrivacyRepository implements PrivacyRepository {
	constructor( private readonly db: Db ) {}

	async listContactConversations( input: {
		contactId: string;
		offset: number;
		limit: number;
	} ): Promise< ConversationRecord[] > {
		return (
			await rowsOf< ConversationRow >(
				this.db,
				contactConversationsStatement( this.db.dialect, input )
			)
		).map( toConversation );
	}

	async listContactConsents( contactId: string ): Promise< ConsentRecord[] > {
		return (
			await rowsOf< ConsentRow >(
				this.db,
				contactConsentsStatement( this.db.dialect, contactId )
			)
		).map( toConsentRecord );
	}

	erasePersonalData( input: {
		contactId: string;
		limit: number;
	} ): Promise< ErasureBatch > {
		return this.db.transaction( async ( tx ): Promise< ErasureBatch > => {
			const { dialect } = tx;
			// Two erasure calls for one contact run one after the other.
			await tx.lock( LockScope.contact, input.contactId );
			await changesOf(
				tx,
				claimContactVisitorsStatement( input.contactId )
			);
			const ids = (
				await rowsOf< ConversationRow >(
					tx,
					contactConversationsStatement( dialect, {
						contactId: input.contactId,
						offset: 0,
						limit: input.limit + 1,
					} )
				)
			).map( ( row ) => row.id );
			const batch = ids.slice( 0, input.limit );
			const conversationsRemoved = await deleteConversations( tx, batch );
			if ( ids.length > batch.length ) {
				return {
					conversationsRemoved,
					consentsRemoved: 0,
					contactsRemoved: 0,
					visitorIds: [],
					done: false,
				};
			}
			const last = eraseContactStatements( input.contactId );
			const visitorIds = (
				await rowsOf< { id: string } >( tx, last.visitors )
			).map( ( row ) => row.id );
			const consentsRemoved = await changesOf( tx, last.consents );
			for ( const statement of last.rest ) {
				await changesOf( tx, statement );
			}
			const contactsRemoved = await changesOf( tx, last.contact );
			return {
				conversationsRemoved,
				consentsRemoved,
				contactsRemoved,
				visitorIds,
				done: true,
			};
		} );
	}

	deleteClosedConversations( input: {
		closedBefore: string;
		limit: number;
	} ): Promise< number > {
		return this.db.transaction( async ( tx ) => {
			const ids = (
				await rowsOf< { id: string } >(
					tx,
					closedBeforeStatement( input.closedBefore, input.limit )
				)
			).map( ( row ) => row.id );
			return deleteConversations( tx, ids );
		} );
	}
}
