/**
 * Whether the form differs from what was loaded.
 */

/**
 * Deep equality of JSON values; object key order does not matter, and a key
 * holding `undefined` counts as missing.
 *
 * @param a A JSON value.
 * @param b Another.
 */
export function jsonEqual( a: unknown, b: unknown ): boolean {
	if ( a === b ) {
		return true;
	}
	if ( Array.isArray( a ) || Array.isArray( b ) ) {
		return (
			Array.isArray( a ) &&
			Array.isArray( b ) &&
			a.length === b.length &&
			a.every( ( item, index ) => jsonEqual( item, b[ index ] ) )
		);
	}
	if (
		typeof a !== 'object' ||
		typeof b !== 'object' ||
		a === null ||
		b === null
	) {
		return false;
	}
	const recordA = a as Record< string, unknown >;
	const recordB = b as Record< string, unknown >;
	const keys = new Set( [
		...Object.keys( recordA ),
		...Object.keys( recordB ),
	] );
	for ( const key of keys ) {
		if ( ! jsonEqual( recordA[ key ], recordB[ key ] ) ) {
			return false;
		}
	}
	return true;
}

/**
 * Whether a draft has unsaved changes.
 *
 * @param loaded What was loaded or last saved.
 * @param draft  What the form holds.
 */
export function isDirty( loaded: unknown, draft: unknown ): boolean {
	return ! jsonEqual( loaded, draft );
}

/**
 * Sets a value at a path (`a.b[0].c`) in a copy of an object; the objects
 * and arrays along the path are copied, the rest is shared.
 *
 * @param target An object.
 * @param path   Where.
 * @param value  What.
 */
export function setAtPath< T >( target: T, path: string, value: unknown ): T {
	const keys = path
		.replace( /\[(\d+)\]/g, '.$1' )
		.split( '.' )
		.filter( Boolean );
	const set = ( node: unknown, index: number ): unknown => {
		const key = keys[ index ];
		const isIndex = /^\d+$/.test( key );
		let copy: Record< string, unknown > | unknown[];
		if ( Array.isArray( node ) ) {
			copy = [ ...node ];
		} else if ( node && typeof node === 'object' ) {
			copy = { ...( node as Record< string, unknown > ) };
		} else {
			copy = isIndex ? [] : {};
		}
		const child = ( copy as Record< string, unknown > )[ key ];
		( copy as Record< string, unknown > )[ key ] =
			index === keys.length - 1 ? value : set( child, index + 1 );
		return copy;
	};
	return set( target, 0 ) as T;
}

/**
 * Reads a value at a path (`a.b[0].c`).
 *
 * @param source An object.
 * @param path   Where.
 */
export function getAtPath( source: unknown, path: string ): unknown {
	return path
		.replace( /\[(\d+)\]/g, '.$1' )
		.split( '.' )
		.filter( Boolean )
		.reduce< unknown >(
			( node, key ) =>
				node && typeof node === 'object'
					? ( node as Record< string, unknown > )[ key ]
					: undefined,
			source
		);
}
