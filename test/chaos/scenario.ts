/**
 * Fault-injection runs, the way message brokers are tested: visitors (the
 * real widget client, some with a second listening tab) send steadily through
 * the balancer while nodes are killed, frozen or have their connections cut;
 * afterwards every conversation is read back and compared with what each
 * client sent, had acknowledged and shows (see `checks.ts`).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { io } from 'socket.io-client';
import {
	AGENT_NAMESPACE,
	VISITOR_NAMESPACE,
	type ChatMessage,
} from '@chatflows/protocol';
import { CHATFLOW_ID, ORIGIN, PAGE_URL } from '../../server/test/helpers';
import { Cluster, type ClusterNode, type StoredMessage } from './cluster';
import { openTab, type VisitorSocket, type WidgetChat } from './widget-client';
import { AgentInbox, agentToken } from './inbox-client';
import {
	checkClientViews,
	checkInboxViews,
	checkResume,
	checkStorage,
	type CheckResult,
	type FreshList,
} from './checks';

export type FaultKind = 'kill' | 'stop' | 'cut';

export interface ScenarioOptions {
	name: string;
	storage: 'sqlite' | 'postgres';
	nodes: number;
	visitors: number;
	/** Every n-th visitor has a second, listening tab (4: every fourth; 1: all). */
	listeningTabEvery: number;
	/** Agents with the real inbox, each opening a visitor's conversation and replying (0: none). */
	agents?: number;
	durationMs: number;
	/** The faults, in turn. */
	faults: FaultKind[];
	faultsPerMinute: number;
	seed: number;
	/** Clients of the herd test (0: none). */
	herd: number;
	/**
	 * Messages each herd client sends before its node is killed (0: idle
	 * clients without a conversation; 1 by default: each reconnection then
	 * also catches up a conversation, as a visitor's whose chat is open).
	 */
	herdMessages?: number;
	/**
	 * Visitors sending steadily on the survivor during the herd (20 by
	 * default; 0: none, for the steadiest CPU figures).
	 */
	herdSenders?: number;
	/** The service's sources to run, see `ClusterOptions.serviceSource`. */
	serviceSource?: string;
	/** First loopback port to use; free ports when 0. */
	portBase: number;
	/** Progress lines (stderr in the script, silent in jest). */
	log?: ( line: string ) => void;
}

/**
 * A pseudo-random sequence from a seed (Park–Miller): runs repeat.
 *
 * @param seed Any positive integer.
 */
export function random( seed: number ): () => number {
	let state = ( Math.floor( seed ) % 2147483646 ) + 1;
	return () => {
		state = ( state * 48271 ) % 2147483647;
		return ( state - 1 ) / 2147483646;
	};
}

/**
 * Asks a node once on a fresh connection of its own, as a new page would.
 *
 * @param url     The node and namespace.
 * @param auth    The handshake.
 * @param event   The event.
 * @param payload Its payload.
 * @return The answer's data; null when refused or unanswered.
 */
async function askNode< T >(
	url: string,
	auth: Record< string, unknown >,
	event: string,
	payload: object
): Promise< T | null > {
	const socket = io( url, {
		auth,
		transports: [ 'websocket' ],
		extraHeaders: { origin: ORIGIN },
		forceNew: true,
		reconnection: false,
	} );
	try {
		await new Promise< void >( ( resolve, reject ) => {
			socket.once( 'connect', resolve );
			socket.once( 'connect_error', reject );
		} );
		const response = await socket
			.timeout( 10_000 )
			.emitWithAck( event, payload );
		return response?.ok ? ( response.data as T ) : null;
	} catch {
		return null;
	} finally {
		socket.disconnect();
	}
}

/** How many conversations `inbox:list` answers at most (its default). */
const INBOX_LIST_LIMIT = 200;

export const sleep = ( ms: number ): Promise< void > =>
	new Promise( ( resolve ) => setTimeout( resolve, ms ) );

/**
 * A percentile of sorted numbers.
 *
 * @param sorted Ascending.
 * @param p      0–100.
 */
export function percentile( sorted: number[], p: number ): number {
	if ( sorted.length === 0 ) {
		return NaN;
	}
	const index = Math.min(
		sorted.length - 1,
		Math.max( 0, Math.ceil( ( p / 100 ) * sorted.length ) - 1 )
	);
	return sorted[ index ];
}

export interface Fault {
	kind: FaultKind;
	node: string;
	at: number;
	/** When the node served again (kill: restarted; stop: thawed; cut: at once). */
	healthyAt: number;
	/** Client connections the fault broke. */
	outages: Outage[];
}

interface Outage {
	tab: Tab;
	downAt: number;
	upAt: number | null;
	/** Connection attempts until back, and when the last one started. */
	attempts: number;
	lastAttemptAt: number | null;
}

export interface AckSample {
	at: number;
	ms: number;
}

export class Tab {
	connected = false;

	/** Connections made so far (the first and every reconnection). */
	connects = 0;

	/** The last refusal (`connect_error`), as `message (code)`. */
	lastError: string | null = null;

