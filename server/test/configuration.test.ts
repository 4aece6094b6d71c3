/**
 * Configuration from WordPress: the signed endpoints, storage across
 * restarts, the pull at start, and signed notifications back to WordPress.
 * A small real HTTP server plays WordPress and checks the service's
 * signatures the way WordPress does.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
	type ServiceConfiguration,
	type ServiceNotification,
} from '@chatflows/protocol';
import { ConfigError, loadConfig } from '../src/environment';
import {
	CONFIGURATION_PATH,
	NOTIFY_PATH,
} from '../src/chatflow-sync/wordpress';
import {
	SECRET,
	agentAsk,
	cleanup,
	connectAgent,
	connectVisitor,
	expectConnectError,
	nextEvent,
	openVisitor,
	signIdentificationToken,
	sleep,
	signedHeaders,
	startService,
	verifyAsWordPress,
	visitorAsk,
	type TestService,
	until,
} from './helpers';
import { chatflow, configuration } from './repository-domain';

afterEach( cleanup );

interface Reply {
	status: number;
	json: unknown;
}

async function call(
	service: TestService,
	method: 'PUT' | 'DELETE',
	path: string,
	body: unknown,
	options: {
		secret?: string;
		now?: Date;
		headers?: Record< string, string >;
	} = {}
): Promise< Reply > {
	const raw = body === undefined ? '' : JSON.stringify( body );
	const headers =
		options.headers ??
		signedHeaders( method, path, raw, {
			secret: options.secret,
			now: options.now,
		} );
	const response = await fetch( `${ service.url }${ path }`, {
		method,
		headers,
		body: raw === '' ? undefined : raw,
	} );
	return { status: response.status, json: await response.json() };
}

/** A stand-in for WordPress's service routes, checking signatures like WordPress. */
interface FakeWordPress {
	url: string;
	configurationRequests: number;
	notifications: ServiceNotification[];
	/** Set to make WordPress answer this status to everything. */
	failWith: number | null;
	configuration: ServiceConfiguration;
	close: () => Promise< void >;
}

async function startWordPress(
	initial: ServiceConfiguration
): Promise< FakeWordPress > {
	const state: Omit< FakeWordPress, 'url' | 'close' > = {
		configurationRequests: 0,
		notifications: [],
		failWith: null,
		configuration: initial,
	};
	const server = http.createServer( ( req, res ) => {
		const chunks: Buffer[] = [];
		req.on( 'data', ( chunk: Buffer ) => chunks.push( chunk ) );
		req.on( 'end', () => {
			const body = Buffer.concat( chunks );
			const reply = ( status: number, json: unknown ) => {
				res.writeHead( status, { 'Content-Type': 'application/json' } );
				res.end( JSON.stringify( json ) );
			};
			const failure = verifyAsWordPress( req, body );
			if ( failure ) {
				reply( 401, { code: failure } );
				return;
			}
			if ( state.failWith !== null ) {
				reply( state.failWith, { code: 'down' } );
				return;
			}
			if ( req.method === 'GET' && req.url === CONFIGURATION_PATH ) {
				state.configurationRequests++;
				reply( 200, state.configuration );
				return;
			}
			if ( req.method === 'POST' && req.url === NOTIFY_PATH ) {
				state.notifications.push( JSON.parse( body.toString() ) );
				reply( 200, { sent: true } );
				return;
			}
			reply( 404, { code: 'not_found' } );
		} );
	} );
	await new Promise< void >( ( resolve ) =>
		server.listen( 0, '127.0.0.1', resolve )
	);
	const fake = state as FakeWordPress;
	fake.url = `http://127.0.0.1:${ ( server.address() as AddressInfo ).port }`;
	fake.close = () =>
		new Promise( ( resolve ) => {
			server.closeAllConnections();
			server.close( () => resolve() );
		} );
	return fake;
}

const wordpresses: FakeWordPress[] = [];
afterEach( async () => {
	for ( const wordpress of wordpresses.splice( 0 ) ) {
		await wordpress.close();
	}
} );

