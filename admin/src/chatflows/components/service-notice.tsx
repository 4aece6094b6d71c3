/**
 * What a save tells about the chat service: nothing when it took the
 * change, and a calm notice when it will pick it up when it starts.
 */
import { __ } from '@wordpress/i18n';

import type { ServiceSync } from '../store/types';

/**
 * The message to show after a write, or null when the service is in sync.
 *
 * @param service What WordPress said about the service.
 */
export function serviceMessage( service?: ServiceSync ): string | null {
	if ( ! service || service.synced ) {
		return null;
	}
	return (
		service.message ||
		__(
			'Saved. The chat service is not reachable right now; it will pick up the change when it starts.',
			'chatflows'
		)
	);
}
