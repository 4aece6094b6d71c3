/**
 * A chatflow's settings checked against the one schema (`SETTINGS_SCHEMA`, generated from
 * plugin/schema/chatflow-settings.json), every offending field named by its path, as WordPress's
 * `Chatflow_Settings::validate()` names them (`settings.availability.hours[1].end`).
 *
 * Walks only the parts of JSON Schema the file uses (types, `required`, closed objects, `items`,
 * `maxItems`, `minimum`, `maximum`, `maxLength`, `pattern`, `enum`, `$ref` to `definitions`): a
 * general validator would weigh more in the admin's bundle than this whole file and name fields
 * differently. Lengths count characters (Unicode code points), as JSON Schema and WordPress do, not
 * UTF-16 units.
 */
import { SETTINGS_SCHEMA } from './settings-schema';

/** What is wrong with one field, for the admin to word and the service to log. */
export type SchemaIssue =
	| { code: 'type'; expected: string }
	| { code: 'required' }
	| { code: 'unknown' }
	| { code: 'too_long'; maxLength: number }
	| { code: 'too_many'; maxItems: number }
	| { code: 'range'; minimum?: number; maximum?: number }
	| { code: 'choice'; options: readonly unknown[] }
	| { code: 'pattern'; pattern: string };

/** A schema node, as far as the walk reads it. */
export interface SchemaNode {
	type?: string;
	$ref?: string;
	required?: readonly string[];
	properties?: Readonly< Record< string, SchemaNode > >;
	items?: SchemaNode;
	maxItems?: number;
	minimum?: number;
	maximum?: number;
	maxLength?: number;
	pattern?: string;
	enum?: readonly unknown[];
	default?: unknown;
}

const definitions = SETTINGS_SCHEMA.definitions as Readonly<
	Record< string, SchemaNode >
>;

/**
 * A node with its `$ref` to the schema's `definitions` followed.
 *
 * @param node Schema node.
 */
export function resolveRef( node: SchemaNode ): SchemaNode {
	if ( ! node.$ref ) {
		return node;
	}
	const { $ref, ...rest } = node;
	return {
		...definitions[ $ref.replace( '#/definitions/', '' ) ],
		...rest,
	};
}

/**
 * The length of a text in characters (code points): what JSON Schema's `maxLength` and WordPress's
 * `mb_strlen` count, so that an emoji is one character, not two.
 *
 * @param text Text.
 */
export function characterCount( text: string ): number {
	return Array.from( text ).length;
}

function isPlainObject( value: unknown ): value is Record< string, unknown > {
	return (
		typeof value === 'object' && value !== null && ! Array.isArray( value )
	);
}

function leafIssue( value: unknown, node: SchemaNode ): SchemaIssue | null {
	switch ( node.type ) {
		case 'boolean':
			return typeof value === 'boolean'
				? null
				: { code: 'type', expected: 'boolean' };
		case 'integer':
			if ( typeof value !== 'number' ) {
				return { code: 'type', expected: 'integer' };
			}
			// A fraction is out of the whole numbers the field takes: said as its range.
			if (
				! Number.isInteger( value ) ||
				( node.minimum !== undefined && value < node.minimum ) ||
				( node.maximum !== undefined && value > node.maximum )
			) {
				return {
					code: 'range',
					minimum: node.minimum,
					maximum: node.maximum,
				};
			}
			break;
		case 'string':
			if ( typeof value !== 'string' ) {
				return { code: 'type', expected: 'string' };
			}
			if (
				node.maxLength !== undefined &&
				characterCount( value ) > node.maxLength
			) {
				return { code: 'too_long', maxLength: node.maxLength };
			}
			if (
				node.pattern !== undefined &&
				! new RegExp( node.pattern, 'u' ).test( value )
			) {
				return { code: 'pattern', pattern: node.pattern };
			}
			break;
	}
	if ( node.enum && ! node.enum.includes( value ) ) {
		return { code: 'choice', options: node.enum };
	}
	return null;
}

/**
 * Every field of a value that its schema node refuses, by path.
 *
 * @param value Value.
 * @param node  Schema node.
 * @param path  The value's path, e.g. `settings`.
 */
export function schemaIssues(
	value: unknown,
	node: SchemaNode = SETTINGS_SCHEMA as SchemaNode,
	path = 'settings'
): Record< string, SchemaIssue > {
	node = resolveRef( node );
	const issues: Record< string, SchemaIssue > = {};
	if ( node.type === 'object' ) {
		if ( ! isPlainObject( value ) ) {
			return { [ path ]: { code: 'type', expected: 'object' } };
		}
		for ( const key of node.required ?? [] ) {
			if ( ! ( key in value ) ) {
				issues[ `${ path }.${ key }` ] = { code: 'required' };
			}
		}
		for ( const [ key, child ] of Object.entries( value ) ) {
			const childNode = node.properties?.[ key ];
			if ( ! childNode ) {
				issues[ `${ path }.${ key }` ] = { code: 'unknown' };
				continue;
			}
			Object.assign(
				issues,
				schemaIssues( child, childNode, `${ path }.${ key }` )
			);
		}
		return issues;
	}
	if ( node.type === 'array' ) {
		if ( ! Array.isArray( value ) ) {
			return { [ path ]: { code: 'type', expected: 'array' } };
		}
		if ( node.maxItems !== undefined && value.length > node.maxItems ) {
			return { [ path ]: { code: 'too_many', maxItems: node.maxItems } };
		}
		value.forEach( ( item, index ) => {
			Object.assign(
				issues,
				schemaIssues( item, node.items ?? {}, `${ path }[${ index }]` )
			);
		} );
		return issues;
	}
	const issue = leafIssue( value, node );
	return issue ? { [ path ]: issue } : {};
}

/**
 * A value with every default the schema gives (for settings: complete settings of a new chatflow).
 *
 * @param node Schema node.
 */
export function defaultsOf( node: SchemaNode ): unknown {
	node = resolveRef( node );
	if ( node.type === 'object' && node.required?.length ) {
		const value: Record< string, unknown > = {};
		for ( const [ key, child ] of Object.entries(
			node.properties ?? {}
		) ) {
			value[ key ] = defaultsOf( child );
		}
		return value;
	}
	// Copied, so callers can never change the schema's own values.
	return node.default === undefined
		? undefined
		: JSON.parse( JSON.stringify( node.default ) );
}
