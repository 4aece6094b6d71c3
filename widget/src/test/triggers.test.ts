/**
 * The triggers of the "welcome message and open when a trigger fires"
 * behaviour, with fake timers and real DOM events in jsdom.
 */
import { scrolledPercent, watchTriggers } from '../display/triggers';

const NONE = {
	exitIntent: false,
	timeOnPage: false,
	timeOnPageSeconds: 5,
	scroll: false,
	scrollPercent: 50,
};

function setPageGeometry( scrollHeight: number, scrollY: number ): void {
	Object.defineProperty( document.documentElement, 'scrollHeight', {
		configurable: true,
		value: scrollHeight,
	} );
	Object.defineProperty( window, 'innerHeight', {
		configurable: true,
		value: 1000,
	} );
	Object.defineProperty( window, 'scrollY', {
		configurable: true,
		value: scrollY,
	} );
}

function mouseOut( clientY: number, relatedTarget: Element | null = null ) {
	document.dispatchEvent(
		new MouseEvent( 'mouseout', { clientY, relatedTarget, bubbles: true } )
	);
}

beforeEach( () => {
	jest.useFakeTimers();
} );

afterEach( () => {
	jest.useRealTimers();
} );

describe( 'time on page', () => {
	it( 'fires once the seconds have passed, not before', () => {
		const fire = jest.fn();
		watchTriggers(
			{ ...NONE, timeOnPage: true, timeOnPageSeconds: 7 },
			fire
		);
		jest.advanceTimersByTime( 6900 );
		expect( fire ).not.toHaveBeenCalled();
		jest.advanceTimersByTime( 200 );
		expect( fire ).toHaveBeenCalledTimes( 1 );
	} );

	it( 'counts from the navigation, not from when the loader ran', () => {
		jest.advanceTimersByTime( 3000 );
		const fire = jest.fn();
		watchTriggers(
			{ ...NONE, timeOnPage: true, timeOnPageSeconds: 5 },
			fire
		);
		jest.advanceTimersByTime( 1900 );
		expect( fire ).not.toHaveBeenCalled();
		jest.advanceTimersByTime( 200 );
		expect( fire ).toHaveBeenCalledTimes( 1 );
	} );

	it( 'is not watched when turned off', () => {
		const fire = jest.fn();
		watchTriggers( NONE, fire );
		jest.advanceTimersByTime( 3_600_000 );
		expect( fire ).not.toHaveBeenCalled();
	} );
} );

describe( 'exit intent', () => {
	it( 'fires when the pointer leaves through the top of the viewport', () => {
		const fire = jest.fn();
		watchTriggers( { ...NONE, exitIntent: true }, fire );
		mouseOut( 0 );
		expect( fire ).toHaveBeenCalledTimes( 1 );
	} );

	it( 'ignores the pointer leaving elsewhere or moving between elements', () => {
		const fire = jest.fn();
		watchTriggers( { ...NONE, exitIntent: true }, fire );
		mouseOut( 300 );
		mouseOut( 0, document.body );
		expect( fire ).not.toHaveBeenCalled();
	} );

	it( 'is not watched when turned off', () => {
		const fire = jest.fn();
		watchTriggers( { ...NONE, timeOnPage: true }, fire );
		mouseOut( 0 );
		expect( fire ).not.toHaveBeenCalled();
	} );
} );

describe( 'percentage scrolled', () => {
	it( 'measures from the top (0) to the bottom (100)', () => {
		setPageGeometry( 3000, 0 );
		expect( scrolledPercent() ).toBe( 0 );
		setPageGeometry( 3000, 1000 );
		expect( scrolledPercent() ).toBe( 50 );
		setPageGeometry( 3000, 2000 );
		expect( scrolledPercent() ).toBe( 100 );
	} );

	it( 'fires once the visitor scrolled past the percentage', () => {
		const fire = jest.fn();
		setPageGeometry( 3000, 0 );
		watchTriggers( { ...NONE, scroll: true, scrollPercent: 60 }, fire );
		setPageGeometry( 3000, 1100 );
		window.dispatchEvent( new Event( 'scroll' ) );
		expect( fire ).not.toHaveBeenCalled();
		setPageGeometry( 3000, 1200 );
		window.dispatchEvent( new Event( 'scroll' ) );
		expect( fire ).toHaveBeenCalledTimes( 1 );
	} );
} );

describe( 'whichever comes first', () => {
	it( 'fires once, and the other triggers stop watching', () => {
		const fire = jest.fn();
		setPageGeometry( 3000, 0 );
		watchTriggers(
			{
				exitIntent: true,
				timeOnPage: true,
				timeOnPageSeconds: 10,
				scroll: true,
				scrollPercent: 10,
			},
			fire
		);
		mouseOut( 0 );
		setPageGeometry( 3000, 2000 );
		window.dispatchEvent( new Event( 'scroll' ) );
		mouseOut( 0 );
		jest.advanceTimersByTime( 20_000 );
		expect( fire ).toHaveBeenCalledTimes( 1 );
	} );

	it( 'never fires after it was stopped (e.g. the visitor opened the chat)', () => {
		const fire = jest.fn();
		const stop = watchTriggers(
			{ ...NONE, exitIntent: true, timeOnPage: true },
			fire
		);
		stop();
		mouseOut( 0 );
		jest.advanceTimersByTime( 20_000 );
		expect( fire ).not.toHaveBeenCalled();
	} );
} );
