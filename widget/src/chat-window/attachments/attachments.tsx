/**
 * Attachments in the chat window: the composer's "Attach a file" button,
 * and a message's file (an image as a thumbnail, a PDF as a download link).
 * Files are fetched with the visitor's session and shown from local object
 * URLs, so nothing of the service's answer ever runs in the page.
 */
import { useEffect, useRef, useState } from 'preact/hooks';

import { saveFile, showFile } from '@chatflows/chat-ui';
import {
	ATTACHMENTS_PATH,
	type AttachmentReference,
} from '@chatflows/protocol';
import type { AttachmentTexts, WidgetConfig } from '../../page-settings';
import { fill } from '../text';
import {
	ACCEPT,
	AttachmentError,
	checkFile,
	fetchAttachment,
	formatSize,
	uploadAttachment,
	type AttachmentProblem,
	type ServiceAccess,
} from './upload';

/** What the attachments need of the chat. */
export interface AttachmentChat {
	/** Queues a message; with an attachment, the uploaded file goes with it. */
	send: ( body: string, attachment?: AttachmentReference ) => void;
	/** The visitor's session token, once the service issued one. */
	sessionToken?: () => string | undefined;
}

/**
 * The chatflow's limit in megabytes, or null when the visitor may not attach
 * files here (the chatflow or the site's `disableAttachment` turned them
 * off, the preview, or texts missing from an older configuration).
 *
 * @param config The widget's configuration.
 */
export function attachmentLimit( config: WidgetConfig ): number | null {
	const settings = config.chatflow?.attachments;
	if (
		config.preview ||
		config.disableAttachment ||
		! config.texts.attachments ||
		( settings && ! settings.enabled )
	) {
		return null;
	}
	return settings?.maxSizeMb ?? 5;
}

/**
 * How the service and the visitor's credentials are reached, once a session exists.
 *
 * @param config The widget's configuration.
 * @param chat   The chat.
 */
export function serviceAccess(
	config: WidgetConfig,
	chat: AttachmentChat
): ServiceAccess | null {
	const token = chat.sessionToken?.();
	return token ? { serviceUrl: config.serviceUrl, token } : null;
}

function problemText(
	problem: AttachmentProblem,
	texts: AttachmentTexts,
	maxSizeMb: number
): string {
	if ( problem === 'too_large' ) {
		return fill( texts.tooLarge, maxSizeMb );
	}
	return problem === 'wrong_type' ? texts.wrongType : texts.failed;
}

interface AttachButtonProps {
	chat: AttachmentChat;
	config: WidgetConfig;
	texts: AttachmentTexts;
	maxSizeMb: number;
}

/**
 * "Attach a file": picks a file, checks it, uploads it and sends it as a message.
 *
 * @param props Props.
 */
export function AttachButton( props: AttachButtonProps ) {
	const { chat, config, texts, maxSizeMb } = props;
	const input = useRef< HTMLInputElement >( null );
	const [ uploading, setUploading ] = useState< string | null >( null );
	const [ problem, setProblem ] = useState< AttachmentProblem | null >(
		null
	);

	const onChange = async () => {
		const file = input.current?.files?.[ 0 ];
		if ( input.current ) {
			// The same file may be chosen again after a failure.
			input.current.value = '';
		}
		if ( ! file ) {
			return;
		}
		const refused = checkFile( file, maxSizeMb );
		const access = serviceAccess( config, chat );
		if ( refused || ! access ) {
			setProblem( refused ?? 'failed' );
			return;
		}
		setProblem( null );
		setUploading( file.name );
		try {
			const attachment = await uploadAttachment(
				access,
				config.chatflowId,
				file
			);
			chat.send( file.name, attachment );
		} catch ( error ) {
			setProblem(
				error instanceof AttachmentError ? error.problem : 'failed'
			);
		} finally {
			setUploading( null );
		}
	};

	return (
		<span className="attach">
			<input
				ref={ input }
				type="file"
				className="visually-hidden"
				accept={ ACCEPT }
				tabIndex={ -1 }
				aria-hidden="true"
				onChange={ onChange }
			/>
			<button
				type="button"
				className="icon-button attach-button"
				aria-label={ texts.attach }
				aria-describedby="chatflows-attach-hint"
				title={ `${ texts.attach }: ${ texts.hint }` }
				disabled={ uploading !== null }
				onClick={ () => input.current?.click() }
			>
				<svg viewBox="0 0 24 24" aria-hidden="true" focusable="false">
					<path d="M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6h-1.5z" />
				</svg>
			</button>
			<span id="chatflows-attach-hint" className="visually-hidden">
				{ texts.hint }
			</span>
			<span className="attach-note" role="status">
				{ uploading !== null && fill( texts.uploading, uploading ) }
			</span>
			{ problem && (
				<span className="attach-note attach-error" role="alert">
					{ problemText( problem, texts, maxSizeMb ) }
				</span>
			) }
		</span>
	);
}

