/**
 * E-mails to the team under a flood: a cap per chatflow and window, the rest
 * folded into one digest when the window ends; and notifications WordPress
 * refuses are not retried forever. A real HTTP server stands in for
 * WordPress's notify endpoint (its signatures are tested elsewhere).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ServiceNotification } from '@chatflows/protocol';
import {
	CONFIGURATION_PATH,
	NOTIFY_PATH,
} from '../src/chatflow-sync/wordpress';
import { NOTIFICATION_RETRY_LIMIT_MS } from '../src/domain/notifications';
import { ChatLimits, DEFAULT_LIMIT_SETTINGS } from '../src/limits/rate-limits';
import {
	connectVisitor,
	startService,
	until,
	visitorAsk,
	type TestService,
} from './helpers';
import { onSqliteAndPostgres } from './postgres-server';
import { chatflow, configuration } from './repository-domain';

const DATABASES = onSqliteAndPostgres();

interface Receiver {
	url: string;
	/** Notifications answered 2xx. */
	accepted: ServiceNotification[];
	/** Every call to the notify endpoint. */
	calls: number;
	/** Answer this status to notifications; null: 200. */
	failWith: number | null;
	close: () => Promise< void >;
}

async function startReceiver(): Promise< Receiver > {
	const state = {
		accepted: [] as ServiceNotification[],
		calls: 0,
		failWith: null as number | null,
	};
	const server = http.createServer( ( req, res ) => {
		const chunks: Buffer[] = [];
		req.on( 'data', ( chunk: Buffer ) => chunks.push( chunk ) );
		req.on( 'end', () => {
			const reply = ( status: number, json: unknown ) => {
				res.writeHead( status, { 'Content-Type': 'application/json' } );
				res.end( JSON.stringify( json ) );
			};
			if ( req.method === 'GET' && req.url === CONFIGURATION_PATH ) {
				reply( 200, configuration( [ chatflow( 'support', 1 ) ] ) );
				return;
			}
			if ( req.method === 'POST' && req.url === NOTIFY_PATH ) {
				state.calls++;
				if ( state.failWith !== null ) {
					reply( state.failWith, { code: 'refused' } );
					return;
				}
				state.accepted.push(
					JSON.parse( Buffer.concat( chunks ).toString() )
				);
				reply( 200, { sent: true } );
				return;
			}
			reply( 404, { code: 'not_found' } );
		} );
	} );
	await new Promise< void >( ( resolve ) =>
		server.listen( 0, '127.0.0.1', resolve )
	);
	const receiver = state as Receiver;
	receiver.url = `http://127.0.0.1:${
		( server.address() as AddressInfo ).port
	}`;
	receiver.close = () =>
		new Promise( ( resolve ) => {
			server.closeAllConnections();
			server.close( () => resolve() );
		} );
	return receiver;
}

const WINDOW_MINUTES = 15;
const WINDOW_MS = WINDOW_MINUTES * 60_000;
const FAR_FUTURE = '2999-01-01T00:00:00.000Z';

