/**
 * The signed endpoints of WordPress's privacy tools (see
 * `@chatflows/protocol`): `POST /v1/privacy/export` and
 * `POST /v1/privacy/erase`, signed as the configuration endpoints are.
 */
import type express from 'express';
import { z } from 'zod';
import {
	PRIVACY_ERASE_PATH,
	PRIVACY_EXPORT_PATH,
	type PrivacyRequest,
} from '@chatflows/protocol';
import {
	signedRouter,
	type SignedCallOptions,
} from '../chatflow-sync/signed-routes';
import type { ChatRepository } from '../repository/types';
import { erasePersonalData, exportPersonalData } from './personal-data';

/** The body of both endpoints. */
export const privacyRequestSchema = z.object( {
	email: z
		.string( { message: 'must be an e-mail address' } )
		.trim()
		.min( 1, 'must not be empty' )
		.max( 254, 'must be at most 254 characters' ),
	page: z
		.number( { message: 'must be a page number from 1' } )
		.int( 'must be a page number from 1' )
		.min( 1, 'must be a page number from 1' )
		.max( 1_000_000, 'must be at most 1000000' ),
} ) satisfies z.ZodType< PrivacyRequest >;

/**
 * Builds the router.
 *
 * @param options                   What every signed endpoint needs (`SignedCallOptions`), and:
 * @param options.repository        The repository.
 * @param options.disconnectVisitor Ends the connections of a visitor whose data is erased.
 * @return An express router mounted at the root.
 */
export function privacyRouter(
	options: SignedCallOptions & {
		repository: ChatRepository;
		disconnectVisitor: ( visitorId: string ) => void;
	}
): express.Router {
	const signed = signedRouter( {
		...options,
		purpose: 'read or erase personal data',
	} );

	signed.route(
		'post',
		PRIVACY_EXPORT_PATH,
		privacyRequestSchema,
		async ( request, res ) => {
			const page = await exportPersonalData(
				options.repository,
				request.email,
				request.page
			);
			// Addresses are personal data too: never logged.
			options.logger.info(
				{
					page: request.page,
					conversations: page.conversations.length,
					done: page.done,
				},
				'personal data exported'
			);
			res.status( 200 ).json( page );
		}
	);

	signed.route(
		'post',
		PRIVACY_ERASE_PATH,
		privacyRequestSchema,
		async ( request, res ) => {
			const { page, visitorIds } = await erasePersonalData(
				options.repository,
				request.email
			);
			visitorIds.forEach( options.disconnectVisitor );
			options.logger.info(
				{
					itemsRemoved: page.itemsRemoved,
					visitors: visitorIds.length,
					done: page.done,
				},
				'personal data erased'
			);
			res.status( 200 ).json( page );
		}
	);

	return signed.done();
}
