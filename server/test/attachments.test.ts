/**
 * Attachments end to end on a real service: uploads over real HTTP with a
 * visitor's session or an agent's token, type recognised by content, size
 * limits while streaming, messages carrying the reference to both sides,
 * and downloads only for the conversation's people, with safe headers.
 */
import http from 'node:http';
import {
	MAX_UNSENT_ATTACHMENTS,
	UNSENT_LIFETIME_MS,
} from '../src/attachments/routes';
import {
	ATTACHMENTS_PATH,
	MAX_ATTACHMENT_MB,
	type AttachmentReference,
	type ChatMessage,
} from '@chatflows/protocol';
import {
	ORIGIN,
	cleanup,
	connectAgent,
	connectVisitor,
	agentAsk,
	nextEvent,
	signAgentToken,
	startService,
	visitorAsk,
	type TestService,
} from './helpers';
import type { ChatRepository } from '../src/repository/types';
import { hashSessionToken } from '../src/visitor/session';
import { onSqliteAndPostgres } from './postgres-server';
import { chatflow, configuration } from './repository-domain';

afterEach( cleanup );

const PNG = Buffer.concat( [
	Buffer.from( [ 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a ] ),
	Buffer.from( '0000000dIHDR-rest-of-a-tiny-image' ),
] );
const JPEG = Buffer.from( [ 0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46 ] );
const GIF = Buffer.from( 'GIF89a\x01\x00\x01\x00', 'latin1' );
const WEBP = Buffer.from( 'RIFF\x24\x00\x00\x00WEBPVP8 ', 'latin1' );
const PDF = Buffer.from( '%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n' );
const ELF = Buffer.from( [ 0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0 ] );
const HTML = Buffer.from(
	'<!doctype html><script>alert(document.cookie)</script>'
);
const SVG = Buffer.from(
	'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
);

interface Reply {
	status: number;
	headers: Headers;
	json: {
		attachment?: AttachmentReference;
		error?: { code: string; message: string };
	};
	body: Buffer;
}

async function upload(
	service: TestService,
	token: string | null,
	content: Buffer,
	query: Record< string, string >,
	headers: Record< string, string > = {}
): Promise< Reply > {
	const response = await fetch(
		`${ service.url }${ ATTACHMENTS_PATH }?${ new URLSearchParams( query ) }`,
		{
			method: 'POST',
			headers: {
				'Content-Type': 'application/octet-stream',
				...( token ? { Authorization: `Bearer ${ token }` } : {} ),
				...headers,
			},
			body: content,
		}
	);
	return {
		status: response.status,
		headers: response.headers,
		json: ( await response.json() ) as Reply[ 'json' ],
		body: Buffer.alloc( 0 ),
	};
}

async function download(
	service: TestService,
	token: string | null,
	id: string,
	headers: Record< string, string > = {}
): Promise< Reply > {
	const response = await fetch(
		`${ service.url }${ ATTACHMENTS_PATH }/${ id }`,
		{
			headers: {
				...( token ? { Authorization: `Bearer ${ token }` } : {} ),
				...headers,
			},
		}
	);
	const body = Buffer.from( await response.arrayBuffer() );
	const isJson = ( response.headers.get( 'content-type' ) ?? '' ).includes(
		'json'
	);
	return {
		status: response.status,
		headers: response.headers,
		json: isJson ? JSON.parse( body.toString() ) : {},
		body,
	};
}

/**
 * Sends a body in chunks without a Content-Length, the way a stream arrives,
 * and resolves with the answer (the service may answer before the end).
 *
 * @param service The service.
 * @param token   Credentials.
 * @param query   Query string.
 * @param total   Bytes to send, PNG signature first.
 */
function uploadChunked(
	service: TestService,
	token: string,
	query: Record< string, string >,
	total: number
): Promise< { status: number; json: Reply[ 'json' ]; sent: number } > {
	return new Promise( ( resolve, reject ) => {
		let sent = 0;
		const request = http.request(
			`${ service.url }${ ATTACHMENTS_PATH }?${ new URLSearchParams( query ) }`,
			{
				method: 'POST',
				headers: {
					Authorization: `Bearer ${ token }`,
					'Transfer-Encoding': 'chunked',
				},
			},
			( response ) => {
				const chunks: Buffer[] = [];
				response.on( 'data', ( chunk: Buffer ) =>
					chunks.push( chunk )
				);
				response.on( 'end', () =>
					resolve( {
						status: response.statusCode ?? 0,
						json: JSON.parse( Buffer.concat( chunks ).toString() ),
						sent,
					} )
				);
			}
		);
		// The service may close the connection while the rest is still on its way.
		request.on( 'error', ( error ) => {
			if ( sent === 0 ) {
				reject( error );
			}
		} );
		const chunk = Buffer.alloc( 64 * 1024, 1 );
		PNG.copy( chunk );
		const pump = () => {
			while ( sent < total && ! request.destroyed ) {
				sent += chunk.length;
				if ( ! request.write( chunk ) ) {
					request.once( 'drain', pump );
					return;
				}
			}
			request.end();
		};
		pump();
	} );
}

