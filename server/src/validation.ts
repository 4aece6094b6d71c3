/**
 * Payload schemas shared by both namespaces. Clients are never trusted:
 * every event payload and handshake passes through one of these.
 */
import { z } from 'zod';
import { MAX_MESSAGE_LENGTH } from '@chatflows/protocol';

/** Ids chosen by clients or by WordPress: 1–64 of A–Z, a–z, 0–9, `_`, `-`. */
export const SLUG_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Longest page URL kept for a conversation. */
export const MAX_PAGE_URL_LENGTH = 2048;

export const clientIdSchema = z
	.string()
	.regex( SLUG_PATTERN, 'must be 1–64 characters of A–Z, a–z, 0–9, _ or -' );

export const chatflowIdSchema = clientIdSchema;

/**
 * Counts characters as people do (code points), so an emoji counts once.
 *
 * @param text Any string.
 * @return The number of code points.
 */
export function characterCount( text: string ): number {
	return Array.from( text ).length;
}

export const bodySchema = z
	.string()
	.trim()
	.min( 1, 'must not be empty' )
	.refine(
		( text ) => characterCount( text ) <= MAX_MESSAGE_LENGTH,
		`must be at most ${ MAX_MESSAGE_LENGTH } characters`
	);

export const afterSeqSchema = z
	.number()
	.int()
	.min( 0 )
	.max( Number.MAX_SAFE_INTEGER )
	.optional();

export const conversationIdSchema = z.string().min( 1 ).max( 64 );

/* ---------- /visitor ---------- */

export const visitorHandshakeSchema = z.object( {
	session: z.string().max( 256 ).optional(),
	chatflowId: chatflowIdSchema,
	pageUrl: z.string().optional(),
	language: z.string().max( 100 ).optional(),
} );

export const resumeSchema = z.object( {
	afterSeq: afterSeqSchema,
} );

/** An attachment's id, as the upload answered it. */
export const attachmentIdSchema = z
	.string()
	.regex( /^[A-Za-z0-9_-]{24}$/, 'must be the id the upload answered' );

export const visitorSendSchema = z.object( {
	clientId: clientIdSchema,
	body: bodySchema,
	attachmentId: attachmentIdSchema.optional(),
} );

/* ---------- /agent ---------- */

export const inboxListSchema = z.object( {} );

export const conversationMessagesSchema = z.object( {
	conversationId: conversationIdSchema,
	afterSeq: afterSeqSchema,
} );

export const agentSendSchema = z.object( {
	conversationId: conversationIdSchema,
	clientId: clientIdSchema,
	body: bodySchema,
	attachmentId: attachmentIdSchema.optional(),
} );

/** The claims the service relies on, beyond what jose checks. */
export const agentClaimsSchema = z.object( {
	sub: z.string().min( 1 ).max( 64 ),
	name: z.string().max( 250 ).default( '' ),
	caps: z.array( z.string() ).default( [] ),
	/** Absent from tokens that predate teams; then the agent is in none. */
	teams: z.array( z.string().max( 64 ) ).max( 1000 ).default( [] ),
	/** Absent: the agent sees every inbox (nothing to scope by). */
	inboxes: z.array( z.string().max( 64 ) ).max( 1000 ).optional(),
	/** When WordPress signed it; tokens older than a rights change are refused. */
	iat: z.number().optional(),
	exp: z.number(),
} );

/** `auth:renew`: a fresh agent token (JWTs WordPress signs are well under this). */
export const agentRenewSchema = z.object( {
	token: z
		.string( { message: 'must be an agent token' } )
		.min( 1, 'must be an agent token' )
		.max( 8192, 'must be at most 8192 characters' ),
} );

/**
 * Keeps a page URL only when it is a plain http(s) URL of sane length, so the
 * inbox can link to it without risk (no `javascript:` and the like).
 *
 * @param value What the widget sent.
 * @return The URL, or an empty string.
 */
export function sanitizePageUrl( value: string | undefined ): string {
	if ( ! value || value.length > MAX_PAGE_URL_LENGTH ) {
		return '';
	}
	try {
		const url = new URL( value );
		if ( url.protocol !== 'http:' && url.protocol !== 'https:' ) {
			return '';
		}
		return url.href.length > MAX_PAGE_URL_LENGTH ? '' : url.href;
	} catch {
		return '';
	}
}

const LANGUAGE_PATTERN = /^[a-z]{2,3}(?:[-_][a-z0-9]{2,8})*$/i;

/**
 * Keeps a language tag (`da-DK`, `en_US`) in lower case with `-`, or ''.
 *
 * @param value What the widget sent.
 * @return The tag, or an empty string.
 */
export function sanitizeLanguage( value: string | undefined ): string {
	if ( ! value || value.length > 35 || ! LANGUAGE_PATTERN.test( value ) ) {
		return '';
	}
	return value.toLowerCase().replace( /_/g, '-' );
}

/** Ordinary e-mail addresses: something@domain.tld, no spaces, at most 254 characters. */
export const emailSchema = z
	.string()
	.trim()
	.max( 254, 'must be at most 254 characters' )
	.regex(
		/^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]{2,}$/,
		'must be an e-mail address like name@example.com'
	);

