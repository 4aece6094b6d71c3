/**
 * Composition root: the HTTP app and the socket.io server with its two
 * namespaces, wired to a repository. No globals, so tests start as many
 * independent instances as they like.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import express from 'express';
import type { Logger } from 'pino';
import {
	Server,
	type Namespace,
	type ServerOptions,
	type Socket,
} from 'socket.io';
import {
	AGENT_NAMESPACE,
	VISITOR_NAMESPACE,
	type Ack,
} from '@chatflows/protocol';
import type { ChatRepository } from './repository/types';
import { agentAuthMiddleware, agentTokenVerifier } from './agent/auth';
import { createAgentHandlers } from './agent/handlers';
import { AgentAccess } from './agent/access';
import { agentAccessRouter } from './agent/access-route';
import { Broadcaster } from './broadcast';
import { InflightTracker, type HandlerContext } from './handler';
import {
	chatflowRoom,
	connectError,
	type AgentNamespace,
	type VisitorNamespace,
} from './types';
import { conversationRooms } from './agent/inbox-scope';
import { createVisitorHandlers } from './visitor/handlers';
import { announceVisitorContextChange } from './visitor/events/contact';
import { configurationRouter } from './chatflow-sync/routes';
import { MemoryNonceStore, type NonceStore } from './chatflow-sync/nonce-store';
import { privacyRouter } from './privacy/routes';
import { attachmentsRouter } from './attachments/routes';
import { ConfigurationStore } from './chatflow-sync/store';
import { pullConfiguration, WordPressClient } from './chatflow-sync/wordpress';
import { normalizeOrigin } from './environment';
import { ConversationDomain } from './domain/conversation-domain';
import { startVisitorSession, visitorAuthMiddleware } from './visitor/session';
import { visitorIdentificationMiddleware } from './visitor/identification';
import { availabilityRouter } from './visitor/availability-route';
import { newConversationRefusal } from './visitor/chatflow-gate';
import { createVisitorContexts } from './visitor/context';
import { WaitingCountsReporter } from './agent/inbox-waiting';
import {
	connectionRateLimit,
	newSessionAdmission,
	visitorAdmission,
} from './limits/admission';
import { ClientAddresses } from './limits/client-address';
import { createPacketGuard } from './limits/packet-guard';
import { guardRecoveredPackets } from './limits/recovery-guard';
import type { ChatLimits } from './limits/rate-limits';
import type { EmailBudget } from './limits/email-budget';
import { emailConfirmationRouter } from './visitor/email-claims';
import { ServiceMetrics } from './metrics';
import { metricsRoute } from './metrics-http';
import { jsonErrors, notFound } from './http-errors';
import { RecoveryAdapter } from './realtime/recovery-adapter';
import { thisConnectionOnly } from './realtime/this-connection';

/** Largest socket.io packet accepted, in bytes: a message of MAX_MESSAGE_LENGTH fits with room to spare. */
export const MAX_HTTP_BUFFER_SIZE = 64 * 1024;

/**
 * How long a disconnected client's rooms and missed events are kept for
 * socket.io's connection-state recovery (in memory, or in Redis on many nodes).
 */
export const RECOVERY_WINDOW_MS = 2 * 60 * 1000;

export interface ApplicationDeps {
	repository: ChatRepository;
	/** Shared with WordPress; verifies agent tokens. */
	secret: string;
	/** Exact origins (`http://localhost:8888`) whose pages may connect. */
	allowedOrigins: string[];
	logger: Logger;
	clock?: () => Date;
	/** Rate limits of visitors; none when omitted. */
	limits?: ChatLimits;
	/** Tells the client's address behind trusted proxies; the peer's when omitted. */
	clientAddresses?: ClientAddresses;
	/** E-mails to visitors' addresses (always limited: in memory when omitted). */
	emailBudget?: EmailBudget;
	/** Counts open conversations for `/metrics`; the gauge is left out when omitted. */
	countOpenConversations?: () => Promise< number >;
	/** The WordPress site to pull configuration from and notify; none when omitted. */
	wordpressUrl?: string | null;
	/** How often idle close, queue and notification retries run (default 15 s). */
	sweepIntervalMs?: number;
	/** How often the agents' waiting counts are taken for WordPress's menu (default 2 s). */
	waitingCountsIntervalMs?: number;
	/** Nonces of signed calls already accepted: Redis on many nodes; this node's memory by default. */
	nonces?: NonceStore;
}

