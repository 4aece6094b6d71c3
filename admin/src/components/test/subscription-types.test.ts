/**
 * Subscription types by name, as the editor offers them and the inbox shows them.
 */
import {
	SUBSCRIPTION_TYPES,
	subscriptionTypeLabel,
} from '../subscription-types';

describe( 'subscriptionTypeLabel', () => {
	it( 'names every type the editor offers', () => {
		expect( subscriptionTypeLabel( 'marketing' ) ).toBe(
			'Marketing information'
		);
		for ( const type of SUBSCRIPTION_TYPES() ) {
			expect( subscriptionTypeLabel( type.value ) ).toBe( type.label );
			expect( type.label ).not.toBe( type.value );
		}
	} );

	it( 'shows a value from before the choice as it was stored', () => {
		expect( subscriptionTypeLabel( 'Monthly newsletter' ) ).toBe(
			'Monthly newsletter'
		);
	} );
} );