describe( 'PUT /v1/configuration', () => {
	it( 'stores a signed configuration, which a restart keeps', async () => {
		const service = await startService( { configuration: null } );
		const sent = configuration( [ chatflow( 'support', 3 ) ] );
		const reply = await call( service, 'PUT', '/v1/configuration', sent );
		expect( reply ).toEqual( {
			status: 200,
			json: { chatflows: [ { id: 'support', version: 3 } ] },
		} );
		expect( service.app.configuration.chatflow( 'support' )?.version ).toBe(
			3
		);

		await service.stop();
		const restarted = await startService( { dbFile: service.dbFile } );
		expect( restarted.app.configuration.configuration ).toEqual( sent );
	} );

	it.each( [
		[
			'a wrong secret',
			() => ( { secret: 'another-secret-that-is-long-enough-000000' } ),
			'signature_invalid',
		],
		[
			'a timestamp 301 s old',
			() => ( { now: new Date( Date.now() - 301_000 ) } ),
			'timestamp_invalid',
		],
		[
			'a timestamp 302 s ahead',
			// The service reads its clock a moment later: a second of margin.
			() => ( { now: new Date( Date.now() + 302_000 ) } ),
			'timestamp_invalid',
		],
		[
			'no signature headers',
			() => ( { headers: { 'Content-Type': 'application/json' } } ),
			'signature_missing',
		],
	] as const )(
		'refuses %s and stores nothing',
		async ( _label, options, code ) => {
			const service = await startService( { configuration: null } );
			const reply = await call(
				service,
				'PUT',
				'/v1/configuration',
				configuration( [ chatflow( 'support', 1 ) ] ),
				options()
			);
			expect( reply.status ).toBe( 401 );
			expect( reply.json ).toEqual( {
				error: { code, message: expect.any( String ) },
			} );
			await expect(
				service.repository.loadConfiguration()
			).resolves.toBeNull();
		}
	);

	it( 'accepts a timestamp 299 s old', async () => {
		const service = await startService( { configuration: null } );
		const reply = await call(
			service,
			'PUT',
			'/v1/configuration',
			configuration( [] ),
			{ now: new Date( Date.now() - 299_000 ) }
		);
		expect( reply.status ).toBe( 200 );
	} );

	it( 'refuses a body signed for other bytes', async () => {
		const service = await startService( { configuration: null } );
		const body = JSON.stringify( configuration( [] ) );
		const response = await fetch( `${ service.url }/v1/configuration`, {
			method: 'PUT',
			headers: signedHeaders( 'PUT', '/v1/configuration', body ),
			body: body.replace( 'localhost', 'evil.example' ),
		} );
		expect( response.status ).toBe( 401 );
	} );

	it( 'refuses an invalid configuration naming every wrong field, storing nothing', async () => {
		const service = await startService( { configuration: null } );
		const broken = configuration( [
			{
				...chatflow( 'support', 1 ),
				availability: {
					mode: 'office_hours',
					timeZone: 'Mars/Olympus',
					hours: [ { day: 1, start: '09:00', end: '25:00' } ],
				},
			},
		] );
		( broken.agents[ 0 ] as { capacity: unknown } ).capacity = -1;
		const reply = await call( service, 'PUT', '/v1/configuration', broken );
		expect( reply.status ).toBe( 400 );
		const error = ( reply.json as { error: Record< string, unknown > } )
			.error;
		expect( error.code ).toBe( 'invalid_payload' );
		const fields = ( error.fields as Array< { field: string } > ).map(
			( entry ) => entry.field
		);
		expect( fields ).toEqual(
			expect.arrayContaining( [
				'chatflows.0.availability.timeZone',
				'chatflows.0.availability.hours.0.end',
				'agents.0.capacity',
			] )
		);
		expect( error.message ).toContain(
			'chatflows.0.availability.timeZone'
		);
		await expect(
			service.repository.loadConfiguration()
		).resolves.toBeNull();
	} );

	it( "stores the chatflows' contact settings and the retention, and refuses a retention beyond 3650 days", async () => {
		const service = await startService( { configuration: null } );
		const sent = {
			...configuration( [
				{
					...chatflow( 'support', 1 ),
					contacts: {
						marketing: true,
						subscriptionType: 'Newsletter',
					},
				},
			] ),
			retention: { closedConversationDays: 30 },
		};
		const stored = await call( service, 'PUT', '/v1/configuration', sent );
		expect( stored.status ).toBe( 200 );
		await expect(
			service.repository.loadConfiguration()
		).resolves.toMatchObject( {
			retention: { closedConversationDays: 30 },
			chatflows: [
				{
					contacts: {
						marketing: true,
						subscriptionType: 'Newsletter',
					},
				},
			],
		} );
		for ( const days of [ 3651, -1, 1.5 ] ) {
			const reply = await call( service, 'PUT', '/v1/configuration', {
				...sent,
				retention: { closedConversationDays: days },
			} );
			expect( reply.status ).toBe( 400 );
			expect( reply.json ).toMatchObject( {
				error: {
					code: 'invalid_payload',
					fields: [ { field: 'retention.closedConversationDays' } ],
				},
			} );
		}
		await expect(
			service.repository.loadConfiguration()
		).resolves.toMatchObject( {
			retention: { closedConversationDays: 30 },
		} );
	} );

	it( 'refuses a body that is not JSON', async () => {
		const service = await startService( { configuration: null } );
		const body = '{ not json';
		const response = await fetch( `${ service.url }/v1/configuration`, {
			method: 'PUT',
			headers: signedHeaders( 'PUT', '/v1/configuration', body ),
			body,
		} );
		expect( response.status ).toBe( 400 );
		expect( await response.json() ).toEqual( {
			error: { code: 'invalid_json', message: expect.any( String ) },
		} );
	} );
} );