async function serviceWith(
	attachments?: { enabled: boolean; maxSizeMb: number },
	clock?: () => Date
): Promise< TestService > {
	const service = await startService( { clock } );
	await service.app.configuration.replace(
		configuration( [ { ...chatflow( 'support', 1 ), attachments } ] )
	);
	return service;
}

async function visitorUploads(
	service: TestService,
	content: Buffer,
	name: string
) {
	const visitor = await connectVisitor( service );
	const reply = await upload( service, visitor.session.token, content, {
		name,
		chatflowId: 'support',
	} );
	return { ...visitor, reply };
}

describe( 'uploads', () => {
	it.each( [
		[ 'a PNG', PNG, 'photo.png', 'image/png' ],
		[ 'a JPEG', JPEG, 'photo.jpg', 'image/jpeg' ],
		[ 'a GIF', GIF, 'anim.gif', 'image/gif' ],
		[ 'a WebP', WEBP, 'photo.webp', 'image/webp' ],
		[ 'a PDF', PDF, 'invoice.pdf', 'application/pdf' ],
		// The content decides, never the name or the declared type.
		[ 'a PNG named .pdf', PNG, 'looks-like.pdf', 'image/png' ],
	] )( 'accepts %s by its content', async ( _label, content, name, type ) => {
		const service = await serviceWith();
		const { reply } = await visitorUploads( service, content, name );
		expect( reply.status ).toBe( 201 );
		expect( reply.json.attachment ).toEqual( {
			id: expect.stringMatching( /^[A-Za-z0-9_-]{24}$/ ),
			name,
			contentType: type,
			size: content.length,
		} );
	} );

	it.each( [
		[ 'an ELF executable renamed .png', ELF, 'cat.png' ],
		[ 'an HTML page renamed .png', HTML, 'cat.png' ],
		[ 'an SVG image (it can run scripts)', SVG, 'logo.svg' ],
		[
			'plain text named .pdf',
			Buffer.from( 'PDF-1.7 but not really' ),
			'x.pdf',
		],
	] )( 'refuses %s', async ( _label, content, name ) => {
		const service = await serviceWith();
		const { reply } = await visitorUploads( service, content, name );
		expect( reply.status ).toBe( 415 );
		expect( reply.json.error ).toEqual( {
			code: 'unsupported_type',
			message:
				'file: only PNG, JPEG, GIF and WebP images and PDF documents can be sent',
		} );
	} );

	it( 'refuses a file above the chatflow’s limit from its declared length, naming the limit', async () => {
		const service = await serviceWith( { enabled: true, maxSizeMb: 1 } );
		const big = Buffer.alloc( 1024 * 1024 + 1 );
		PNG.copy( big );
		const { reply } = await visitorUploads( service, big, 'big.png' );
		expect( reply.status ).toBe( 413 );
		expect( reply.json.error ).toEqual( {
			code: 'too_large',
			message: 'file: must be at most 1 MB',
		} );
		const exact = Buffer.alloc( 1024 * 1024 );
		PNG.copy( exact );
		expect(
			( await visitorUploads( service, exact, 'ok.png' ) ).reply.status
		).toBe( 201 );
	} );

	it( 'stops reading a streamed upload as soon as it passes the limit', async () => {
		const service = await serviceWith( { enabled: true, maxSizeMb: 1 } );
		const { session } = await connectVisitor( service );
		const answer = await uploadChunked(
			service,
			session.token,
			{ name: 'stream.png', chatflowId: 'support' },
			64 * 1024 * 1024
		);
		expect( answer.status ).toBe( 413 );
		expect( answer.json.error?.code ).toBe( 'too_large' );
		// Answered long before 64 MB went out.
		expect( answer.sent ).toBeLessThan( 32 * 1024 * 1024 );
	} );

	it( 'holds every chatflow to the service’s own limit', async () => {
		const service = await serviceWith();
		const big = Buffer.alloc( MAX_ATTACHMENT_MB * 1024 * 1024 + 1 );
		PNG.copy( big );
		const { reply } = await visitorUploads( service, big, 'huge.png' );
		expect( reply.status ).toBe( 413 );
		expect( reply.json.error?.message ).toBe(
			`file: must be at most ${ MAX_ATTACHMENT_MB } MB`
		);
	} );

	it( 'refuses uploads when the chatflow turned attachments off', async () => {
		const service = await serviceWith( { enabled: false, maxSizeMb: 5 } );
		const { reply } = await visitorUploads( service, PNG, 'photo.png' );
		expect( reply.status ).toBe( 403 );
		expect( reply.json.error?.code ).toBe( 'attachments_disabled' );
	} );

	it( 'refuses uploads without valid credentials, a name or a chatflow', async () => {
		const service = await serviceWith();
		const { session } = await connectVisitor( service );
		const noToken = await upload( service, null, PNG, {
			name: 'a.png',
			chatflowId: 'support',
		} );
		expect( noToken.status ).toBe( 401 );
		const unknownSession = await upload( service, 'A'.repeat( 43 ), PNG, {
			name: 'a.png',
			chatflowId: 'support',
		} );
		expect( unknownSession.status ).toBe( 401 );
		const forged = await upload(
			service,
			await signAgentToken( {
				secret: 'another-secret-that-is-long-enough-42',
			} ),
			PNG,
			{ name: 'a.png' }
		);
		expect( forged.status ).toBe( 401 );
		const noName = await upload( service, session.token, PNG, {
			name: '  ',
			chatflowId: 'support',
		} );
		expect( noName.status ).toBe( 400 );
		expect( noName.json.error?.message ).toMatch( /^name: / );
		const noChatflow = await upload( service, session.token, PNG, {
			name: 'a.png',
		} );
		expect( noChatflow.status ).toBe( 400 );
		expect( noChatflow.json.error?.message ).toMatch( /^chatflowId: / );
	} );

	it( 'keeps only the file name, without folders or control characters', async () => {
		const service = await serviceWith();
		const { reply } = await visitorUploads(
			service,
			PNG,
			'../../etc/\u0007cat.png'
		);
		expect( reply.json.attachment?.name ).toBe( 'cat.png' );
	} );

	it( 'answers CORS for listed origins only', async () => {
		const service = await serviceWith();
		const preflight = await fetch(
			`${ service.url }${ ATTACHMENTS_PATH }`,
			{
				method: 'OPTIONS',
				headers: {
					Origin: ORIGIN,
					'Access-Control-Request-Method': 'POST',
					'Access-Control-Request-Headers': 'authorization',
				},
			}
		);
		expect( preflight.status ).toBe( 204 );
		expect( preflight.headers.get( 'access-control-allow-origin' ) ).toBe(
			ORIGIN
		);
		expect(
			preflight.headers.get( 'access-control-allow-headers' )
		).toMatch( /Authorization/ );
		const { session } = await connectVisitor( service );
		const elsewhere = await upload(
			service,
			session.token,
			PNG,
			{ name: 'a.png', chatflowId: 'support' },
			{ Origin: 'https://evil.example' }
		);
		expect( elsewhere.status ).toBe( 403 );
		expect(
			elsewhere.headers.get( 'access-control-allow-origin' )
		).toBeNull();
	} );
} );