	open: Outage | null = null;

	chat!: WidgetChat;

	socket!: VisitorSocket;

	constructor(
		readonly id: string,
		readonly visitor: Visitor
	) {}
}

export class Visitor {
	readonly tabs: Tab[] = [];

	/** Acknowledged messages by client id (the seq and conversation the service gave). */
	readonly acknowledged = new Map< string, ChatMessage >();

	/** Client ids in the order the visitor typed them. */
	readonly typed: string[] = [];

	sendTimeouts = 0;

	constructor( readonly id: string ) {}

	/** From an acknowledgement; else (every acknowledgement lost, the message caught up on resume) from a tab. */
	get conversationId(): string | null {
		for ( const message of this.acknowledged.values() ) {
			return message.conversationId;
		}
		for ( const tab of this.tabs ) {
			const id = tab.chat.getState().conversation?.id;
			if ( id ) {
				return id;
			}
		}
		return null;
	}

	get session(): string | undefined {
		return this.tabs[ 0 ]?.chat.sessionToken();
	}
}

/** Everything a run measured. */
export interface ScenarioReport {
	options: Omit< ScenarioOptions, 'log' >;
	typed: number;
	acknowledged: number;
	sendTimeouts: number;
	tabs: number;
	/** Every tab connected with an empty outbox within a minute after the sending stopped. */
	settled: boolean;
	/** Tabs whose outbox still held messages after the settle. */
	idleOutboxes: number;
	/** Agents, and how often their connections dropped and came back (through the other node after a kill). */
	inbox: { agents: number; reconnections: number };
	faults: Fault[];
	checks: CheckResult[];
	reconnect: ReconnectFigures;
	ackLatency: { p50: number; p99: number; samples: number };
	herd: HerdReport | null;
	/** Seconds each phase took: start, run, settle, reconnectAll, checks. */
	phases: Record< string, number >;
	balancerRefused: number;
}

export interface ReconnectFigures {
	byKind: Record<
		string,
		{
			faults: number;
			clients: number;
			notBack: number;
			fromFault: { p50: number; p99: number };
			fromHealthy: { p50: number; p99: number };
			/** Where the time went: the drop noticed, backoff, the admission. */
			noticed: { p50: number; p99: number };
			waited: { p50: number; p99: number };
			admitted: { p50: number; p99: number };
			attempts: { p50: number; p99: number };
		}
	>;
}

export interface HerdReport {
	clients: number;
	reconnected: number;
	reconnect: { p50: number; p99: number; max: number };
	survivorAckBefore: { p50: number; p99: number; samples: number };
	survivorAckDuring: { p50: number; p99: number; samples: number };
	/** Why clients not back were refused, with how many. */
	refusals: Record< string, number >;
	/** After the last attempt began, until connected (the survivor's admission, seen by the client). */
	admitted: { p50: number; p99: number };
	/** The harness's own event-loop delay meanwhile: how much of the above is the harness's. */
	harnessDelay: { p99: number; max: number };
	/** CPU the herd cost (see `HerdCpu`). */
	cpu: HerdCpu;
	/**
	 * PostgreSQL transactions (single statements count one) and Redis
	 * commands per reconnection, the steady rate taken off.
	 */
	storagePerReconnection: {
		postgresTransactions: number;
		redisCommands: number;
		/** By command, from the kill until a second after the herd. */
		redisByCommand: Record< string, number >;
	};
}

/**
 * CPU time (user plus system) used from the kill until the last herd client
 * was back: by the surviving node's process, by PostgreSQL and by Redis. The
 * steady senders' share is taken off at the rate measured in the seconds
 * before the kill; what is left, divided by the clients back, is the CPU one
 * admitted reconnection costs (handshake, session, catch-up), a figure that
 * holds steady on a busy machine where latency does not.
 */
export interface HerdCpu {
	/** From the kill until every herd client was back, ms. */
	windowMs: number;
	/** The survivor's CPU over the window, ms. */
	survivorMs: number;
	/** Of it, the steady senders' (their rate before the kill times the window), ms. */
	survivorSteadyMs: number;
	/** The survivor's steady rate before and after the herd, ms of CPU a second. */
	survivorSteadyRates: [ number, number ];
	/** (survivorMs − survivorSteadyMs) per reconnection, ms. */
	survivorPerReconnectionMs: number;
	/** The same for PostgreSQL (all its processes) and Redis, ms per reconnection. */
	postgresPerReconnectionMs: number;
	redisPerReconnectionMs: number;
}

/**
 * The options as reported (without the progress function).
 *
 * @param options The options.
 */
function withoutLog(
	options: ScenarioOptions
): Omit< ScenarioOptions, 'log' > {
	const { log: _log, ...rest } = options;
	return rest;
}

/** Runs one scenario and its checks; stops everything it started. */
export class Scenario {
	readonly cluster: Cluster;

	readonly visitors: Visitor[] = [];

	readonly faults: Fault[] = [];

	readonly agents: AgentInbox[] = [];

	readonly ackSamples: AckSample[] = [];

