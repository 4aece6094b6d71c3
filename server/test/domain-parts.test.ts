/**
 * Each part of the domain alone, without sockets: a real repository
 * (SQLite) and configuration store, and an announcer that records what the
 * domain says (the socket layer's side, `Broadcaster`, is what the service
 * tests exercise).
 */
import path from 'node:path';
import pino from 'pino';
import { ConfigurationStore } from '../src/chatflow-sync/store';
import type { WordPressClient } from '../src/chatflow-sync/wordpress';
import { WordPressAnswerError } from '../src/chatflow-sync/wordpress';
import { type ServiceNotification } from '@chatflows/protocol';
import { AgentAvailability } from '../src/domain/agent-availability';
import type { DomainAnnouncer } from '../src/domain/announcer';
import { AssignmentQueue } from '../src/domain/assignment';
import { WordPressNotifications } from '../src/domain/notifications';
import type { PresenceTransport } from '../src/domain/presence';
import { Sweeps } from '../src/domain/sweeps';
import { openSqliteRepository } from '../src/repository/sqlite';
import type {
	ChatRepository,
	ConversationRecord,
} from '../src/repository/types';
import { makeTempDir, removeTempDirs } from './helpers';
import { chatflow, configuration } from './repository-domain';

afterAll( removeTempDirs );

const logger = pino( { level: 'silent' } );
const T0 = Date.parse( '2026-01-01T12:00:00.000Z' );

/** What the domain said, in order, as `[ method, ...arguments ]`. */
type Said = Array< [ string, ...unknown[] ] >;

function recordingAnnouncer( chatflowsWithVisitors: string[] ): {
	announcer: DomainAnnouncer;
	said: Said;
} {
	const said: Said = [];
	const announcer: DomainAnnouncer = {
		agentPresence: ( ...args ) => said.push( [ 'agentPresence', ...args ] ),
		conversationUpdated: ( ...args ) =>
			said.push( [ 'conversationUpdated', ...args ] ),
		visitorConversationUpdated: ( ...args ) =>
			said.push( [ 'visitorConversationUpdated', ...args ] ),
		queuePosition: ( ...args ) => said.push( [ 'queuePosition', ...args ] ),
		availability: ( ...args ) => said.push( [ 'availability', ...args ] ),
		chatflowsWithVisitors: () => chatflowsWithVisitors,
	};
	return { announcer, said };
}

/** A node alone: its adapter names no cluster, so nothing crosses nodes. */
const ALONE: PresenceTransport = {
	adapter: {},
	on: () => undefined,
	serverSideEmit: () => undefined,
	sockets: new Map(),
};

interface World {
	repository: ChatRepository;
	configuration: ConfigurationStore;
	now: { value: number };
	clock: () => Date;
}

async function world(
	idleCloseMinutes = 0,
	retentionDays?: number
): Promise< World > {
	const repository = openSqliteRepository(
		path.join( makeTempDir(), 'chatflows.sqlite' )
	);
	const store = new ConfigurationStore( repository );
	const sent = configuration( [
		{
			...chatflow( 'support', 1, 'Support' ),
			// Available while an agent is.
			availability: { mode: 'users' },
			idleCloseMinutes,
		},
	] );
	await store.replace(
		retentionDays === undefined
			? sent
			: { ...sent, retention: { closedConversationDays: retentionDays } }
	);
	const now = { value: T0 };
	return {
		repository,
		configuration: store,
		now,
		clock: () => new Date( now.value ),
	};
}

let opened: ChatRepository[] = [];

afterEach( async () => {
	await Promise.all( opened.map( ( repository ) => repository.close() ) );
	opened = [];
} );

async function openConversation(
	{ repository, clock }: World,
	visitorId: string
): Promise< ConversationRecord > {
	await repository.createVisitor( {
		id: visitorId,
		sessionHash: `hash-${ visitorId }`,
		createdAt: clock().toISOString(),
	} );
	const result = await repository.appendVisitorMessage( {
		visitorId,
		chatflowId: 'support',
		newConversationId: `conversation-${ visitorId }`,
		pageUrl: '',
		clientId: `client-${ visitorId }`,
		author: { type: 'visitor', id: visitorId, name: '' },
		body: 'Hello',
		createdAt: clock().toISOString(),
	} );
	return result.conversation;
}

