/**
 * The configuration WordPress sent, kept in the repository (so a restart
 * keeps it) and cached in memory for every event that needs it.
 *
 * Visitors use only chatflows the store holds (see `standing`); a
 * conversation already stored under a chatflow deleted since has no routing
 * rules: any agent may take it.
 */
import type {
	CompiledChatflow,
	DirectoryAgent,
	ServiceConfiguration,
} from '@chatflows/protocol';
import type { ChatRepository } from '../repository/types';

export type ConfigurationListener = () => void;

/**
 * What visitors may do under a chatflow now: `published`, anything;
 * `unpublished` (switched off), only go on with an open conversation;
 * `unknown` (never published, or deleted), nothing; `pending`, nothing yet:
 * the service has no configuration at all (it just started and WordPress
 * has not answered).
 */
export type ChatflowStanding =
	| { state: 'published' | 'unpublished'; chatflow: CompiledChatflow }
	| { state: 'unknown' | 'pending' };

const EMPTY: ServiceConfiguration = {
	siteUrl: '',
	allowedOrigins: [],
	chatflows: [],
	agents: [],
	teams: [],
	inboxes: [],
};

export class ConfigurationStore {
	private current: ServiceConfiguration = EMPTY;

	private chatflows = new Map< string, CompiledChatflow >();

	private agents = new Map< string, DirectoryAgent >();

	private readonly listeners = new Set< ConfigurationListener >();

	constructor( private readonly repository: ChatRepository ) {}

	/** Reads what the repository holds (at start, and to pick up another node's writes). */
	async refresh(): Promise< void > {
		this.use( ( await this.repository.loadConfiguration() ) ?? EMPTY );
	}

	/** Everything, as last stored. */
	get configuration(): ServiceConfiguration {
		return this.current;
	}

	/** True once WordPress has sent any configuration. */
	get known(): boolean {
		return this.current !== EMPTY;
	}

	chatflow( id: string ): CompiledChatflow | undefined {
		return this.chatflows.get( id );
	}

	/**
	 * Whether visitors may use a chatflow (a map lookup).
	 *
	 * @param id The chatflow a visitor names.
	 * @return Its standing.
	 */
	standing( id: string ): ChatflowStanding {
		if ( ! this.known ) {
			return { state: 'pending' };
		}
		const chatflow = this.chatflows.get( id );
		if ( ! chatflow ) {
			return { state: 'unknown' };
		}
		return {
			state: chatflow.enabled ? 'published' : 'unpublished',
			chatflow,
		};
	}

	agent( id: string ): DirectoryAgent | undefined {
		return this.agents.get( id );
	}

	/**
	 * Runs `listener` after every change.
	 *
	 * @param listener The callback.
	 * @return A function that unsubscribes.
	 */
	onChange( listener: ConfigurationListener ): () => void {
		this.listeners.add( listener );
		return () => this.listeners.delete( listener );
	}

	async replace(
		configuration: ServiceConfiguration
	): Promise< ServiceConfiguration > {
		const stored =
			await this.repository.replaceConfiguration( configuration );
		this.use( stored );
		return stored;
	}

	/**
	 * Stores one chatflow unless a newer version is stored.
	 *
	 * @param chatflow The chatflow.
	 * @return The version now in effect.
	 */
	async saveChatflow( chatflow: CompiledChatflow ): Promise< number > {
		await this.repository.saveChatflow( chatflow );
		await this.refresh();
		return this.chatflows.get( chatflow.id )?.version ?? chatflow.version;
	}

	async deleteChatflow( id: string ): Promise< boolean > {
		const deleted = await this.repository.deleteChatflow( id );
		await this.refresh();
		return deleted;
	}

	private use( configuration: ServiceConfiguration ): void {
		this.current = configuration;
		this.chatflows = new Map(
			configuration.chatflows.map( ( flow ) => [ flow.id, flow ] )
		);
		this.agents = new Map(
			configuration.agents.map( ( agent ) => [ agent.id, agent ] )
		);
		for ( const listener of this.listeners ) {
			listener();
		}
	}
}
