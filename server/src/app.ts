/**
 * Composition root: the HTTP app and the socket.io server with its two
 * namespaces, wired to a repository. No globals, so tests start as many
 * independent instances as they like.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import express from 'express';
import type { Logger } from 'pino';
import { Server, type ServerOptions } from 'socket.io';
import { AGENT_NAMESPACE, VISITOR_NAMESPACE } from './contract/events';
import type { ChatRepository } from './repository/types';
import { agentAuthMiddleware } from './agent/auth';
import { registerAgentHandlers } from './agent/handlers';
import { Broadcaster } from './broadcast';
import { InflightTracker, type HandlerContext } from './handler';
import {
	AGENTS_ROOM,
	connectError,
	type AgentNamespace,
	type VisitorNamespace,
} from './types';
import { registerVisitorHandlers } from './visitor/handlers';
import { startVisitorSession, visitorAuthMiddleware } from './visitor/session';

/** Largest socket.io packet accepted, in bytes: a message of MAX_MESSAGE_LENGTH fits with room to spare. */
export const MAX_HTTP_BUFFER_SIZE = 64 * 1024;

export interface ApplicationDeps {
	repository: ChatRepository;
	/** Shared with WordPress; verifies agent tokens. */
	secret: string;
	/** Exact origins (`http://localhost:8888`) whose pages may connect. */
	allowedOrigins: string[];
	logger: Logger;
	clock?: () => Date;
}

export interface ChatApplication {
	io: Server;
	visitors: VisitorNamespace;
	agents: AgentNamespace;
	isDraining: () => boolean;
	/**
	 * Drains: refuses new connections and events, waits for started writes to
	 * be acknowledged, disconnects every client and closes the HTTP server.
	 * The repository stays open; its owner closes it afterwards.
	 */
	close: () => Promise< void >;
}

/**
 * The plain HTTP side: health check for load balancers and process managers.
 *
 * @param options            Callbacks into the running service.
 * @param options.isDraining True while the service shuts down.
 * @return An express app to pass to `http.createServer`.
 */
export function createHttpApp( options: { isDraining: () => boolean } ) {
	const app = express();
	app.disable( 'x-powered-by' );
	app.get( '/healthz', ( _req, res ) => {
		if ( options.isDraining() ) {
			res.status( 503 ).json( { status: 'draining' } );
			return;
		}
		res.status( 200 ).json( { status: 'ok' } );
	} );
	app.use( ( _req, res ) => {
		res.status( 404 ).json( { status: 'not_found' } );
	} );
	return app;
}

/**
 * Attaches the chat service to an HTTP server.
 *
 * @param httpServer    The server, listening or not yet.
 * @param deps          Repository, secret, allowed origins, logger, clock.
 * @param serverOptions Extra socket.io options (tests, tuning).
 * @return The running application.
 */
export function createApplication(
	httpServer: HttpServer,
	deps: ApplicationDeps,
	serverOptions: Partial< ServerOptions > = {}
): ChatApplication {
	const clock = deps.clock ?? ( () => new Date() );
	const logger = deps.logger;
	const allowed = new Set( deps.allowedOrigins );
	let draining = false;

	// CORS headers only matter to browsers using HTTP long-polling; WebSocket
	// handshakes are not covered by CORS, so every handshake is checked here.
	const allowRequest = (
		req: IncomingMessage,
		callback: ( err: string | null | undefined, success: boolean ) => void
	): void => {
		if ( draining ) {
			callback( 'The chat service is shutting down.', false );
			return;
		}
		const origin = req.headers.origin;
		if ( typeof origin !== 'string' || ! allowed.has( origin ) ) {
			logger.info(
				{ origin: origin ?? null, address: req.socket.remoteAddress },
				'origin refused'
			);
			callback( 'origin_not_allowed', false );
			return;
		}
		callback( null, true );
	};

	const io = new Server( httpServer, {
		serveClient: false,
		maxHttpBufferSize: MAX_HTTP_BUFFER_SIZE,
		cors: {
			origin: [ ...allowed ],
			methods: [ 'GET', 'POST' ],
			credentials: false,
		},
		...serverOptions,
		allowRequest,
	} );

	// Only the two contract namespaces serve anything.
	io.use( ( _socket, next ) => {
		next(
			connectError(
				'invalid_handshake',
				`Connect to ${ VISITOR_NAMESPACE } or ${ AGENT_NAMESPACE }.`
			)
		);
	} );

	const visitors = io.of( VISITOR_NAMESPACE ) as unknown as VisitorNamespace;
	const agents = io.of( AGENT_NAMESPACE ) as unknown as AgentNamespace;
	const broadcaster = new Broadcaster( visitors, agents );
	const inflight = new InflightTracker();
	const context: HandlerContext = {
		logger,
		inflight,
		isDraining: () => draining,
	};

	visitors.use(
		visitorAuthMiddleware( { repository: deps.repository, logger, clock } )
	);
	visitors.on( 'connection', ( socket ) => {
		startVisitorSession( socket );
		registerVisitorHandlers( socket, {
			...context,
			repository: deps.repository,
			broadcaster,
			clock,
		} );
	} );

	agents.use( agentAuthMiddleware( { secret: deps.secret, logger, clock } ) );
	agents.on( 'connection', ( socket ) => {
		socket.join( AGENTS_ROOM );
		logger.debug( { userId: socket.data.userId }, 'agent connected' );
		registerAgentHandlers( socket, {
			...context,
			repository: deps.repository,
			broadcaster,
			clock,
		} );
	} );

	let closing: Promise< void > | null = null;
	const close = (): Promise< void > => {
		if ( ! closing ) {
			draining = true;
			closing = ( async () => {
				await inflight.idle();
				await new Promise< void >( ( resolve ) => {
					io.close( () => resolve() );
				} );
			} )();
		}
		return closing;
	};

	return {
		io,
		visitors,
		agents,
		isDraining: () => draining,
		close,
	};
}
