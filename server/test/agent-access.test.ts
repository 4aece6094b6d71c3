/**
 * Agents keep access only while WordPress says so, with real sockets: a
 * connection ends when its token expires unless the inbox renews it on the
 * open socket, and a rights change WordPress reports (signed) re-scopes or
 * ends the user's open connections at once.
 */
import { SignJWT } from 'jose';
import {
	AGENT_ACCESS_PATH,
	type AuthEnded,
	type ChatMessage,
	type CompiledChatflow,
	type ServiceConfiguration,
} from '@chatflows/protocol';
import {
	SECRET,
	agentAsk,
	cleanup,
	connectVisitor,
	expectConnectError,
	flushAgent,
	nextEvent,
	openAgent,
	record,
	reportAgentRights,
	sendMessage,
	signedHeaders,
	startService,
	type AgentClient,
	type TestService,
} from './helpers';
import { chatflow } from './repository-domain';

jest.setTimeout( 30_000 );

afterEach( cleanup );

const SUPPORT = 'inbox-support';
const SALES = 'inbox-sales';

/** Long enough for a loaded machine; the events arrive well before. */
const EVENT_WAIT_MS = 15_000;

function flow( id: string, inboxId: string ): CompiledChatflow {
	return {
		...chatflow( id, 1 ),
		inboxId,
		assignment: { enabled: false, userIds: [], teamIds: [], rules: [] },
	};
}

const configuration: ServiceConfiguration = {
	siteUrl: 'http://localhost:8888',
	allowedOrigins: [],
	chatflows: [ flow( 'support', SUPPORT ), flow( 'sales', SALES ) ],
	agents: [
		{
			id: '7',
			name: 'Ann',
			capacity: 5,
			teamIds: [],
			inboxIds: [ SUPPORT, SALES ],
		},
	],
	teams: [],
	inboxes: [
		{ id: SUPPORT, name: 'Support' },
		{ id: SALES, name: 'Sales' },
	],
};

/** Ann's rights once WordPress took her out of the sales inbox. */
const supportOnly = {
	userId: '7',
	caps: [ 'chatflows_answer' ],
	teams: [],
	inboxes: [ SUPPORT ],
};

const nowSeconds = () => Math.floor( Date.now() / 1000 );

/**
 * An agent token as WordPress signs it.
 *
 * @param options         Claims.
 * @param options.userId  The user ('7' when omitted).
 * @param options.inboxes The user's inboxes (support and sales when omitted).
 * @param options.iat     Signed at, Unix seconds (now when omitted).
 * @param options.exp     Expires at, Unix seconds (in 5 minutes when omitted).
 */
async function token(
	options: {
		userId?: string;
		inboxes?: string[];
		iat?: number;
		exp?: number;
	} = {}
): Promise< string > {
	const iat = options.iat ?? nowSeconds();
	return new SignJWT( {
		name: 'Ann',
		caps: [ 'chatflows_answer' ],
		teams: [],
		inboxes: options.inboxes ?? [ SUPPORT, SALES ],
	} )
		.setProtectedHeader( { alg: 'HS256', typ: 'JWT' } )
		.setIssuer( 'http://localhost:8888' )
		.setAudience( 'chatflows-service' )
		.setSubject( options.userId ?? '7' )
		.setIssuedAt( iat )
		.setExpirationTime( options.exp ?? iat + 300 )
		.sign( new TextEncoder().encode( SECRET ) );
}

async function agentWith(
	service: { url: string },
	signed: string
): Promise< AgentClient > {
	const socket = openAgent( service as TestService, { token: signed } );
	await new Promise< void >( ( resolve, reject ) => {
		socket.once( 'connect', resolve );
		socket.once( 'connect_error', reject );
	} );
	return socket;
}

/**
 * Resolves with what the service says before it ends the connection, and
 * the disconnect reason the client saw.
 *
 * @param socket An agent socket.
 */
function ending(
	socket: AgentClient
): Promise< { ended: AuthEnded; reason: string } > {
	return new Promise( ( resolve, reject ) => {
		let ended: AuthEnded | null = null;
		const timer = setTimeout(
			() => reject( new Error( 'the connection did not end' ) ),
			EVENT_WAIT_MS
		);
		(
			socket as unknown as {
				on: ( event: string, listener: ( value: any ) => void ) => void;
			}
		 ).on( 'auth:ended', ( value: AuthEnded ) => {
			ended = value;
		} );
		socket.on( 'disconnect', ( reason ) => {
			clearTimeout( timer );
			if ( ! ended ) {
				reject( new Error( `disconnected (${ reason }) unannounced` ) );
				return;
			}
			resolve( { ended, reason } );
		} );
	} );
}