describe.each( DATABASES )( 'team e-mails on %s', ( _name, openRepository ) => {
	let receiver: Receiver;
	let now: number;
	let service: TestService;

	beforeEach( async () => {
		receiver = await startReceiver();
		// A minute into a window, by the service's clock.
		now = Math.floor( Date.now() / WINDOW_MS ) * WINDOW_MS + 60_000;
		service = await startService( {
			repository: await openRepository(),
			// Only what WordPress (the receiver) answers the pull with: agent 7.
			configuration: null,
			clock: () => new Date( now ),
			deps: {
				wordpressUrl: receiver.url,
				limits: ChatLimits.inMemory( {
					...DEFAULT_LIMIT_SETTINGS,
					teamEmailsPerWindow: 3,
					teamEmailWindowMinutes: WINDOW_MINUTES,
				} ),
			},
		} );
		await until(
			() => service.app.configuration.chatflow( 'support' ) !== undefined,
			'the pulled configuration'
		);
	} );

	afterEach( async () => {
		await receiver.close();
	} );

	/**
	 * A fresh visitor opens a conversation nobody can take: a team e-mail.
	 * @param body
	 */
	async function newConversation( body: string ): Promise< string > {
		const { socket } = await connectVisitor( service );
		const sent = await visitorAsk( socket, 'message:send', {
			clientId: 'c1',
			body,
		} );
		if ( ! sent.ok ) {
			throw new Error( `send failed: ${ sent.error.code }` );
		}
		socket.disconnect();
		return sent.data.message.conversationId;
	}

	const pending = () =>
		service.repository.listDueNotifications( FAR_FUTURE, 100 );

	/**
	 * Delivers what is due, then checks: one delivery pass at a time, so a
	 * notification stored during a pass waits for the next one.
	 *
	 * @param condition What must hold.
	 */
	const delivered =
		( condition: () => boolean | Promise< boolean > ) => async () => {
			await service.app.domain.notifications.deliverNotifications();
			return condition();
		};

	it( 'sends the cap one by one, folds the rest of the window into one digest when it ends', async () => {
		const conversations: string[] = [];
		for ( let i = 1; i <= 8; i++ ) {
			conversations.push( await newConversation( `Hello ${ i }` ) );
		}
		await until(
			delivered(
				async () =>
					receiver.accepted.length === 3 &&
					( await pending() ).length === 5
			),
			'three e-mails and five held'
		);
		expect(
			( await pending() ).every(
				( held ) =>
					held.nextAttemptAt ===
					new Date( now - 60_000 + WINDOW_MS ).toISOString()
			)
		).toBe( true );
		await service.app.domain.sweeps.sweep();
		expect( receiver.calls ).toBe( 3 );

		now += WINDOW_MS;
		await service.app.domain.sweeps.sweep();
		expect( receiver.accepted ).toHaveLength( 4 );
		const digest = receiver.accepted[ 3 ];
		expect( digest ).toMatchObject( {
			id: expect.stringMatching(
				/^digest:support:\d+:7:new_conversation:/
			),
			type: 'digest',
			chatflowId: 'support',
			conversationId: '',
			userIds: [ '7' ],
			visitor: { email: null, name: null },
			pageUrl: '',
			count: 5,
		} );
		const one = receiver.accepted
			.slice( 0, 3 )
			.map( ( sent ) => sent.messages[ 0 ].body );
		const folded = digest.messages.map( ( message ) => message.body );
		expect( [ ...one, ...folded ].sort() ).toEqual(
			conversations.map( ( _id, i ) => `Hello ${ i + 1 }` ).sort()
		);
		await expect( pending() ).resolves.toEqual( [] );
		await service.app.domain.sweeps.sweep();
		expect( receiver.calls ).toBe( 4 );

		// A new window: e-mails one by one again.
		const next = await newConversation( 'A new window' );
		await until(
			delivered( () => receiver.accepted.length === 5 ),
			'the next window’s e-mail'
		);
		expect( receiver.accepted[ 4 ] ).toMatchObject( {
			type: 'new_conversation',
			conversationId: next,
		} );
	} );

	it( 'marks a notification WordPress refuses with a 4xx failed, and never sends it again', async () => {
		receiver.failWith = 400;
		await newConversation( 'Hello' );
		await until(
			async () =>
				receiver.calls === 1 && ( await pending() ).length === 0,
			'the refused notification marked failed'
		);
		now += 24 * 60 * 60 * 1000;
		receiver.failWith = null;
		await service.app.domain.sweeps.sweep();
		expect( receiver.calls ).toBe( 1 );
		expect( receiver.accepted ).toEqual( [] );
	} );

	it( 'retries a 429 or 5xx with backoff, and gives up after a day', async () => {
		receiver.failWith = 429;
		await newConversation( 'Hello' );
		await until(
			async () =>
				receiver.calls === 1 &&
				( await pending() ).some( ( held ) => held.attempts === 1 ),
			'a failed attempt, kept for later'
		);
		receiver.failWith = 503;
		now += 60_000;
		await service.app.domain.sweeps.sweep();
		expect( receiver.calls ).toBe( 2 );
		await expect( pending() ).resolves.toMatchObject( [ { attempts: 2 } ] );

		now += NOTIFICATION_RETRY_LIMIT_MS;
		await service.app.domain.sweeps.sweep();
		expect( receiver.calls ).toBe( 3 );
		await expect( pending() ).resolves.toEqual( [] );
		now += 60 * 60 * 1000;
		await service.app.domain.sweeps.sweep();
		expect( receiver.calls ).toBe( 3 );
	} );
} );