	private readonly rand: () => number;

	private sending = false;

	private readonly timers = new Set< ReturnType< typeof setTimeout > >();

	private readonly log: ( line: string ) => void;

	constructor( readonly options: ScenarioOptions ) {
		this.cluster = new Cluster( {
			storage: options.storage,
			nodes: options.nodes,
			portBase: options.portBase,
			serviceSource: options.serviceSource,
		} );
		this.rand = random( options.seed );
		this.log = options.log ?? ( () => undefined );
	}

	/** All tabs of all visitors. */
	get tabs(): Tab[] {
		return this.visitors.flatMap( ( visitor ) => visitor.tabs );
	}

	/**
	 * Opens a tab of a visitor through the balancer.
	 *
	 * @param visitor The visitor.
	 * @param session Its session, for a second tab.
	 */
	private openTab( visitor: Visitor, session?: string ): Tab {
		const tab = new Tab(
			`${ visitor.id }/${ visitor.tabs.length + 1 }`,
			visitor
		);
		const opened = openTab( {
			serviceUrl: this.cluster.balancer.url,
			chatflowId: CHATFLOW_ID,
			pageUrl: PAGE_URL,
			origin: ORIGIN,
			session,
			onSocket: ( socket ) => this.watch( tab, socket ),
		} );
		tab.chat = opened.chat;
		tab.socket = opened.socket;
		visitor.tabs.push( tab );
		return tab;
	}

	/**
	 * Follows a tab's connection (for the reconnection figures) and its
	 * acknowledgements (what the service promised to have stored).
	 *
	 * @param tab    The tab.
	 * @param socket Its socket.
	 */
	private watch( tab: Tab, socket: VisitorSocket ): void {
		socket.on( 'connect', () => {
			tab.connected = true;
			tab.connects++;
			if ( tab.open ) {
				tab.open.upAt = Date.now();
				tab.open = null;
			}
		} );
		socket.io.on( 'reconnect_attempt', () => {
			if ( tab.open ) {
				tab.open.attempts++;
				tab.open.lastAttemptAt = Date.now();
			}
		} );
		socket.on( 'connect_error', ( error ) => {
			const code = ( error as Error & { data?: { code?: string } } ).data
				?.code;
			tab.lastError = `${ error.message }${ code ? ` (${ code })` : '' }`;
		} );
		socket.on( 'disconnect', ( reason ) => {
			tab.connected = false;
			if ( reason === 'io client disconnect' ) {
				return;
			}
			const now = Date.now();
			// The fault that broke it: the latest, within the moments after it.
			const fault = [ ...this.faults ]
				.reverse()
				.find( ( f ) => f.at <= now && now - f.at < 5000 );
			if ( fault && ! tab.open ) {
				tab.open = {
					tab,
					downAt: now,
					upAt: null,
					attempts: 0,
					lastAttemptAt: null,
				};
				fault.outages.push( tab.open );
			}
		} );
		const emitWithAck = socket.emitWithAck.bind( socket );
		const sendWithAck = async ( event: string, ...args: unknown[] ) => {
			const started = Date.now();
			try {
				const response = await (
					emitWithAck as (
						e: string,
						...a: unknown[]
					) => Promise< any >
				 )( event, ...args );
				if ( event === 'message:send' && response?.ok ) {
					const message: ChatMessage = response.data.message;
					tab.visitor.acknowledged.set( message.clientId, message );
					this.ackSamples.push( {
						at: started,
						ms: Date.now() - started,
					} );
				}
				return response;
			} catch ( error ) {
				if ( event === 'message:send' ) {
					tab.visitor.sendTimeouts++;
				}
				throw error;
			}
		};
		socket.emitWithAck = sendWithAck as typeof socket.emitWithAck;
	}

	/**
	 * Opens visitors in batches and waits until every tab is connected.
	 *
	 * @param count   How many.
	 * @param prefix  Their id prefix.
	 * @param tabsFor Which get a second tab.
	 */
	async openVisitors(
		count: number,
		prefix: string,
		tabsFor: ( index: number ) => number
	): Promise< Visitor[] > {
		const opened: Visitor[] = [];
		for ( let start = 0; start < count; start += 25 ) {
			const batch: Visitor[] = [];
			for ( let i = start; i < Math.min( count, start + 25 ); i++ ) {
				const visitor = new Visitor( `${ prefix }${ i }` );
				this.openTab( visitor );
				batch.push( visitor );
			}
			await this.until(
				() => batch.every( ( visitor ) => visitor.session ),
				30_000,
				'visitors got no session'
			);
			batch.forEach( ( visitor, offset ) => {
				for ( let t = 1; t < tabsFor( start + offset ); t++ ) {
					this.openTab( visitor, visitor.session );
				}
			} );
			opened.push( ...batch );
		}
		await this.until(
			() =>
				opened.every( ( visitor ) =>
					visitor.tabs.every( ( tab ) => tab.connected )
				),
			30_000,
			'tabs did not connect'
		);
		this.visitors.push( ...opened );
		return opened;
	}

