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
	type Ack,
	type AckCallback,
	AGENT_ACCESS_PATH,
	AGENT_NAMESPACE,
	type AgentAccessChange,
	type AgentClientToServerEvents,
	type AgentServerToClientEvents,
	type CompiledChatflow,
	type ConnectErrorData,
	type ConsentGrant,
	type ConsentRecord,
	type ConversationContext,
	EMAIL_CONFIRMATION_PATH,
	type ServiceConfiguration,
	VISITOR_NAMESPACE,
	type VisitorClientToServerEvents,
	type VisitorHandshake,
	type VisitorServerToClientEvents,
	type VisitorSession,
} from '@chatflows/protocol';
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
} from '../src/chatflow-sync/signature';
import { REST_PREFIX } from '../src/chatflow-sync/wordpress';
// The bench publishes the same one.
import OPEN_CHATFLOW from '../bench/open-chatflow.json';
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

/**
 * A published chatflow that names nobody: in no known inbox (every agent
 * sees it), any agent may take its conversations, always available.
 *
 * @param id Chatflow id.
 */
export function openChatflow( id: string ): CompiledChatflow {
	return {
		...( OPEN_CHATFLOW as CompiledChatflow ),
		id,
		name: `Chatflow ${ id }`,
	};
}

/**
 * What a service starts with unless a test says otherwise: the chatflows
 * the tests' visitors use, published, and no directory.
 */
export const TEST_CONFIGURATION: ServiceConfiguration = {
	siteUrl: '',
	allowedOrigins: [],
	chatflows: [ openChatflow( CHATFLOW_ID ), openChatflow( 'sales' ) ],
	agents: [],
	teams: [],
	inboxes: [],
};

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
 * @param options               Options.
 * @param options.dbFile        Database file to (re)open; a new temporary one by default.
 * @param options.clock         Clock for the app.
 * @param options.deps          More application dependencies (limits, …).
 * @param options.repository    A repository to use instead of the SQLite file
 *                              (e.g. PostgreSQL); the service closes it when stopped.
 * @param options.configuration What WordPress sent before the test begins
 *                              (TEST_CONFIGURATION by default; null: nothing, or what
 *                              the database holds).
 * @param options.metricsToken  The token `/metrics` asks for; not served without one.
 */
