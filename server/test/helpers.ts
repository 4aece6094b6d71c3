/**
 * Test helpers: real HTTP servers on port 0, real SQLite files in temporary
 * folders, real socket.io clients.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import pino from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import {
	AGENT_NAMESPACE,
	VISITOR_NAMESPACE,
	type Ack,
	type AckCallback,
	type AgentClientToServerEvents,
	type AgentServerToClientEvents,
	type ConnectErrorData,
	type ConsentGrant,
	type ConsentRecord,
	type ConversationContext,
	type VisitorClientToServerEvents,
	type VisitorHandshake,
	type VisitorServerToClientEvents,
	type VisitorSession,
} from '../src/contract/events';
import {
	createApplication,
	createHttpApp,
	type ApplicationDeps,
	type ChatApplication,
} from '../src/app';
import { openSqliteRepository } from '../src/repository/sqlite';
import {
	NONCE_HEADER,
	SIGNATURE_HEADER,
	signRequest,
	TIMESTAMP_HEADER,
	verifySignature,
	type SignatureFailure,
} from '../src/configuration/signature';
import { REST_PREFIX } from '../src/configuration/wordpress';
import type { ChatRepository } from '../src/repository/types';

export const SECRET = 'test-secret-that-is-long-enough-0123456789';
export const ORIGIN = 'http://localhost:8888';
export const OTHER_ALLOWED_ORIGIN = 'http://127.0.0.1:8888';
export const ALLOWED_ORIGINS = [ ORIGIN, OTHER_ALLOWED_ORIGIN ];
export const CHATFLOW_ID = 'support';
export const PAGE_URL = 'http://localhost:8888/pricing/';

/** How long to wait for an acknowledgement or an event before failing. */
export const WAIT_MS = 3000;

export type VisitorClient = Socket<
	VisitorServerToClientEvents,
	VisitorClientToServerEvents
>;
export type AgentClient = Socket<
	AgentServerToClientEvents,
	AgentClientToServerEvents
>;
export type ConnectErrorWithData = Error & { data?: ConnectErrorData };

/** A client without the contract's types, to send what the contract forbids. */
export interface LooseClient {
	emit: ( event: string, ...args: unknown[] ) => unknown;
	timeout: ( ms: number ) => {
		emitWithAck: ( event: string, ...args: unknown[] ) => Promise< any >;
	};
}

export function loose( socket: VisitorClient | AgentClient ): LooseClient {
	return socket as unknown as LooseClient;
}

/* ---------- temporary folders ---------- */

const tempDirs: string[] = [];

export function makeTempDir(): string {
	const dir = fs.mkdtempSync( path.join( os.tmpdir(), 'chatflows-test-' ) );
	tempDirs.push( dir );
	return dir;
}

export function removeTempDirs(): void {
	for ( const dir of tempDirs.splice( 0 ) ) {
		fs.rmSync( dir, { recursive: true, force: true } );
	}
}

/* ---------- service ---------- */

export interface TestService {
	url: string;
	port: number;
	dbFile: string;
	app: ChatApplication;
	repository: ChatRepository;
	/** Drains the app, then closes the database. */
	stop: () => Promise< void >;
}

const services: TestService[] = [];

/**
 * Starts a service on a free port with its own SQLite file.
 *
 * @param options              Options.
 * @param options.dbFile       Database file to (re)open; a new temporary one by default.
 * @param options.clock        Clock for the app.
 * @param options.deps         More application dependencies (limits, …).
 * @param options.repository   A repository to use instead of the SQLite file
 *                             (e.g. PostgreSQL); the service closes it when stopped.
 * @param options.metricsToken The token `/metrics` asks for; not served without one.
 */
export async function startService(
	options: {
		dbFile?: string;
		clock?: () => Date;
		deps?: Partial< ApplicationDeps >;
		repository?: ChatRepository;
		metricsToken?: string;
	} = {}
): Promise< TestService > {
	const dbFile =
		options.dbFile ?? path.join( makeTempDir(), 'db', 'chatflows.sqlite' );
	const repository = options.repository ?? openSqliteRepository( dbFile );
	let app: ChatApplication | null = null;
	const httpServer = http.createServer(
		createHttpApp( {
			isDraining: () => app?.isDraining() ?? true,
			metrics: () => app?.metrics,
			metricsToken: options.metricsToken,
			routes: () => app?.routes,
		} )
	);
	app = createApplication( httpServer, {
		repository,
		secret: SECRET,
		allowedOrigins: ALLOWED_ORIGINS,
		logger: pino( { level: 'silent' } ),
		clock: options.clock,
		...options.deps,
	} );
	await new Promise< void >( ( resolve ) =>
		httpServer.listen( 0, '127.0.0.1', resolve )
	);
	await app.ready;
	const port = ( httpServer.address() as AddressInfo ).port;
	const running = app;
	let stopped: Promise< void > | null = null;
	const service: TestService = {
		url: `http://127.0.0.1:${ port }`,
		port,
		dbFile,
		app: running,
		repository,
		stop: () => {
			if ( ! stopped ) {
				stopped = running.close().then( () => repository.close() );
			}
			return stopped;
		},
	};
	services.push( service );
	return service;
}

