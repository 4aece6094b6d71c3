/**
 * What the HTTP side answers when it cannot serve a request: JSON with a
 * code, never Express's HTML page, a stack trace or a file path. Each case
 * is sent from outside over a real socket, as an attacker would.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import express from 'express';
import { createHttpApp } from '../src/app';
import { MAX_SIGNED_BODY_BYTES } from '../src/chatflow-sync/signed-routes';
import { cleanup, ORIGIN, startService, type TestService } from './helpers';

afterEach( cleanup );

interface RawReply {
	status: number;
	contentType: string;
	text: string;
}

/**
 * Sends a request with the path exactly as written (fetch would re-encode it).
 *
 * @param url     The server's base URL.
 * @param method  HTTP method.
 * @param target  Path and query, sent verbatim.
 * @param headers Extra headers.
 * @param body    Body.
 */
function send(
	url: string,
	method: string,
	target: string,
	headers: Record< string, string > = {},
	body?: string
): Promise< RawReply > {
	const { hostname, port } = new URL( url );
	return new Promise( ( resolve, reject ) => {
		const request = http.request(
			{ host: hostname, port, method, path: target, headers },
			( response ) => {
				let text = '';
				response.setEncoding( 'utf8' );
				response.on( 'data', ( chunk: string ) => ( text += chunk ) );
				response.on( 'end', () =>
					resolve( {
						status: response.statusCode ?? 0,
						contentType: String(
							response.headers[ 'content-type' ]
						),
						text,
					} )
				);
			}
		);
		request.on( 'error', reject );
		request.end( body );
	} );
}

/** Names a stack frame, a source file or a folder of this machine. */
const INTERNALS = new RegExp(
	[
		'\\bat [^\\s]+ \\(',
		'node_modules',
		'\\.[jt]s:\\d+',
		'<html',
		'<pre',
		path.resolve( __dirname, '..', '..' ).replace( /[/\\\\.]/g, '\\$&' ),
	].join( '|' ),
	'i'
);

function expectJsonError( reply: RawReply, status: number, code: string ) {
	expect( reply.status ).toBe( status );
	expect( reply.contentType ).toMatch( /^application\/json/ );
	expect( reply.text ).not.toMatch( INTERNALS );
	expect( JSON.parse( reply.text ) ).toEqual( {
		error: { code, message: expect.any( String ) },
	} );
}

describe( 'error answers', () => {
	let service: TestService;
	beforeEach( async () => {
		service = await startService();
	} );

	it( 'a malformed percent-encoding is a JSON 400, with no stack and no path', async () => {
		for ( const [ method, target ] of [
			[ 'GET', '/v1/attachments/%E0%A4%A' ],
			[ 'GET', '/v1/attachments/%' ],
			[ 'DELETE', '/v1/chatflows/%E0%A4%A' ],
			[ 'PUT', '/v1/chatflows/%ZZ' ],
		] ) {
			expectJsonError(
				await send( service.url, method, target, {
					Authorization: 'Bearer x',
				} ),
				400,
				'invalid_url'
			);
		}
	} );

	it( 'an unknown path or method is a JSON 404', async () => {
		expectJsonError(
			await send( service.url, 'GET', '/no/such/path' ),
			404,
			'not_found'
		);
		expectJsonError(
			await send( service.url, 'PATCH', '/v1/configuration' ),
			404,
			'not_found'
		);
		expectJsonError(
			await send( service.url, 'GET', '/metrics' ),
			404,
			'not_found'
		);
	} );

	it( 'bodies the parser refuses are JSON errors', async () => {
		expectJsonError(
			await send(
				service.url,
				'PUT',
				'/v1/configuration',
				{
					'Content-Encoding': 'gzip',
					'Content-Type': 'application/json',
				},
				'not gzip at all'
			),
			400,
			'invalid_request'
		);
		expectJsonError(
			await send(
				service.url,
				'PUT',
				'/v1/configuration',
				{ 'Content-Type': 'application/json' },
				'x'.repeat( MAX_SIGNED_BODY_BYTES + 1 )
			),
			413,
			'payload_too_large'
		);
		const unsupported = await send(
			service.url,
			'PUT',
			'/v1/configuration',
			{
				'Content-Encoding': 'x-unknown',
				'Content-Type': 'application/json',
			},
			'{}'
		);
		expect( unsupported.status ).toBe( 415 );
		expect( unsupported.text ).not.toMatch( INTERNALS );
		expect( JSON.parse( unsupported.text ).error.code ).toEqual(
			expect.any( String )
		);
	} );

	it( 'socket.io’s own HTTP errors are JSON with a code too', async () => {
		for ( const [ target, headers ] of [
			[ '/socket.io/?EIO=4&transport=bogus', { Origin: ORIGIN } ],
			[
				'/socket.io/?EIO=4&transport=polling&sid=%E0%A4%A',
				{ Origin: ORIGIN },
			],
			[
				'/socket.io/?EIO=4&transport=polling',
				{ Origin: 'https://evil.example' },
			],
		] as const ) {
			const reply = await send( service.url, 'GET', target, headers );
			expect( reply.status ).toBeGreaterThanOrEqual( 400 );
			expect( reply.contentType ).toMatch( /^application\/json/ );
			expect( reply.text ).not.toMatch( INTERNALS );
			expect( JSON.parse( reply.text ) ).toEqual( {
				code: expect.any( Number ),
				message: expect.any( String ),
			} );
		}
	} );
} );

describe( 'a handler that throws', () => {
	it( 'is answered 500 `internal`, without the error’s message', async () => {
		const routes = express.Router();
		routes.get( '/boom', () => {
			throw new Error( `cannot open ${ __filename }` );
		} );
		const server = http.createServer(
			createHttpApp( { isDraining: () => false, routes: () => routes } )
		);
		await new Promise< void >( ( resolve ) =>
			server.listen( 0, '127.0.0.1', resolve )
		);
		try {
			const url = `http://127.0.0.1:${
				( server.address() as AddressInfo ).port
			}`;
			const reply = await send( url, 'GET', '/boom' );
			expectJsonError( reply, 500, 'internal' );
			expect( reply.text ).not.toContain( 'cannot open' );
		} finally {
			server.closeAllConnections();
			await new Promise( ( resolve ) => server.close( resolve ) );
		}
	} );
} );
