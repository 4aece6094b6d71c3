/**
 * The triggers that open the chat on their own: exit intent, time on page
 * and percentage scrolled. Whichever comes first fires, once.
 */
import type { DisplayBehaviour } from '../config';

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
	let timer: ReturnType< typeof setTimeout > | undefined;
	const stop = () => {
		clearTimeout( timer );
		document.removeEventListener( 'mouseout', onMouseOut );
		window.removeEventListener( 'scroll', onScroll );
	};
	const once = () => {
		stop();
		fire();
	};
	// The pointer leaving through the top of the viewport: towards the tabs or the address bar.
	function onMouseOut( event: MouseEvent ) {
		if ( ! event.relatedTarget && event.clientY <= 0 ) {
			once();
		}
	}
	function onScroll() {
		if ( scrolledPercent() >= triggers.scrollPercent ) {
			once();
		}
	}
	if ( triggers.exitIntent ) {
		document.addEventListener( 'mouseout', onMouseOut );
	}
	if ( triggers.scroll ) {
		window.addEventListener( 'scroll', onScroll, { passive: true } );
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