describe( 'messages with attachments', () => {
	it( 'reaches the agent and both sides can fetch it, with safe headers', async () => {
		const service = await serviceWith();
		const agentToken = await signAgentToken();
		const agent = await connectAgent( service, agentToken );
		const { socket, session, reply } = await visitorUploads(
			service,
			PNG,
			'screenshot.png'
		);
		const attachment = reply.json.attachment as AttachmentReference;

		const seen = nextEvent< ChatMessage >( agent, 'message:new' );
		const sent = await visitorAsk( socket, 'message:send', {
			clientId: 'c-1',
			body: 'screenshot.png',
			attachmentId: attachment.id,
		} );
		expect( sent.ok && sent.data.message.attachment ).toEqual( attachment );
		const received = await seen;
		expect( received.attachment ).toEqual( attachment );

		for ( const token of [ session.token, agentToken ] ) {
			const file = await download( service, token, attachment.id );
			expect( file.status ).toBe( 200 );
			expect( file.body.equals( PNG ) ).toBe( true );
			expect( file.headers.get( 'content-type' ) ).toBe( 'image/png' );
			expect( file.headers.get( 'x-content-type-options' ) ).toBe(
				'nosniff'
			);
			expect( file.headers.get( 'content-security-policy' ) ).toMatch(
				/^sandbox/
			);
			expect( file.headers.get( 'content-disposition' ) ).toBe(
				'inline; filename="screenshot.png"; filename*=UTF-8\'\'screenshot.png'
			);
		}

		// Both sides get it back when catching up.
		const resumed = await visitorAsk( socket, 'conversation:resume', {} );
		expect( resumed.ok && resumed.data.messages[ 0 ].attachment ).toEqual(
			attachment
		);
		const listed = await agentAsk( agent, 'conversation:messages', {
			conversationId: received.conversationId,
		} );
		expect( listed.ok && listed.data.messages[ 0 ].attachment ).toEqual(
			attachment
		);
	} );

	it( 'serves a PDF only as a download, under a name that ends in .pdf', async () => {
		const service = await serviceWith();
		const { socket, session, reply } = await visitorUploads(
			service,
			PDF,
			'invoice.html'
		);
		const attachment = reply.json.attachment as AttachmentReference;
		await visitorAsk( socket, 'message:send', {
			clientId: 'c-1',
			body: 'invoice',
			attachmentId: attachment.id,
		} );
		const file = await download( service, session.token, attachment.id, {
			Origin: ORIGIN,
		} );
		expect( file.status ).toBe( 200 );
		expect( file.headers.get( 'content-type' ) ).toBe( 'application/pdf' );
		expect( file.headers.get( 'content-disposition' ) ).toBe(
			'attachment; filename="invoice.html.pdf"; filename*=UTF-8\'\'invoice.html.pdf'
		);
		expect( file.headers.get( 'x-content-type-options' ) ).toBe(
			'nosniff'
		);
		expect( file.headers.get( 'access-control-allow-origin' ) ).toBe(
			ORIGIN
		);
	} );

	it( 'is never served to another visitor, nor without credentials', async () => {
		const service = await serviceWith();
		const { socket, reply } = await visitorUploads(
			service,
			PNG,
			'private.png'
		);
		const attachment = reply.json.attachment as AttachmentReference;
		await visitorAsk( socket, 'message:send', {
			clientId: 'c-1',
			body: 'private.png',
			attachmentId: attachment.id,
		} );
		const other = await connectVisitor( service );
		const stolen = await download(
			service,
			other.session.token,
			attachment.id
		);
		expect( stolen.status ).toBe( 404 );
		expect( stolen.body.includes( PNG ) ).toBe( false );
		expect(
			( await download( service, null, attachment.id ) ).status
		).toBe( 401 );
		// Nor can the other visitor put it in their own conversation.
		const sent = await visitorAsk( other.socket, 'message:send', {
			clientId: 'c-2',
			body: 'mine now',
			attachmentId: attachment.id,
		} );
		expect( sent ).toEqual( {
			ok: false,
			error: {
				code: 'invalid_payload',
				message: 'attachmentId: not a file you uploaded',
			},
		} );
	} );

	it( 'is shown to agents only once sent', async () => {
		const service = await serviceWith();
		const agentToken = await signAgentToken();
		const { session, reply } = await visitorUploads(
			service,
			PNG,
			'draft.png'
		);
		const attachment = reply.json.attachment as AttachmentReference;
		expect(
			( await download( service, agentToken, attachment.id ) ).status
		).toBe( 404 );
		// The visitor who uploaded it may see it before sending.
		expect(
			( await download( service, session.token, attachment.id ) ).status
		).toBe( 200 );
	} );

	it( 'goes in one message only; sending that message again changes nothing', async () => {
		const service = await serviceWith();
		const { socket, reply } = await visitorUploads(
			service,
			PNG,
			'once.png'
		);
		const attachmentId = ( reply.json.attachment as AttachmentReference )
			.id;
		const first = await visitorAsk( socket, 'message:send', {
			clientId: 'c-1',
			body: 'once.png',
			attachmentId,
		} );
		const again = await visitorAsk( socket, 'message:send', {
			clientId: 'c-1',
			body: 'once.png',
			attachmentId,
		} );
		expect( again ).toEqual( first );
		const other = await visitorAsk( socket, 'message:send', {
			clientId: 'c-2',
			body: 'twice?',
			attachmentId,
		} );
		expect( other ).toEqual( {
			ok: false,
			error: {
				code: 'invalid_payload',
				message: 'attachmentId: already sent in another message',
			},
		} );
		const resumed = await visitorAsk( socket, 'conversation:resume', {} );
		expect( resumed.ok && resumed.data.messages ).toHaveLength( 1 );
	} );

	it( 'refuses an id that was never uploaded, storing nothing', async () => {
		const service = await serviceWith();
		const { socket } = await connectVisitor( service );
		const sent = await visitorAsk( socket, 'message:send', {
			clientId: 'c-1',
			body: 'ghost',
			attachmentId: 'A'.repeat( 24 ),
		} );
		expect( sent.ok ).toBe( false );
		const resumed = await visitorAsk( socket, 'conversation:resume', {} );
		expect( resumed.ok && resumed.data.conversation ).toBeNull();
	} );

	it( 'carries an agent’s file to the visitor, who may fetch it', async () => {
		const service = await serviceWith();
		const agentToken = await signAgentToken();
		const agent = await connectAgent( service, agentToken );
		const { socket, session } = await connectVisitor( service );
		const opened = await visitorAsk( socket, 'message:send', {
			clientId: 'c-1',
			body: 'Hi',
		} );
		const conversationId = opened.ok
			? opened.data.message.conversationId
			: '';
		const uploaded = await upload( service, agentToken, PDF, {
			name: 'manual.pdf',
		} );
		expect( uploaded.status ).toBe( 201 );
		const attachment = uploaded.json.attachment as AttachmentReference;
		const seen = nextEvent< ChatMessage >( socket, 'message:new' );
		const sent = await agentAsk( agent, 'message:send', {
			conversationId,
			clientId: 'a-1',
			body: 'manual.pdf',
			attachmentId: attachment.id,
		} );
		expect( sent.ok ).toBe( true );
		expect( ( await seen ).attachment ).toEqual( attachment );
		const file = await download( service, session.token, attachment.id );
		expect( file.status ).toBe( 200 );
		expect( file.headers.get( 'content-disposition' ) ).toMatch(
			/^attachment;/
		);
		// Another visitor still cannot.
		const other = await connectVisitor( service );
		expect(
			( await download( service, other.session.token, attachment.id ) )
				.status
		).toBe( 404 );
	} );
} );