export interface ChatApplication {
	io: Server;
	visitors: VisitorNamespace;
	agents: AgentNamespace;
	metrics: ServiceMetrics;
	/** The configuration WordPress sent. */
	configuration: ConfigurationStore;
	/** Presence, assignment, availability, idle close, notifications. */
	domain: ConversationDomain;
	/** Resolves once the stored configuration is loaded. */
	ready: Promise< void >;
	/** The signed configuration endpoints, for `createHttpApp`'s `routes`. */
	routes: express.Router;
	isDraining: () => boolean;
	/**
	 * Drains: refuses new connections and events, waits for started writes to
	 * be acknowledged, disconnects every client and closes the HTTP server.
	 * The repository stays open; its owner closes it afterwards.
	 */
	close: () => Promise< void >;
}

/**
 * The plain HTTP side: health check for load balancers and process managers,
 * the application's routes, `/metrics` when a token guards it, and JSON
 * errors for everything else (see http-errors.ts).
 *
 * @param options                 Callbacks into the running service.
 * @param options.isDraining      True while the service shuts down.
 * @param options.metrics         The application's metrics, once it exists.
 * @param options.metricsToken    Bearer token that lets `/metrics` be read on this port; without it `/metrics` is 404.
 * @param options.routes          The application's routes, once it exists.
 * @param options.clientAddresses The proxies to trust for `req.ip` (the same as the application's).
 * @param options.logger          Where failures are logged.
 * @return An express app to pass to `http.createServer`.
 */
