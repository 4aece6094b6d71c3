/**
 * Identification and the loader's availability route, with a real service,
 * real socket.io clients and a real SQLite file.
 */
import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	availabilityRouter,
	AVAILABILITY_CACHE_MS,
} from '../src/visitor/availability-route';
import type { VisitorAvailability } from '@chatflows/protocol';
import {
	cleanup,
	connectVisitor,
	ORIGIN,
	signIdentificationToken,
	startService,
	visitorAsk,
	type TestService,
} from './helpers';
import { chatflow, configuration } from './repository-domain';

afterEach( cleanup );

/**
 * The contact the visitor's conversation is linked to, as stored.
 *
 * @param service   The service.
 * @param visitorId The visitor.
 */
async function contactOf( service: TestService, visitorId: string ) {
	const conversation = await service.repository.findLatestConversation(
		visitorId,
		'support'
	);
	return conversation?.contactId
		? service.repository.findContact( conversation.contactId )
		: null;
}

async function say(
	socket: Parameters< typeof visitorAsk >[ 0 ],
	body: string
) {
	const response = await visitorAsk( socket, 'message:send', {
		clientId: `c-${ Math.random().toString( 36 ).slice( 2 ) }`,
		body,
	} );
	if ( ! response.ok ) {
		throw new Error( `message:send refused: ${ response.error.message }` );
	}
}

describe( 'identification', () => {
	it( "links an identified visitor's conversation to their contact", async () => {
		const service = await startService();
		const { socket, session } = await connectVisitor( service, {
			identificationEmail: 'Ann@Example.com',
			identificationToken:
				await signIdentificationToken( 'ann@example.com' ),
		} );
		expect( session.identified ).toBe( true );
		await say( socket, 'Hello from a known customer' );
		const contact = await contactOf( service, session.visitorId );
		expect( contact ).toMatchObject( {
			email: 'ann@example.com',
			name: 'Ann Example',
		} );
	} );

	it( 'links the conversation the visitor already has when they identify later', async () => {
		const service = await startService();
		const first = await connectVisitor( service );
		await say( first.socket, 'Before logging in' );
		expect(
			await contactOf( service, first.session.visitorId )
		).toBeNull();
		first.socket.disconnect();

		await connectVisitor( service, {
			session: first.session.token,
			identificationEmail: 'ann@example.com',
			identificationToken:
				await signIdentificationToken( 'ann@example.com' ),
		} );
		const contact = await contactOf( service, first.session.visitorId );
		expect( contact?.email ).toBe( 'ann@example.com' );
	} );

	it( 'is one contact for the same e-mail on two browsers', async () => {
		const service = await startService();
		const token = await signIdentificationToken( 'ann@example.com' );
		const a = await connectVisitor( service, {
			identificationEmail: 'ann@example.com',
			identificationToken: token,
		} );
		const b = await connectVisitor( service, {
			identificationEmail: 'ann@example.com',
			identificationToken: token,
		} );
		await say( a.socket, 'From the laptop' );
		await say( b.socket, 'From the phone' );
		const contactA = await contactOf( service, a.session.visitorId );
		const contactB = await contactOf( service, b.session.visitorId );
		expect( contactA?.id ).toBeDefined();
		expect( contactA?.id ).toBe( contactB?.id );
	} );

	it.each( [
		[
			'signed with another secret',
			{ secret: 'x'.repeat( 40 ) },
			'ann@example.com',
		],
		[ 'expired', { expiresIn: -60 }, 'ann@example.com' ],
		[
			'an agent token',
			{ audience: 'chatflows-service' },
			'ann@example.com',
		],
		[ 'for another e-mail', {}, 'mallory@example.com' ],
	] )(
		'leaves the visitor anonymous (but chatting) with a token %s',
		async ( _label, options, claimedEmail ) => {
			const service = await startService();
			const { socket, session } = await connectVisitor( service, {
				identificationEmail: claimedEmail,
				identificationToken: await signIdentificationToken(
					'ann@example.com',
					options
				),
			} );
			expect( session ).not.toHaveProperty( 'identified' );
			await say( socket, 'Hello' );
			expect( await contactOf( service, session.visitorId ) ).toBeNull();
		}
	);

	it( 'ignores a token without an e-mail, or garbage', async () => {
		const service = await startService();
		const garbage = await connectVisitor( service, {
			identificationEmail: 'ann@example.com',
			identificationToken: 'not-a-token',
		} );
		await say( garbage.socket, 'Hello' );
		expect(
			await contactOf( service, garbage.session.visitorId )
		).toBeNull();
		const tokenOnly = await connectVisitor( service, {
			identificationToken:
				await signIdentificationToken( 'ann@example.com' ),
		} );
		await say( tokenOnly.socket, 'Hello' );
		expect(
			await contactOf( service, tokenOnly.session.visitorId )
		).toBeNull();
	} );
} );