describe( 'files never sent', () => {
	it( 'are limited per uploader until some are sent', async () => {
		const service = await serviceWith();
		const { socket, session } = await connectVisitor( service );
		const query = { name: 'a.png', chatflowId: 'support' };
		const ids: string[] = [];
		for ( let i = 0; i < MAX_UNSENT_ATTACHMENTS; i++ ) {
			const reply = await upload( service, session.token, PNG, query );
			expect( reply.status ).toBe( 201 );
			ids.push( ( reply.json.attachment as AttachmentReference ).id );
		}
		const refused = await upload( service, session.token, PNG, query );
		expect( refused.status ).toBe( 429 );
		expect( refused.json.error ).toEqual( {
			code: 'too_many_files',
			message: `file: send your earlier files first (at most ${ MAX_UNSENT_ATTACHMENTS } not in a message yet)`,
		} );
		// Another visitor is not held back by this one.
		const other = await connectVisitor( service );
		expect(
			( await upload( service, other.session.token, PNG, query ) ).status
		).toBe( 201 );

		await visitorAsk( socket, 'message:send', {
			clientId: 'c-1',
			body: 'a.png',
			attachmentId: ids[ 0 ],
		} );
		expect(
			( await upload( service, session.token, PNG, query ) ).status
		).toBe( 201 );
	} );

	it( 'are deleted after their lifetime, while sent ones stay', async () => {
		let now = Date.parse( '2026-03-01T10:00:00.000Z' );
		const service = await serviceWith( undefined, () => new Date( now ) );
		const { socket, session } = await connectVisitor( service );
		const query = { name: 'a.png', chatflowId: 'support' };
		const unsent = ( await upload( service, session.token, PNG, query ) )
			.json.attachment as AttachmentReference;
		const sent = ( await upload( service, session.token, PNG, query ) ).json
			.attachment as AttachmentReference;
		await visitorAsk( socket, 'message:send', {
			clientId: 'c-1',
			body: 'a.png',
			attachmentId: sent.id,
		} );

		now += UNSENT_LIFETIME_MS + 60_000;
		// The next upload clears out what nobody sent.
		expect(
			( await upload( service, session.token, PNG, query ) ).status
		).toBe( 201 );

		expect(
			( await download( service, session.token, unsent.id ) ).status
		).toBe( 404 );
		expect(
			( await download( service, session.token, sent.id ) ).status
		).toBe( 200 );
		expect(
			await service.repository.findAttachment( unsent.id )
		).toBeNull();
	} );
} );