export function createHttpApp( options: {
	isDraining: () => boolean;
	metrics?: () => ServiceMetrics | null | undefined;
	metricsToken?: string | null;
	/** The application's signed configuration endpoints, once it exists. */
	routes?: () => express.Router | null | undefined;
	clientAddresses?: ClientAddresses;
	logger?: Logger;
} ) {
	const app = express();
	app.disable( 'x-powered-by' );
	// Express reads X-Forwarded-For only; with `Forwarded` chosen, req.ip stays
	// the peer and routes ask ClientAddresses.
	const addresses = options.clientAddresses;
	app.set(
		'trust proxy',
		addresses?.trustsProxies &&
			addresses.settings.header === 'x-forwarded-for'
			? ( address: string ) => addresses.isTrusted( address )
			: false
	);
	app.use( ( req, res, next ) => {
		const routes = options.routes?.();
		if ( routes ) {
			routes( req, res, next );
			return;
		}
		next();
	} );
	if ( options.metricsToken && options.metrics ) {
		app.get(
			'/metrics',
			metricsRoute( {
				metrics: options.metrics,
				token: options.metricsToken,
			} )
		);
	}
	app.get( '/healthz', ( _req, res ) => {
		if ( options.isDraining() ) {
			res.status( 503 ).json( { status: 'draining' } );
			return;
		}
		res.status( 200 ).json( { status: 'ok' } );
	} );
	app.use( notFound );
	app.use( jsonErrors( options.logger ) );
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
	const clientAddresses = deps.clientAddresses ?? new ClientAddresses();
	const allowed = new Set( deps.allowedOrigins );
	let draining = false;
	const configuration = new ConfigurationStore( deps.repository );
	// Origins WordPress lists (the site's other hosts) are allowed too.
	let configuredOrigins = new Set< string >();
	configuration.onChange( () => {
		configuredOrigins = new Set(
			configuration.configuration.allowedOrigins
				.map( normalizeOrigin )
				.filter( ( origin ): origin is string => origin !== null )
		);
	} );
	const isAllowedOrigin = ( origin: string ): boolean =>
		allowed.has( origin ) || configuredOrigins.has( origin );

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
		if ( typeof origin !== 'string' || ! isAllowedOrigin( origin ) ) {
			logger.info(
				{
					origin: origin ?? null,
					address: clientAddresses.ofRequest( req ),
				},
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
		// Middlewares run on recovery too, so credentials are checked on every
		// reconnect; the recovered identity must match (see sameIdentity below).
		connectionStateRecovery: {
			maxDisconnectionDuration: RECOVERY_WINDOW_MS,
			skipMiddlewares: false,
		},
		cors: {
			// Origins WordPress lists (pages outside WordPress) change while the service runs.
			origin: ( origin, callback ) =>
				callback(
					null,
					origin !== undefined && isAllowedOrigin( origin )
				),
			methods: [ 'GET', 'POST' ],
			credentials: false,
		},
		...serverOptions,
		// Many nodes bring their own adapter (Redis); one node keeps only
		// the packets someone can recover.
		adapter: serverOptions.adapter ?? RecoveryAdapter,
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
	const broadcaster = new Broadcaster(
		visitors,
		agents,
		( conversation ) =>
			conversationRooms(
				conversation,
				configuration.known ? configuration.configuration : null
			),
		( chatflowId ) => configuration.chatflow( chatflowId )?.alias ?? ''
	);
	const inflight = new InflightTracker();
	const context: HandlerContext = {
		logger,
		inflight,
		isDraining: () => draining,
	};

	const metrics = new ServiceMetrics( {
		connections: () => ( {
			[ VISITOR_NAMESPACE ]: visitors.sockets.size,
			[ AGENT_NAMESPACE ]: agents.sockets.size,
		} ),
		openConversations: deps.countOpenConversations,
	} );
	const timeMessages =
		( namespace: string ) =>
		(
			event: string,
			ack: ( response: Ack< unknown > ) => void
		): ( ( response: Ack< unknown > ) => void ) =>
			event === 'message:send'
				? metrics.timeMessage( namespace, ack )
				: ack;

	// A recovered socket comes back with the rooms of its earlier session, so
	// the credentials presented now must belong to that same visitor or agent.
	const restoredIdentity = new WeakMap< object, string >();
	const rememberIdentity =
		( key: 'visitorId' | 'userId' ) =>
		( socket: Socket, next: ( err?: Error ) => void ) => {
			if ( socket.recovered ) {
				restoredIdentity.set( socket, String( socket.data?.[ key ] ) );
			}
			next();
		};
	const sameIdentity =
		( key: 'visitorId' | 'userId' ) =>
		( socket: Socket, next: ( err?: Error ) => void ) => {
			const before = restoredIdentity.get( socket );
			if (
				before !== undefined &&
				before !== String( socket.data[ key ] )
			) {
				logger.info(
					{ namespace: socket.nsp.name },
					'recovered connection refused: credentials of someone else'
				);
				next(
					connectError(
						'forbidden',
						'This connection belonged to another session.'
					)
				);
				return;
			}
			next();
		};

	// Missed packets wait until the credentials presented now are checked.
	const visitorRecovery = guardRecoveredPackets(
		visitors as unknown as Namespace
	);
	const agentRecovery = guardRecoveredPackets(
		agents as unknown as Namespace
	);
	visitors.use( visitorRecovery.middleware );
	if ( deps.limits ) {
		visitors.use( connectionRateLimit( deps.limits, clientAddresses ) );
	}
	visitors.use( rememberIdentity( 'visitorId' ) );
	visitors.use(
		visitorAuthMiddleware( {
			repository: deps.repository,
			configuration,
			logger,
			clock,
			admitNewSession: deps.limits
				? newSessionAdmission( deps.limits, clientAddresses )
				: undefined,
		} )
	);
	visitors.use(
		visitorIdentificationMiddleware( {
			repository: deps.repository,
			secret: deps.secret,
			logger,
			clock,
			isMarketing: ( chatflowId ) =>
				configuration.chatflow( chatflowId )?.contacts?.marketing ===
				true,
		} )
	);
	visitors.use( sameIdentity( 'visitorId' ) );
	// Built once: a connection only registers these, so it costs no
	// closures of its own (memory per idle visitor).
	const guardVisitorPackets = createPacketGuard( {
		logger,
		admit: deps.limits
			? visitorAdmission( deps.limits, deps.repository, clientAddresses )
			: undefined,
		observeAck: timeMessages( VISITOR_NAMESPACE ),
		onRefused: ( refusal ) =>
			metrics.refused.inc( {
				namespace: VISITOR_NAMESPACE,
				reason: refusal.reason,
			} ),
	} );
	const visitorContexts = createVisitorContexts( {
		...context,
		repository: deps.repository,
		clock,
	} );
	visitors.on( 'connection', ( socket ) => {
		visitorRecovery.replay( socket as unknown as Socket );
		guardVisitorPackets( socket as unknown as Socket );
		startVisitorSession( socket );
		socket.join( chatflowRoom( socket.data.chatflowId ) );
		visitorContexts.attach( socket );
		attachVisitorHandlers( socket );
		domain.availability.currentAvailability( socket.data.chatflowId ).then(
			// Sent again on every connection: kept out of the cluster's stream.
			( availability ) =>
				thisConnectionOnly( socket ).emit(
					'availability',
					availability
				),
			( error: unknown ) =>
				logger.error( { err: error }, 'availability failed' )
		);
	} );

	// Connections live as long as their tokens, and WordPress's word on rights.
	const access = new AgentAccess( agents, logger, clock );
	access.start();
	const verifyAgentToken = agentTokenVerifier( {
		secret: deps.secret,
		clock,
		isStale: ( agent ) => access.isStale( agent ),
	} );
	agents.use( agentRecovery.middleware );
	agents.use( rememberIdentity( 'userId' ) );
	agents.use( agentAuthMiddleware( { verify: verifyAgentToken, logger } ) );
	agents.use( sameIdentity( 'userId' ) );
	const guardAgentPackets = createPacketGuard( {
		logger,
		observeAck: timeMessages( AGENT_NAMESPACE ),
		onRefused: ( refusal ) =>
			metrics.refused.inc( {
				namespace: AGENT_NAMESPACE,
				reason: refusal.reason,
			} ),
	} );
	agents.on( 'connection', ( socket ) => {
		agentRecovery.replay( socket as unknown as Socket );
		guardAgentPackets( socket as unknown as Socket );
		// Live events of a conversation reach only the agents who see it.
		access.admit( socket );
		logger.debug( { userId: socket.data.userId }, 'agent connected' );
		attachAgentHandlers( socket );
	} );

	const wordpress = deps.wordpressUrl
		? new WordPressClient( deps.wordpressUrl, deps.secret, clock )
		: null;
	const domain = new ConversationDomain( {
		repository: deps.repository,
		configuration,
		announcer: broadcaster,
		presenceTransport: agents,
		logger,
		clock,
		wordpress,
		limits: deps.limits,
		emailBudget: deps.emailBudget,
		sweepIntervalMs: deps.sweepIntervalMs,
	} );
	const attachAgentHandlers = createAgentHandlers( {
		...context,
		repository: deps.repository,
		broadcaster,
		clock,
		domain,
		access,
		verifyToken: verifyAgentToken,
	} );
	const attachVisitorHandlers = createVisitorHandlers( {
		...context,
		repository: deps.repository,
		broadcaster,
		clock,
		domain,
		clientAddresses,
		saveOpeningContext: visitorContexts.saveOpening,
	} );
	// WordPress's admin menu shows each agent's waiting count.
	const waiting = wordpress
		? new WaitingCountsReporter( {
				repository: deps.repository,
				configuration,
				wordpress,
				logger,
				intervalMs: deps.waitingCountsIntervalMs,
			} )
		: null;
	waiting?.start();
	let stopPull = (): void => undefined;
	const ready = domain.start().then(
		() => {
			if ( wordpress && ! draining ) {
				stopPull = pullConfiguration( {
					client: wordpress,
					apply: ( sent ) => configuration.replace( sent ),
					logger,
				} );
			}
		},
		( error: unknown ) => {
			logger.error(
				{ err: error },
				'cannot load the stored configuration'
			);
		}
	);
	const routes = express.Router();
	routes.use(
		attachmentsRouter( {
			repository: deps.repository,
			secret: deps.secret,
			configuration,
			isAllowedOrigin,
			logger,
			clock,
			limits: deps.limits,
			clientAddresses,
		} )
	);
	// One store for every signed route: a nonce is spent wherever it was used.
	const nonces = deps.nonces ?? new MemoryNonceStore();
	routes.use(
		configurationRouter( {
			secret: deps.secret,
			store: configuration,
			logger,
			clock,
			nonces,
		} )
	);
	routes.use(
		emailConfirmationRouter( {
			secret: deps.secret,
			repository: deps.repository,
			domain,
			announce: ( visitorId, contactId ) =>
				announceVisitorContextChange(
					{ repository: deps.repository, broadcaster, logger },
					visitorId,
					contactId,
					'contact'
				),
			logger,
			clock,
			nonces,
		} )
	);
	routes.use(
		privacyRouter( {
			secret: deps.secret,
			repository: deps.repository,
			// On every node: the room reaches their sockets through the adapter.
			disconnectVisitor: ( visitorId ) =>
				broadcaster.toVisitor( visitorId ).disconnectSockets( true ),
			logger,
			clock,
			nonces,
		} )
	);
	routes.use(
		agentAccessRouter( {
			secret: deps.secret,
			access,
			logger,
			clock,
			nonces,
		} )
	);
	routes.use(
		availabilityRouter( {
			refusal: ( chatflowId ) =>
				newConversationRefusal( configuration, chatflowId ),
			availability: ( chatflowId ) =>
				domain.availability.currentAvailability( chatflowId ),
			isAllowedOrigin,
		} )
	);

	let closing: Promise< void > | null = null;
	const close = (): Promise< void > => {
		if ( ! closing ) {
			draining = true;
			closing = ( async () => {
				stopPull();
				await inflight.idle();
				await ready;
				await domain.stop();
				access.stop();
				await waiting?.stop();
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
		metrics,
		configuration,
		domain,
		ready,
		routes,
		isDraining: () => draining,
		close,
	};
}
