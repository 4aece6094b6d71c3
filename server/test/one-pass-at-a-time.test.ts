import { OnePassAtATime } from '../src/domain/one-pass-at-a-time';

/** A pass the test finishes by hand, recording when each began. */
function passes() {
	const began: number[] = [];
	const finish: Array< () => void > = [];
	const runner = new OnePassAtATime(
		() =>
			new Promise< void >( ( resolve ) => {
				began.push( began.length + 1 );
				finish.push( resolve );
			} )
	);
	return { began, finish, runner };
}

describe( 'OnePassAtATime', () => {
	it( 'answers a call made while a pass runs with a new pass after it, shared by the calls made meanwhile', async () => {
		const { began, finish, runner } = passes();
		const first = runner.run();
		const second = runner.run();
		const third = runner.run();
		expect( second ).toBe( third );
		expect( began ).toEqual( [ 1 ] );

		let secondDone = false;
		void second.then( () => {
			secondDone = true;
		} );
		finish[ 0 ]();
		await first;
		// The running pass began before the second call: it does not answer it.
		await new Promise( ( resolve ) => setImmediate( resolve ) );
		expect( began ).toEqual( [ 1, 2 ] );
		expect( secondDone ).toBe( false );
		finish[ 1 ]();
		await second;
		expect( began ).toEqual( [ 1, 2 ] );
	} );

	it( 'runs the next pass after a failed one, and idle() waits for both', async () => {
		let calls = 0;
		const runner = new OnePassAtATime( async () => {
			calls += 1;
			if ( calls === 1 ) {
				throw new Error( 'first pass failed' );
			}
		} );
		const failed = runner.run();
		const next = runner.run();
		await expect( failed ).rejects.toThrow( 'first pass failed' );
		await runner.idle();
		await expect( next ).resolves.toBeUndefined();
		expect( calls ).toBe( 2 );
	} );
} );
