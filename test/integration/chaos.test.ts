/**
 * Issue 21, the short version of `npm run chaos`: two service nodes on
 * PostgreSQL and Redis behind the harness's balancer, 40 visitors of the
 * real widget client (each with a second, listening tab) sending steadily
 * and 4 agents of the real inbox replying, for 30 s while the busiest node
 * has its connections cut or is killed (SIGKILL, then restarted), three
 * times each. Afterwards (a) every acknowledged message is stored once, in
 * order, without gaps, (b) every tab shows exactly the stored conversation,
 * live and after reconnecting, (c) `conversation:resume` from sampled seqs
 * answers what is stored, on both nodes, and (d) every inbox's list,
 * counts, open conversation and replies are as stored, live and after
 * reconnecting. The figures print in the failure message.
 */
import { formatReport } from '../chaos/report';
import { Scenario } from '../chaos/scenario';

jest.setTimeout( 240_000 );

let scenario: Scenario | undefined;

// The run stops what it started; this is for a run cut short by the timeout.
afterAll( () => scenario?.cluster.stop() );

it( 'two nodes through node kills and connection cuts: what every tab shows is what was stored', async () => {
	scenario = new Scenario( {
		name: 'two nodes on PostgreSQL and Redis, short',
		storage: 'postgres',
		nodes: 2,
		visitors: 40,
		// Each visitor listens in a second tab: the tabs that show the holes.
		listeningTabEvery: 1,
		// Agents with the real inbox, replying in a visitor's conversation each.
		agents: 4,
		durationMs: 30_000,
		// Every 5 s from 2.5 s: cut, kill, cut, kill, cut, kill.
		faults: [ 'cut', 'kill' ],
		faultsPerMinute: 12,
		seed: 21,
		herd: 0,
		// Free loopback ports unless told where to start.
		portBase: Number( process.env.CHATFLOWS_CHAOS_PORT_BASE ?? 0 ),
	} );
	const report = await scenario.run();
	expect( report.acknowledged ).toBeGreaterThan( 0 );
	// Every check passed (the received text is the run's figures).
	expect( formatReport( report ) ).not.toMatch( /^ {3}FAIL/m );
} );
