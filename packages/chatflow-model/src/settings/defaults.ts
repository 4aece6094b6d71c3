import { defaultsOf, type SchemaNode } from './schema-issues';
import { SETTINGS_SCHEMA } from './settings-schema';
import type { ChatflowSettings } from './settings-types';

/**
 * Complete settings of a new chatflow: every default the schema gives (a
 * fresh copy each time).
 */
export function defaultSettings(): ChatflowSettings {
	return defaultsOf( SETTINGS_SCHEMA as SchemaNode ) as ChatflowSettings;
}
