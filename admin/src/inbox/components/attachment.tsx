/**
 * A message's file in the inbox: an image as a thumbnail, a PDF as a link
 * that downloads it. Files come from the chat service with the agent's
 * short-lived token and are shown from local object URLs, so nothing of the
 * service's answer ever runs in wp-admin.
 */
import apiFetch from '@wordpress/api-fetch';
import { useEffect, useState } from '@wordpress/element';
import { __, sprintf } from '@wordpress/i18n';

import {
	ATTACHMENTS_PATH,
	type AttachmentReference,
	type ChatMessage,
} from '@chatflows/protocol';
import { saveFile, showFile } from '@chatflows/chat-ui';

interface ServiceAccess {
	service: string;
	token: string;
}

/** Tokens live 5 minutes; one is reused for 4. */
const TOKEN_REUSE_MS = 4 * 60 * 1000;

let cached: { access: Promise< ServiceAccess >; at: number } | null = null;

/**
 * The chat service's URL and a token to fetch files with (shared by every
 * file on the screen).
 */
function serviceAccess(): Promise< ServiceAccess > {
	if ( ! cached || Date.now() - cached.at > TOKEN_REUSE_MS ) {
		const access = apiFetch< ServiceAccess >( {
			path: '/chatflows/v1/agent-token',
			method: 'POST',
		} );
		cached = { access, at: Date.now() };
		access.catch( () => {
			cached = null;
		} );
	}
	return cached.access;
}

/** Forgets the token (tests, and after a refusal). */
export function forgetAttachmentToken(): void {
	cached = null;
}

/**
 * Fetches a file of a conversation.
 *
 * @param id The attachment.
 * @return Its content.
 */
async function fetchFile( id: string ): Promise< Blob > {
	const { service, token } = await serviceAccess();
	const response = await window.fetch(
		`${ service }${ ATTACHMENTS_PATH }/${ encodeURIComponent( id ) }`,
		{ headers: { Authorization: `Bearer ${ token }` } }
	);
	if ( ! response.ok ) {
		forgetAttachmentToken();
		throw new Error( `attachment ${ response.status }` );
	}
	return response.blob();
}

/**
 * A file size as people read it: `820 B`, `14 KB`, `2.4 MB`.
 *
 * @param bytes Size in bytes.
 */
export function formatFileSize( bytes: number ): string {
	if ( bytes < 1024 ) {
		return sprintf(
			/* translators: %s: a number of bytes. */
			__( '%s B', 'chatflows' ),
			String( bytes )
		);
	}
	if ( bytes < 1024 * 1024 ) {
		return sprintf(
			/* translators: %s: a number of kilobytes. */
			__( '%s KB', 'chatflows' ),
			String( Math.round( bytes / 1024 ) )
		);
	}
	return sprintf(
		/* translators: %s: a number of megabytes. */
		__( '%s MB', 'chatflows' ),
		( bytes / ( 1024 * 1024 ) ).toFixed( 1 )
	);
}

/**
 * Whether a message's text says more than its file's name (which the
 * service stores as the text of a file sent without words).
 *
 * @param message The message.
 */
export function hasOwnText( message: ChatMessage ): boolean {
	return ! message.attachment || message.body !== message.attachment.name;
}

/**
 * The file of a message.
 *
 * @param props            Props.
 * @param props.attachment The file.
 */
export function MessageAttachment( props: {
	attachment: AttachmentReference;
} ) {
	const { attachment } = props;
	const isImage = attachment.contentType.startsWith( 'image/' );
	const [ url, setUrl ] = useState< string | null >( null );
	const [ failed, setFailed ] = useState( false );

	useEffect( () => {
		if ( ! isImage ) {
			return undefined;
		}
		return showFile(
			() => fetchFile( attachment.id ),
			setUrl,
			() => setFailed( true )
		);
	}, [ isImage, attachment.id ] );

	if ( failed ) {
		return (
			<span className="chatflows-inbox__attachment is-unavailable">
				{ sprintf(
					/* translators: %s: the file's name. */
					__( '%s (this file cannot be shown)', 'chatflows' ),
					attachment.name
				) }
			</span>
		);
	}

	if ( isImage ) {
		const label = sprintf(
			/* translators: %s: the file's name. */
			__( 'Image: %s', 'chatflows' ),
			attachment.name
		);
		return url ? (
			<a
				className="chatflows-inbox__attachment is-image"
				href={ url }
				target="_blank"
				rel="noopener noreferrer"
			>
				<img src={ url } alt={ label } />
			</a>
		) : (
			<span className="chatflows-inbox__attachment is-loading">
				{ label }
			</span>
		);
	}

	const download = async ( event: { preventDefault: () => void } ) => {
		event.preventDefault();
		try {
			saveFile( await fetchFile( attachment.id ), attachment.name );
		} catch {
			setFailed( true );
		}
	};
	return (
		<a
			className="chatflows-inbox__attachment is-file"
			href={ `#attachment-${ attachment.id }` }
			download={ attachment.name }
			onClick={ download }
		>
			{ sprintf(
				/* translators: 1: the file's name; 2: its size, e.g. "120 KB". */
				__( 'Download %1$s (PDF, %2$s)', 'chatflows' ),
				attachment.name,
				formatFileSize( attachment.size )
			) }
		</a>
	);
}
