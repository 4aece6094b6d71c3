/**
 * Recognises a file's type from its first bytes. Names and declared types
 * are never trusted: a page or program renamed `photo.png` is refused.
 */
import type { AttachmentContentType } from '@chatflows/protocol';

/** Signatures of the accepted types. */
const SIGNATURES: Array< {
	type: AttachmentContentType;
	matches: ( head: Buffer ) => boolean;
} > = [
	{
		type: 'image/png',
		matches: ( head ) =>
			head
				.subarray( 0, 8 )
				.equals(
					Buffer.from( [
						0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a,
					] )
				),
	},
	{
		type: 'image/jpeg',
		matches: ( head ) =>
			head.length >= 3 &&
			head[ 0 ] === 0xff &&
			head[ 1 ] === 0xd8 &&
			head[ 2 ] === 0xff,
	},
	{
		type: 'image/gif',
		matches: ( head ) => {
			const magic = head.subarray( 0, 6 ).toString( 'latin1' );
			return magic === 'GIF87a' || magic === 'GIF89a';
		},
	},
	{
		type: 'image/webp',
		matches: ( head ) =>
			head.subarray( 0, 4 ).toString( 'latin1' ) === 'RIFF' &&
			head.subarray( 8, 12 ).toString( 'latin1' ) === 'WEBP',
	},
	{
		type: 'application/pdf',
		matches: ( head ) =>
			head.subarray( 0, 5 ).toString( 'latin1' ) === '%PDF-',
	},
];

/**
 * The accepted type a file's content is, if any.
 *
 * @param content The file, or at least its first 12 bytes.
 * @return The content type, or null when it is none of the accepted ones.
 */
export function sniffContentType(
	content: Buffer
): AttachmentContentType | null {
	return (
		SIGNATURES.find( ( signature ) => signature.matches( content ) )
			?.type ?? null
	);
}

/** The extension a file of each type is saved with. */
export const EXTENSIONS: Record< AttachmentContentType, string > = {
	'image/png': 'png',
	'image/jpeg': 'jpg',
	'image/gif': 'gif',
	'image/webp': 'webp',
	'application/pdf': 'pdf',
};

/** Longest file name kept, in characters. */
export const MAX_NAME_LENGTH = 200;

/**
 * A file name as people see it: no folders, no control characters, trimmed.
 *
 * @param value What the client sent.
 * @return The name, or '' when nothing usable remains.
 */
export function cleanFileName( value: string ): string {
	const base = value.split( /[\\/]/ ).pop() ?? '';

	const printable = base.replace( /[\u0000-\u001f\u007f-\u009f]/g, '' );
	return Array.from( printable.trim() )
		.slice( 0, MAX_NAME_LENGTH )
		.join( '' )
		.trim();
}

/**
 * The name a download is saved under: the type's own extension, so a PDF
 * named `report.html` is saved as `report.html.pdf`, never opened as a page.
 *
 * @param name The stored name.
 * @param type The sniffed type.
 * @return The name with the right extension.
 */
export function downloadName(
	name: string,
	type: AttachmentContentType
): string {
	const extension = EXTENSIONS[ type ];
	const lower = name.toLowerCase();
	if (
		lower.endsWith( `.${ extension }` ) ||
		( type === 'image/jpeg' && lower.endsWith( '.jpeg' ) )
	) {
		return name;
	}
	return `${ name }.${ extension }`;
}

/**
 * A `Content-Disposition` header value, with the name in RFC 5987 form and
 * an ASCII fallback.
 *
 * @param disposition `inline` or `attachment`.
 * @param name        The file name.
 * @return The header value.
 */
export function contentDisposition(
	disposition: 'inline' | 'attachment',
	name: string
): string {
	const ascii = name.replace( /[^\x20-\x7e]|["\\%]/g, '_' );
	const encoded = encodeURIComponent( name ).replace(
		/['()*]/g,
		( char ) => `%${ char.charCodeAt( 0 ).toString( 16 ).toUpperCase() }`
	);
	return `${ disposition }; filename="${ ascii }"; filename*=UTF-8''${ encoded }`;
}
