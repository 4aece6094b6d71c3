/**
 * mountApp uses createRoot where WordPress has it (6.2+), render on 6.1.
 */
import * as element from '@wordpress/element';
import { act, screen } from '@testing-library/react';

import { mountApp } from '../mount';

describe( 'mountApp', () => {
	it( 'mounts with createRoot where the runtime has it, never with the deprecated render', async () => {
		const container = document.body.appendChild(
			document.createElement( 'div' )
		);
		const render = jest.fn();
		act( () =>
			mountApp( <p>With createRoot</p>, container, {
				...element,
				render,
			} )
		);
		expect( await screen.findByText( 'With createRoot' ) ).toBeTruthy();
		expect( render ).not.toHaveBeenCalled();
	} );

	it( 'falls back to render where createRoot is missing (WordPress 6.1, React 17)', () => {
		const container = document.createElement( 'div' );
		const render = jest.fn();
		mountApp( <p>Old</p>, container, {
			...element,
			createRoot: undefined,
			render,
		} as unknown as typeof element );
		expect( render ).toHaveBeenCalledWith( <p>Old</p>, container );
	} );
} );
