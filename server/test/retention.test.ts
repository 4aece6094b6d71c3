/**
 * Retention on SQLite and on a real PostgreSQL server, with a fixed clock:
 * the periodic sweep deletes conversations closed more than the
 * configuration's `closedConversationDays` ago (by when they closed, not
 * when they opened), with everything keyed by them; open ones and recently
 * closed ones stay, and 0 keeps everything.
 */
import type { ServiceConfiguration } from '@chatflows/protocol';
import {
	agentAsk,
	connectAgent,
	connectVisitor,
	sendMessage,
	startService,
	type AgentClient,
	type TestService,
} from './helpers';
import { onSqliteAndPostgres } from './postgres-server';
import { chatflow, configuration } from './repository-domain';

jest.setTimeout( 60_000 );

const DATABASES = onSqliteAndPostgres();

const T0 = Date.parse( '2026-01-01T12:00:00.000Z' );
const DAY = 24 * 60 * 60 * 1000;

function withRetention( days: number | null ): ServiceConfiguration {
	const sent = configuration( [ chatflow( 'support', 1, 'Support' ) ] );
	return days === null
		? sent
		: { ...sent, retention: { closedConversationDays: days } };
}

describe.each( DATABASES )( 'retention on %s', ( _name, openRepository ) => {
	let service: TestService;
	let now: number;
	let agent: AgentClient;

	beforeEach( async () => {
		now = T0;
		service = await startService( {
			repository: await openRepository(),
			clock: () => new Date( now ),
		} );
		agent = await connectAgent( service );
	} );

	/**
	 * A visitor's conversation opened now, closed `closedAfterDays` later
	 * (null: left open).
	 *
	 * @param closedAfterDays Days after opening it closes.
	 * @return Its id.
	 */
	const conversation = async (
		closedAfterDays: number | null
	): Promise< string > => {
		const opened = now;
		const { socket } = await connectVisitor( service );
		const id = await sendMessage( socket, 'Hello' );
		await agentAsk( agent, 'message:send', {
			conversationId: id,
			clientId: 'reply',
			body: 'Hi!',
		} );
		await agentAsk( agent, 'conversation:read', {
			conversationId: id,
			seq: 2,
		} );
		if ( closedAfterDays !== null ) {
			now = opened + closedAfterDays * DAY;
			const closed = await agentAsk( agent, 'conversation:close', {
				conversationId: id,
			} );
			expect( closed.ok ).toBe( true );
			await agentAsk( agent, 'ticket:update', {
				conversationId: id,
				properties: { status: 'done' },
			} );
		}
		now = opened;
		return id;
	};

	const exists = async ( id: string ): Promise< boolean > =>
		( await service.repository.findConversation( id ) ) !== null;

	it( 'deletes conversations closed longer ago than the retention, by when they closed, with their messages and ticket', async () => {
		await service.app.configuration.replace( withRetention( 30 ) );
		const oldClosed = await conversation( 0 );
		// Opened as long ago, but closed only 20 days before the sweep.
		const recentlyClosed = await conversation( 20 );
		const oldOpen = await conversation( null );

		now = T0 + 29 * DAY;
		await service.app.domain.sweeps.sweep();
		expect( await exists( oldClosed ) ).toBe( true );

		now = T0 + 40 * DAY;
		await service.app.domain.sweeps.sweep();
		expect( await exists( oldClosed ) ).toBe( false );
		await expect(
			service.repository.listMessages( oldClosed, 0 )
		).resolves.toEqual( [] );
		await expect(
			service.repository.findTicket( oldClosed )
		).resolves.toBeNull();
		expect( await exists( recentlyClosed ) ).toBe( true );
		expect( await exists( oldOpen ) ).toBe( true );
		await expect(
			service.repository.listMessages( recentlyClosed, 0 )
		).resolves.toHaveLength( 2 );

		now = T0 + 51 * DAY;
		await service.app.domain.sweeps.sweep();
		expect( await exists( recentlyClosed ) ).toBe( false );
		expect( await exists( oldOpen ) ).toBe( true );
	} );

	it.each< [ string, number | null ] >( [
		[ '0', 0 ],
		[ 'absent (an older WordPress)', null ],
	] )(
		'keeps everything when the retention is %s',
		async ( _label, days ) => {
			await service.app.configuration.replace( withRetention( days ) );
			const closed = await conversation( 0 );
			now = T0 + 3650 * DAY;
			await service.app.domain.sweeps.sweep();
			expect( await exists( closed ) ).toBe( true );
		}
	);
} );