describe( 'origins from WordPress', () => {
	it( 'lets pages of the origins WordPress lists connect', async () => {
		const service = await startService( { configuration: null } );
		const shop = {
			origin: 'http://shop.example:8080',
			transports: [ 'websocket' as const ],
		};
		await expectConnectError( openVisitor( service, {}, shop ) );
		await call( service, 'PUT', '/v1/configuration', {
			...configuration( [ chatflow( 'support', 1 ) ] ),
			allowedOrigins: [ 'http://shop.example:8080/' ],
		} );
		const visitor = openVisitor( service, {}, shop );
		await new Promise< void >( ( resolve, reject ) => {
			visitor.once( 'connect', resolve );
			visitor.once( 'connect_error', reject );
		} );
	} );
} );

describe( 'PUT and DELETE /v1/chatflows/:id', () => {
	it( 'keeps the newest version and deletes', async () => {
		const service = await startService( { configuration: null } );
		await call(
			service,
			'PUT',
			'/v1/configuration',
			configuration( [ chatflow( 'support', 5, 'five' ) ] )
		);
		const older = await call(
			service,
			'PUT',
			'/v1/chatflows/support',
			chatflow( 'support', 4, 'four' )
		);
		expect( older ).toEqual( {
			status: 200,
			json: { id: 'support', version: 5, stored: false },
		} );
		expect( service.app.configuration.chatflow( 'support' )?.name ).toBe(
			'five'
		);
		const newer = await call(
			service,
			'PUT',
			'/v1/chatflows/support',
			chatflow( 'support', 6, 'six' )
		);
		expect( newer.json ).toEqual( {
			id: 'support',
			version: 6,
			stored: true,
		} );
		expect( service.app.configuration.chatflow( 'support' )?.name ).toBe(
			'six'
		);

		expect(
			await call( service, 'DELETE', '/v1/chatflows/support', undefined )
		).toEqual( { status: 200, json: { id: 'support', deleted: true } } );
		expect(
			service.app.configuration.chatflow( 'support' )
		).toBeUndefined();
		const again = await call(
			service,
			'DELETE',
			'/v1/chatflows/support',
			undefined
		);
		expect( again.status ).toBe( 404 );
	} );

	it( 'refuses a chatflow whose id differs from the URL, and unsigned deletes', async () => {
		const service = await startService( { configuration: null } );
		const reply = await call(
			service,
			'PUT',
			'/v1/chatflows/other',
			chatflow( 'support', 1 )
		);
		expect( reply.status ).toBe( 400 );
		expect( reply.json ).toMatchObject( {
			error: { fields: [ { field: 'id' } ] },
		} );
		await service.repository.saveChatflow( chatflow( 'support', 1 ) );
		const unsigned = await call(
			service,
			'DELETE',
			'/v1/chatflows/support',
			undefined,
			{ headers: {} }
		);
		expect( unsigned.status ).toBe( 401 );
		await expect(
			service.repository.loadConfiguration()
		).resolves.toMatchObject( { chatflows: [ { id: 'support' } ] } );
	} );
} );

