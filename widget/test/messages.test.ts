/**
 * Tests of the helpers that keep each message once, in order.
 */
import type { ChatMessage } from '../../server/src/contract/events';
import {
	lastSeq,
	mergeMessages,
	newClientId,
} from '../../server/src/contract/message-list';
import { withoutStored } from '../src/chat-window/messages';

function message( seq: number, clientId = `client-${ seq }` ): ChatMessage {
	return {
		conversationId: 'c1',
		seq,
		clientId,
		authorType: 'visitor',
		authorName: '',
		body: `message ${ seq }`,
		createdAt: '2026-01-01T00:00:00.000Z',
	};
}

describe( 'mergeMessages', () => {
	it( 'orders by sequence number and drops repeats', () => {
		const merged = mergeMessages(
			[ message( 1 ), message( 3 ) ],
			[ message( 3 ), message( 2 ), message( 2 ) ]
		);
		expect( merged.map( ( item ) => item.seq ) ).toEqual( [ 1, 2, 3 ] );
	} );

	it( 'returns the same list when nothing is new', () => {
		const current = [ message( 1 ) ];
		expect( mergeMessages( current, [ message( 1 ) ] ) ).toBe( current );
	} );
} );

describe( 'lastSeq', () => {
	it( 'is 0 for no messages and the last seq otherwise', () => {
		expect( lastSeq( [] ) ).toBe( 0 );
		expect( lastSeq( [ message( 1 ), message( 7 ) ] ) ).toBe( 7 );
	} );
} );

describe( 'withoutStored', () => {
	it( 'removes the acknowledged messages from the outbox and keeps the order of the rest', () => {
		const pending = [
			{ clientId: 'a', body: 'one' },
			{ clientId: 'b', body: 'two' },
			{ clientId: 'c', body: 'three' },
		];
		expect( withoutStored( pending, [ message( 5, 'b' ) ] ) ).toEqual( [
			{ clientId: 'a', body: 'one' },
			{ clientId: 'c', body: 'three' },
		] );
	} );

	it( 'returns the same outbox when none of it was stored', () => {
		const pending = [ { clientId: 'a', body: 'one' } ];
		expect( withoutStored( pending, [ message( 1, 'z' ) ] ) ).toBe(
			pending
		);
	} );
} );

describe( 'newClientId', () => {
	it( 'gives different ids each time', () => {
		const ids = new Set(
			Array.from( { length: 100 }, () => newClientId() )
		);
		expect( ids.size ).toBe( 100 );
	} );
} );
