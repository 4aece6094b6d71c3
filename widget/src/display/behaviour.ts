/**
 * Which display behaviour applies to this visitor, on this device, now.
 */
import type { DisplayBehaviour } from '../page-settings';

/** What the loader shows before the visitor does anything. */
export type Appearance = 'prompt' | 'launcher' | 'prompt_on_trigger';

/** Phones: the mobile behaviour applies (as wide as the chat window's full-screen layout). */
export const MOBILE_QUERY = '(max-width: 599px)';

/** Whether the mobile display behaviour applies in this viewport. */
export function isMobileViewport(): boolean {
	return window.matchMedia?.( MOBILE_QUERY ).matches ?? false;
}

/**
 * The appearance for this page view.
 *
 * @param behaviour The chatflow's display behaviour, if any.
 * @param mobile    Whether the viewport is a phone's.
 * @param quiet     Whether the visitor minimised the chat in the last 24 hours.
 * @return What to show.
 */
export function appearance(
	behaviour: DisplayBehaviour | undefined,
	mobile: boolean,
	quiet: boolean
): Appearance {
	if ( ! behaviour || quiet ) {
		return 'launcher';
	}
	return mobile ? behaviour.mobile : behaviour.desktop;
}
