/**
 * Attachments in both repositories, SQLite and a real PostgreSQL server:
 * stored with their bytes, linked to one message of their uploader only,
 * and listed with the messages that carry them.
 */
import path from 'node:path';
import { openPostgresRepository } from '../src/repository/postgres';
import { openSqliteRepository } from '../src/repository/sqlite';
import type { AttachmentRecord, ChatRepository } from '../src/repository/types';
import { makeTempDir, removeTempDirs } from './helpers';
import { startPostgres, type PostgresServer } from './postgres-server';
import { at, visitorMessage } from './repository-contract';

jest.setTimeout( 60_000 );

let postgres: PostgresServer;

beforeAll( async () => {
	postgres = await startPostgres();
} );

afterAll( async () => {
	await postgres?.stop();
	removeTempDirs();
} );

const BYTES = Buffer.from( [ 0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255 ] );

function attachment(
	overrides: Partial< AttachmentRecord > = {}
): AttachmentRecord {
	return {
		id: 'attachment-0000000000001',
		chatflowId: 'support',
		uploaderType: 'visitor',
		uploaderId: 'visitor-1',
		name: 'photo.png',
		contentType: 'image/png',
		size: BYTES.length,
		createdAt: at( 1 ),
		conversationId: null,
		seq: null,
		...overrides,
	};
}

interface Opened {
	repository: ChatRepository;
	drop: () => Promise< void >;
}

describe.each< [ string, () => Promise< Opened > ] >( [
	[
		'SQLite',
		async () => {
			const file = path.join( makeTempDir(), 'chatflows.sqlite' );
			return {
				repository: openSqliteRepository( file ),
				drop: async () => undefined,
			};
		},
	],
	[
		'PostgreSQL',
		async () => {
			const name = await postgres.createDatabase();
			return {
				repository: await openPostgresRepository(
					postgres.url( name )
				),
				drop: () => postgres.dropDatabase( name ),
			};
		},
	],
] )( 'attachments in %s', ( _name, open ) => {
	let repository: ChatRepository;
	let drop: () => Promise< void >;

	beforeEach( async () => {
		( { repository, drop } = await open() );
		await repository.createVisitor( {
			id: 'visitor-1',
			sessionHash: 'hash-1',
			createdAt: at( 0 ),
		} );
	} );

	afterEach( async () => {
		await repository.close();
		await drop();
	} );

	it( 'stores the record and the exact bytes', async () => {
		await repository.saveAttachment( attachment(), BYTES );
		expect(
			await repository.findAttachment( 'attachment-0000000000001' )
		).toEqual( attachment() );
		const data = await repository.readAttachmentData(
			'attachment-0000000000001'
		);
		expect( data && Buffer.from( data ).equals( BYTES ) ).toBe( true );
		expect( await repository.findAttachment( 'missing' ) ).toBeNull();
		expect( await repository.readAttachmentData( 'missing' ) ).toBeNull();
	} );

	it( 'links to one message of the uploader, and lists it with that message', async () => {
		await repository.saveAttachment( attachment(), BYTES );
		const first = await repository.appendVisitorMessage( visitorMessage() );
		const second = await repository.appendVisitorMessage(
			visitorMessage( { clientId: 'c2', body: 'photo.png' } )
		);
		const link = {
			attachmentId: 'attachment-0000000000001',
			conversationId: second.message.conversationId,
			seq: second.message.seq,
			uploaderType: 'visitor' as const,
			uploaderId: 'visitor-1',
		};
		// Someone else's upload is never linked.
		expect(
			await repository.linkAttachment( {
				...link,
				uploaderId: 'visitor-2',
			} )
		).toBeNull();
		expect(
			await repository.linkAttachment( {
				...link,
				uploaderType: 'agent',
			} )
		).toBeNull();
		const linked = await repository.linkAttachment( link );
		expect( linked ).toEqual(
			attachment( { conversationId: link.conversationId, seq: 2 } )
		);
		// Again for the same message: the same answer; for another message: refused.
		expect( await repository.linkAttachment( link ) ).toEqual( linked );
		expect(
			await repository.linkAttachment( {
				...link,
				seq: first.message.seq,
			} )
		).toBeNull();

		const messages = await repository.listMessages(
			link.conversationId,
			0
		);
		expect( messages[ 0 ].attachment ).toBeUndefined();
		expect( messages[ 1 ].attachment ).toEqual( {
			id: 'attachment-0000000000001',
			name: 'photo.png',
			contentType: 'image/png',
			size: BYTES.length,
		} );
		// Catching up after a seq still carries it.
		const after = await repository.listMessages( link.conversationId, 1 );
		expect( after.map( ( message ) => message.attachment?.id ) ).toEqual( [
			'attachment-0000000000001',
		] );
	} );

	it( 'counts and deletes only files in no message', async () => {
		await repository.saveAttachment( attachment(), BYTES );
		await repository.saveAttachment(
			attachment( {
				id: 'attachment-0000000000002',
				createdAt: at( 2 ),
			} ),
			BYTES
		);
		await repository.saveAttachment(
			attachment( {
				id: 'attachment-0000000000003',
				uploaderId: 'visitor-2',
			} ),
			BYTES
		);
		const sent = await repository.appendVisitorMessage( visitorMessage() );
		await repository.linkAttachment( {
			attachmentId: 'attachment-0000000000001',
			conversationId: sent.message.conversationId,
			seq: sent.message.seq,
			uploaderType: 'visitor',
			uploaderId: 'visitor-1',
		} );
		expect(
			await repository.countUnsentAttachments( 'visitor', 'visitor-1' )
		).toBe( 1 );
		expect(
			await repository.countUnsentAttachments( 'agent', 'visitor-1' )
		).toBe( 0 );

		// Uploaded before at( 2 ): the sent one stays, the unsent one goes.
		expect( await repository.deleteUnsentAttachments( at( 2 ) ) ).toBe( 1 );
		expect(
			await repository.findAttachment( 'attachment-0000000000001' )
		).not.toBeNull();
		expect(
			await repository.findAttachment( 'attachment-0000000000002' )
		).not.toBeNull();
		expect(
			await repository.findAttachment( 'attachment-0000000000003' )
		).toBeNull();
	} );
} );
