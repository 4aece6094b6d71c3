/**
 * The triggers that open the chat on their own: exit intent, time on page
 * and percentage scrolled. Whichever comes first fires, once.
 */
import type { DisplayBehaviour } from '../page-settings';

/**
 * Percentage of the page scrolled: 0 at the top, 100 at the bottom.
 * A page that cannot scroll counts as fully scrolled.
 */
export function scrolledPercent(): number {
	const root = document.documentElement;
	const scrollable = root.scrollHeight - window.innerHeight;
	return scrollable > 0 ? ( window.scrollY / scrollable ) * 100 : 100;
}

/**
 * Watches the enabled triggers and calls `fire` once, when the first of them
 * happens.
 *
 * @param triggers The chatflow's triggers.
 * @param fire     Called once.
 * @return Stops watching (nothing fires afterwards).
 */
export function watchTriggers(
	triggers: DisplayBehaviour[ 'triggers' ],
	fire: () => void
): () => void {
	// One signal removes every listener at once.
	const listening = new AbortController();
	const options = { passive: true, signal: listening.signal };
	let timer: ReturnType< typeof setTimeout > | undefined;
	const stop = () => {
		clearTimeout( timer );
		listening.abort();
	};
	const once = () => {
		stop();
		fire();
	};
	if ( triggers.exitIntent ) {
		// The pointer leaving through the top of the viewport: towards the tabs or the address bar.
		document.addEventListener(
			'mouseout',
			( event ) => {
				if ( ! event.relatedTarget && event.clientY <= 0 ) {
					once();
				}
			},
			options
		);
	}
	if ( triggers.scroll ) {
		window.addEventListener(
			'scroll',
			() => {
				if ( scrolledPercent() >= triggers.scrollPercent ) {
					once();
				}
			},
			options
		);
	}
	if ( triggers.timeOnPage ) {
		// Time on the page counts from navigation, not from when this deferred script ran.
		timer = setTimeout(
			once,
			Math.max( 0, triggers.timeOnPageSeconds * 1000 - performance.now() )
		);
	}
	return stop;
}