async function configured(): Promise< TestService > {
	const service = await startService();
	await service.app.configuration.replace( configuration );
	return service;
}

describe( 'a rights change WordPress reports', () => {
	it( 'ends a demoted agent’s open connection, and the token signed before is refused', async () => {
		const service = await configured();
		const signedBefore = await token( { iat: nowSeconds() - 10 } );
		const agent = await agentWith( service, signedBefore );
		const visitor = ( await connectVisitor( service ) ).socket;
		const conversationId = await sendMessage( visitor, 'Hello?' );
		// Before: the agent lists, reads and replies.
		const listed = await agentAsk( agent, 'inbox:list', {} );
		expect(
			listed.ok && listed.data.conversations.map( ( c ) => c.id )
		).toEqual( [ conversationId ] );
		expect(
			(
				await agentAsk( agent, 'conversation:messages', {
					conversationId,
				} )
			).ok
		).toBe( true );

		const ended = ending( agent );
		// Demoted to subscriber: no chatflows capability left.
		expect(
			await reportAgentRights( service, {
				changedAt: nowSeconds(),
				agents: [ { userId: '7', caps: [], teams: [], inboxes: [] } ],
			} )
		).toBe( 200 );
		expect( await ended ).toEqual( {
			ended: {
				code: 'access_revoked',
				message: expect.any( String ),
			},
			reason: 'io server disconnect',
		} );
		// Nothing the visitor writes reaches the socket any more.
		const heard = record< ChatMessage >( agent, 'message:new' );
		await sendMessage( visitor, 'Anyone?' );
		expect( heard ).toEqual( [] );
		expect( agent.connected ).toBe( false );

		// The token signed before the change cannot open a new connection.
		const again = openAgent( service, { token: signedBefore } );
		expect( ( await expectConnectError( again ) ).data?.code ).toBe(
			'token_invalid'
		);
	} );

	it( 'ends a deleted user’s connections, every tab', async () => {
		const service = await configured();
		const tabs = [
			await agentWith( service, await token() ),
			await agentWith( service, await token() ),
		];
		const other = await agentWith(
			service,
			await token( { userId: '8' } )
		);
		const ended = tabs.map( ending );
		expect(
			await reportAgentRights( service, {
				changedAt: nowSeconds(),
				agents: [ { userId: '7', revoked: true } ],
			} )
		).toBe( 200 );
		for ( const end of ended ) {
			expect( ( await end ).ended.code ).toBe( 'access_revoked' );
		}
		// Someone else's connection stays.
		expect( ( await agentAsk( other, 'inbox:list', {} ) ).ok ).toBe( true );
	} );

	it( 'narrows an agent removed from an inbox: no list, read, reply or live event of it', async () => {
		const service = await configured();
		const agent = await agentWith( service, await token() );
		const salesVisitor = (
			await connectVisitor( service, { chatflowId: 'sales' } )
		).socket;
		const supportVisitor = (
			await connectVisitor( service, { chatflowId: 'support' } )
		).socket;
		const sales = await sendMessage( salesVisitor, 'Price?' );
		const support = await sendMessage( supportVisitor, 'Password?' );

		const told = nextEvent( agent, 'auth:changed' );
		expect(
			await reportAgentRights( service, {
				changedAt: nowSeconds(),
				agents: [ supportOnly ],
			} )
		).toBe( 200 );
		expect( await told ).toEqual( {} );

		// The same socket, still connected, now sees only the support inbox.
		const listed = await agentAsk( agent, 'inbox:list', {} );
		expect(
			listed.ok && listed.data.conversations.map( ( c ) => c.id )
		).toEqual( [ support ] );
		for ( const answer of [
			await agentAsk( agent, 'conversation:messages', {
				conversationId: sales,
			} ),
			await agentAsk( agent, 'message:send', {
				conversationId: sales,
				clientId: 'a-1',
				body: 'Still here',
			} ),
		] ) {
			expect( answer ).toMatchObject( {
				ok: false,
				error: { code: 'not_found' },
			} );
		}
		const heard = record< ChatMessage >( agent, 'message:new' );
		await sendMessage( salesVisitor, 'Hello again' );
		const supportArrives = nextEvent< ChatMessage >( agent, 'message:new' );
		await sendMessage( supportVisitor, 'And me' );
		await supportArrives;
		await flushAgent( agent );
		expect( heard.map( ( message ) => message.body ) ).toEqual( [
			'And me',
		] );
	} );

	it( 'refuses an unsigned or malformed report, naming the field', async () => {
		const service = await configured();
		const agent = await agentWith( service, await token() );
		const body = JSON.stringify( {
			changedAt: nowSeconds(),
			agents: [ { userId: '7', revoked: true } ],
		} );
		const unsigned = await fetch( service.url + AGENT_ACCESS_PATH, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json' },
			body,
		} );
		expect( unsigned.status ).toBe( 401 );
		const bad = JSON.stringify( { changedAt: 'soon', agents: [] } );
		const malformed = await fetch( service.url + AGENT_ACCESS_PATH, {
			method: 'POST',
			headers: signedHeaders( 'POST', AGENT_ACCESS_PATH, bad ),
			body: bad,
		} );
		expect( malformed.status ).toBe( 400 );
		const answer = ( await malformed.json() ) as {
			error: { code: string; fields: Array< { field: string } > };
		};
		expect( answer.error.code ).toBe( 'invalid_payload' );
		expect( answer.error.fields.map( ( f ) => f.field ).sort() ).toEqual( [
			'agents',
			'changedAt',
		] );
		expect( ( await agentAsk( agent, 'inbox:list', {} ) ).ok ).toBe( true );
	} );
} );