interface AttachmentViewProps {
	attachment: AttachmentReference;
	/** Null while there is no session (the preview): the name only. */
	access: ServiceAccess | null;
	texts: AttachmentTexts;
	/** BCP 47 tag, for the size. */
	locale?: string;
}

/**
 * A message's file: an image as a thumbnail linking to the full image, a
 * PDF as a link that downloads it.
 *
 * @param props Props.
 */
export function AttachmentView( props: AttachmentViewProps ) {
	const { attachment, access, texts, locale } = props;
	const isImage = attachment.contentType.startsWith( 'image/' );
	const [ url, setUrl ] = useState< string | null >( null );
	const [ failed, setFailed ] = useState( false );
	const serviceUrl = access?.serviceUrl;
	const token = access?.token;

	// Images are fetched to show them; PDFs only when asked for.
	useEffect( () => {
		if ( ! isImage || ! serviceUrl || ! token ) {
			return undefined;
		}
		return showFile(
			() => fetchAttachment( { serviceUrl, token }, attachment.id ),
			setUrl,
			() => setFailed( true )
		);
	}, [ isImage, serviceUrl, token, attachment.id ] );

	if ( failed || ! access ) {
		return (
			<span className="attachment unavailable">
				{ attachment.name }
				{ failed && (
					<span className="attachment-note">
						{ texts.unavailable }
					</span>
				) }
			</span>
		);
	}

	if ( isImage ) {
		const label = fill( texts.image, attachment.name );
		return url ? (
			<a
				className="attachment image"
				href={ url }
				target="_blank"
				rel="noopener noreferrer"
			>
				<img src={ url } alt={ label } />
			</a>
		) : (
			<span className="attachment image loading">{ label }</span>
		);
	}

	const download = async ( event: Event ) => {
		event.preventDefault();
		try {
			saveFile(
				await fetchAttachment( access, attachment.id ),
				attachment.name
			);
		} catch {
			setFailed( true );
		}
	};
	return (
		<a
			className="attachment file"
			href={ `${ access.serviceUrl }${ ATTACHMENTS_PATH }/${ encodeURIComponent(
				attachment.id
			) }` }
			download={ attachment.name }
			onClick={ download }
		>
			{ fill(
				texts.download,
				attachment.name,
				formatSize( attachment.size, locale )
			) }
		</a>
	);
}

/** Styles of the above, added to the window's. */
export const ATTACHMENT_STYLE = `
.attach{position:relative;display:flex;align-items:flex-end}
.attach-button{color:#3c3c3c;font-size:20px}
.attach-note:empty{display:none}
.attach-note{position:absolute;bottom:calc(100% + 16px);left:0;width:max-content;max-width:260px;padding:6px 10px;border-radius:6px;background:#f3f6fc;color:#1e1e1e;font-size:13px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
.attach-error{background:#fcf0f1;color:#b32d2e}
.attachment{display:block;margin:4px 0;color:inherit}
.attachment.image img{display:block;max-width:100%;max-height:180px;border-radius:8px;background:#fff}
.attachment.file{text-decoration:underline;overflow-wrap:anywhere}
.attachment.loading,.attachment.unavailable{font-style:italic}
.attachment-note{display:block;font-size:12px}
`;