describe( 'pulling from WordPress', () => {
	it( 'pulls the configuration at start with a signed request', async () => {
		const wordpress = await startWordPress(
			configuration( [ chatflow( 'support', 2 ) ] )
		);
		wordpresses.push( wordpress );
		const service = await startService( {
			configuration: null,
			deps: { wordpressUrl: wordpress.url },
		} );
		await until(
			() => service.app.configuration.chatflow( 'support' ) !== undefined,
			'the pulled configuration'
		);
		expect( wordpress.configurationRequests ).toBe( 1 );
		await expect(
			service.repository.loadConfiguration()
		).resolves.toMatchObject( { chatflows: [ { version: 2 } ] } );
	} );

	it( 'keeps the stored configuration while WordPress is down, and retries', async () => {
		const wordpress = await startWordPress(
			configuration( [ chatflow( 'support', 9, 'from WordPress' ) ] )
		);
		wordpresses.push( wordpress );
		wordpress.failWith = 503;
		const first = await startService( { configuration: null } );
		await first.repository.replaceConfiguration(
			configuration( [ chatflow( 'support', 1, 'stored' ) ] )
		);
		await first.stop();

		const service = await startService( {
			configuration: null,
			dbFile: first.dbFile,
			deps: { wordpressUrl: wordpress.url },
		} );
		expect( service.app.configuration.chatflow( 'support' )?.name ).toBe(
			'stored'
		);
		await sleep( 200 );
		expect( service.app.configuration.chatflow( 'support' )?.name ).toBe(
			'stored'
		);
		// The first retry comes after about a second.
		wordpress.failWith = null;
		await until(
			() =>
				service.app.configuration.chatflow( 'support' )?.name ===
				'from WordPress',
			'the retried pull'
		);
	} );
} );

/**
 * A service whose WordPress (a fake that records notifications) has the chatflow.
 *
 * @param flow The chatflow `support`.
 */
async function serviceWithWordPress( flow = chatflow( 'support', 1 ) ) {
	const wordpress = await startWordPress( configuration( [ flow ] ) );
	wordpresses.push( wordpress );
	const service = await startService( {
		configuration: null,
		deps: { wordpressUrl: wordpress.url },
	} );
	await until(
		() => service.app.configuration.chatflow( 'support' ) !== undefined,
		'the pulled configuration'
	);
	return { wordpress, service };
}

