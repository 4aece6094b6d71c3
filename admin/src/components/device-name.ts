/**
 * A visitor's kind of device, named as HubSpot's article names it in each
 * language ("Desktop", "Tablet", "Mobile"), wherever the admin shows one:
 * the targeting rules, the tester, the preview and the inbox.
 */
import { __ } from '@wordpress/i18n';
import type { VisitorDeviceType } from '@chatflows/protocol';

/** The kinds of device, in the order the admin lists them. */
export const DEVICE_TYPES: readonly VisitorDeviceType[] = [
	'desktop',
	'tablet',
	'mobile',
];

/**
 * The name of a kind of device.
 *
 * @param device The kind.
 * @return Its name, translated.
 */
export function deviceName( device: VisitorDeviceType ): string {
	switch ( device ) {
		case 'desktop':
			return __( 'Desktop', 'chatflows' );
		case 'tablet':
			return __( 'Tablet', 'chatflows' );
		case 'mobile':
			return __( 'Mobile', 'chatflows' );
	}
}