	/**
	 * Waits until `done`, polling.
	 *
	 * @param done      The condition.
	 * @param timeoutMs At most this long.
	 * @param what      Error message when it never holds; none: give up quietly.
	 * @return Whether it held.
	 */
	async until(
		done: () => boolean,
		timeoutMs: number,
		what?: string
	): Promise< boolean > {
		const deadline = Date.now() + timeoutMs;
		while ( ! done() ) {
			if ( Date.now() > deadline ) {
				if ( what ) {
					throw new Error( what );
				}
				return false;
			}
			await sleep( 50 );
		}
		return true;
	}

	/**
	 * Each visitor's first tab types a message every 200–500 ms (when the
	 * one before has left its outbox).
	 *
	 * @param visitors Who sends.
	 */
	startSending( visitors: Visitor[] ): void {
		this.sending = true;
		for ( const visitor of visitors ) {
			let count = 0;
			this.repeat( 200, 300, () => {
				const chat = visitor.tabs[ 0 ].chat;
				// Like a person typing fast: the next message once the
				// last one is through (the outbox holds at most one), so
				// a slow service slows the visitors instead of piling up.
				if ( chat.getState().pending.length === 0 ) {
					chat.send( `${ visitor.id } message ${ ++count }` );
					const pending = chat.getState().pending;
					visitor.typed.push(
						pending[ pending.length - 1 ].clientId
					);
				}
			} );
		}
	}

	/**
	 * Each agent opens a visitor's conversation once it exists, then replies
	 * in it every 1–2 s once the reply before has left its outbox.
	 *
	 * @param senders The visitors whose conversations agents open.
	 */
	startAgents( senders: Visitor[] ): void {
		this.agents.forEach( ( agent, index ) => {
			let count = 0;
			const visitor =
				senders[ ( index * 7 + 3 ) % Math.max( 1, senders.length ) ];
			this.repeat( 1000, 1000, () => {
				const conversationId = visitor?.conversationId;
				if ( ! agent.view.getSelectedConversationId() ) {
					if ( conversationId ) {
						agent.open( conversationId );
					}
				} else if ( ! agent.replying ) {
					agent.reply( `agent ${ agent.userId } reply ${ ++count }` );
				}
			} );
		} );
	}

	/**
	 * Runs a step again and again while sending, each time after a random
	 * delay.
	 *
	 * @param minMs    The shortest delay.
	 * @param spreadMs How much longer it may be.
	 * @param step     The step.
	 */
	private repeat( minMs: number, spreadMs: number, step: () => void ): void {
		const next = () => {
			const timer = setTimeout(
				() => {
					this.timers.delete( timer );
					if ( ! this.sending ) {
						return;
					}
					step();
					next();
				},
				minMs + Math.floor( this.rand() * spreadMs )
			);
			this.timers.add( timer );
		};
		next();
	}

	/**
	 * Opens the agents' inboxes through the balancer and waits until each has listed.
	 *
	 * @param count How many.
	 */
	async openAgents( count: number ): Promise< void > {
		for ( let i = 0; i < count; i++ ) {
			this.agents.push(
				new AgentInbox( String( 101 + i ), this.cluster.balancer.url )
			);
		}
		await this.until(
			() =>
				this.agents.every(
					( agent ) =>
						agent.connected && agent.view.getCounts() !== null
				),
			30_000,
			'inboxes did not connect'
		);
	}

	/**
	 * Asks a node directly for an agent's list, as a fresh inbox page would.
	 *
	 * @param node   The node.
	 * @param userId The agent.
	 */
	async listOn( node: ClusterNode, userId: string ): Promise< FreshList > {
		return askNode< NonNullable< FreshList > >(
			node.url + AGENT_NAMESPACE,
			// Available, as the agent's own page is: no presence changes.
			{ token: await agentToken( userId ), presence: 'available' },
			'inbox:list',
			{ view: 'open' }
		);
	}

	/**
	 * (d) for every agent: their inbox against the database and a fresh list on every live node.
	 *
	 * @param when When, for the report.
	 */
	async checkInboxes( when: string ): Promise< CheckResult > {
		const nodes = this.cluster.nodes.filter( ( node ) => node.live );
		const fresh = new Map< AgentInbox, Map< string, FreshList > >();
		for ( const agent of this.agents ) {
			const lists = new Map< string, FreshList >();
			for ( const node of nodes ) {
				lists.set( node.name, await this.listOn( node, agent.userId ) );
			}
			fresh.set( agent, lists );
		}
		return checkInboxViews(
			this.agents,
			await this.cluster.storedMessages(),
			await this.cluster.storedConversations(),
			fresh,
			INBOX_LIST_LIMIT,
			when
		);
	}

	stopSending(): void {
		this.sending = false;
		for ( const timer of this.timers ) {
			clearTimeout( timer );
		}
		this.timers.clear();
	}

	/** The live node holding the most client connections (the one a fault hits). */
	private busiestNode(): ClusterNode {
		const live = this.cluster.nodes.filter( ( node ) => node.live );
		return live.sort(
			( a, b ) =>
				this.cluster.balancer.connectionsTo( b ) -
				this.cluster.balancer.connectionsTo( a )
		)[ 0 ];
	}

