/**
 * The visitor's typing indicator is throttled and always stops.
 */
import { TYPING_IDLE_MS, TYPING_RESEND_MS, TypingNotifier } from '../typing';

describe( 'TypingNotifier', () => {
	beforeEach( () => jest.useFakeTimers() );
	afterEach( () => jest.useRealTimers() );

	it( 'says "typing" once per interval while keys come, and "stopped" after a pause', () => {
		const sent: boolean[] = [];
		let now = 0;
		const notifier = new TypingNotifier(
			( typing ) => sent.push( typing ),
			() => now
		);
		for ( let i = 0; i < 10; i++ ) {
			now += 100;
			notifier.input();
		}
		expect( sent ).toEqual( [ true ] );
		now += TYPING_RESEND_MS;
		notifier.input();
		expect( sent ).toEqual( [ true, true ] );
		jest.advanceTimersByTime( TYPING_IDLE_MS );
		expect( sent ).toEqual( [ true, true, false ] );
	} );

	it( 'says "stopped" once when the message is sent, and nothing when not typing', () => {
		const sent: boolean[] = [];
		const notifier = new TypingNotifier( ( typing ) =>
			sent.push( typing )
		);
		notifier.stop();
		expect( sent ).toEqual( [] );
		notifier.input();
		notifier.stop();
		jest.advanceTimersByTime( TYPING_IDLE_MS );
		expect( sent ).toEqual( [ true, false ] );
	} );
} );
