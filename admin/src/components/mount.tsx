/**
 * Mounts an admin app with the React API the running WordPress offers.
 */
import * as element from '@wordpress/element';

/** `@wordpress/element` as it is at run time: WordPress 6.1's has no createRoot. */
type RuntimeElement = typeof element & {
	createRoot?: typeof element.createRoot;
};

/**
 * Renders `app` into `container`: with `createRoot` where WordPress has it (6.2 and later, React 18,
 * whose `render` is deprecated and gone in React 19), else with `render` (6.1, React 17).
 *
 * @param app       What to render.
 * @param container Where.
 * @param runtime   `@wordpress/element` as WordPress ships it (for tests).
 */
export function mountApp(
	app: JSX.Element,
	container: Element,
	runtime: RuntimeElement = element
): void {
	if ( typeof runtime.createRoot === 'function' ) {
		runtime.createRoot( container ).render( app );
	} else {
		runtime.render( app, container );
	}
}