	/**
	 * Injects one fault and waits until the node serves again.
	 *
	 * @param kind Which fault.
	 */
	async inject( kind: FaultKind ): Promise< Fault > {
		const node = this.busiestNode();
		const fault: Fault = {
			kind,
			node: node.name,
			at: Date.now(),
			healthyAt: 0,
			outages: [],
		};
		this.faults.push( fault );
		if ( kind === 'kill' ) {
			await this.cluster.kill( node );
			await this.cluster.boot( node );
		} else if ( kind === 'stop' ) {
			this.cluster.signal( node, 'SIGSTOP' );
			await sleep( 2000 + Math.floor( this.rand() * 2000 ) );
			this.cluster.signal( node, 'SIGCONT' );
		} else {
			const cut = this.cluster.balancer.cut( node );
			this.log( `  cut node ${ node.name }: ${ cut } connections cut` );
		}
		fault.healthyAt = Date.now();
		if ( kind !== 'cut' ) {
			this.log(
				`  ${ kind } node ${ node.name }: ${ fault.outages.length } clients dropped, serving again after ${ fault.healthyAt - fault.at } ms`
			);
		}
		return fault;
	}

	/**
	 * Waits until every tab is connected and every outbox is empty, then a
	 * little longer for the last broadcasts.
	 *
	 * @param timeoutMs At most this long.
	 */
	async settle( timeoutMs = 60_000 ): Promise< boolean > {
		const settled = await this.until(
			() =>
				this.tabs.every(
					( tab ) =>
						tab.connected &&
						tab.chat.getState().pending.length === 0
				) &&
				this.agents.every(
					( agent ) => agent.connected && ! agent.replying
				),
			timeoutMs
		);
		// Then until no tab or inbox received anything for two seconds (the
		// last broadcasts, the inboxes' last lists).
		const held = () =>
			this.tabs.reduce(
				( sum, tab ) => sum + tab.chat.getState().messages.length,
				0
			) +
			JSON.stringify(
				this.agents.map( ( agent ) => [
					agent.view.getCounts(),
					agent.view.getViewConversations(),
					agent.view.getMessages(
						agent.view.getSelectedConversationId() ?? ''
					).length,
				] )
			);
		for (
			let quiet = 0, last: string | number = -1, waited = 0;
			quiet < 2 && waited < 20;
			waited++
		) {
			const now = held();
			quiet = now === last ? quiet + 1 : 0;
			last = now;
			await sleep( 1000 );
		}
		return settled;
	}

	/** The conversation each visitor has, as stored. */
	private async stored(): Promise< Map< Visitor, StoredMessage[] > > {
		const all = await this.cluster.storedMessages();
		return new Map(
			this.visitors.map( ( visitor ) => [
				visitor,
				all.get( visitor.conversationId ?? '' ) ?? [],
			] )
		);
	}

	/**
	 * Asks a node directly for a visitor's conversation after a seq, as a new tab would.
	 *
	 * @param node     The node.
	 * @param session  The visitor's session.
	 * @param afterSeq The seq.
	 */
	async resumeOn(
		node: ClusterNode,
		session: string,
		afterSeq: number
	): Promise< ChatMessage[] | null > {
		const answer = await askNode< { messages: ChatMessage[] } >(
			node.url + VISITOR_NAMESPACE,
			{ session, chatflowId: CHATFLOW_ID, pageUrl: PAGE_URL },
			'conversation:resume',
			{ afterSeq }
		);
		return answer?.messages ?? null;
	}

	private reconnectFigures(): ReconnectFigures {
		const byKind: ReconnectFigures[ 'byKind' ] = {};
		for ( const kind of new Set( this.faults.map( ( f ) => f.kind ) ) ) {
			const faults = this.faults.filter( ( f ) => f.kind === kind );
			const outages = faults.flatMap( ( fault ) =>
				fault.outages.map( ( outage ) => ( { fault, outage } ) )
			);
			const back = outages.filter( ( { outage } ) => outage.upAt );
			const fromFault = back
				.map(
					( { fault, outage } ) =>
						( outage.upAt as number ) - fault.at
				)
				.sort( ( a, b ) => a - b );
			const fromHealthy = back
				.map( ( { fault, outage } ) =>
					Math.max( 0, ( outage.upAt as number ) - fault.healthyAt )
				)
				.sort( ( a, b ) => a - b );
			const spread = ( values: number[] ) => {
				const sorted = [ ...values ].sort( ( a, b ) => a - b );
				return {
					p50: percentile( sorted, 50 ),
					p99: percentile( sorted, 99 ),
				};
			};
			const attempted = back.filter(
				( { outage } ) => outage.lastAttemptAt !== null
			);
			byKind[ kind ] = {
				noticed: spread(
					back.map(
						( { fault, outage } ) => outage.downAt - fault.at
					)
				),
				waited: spread(
					attempted.map(
						( { outage } ) =>
							( outage.lastAttemptAt as number ) - outage.downAt
					)
				),
				admitted: spread(
					attempted.map(
						( { outage } ) =>
							( outage.upAt as number ) -
							( outage.lastAttemptAt as number )
					)
				),
				attempts: spread(
					back.map( ( { outage } ) => outage.attempts )
				),
				faults: faults.length,
				clients: outages.length,
				notBack: outages.length - back.length,
				fromFault: {
					p50: percentile( fromFault, 50 ),
					p99: percentile( fromFault, 99 ),
				},
				fromHealthy: {
					p50: percentile( fromHealthy, 50 ),
					p99: percentile( fromHealthy, 99 ),
				},
			};
		}
		return { byKind };
	}

