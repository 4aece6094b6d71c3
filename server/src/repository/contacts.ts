/**
 * Contacts, the addresses visitors claim (see email-claims-sql.ts) and
 * consent records, written once over the query layer (`db.ts`).
 */
import type { ConsentRecord } from '@chatflows/protocol';
import { contactEmailKey } from './contact-key';
import { LockScope, type Db } from './db';
import {
	deleteEmailClaimsStatement,
	emailClaimStatement,
	emailClaimsByAddressStatement,
	saveEmailClaimStatement,
	takeEmailClaimStatement,
	toEmailClaim,
	type EmailClaimRow,
} from './email-claims-sql';
import type { Statement } from './inbox-sql';
import {
	consentsStatement,
	contactByKeyStatement,
	insertConsentStatement,
	isSameAnswer,
	latestConsentStatement,
	linkVisitorStatements,
	toConsentRecord,
	visitorContactStatement,
	type ConsentRow,
} from './privacy-sql';
import { toContact, type ContactRow } from './rows';
import type {
	ConsentsQuery,
	ContactRecord,
	ContactRepository,
	EmailClaimRecord,
} from './types';

/**
 * The rows of a statement.
 *
 * @param db        The database.
 * @param statement The statement.
 */
export function rowsOf< R >( db: Db, statement: Statement ): Promise< R[] > {
	return db.many< R >( statement.sql, statement.params );
}

/**
 * Runs a statement; resolves how many rows it changed.
 *
 * @param db        The database.
 * @param statement The statement.
 */
export function changesOf( db: Db, statement: Statement ): Promise< number > {
	return db.exec( statement.sql, statement.params );
}

export class SqlContactRepository implements ContactRepository {
	constructor( private readonly db: Db ) {}

	linkContact(
		input: Parameters< ContactRepository[ 'linkContact' ] >[ 0 ]
	): Promise< ContactRecord > {
		return this.db.transaction( async ( tx ) => {
			const key = contactEmailKey( input.email );
			// Two nodes capturing the same new e-mail at once create one contact.
			await tx.lock( LockScope.contact, key );
			let [ row ]: Array< ContactRow | undefined > =
				await rowsOf< ContactRow >( tx, contactByKeyStatement( key ) );
			if ( ! row ) {
				row = {
					id: input.newContactId,
					email: input.email.trim(),
					name: input.name,
					marketing: input.marketing ? 1 : 0,
					created_at: input.createdAt,
				};
				await tx.exec(
					'INSERT INTO contacts ( id, email_key, email, name, created_at, marketing ) VALUES ( ?, ?, ?, ?, ?, ? )',
					[
						row.id,
						key,
						row.email,
						row.name,
						row.created_at,
						row.marketing,
					]
				);
			} else if (
				input.rename &&
				input.name !== '' &&
				input.name !== row.name
			) {
				await tx.exec( 'UPDATE contacts SET name = ? WHERE id = ?', [
					input.name,
					row.id,
				] );
				row = { ...row, name: input.name };
			}
			if ( input.marketing && ! toContact( row ).marketing ) {
				await tx.exec(
					'UPDATE contacts SET marketing = 1 WHERE id = ?',
					[ row.id ]
				);
				row = { ...row, marketing: 1 };
			}
			if ( input.conversationId !== null ) {
				await tx.exec(
					'UPDATE conversations SET contact_id = ? WHERE id = ?',
					[ row.id, input.conversationId ]
				);
			}
			if ( input.visitorId !== undefined ) {
				for ( const statement of linkVisitorStatements(
					input.visitorId,
					row.id
				) ) {
					await changesOf( tx, statement );
				}
			}
			return toContact( row );
		} );
	}

	async findContact( id: string ): Promise< ContactRecord | null > {
		const row = await this.db.one< ContactRow >(
			'SELECT * FROM contacts WHERE id = ?',
			[ id ]
		);
		return row ? toContact( row ) : null;
	}

	async findContactByEmail( email: string ): Promise< ContactRecord | null > {
		const [ row ] = await rowsOf< ContactRow >(
			this.db,
			contactByKeyStatement( contactEmailKey( email ) )
		);
		return row ? toContact( row ) : null;
	}

	async findVisitorContactId( visitorId: string ): Promise< string | null > {
		const [ row ] = await rowsOf< { contact_id: string | null } >(
			this.db,
			visitorContactStatement( visitorId )
		);
		return row?.contact_id ?? null;
	}

	async saveEmailClaim(
		claim: Parameters< ContactRepository[ 'saveEmailClaim' ] >[ 0 ]
	): Promise< void > {
		await changesOf( this.db, saveEmailClaimStatement( claim ) );
	}

	async findEmailClaim(
		visitorId: string
	): Promise< EmailClaimRecord | null > {
		const [ row ] = await rowsOf< EmailClaimRow >(
			this.db,
			emailClaimStatement( visitorId )
		);
		return row ? toEmailClaim( row ) : null;
	}

	async takeEmailClaim( input: {
		confirmationHash: string;
		now: string;
	} ): Promise< EmailClaimRecord | null > {
		const [ row ] = await rowsOf< EmailClaimRow >(
			this.db,
			takeEmailClaimStatement( input.confirmationHash, input.now )
		);
		return row ? toEmailClaim( row ) : null;
	}

	async listEmailClaims( email: string ): Promise< EmailClaimRecord[] > {
		return (
			await rowsOf< EmailClaimRow >(
				this.db,
				emailClaimsByAddressStatement( email )
			)
		).map( toEmailClaim );
	}

	deleteEmailClaims( email: string ): Promise< number > {
		return changesOf( this.db, deleteEmailClaimsStatement( email ) );
	}

	recordConsent(
		record: ConsentRecord
	): Promise< { record: ConsentRecord; created: boolean } > {
		return this.db.transaction( async ( tx ) => {
			const { dialect } = tx;
			// The same answer sent twice at once (two tabs, two nodes) is stored once.
			await tx.lock( LockScope.consents, record.visitorId );
			const [ latest ] = await rowsOf< ConsentRow >(
				tx,
				latestConsentStatement( dialect, record )
			);
			const stored = latest ? toConsentRecord( latest ) : null;
			if ( stored && isSameAnswer( stored, record ) ) {
				return { record: stored, created: false };
			}
			const [ visitor ] = await rowsOf< { contact_id: string | null } >(
				tx,
				visitorContactStatement( record.visitorId )
			);
			const created = {
				...record,
				contactId: record.contactId ?? visitor?.contact_id ?? null,
			};
			await changesOf( tx, insertConsentStatement( created ) );
			return { record: created, created: true };
		} );
	}

	async listConsents( input: ConsentsQuery ): Promise< ConsentRecord[] > {
		return (
			await rowsOf< ConsentRow >(
				this.db,
				consentsStatement( this.db.dialect, input )
			)
		).map( toConsentRecord );
	}
}