describe( 'notifications to WordPress', () => {
	const offlineFlow = () => ( {
		...chatflow( 'support', 1 ),
		availability: { mode: 'users' as const },
	} );

	it( 'tells the team an address the visitor typed as not verified, and has its confirmation link e-mailed, signed', async () => {
		const { wordpress, service } =
			await serviceWithWordPress( offlineFlow() );
		const visitor = await connectVisitor( service, {
			language: 'da-DK',
		} );
		await visitorAsk( visitor.socket, 'contact:email', {
			email: 'Ann@Example.com',
			name: 'Ann',
		} );
		await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'v1',
			body: 'Please call me back',
		} );
		await until(
			() => wordpress.notifications.length === 2,
			'the notifications'
		);
		const [ link, offline ] = [
			'email_confirmation',
			'offline_message',
		].map( ( type ) =>
			wordpress.notifications.find(
				( notification ) => notification.type === type
			)
		);
		expect( link ).toEqual( {
			id: expect.stringMatching( /^email_confirmation:/ ),
			type: 'email_confirmation',
			chatflowId: 'support',
			conversationId: '',
			userIds: [],
			visitor: { email: 'Ann@Example.com', name: null },
			messages: [],
			pageUrl: 'http://localhost:8888/pricing/',
			locale: 'da-dk',
			confirmationToken: expect.stringMatching( /^[A-Za-z0-9_-]{43}$/ ),
		} );
		expect( offline?.visitor ).toEqual( {
			email: 'Ann@Example.com',
			name: 'Ann',
			verified: false,
		} );
	} );

	it( 'turns a message left while offline into a ticket and a signed notification', async () => {
		const wordpress = await startWordPress(
			configuration( [ offlineFlow() ] )
		);
		wordpresses.push( wordpress );
		const service = await startService( {
			configuration: null,
			deps: { wordpressUrl: wordpress.url },
		} );
		await until(
			() => service.app.configuration.chatflow( 'support' ) !== undefined,
			'the pulled configuration'
		);
		// Identified by the site: a verified address (a typed one is only a claim).
		const visitor = await connectVisitor( service, {
			identificationEmail: 'Ann@Example.com',
			identificationToken: await signIdentificationToken(
				'Ann@Example.com',
				{ name: 'Ann' }
			),
		} );
		const sent = await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'v1',
			body: 'Please call me back',
		} );
		if ( ! sent.ok ) {
			throw new Error( 'send failed' );
		}
		const conversationId = sent.data.message.conversationId;
		await until(
			() => wordpress.notifications.length === 1,
			'the notification'
		);
		expect( wordpress.notifications[ 0 ] ).toEqual( {
			id: `offline_message:${ conversationId }`,
			type: 'offline_message',
			chatflowId: 'support',
			conversationId,
			userIds: [],
			visitor: { email: 'Ann@Example.com', name: 'Ann' },
			messages: [
				{
					authorName: '',
					body: 'Please call me back',
					createdAt: sent.data.message.createdAt,
				},
			],
			pageUrl: 'http://localhost:8888/pricing/',
		} );
		await expect(
			service.repository.findTicket( conversationId )
		).resolves.toMatchObject( {
			offline: true,
			state: 'open',
			priority: 'medium',
			pipeline: 'support',
		} );
	} );

	it( 'keeps a notification WordPress did not accept and delivers it later', async () => {
		const wordpress = await startWordPress(
			configuration( [ offlineFlow() ] )
		);
		wordpresses.push( wordpress );
		let now = Date.now();
		const service = await startService( {
			configuration: null,
			clock: () => new Date( now ),
			deps: { wordpressUrl: wordpress.url },
		} );
		await until(
			() => service.app.configuration.chatflow( 'support' ) !== undefined,
			'the pulled configuration'
		);
		wordpress.failWith = 500;
		const visitor = await connectVisitor( service );
		await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'v1',
			body: 'Anyone?',
		} );
		await until(
			async () =>
				(
					await service.repository.listDueNotifications(
						new Date( now + 3_600_000 ).toISOString(),
						10
					)
				).some( ( pending ) => pending.attempts === 1 ),
			'a failed attempt'
		);
		expect( wordpress.notifications ).toEqual( [] );

		wordpress.failWith = null;
		// Not yet due: the sweep leaves it.
		await service.app.domain.notifications.deliverNotifications();
		expect( wordpress.notifications ).toEqual( [] );
		now += 60_000;
		await service.app.domain.sweeps.sweep();
		expect( wordpress.notifications ).toHaveLength( 1 );
		await expect(
			service.repository.listDueNotifications(
				new Date( now + 3_600_000 ).toISOString(),
				10
			)
		).resolves.toEqual( [] );
	} );

	it( 'sends nothing while someone can answer', async () => {
		const wordpress = await startWordPress(
			configuration( [ chatflow( 'support', 1 ) ] )
		);
		wordpresses.push( wordpress );
		const service = await startService( {
			configuration: null,
			deps: { wordpressUrl: wordpress.url },
		} );
		await until(
			() => service.app.configuration.chatflow( 'support' ) !== undefined,
			'the pulled configuration'
		);
		await connectAgent( service );
		const visitor = await connectVisitor( service );
		const availability = nextEvent( visitor.socket, 'availability' );
		void availability.catch( () => undefined );
		const sent = await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'v1',
			body: 'Hi',
		} );
		if ( ! sent.ok ) {
			throw new Error( 'send failed' );
		}
		await service.app.domain.sweeps.sweep();
		expect( wordpress.notifications ).toEqual( [] );
		await expect(
			service.repository.findTicket( sent.data.message.conversationId )
		).resolves.toMatchObject( { offline: false } );
	} );
} );