	/** Runs the scenario; always stops what it started. */
	async run(): Promise< ScenarioReport > {
		const { options } = this;
		// How long each phase took, for the figures (a slow machine shows here).
		const phases: Record< string, number > = {};
		let phaseStart = Date.now();
		const phase = ( name: string ) => {
			phases[ name ] = ( Date.now() - phaseStart ) / 1000;
			phaseStart = Date.now();
		};
		try {
			this.log(
				`${ options.name }: starting ${ options.nodes } node(s) on ${ options.storage }…`
			);
			await this.cluster.start();
			if ( options.visitors === 0 ) {
				return await this.herdOnly( phase );
			}
			const every = options.listeningTabEvery;
			const senders = await this.openVisitors(
				options.visitors,
				'v',
				( index ) => ( index % every === every - 1 ? 2 : 1 )
			);
			await this.openAgents( options.agents ?? 0 );
			this.log(
				`${ options.name }: ${ senders.length } visitors, ${ this.tabs.length } tabs, ${ this.agents.length } inboxes connected; sending for ${ options.durationMs / 1000 } s with ${ options.faultsPerMinute } faults a minute (${ options.faults.join( ', ' ) })`
			);
			phase( 'start' );
			this.startSending( senders );
			this.startAgents( senders );
			const started = Date.now();
			const faultEvery = 60_000 / options.faultsPerMinute;
			for ( let n = 0; ; n++ ) {
				const due = started + faultEvery * ( n + 0.5 );
				if ( due >= started + options.durationMs - 2000 ) {
					break;
				}
				await sleep( due - Date.now() );
				await this.inject(
					options.faults[ n % options.faults.length ]
				);
			}
			await sleep(
				Math.max( 0, started + options.durationMs - Date.now() )
			);
			this.stopSending();
			phase( 'run' );
			this.log( `${ options.name }: settling…` );
			const settled = await this.settle();
			phase( 'settle' );
			const idleOutboxes = this.tabs.filter(
				( tab ) => tab.chat.getState().pending.length > 0
			).length;
			let stored = await this.stored();
			const checks: CheckResult[] = [
				checkStorage( this.visitors, stored ),
				checkClientViews( this.tabs, stored, 'live, after the settle' ),
			];
			if ( this.agents.length ) {
				checks.push(
					await this.checkInboxes( 'live, after the settle' )
				);
			}
			// Every tab reconnects and catches up, as after any drop.
			const before = new Map(
				this.tabs.map( ( tab ) => [ tab, tab.connects ] )
			);
			// Drops during the run (the cut below not counted).
			const inboxReconnections = this.agents.reduce(
				( sum, agent ) => sum + agent.connects - 1,
				0
			);
			const agentsBefore = new Map(
				this.agents.map( ( agent ) => [ agent, agent.connects ] )
			);
			this.cluster.balancer.cut();
			await this.until(
				() =>
					this.tabs.every(
						( tab ) => tab.connects > ( before.get( tab ) ?? 0 )
					) &&
					this.agents.every(
						( agent ) =>
							agent.connects > ( agentsBefore.get( agent ) ?? 0 )
					),
				30_000
			);
			await this.settle();
			phase( 'reconnectAll' );
			stored = await this.stored();
			checks.push(
				checkClientViews(
					this.tabs,
					stored,
					'after every tab reconnected and resumed'
				)
			);
			if ( this.agents.length ) {
				checks.push(
					await this.checkInboxes(
						'after every inbox reconnected and caught up'
					)
				);
			}
			checks.push(
				await checkResume(
					this.visitors,
					stored,
					this.cluster.nodes.filter( ( node ) => node.live ),
					( node, session, afterSeq ) =>
						this.resumeOn( node, session, afterSeq ),
					this.rand
				)
			);
			phase( 'checks' );
			const samples = this.ackSamples
				.map( ( sample ) => sample.ms )
				.sort( ( a, b ) => a - b );
			const report: ScenarioReport = {
				options: withoutLog( options ),
				typed: this.visitors.reduce(
					( n, v ) => n + v.typed.length,
					0
				),
				acknowledged: this.visitors.reduce(
					( n, v ) => n + v.acknowledged.size,
					0
				),
				sendTimeouts: this.visitors.reduce(
					( n, v ) => n + v.sendTimeouts,
					0
				),
				tabs: this.tabs.length,
				settled,
				idleOutboxes,
				inbox: {
					agents: this.agents.length,
					reconnections: inboxReconnections,
				},
				faults: [ ...this.faults ],
				checks,
				reconnect: this.reconnectFigures(),
				ackLatency: {
					p50: percentile( samples, 50 ),
					p99: percentile( samples, 99 ),
					samples: samples.length,
				},
				herd: null,
				phases,
				balancerRefused: this.cluster.balancer.refused,
			};
			this.closeTabs();
			if ( options.herd > 0 && options.nodes > 1 ) {
				report.herd = await this.herd( options.herd );
			}
			return report;
		} finally {
			this.stopSending();
			this.closeTabs();
			await this.cluster.stop();
		}
	}