describe( 'GET /v1/availability/:chatflowId', () => {
	async function get( service: TestService, path: string, origin?: string ) {
		return fetch( service.url + path, {
			headers: origin ? { origin } : {},
		} );
	}

	it( "answers the chatflow's availability, readable by allowed origins only", async () => {
		const service = await startService();
		await service.app.configuration.replace(
			configuration( [
				{
					...chatflow( 'support', 1 ),
					availability: { mode: 'users' },
				},
				chatflow( 'always', 1 ),
			] )
		);
		const offline = await get(
			service,
			'/v1/availability/support',
			ORIGIN
		);
		expect( offline.status ).toBe( 200 );
		expect( offline.headers.get( 'access-control-allow-origin' ) ).toBe(
			ORIGIN
		);
		expect( offline.headers.get( 'cache-control' ) ).toBe(
			'public, max-age=5'
		);
		expect( await offline.json() ).toEqual( {
			chatflowId: 'support',
			state: 'offline',
			nextReturnAt: null,
		} );
		const available = await get( service, '/v1/availability/always' );
		expect(
			( ( await available.json() ) as { state: string } ).state
		).toBe( 'available' );

		const stranger = await get(
			service,
			'/v1/availability/support',
			'http://evil.example'
		);
		expect(
			stranger.headers.get( 'access-control-allow-origin' )
		).toBeNull();
	} );

	it( 'refuses an invalid chatflow id, naming the field', async () => {
		const service = await startService();
		const response = await get( service, '/v1/availability/a%20b' );
		expect( response.status ).toBe( 400 );
		expect(
			( ( await response.json() ) as { error: { message: string } } )
				.error.message
		).toMatch( /^chatflowId:/ );
	} );

	it( 'computes one answer per chatflow every few seconds, however many ask', async () => {
		let now = 1_000_000;
		let computed = 0;
		const app = express();
		app.use(
			availabilityRouter( {
				refusal: () => null,
				availability: async ( chatflowId ) => {
					computed++;
					return {
						chatflowId,
						state: computed > 1 ? 'available' : 'offline',
						nextReturnAt: null,
						behaviour: null,
					} satisfies VisitorAvailability;
				},
				isAllowedOrigin: () => true,
				now: () => now,
			} )
		);
		const server = http.createServer( app );
		await new Promise< void >( ( resolve ) =>
			server.listen( 0, '127.0.0.1', resolve )
		);
		const url = `http://127.0.0.1:${
			( server.address() as AddressInfo ).port
		}/v1/availability/support`;
		try {
			const answers = await Promise.all(
				[ 1, 2, 3 ].map(
					async () =>
						(
							( await ( await fetch( url ) ).json() ) as {
								state: string;
							}
						 ).state
				)
			);
			expect( answers ).toEqual( [ 'offline', 'offline', 'offline' ] );
			expect( computed ).toBe( 1 );
			now += AVAILABILITY_CACHE_MS;
			expect(
				( ( await ( await fetch( url ) ).json() ) as { state: string } )
					.state
			).toBe( 'available' );
			expect( computed ).toBe( 2 );
		} finally {
			await new Promise( ( resolve ) => server.close( resolve ) );
		}
	} );
} );