describe( 'e-mails WordPress is asked to send', () => {
	/** A service on a chatflow always open, assigned to agent 7, with WordPress. */
	it( 'a new conversation nobody available can take: the chatflow’s agents, once', async () => {
		const { wordpress, service } = await serviceWithWordPress();
		const visitor = await connectVisitor( service );
		const sent = await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'v1',
			body: 'Hello?',
		} );
		if ( ! sent.ok ) {
			throw new Error( 'send failed' );
		}
		const conversationId = sent.data.message.conversationId;
		await until(
			() => wordpress.notifications.length === 1,
			'the notification'
		);
		expect( wordpress.notifications[ 0 ] ).toEqual( {
			id: `new_conversation:${ conversationId }`,
			type: 'new_conversation',
			chatflowId: 'support',
			conversationId,
			userIds: [ '7' ],
			visitor: { email: null, name: null },
			messages: [
				{
					authorName: '',
					body: 'Hello?',
					createdAt: sent.data.message.createdAt,
					authorType: 'visitor',
				},
			],
			pageUrl: 'http://localhost:8888/pricing/',
		} );
		// Further messages of the same conversation are no new conversation.
		await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'v2',
			body: 'Still there?',
		} );
		await service.app.domain.sweeps.sweep();
		expect( wordpress.notifications ).toHaveLength( 1 );
	} );

	it( 'the transcript to the visitor’s e-mail when the conversation closes, not again without new messages', async () => {
		const { wordpress, service } = await serviceWithWordPress();
		const agent = await connectAgent( service );
		const visitor = await connectVisitor( service, {
			identificationEmail: 'ann@example.com',
			identificationToken: await signIdentificationToken(
				'ann@example.com',
				{ name: 'Ann' }
			),
		} );
		const sent = await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'v1',
			body: 'Do you ship to Denmark?',
		} );
		if ( ! sent.ok ) {
			throw new Error( 'send failed' );
		}
		const conversationId = sent.data.message.conversationId;
		const reply = await agentAsk( agent, 'message:send', {
			conversationId,
			clientId: 'a1',
			body: 'Yes, in two days.',
		} );
		if ( ! reply.ok ) {
			throw new Error( 'reply failed' );
		}
		// An internal note is never part of what the visitor is sent.
		const note = await agentAsk( agent, 'note:send', {
			conversationId,
			clientId: 'n1',
			body: 'Ships from the Aarhus warehouse',
		} );
		expect( note.ok ).toBe( true );
		expect( wordpress.notifications ).toEqual( [] );
		await agentAsk( agent, 'conversation:close', { conversationId } );
		await until(
			() => wordpress.notifications.length === 1,
			'the transcript'
		);
		expect( wordpress.notifications[ 0 ] ).toMatchObject( {
			id: `transcript:${ conversationId }:2`,
			type: 'transcript',
			conversationId,
			userIds: [],
			visitor: { email: 'ann@example.com', name: 'Ann' },
			messages: [
				{
					authorName: '',
					body: 'Do you ship to Denmark?',
					createdAt: sent.data.message.createdAt,
					authorType: 'visitor',
				},
				{
					authorName: 'Alice Agent',
					body: 'Yes, in two days.',
					createdAt: reply.data.message.createdAt,
					authorType: 'agent',
				},
			],
		} );

		// Reopened and closed again with nothing new: the same event, the same id.
		await agentAsk( agent, 'conversation:reopen', { conversationId } );
		await agentAsk( agent, 'conversation:close', { conversationId } );
		await service.app.domain.sweeps.sweep();
		expect(
			new Set( wordpress.notifications.map( ( n ) => n.id ) )
		).toEqual( new Set( [ `transcript:${ conversationId }:2` ] ) );
		expect( JSON.stringify( wordpress.notifications ) ).not.toContain(
			'Aarhus'
		);
	} );

	it( 'no transcript when the visitor gave no e-mail address', async () => {
		const { wordpress, service } = await serviceWithWordPress();
		const agent = await connectAgent( service );
		const visitor = await connectVisitor( service );
		const sent = await visitorAsk( visitor.socket, 'message:send', {
			clientId: 'v1',
			body: 'Hi',
		} );
		if ( ! sent.ok ) {
			throw new Error( 'send failed' );
		}
		const closed = await agentAsk( agent, 'conversation:close', {
			conversationId: sent.data.message.conversationId,
		} );
		expect( closed.ok ).toBe( true );
		await service.app.domain.sweeps.sweep();
		expect( wordpress.notifications ).toEqual( [] );
	} );
} );

