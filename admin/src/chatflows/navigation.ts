/**
 * In-app navigation of the Chatflows page through the address bar, with a
 * guard that asks before leaving unsaved changes.
 */
import { useEffect, useState } from '@wordpress/element';
import { __ } from '@wordpress/i18n';

/** A place on the Chatflows page. */
export type Route =
	{ view: 'list' } | { view: 'new' } | { view: 'edit'; id: number };

const CHANGE_EVENT = 'chatflows:navigate';
let hasUnsavedChanges: () => boolean = () => false;

/**
 * The place the address names.
 *
 * @param search The address's query string.
 */
export function routeFrom( search: string ): Route {
	const params = new URLSearchParams( search );
	const id = Number( params.get( 'chatflow' ) );
	if ( Number.isInteger( id ) && id > 0 ) {
		return { view: 'edit', id };
	}
	if ( params.get( 'action' ) === 'new' ) {
		return { view: 'new' };
	}
	return { view: 'list' };
}

/**
 * The address of a place.
 *
 * @param route Place.
 */
export function urlOf( route: Route ): string {
	const params = new URLSearchParams( window.location.search );
	params.delete( 'chatflow' );
	params.delete( 'action' );
	if ( route.view === 'edit' ) {
		params.set( 'chatflow', String( route.id ) );
	} else if ( route.view === 'new' ) {
		params.set( 'action', 'new' );
	}
	return `${ window.location.pathname }?${ params.toString() }`;
}

/**
 * Asks before leaving unsaved changes; true when leaving is fine.
 */
export function confirmLeaving(): boolean {
	return (
		! hasUnsavedChanges() ||
		// eslint-disable-next-line no-alert
		window.confirm(
			__(
				'You have unsaved changes. Leave without saving them?',
				'chatflows'
			)
		)
	);
}

/**
 * Goes to a place, unless the person keeps their unsaved changes.
 *
 * @param route Place.
 * @param force Leave without asking, e.g. right after saving.
 * @return Whether it went.
 */
export function navigate( route: Route, force = false ): boolean {
	if ( ! force && ! confirmLeaving() ) {
		return false;
	}
	hasUnsavedChanges = () => false;
	window.history.pushState( null, '', urlOf( route ) );
	window.dispatchEvent( new Event( CHANGE_EVENT ) );
	return true;
}

/** The current place; follows navigation and the browser's Back button. */
export function useRoute(): Route {
	const [ search, setSearch ] = useState( window.location.search );
	useEffect( () => {
		let current = window.location.search;
		const follow = () => {
			current = window.location.search;
			setSearch( current );
		};
		const onPopState = () => {
			if ( confirmLeaving() ) {
				hasUnsavedChanges = () => false;
				follow();
			} else {
				// Stay: put the address back where the form is.
				window.history.pushState( null, '', current );
			}
		};
		window.addEventListener( CHANGE_EVENT, follow );
		window.addEventListener( 'popstate', onPopState );
		return () => {
			window.removeEventListener( CHANGE_EVENT, follow );
			window.removeEventListener( 'popstate', onPopState );
		};
	}, [] );
	return routeFrom( search );
}

/**
 * Warns before leaving the page or the form while it has unsaved changes.
 *
 * @param dirty Whether the form has unsaved changes.
 */
export function useLeaveWarning( dirty: boolean ): void {
	useEffect( () => {
		if ( ! dirty ) {
			return;
		}
		hasUnsavedChanges = () => true;
		const onBeforeUnload = ( event: BeforeUnloadEvent ) => {
			event.preventDefault();
			// Older browsers need a value to show their own warning.
			event.returnValue = '';
		};
		window.addEventListener( 'beforeunload', onBeforeUnload );
		return () => {
			hasUnsavedChanges = () => false;
			window.removeEventListener( 'beforeunload', onBeforeUnload );
		};
	}, [ dirty ] );
}
