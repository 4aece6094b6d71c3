/**
 * Attachments over HTTP (see `ATTACHMENTS_PATH` in the contract): visitors
 * (of a chatflow they may use, within its limits) and agents upload a file
 * as the raw request body, then send a message carrying its id; the file is
 * served back only to the conversation's visitor and to the agents who see
 * the conversation, with its sniffed type and headers that keep a browser
 * from ever running it.
 */
import { randomBytes } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import type { Logger } from 'pino';
import {
	ATTACHMENTS_PATH,
	MAX_ATTACHMENT_MB,
	type AttachmentContentType,
	type CompiledChatflow,
} from '@chatflows/protocol';
import type { ConfigurationStore } from '../chatflow-sync/store';
import type { ClientAddresses } from '../limits/client-address';
import type { ChatLimits } from '../limits/rate-limits';
import type { AttachmentRecord, ChatRepository } from '../repository/types';
import { verifyAgentToken, type AgentIdentity } from '../agent/auth';
import { isInScope, scopeOfAgent } from '../agent/inbox-scope';
import { isRefusal, usableChatflow } from '../visitor/chatflow-gate';
import { hashSessionToken } from '../visitor/session';
import { SLUG_PATTERN } from '../validation';
import { toAttachmentReference } from './rows';
import {
	cleanFileName,
	contentDisposition,
	downloadName,
	MAX_NAME_LENGTH,
	sniffContentType,
} from './sniff';

const BYTES_PER_MB = 1024 * 1024;

/** A visitor's session token: 32 random bytes in base64url. */
const SESSION_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** Attachment ids: 18 random bytes in base64url. */
const ID_PATTERN = /^[A-Za-z0-9_-]{24}$/;

/** Most files one uploader may hold that are in no message yet. */
export const MAX_UNSENT_ATTACHMENTS = 10;

/** When to try again while the service waits for its configuration. */
const PENDING_RETRY_SECONDS = 5;

/** Files in no message are deleted after this long. */
export const UNSENT_LIFETIME_MS = 60 * 60 * 1000;

/** How often, at most, uploads look for such files. */
const SWEEP_EVERY_MS = 10 * 60 * 1000;

/** Who calls, as their credentials say. */
type Caller =
	| { type: 'visitor'; visitorId: string }
	| ( { type: 'agent' } & AgentIdentity );

export interface AttachmentRoutesOptions {
	repository: ChatRepository;
	/** Verifies agent tokens. */
	secret: string;
	/** Each chatflow's attachment settings. */
	configuration: ConfigurationStore;
	/** True for origins whose pages may use the service. */
	isAllowedOrigin: ( origin: string ) => boolean;
	logger: Logger;
	clock: () => Date;
	/** Visitors' uploads count as events against their rate limits. */
	limits?: ChatLimits;
	/** Tells the client's address behind trusted proxies. */
	clientAddresses: ClientAddresses;
}

function sendError(
	res: Response,
	status: number,
	code: string,
	message: string
): void {
	res.status( status ).json( { error: { code, message } } );
}

/**
 * The largest upload a caller may send now, in bytes, or why none is allowed.
 *
 * @param chatflow The visitor's chatflow (checked usable); null for agents.
 */
function uploadLimit( chatflow: CompiledChatflow | null ): number | 'disabled' {
	const serviceLimit = MAX_ATTACHMENT_MB * BYTES_PER_MB;
	const settings = chatflow?.attachments;
	if ( ! settings ) {
		return serviceLimit;
	}
	if ( ! settings.enabled ) {
		return 'disabled';
	}
	return Math.min( settings.maxSizeMb * BYTES_PER_MB, serviceLimit );
}

/**
 * Reads a request body, stopping as soon as it grows beyond `limit`.
 *
 * @param req   The request.
 * @param limit Most bytes accepted.
 * @return The body, or null when it was too large (the rest is not read).
 */
function readLimited( req: Request, limit: number ): Promise< Buffer | null > {
	return new Promise( ( resolve, reject ) => {
		const chunks: Buffer[] = [];
		let size = 0;
		const onData = ( chunk: Buffer ) => {
			size += chunk.length;
			if ( size > limit ) {
				req.off( 'data', onData );
				req.pause();
				resolve( null );
				return;
			}
			chunks.push( chunk );
		};
		req.on( 'data', onData );
		req.on( 'end', () => resolve( Buffer.concat( chunks, size ) ) );
		req.on( 'error', reject );
	} );
}

/**
 * Builds the router, mounted at the root.
 *
 * @param options Repository, secret, chatflows, origins, logger, clock, limits.
 * @return The router.
 */
