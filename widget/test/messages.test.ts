/**
 * Tests of the helpers that keep each message once, in order.
 */
import {
	CatchUp,
	type CatchUpAnswer,
	type ChatMessage,
	gapFreeSeq,
	lastSeq,
	mergeMessages,
	missesMessages,
	newClientId,
	RECONNECTION,
	RETRY_BASE_MS,
	RETRY_MAX_MS,
	retryDelayMs,
	withoutStored,
} from '@chatflows/protocol';

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

describe( 'gapFreeSeq', () => {
	const list = ( ...seqs: number[] ) => seqs.map( ( seq ) => message( seq ) );

	it( 'is the last seq held with none missing before it', () => {
		expect( gapFreeSeq( [] ) ).toBe( 0 );
		expect( gapFreeSeq( list( 1, 2, 3 ) ) ).toBe( 3 );
		expect( gapFreeSeq( list( 1, 2, 3, 5, 6 ) ) ).toBe( 3 );
		// Heard live before the conversation was loaded: the first is missing.
		expect( gapFreeSeq( list( 57 ) ) ).toBe( 0 );
	} );
} );

describe( 'missesMessages', () => {
	const list = ( ...seqs: number[] ) => seqs.map( ( seq ) => message( seq ) );

	it( 'tells a hole, or a newer seq known than held', () => {
		expect( missesMessages( [] ) ).toBe( false );
		expect( missesMessages( list( 1, 2 ) ) ).toBe( false );
		expect( missesMessages( list( 1, 3 ) ) ).toBe( true );
		expect( missesMessages( list( 1, 2 ), 3 ) ).toBe( true );
		expect( missesMessages( list( 1, 2 ), 2 ) ).toBe( false );
	} );
} );

describe( 'CatchUp', () => {
	beforeEach( () => jest.useFakeTimers() );
	afterEach( () => jest.useRealTimers() );

	async function settle() {
		for ( let i = 0; i < 20; i++ ) {
			await Promise.resolve();
		}
	}

	/**
	 * A client holding seqs up to `held`, with the service's newest at `stored`;
	 * `answers` says how each request goes (then answered by default).
	 *
	 * @param answers How the requests go, in order.
	 */
	function client( answers: Array< CatchUpAnswer | 'deferred' > = [] ) {
		const state = { held: 0, stored: 3, connected: true, asked: 0 };
		const waiting: Array< () => void > = [];
		const catchUp = new CatchUp( {
			ask: () => {
				state.asked++;
				const answer = answers.shift() ?? 'answered';
				const take = (): CatchUpAnswer => {
					if ( answer !== 'unanswered' && answer !== 'refused' ) {
						state.held = state.stored;
					}
					return answer === 'deferred' ? 'answered' : answer;
				};
				if ( answer === 'deferred' ) {
					return new Promise( ( resolve ) =>
						waiting.push( () => resolve( take() ) )
					);
				}
				return Promise.resolve( take() );
			},
			behind: () => state.held < state.stored,
			position: () => state.held,
			canAsk: () => state.connected,
		} );
		return { state, catchUp, waiting };
	}

	it( 'asks once more for a burst of requests while one is under way', async () => {
		const { state, catchUp, waiting } = client( [
			'deferred',
			'deferred',
		] );
		void catchUp.request();
		void catchUp.request();
		void catchUp.request();
		expect( state.asked ).toBe( 1 );
		state.stored = 5;
		waiting.shift()!();
		await settle();
		expect( state.asked ).toBe( 2 );
		waiting.shift()!();
		await settle();
		expect( state.asked ).toBe( 2 );
		expect( state.held ).toBe( 5 );
	} );

	it( 'asks again after a backoff when unanswered on an open connection, never while disconnected', async () => {
		const { state, catchUp } = client( [ 'unanswered', 'unanswered' ] );
		await catchUp.request();
		expect( state.asked ).toBe( 1 );
		jest.advanceTimersByTime( RETRY_BASE_MS );
		await settle();
		expect( state.asked ).toBe( 2 );
		// The second wait is longer, and a dropped connection waits for the next one.
		jest.advanceTimersByTime( RETRY_BASE_MS * 2 );
		await settle();
		expect( state.asked ).toBe( 3 );
		expect( state.held ).toBe( 3 );

		state.stored = 4;
		state.connected = false;
		await catchUp.request();
		jest.advanceTimersByTime( RETRY_MAX_MS );
		await settle();
		expect( state.asked ).toBe( 3 );
	} );

	it( 'asks again at once when an answer moved it on but left a gap, later when it filled nothing', async () => {
		// Each answer brings at most `gain` messages.
		const state = { held: 0, stored: 6, gain: 2, asked: 0 };
		const catchUp = new CatchUp( {
			ask: () => {
				state.asked++;
				state.held = Math.min( state.stored, state.held + state.gain );
				return Promise.resolve( 'answered' );
			},
			behind: () => state.held < state.stored,
			position: () => state.held,
			canAsk: () => true,
		} );
		await catchUp.request();
		expect( state.asked ).toBe( 3 );
		expect( state.held ).toBe( 6 );

		state.stored = 8;
		state.gain = 0;
		await catchUp.request();
		expect( state.asked ).toBe( 4 );
		state.gain = 2;
		jest.advanceTimersByTime( RETRY_BASE_MS );
		await settle();
		expect( state.asked ).toBe( 5 );
		expect( state.held ).toBe( 8 );
	} );

	it( 'stops asking once refused, and for good once stopped', async () => {
		const { state, catchUp } = client( [ 'refused', 'unanswered' ] );
		await catchUp.request();
		jest.advanceTimersByTime( RETRY_MAX_MS );
		expect( state.asked ).toBe( 1 );
		await catchUp.request();
		catchUp.stop();
		jest.advanceTimersByTime( RETRY_MAX_MS );
		await catchUp.request();
		expect( state.asked ).toBe( 2 );
	} );
} );

describe( 'retryDelayMs', () => {
	it( 'doubles from the base up to the maximum, each between half and all of it', () => {
		expect( retryDelayMs( 0, () => 0 ) ).toBe( RETRY_BASE_MS / 2 );
		expect( retryDelayMs( 0, () => 0.999999 ) ).toBe( RETRY_BASE_MS );
		expect( retryDelayMs( 2, () => 0.999999 ) ).toBe( RETRY_BASE_MS * 4 );
		expect( retryDelayMs( 100, () => 0.999999 ) ).toBe( RETRY_MAX_MS );
	} );
} );

describe( 'RECONNECTION', () => {
	it( 'tries the first time within half a second, then at least every 1.5 seconds', () => {
		// socket.io waits delay × 2^attempt ± randomizationFactor of it, capped.
		const { reconnectionDelay, randomizationFactor, reconnectionDelayMax } =
			RECONNECTION;
		expect( reconnectionDelay * ( 1 + randomizationFactor ) ).toBe( 500 );
		expect( reconnectionDelayMax ).toBe( 1500 );
	} );

	it( 'gives up an unanswered connection attempt well before socket.io’s 20 seconds', () => {
		expect( RECONNECTION.timeout ).toBeLessThan( 20_000 );
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
