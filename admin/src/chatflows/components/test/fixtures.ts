/**
 * A chatflow as the REST API answers it, for the editor's tests.
 */
import { defaultSettings } from '@chatflows/chatflow-model';

/**
 * Chatflow 42, "Sales chat", on all pages.
 *
 * @param settings Its settings; the defaults unless given.
 */
export function storedChatflow( settings = defaultSettings() ) {
	return {
		id: 42,
		title: 'Sales chat',
		enabled: true,
		modified: '2026-01-01T00:00:00',
		version: 3,
		priority: 0,
		target: 'All pages',
		settings,
	};
}
