/**
 * Agents keep access only while WordPress says so: every agent connection is
 * held to its token's `exp` (renewed on the open connection with
 * `auth:renew`), and a rights change WordPress reports (`POST
 * /v1/agents/access`) re-scopes or ends that user's connections on every
 * node within moments.
 */
import type { Logger } from 'pino';
import type { AgentAccessChange, AuthEndedCode } from '@chatflows/protocol';
import { clusterNodeId } from '../domain/presence';
import { agentRoom, type AgentNamespace, type AgentSocket } from '../types';
import {
	ANSWER_CAPABILITY,
	CLOCK_TOLERANCE_SECONDS,
	type AgentIdentity,
} from './auth';
import { agentScopeRooms } from './inbox-scope';

/** The server-side event a node tells the others of a rights change with. */
export const ACCESS_EVENT = 'chatflows:agent-access';

/** Longest delay Node's timers take (about 24.8 days); longer ones are re-armed. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * How long a rights change keeps refusing tokens signed before it. Agent
 * tokens live minutes (WordPress signs them for 5), so a day is ample and
 * keeps the memory to the users changed that day.
 */
export const STALE_TOKEN_WINDOW_SECONDS = 24 * 60 * 60;

const ENDED_MESSAGES: Record< AuthEndedCode, string > = {
	token_expired:
		'The agent token has expired. Request a new one and reconnect.',
	access_revoked: 'This user may no longer answer chats.',
};

export class AgentAccess {
	/** One expiry timer per agent socket of this node, dropped on disconnect. */
	private readonly expiries = new Map< string, NodeJS.Timeout >();

	/** Per user: when WordPress last changed their rights (Unix seconds, its clock). */
	private readonly changedAt = new Map< string, number >();

	private readonly clustered: boolean;

	private readonly onRemoteChange = ( change: AgentAccessChange ): void =>
		this.applyHere( change );

	/**
	 * @param agents The agent namespace.
	 * @param logger Logger.
	 * @param clock  The service's clock.
	 */
	constructor(
		private readonly agents: AgentNamespace,
		private readonly logger: Logger,
		private readonly clock: () => Date
	) {
		this.clustered = clusterNodeId( agents ) !== null;
	}

	/** Listens to the changes other nodes received. */
	start(): void {
		if ( this.clustered ) {
			this.agents.on( ACCESS_EVENT, this.onRemoteChange );
		}
	}

	stop(): void {
		this.agents.off( ACCESS_EVENT, this.onRemoteChange );
		for ( const timer of this.expiries.values() ) {
			clearTimeout( timer );
		}
		this.expiries.clear();
	}

	/**
	 * Whether the token was signed before WordPress last changed the user's
	 * rights, so it states rights the user may no longer have.
	 *
	 * @param agent The verified token.
	 * @return True to refuse it.
	 */
	isStale( agent: AgentIdentity ): boolean {
		const changed = this.changedAt.get( agent.userId );
		return changed !== undefined && ( agent.iat ?? 0 ) < changed;
	}

	/**
	 * Puts a new connection in the rooms of its scope and holds it to its token.
	 *
	 * @param socket An authenticated agent socket.
	 */
	admit( socket: AgentSocket ): void {
		this.scope( socket );
		this.holdToExpiry( socket );
		socket.on( 'disconnect', () => {
			clearTimeout( this.expiries.get( socket.id ) );
			this.expiries.delete( socket.id );
		} );
	}

	/**
	 * Takes a renewed token on an open connection (already verified, and the
	 * same user's): its rights and expiry from now on.
	 *
	 * @param socket The agent socket.
	 * @param agent  The new token.
	 */
	renew( socket: AgentSocket, agent: AgentIdentity ): void {
		Object.assign( socket.data, {
			name: agent.name,
			caps: agent.caps,
			teams: agent.teams,
			inboxes: agent.inboxes,
			exp: agent.exp,
		} );
		this.scope( socket );
		this.holdToExpiry( socket );
	}

