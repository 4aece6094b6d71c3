/**
 * `GET /v1/availability/:chatflowId`: whether a chatflow's team can answer
 * now, for the widget's loader, which must know before any socket whether
 * the chatflow's settings hide the launcher. Public (availability is shown
 * to every visitor anyway), CORS for the allowed origins only, and computed
 * at most once per chatflow every few seconds however many pages ask.
 */
import express from 'express';
import type { VisitorAvailability } from '@chatflows/protocol';
import { SLUG_PATTERN } from '../validation';
import type { ChatflowRefusal } from './chatflow-gate';

/** How long one answer is reused, in milliseconds (and cached by browsers, in seconds). */
export const AVAILABILITY_CACHE_MS = 5000;

/**
 * Builds the router.
 *
 * @param options                 Options.
 * @param options.refusal         Why visitors may not use the chatflow now; null when they may.
 * @param options.availability    The chatflow's availability now.
 * @param options.isAllowedOrigin Whether a page of this origin may read the answer.
 * @param options.now             Milliseconds now (tests move it).
 * @return An express router mounted at the root.
 */
export function availabilityRouter( options: {
	refusal: ( chatflowId: string ) => ChatflowRefusal | null;
	availability: ( chatflowId: string ) => Promise< VisitorAvailability >;
	isAllowedOrigin: ( origin: string ) => boolean;
	now?: () => number;
} ): express.Router {
	const now = options.now ?? Date.now;
	// Only chatflows visitors may use are kept: never an id someone made up.
	const cache = new Map<
		string,
		{ at: number; answer: Promise< VisitorAvailability > }
	>();
	const router = express.Router();
	router.get( '/v1/availability/:chatflowId', async ( req, res ) => {
		const origin = req.headers.origin;
		res.vary( 'Origin' );
		if ( typeof origin === 'string' && options.isAllowedOrigin( origin ) ) {
			res.setHeader( 'Access-Control-Allow-Origin', origin );
		}
		const { chatflowId } = req.params;
		if ( ! SLUG_PATTERN.test( chatflowId ) ) {
			res.status( 400 ).json( {
				error: {
					code: 'invalid_payload',
					message:
						'chatflowId: must be 1–64 characters of A–Z, a–z, 0–9, _ or -',
				},
			} );
			return;
		}
		const refusal = options.refusal( chatflowId );
		if ( refusal ) {
			cache.delete( chatflowId );
			res.status(
				refusal.code === 'configuration_pending' ? 503 : 404
			).json( { error: refusal } );
			return;
		}
		let cached = cache.get( chatflowId );
		if ( ! cached || now() - cached.at >= AVAILABILITY_CACHE_MS ) {
			cached = {
				at: now(),
				answer: options.availability( chatflowId ),
			};
			cache.set( chatflowId, cached );
		}
		try {
			const { state, nextReturnAt } = await cached.answer;
			res.setHeader(
				'Cache-Control',
				`public, max-age=${ AVAILABILITY_CACHE_MS / 1000 }`
			);
			res.json( { chatflowId, state, nextReturnAt } );
		} catch {
			cache.delete( chatflowId );
			res.status( 500 ).json( {
				error: {
					code: 'internal',
					message: 'The availability could not be read.',
				},
			} );
		}
	} );
	return router;
}