/* ---------- domain events ---------- */

export const visitorTypingSchema = z.object( { typing: z.boolean() } );

export const visitorReadSchema = z.object( {
	seq: z.number().int().min( 0 ).max( Number.MAX_SAFE_INTEGER ),
} );

export const contactEmailSchema = z.object( {
	email: emailSchema,
	name: z.string().trim().max( 200 ).optional(),
} );

/** Longest consent text recorded (the chatflow's texts are at most that long). */
export const MAX_CONSENT_TEXT_LENGTH = 2000;

/** Longest subscription type of the communications consent. */
export const MAX_SUBSCRIPTION_TYPE_LENGTH = 100;

/** WordPress locales (`en_US`, `da_DK`, `de_DE_formal`, `fr`) and browser tags (`nl-NL`). */
export const LOCALE_PATTERN =
	/^[a-z]{2,3}(?:[_-][A-Za-z]{2,4})?(?:_[a-z0-9]{2,10})?$/;

/** Markup or control characters: a consent text is recorded as the visitor read it, plain. */
const NOT_PLAIN_TEXT =
	/<[A-Za-z!/?]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** `consent:record`: one consent given or declined (see `ConsentGrant`). */
export const consentGrantSchema = z
	.object( {
		kind: z.enum( [ 'cookies', 'data_processing', 'communications' ], {
			message: 'must be cookies, data_processing or communications',
		} ),
		granted: z.boolean( { message: 'must be true or false' } ),
		method: z.enum( [ 'banner', 'checkbox', 'notice', 'wp_consent_api' ], {
			message: 'must be banner, checkbox, notice or wp_consent_api',
		} ),
		text: z
			.string( { message: 'must be the text the visitor saw' } )
			.trim()
			.min( 1, 'must not be empty' )
			.refine(
				( text ) => characterCount( text ) <= MAX_CONSENT_TEXT_LENGTH,
				`must be at most ${ MAX_CONSENT_TEXT_LENGTH } characters`
			)
			.refine(
				( text ) => ! NOT_PLAIN_TEXT.test( text ),
				'must be plain text, without markup or control characters'
			),
		language: z
			.string( { message: 'must be a locale like en_US' } )
			.max( 35, 'must be a locale like en_US' )
			.regex( LOCALE_PATTERN, 'must be a locale like en_US' ),
		pageUrl: z
			.string( { message: 'must be an http or https URL' } )
			.max(
				MAX_PAGE_URL_LENGTH,
				`must be at most ${ MAX_PAGE_URL_LENGTH } characters`
			)
			.refine(
				( url ) => sanitizePageUrl( url ) !== '',
				'must be an http or https URL'
			),
		subscriptionType: z
			.string()
			.trim()
			.min( 1, 'must not be empty' )
			.max(
				MAX_SUBSCRIPTION_TYPE_LENGTH,
				`must be at most ${ MAX_SUBSCRIPTION_TYPE_LENGTH } characters`
			)
			.optional(),
	} )
	.refine(
		( grant ) =>
			grant.subscriptionType === undefined ||
			grant.kind === 'communications',
		{
			message: 'is only for the communications consent',
			path: [ 'subscriptionType' ],
		}
	);

export const surveyAnswerSchema = z.object( {
	conversationId: conversationIdSchema,
	rating: z
		.number()
		.int()
		.min( 1, 'must be 1 to 5' )
		.max( 5, 'must be 1 to 5' ),
	comment: z.string().trim().max( 2000 ).optional(),
} );

export const conversationRefSchema = z.object( {
	conversationId: conversationIdSchema,
} );

export const assignSchema = z.object( {
	conversationId: conversationIdSchema,
	agentId: z.string().regex( SLUG_PATTERN, 'must be a user id' ),
} );

export const transferSchema = z.union( [
	z.object( {
		conversationId: conversationIdSchema,
		agentId: z.string().regex( SLUG_PATTERN, 'must be a user id' ),
	} ),
	z.object( {
		conversationId: conversationIdSchema,
		teamId: z.string().regex( SLUG_PATTERN, 'must be a team id' ),
	} ),
] );

export const presenceSchema = z.object( {
	status: z.enum( [ 'available', 'away' ] ),
} );

export const agentTypingSchema = z.object( {
	conversationId: conversationIdSchema,
	typing: z.boolean(),
	mode: z
		.enum( [ 'reply', 'note' ], { message: 'must be reply or note' } )
		.default( 'reply' ),
} );

export const agentReadSchema = z.object( {
	conversationId: conversationIdSchema,
	seq: z.number().int().min( 0 ).max( Number.MAX_SAFE_INTEGER ),
} );

/**
 * One line describing what is wrong with a payload, for the client.
 *
 * @param error A zod error.
 * @return For example `body: must not be empty; clientId: Invalid input`.
 */
export function describeIssues( error: z.ZodError ): string {
	return error.issues
		.map( ( issue ) => {
			const where = issue.path.length
				? issue.path.map( String ).join( '.' )
				: 'payload';
			return `${ where }: ${ issue.message }`;
		} )
		.join( '; ' );
}
