/**
 * Files to and from the chat service over HTTP (see `ATTACHMENTS_PATH` in
 * the contract), with the visitor's session as the credential. The service
 * decides a file's type by its content; the checks here only spare the
 * visitor an upload that would be refused anyway.
 */
import {
	ATTACHMENTS_PATH,
	ATTACHMENT_CONTENT_TYPES,
	type AttachmentReference,
} from '@chatflows/protocol';

/** What can go wrong, each with its own text for the visitor. */
export type AttachmentProblem = 'too_large' | 'wrong_type' | 'failed';

export class AttachmentError extends Error {
	readonly problem: AttachmentProblem;

	constructor( problem: AttachmentProblem ) {
		super( problem );
		this.name = 'AttachmentError';
		this.problem = problem;
	}
}

/** For the file picker's `accept`: the types the service accepts. */
export const ACCEPT = ATTACHMENT_CONTENT_TYPES.join( ',' );

const BYTES_PER_MB = 1024 * 1024;

/**
 * Why a chosen file would be refused, before sending it.
 *
 * @param file      The file.
 * @param maxSizeMb The chatflow's limit.
 * @return The problem, or null when it may be sent.
 */
export function checkFile(
	file: Pick< File, 'size' | 'type' >,
	maxSizeMb: number
): AttachmentProblem | null {
	if ( file.size > maxSizeMb * BYTES_PER_MB ) {
		return 'too_large';
	}
	// An unknown declared type is left to the service, which reads the content.
	if (
		file.type &&
		! ( ATTACHMENT_CONTENT_TYPES as readonly string[] ).includes(
			file.type
		)
	) {
		return 'wrong_type';
	}
	return null;
}

export interface ServiceAccess {
	/** The chat service's base URL. */
	serviceUrl: string;
	/** The visitor's session token. */
	token: string;
	/** Tests pass their own. */
	fetchImpl?: typeof fetch;
}

/**
 * Uploads a file for the visitor's chatflow.
 *
 * @param access     Service and credentials.
 * @param chatflowId The chatflow the visitor chats in.
 * @param file       The file.
 * @return The stored attachment, to send with a message.
 * @throws AttachmentError
 */
export async function uploadAttachment(
	access: ServiceAccess,
	chatflowId: string,
	file: File
): Promise< AttachmentReference > {
	const query = new URLSearchParams( { name: file.name, chatflowId } );
	let response: Response;
	try {
		response = await ( access.fetchImpl ?? fetch )(
			`${ access.serviceUrl }${ ATTACHMENTS_PATH }?${ query }`,
			{
				method: 'POST',
				headers: {
					Authorization: `Bearer ${ access.token }`,
					'Content-Type': 'application/octet-stream',
				},
				body: file,
			}
		);
	} catch {
		throw new AttachmentError( 'failed' );
	}
	if ( response.status === 413 ) {
		throw new AttachmentError( 'too_large' );
	}
	if ( response.status === 415 ) {
		throw new AttachmentError( 'wrong_type' );
	}
	const answer = ( await response.json().catch( () => null ) ) as {
		attachment?: AttachmentReference;
	} | null;
	if ( response.status !== 201 || ! answer?.attachment ) {
		throw new AttachmentError( 'failed' );
	}
	return answer.attachment;
}

/**
 * Fetches an attachment of the visitor's conversation.
 *
 * @param access Service and credentials.
 * @param id     The attachment.
 * @return Its content, typed as the service recognised it.
 * @throws AttachmentError `failed`.
 */
export async function fetchAttachment(
	access: ServiceAccess,
	id: string
): Promise< Blob > {
	const response = await ( access.fetchImpl ?? fetch )(
		`${ access.serviceUrl }${ ATTACHMENTS_PATH }/${ encodeURIComponent(
			id
		) }`,
		{ headers: { Authorization: `Bearer ${ access.token }` } }
	).catch( () => null );
	if ( ! response || ! response.ok ) {
		throw new AttachmentError( 'failed' );
	}
	return response.blob();
}

/**
 * A file size as people read it: `820 B`, `14 KB`, `2.4 MB`.
 *
 * @param bytes  Size in bytes.
 * @param locale BCP 47 tag for the number format.
 */
export function formatSize( bytes: number, locale?: string ): string {
	const format = ( value: number, digits: number ) =>
		new Intl.NumberFormat( locale, {
			maximumFractionDigits: digits,
		} ).format( value );
	if ( bytes < 1024 ) {
		return `${ format( bytes, 0 ) } B`;
	}
	if ( bytes < BYTES_PER_MB ) {
		return `${ format( bytes / 1024, 0 ) } KB`;
	}
	return `${ format( bytes / BYTES_PER_MB, 1 ) } MB`;
}