/* ---------- signed calls ---------- */

/**
 * The headers of a call to the service signed as WordPress signs it.
 *
 * @param method         HTTP method.
 * @param target         Path and query on the service.
 * @param body           The exact body ('' for none).
 * @param options        Options.
 * @param options.secret The secret (SECRET by default).
 * @param options.now    The time (now by default).
 */
export function signedHeaders(
	method: string,
	target: string,
	body: string,
	options: { secret?: string; now?: Date } = {}
): Record< string, string > {
	return {
		'Content-Type': 'application/json',
		...signRequest(
			options.secret ?? SECRET,
			{ method, target, body },
			options.now ?? new Date()
		).headers,
	};
}

/**
 * Checks a call the service made to a stand-in WordPress, as WordPress does:
 * the REST route (the path after `/wp-json`) is what is signed.
 *
 * @param req  The request received.
 * @param body Its raw body.
 */
export function verifyAsWordPress(
	req: http.IncomingMessage,
	body: Buffer | string
): SignatureFailure | null {
	const url = String( req.url );
	if ( ! url.startsWith( REST_PREFIX + '/' ) ) {
		return 'signature_invalid';
	}
	const header = ( name: string ) => {
		const value = req.headers[ name ];
		return typeof value === 'string' ? value : undefined;
	};
	return verifySignature(
		SECRET,
		{
			timestamp: header( TIMESTAMP_HEADER ),
			nonce: header( NONCE_HEADER ),
			signature: header( SIGNATURE_HEADER ),
		},
		{
			method: String( req.method ),
			target: url.slice( REST_PREFIX.length ),
			body,
		},
		new Date()
	);
}

/* ---------- clients ---------- */

const clients: Array< VisitorClient | AgentClient > = [];

interface ClientOptions {
	origin?: string | null;
	transports?: Array< 'polling' | 'websocket' >;
}

function clientOptions( auth: object, options: ClientOptions ) {
	const origin = options.origin === undefined ? ORIGIN : options.origin;
	const extraHeaders: Record< string, string > = {};
	if ( origin !== null ) {
		extraHeaders.origin = origin;
	}
	return {
		auth: auth as Record< string, unknown >,
		forceNew: true,
		reconnection: false,
		timeout: WAIT_MS,
		transports: options.transports ?? [ 'polling', 'websocket' ],
		extraHeaders,
	};
}

/**
 * Opens a visitor socket, not waiting for anything.
 *
 * @param service The service.
 * @param auth    Handshake; `chatflowId` defaults to CHATFLOW_ID and `pageUrl` to PAGE_URL.
 * @param options Origin and transports.
 */
export function openVisitor(
	service: TestService,
	auth: Partial< VisitorHandshake > | Record< string, unknown > = {},
	options: ClientOptions = {}
): VisitorClient {
	const socket: VisitorClient = connect(
		service.url + VISITOR_NAMESPACE,
		clientOptions(
			{ chatflowId: CHATFLOW_ID, pageUrl: PAGE_URL, ...auth },
			options
		)
	);
	clients.push( socket );
	return socket;
}

/**
 * Connects a visitor and waits for the session the service sends.
 *
 * @param service The service.
 * @param auth    Handshake overrides.
 * @param options Origin and transports.
 */
export async function connectVisitor(
	service: TestService,
	auth: Partial< VisitorHandshake > = {},
	options: ClientOptions = {}
): Promise< { socket: VisitorClient; session: VisitorSession } > {
	const socket = openVisitor( service, auth, options );
	const session = await new Promise< VisitorSession >(
		( resolve, reject ) => {
			socket.once( 'session', resolve );
			socket.once( 'connect_error', reject );
		}
	);
	return { socket, session };
}

export function openAgent(
	service: TestService,
	auth: Record< string, unknown >,
	options: ClientOptions = {}
): AgentClient {
	const socket: AgentClient = connect(
		service.url + AGENT_NAMESPACE,
		clientOptions( auth, options )
	);
	clients.push( socket );
	return socket;
}