describe( 'the chatflow and inbox behind a file', () => {
	const DATABASES = onSqliteAndPostgres();

	/**
	 * `support` (inbox 1, files up to 1 MB), `sales` (inbox 2), `off`
	 * (switched off) and `gone` (deleted).
	 *
	 * @param repository The database.
	 */
	async function twoInboxes(
		repository: ChatRepository | undefined
	): Promise< TestService > {
		const service = await startService( { repository } );
		await service.app.configuration.replace( {
			...configuration( [
				{
					...chatflow( 'support', 1 ),
					attachments: { enabled: true, maxSizeMb: 1 },
				},
				{ ...chatflow( 'sales', 1 ), inboxId: 'inbox-2' },
				{ ...chatflow( 'off', 1 ), enabled: false },
				chatflow( 'gone', 1 ),
			] ),
			inboxes: [
				{ id: 'inbox-1', name: 'Support' },
				{ id: 'inbox-2', name: 'Sales' },
			],
		} );
		await service.app.configuration.deleteChatflow( 'gone' );
		return service;
	}

	describe.each( DATABASES )( 'on %s', ( _name, open ) => {
		it( 'is served only to agents who see its conversation', async () => {
			const service = await twoInboxes( await open() );
			const { socket, reply } = await visitorUploads(
				service,
				PNG,
				'passport.png'
			);
			const attachment = reply.json.attachment as AttachmentReference;
			const sent = await visitorAsk( socket, 'message:send', {
				clientId: 'c-1',
				body: 'passport.png',
				attachmentId: attachment.id,
			} );
			expect( sent.ok ).toBe( true );
			const ofSupport = await signAgentToken( {
				claims: { inboxes: [ 'inbox-1' ] },
			} );
			const ofSales = await signAgentToken( {
				subject: '8',
				claims: { inboxes: [ 'inbox-2' ] },
			} );
			expect(
				( await download( service, ofSupport, attachment.id ) ).status
			).toBe( 200 );
			const stolen = await download( service, ofSales, attachment.id );
			expect( stolen.status ).toBe( 404 );
			expect( stolen.json ).toEqual( {
				error: { code: 'not_found', message: 'No such file.' },
			} );
			expect( stolen.body.includes( PNG ) ).toBe( false );
		} );

		it.each( [
			[ 'a made-up', 'made-up-by-a-visitor' ],
			[ 'an unpublished', 'off' ],
			[ 'a deleted', 'gone' ],
		] )(
			'refuses an upload naming %s chatflow, whatever its size',
			async ( _label, chatflowId ) => {
				const service = await twoInboxes( await open() );
				const { session } = await connectVisitor( service );
				// Above support's own limit, below the service's.
				const big = Buffer.alloc( 2 * 1024 * 1024 );
				PNG.copy( big );
				for ( const content of [ PNG, big ] ) {
					const reply = await upload(
						service,
						session.token,
						content,
						{ name: 'a.png', chatflowId }
					);
					expect( reply.status ).toBe( 403 );
					expect( reply.json.error ).toEqual( {
						code: 'chatflow_unavailable',
						message: expect.stringMatching( /^chatflowId: / ),
					} );
				}
				// The chatflow's own limit holds.
				expect(
					(
						await upload( service, session.token, big, {
							name: 'a.png',
							chatflowId: 'support',
						} )
					).status
				).toBe( 413 );
			}
		);

		it( 'refuses uploads as retryable until the first configuration arrives', async () => {
			const service = await startService( {
				repository: await open(),
				configuration: null,
			} );
			// A session from before the restart (the handshake refuses new ones now).
			await service.repository.createVisitor( {
				id: 'visitor-1',
				sessionHash: hashSessionToken( 'S'.repeat( 43 ) ),
				createdAt: new Date().toISOString(),
			} );
			const reply = await upload( service, 'S'.repeat( 43 ), PNG, {
				name: 'a.png',
				chatflowId: 'support',
			} );
			expect( reply.status ).toBe( 503 );
			expect( reply.headers.get( 'retry-after' ) ).toBe( '5' );
			expect( reply.json.error?.code ).toBe( 'configuration_pending' );
		} );
	} );
} );
