/**
 * Nothing lost, nothing doubled, while visitors send steadily: the process
 * killed with SIGKILL mid-conversation and started again keeps every
 * acknowledged message; SIGTERM drains without losing one either. The
 * clients are real socket.io clients that reconnect by themselves.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ChatMessage } from '@chatflows/protocol';
import { openSqliteRepository } from '../src/repository/sqlite';
import { makeTempDir, removeTempDirs } from './helpers';
import { freePort, waitFor } from './process-helpers';
import {
	SteadyVisitor,
	buildServiceEntry,
	killServiceProcesses,
	startServiceProcess,
} from './service-process';

jest.setTimeout( 120_000 );

const VISITORS = 6;
const INTERVAL_MS = 10;

let entry: string;
const visitors: SteadyVisitor[] = [];

beforeAll( () => {
	entry = buildServiceEntry();
} );

afterEach( () => {
	for ( const visitor of visitors.splice( 0 ) ) {
		visitor.close();
	}
	killServiceProcesses();
	removeTempDirs();
} );

afterAll( () => {
	fs.rmSync( path.dirname( entry ), { recursive: true, force: true } );
} );

function env( port: number, dbFile: string ): Record< string, string > {
	return {
		CHATFLOWS_PORT: String( port ),
		CHATFLOWS_DB_FILE: dbFile,
		CHATFLOWS_LOG_LEVEL: 'info',
		CHATFLOWS_RATE_VISITOR_PER_MINUTE: '1000000',
		CHATFLOWS_RATE_IP_PER_MINUTE: '1000000',
	};
}

function totalAcknowledged(): number {
	return visitors.reduce(
		( sum, visitor ) => sum + visitor.acknowledged.size,
		0
	);
}

/**
 * Reads every visitor's conversation from the database file and checks the
 * guarantees against what the clients saw.
 *
 * @param dbFile The SQLite file.
 */
async function expectNothingLostNothingDoubled(
	dbFile: string
): Promise< void > {
	const repository = openSqliteRepository( dbFile );
	try {
		for ( const visitor of visitors ) {
			const conversation = await repository.findOpenConversation(
				visitor.session?.visitorId ?? '',
				'support'
			);
			expect( conversation ).not.toBeNull();
			const stored: ChatMessage[] = await repository.listMessages(
				conversation!.id,
				0
			);
			// Numbered 1..n without gaps, each client id once.
			expect( stored.map( ( m ) => m.seq ) ).toEqual(
				stored.map( ( _m, i ) => i + 1 )
			);
			const clientIds = stored.map( ( m ) => m.clientId );
			expect( new Set( clientIds ).size ).toBe( clientIds.length );
			// Every acknowledged message is stored, exactly as acknowledged.
			for ( const [ clientId, message ] of visitor.acknowledged ) {
				expect( stored[ message.seq - 1 ] ).toEqual( message );
				expect( message.clientId ).toBe( clientId );
			}
			// Sent in order, stored in order.
			expect( clientIds ).toEqual(
				Array.from(
					{ length: clientIds.length },
					( _v, i ) => `${ visitor.prefix }-${ i + 1 }`
				)
			);
			// The client caught up: it holds exactly what is stored.
			expect(
				[ ...visitor.received.values() ].sort(
					( a, b ) => a.seq - b.seq
				)
			).toEqual( stored );
		}
	} finally {
		await repository.close();
	}
}

describe( 'steady sending', () => {
	it( 'loses no acknowledged message through a SIGKILL, and clients resume by themselves', async () => {
		const port = await freePort();
		const dbFile = path.join( makeTempDir(), 'chatflows.sqlite' );
		const first = await startServiceProcess( entry, env( port, dbFile ) );
		for ( let i = 0; i < VISITORS; i++ ) {
			visitors.push( new SteadyVisitor( first.url, `v${ i }` ) );
		}
		await Promise.all( visitors.map( ( v ) => v.connected() ) );
		visitors.forEach( ( v ) => v.start( INTERVAL_MS ) );

		await waitFor(
			() => totalAcknowledged() >= 100,
			20_000,
			() => 'the visitors did not get going'
		);
		first.child.kill( 'SIGKILL' );
		expect( ( await first.exited ).signal ).toBe( 'SIGKILL' );
		const beforeRestart = totalAcknowledged();

		const second = await startServiceProcess( entry, env( port, dbFile ) );
		await waitFor(
			() => totalAcknowledged() >= beforeRestart + 100,
			20_000,
			() => 'the visitors did not resume after the restart'
		);
		await Promise.all( visitors.map( ( v ) => v.stop() ) );
		// Messages in flight at the kill were resent and acknowledged after it.
		expect(
			visitors.reduce( ( sum, v ) => sum + v.retries, 0 )
		).toBeGreaterThan( 0 );
		visitors.forEach( ( v ) => v.close() );
		second.child.kill( 'SIGTERM' );
		expect( ( await second.exited ).code ).toBe( 0 );

		await expectNothingLostNothingDoubled( dbFile );
	} );

	it( 'drains on SIGTERM while visitors send: everything acknowledged is kept', async () => {
		const port = await freePort();
		const dbFile = path.join( makeTempDir(), 'chatflows.sqlite' );
		const running = await startServiceProcess( entry, env( port, dbFile ) );
		for ( let i = 0; i < VISITORS; i++ ) {
			visitors.push( new SteadyVisitor( running.url, `t${ i }` ) );
		}
		await Promise.all( visitors.map( ( v ) => v.connected() ) );
		visitors.forEach( ( v ) => v.start( INTERVAL_MS ) );
		await waitFor(
			() => totalAcknowledged() >= 100,
			20_000,
			() => 'the visitors did not get going'
		);
		running.child.kill( 'SIGTERM' );
		expect( await running.exited ).toEqual( { code: 0, signal: null } );
		expect( running.output() ).toMatch( /"msg":"stopped"/ );

		// Started again, the clients finish what they were sending.
		const again = await startServiceProcess( entry, env( port, dbFile ) );
		const beforeRestart = totalAcknowledged();
		await waitFor(
			() => totalAcknowledged() >= beforeRestart + VISITORS,
			20_000,
			() => 'the visitors did not resume after the restart'
		);
		await Promise.all( visitors.map( ( v ) => v.stop() ) );
		visitors.forEach( ( v ) => v.close() );
		again.child.kill( 'SIGTERM' );
		await again.exited;

		await expectNothingLostNothingDoubled( dbFile );
	} );
} );