export async function startService(
	options: {
		dbFile?: string;
		clock?: () => Date;
		deps?: Partial< ApplicationDeps >;
		repository?: ChatRepository;
		configuration?: ServiceConfiguration | null;
		metricsToken?: string;
	} = {}
): Promise< TestService > {
	const dbFile =
		options.dbFile ?? path.join( makeTempDir(), 'db', 'chatflows.sqlite' );
	const repository = options.repository ?? openSqliteRepository( dbFile );
	let app: ChatApplication | null = null;
	const httpServer = http.createServer(
		createHttpApp( {
			clientAddresses: options.deps?.clientAddresses,
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
		logger: pino( { level: process.env.TEST_LOG ?? 'silent' } ),
		clock: options.clock,
		...options.deps,
	} );
	await new Promise< void >( ( resolve ) =>
		httpServer.listen( 0, '127.0.0.1', resolve )
	);
	await app.ready;
	const seeded =
		options.configuration === undefined
			? TEST_CONFIGURATION
			: options.configuration;
	// A reopened database keeps what it was sent.
	if ( seeded && ! app.configuration.known ) {
		await app.configuration.replace( seeded );
	}
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
	/** More handshake headers (`X-Forwarded-For`, …). */
	headers?: Record< string, string >;
	/** Connect from this loopback address (`127.0.0.2`); WebSocket only then. */
	localAddress?: string;
}

function clientOptions( auth: object, options: ClientOptions ) {
	const origin = options.origin === undefined ? ORIGIN : options.origin;
	const extraHeaders: Record< string, string > = { ...options.headers };
	if ( origin !== null ) {
		extraHeaders.origin = origin;
	}
	return {
		auth: auth as Record< string, unknown >,
		forceNew: true,
		reconnection: false,
		timeout: WAIT_MS,
		transports:
			options.transports ??
			( options.localAddress
				? [ 'websocket' as const ]
				: [ 'polling' as const, 'websocket' as const ] ),
		extraHeaders,
		localAddress: options.localAddress,
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
 * A signed POST, as WordPress sends it.
 *
 * @param service  The service.
 * @param endpoint The endpoint's path.
 * @param body     The JSON body.
 * @param secret   The secret to sign with.
 * @param now      The signature's time (the service's clock).
 * @return The status and the JSON answer.
 */
export async function signedPost< T = unknown >(
	service: TestService,
	endpoint: string,
	body: unknown,
	secret = SECRET,
	now = new Date()
): Promise< { status: number; json: T } > {
	const raw = JSON.stringify( body );
	const response = await fetch( `${ service.url }${ endpoint }`, {
		method: 'POST',
		headers: signedHeaders( 'POST', endpoint, raw, { secret, now } ),
		body: raw,
	} );
	return { status: response.status, json: ( await response.json() ) as T };
}

/**
 * The token of the newest confirmation link the service asked WordPress to
 * e-mail to an address (from its notification queue, as WordPress would get it).
 *
 * @param service The service.
 * @param email   The address.
 * @return The token, or null when none was asked for.
 */
export async function confirmationTokenFor(
	service: TestService,
	email: string
): Promise< string | null > {
	return ( await confirmationTokensFor( service, email ) ).at( -1 ) ?? null;
}

/**
 * The tokens of every confirmation link the service asked WordPress to
 * e-mail to an address and WordPress has not taken yet.
 *
 * @param service The service.
 * @param email   The address.
 */
async function confirmationTokensFor(
	service: TestService,
	email: string
): Promise< string[] > {
	const due = await service.repository.listDueNotifications(
		'9999-12-31T00:00:00.000Z',
		1000
	);
	return due
		.filter(
			( pending ) =>
				pending.notification.type === 'email_confirmation' &&
				pending.notification.visitor.email?.toLowerCase() ===
					email.trim().toLowerCase()
		)
		.map( ( pending ) => pending.notification.confirmationToken ?? '' );
}

/**
 * Gives an e-mail address as the visitor (`contact:email`) and confirms it
 * as its owner does: the link WordPress e-mails, clicked, posted back
 * signed. Only then is the visitor linked to the contact.
 *
 * @param service The service.
 * @param socket  A connected visitor socket.
 * @param email   The address.
 * @param name    The name typed with it.
 * @param now     The service's clock.
 * @return The contact's id.
 */
export async function giveAndConfirmEmail(
	service: TestService,
	socket: VisitorClient,
	email: string,
	name?: string,
	now = new Date()
): Promise< string > {
	const claimed = await visitorAsk( socket, 'contact:email', {
		email,
		...( name !== undefined && { name } ),
	} );
	if ( ! claimed.ok ) {
		throw new Error( `contact:email refused: ${ claimed.error.message }` );
	}
	if ( claimed.data.contactId ) {
		return claimed.data.contactId;
	}
	// The newest link works; an earlier one of the same visitor was replaced.
	let confirmed = false;
	for ( const token of (
		await confirmationTokensFor( service, email )
	).reverse() ) {
		const answer = await signedPost(
			service,
			EMAIL_CONFIRMATION_PATH,
			{ token },
			SECRET,
			now
		);
		if ( answer.status === 200 ) {
			confirmed = true;
			break;
		}
	}
	if ( ! confirmed ) {
		throw new Error( `no confirmation link of ${ email } works` );
	}
	const contact = await service.repository.findContactByEmail( email );
	if ( ! contact ) {
		throw new Error( 'no contact after the confirmation' );
	}
	return contact.id;
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

/**
 * Reports a change of agents' rights to a service node, signed as WordPress does.
 *
 * @param service     The node.
 * @param service.url Its URL.
 * @param change      The users and their rights now.
 * @return The HTTP status.
 */
export async function reportAgentRights(
	service: { url: string },
	change: AgentAccessChange
): Promise< number > {
	const body = JSON.stringify( change );
	const response = await fetch( service.url + AGENT_ACCESS_PATH, {
		method: 'POST',
		headers: signedHeaders( 'POST', AGENT_ACCESS_PATH, body ),
		body,
	} );
	return response.status;
}

/**
 * A stand-in WordPress that records the admin menu's counts the service
 * sends (`PUT …/service/waiting-counts`, signed; anything else is refused).
 *
 * @return Its URL, the counts received in order, and how to stop it.
 */
export async function startWaitingCountsReceiver(): Promise< {
	url: string;
	received: Array< Record< string, number > >;
	close: () => Promise< void >;
} > {
	const received: Array< Record< string, number > > = [];
	const wordpress = http.createServer( ( request, response ) => {
		let body = '';
		request.on( 'data', ( chunk ) => ( body += chunk ) );
		request.on( 'end', () => {
			const valid =
				request.method === 'PUT' &&
				request.url ===
					'/wp-json/chatflows/v1/service/waiting-counts' &&
				verifyAsWordPress( request, body ) === null;
			if ( valid ) {
				received.push( JSON.parse( body ).counts );
			}
			response.writeHead( valid ? 200 : 401 ).end( '{}' );
		} );
	} );
	await new Promise< void >( ( resolve ) =>
		wordpress.listen( 0, '127.0.0.1', resolve )
	);
	return {
		url: `http://127.0.0.1:${ ( wordpress.address() as AddressInfo ).port }`,
		received,
		close: async () => {
			wordpress.closeAllConnections();
			await new Promise( ( resolve ) => wordpress.close( resolve ) );
		},
	};
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