describe( 'AgentAvailability alone', () => {
	it( 'announces presence, asks for a full pass, and tells each chatflow its availability once per change', async () => {
		const here = await world();
		opened.push( here.repository );
		const { announcer, said } = recordingAnnouncer( [
			'support',
			'invented',
		] );
		const passes: boolean[] = [];
		const availability = new AgentAvailability( {
			...here,
			announcer,
			presenceTransport: ALONE,
			onPresenceChange: ( fullPass ) => passes.push( fullPass ),
		} );

		expect(
			( await availability.currentAvailability( 'support' ) ).state
		).toBe( 'offline' );
		availability.agentConnected( '7' );
		expect( said ).toEqual( [
			[ 'agentPresence', '7', 'available', 'cluster' ],
		] );
		expect( passes ).toEqual( [ true ] );
		expect( availability.presenceOf( '7' ) ).toBe( 'available' );

		const loads = await availability.loads();
		availability.announceAvailability( loads );
		availability.announceAvailability( loads );
		// Once, and only for a chatflow WordPress holds.
		expect(
			said.filter( ( [ what ] ) => what === 'availability' )
		).toEqual( [
			[
				'availability',
				'support',
				expect.objectContaining( { state: 'available' } ),
			],
		] );

		availability.setPresence( '7', 'away' );
		expect( availability.presenceOf( '7' ) ).toBe( 'away' );
		expect(
			( await availability.currentAvailability( 'support' ) ).state
		).toBe( 'away' );
		availability.agentDisconnected( '7' );
		expect( said.at( -1 ) ).toEqual( [
			'agentPresence',
			'7',
			'offline',
			'cluster',
		] );
	} );
} );

describe( 'AgentAvailability while no loads are cached', () => {
	it( 'has visitors who connect meanwhile share one read of the loads, and read anew after a presence change', async () => {
		const here = await world();
		opened.push( here.repository );
		// The real repository, its reads of the loads counted.
		let reads = 0;
		const repository = new Proxy( here.repository, {
			get: ( target, key, receiver ) =>
				key === 'countOpenByAssignee'
					? () => {
							reads++;
							return target.countOpenByAssignee();
						}
					: Reflect.get( target, key, receiver ),
		} );
		const { announcer } = recordingAnnouncer( [ 'support' ] );
		const availability: AgentAvailability = new AgentAvailability( {
			...here,
			repository,
			announcer,
			presenceTransport: ALONE,
			// As the domain's assignment does: a pass is asked, the loads forgotten.
			onPresenceChange: () => availability.forgetLoads(),
		} );

		const herd = await Promise.all(
			[ 1, 2, 3, 4 ].map( () =>
				availability.currentAvailability( 'support' )
			)
		);
		expect( herd.map( ( answer ) => answer.state ) ).toEqual( [
			'offline',
			'offline',
			'offline',
			'offline',
		] );
		expect( reads ).toBe( 1 );

		// A visitor asking after a change does not join the read begun before it.
		const before = availability.currentAvailability( 'support' );
		availability.agentConnected( '7' );
		const after = availability.currentAvailability( 'support' );
		await before;
		expect( ( await after ).state ).toBe( 'available' );
		expect( reads ).toBe( 3 );
	} );
} );

describe( 'AssignmentQueue alone', () => {
	it( 'queues conversations nobody can take, then hands the oldest to an agent who connects', async () => {
		const here = await world();
		opened.push( here.repository );
		const { announcer, said } = recordingAnnouncer( [ 'support' ] );
		const availability = new AgentAvailability( {
			...here,
			announcer,
			presenceTransport: ALONE,
			onPresenceChange: () => undefined,
		} );
		const assignment = new AssignmentQueue( {
			...here,
			announcer,
			availability,
			logger,
		} );

		const first = await openConversation( here, 'visitor-1' );
		await assignment.conversationOpened( first, 'en' );
		const second = await openConversation( here, 'visitor-2' );
		await assignment.conversationOpened( second, 'en' );
		expect(
			said
				.filter( ( [ what ] ) => what === 'queuePosition' )
				.map( ( [ , visitorId, position ] ) => [
					visitorId,
					( position as { position: number } ).position,
				] )
		).toEqual( [
			[ 'visitor-1', 1 ],
			[ 'visitor-2', 2 ],
		] );
		expect( await assignment.queuePositionOf( second ) ).toMatchObject( {
			position: 2,
		} );

		availability.agentConnected( '7' );
		await assignment.rebalance();
		const assigned = said.filter(
			( [ what ] ) => what === 'conversationUpdated'
		);
		// Capacity 3: both go to the one agent, oldest first.
		expect(
			assigned.map( ( [ , summary ] ) => [
				( summary as { id: string } ).id,
				( summary as { assigneeId: string } ).assigneeId,
			] )
		).toEqual( [
			[ first.id, '7' ],
			[ second.id, '7' ],
		] );
		expect(
			await assignment.queuePositionOf(
				( await here.repository.findConversation( first.id ) )!
			)
		).toBeNull();
		assignment.stop();
		await assignment.idle();
	} );
} );