describe( 'CHATFLOWS_WORDPRESS_URL', () => {
	const base = {
		CHATFLOWS_SECRET: SECRET,
		CHATFLOWS_ALLOWED_ORIGINS: 'http://localhost:8888',
	};

	it( 'is optional and read as the WordPress site', () => {
		expect( loadConfig( base ).wordpressUrl ).toBeNull();
		expect(
			loadConfig( {
				...base,
				CHATFLOWS_WORDPRESS_URL: 'http://localhost:8888',
			} ).wordpressUrl
		).toBe( 'http://localhost:8888' );
	} );

	it( 'refuses what is not an http(s) URL, naming the variable', () => {
		expect( () =>
			loadConfig( { ...base, CHATFLOWS_WORDPRESS_URL: 'localhost:8888' } )
		).toThrow( ConfigError );
		expect( () =>
			loadConfig( { ...base, CHATFLOWS_WORDPRESS_URL: 'ftp://site' } )
		).toThrow( /CHATFLOWS_WORDPRESS_URL/ );
	} );
} );

describe( 'CHATFLOWS_DATABASE_POOL_SIZE', () => {
	const base = {
		CHATFLOWS_SECRET: SECRET,
		CHATFLOWS_ALLOWED_ORIGINS: 'http://localhost:8888',
		CHATFLOWS_DATABASE_URL: 'postgres://chat:pw@127.0.0.1:5432/chat',
	};

	it( 'defaults to 20 connections and reads a number', () => {
		expect( loadConfig( base ).databasePoolSize ).toBe( 20 );
		expect(
			loadConfig( { ...base, CHATFLOWS_DATABASE_POOL_SIZE: '50' } )
				.databasePoolSize
		).toBe( 50 );
	} );

	it( 'refuses what is not 1–500 connections, naming the variable', () => {
		for ( const wrong of [ '0', '501', '2.5', 'many' ] ) {
			expect( () =>
				loadConfig( { ...base, CHATFLOWS_DATABASE_POOL_SIZE: wrong } )
			).toThrow( /CHATFLOWS_DATABASE_POOL_SIZE/ );
		}
	} );
} );
