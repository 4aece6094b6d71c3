/**
 * The fault-injection harness's load balancer: a small TCP proxy in front of
 * the service nodes. Each new client connection goes to a live node (the one
 * with the fewest connections, or a preferred one); connections can be cut on
 * demand, which is the "connection cut" fault. Clients reach the service only
 * through it, so a node that is down is never chosen for a new connection.
 */
import net from 'node:net';

export interface BalancerNode {
	/** A name for the figures. */
	name: string;
	port: number;
	/** False while the node is killed or restarting: new connections go elsewhere. */
	live: boolean;
}

interface Pair {
	node: BalancerNode;
	client: net.Socket;
	upstream: net.Socket;
}

export class Balancer {
	private readonly pairs = new Set< Pair >();

	private readonly server: net.Server;

	/** When set and live, every new connection goes there (the herd test fills one node). */
	prefer: BalancerNode | null = null;

	port = 0;

	/** Connections refused because no node was live. */
	refused = 0;

	/**
	 * @param nodes The service nodes (the array is read at each connection).
	 */
	constructor( readonly nodes: BalancerNode[] ) {
		this.server = net.createServer( ( client ) => this.accept( client ) );
		this.server.maxConnections = 100_000;
	}

	get url(): string {
		return `http://127.0.0.1:${ this.port }`;
	}

	/**
	 * Starts listening.
	 *
	 * @param port The port; 0 for any free one.
	 */
	async listen( port = 0 ): Promise< void > {
		await new Promise< void >( ( resolve, reject ) => {
			this.server.once( 'error', reject );
			this.server.listen( port, '127.0.0.1', 4096, resolve );
		} );
		this.port = ( this.server.address() as net.AddressInfo ).port;
	}

	/**
	 * How many client connections each node holds now.
	 *
	 * @param node The node.
	 */
	connectionsTo( node: BalancerNode ): number {
		let count = 0;
		for ( const pair of this.pairs ) {
			if ( pair.node === node ) {
				count++;
			}
		}
		return count;
	}

	private choose(): BalancerNode | null {
		if ( this.prefer?.live ) {
			return this.prefer;
		}
		let best: BalancerNode | null = null;
		let bestCount = Infinity;
		for ( const node of this.nodes ) {
			if ( ! node.live ) {
				continue;
			}
			const count = this.connectionsTo( node );
			if ( count < bestCount ) {
				best = node;
				bestCount = count;
			}
		}
		return best;
	}

	private accept( client: net.Socket ): void {
		client.on( 'error', () => undefined );
		const node = this.choose();
		if ( ! node ) {
			// Nothing to send it to: the client sees a failed connection and retries.
			this.refused++;
			client.destroy();
			return;
		}
		client.setNoDelay( true );
		const upstream = net.connect( node.port, '127.0.0.1' );
		upstream.setNoDelay( true );
		upstream.on( 'error', () => undefined );
		const pair: Pair = { node, client, upstream };
		this.pairs.add( pair );
		client.pipe( upstream ).pipe( client );
		const end = () => {
			this.pairs.delete( pair );
			client.destroy();
			upstream.destroy();
		};
		client.once( 'close', end );
		upstream.once( 'close', end );
	}

	/**
	 * Cuts client connections: those to one node, or all.
	 *
	 * @param node Only this node's connections; all when omitted.
	 * @return How many were cut.
	 */
	cut( node?: BalancerNode ): number {
		let count = 0;
		for ( const pair of [ ...this.pairs ] ) {
			if ( ! node || pair.node === node ) {
				count++;
				pair.client.destroy();
				pair.upstream.destroy();
				this.pairs.delete( pair );
			}
		}
		return count;
	}

	async close(): Promise< void > {
		this.cut();
		await new Promise( ( resolve ) => this.server.close( resolve ) );
	}
}
