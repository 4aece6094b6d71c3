/**
 * Default settings of a new chatflow, read from the one settings schema
 * WordPress also builds its REST schema from.
 */
import schema from '../../../../plugin/schema/chatflow-settings.json';
import type { ChatflowSettings } from '../settings-types';

interface SchemaNode {
	type?: string | string[];
	$ref?: string;
	default?: unknown;
	properties?: Record< string, SchemaNode >;
}

const definitions = ( schema as { definitions?: Record< string, SchemaNode > } )
	.definitions;

function resolve( node: SchemaNode ): SchemaNode {
	if ( node.$ref ) {
		const name = node.$ref.replace( '#/definitions/', '' );
		return { ...definitions?.[ name ], ...node, $ref: undefined };
	}
	return node;
}

function defaultOf( node: SchemaNode ): unknown {
	const resolved = resolve( node );
	if ( resolved.properties ) {
		const value: Record< string, unknown > = {};
		for ( const [ key, child ] of Object.entries( resolved.properties ) ) {
			const childDefault = defaultOf( child );
			if ( childDefault !== undefined ) {
				value[ key ] = childDefault;
			}
		}
		return value;
	}
	// Copied, so callers can never change the schema's own values.
	return resolved.default === undefined
		? undefined
		: JSON.parse( JSON.stringify( resolved.default ) );
}

/**
 * Settings with every default the schema gives.
 */
export function defaultSettings(): ChatflowSettings {
	return defaultOf( schema as SchemaNode ) as ChatflowSettings;
}
