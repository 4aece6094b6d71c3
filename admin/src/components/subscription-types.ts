/**
 * The subscription types a visitor can be opted in to, named in the admin's
 * language: chosen in the editor, shown beside a consent in the inbox.
 */
import { __ } from '@wordpress/i18n';

import type { ChatflowSettings } from '@chatflows/chatflow-model';

/**
 * The subscription types a visitor can be opted in to, with readable names
 * (the values the schema allows, in its order).
 */
export function SUBSCRIPTION_TYPES(): Array< {
	value: ChatflowSettings[ 'options' ][ 'communicationsConsent' ][ 'subscriptionType' ];
	label: string;
} > {
	return [
		{ value: 'one_to_one', label: __( 'One-to-one', 'chatflows' ) },
		{
			value: 'marketing',
			label: __( 'Marketing information', 'chatflows' ),
		},
		{
			value: 'customer_service',
			label: __( 'Customer service communication', 'chatflows' ),
		},
	];
}

/**
 * A subscription type's readable name; a value from before the choice
 * existed (free text) is shown as it was stored.
 *
 * @param value The stored subscription type.
 */
export function subscriptionTypeLabel( value: string ): string {
	return (
		SUBSCRIPTION_TYPES().find( ( type ) => type.value === value )?.label ??
		value
	);
}