/**
 * Connects an agent with a token (a valid one by default).
 *
 * @param service The service.
 * @param token   The token; signed with signAgentToken() when omitted.
 */
export async function connectAgent(
	service: TestService,
	token?: string
): Promise< AgentClient > {
	const socket = openAgent( service, {
		token: token ?? ( await signAgentToken() ),
	} );
	await new Promise< void >( ( resolve, reject ) => {
		socket.once( 'connect', resolve );
		socket.once( 'connect_error', reject );
	} );
	return socket;
}

/**
 * Resolves with the `connect_error` of a socket; fails if it connects instead.
 *
 * @param socket A socket that is connecting.
 */
export function expectConnectError(
	socket: VisitorClient | AgentClient | Socket
): Promise< ConnectErrorWithData > {
	const target = socket as Socket;
	return new Promise( ( resolve, reject ) => {
		target.once( 'connect', () =>
			reject( new Error( 'connected, but a refusal was expected' ) )
		);
		target.once( 'connect_error', ( error: Error ) =>
			resolve( error as ConnectErrorWithData )
		);
	} );
}

type PayloadOf< F > = F extends ( payload: infer P, ack: never ) => void
	? P
	: never;
type AckOf< F > = F extends (
	payload: never,
	ack: AckCallback< infer T >
) => void
	? Ack< T >
	: never;

/**
 * Sends a visitor event and resolves with its typed acknowledgement.
 *
 * @param socket  A connected visitor socket.
 * @param event   Event name.
 * @param payload Payload per the contract.
 */
export function visitorAsk< E extends keyof VisitorClientToServerEvents >(
	socket: VisitorClient,
	event: E,
	payload: PayloadOf< VisitorClientToServerEvents[ E ] >
): Promise< AckOf< VisitorClientToServerEvents[ E ] > > {
	return loose( socket ).timeout( WAIT_MS ).emitWithAck( event, payload );
}

/**
 * Sends an agent event and resolves with its typed acknowledgement.
 *
 * @param socket  A connected agent socket.
 * @param event   Event name.
 * @param payload Payload per the contract.
 */
export function agentAsk< E extends keyof AgentClientToServerEvents >(
	socket: AgentClient,
	event: E,
	payload: PayloadOf< AgentClientToServerEvents[ E ] >
): Promise< AckOf< AgentClientToServerEvents[ E ] > > {
	return loose( socket ).timeout( WAIT_MS ).emitWithAck( event, payload );
}

/**
 * Waits for one event and resolves with its first argument.
 *
 * @param socket The socket.
 * @param event  Event name.
 */
export function nextEvent< T = unknown >(
	socket: VisitorClient | AgentClient,
	event: string
): Promise< T > {
	const target = socket as unknown as {
		once: ( name: string, listener: ( value: T ) => void ) => void;
		off: ( name: string, listener: ( value: T ) => void ) => void;
	};
	return new Promise( ( resolve, reject ) => {
		const timer = setTimeout( () => {
			target.off( event, listener );
			reject( new Error( `no "${ event }" within ${ WAIT_MS } ms` ) );
		}, WAIT_MS );
		const listener = ( value: T ) => {
			clearTimeout( timer );
			resolve( value );
		};
		target.once( event, listener );
	} );
}

/**
 * Collects every occurrence of an event from now on.
 *
 * @param socket The socket.
 * @param event  Event name.
 * @return The array the events are pushed into.
 */
export function record< T = unknown >(
	socket: VisitorClient | AgentClient,
	event: string
): T[] {
	const received: T[] = [];
	(
		socket as unknown as LooseClient & {
			on: ( name: string, listener: ( value: T ) => void ) => void;
		}
	 ).on( event, ( value: T ) => received.push( value ) );
	return received;
}

export function sleep( ms: number ): Promise< void > {
	return new Promise( ( resolve ) => setTimeout( resolve, ms ) );
}

/**
 * Polls until a condition holds, for state the service reaches on its own.
 *
 * @param condition What must hold.
 * @param what      What is awaited, for the timeout's message.
 */
export async function until(
	condition: () => boolean | Promise< boolean >,
	what: string
): Promise< void > {
	const deadline = Date.now() + 5000;
	while ( ! ( await condition() ) ) {
		if ( Date.now() > deadline ) {
			throw new Error( `Timed out waiting for ${ what }` );
		}
		await sleep( 20 );
	}
}

