/**
 * Who is on the other end: the client address every limit counts against.
 *
 * The socket's peer is the client, unless the peer is one of the proxies the
 * operator trusts (CHATFLOWS_TRUST_PROXY); then the address that proxy
 * forwarded is taken, walking back through trusted proxies only, as Express's
 * `trust proxy` does. A visitor can write any header, so without a trusted
 * peer forwarded headers are ignored.
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import type { Socket } from 'socket.io';

/**
 * The header the trusted proxies write. Only one is read: a proxy appends to
 * the header it sets and passes any other through untouched, so reading both
 * would let a visitor forge the one the proxy does not set.
 */
export type ForwardedHeader = 'x-forwarded-for' | 'forwarded';

export const FORWARDED_HEADERS: readonly ForwardedHeader[] = [
	'x-forwarded-for',
	'forwarded',
];

type Range = [ ipaddr.IPv4 | ipaddr.IPv6, number ];

/** Names usable in CHATFLOWS_TRUST_PROXY, as in Express's `trust proxy`. */
const NAMED_RANGES: Record< string, string[] > = {
	loopback: [ '127.0.0.0/8', '::1/128' ],
	linklocal: [ '169.254.0.0/16', 'fe80::/10' ],
	uniquelocal: [
		'10.0.0.0/8',
		'172.16.0.0/12',
		'192.168.0.0/16',
		'fc00::/7',
	],
};

/**
 * An address in the one form limits count by: IPv4-mapped IPv6 addresses
 * (`::ffff:192.0.2.1`, what a dual-stack socket reports) as IPv4, IPv6 in
 * its shortest form.
 *
 * @param value An address as written anywhere.
 * @return The address, or null when it is none (`unknown`, a host name, `127.1`).
 */
export function normalizeAddress( value: string ): string | null {
	const trimmed = value.trim();
	// Strict: ipaddr.js alone would accept shorthand like "127.1" or "0x7f.1".
	if ( isIP( trimmed ) === 0 ) {
		return null;
	}
	return ipaddr.process( trimmed ).toString();
}

/**
 * The network an address belongs to for the per-network budgets: its /24
 * (IPv4) or /64 (IPv6, what one home or office is usually given).
 *
 * @param address A normalized address.
 * @return `192.0.2.0/24` or `2001:db8:1:2::/64`; an unparsable value as given.
 */
export function networkOf( address: string ): string {
	const family = isIP( address );
	if ( family === 4 ) {
		return `${ ipaddr.IPv4.networkAddressFromCIDR(
			`${ address }/24`
		).toString() }/24`;
	}
	if ( family === 6 ) {
		const parts = ipaddr.IPv6.parse( address ).parts.slice( 0, 4 );
		return `${ new ipaddr.IPv6( [ ...parts, 0, 0, 0, 0 ] ).toString() }/64`;
	}
	return address;
}

/**
 * Parses one entry of CHATFLOWS_TRUST_PROXY.
 *
 * @param entry `loopback`, `linklocal`, `uniquelocal`, an address or a CIDR.
 * @return Its ranges.
 * @throws Error naming the entry when it is none of these.
 */
function parseEntry( entry: string ): Range[] {
	const named = NAMED_RANGES[ entry.toLowerCase() ];
	if ( named ) {
		return named.map( ( cidr ) => ipaddr.parseCIDR( cidr ) );
	}
	const [ address, bits, ...rest ] = entry.split( '/' );
	const normalized = normalizeAddress( address );
	const family = isIP( address.trim() );
	const maxBits = family === 4 ? 32 : 128;
	if (
		normalized === null ||
		rest.length > 0 ||
		( bits !== undefined && ! /^\d{1,3}$/.test( bits ) ) ||
		( bits !== undefined && Number( bits ) > maxBits )
	) {
		throw new Error(
			`"${ entry }" is not an address, a CIDR like 10.0.0.0/8 or one of loopback, linklocal, uniquelocal`
		);
	}
	let prefix = bits === undefined ? maxBits : Number( bits );
	const parsed = ipaddr.parse( normalized );
	// A range written as IPv4-mapped IPv6 is matched as the IPv4 range it is.
	if ( family === 6 && parsed.kind() === 'ipv4' ) {
		prefix = Math.max( 0, prefix - 96 );
	}
	return [ [ parsed, prefix ] ];
}

/**
 * Parses CHATFLOWS_TRUST_PROXY: comma-separated addresses, CIDRs and names.
 *
 * @param value The setting; empty trusts nobody.
 * @return The trusted ranges.
 * @throws Error naming the first bad entry.
 */
export function parseTrustedProxies( value: string ): Range[] {
	return value
		.split( ',' )
		.map( ( entry ) => entry.trim() )
		.filter( ( entry ) => entry !== '' )
		.flatMap( parseEntry );
}

/**
 * Splits at a separator outside quoted strings (RFC 7230 `quoted-string`).
 *
 * @param text      Header text.
 * @param separator `,` or `;`.
 */
