/**
 * The values of a ticket's properties, named in the admin's language. The
 * stored values stay the keys ("support", "new"), as the service and earlier
 * tickets have them.
 */
import { __, _x } from '@wordpress/i18n';

type Option = { value: string; label: string };

/**
 * Pipelines.
 */
export function ticketPipelineOptions(): Option[] {
	return [
		{ value: 'support', label: __( 'Support pipeline', 'chatflows' ) },
	];
}

/**
 * Statuses of the support pipeline, in its order.
 */
export function ticketStatusOptions(): Option[] {
	return [
		{ value: 'new', label: _x( 'New', 'ticket status', 'chatflows' ) },
		{
			value: 'waiting_on_contact',
			label: __( 'Waiting on contact', 'chatflows' ),
		},
		{
			value: 'waiting_on_us',
			label: __( 'Waiting on us', 'chatflows' ),
		},
		{ value: 'closed', label: __( 'Closed', 'chatflows' ) },
	];
}

/** Priorities, lowest first. */
export function ticketPriorityOptions(): Option[] {
	return [
		{ value: 'low', label: __( 'Low', 'chatflows' ) },
		{ value: 'medium', label: __( 'Medium', 'chatflows' ) },
		{ value: 'high', label: __( 'High', 'chatflows' ) },
		{ value: 'urgent', label: __( 'Urgent', 'chatflows' ) },
	];
}