describe( 'Sweeps alone', () => {
	it( 'closes a conversation idle past its chatflow’s limit, then delivers and rebalances', async () => {
		const here = await world( 5 );
		opened.push( here.repository );
		const steps: string[] = [];
		const closed: ConversationRecord[] = [];
		const sweeps = new Sweeps( {
			...here,
			logger,
			closed: async ( conversation ) => {
				closed.push( conversation );
				steps.push( 'closed' );
			},
			deliverNotifications: async () => {
				steps.push( 'deliver' );
			},
			rebalance: async () => {
				steps.push( 'rebalance' );
			},
		} );
		const conversation = await openConversation( here, 'visitor-1' );

		here.now.value += 4 * 60_000;
		await sweeps.sweep();
		expect( closed ).toEqual( [] );

		here.now.value += 2 * 60_000;
		await sweeps.sweep();
		expect( closed.map( ( { id, status } ) => [ id, status ] ) ).toEqual( [
			[ conversation.id, 'closed' ],
		] );
		expect( steps ).toEqual( [
			'deliver',
			'rebalance',
			'closed',
			'deliver',
			'rebalance',
		] );
		await sweeps.stop();
	} );

	it( 'deletes conversations closed longer ago than the retention, and only those', async () => {
		const here = await world( 0, 1 );
		opened.push( here.repository );
		const sweeps = new Sweeps( {
			...here,
			logger,
			closed: async () => undefined,
			deliverNotifications: async () => undefined,
			rebalance: async () => undefined,
		} );
		const old = await openConversation( here, 'visitor-1' );
		await here.repository.setConversationStatus( {
			conversationId: old.id,
			status: 'closed',
			updatedAt: here.clock().toISOString(),
		} );
		here.now.value += 2 * 24 * 60 * 60_000;
		const recent = await openConversation( here, 'visitor-2' );
		await here.repository.setConversationStatus( {
			conversationId: recent.id,
			status: 'closed',
			updatedAt: here.clock().toISOString(),
		} );

		await sweeps.sweep();
		expect( await here.repository.findConversation( old.id ) ).toBeNull();
		expect(
			await here.repository.findConversation( recent.id )
		).not.toBeNull();
		await sweeps.stop();
	} );
} );

describe( 'WordPressNotifications alone', () => {
	const offline = ( id: string ): ServiceNotification & { id: string } => ( {
		id,
		type: 'offline_message',
		chatflowId: 'support',
		conversationId: 'conversation-1',
		userIds: [],
		visitor: { email: null, name: null },
		messages: [ { authorName: '', body: 'Call me', createdAt: '' } ],
		pageUrl: '',
	} );

	/**
	 * Stands for WordPress's notification route: what it took, or why not.
	 *
	 * @param answer Throws to refuse a notification.
	 */
	function wordpress( answer: () => void ): {
		client: WordPressClient;
		taken: ServiceNotification[];
	} {
		const taken: ServiceNotification[] = [];
		const client = {
			notify: async ( notification: ServiceNotification ) => {
				answer();
				taken.push( notification );
			},
		} as unknown as WordPressClient;
		return { client, taken };
	}

	it( 'stores a notification, delivers it once, and forgets it', async () => {
		const here = await world();
		opened.push( here.repository );
		const { client, taken } = wordpress( () => undefined );
		const notifications = new WordPressNotifications( {
			...here,
			logger,
			wordpress: client,
			loads: async () => [],
		} );
		await notifications.notify( offline( 'offline_message:1' ) );
		await notifications.idle();
		await notifications.deliverNotifications();
		expect( taken.map( ( { type } ) => type ) ).toEqual( [
			'offline_message',
		] );
		expect(
			await here.repository.listDueNotifications(
				new Date( T0 + 86_400_000 ).toISOString(),
				10
			)
		).toEqual( [] );
	} );

	it( 'keeps a notification WordPress fails to take for a retry, and gives up on one it refuses', async () => {
		const here = await world();
		opened.push( here.repository );
		let status = 503;
		const { client } = wordpress( () => {
			throw new WordPressAnswerError( status, null );
		} );
		const notifications = new WordPressNotifications( {
			...here,
			logger,
			wordpress: client,
			loads: async () => [],
		} );
		await notifications.notify( offline( 'offline_message:1' ) );
		await notifications.idle();
		const later = new Date( T0 + 86_000_000 ).toISOString();
		expect(
			( await here.repository.listDueNotifications( later, 10 ) ).map(
				( { id } ) => id
			)
		).toEqual( [ 'offline_message:1' ] );

		status = 400;
		here.now.value = Date.parse( later );
		await notifications.deliverNotifications();
		expect(
			await here.repository.listDueNotifications(
				new Date( T0 + 3 * 86_400_000 ).toISOString(),
				10
			)
		).toEqual( [] );
	} );
} );