	/**
	 * Applies a change WordPress reported, here and on every other node.
	 *
	 * @param change The users and their rights now.
	 */
	change( change: AgentAccessChange ): void {
		this.applyHere( change );
		if ( this.clustered ) {
			try {
				this.agents.serverSideEmit( ACCESS_EVENT, change );
			} catch ( error ) {
				// Those nodes' connections still end when their tokens expire.
				this.logger.error(
					{ err: error },
					'cannot tell other nodes of a rights change'
				);
			}
		}
	}

	private applyHere( change: AgentAccessChange ): void {
		this.forgetOldChanges();
		for ( const entry of change.agents ) {
			const before = this.changedAt.get( entry.userId ) ?? 0;
			this.changedAt.set(
				entry.userId,
				Math.max( before, change.changedAt )
			);
			const revoked =
				'revoked' in entry ||
				! entry.caps.includes( ANSWER_CAPABILITY );
			for ( const socket of this.socketsOf( entry.userId ) ) {
				if ( revoked ) {
					this.end( socket, 'access_revoked' );
				} else if ( ! ( 'revoked' in entry ) ) {
					Object.assign( socket.data, {
						caps: entry.caps,
						teams: entry.teams,
						inboxes: entry.inboxes,
					} );
					this.scope( socket );
					socket.emit( 'auth:changed', {} );
				}
			}
			this.logger.info(
				{ userId: entry.userId, revoked },
				'agent rights changed'
			);
		}
	}

	/**
	 * This node's sockets of one agent.
	 * @param userId
	 */
	private socketsOf( userId: string ): AgentSocket[] {
		const ids = this.agents.adapter.rooms.get( agentRoom( userId ) );
		return [ ...( ids ?? [] ) ]
			.map( ( id ) => this.agents.sockets.get( id ) )
			.filter( ( socket ): socket is AgentSocket => !! socket );
	}

	/**
	 * Makes the socket's rooms exactly those of its scope now: a recovered
	 * connection or a changed scope leaves the rooms it no longer belongs to.
	 *
	 * @param socket The agent socket.
	 */
	private scope( socket: AgentSocket ): void {
		const rooms = new Set(
			agentScopeRooms( socket.data.userId, socket.data )
		);
		for ( const room of [ ...socket.rooms ] ) {
			if ( room !== socket.id && ! rooms.has( room ) ) {
				socket.leave( room );
			}
		}
		socket.join( [ ...rooms ] );
	}

	private holdToExpiry( socket: AgentSocket ): void {
		clearTimeout( this.expiries.get( socket.id ) );
		// The same tolerance as at connection: a token accepted there is not cut at once.
		const remaining =
			( socket.data.exp + CLOCK_TOLERANCE_SECONDS ) * 1000 -
			this.clock().getTime();
		const timer = setTimeout(
			() => {
				if ( remaining > MAX_TIMER_MS ) {
					this.holdToExpiry( socket );
				} else {
					this.end( socket, 'token_expired' );
				}
			},
			Math.max( 0, Math.min( remaining, MAX_TIMER_MS ) )
		);
		timer.unref();
		this.expiries.set( socket.id, timer );
	}

	private end( socket: AgentSocket, code: AuthEndedCode ): void {
		clearTimeout( this.expiries.get( socket.id ) );
		this.expiries.delete( socket.id );
		this.logger.info(
			{ userId: socket.data.userId, code },
			'agent connection ended'
		);
		// Sent on this node only: `socket.emit` would go through the cluster
		// adapter and arrive after the disconnect.
		this.agents.local
			.to( socket.id )
			.emit( 'auth:ended', { code, message: ENDED_MESSAGES[ code ] } );
		socket.disconnect();
	}

	private forgetOldChanges(): void {
		const oldest =
			Math.floor( this.clock().getTime() / 1000 ) -
			STALE_TOKEN_WINDOW_SECONDS;
		for ( const [ userId, at ] of this.changedAt ) {
			if ( at < oldest ) {
				this.changedAt.delete( userId );
			}
		}
	}
}