describe( 'token expiry on an open connection', () => {
	it( 'tells a connection whose token expired `token_expired` and disconnects it', async () => {
		const service = await configured();
		// Expired 2 s ago: still within the clock tolerance at connection.
		const agent = await agentWith(
			service,
			await token( { iat: nowSeconds() - 300, exp: nowSeconds() - 2 } )
		);
		const { ended, reason } = await ending( agent );
		expect( ended.code ).toBe( 'token_expired' );
		expect( reason ).toBe( 'io server disconnect' );
	} );

	it( 'keeps a connection whose token was renewed on it', async () => {
		const service = await configured();
		const soon = { iat: nowSeconds() - 300, exp: nowSeconds() - 2 };
		const renewed = await agentWith( service, await token( soon ) );
		const answer = await agentAsk( renewed, 'auth:renew', {
			token: await token(),
		} );
		expect( answer ).toEqual( {
			ok: true,
			data: { exp: expect.any( Number ) },
		} );
		// A witness connected later with the same old expiry: once it is cut,
		// the renewed connection's old expiry has passed too.
		const witness = await agentWith( service, await token( soon ) );
		const renewedDisconnects = record( renewed, 'disconnect' );
		expect( ( await ending( witness ) ).ended.code ).toBe(
			'token_expired'
		);
		expect( renewedDisconnects ).toEqual( [] );
		expect( renewed.connected ).toBe( true );
		expect( ( await agentAsk( renewed, 'inbox:list', {} ) ).ok ).toBe(
			true
		);
	} );

	it( 'refuses a renewal with another user’s, an expired or a forged token', async () => {
		const service = await configured();
		const agent = await agentWith( service, await token() );
		const cases: Array< [ string, string ] > = [
			[ await token( { userId: '8' } ), 'token_invalid' ],
			[
				await token( {
					iat: nowSeconds() - 600,
					exp: nowSeconds() - 60,
				} ),
				'token_expired',
			],
			[ 'not-a-token', 'token_invalid' ],
		];
		for ( const [ presented, code ] of cases ) {
			expect(
				await agentAsk( agent, 'auth:renew', { token: presented } )
			).toMatchObject( { ok: false, error: { code } } );
		}
		expect(
			await agentAsk( agent, 'auth:renew', {
				token: '',
			} as never )
		).toMatchObject( {
			ok: false,
			error: { code: 'invalid_payload', message: /token/ },
		} );
	} );

	it( 'refuses a renewal with a token signed before the rights changed, and takes the new scope from a fresh one', async () => {
		const service = await configured();
		const signedBefore = await token( { iat: nowSeconds() - 10 } );
		const agent = await agentWith( service, signedBefore );
		await reportAgentRights( service, {
			changedAt: nowSeconds(),
			agents: [ supportOnly ],
		} );
		expect(
			await agentAsk( agent, 'auth:renew', { token: signedBefore } )
		).toMatchObject( { ok: false, error: { code: 'token_invalid' } } );
		const salesVisitor = (
			await connectVisitor( service, { chatflowId: 'sales' } )
		).socket;
		const sales = await sendMessage( salesVisitor, 'Price?' );
		expect(
			(
				await agentAsk( agent, 'conversation:messages', {
					conversationId: sales,
				} )
			).ok
		).toBe( false );
		// WordPress adds the user to sales again; the next token says so.
		expect(
			(
				await agentAsk( agent, 'auth:renew', {
					token: await token( { iat: nowSeconds() + 1 } ),
				} )
			).ok
		).toBe( true );
		expect(
			(
				await agentAsk( agent, 'conversation:messages', {
					conversationId: sales,
				} )
			).ok
		).toBe( true );
	} );
} );