function splitOutsideQuotes( text: string, separator: string ): string[] {
	const parts: string[] = [];
	let current = '';
	let quoted = false;
	for ( let i = 0; i < text.length; i++ ) {
		const char = text[ i ];
		if ( quoted && char === '\\' && i + 1 < text.length ) {
			current += char + text[ ++i ];
			continue;
		}
		if ( char === '"' ) {
			quoted = ! quoted;
		} else if ( char === separator && ! quoted ) {
			parts.push( current );
			current = '';
			continue;
		}
		current += char;
	}
	parts.push( current );
	return parts;
}

/**
 * The address part of an RFC 7239 node: `192.0.2.1`, `"192.0.2.1:4711"`,
 * `"[2001:db8::1]:4711"`; `unknown` and obfuscated names stay as they are
 * (they are no address).
 *
 * @param node The `for` value, maybe quoted.
 */
function nodeAddress( node: string ): string {
	let value = node.trim();
	if ( value.startsWith( '"' ) && value.endsWith( '"' ) ) {
		value = value.slice( 1, -1 ).replace( /\\(.)/g, '$1' );
	}
	const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec( value );
	if ( bracketed ) {
		return bracketed[ 1 ];
	}
	const withPort = /^([^:]+):\d+$/.exec( value );
	return withPort ? withPort[ 1 ] : value;
}

/**
 * The `for` nodes of an RFC 7239 `Forwarded` header, nearest client first.
 *
 * @param header The header (repeated headers joined by commas).
 */
export function forwardedForNodes( header: string ): string[] {
	return splitOutsideQuotes( header, ',' ).map( ( element ) => {
		for ( const pair of splitOutsideQuotes( element, ';' ) ) {
			const equals = pair.indexOf( '=' );
			if (
				equals > 0 &&
				pair.slice( 0, equals ).trim().toLowerCase() === 'for'
			) {
				return nodeAddress( pair.slice( equals + 1 ) );
			}
		}
		return '';
	} );
}

/** Resolves client addresses under one trust setting. */
export class ClientAddresses {
	private readonly trusted: Range[];

	private readonly resolved = new WeakMap< IncomingMessage, string >();

	/**
	 * @param settings         The trust setting.
	 * @param settings.proxies CHATFLOWS_TRUST_PROXY's entries; none: the peer is always the client.
	 * @param settings.header  The header those proxies write.
	 */
	constructor(
		readonly settings: {
			proxies: string;
			header: ForwardedHeader;
		} = { proxies: '', header: 'x-forwarded-for' }
	) {
		this.trusted = parseTrustedProxies( settings.proxies );
	}

	/** Whether any proxy is trusted. */
	get trustsProxies(): boolean {
		return this.trusted.length > 0;
	}

	/**
	 * Whether an address is one of the trusted proxies.
	 *
	 * @param address Any address; IPv4-mapped ones match IPv4 ranges.
	 */
	isTrusted( address: string ): boolean {
		const normalized = normalizeAddress( address );
		if ( normalized === null ) {
			return false;
		}
		const parsed = ipaddr.parse( normalized );
		return this.trusted.some(
			( [ range, bits ] ) =>
				range.kind() === parsed.kind() &&
				( parsed as ipaddr.IPv4 ).match( range as ipaddr.IPv4, bits )
		);
	}

	/**
	 * The client's address of an HTTP request (or a socket.io handshake).
	 *
	 * @param req The request.
	 * @return A normalized address, or `unknown` when the socket has none.
	 */
	ofRequest( req: IncomingMessage ): string {
		const known = this.resolved.get( req );
		if ( known !== undefined ) {
			return known;
		}
		const address = this.resolve( req );
		this.resolved.set( req, address );
		return address;
	}

	/**
	 * The client's address of a socket.io socket: that of its handshake.
	 *
	 * @param socket The socket.
	 */
	ofSocket( socket: Socket ): string {
		return this.ofRequest( socket.request );
	}

	private resolve( req: IncomingMessage ): string {
		const peer = normalizeAddress( req.socket.remoteAddress ?? '' );
		if ( peer === null ) {
			return 'unknown';
		}
		if ( ! this.trustsProxies || ! this.isTrusted( peer ) ) {
			return peer;
		}
		const header = req.headers[ this.settings.header ];
		const text = Array.isArray( header ) ? header.join( ',' ) : header;
		if ( ! text ) {
			return peer;
		}
		const hops =
			this.settings.header === 'forwarded'
				? forwardedForNodes( text )
				: text.split( ',' );
		// From the nearest hop back, for as long as each hop is a trusted
		// proxy; something that is no address ends the walk at the last
		// proxy that vouched for it.
		let client = peer;
		for ( let i = hops.length - 1; i >= 0; i-- ) {
			const hop = normalizeAddress( hops[ i ] );
			if ( hop === null ) {
				break;
			}
			client = hop;
			if ( ! this.isTrusted( hop ) ) {
				break;
			}
		}
		return client;
	}
}
