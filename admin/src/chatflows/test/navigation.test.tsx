/**
 * Tests of the Chatflows page's navigation and its unsaved-changes guard.
 */
import { act, render, screen } from '@testing-library/react';

import {
	confirmLeaving,
	navigate,
	routeFrom,
	urlOf,
	useLeaveWarning,
	useRoute,
} from '../navigation';

function Guarded( { dirty }: { dirty: boolean } ) {
	useLeaveWarning( dirty );
	return null;
}

function ShowRoute() {
	const route = useRoute();
	return <p>{ JSON.stringify( route ) }</p>;
}

beforeEach( () => {
	window.history.replaceState(
		null,
		'',
		'/wp-admin/admin.php?page=chatflows-chatflows'
	);
} );

describe( 'routes', () => {
	it( 'reads the place from the address', () => {
		expect( routeFrom( '?page=chatflows-chatflows' ) ).toEqual( {
			view: 'list',
		} );
		expect( routeFrom( '?page=x&action=new' ) ).toEqual( { view: 'new' } );
		expect( routeFrom( '?page=x&chatflow=12' ) ).toEqual( {
			view: 'edit',
			id: 12,
		} );
		expect( routeFrom( '?page=x&chatflow=abc' ) ).toEqual( {
			view: 'list',
		} );
	} );

	it( 'writes addresses that keep the admin page', () => {
		expect( urlOf( { view: 'edit', id: 7 } ) ).toBe(
			'/wp-admin/admin.php?page=chatflows-chatflows&chatflow=7'
		);
		expect( urlOf( { view: 'new' } ) ).toBe(
			'/wp-admin/admin.php?page=chatflows-chatflows&action=new'
		);
	} );
} );

describe( 'leaving unsaved changes', () => {
	it( 'asks only while the form is dirty, and stays when told to', () => {
		const confirm = jest
			.spyOn( window, 'confirm' )
			.mockReturnValue( false );
		const { rerender, unmount } = render( <Guarded dirty={ false } /> );
		expect( confirmLeaving() ).toBe( true );
		expect( confirm ).not.toHaveBeenCalled();

		rerender( <Guarded dirty /> );
		expect( navigate( { view: 'new' } ) ).toBe( false );
		expect( confirm ).toHaveBeenCalledTimes( 1 );
		expect( window.location.search ).toBe( '?page=chatflows-chatflows' );

		confirm.mockReturnValue( true );
		expect( navigate( { view: 'new' } ) ).toBe( true );
		expect( window.location.search ).toBe(
			'?page=chatflows-chatflows&action=new'
		);
		unmount();
		confirm.mockRestore();
	} );

	it( 'makes the browser ask before unloading a dirty form only', () => {
		const { rerender, unmount } = render( <Guarded dirty /> );
		const dirtyEvent = new Event( 'beforeunload', { cancelable: true } );
		window.dispatchEvent( dirtyEvent );
		expect( dirtyEvent.defaultPrevented ).toBe( true );

		rerender( <Guarded dirty={ false } /> );
		const cleanEvent = new Event( 'beforeunload', { cancelable: true } );
		window.dispatchEvent( cleanEvent );
		expect( cleanEvent.defaultPrevented ).toBe( false );
		unmount();
	} );

	it( 'follows navigation and a forced leave skips the question', () => {
		const confirm = jest
			.spyOn( window, 'confirm' )
			.mockReturnValue( false );
		render(
			<>
				<Guarded dirty />
				<ShowRoute />
			</>
		);
		act( () => {
			navigate( { view: 'edit', id: 3 }, true );
		} );
		expect( confirm ).not.toHaveBeenCalled();
		expect(
			screen.getByText( '{"view":"edit","id":3}' )
		).toBeInTheDocument();
		confirm.mockRestore();
	} );
} );
