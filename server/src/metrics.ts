/**
 * Prometheus metrics of one service process, served at `GET /metrics`.
 *
 * Each application gets its own registry (no global state), so tests can run
 * several services in one process.
 */
import {
	Counter,
	Gauge,
	Histogram,
	Registry,
	collectDefaultMetrics,
} from 'prom-client';
import type { Ack } from '@chatflows/protocol';

/** Latency buckets in seconds: from a fast local write up to a slow database. */
const LATENCY_BUCKETS = [
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
];

export interface MetricsSources {
	/** Connected sockets per namespace name (`/visitor`, `/agent`), on this node. */
	connections: () => Record< string, number >;
	/** Conversations currently open, in the whole database; null when unknown. */
	openConversations?: () => Promise< number | null >;
}

/** The service's metrics and the registry that serves them. */
export class ServiceMetrics {
	readonly registry = new Registry();

	readonly messages: Counter< 'namespace' >;

	readonly messageLatency: Histogram< 'namespace' >;

	readonly refused: Counter< 'namespace' | 'reason' >;

	/**
	 * Creates the metrics; they read connection counts and open
	 * conversations when scraped.
	 *
	 * @param sources        Where the gauges read their values.
	 * @param options        Options.
	 * @param options.labels Labels added to every metric, e.g. the node name.
	 */
	constructor(
		sources: MetricsSources,
		options: { labels?: Record< string, string > } = {}
	) {
		const registers = [ this.registry ];
		if ( options.labels ) {
			this.registry.setDefaultLabels( options.labels );
		}
		collectDefaultMetrics( {
			register: this.registry,
			prefix: 'chatflows_',
		} );
		new Gauge( {
			name: 'chatflows_connections',
			help: 'Connected sockets on this node, by namespace.',
			labelNames: [ 'namespace' ],
			registers,
			collect() {
				this.reset();
				for ( const [ namespace, count ] of Object.entries(
					sources.connections()
				) ) {
					this.set( { namespace }, count );
				}
			},
		} );
		const openConversations = sources.openConversations;
		if ( openConversations ) {
			new Gauge( {
				name: 'chatflows_open_conversations',
				help: 'Conversations currently open (whole database).',
				registers,
				async collect() {
					const count = await openConversations();
					if ( count !== null ) {
						this.set( count );
					}
				},
			} );
		}
		this.messages = new Counter( {
			name: 'chatflows_messages_total',
			help: 'Messages acknowledged to their sender, by namespace of the sender.',
			labelNames: [ 'namespace' ],
			registers,
		} );
		this.messageLatency = new Histogram( {
			name: 'chatflows_message_ack_seconds',
			help: 'Time from receiving a message to acknowledging it (validated, stored durably).',
			labelNames: [ 'namespace' ],
			buckets: LATENCY_BUCKETS,
			registers,
		} );
		this.refused = new Counter( {
			name: 'chatflows_refused_events_total',
			help: 'Events refused before any handler (rate limits, malformed payloads), by reason.',
			labelNames: [ 'namespace', 'reason' ],
			registers,
		} );
	}

	/**
	 * Wraps the acknowledgement of a `message:send` so it records the latency
	 * and, when accepted, the message.
	 *
	 * @param namespace The sender's namespace.
	 * @param ack       The client's acknowledgement callback.
	 * @return The callback to hand to the handler.
	 */
	timeMessage(
		namespace: string,
		ack: ( response: Ack< unknown > ) => void
	): ( response: Ack< unknown > ) => void {
		const stop = this.messageLatency.startTimer( { namespace } );
		return ( response ) => {
			stop();
			if ( response.ok ) {
				this.messages.inc( { namespace } );
			}
			ack( response );
		};
	}

	/** The Prometheus text exposition. */
	render(): Promise< string > {
		return this.registry.metrics();
	}

	get contentType(): string {
		return this.registry.contentType;
	}
}
