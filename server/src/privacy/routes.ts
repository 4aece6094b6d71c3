/**
 * The signed endpoints of WordPress's privacy tools (see
 * `@chatflows/protocol`): `POST /v1/privacy/export` and
 * `POST /v1/privacy/erase`, signed as the configuration endpoints are.
 */
import express from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
	PRIVACY_ERASE_PATH,
	PRIVACY_EXPORT_PATH,
	type PrivacyRequest,
} from '@chatflows/protocol';
import type { NonceStore } from '../chatflow-sync/nonce-store';
import { signedRoutes } from '../chatflow-sync/signed-routes';
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
 * @param options                   Options.
 * @param options.secret            The shared secret.
 * @param options.repository        The repository.
 * @param options.disconnectVisitor Ends the connections of a visitor whose data is erased.
 * @param options.logger            Logger.
 * @param options.clock             Clock, for the timestamp check.
 * @param options.nonces            Nonces of signed calls already accepted.
 * @return An express router mounted at the root.
 */
export function privacyRouter( options: {
	secret: string;
	repository: ChatRepository;
	disconnectVisitor: ( visitorId: string ) => void;
	logger: Logger;
	clock: () => Date;
	nonces: NonceStore;
} ): express.Router {
	const router = express.Router();
	const { raw, readValid, guard, bodyErrors } = signedRoutes( {
		...options,
		purpose: 'read or erase personal data',
	} );

	router.post(
		PRIVACY_EXPORT_PATH,
		raw,
		guard( async ( req, res ) => {
			const request = readValid( req, res, privacyRequestSchema );
			if ( ! request ) {
				return;
			}
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
		} )
	);

	router.post(
		PRIVACY_ERASE_PATH,
		raw,
		guard( async ( req, res ) => {
			const request = readValid( req, res, privacyRequestSchema );
			if ( ! request ) {
				return;
			}
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
		} )
	);

	router.use( bodyErrors );

	return router;
}