	/**
	 * No fault-injection run, only the herd (`--scenario herd`): its figures,
	 * the others empty.
	 *
	 * @param phase Ends the phase timed so far.
	 */
	private async herdOnly(
		phase: ( name: string ) => void
	): Promise< ScenarioReport > {
		phase( 'start' );
		const herd = await this.herd( this.options.herd );
		phase( 'herd' );
		return {
			options: withoutLog( this.options ),
			typed: 0,
			acknowledged: 0,
			sendTimeouts: 0,
			tabs: 0,
			settled: true,
			idleOutboxes: 0,
			inbox: { agents: 0, reconnections: 0 },
			faults: [],
			checks: [],
			reconnect: { byKind: {} },
			ackLatency: { p50: NaN, p99: NaN, samples: 0 },
			herd,
			phases: {},
			balancerRefused: this.cluster.balancer.refused,
		};
	}

	private closeTabs(): void {
		for ( const tab of this.tabs ) {
			tab.chat.close();
		}
		this.visitors.splice( 0 );
		for ( const agent of this.agents.splice( 0 ) ) {
			agent.close();
		}
	}

	/**
	 * The herd: `count` idle clients on one node, a few visitors sending
	 * steadily on the other; the first node is killed and the herd
	 * reconnects to the survivor at once. Measures the herd's reconnection
	 * and the survivor's acknowledgement latency before and during it.
	 *
	 * @param count Idle clients.
	 */
	async herd( count: number ): Promise< HerdReport > {
		const [ doomed, survivor ] = this.cluster.nodes;
		const balancer = this.cluster.balancer;
		this.log( `herd: ${ count } clients on node ${ doomed.name }…` );
		balancer.prefer = survivor;
		const senderCount = this.options.herdSenders ?? 20;
		const senders =
			senderCount > 0
				? await this.openVisitors( senderCount, 'h-sender-', () => 1 )
				: [];
		balancer.prefer = doomed;
		const herd = await this.openVisitors( count, 'h-', () => 1 );
		const herdMessages = this.options.herdMessages ?? 1;
		for ( let n = 1; n <= herdMessages; n++ ) {
			for ( const visitor of herd ) {
				visitor.tabs[ 0 ].chat.send( `${ visitor.id } message ${ n }` );
			}
		}
		await this.until(
			() =>
				herd.every(
					( visitor ) =>
						visitor.tabs[ 0 ].chat.getState().pending.length === 0
				),
			120_000,
			"the herd's messages were not acknowledged"
		);
		balancer.prefer = null;
		this.ackSamples.splice( 0 );
		this.startSending( senders );
		await sleep( 1000 );
		// The steady senders' CPU rate on the survivor, to take off the herd's.
		const steady = { at: Date.now(), cpu: this.cluster.cpuMs( survivor ) };
		await sleep( 4000 );
		const workBeforeKill = {
			at: Date.now(),
			...( await this.cluster.storageWork() ),
		};
		const fault: Fault = {
			kind: 'kill',
			node: doomed.name,
			at: Date.now(),
			healthyAt: 0,
			outages: [],
		};
		const herdTabs = herd.flatMap( ( visitor ) => visitor.tabs );
		const before = new Map(
			herdTabs.map( ( tab ) => [ tab, tab.connects ] )
		);
		this.faults.push( fault );
		// All clients live in this one process: its own delays are reported.
		const delay = monitorEventLoopDelay( { resolution: 10 } );
		delay.enable();
		const beforeKill = {
			at: Date.now(),
			cpu: this.cluster.cpuMs( survivor ),
		};
		await this.cluster.kill( doomed );
		fault.healthyAt = Date.now();
		// Back: connected again since the kill (not still unaware of it).
		await this.until(
			() =>
				herdTabs.every(
					( tab ) =>
						tab.connected &&
						tab.connects > ( before.get( tab ) ?? 0 )
				),
			90_000
		);
		const herdDone = {
			at: Date.now(),
			cpu: this.cluster.cpuMs( survivor ),
		};
		delay.disable();
		const herdEnd = Date.now() + 1000;
		await sleep( 1000 );
		// The steady rate again, now with the herd idle on the survivor.
		const steadyAfter = {
			at: Date.now(),
			cpu: this.cluster.cpuMs( survivor ),
		};
		const workAfterHerd = {
			at: Date.now(),
			...( await this.cluster.storageWork() ),
		};
		await sleep( 3000 );
		const steadyAfterEnd = {
			at: Date.now(),
			cpu: this.cluster.cpuMs( survivor ),
		};
		// Long enough after the herd for PostgreSQL's statistics to hold it.
		const workAfter = {
			at: Date.now(),
			...( await this.cluster.storageWork() ),
		};
		this.stopSending();
		const back = fault.outages
			.filter( ( outage ) => outage.upAt )
			.map( ( outage ) => ( outage.upAt as number ) - fault.at )
			.sort( ( a, b ) => a - b );
		const figures = ( samples: AckSample[] ) => {
			const sorted = samples
				.map( ( sample ) => sample.ms )
				.sort( ( a, b ) => a - b );
			return {
				p50: percentile( sorted, 50 ),
				p99: percentile( sorted, 99 ),
				samples: sorted.length,
			};
		};
		const backCount = back.length;
		const windowMs = herdDone.at - beforeKill.at;
		type Sample = typeof steady;
		type Key = keyof Sample[ 'cpu' ];
		const rate = ( from: Sample, to: Sample, key: Key ) =>
			( to.cpu[ key ] - from.cpu[ key ] ) / ( to.at - from.at );
		// The steady senders' rate: the mean of before and after the herd.
		const steadyRate = ( key: Key ) =>
			( rate( steady, beforeKill, key ) +
				rate( steadyAfter, steadyAfterEnd, key ) ) /
			2;
		const used = ( key: Key ) => ( {
			total: herdDone.cpu[ key ] - beforeKill.cpu[ key ],
			steady: steadyRate( key ) * windowMs,
		} );
		const perReconnection = ( key: Key ) => {
			const { total, steady: steadyShare } = used( key );
			return ( total - steadyShare ) / backCount;
		};
		type WorkKey = 'postgresTransactions' | 'redisCommands';
		// The herd's share of the work done since the kill: the steady rate
		// after it (the senders, the probes themselves; not the killed
		// node's, which the rate before would hold) taken off.
		const herdWork = ( key: WorkKey ) => {
			const workRate =
				( workAfter[ key ] - workAfterHerd[ key ] ) /
				( workAfter.at - workAfterHerd.at );
			return (
				( workAfter[ key ] -
					workBeforeKill[ key ] -
					workRate * ( workAfter.at - workBeforeKill.at ) ) /
				backCount
			);
		};
		const report: HerdReport = {
			storagePerReconnection: {
				postgresTransactions: herdWork( 'postgresTransactions' ),
				redisCommands: herdWork( 'redisCommands' ),
				// Not rate-corrected: the commands of the herd's window.
				redisByCommand: Object.fromEntries(
					Object.entries( workAfterHerd.redisByCommand )
						.map( ( [ name, calls ] ): [ string, number ] => [
							name,
							( calls -
								( workBeforeKill.redisByCommand[ name ] ??
									0 ) ) /
								backCount,
						] )
						.filter( ( [ , calls ] ) => calls >= 0.05 )
				),
			},
			cpu: {
				windowMs,
				survivorMs: used( 'node' ).total,
				survivorSteadyMs: used( 'node' ).steady,
				survivorSteadyRates: [
					rate( steady, beforeKill, 'node' ) * 1000,
					rate( steadyAfter, steadyAfterEnd, 'node' ) * 1000,
				],
				survivorPerReconnectionMs: perReconnection( 'node' ),
				postgresPerReconnectionMs: perReconnection( 'postgres' ),
				redisPerReconnectionMs: perReconnection( 'redis' ),
			},
			clients: count,
			reconnected: herdTabs.filter( ( tab ) => tab.connected ).length,
			reconnect: {
				p50: percentile( back, 50 ),
				p99: percentile( back, 99 ),
				max: back[ back.length - 1 ] ?? NaN,
			},
			admitted: ( () => {
				const sorted = fault.outages
					.filter( ( outage ) => outage.upAt && outage.lastAttemptAt )
					.map(
						( outage ) =>
							( outage.upAt as number ) -
							( outage.lastAttemptAt as number )
					)
					.sort( ( a, b ) => a - b );
				return {
					p50: percentile( sorted, 50 ),
					p99: percentile( sorted, 99 ),
				};
			} )(),
			harnessDelay: {
				p99: delay.percentile( 99 ) / 1e6,
				max: delay.max / 1e6,
			},
			refusals: herdTabs
				.filter( ( tab ) => ! tab.connected )
				.reduce< Record< string, number > >( ( counts, tab ) => {
					const why = tab.lastError ?? 'no refusal seen';
					counts[ why ] = ( counts[ why ] ?? 0 ) + 1;
					return counts;
				}, {} ),
			survivorAckBefore: figures(
				this.ackSamples.filter( ( s ) => s.at < fault.at )
			),
			survivorAckDuring: figures(
				this.ackSamples.filter(
					( s ) => s.at >= fault.at && s.at <= herdEnd
				)
			),
		};
		this.closeTabs();
		return report;
	}
}
