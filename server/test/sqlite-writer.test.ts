/**
 * The SQLite writer thread: writes leave the event loop, yet a promise
 * resolves only once its write is committed; closing waits for every write
 * sent; a dead thread fails every unanswered and later write, loudly, and
 * never reports a write it did not make.
 */
import path from 'node:path';
import type { AppendResult } from '../src/repository/types';
import {
	openSqliteRepository,
	type SqliteChatRepository,
} from '../src/repository/sqlite';
import { SqliteWriterFailedError } from '../src/repository/sqlite-writer';
import {
	cleanup,
	connectVisitor,
	makeTempDir,
	startService,
	visitorAsk,
} from './helpers';

afterEach( cleanup );

const CREATED_AT = '2026-05-04T10:00:00.000Z';

async function withVisitor( file: string ): Promise< SqliteChatRepository > {
	const repository = openSqliteRepository( file );
	await repository.createVisitor( {
		id: 'visitor',
		sessionHash: 'hash',
		createdAt: CREATED_AT,
	} );
	return repository;
}

function append(
	repository: SqliteChatRepository,
	clientId: string
): Promise< AppendResult > {
	return repository.appendVisitorMessage( {
		visitorId: 'visitor',
		chatflowId: 'support',
		newConversationId: 'conversation',
		pageUrl: '',
		clientId,
		author: { type: 'visitor', id: 'visitor', name: '' },
		body: `message ${ clientId }`,
		createdAt: CREATED_AT,
	} );
}

async function storedClientIds( file: string ): Promise< string[] > {
	const reopened = openSqliteRepository( file );
	try {
		const messages = await reopened.listMessages( 'conversation', 0 );
		return messages.map( ( message ) => message.clientId );
	} finally {
		await reopened.close();
	}
}

describe( 'SQLite writer thread', () => {
	it( 'writes on its own thread; the main thread reads what it committed', async () => {
		const file = path.join( makeTempDir(), 'db.sqlite' );
		const repository = await withVisitor( file );
		try {
			expect( repository.writerThread?.thread.threadId ).toBeGreaterThan(
				0
			);
			const results = await Promise.all(
				Array.from( { length: 50 }, ( _, i ) =>
					append( repository, `c${ i }` )
				)
			);
			expect( results.map( ( result ) => result.message.seq ) ).toEqual(
				Array.from( { length: 50 }, ( _, i ) => i + 1 )
			);
			await expect(
				repository.findConversation( 'conversation' )
			).resolves.toMatchObject( { lastSeq: 50 } );
			// A repeated client id is answered with the stored message, not written again.
			const repeat = await append( repository, 'c7' );
			expect( repeat.created ).toBe( false );
			expect( repeat.message ).toEqual( results[ 7 ].message );
		} finally {
			await repository.close();
		}
		expect( await storedClientIds( file ) ).toHaveLength( 50 );
	} );

	it( 'closing commits every write already sent, then refuses more', async () => {
		const file = path.join( makeTempDir(), 'db.sqlite' );
		const repository = await withVisitor( file );
		const writes = Array.from( { length: 200 }, ( _, i ) =>
			append( repository, `c${ i }` )
		);
		const closed = repository.close();
		await expect( append( repository, 'too-late' ) ).rejects.toThrow(
			/closed/
		);
		const results = await Promise.all( writes );
		await closed;
		expect( results.every( ( result ) => result.created ) ).toBe( true );
		expect( await storedClientIds( file ) ).toEqual(
			Array.from( { length: 200 }, ( _, i ) => `c${ i }` )
		);
	} );

	it( 'when the thread dies, answers no write it did not make and refuses the rest', async () => {
		const file = path.join( makeTempDir(), 'db.sqlite' );
		const failures: Error[] = [];
		const repository = openSqliteRepository( file, {
			onWriterFailure: ( error ) => failures.push( error ),
		} );
		await repository.createVisitor( {
			id: 'visitor',
			sessionHash: 'hash',
			createdAt: CREATED_AT,
		} );
		await append( repository, 'before' );
		const writes = Array.from( { length: 300 }, ( _, i ) =>
			append( repository, `c${ i }` )
		);
		await repository.writerThread?.thread.terminate();
		const outcomes = await Promise.allSettled( writes );

		expect( failures ).toHaveLength( 1 );
		expect( failures[ 0 ] ).toBeInstanceOf( SqliteWriterFailedError );
		const rejected = outcomes.filter(
			( outcome ) => outcome.status === 'rejected'
		);
		expect( rejected.length ).toBeGreaterThan( 0 );
		for ( const outcome of rejected ) {
			expect( ( outcome as PromiseRejectedResult ).reason ).toBe(
				failures[ 0 ]
			);
		}
		await expect( append( repository, 'after' ) ).rejects.toBe(
			failures[ 0 ]
		);
		await repository.close();

		// Every write reported done is stored; what was refused may or may
		// not be (a resend with the same client id is stored once either way).
		const stored = new Set( await storedClientIds( file ) );
		expect( stored.has( 'before' ) ).toBe( true );
		expect( stored.has( 'after' ) ).toBe( false );
		outcomes.forEach( ( outcome, i ) => {
			if ( outcome.status === 'fulfilled' ) {
				expect( stored.has( `c${ i }` ) ).toBe( true );
			}
		} );
	} );

	it( 'a visitor whose message cannot be stored gets an error, never an acknowledgement', async () => {
		const service = await startService();
		const visitor = await connectVisitor( service );
		const sqlite = service.repository as SqliteChatRepository;
		await sqlite.writerThread?.thread.terminate();
		const ack = await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'lost',
			body: 'hello',
		} );
		expect( ack ).toEqual( {
			ok: false,
			error: {
				code: 'internal',
				message: 'The chat service could not complete this request.',
			},
		} );
	} );
} );
