/**
 * What the handshake tells agents about the visitor: the page, where they
 * came from, their time zone, language and kind of device.
 */

import type { VisitorDeviceType } from '@chatflows/protocol';

/** Widest viewport, in CSS pixels, that counts as a phone (and gets the full-screen window). */
export const MOBILE_MAX_WIDTH = 599;
const TABLET_MAX_WIDTH = 1024;

export type DeviceType = VisitorDeviceType;

/**
 * The kind of device, from the viewport's width and whether the main pointer is coarse (touch).
 *
 * @param width  Viewport width in CSS pixels.
 * @param coarse Whether the primary pointer is coarse.
 */
export function deviceTypeOf( width: number, coarse: boolean ): DeviceType {
	if ( width <= MOBILE_MAX_WIDTH ) {
		return 'mobile';
	}
	if ( coarse && width <= TABLET_MAX_WIDTH ) {
		return 'tablet';
	}
	return 'desktop';
}

export interface VisitorContext {
	pageUrl: string;
	pageTitle: string;
	referrer: string;
	timeZone: string;
	language: string;
	deviceType: DeviceType;
}

/**
 * The visitor's context as the browser knows it now.
 *
 * @param win The window.
 */
export function visitorContext( win: Window = window ): VisitorContext {
	let timeZone = '';
	try {
		timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone ?? '';
	} catch {
		// An old browser without time zone support: agents see none.
	}
	const coarse =
		typeof win.matchMedia === 'function' &&
		win.matchMedia( '(pointer: coarse)' ).matches;
	return {
		pageUrl: win.location.href,
		pageTitle: win.document.title.slice( 0, 300 ),
		referrer: win.document.referrer,
		timeZone,
		language: win.navigator.language,
		deviceType: deviceTypeOf( win.innerWidth, coarse ),
	};
}
