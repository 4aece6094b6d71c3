/**
 * The visitor's context agents see beside a conversation: the page they
 * started on and the one they are on now, referrer, time zone, language and
 * device. The widget sends it in the handshake (and `visitor:page` for page
 * changes without a new connection); anything invalid is dropped, never refused.
 */
import { z } from 'zod';
import type { VisitorDeviceType } from '@chatflows/protocol';
import type { ChatRepository } from '../repository/types';
import { canonicalTimeZone } from '../availability';
import { createHandler, type HandlerContext } from '../handler';
import type { VisitorSocket } from '../types';
import { MAX_PAGE_URL_LENGTH, sanitizePageUrl } from '../validation';

/** Longest page title kept. */
export const MAX_PAGE_TITLE_LENGTH = 300;

const DEVICE_TYPES: VisitorDeviceType[] = [ 'desktop', 'tablet', 'mobile' ];

/** What one connection told about the visitor, sanitized. */
export interface VisitorContextData {
	pageUrl: string;
	pageTitle: string;
	referrer: string;
	timeZone: string;
	language: string;
	deviceType: string;
}

/**
 * A page title as plain text of sane length: control characters become
 * spaces, runs of white space one space.
 *
 * @param value What the widget sent.
 * @return The title, or ''.
 */
export function sanitizePageTitle( value: unknown ): string {
	if ( typeof value !== 'string' ) {
		return '';
	}
	return Array.from(
		value

			.replace( /[\u0000-\u001f\u007f]+/g, ' ' )
			.replace( /\s+/g, ' ' )
			.trim()
	)
		.slice( 0, MAX_PAGE_TITLE_LENGTH )
		.join( '' );
}

/**
 * An IANA time zone the runtime knows, or ''.
 *
 * @param value What the widget sent.
 * @return The zone name.
 */
export function sanitizeTimeZone( value: unknown ): string {
	if ( typeof value !== 'string' || value === '' || value.length > 64 ) {
		return '';
	}
	return canonicalTimeZone( value );
}

/**
 * Reads the context fields of a visitor handshake.
 *
 * @param auth The handshake's `auth` object.
 * @return The sanitized context (language and page URL are on the socket already).
 */
export function readHandshakeContext(
	auth: unknown
): Pick<
	VisitorContextData,
	'pageTitle' | 'referrer' | 'timeZone' | 'deviceType'
> {
	const fields =
		auth && typeof auth === 'object'
			? ( auth as Record< string, unknown > )
			: {};
	const referrer =
		typeof fields.referrer === 'string'
			? sanitizePageUrl( fields.referrer )
			: '';
	return {
		pageTitle: sanitizePageTitle( fields.pageTitle ),
		referrer,
		timeZone: sanitizeTimeZone( fields.timeZone ),
		deviceType: DEVICE_TYPES.includes(
			fields.deviceType as VisitorDeviceType
		)
			? ( fields.deviceType as string )
			: '',
	};
}

export const visitorPageSchema = z.object( {
	pageUrl: z
		.string()
		.max(
			MAX_PAGE_URL_LENGTH,
			`must be at most ${ MAX_PAGE_URL_LENGTH } characters`
		)
		.refine(
			( url ) => sanitizePageUrl( url ) !== '',
			'must be an http or https address'
		),
	pageTitle: z
		.string()
		.max(
			MAX_PAGE_TITLE_LENGTH * 4,
			`must be at most ${ MAX_PAGE_TITLE_LENGTH } characters`
		)
		.optional(),
} );

export interface VisitorContextDeps extends HandlerContext {
	repository: ChatRepository;
	clock: () => Date;
}

/** A namespace's visitor contexts: attaches each connection, stores an opening. */
export interface VisitorContexts {
	/**
	 * Remembers a new connection's context and moves the current page of the
	 * visitor's open conversations now (a new page load is a page change).
	 */
	attach: ( socket: VisitorSocket ) => void;
	/**
	 * Stores the context of a conversation this connection just opened.
	 *
	 * @param socket         The connection that opened it.
	 * @param conversationId The new conversation.
	 */
	saveOpening: (
		socket: VisitorSocket,
		conversationId: string
	) => Promise< void >;
}

/**
 * Keeps visitor connections' contexts, built once per namespace: each
 * connection's context lives in a WeakMap (gone with the socket) and one
 * `visitor:page` listener serves every socket.
 *
 * @param deps Repository, clock and handler context.
 * @return Attaches connections and stores openings.
 */
export function createVisitorContexts(
	deps: VisitorContextDeps
): VisitorContexts {
	const { repository } = deps;
	const contexts = new WeakMap< VisitorSocket, VisitorContextData >();

	const contextOf = ( socket: VisitorSocket ): VisitorContextData => {
		let context = contexts.get( socket );
		if ( ! context ) {
			context = {
				pageUrl: socket.data.pageUrl,
				language: socket.data.language,
				...readHandshakeContext( socket.handshake.auth ),
			};
			contexts.set( socket, context );
		}
		return context;
	};

	// Every connection asks it: one statement, which writes only when the
	// visitor is in a conversation and on another page than the one stored.
	const moveCurrentPage = async ( socket: VisitorSocket ) => {
		const context = contextOf( socket );
		await repository.moveCurrentPage( {
			visitorId: socket.data.visitorId,
			chatflowId: socket.data.chatflowId,
			url: context.pageUrl,
			title: context.pageTitle,
			updatedAt: deps.clock().toISOString(),
		} );
	};

	const changePage = createHandler(
		deps,
		'visitor:page',
		visitorPageSchema,
		async ( payload, socket: VisitorSocket ) => {
			const context = contextOf( socket );
			context.pageUrl = sanitizePageUrl( payload.pageUrl );
			context.pageTitle = sanitizePageTitle( payload.pageTitle );
			// A conversation opened from now on starts on this page.
			socket.data.pageUrl = context.pageUrl;
			await moveCurrentPage( socket );
			return { data: {} };
		}
	);

	return {
		attach: ( socket ) => {
			if ( contextOf( socket ).pageUrl !== '' ) {
				moveCurrentPage( socket ).catch( ( error: unknown ) =>
					deps.logger.error(
						{ err: error },
						'current page not stored'
					)
				);
			}
			socket.on( 'visitor:page', changePage );
		},
		saveOpening: ( socket, conversationId ) => {
			const context = contextOf( socket );
			return repository.saveConversationContext( {
				conversationId,
				startPageUrl: context.pageUrl,
				startPageTitle: context.pageTitle,
				currentPageUrl: context.pageUrl,
				currentPageTitle: context.pageTitle,
				referrer: context.referrer,
				timeZone: context.timeZone,
				language: context.language,
				deviceType: context.deviceType,
				updatedAt: deps.clock().toISOString(),
			} );
		},
	};
}