export function attachmentsRouter(
	options: AttachmentRoutesOptions
): express.Router {
	const { repository, configuration, logger } = options;
	const key = new TextEncoder().encode( options.secret );
	const router = express.Router();
	let lastSweep = -Infinity;

	/** Deletes files nobody sent within their lifetime (uploads trigger it, so an idle service does nothing). */
	const sweepUnsent = async (): Promise< void > => {
		const now = options.clock().getTime();
		if ( now - lastSweep < SWEEP_EVERY_MS ) {
			return;
		}
		lastSweep = now;
		const deleted = await repository.deleteUnsentAttachments(
			new Date( now - UNSENT_LIFETIME_MS ).toISOString()
		);
		if ( deleted > 0 ) {
			logger.info( { deleted }, 'unsent attachments deleted' );
		}
	};

	/**
	 * The caller, from `Authorization: Bearer <visitor session | agent token>`.
	 *
	 * @param req The request.
	 */
	const authenticate = async ( req: Request ): Promise< Caller | null > => {
		const match = /^Bearer (\S+)$/.exec( req.get( 'authorization' ) ?? '' );
		if ( ! match ) {
			return null;
		}
		const token = match[ 1 ];
		if ( SESSION_PATTERN.test( token ) ) {
			const visitor = await repository.findVisitorBySessionHash(
				hashSessionToken( token )
			);
			return visitor ? { type: 'visitor', visitorId: visitor.id } : null;
		}
		const agent = await verifyAgentToken( token, key, options.clock() );
		return agent instanceof Error ? null : { type: 'agent', ...agent };
	};

	/**
	 * Whether the caller may see an attachment: the visitor of its
	 * conversation, or the agents who see that conversation once it is in a
	 * message (the inbox scope of every agent read); and whoever uploaded it.
	 *
	 * @param caller     Who asks.
	 * @param attachment The attachment.
	 */
	const mayRead = async (
		caller: Caller,
		attachment: AttachmentRecord
	): Promise< boolean > => {
		const own =
			caller.type === attachment.uploaderType &&
			( caller.type === 'visitor' ? caller.visitorId : caller.userId ) ===
				attachment.uploaderId;
		if ( own ) {
			return true;
		}
		if ( attachment.conversationId === null ) {
			return false;
		}
		const conversation = await repository.findConversation(
			attachment.conversationId
		);
		if ( ! conversation ) {
			return false;
		}
		if ( caller.type === 'agent' ) {
			return isInScope(
				scopeOfAgent( caller, configuration ),
				caller.userId,
				conversation
			);
		}
		return conversation.visitorId === caller.visitorId;
	};

	// CORS for the site's pages: only listed origins; others are refused outright.
	router.use( ATTACHMENTS_PATH, ( req, res, next ) => {
		const origin = req.get( 'origin' );
		if ( origin !== undefined ) {
			if ( ! options.isAllowedOrigin( origin ) ) {
				sendError(
					res,
					403,
					'origin_not_allowed',
					'This origin may not use the chat service.'
				);
				return;
			}
			res.set( 'Access-Control-Allow-Origin', origin );
			res.vary( 'Origin' );
			res.set(
				'Access-Control-Expose-Headers',
				'Content-Disposition, Content-Length'
			);
		}
		if ( req.method === 'OPTIONS' ) {
			res.set( 'Access-Control-Allow-Methods', 'GET, POST' );
			res.set(
				'Access-Control-Allow-Headers',
				'Authorization, Content-Type'
			);
			res.set( 'Access-Control-Max-Age', '600' );
			res.status( 204 ).end();
			return;
		}
		next();
	} );

	router.post( ATTACHMENTS_PATH, async ( req, res ) => {
		try {
			const caller = await authenticate( req );
			if ( ! caller ) {
				sendError(
					res,
					401,
					'unauthorized',
					'Authorization: a visitor session or an agent token is required.'
				);
				return;
			}
			const name = cleanFileName( String( req.query.name ?? '' ) );
			if ( name === '' ) {
				sendError(
					res,
					400,
					'invalid_payload',
					`name: must be the file's name, 1–${ MAX_NAME_LENGTH } characters`
				);
				return;
			}
			const chatflowId = String( req.query.chatflowId ?? '' );
			if (
				caller.type === 'visitor' &&
				! SLUG_PATTERN.test( chatflowId )
			) {
				sendError(
					res,
					400,
					'invalid_payload',
					'chatflowId: must be the chatflow the visitor chats in'
				);
				return;
			}
			const chatflow =
				caller.type === 'visitor'
					? await usableChatflow(
							configuration,
							repository,
							chatflowId,
							caller.visitorId
						)
					: null;
			if ( chatflow !== null && isRefusal( chatflow ) ) {
				const pending = chatflow.code === 'configuration_pending';
				if ( pending ) {
					res.set( 'Retry-After', String( PENDING_RETRY_SECONDS ) );
				}
				sendError(
					res,
					pending ? 503 : 403,
					chatflow.code,
					chatflow.message
				);
				return;
			}
			if ( caller.type === 'visitor' && options.limits ) {
				const decision = await options.limits.consumeVisitorEvent(
					caller.visitorId,
					options.clientAddresses.ofRequest( req )
				);
				if ( ! decision.allowed ) {
					const seconds = Math.ceil( decision.retryAfterMs / 1000 );
					res.set( 'Retry-After', String( seconds ) );
					sendError(
						res,
						429,
						'rate_limited',
						`Slow down: too many messages. Try again in ${ seconds } seconds.`
					);
					return;
				}
			}
			const uploaderId =
				caller.type === 'visitor' ? caller.visitorId : caller.userId;
			await sweepUnsent();
			if (
				( await repository.countUnsentAttachments(
					caller.type,
					uploaderId
				) ) >= MAX_UNSENT_ATTACHMENTS
			) {
				sendError(
					res,
					429,
					'too_many_files',
					`file: send your earlier files first (at most ${ MAX_UNSENT_ATTACHMENTS } not in a message yet)`
				);
				return;
			}
			const limit = uploadLimit( chatflow );
			if ( limit === 'disabled' ) {
				sendError(
					res,
					403,
					'attachments_disabled',
					'This chat does not accept files.'
				);
				return;
			}
			const tooLarge = () => {
				// The rest of the body is never read: close the connection after answering.
				res.set( 'Connection', 'close' );
				sendError(
					res,
					413,
					'too_large',
					`file: must be at most ${ Math.floor(
						limit / BYTES_PER_MB
					) } MB`
				);
			};
			const declared = Number( req.get( 'content-length' ) ?? NaN );
			if ( declared > limit ) {
				tooLarge();
				return;
			}
			const content = await readLimited( req, limit );
			if ( content === null ) {
				tooLarge();
				return;
			}
			if ( content.length === 0 ) {
				sendError( res, 400, 'invalid_payload', 'file: is empty' );
				return;
			}
			const contentType = sniffContentType( content );
			if ( ! contentType ) {
				sendError(
					res,
					415,
					'unsupported_type',
					'file: only PNG, JPEG, GIF and WebP images and PDF documents can be sent'
				);
				return;
			}
			const attachment: AttachmentRecord = {
				id: randomBytes( 18 ).toString( 'base64url' ),
				chatflowId: caller.type === 'visitor' ? chatflowId : '',
				uploaderType: caller.type,
				uploaderId,
				name,
				contentType,
				size: content.length,
				createdAt: options.clock().toISOString(),
				conversationId: null,
				seq: null,
			};
			await repository.saveAttachment( attachment, content );
			logger.debug(
				{
					attachmentId: attachment.id,
					uploaderType: caller.type,
					contentType,
					size: content.length,
				},
				'attachment stored'
			);
			res.status( 201 ).json( {
				attachment: toAttachmentReference( attachment ),
			} );
		} catch ( error ) {
			logger.error( { err: error }, 'attachment upload failed' );
			if ( ! res.headersSent ) {
				sendError(
					res,
					500,
					'internal',
					'The file could not be stored. Try again.'
				);
			}
		}
	} );

	router.get( `${ ATTACHMENTS_PATH }/:id`, async ( req, res ) => {
		try {
			const caller = await authenticate( req );
			if ( ! caller ) {
				sendError(
					res,
					401,
					'unauthorized',
					'Authorization: a visitor session or an agent token is required.'
				);
				return;
			}
			const id = String( req.params.id );
			const attachment = ID_PATTERN.test( id )
				? await repository.findAttachment( id )
				: null;
			// Someone else's file answers exactly as a missing one.
			if ( ! attachment || ! ( await mayRead( caller, attachment ) ) ) {
				sendError( res, 404, 'not_found', 'No such file.' );
				return;
			}
			const data = await repository.readAttachmentData( attachment.id );
			if ( ! data ) {
				sendError( res, 404, 'not_found', 'No such file.' );
				return;
			}
			sendFile( res, attachment.contentType, attachment.name, data );
		} catch ( error ) {
			logger.error( { err: error }, 'attachment download failed' );
			if ( ! res.headersSent ) {
				sendError(
					res,
					500,
					'internal',
					'The file could not be read. Try again.'
				);
			}
		}
	} );

	return router;
}

/**
 * Sends a stored file so that no browser runs it: its sniffed type only,
 * no sniffing by the browser, a sandbox for anything opened directly, and
 * PDFs always downloaded.
 *
 * @param res         The response.
 * @param contentType The sniffed type.
 * @param name        The stored name.
 * @param data        The bytes.
 */
function sendFile(
	res: Response,
	contentType: AttachmentContentType,
	name: string,
	data: Buffer
): void {
	const image = contentType.startsWith( 'image/' );
	res.set( {
		'Content-Type': contentType,
		'Content-Length': String( data.length ),
		'X-Content-Type-Options': 'nosniff',
		'Content-Security-Policy':
			"sandbox; default-src 'none'; img-src 'self'",
		'Content-Disposition': contentDisposition(
			image ? 'inline' : 'attachment',
			downloadName( name, contentType )
		),
		'Cross-Origin-Resource-Policy': 'cross-origin',
		// Private to the caller; an attachment never changes.
		'Cache-Control': 'private, max-age=86400, immutable',
	} );
	res.status( 200 ).end( data );
}