/**
 * Sends a visitor message that must be accepted.
 *
 * @param socket   A connected visitor socket.
 * @param body     The message.
 * @param clientId The message's client id (a fresh one by default).
 * @return The conversation the message went to.
 */
export async function sendMessage(
	socket: VisitorClient,
	body: string,
	clientId = `c-${ Math.random().toString( 36 ).slice( 2 ) }`
): Promise< string > {
	const sent = await visitorAsk( socket, 'message:send', { clientId, body } );
	if ( ! sent.ok ) {
		throw new Error( `send failed: ${ sent.error.message }` );
	}
	return sent.data.message.conversationId;
}

/**
 * Records a visitor's consent answer.
 *
 * @param socket A connected visitor socket.
 * @param grant  What the visitor answered.
 * @return The record the service stored (or had already).
 */
export async function recordConsent(
	socket: VisitorClient,
	grant: ConsentGrant
): Promise< ConsentRecord > {
	const answer = await visitorAsk( socket, 'consent:record', grant );
	if ( ! answer.ok ) {
		throw new Error( `consent refused: ${ answer.error.message }` );
	}
	return answer.data.record;
}

/**
 * Asks for a conversation's context as an agent sees it.
 *
 * @param agent          A connected agent socket.
 * @param conversationId The conversation.
 */
export async function contextOf(
	agent: AgentClient,
	conversationId: string
): Promise< ConversationContext > {
	const answer = await agentAsk( agent, 'conversation:context', {
		conversationId,
	} );
	if ( ! answer.ok ) {
		throw new Error( answer.error.message );
	}
	return answer.data;
}

/**
 * A round trip through the service: once acknowledged, everything the service
 * emitted before it has reached this client too (same connection, in order).
 *
 * @param socket A connected visitor socket.
 */
export async function flushVisitor( socket: VisitorClient ): Promise< void > {
	await visitorAsk( socket, 'conversation:resume', {} );
}

export async function flushAgent( socket: AgentClient ): Promise< void > {
	await agentAsk( socket, 'inbox:list', {} );
}

/* ---------- tokens ---------- */

export interface TokenOptions {
	secret?: string;
	audience?: string;
	/** Seconds from now; negative for an expired token. */
	expiresIn?: number;
	claims?: Record< string, unknown >;
	/** The agent's WordPress user id ('7' when omitted). */
	subject?: string;
}

/**
 * Signs an agent token the way WordPress does.
 *
 * @param options Overrides for the secret, audience, expiry and claims.
 */
export async function signAgentToken(
	options: TokenOptions = {}
): Promise< string > {
	const now = Math.floor( Date.now() / 1000 );
	return new SignJWT( {
		name: 'Alice Agent',
		caps: [ 'chatflows_answer' ],
		...options.claims,
	} )
		.setProtectedHeader( { alg: 'HS256', typ: 'JWT' } )
		.setIssuer( 'http://localhost:8888' )
		.setAudience( options.audience ?? 'chatflows-service' )
		.setSubject( options.subject ?? '7' )
		.setIssuedAt( now )
		.setExpirationTime( now + ( options.expiresIn ?? 300 ) )
		.sign( new TextEncoder().encode( options.secret ?? SECRET ) );
}

/**
 * Signs an identification token the way WordPress does.
 *
 * @param email             The contact's e-mail.
 * @param options           Overrides.
 * @param options.secret    Another secret than the service's.
 * @param options.audience  Another audience.
 * @param options.expiresIn Seconds from now; negative for an expired token.
 * @param options.name      The contact's name ('Ann Example' when omitted).
 */
export async function signIdentificationToken(
	email: string,
	options: {
		secret?: string;
		audience?: string;
		expiresIn?: number;
		name?: string;
	} = {}
): Promise< string > {
	const now = Math.floor( Date.now() / 1000 );
	return new SignJWT( { email, name: options.name ?? 'Ann Example' } )
		.setProtectedHeader( { alg: 'HS256', typ: 'JWT' } )
		.setIssuer( 'http://localhost:8888' )
		.setAudience( options.audience ?? 'chatflows-identification' )
		.setIssuedAt( now )
		.setExpirationTime( now + ( options.expiresIn ?? 600 ) )
		.sign( new TextEncoder().encode( options.secret ?? SECRET ) );
}

/* ---------- cleanup ---------- */

/** Disconnects every client, stops every service, removes temporary folders. */
export async function cleanup(): Promise< void > {
	for ( const socket of clients.splice( 0 ) ) {
		socket.disconnect();
	}
	await Promise.all(
		services.splice( 0 ).map( ( service ) => service.stop() )
	);
	removeTempDirs();
}
