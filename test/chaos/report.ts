/**
 * The figures of a fault-injection run, as printed by `npm run chaos` and
 * by the short test when it fails.
 */
import type { ScenarioReport } from './scenario';

const ms = ( value: number ): string =>
	Number.isNaN( value ) ? '–' : `${ ( value / 1000 ).toFixed( 2 ) } s`;

function met( value: number, aim: number ): string {
	if ( Number.isNaN( value ) ) {
		return 'not measured';
	}
	return value <= aim ? 'met' : 'NOT met';
}

/**
 * A run's figures, line by line.
 *
 * @param report The run.
 */
export function formatReport( report: ScenarioReport ): string {
	const { options } = report;
	if ( options.visitors === 0 ) {
		return [
			`== the herd alone: ${ options.nodes } nodes on ${ options.storage }, seed ${ options.seed }`,
			...herdLines( report ),
		].join( '\n' );
	}
	const lines = [
		`== ${ options.name }: ${ options.nodes } node(s) on ${ options.storage }, ${ options.visitors } visitors, ${ report.tabs } tabs, ${ options.durationMs / 1000 } s, seed ${ options.seed }`,
		`   typed ${ report.typed }, acknowledged ${ report.acknowledged }, sends without acknowledgement in time ${ report.sendTimeouts }, acknowledgement p50 ${ ms( report.ackLatency.p50 ) } p99 ${ ms( report.ackLatency.p99 ) }`,
		`   faults: ${ report.faults
			.map( ( f ) => `${ f.kind } ${ f.node }` )
			.join(
				', '
			) }; connections refused by the balancer (no live node): ${ report.balancerRefused }`,
		`   phases (s): ${ Object.entries( report.phases )
			.map(
				( [ name, seconds ] ) => `${ name } ${ seconds.toFixed( 1 ) }`
			)
			.join( ', ' ) }`,
		`   settled (every tab and inbox connected, every outbox empty) within a minute: ${ report.settled ? 'yes' : 'NO' }; outboxes still holding messages: ${ report.idleOutboxes }`,
		`   agent inboxes: ${ report.inbox.agents }, connections dropped and back during the run (moved to the other node after a kill): ${ report.inbox.reconnections }`,
	];
	for ( const check of report.checks ) {
		lines.push(
			`   ${ check.ok ? 'PASS' : 'FAIL' } ${ check.name }: ${ Object.entries(
				check.figures
			)
				.map( ( [ key, value ] ) => `${ key } ${ value }` )
				.join( ', ' ) }`
		);
		for ( const example of check.examples ) {
			lines.push( `        ${ example }` );
		}
	}
	lines.push( '   reconnection (client connected again), p50 / p99:' );
	for ( const [ kind, figures ] of Object.entries(
		report.reconnect.byKind
	) ) {
		lines.push(
			`     ${ kind } ×${ figures.faults }: ${ figures.clients } clients dropped, ${ figures.notBack } not back; from the fault ${ ms(
				figures.fromFault.p50
			) } / ${ ms( figures.fromFault.p99 ) } (aim p99 ≤ 2 s: ${ met(
				figures.fromFault.p99,
				2000
			) }); from the node serving again ${ ms(
				figures.fromHealthy.p50
			) } / ${ ms( figures.fromHealthy.p99 ) }`
		);
		lines.push(
			`       where the time went: drop noticed ${ ms(
				figures.noticed.p50
			) } / ${ ms( figures.noticed.p99 ) }; drop to the last attempt ${ ms(
				figures.waited.p50
			) } / ${ ms( figures.waited.p99 ) }; last attempt to connected ${ ms(
				figures.admitted.p50
			) } / ${ ms( figures.admitted.p99 ) }; attempts ${
				figures.attempts.p50
			} / ${ figures.attempts.p99 }`
		);
	}
	lines.push( ...herdLines( report ) );
	return lines.join( '\n' );
}

const cpu = ( value: number ): string =>
	Number.isNaN( value ) ? '–' : `${ value.toFixed( 2 ) } ms`;

/**
 * The herd's figures, if the run had one.
 *
 * @param report The run.
 */
function herdLines( report: ScenarioReport ): string[] {
	const herd = report.herd;
	const lines: string[] = [];
	if ( herd ) {
		lines.push(
			`   herd storage work per reconnection: PostgreSQL ${ herd.storagePerReconnection.postgresTransactions.toFixed(
				1
			) } transactions (a statement outside one counts one), Redis ${ herd.storagePerReconnection.redisCommands.toFixed(
				1
			) } commands (${ Object.entries(
				herd.storagePerReconnection.redisByCommand
			)
				.sort( ( a, b ) => b[ 1 ] - a[ 1 ] )
				.map(
					( [ name, calls ] ) => `${ name } ${ calls.toFixed( 1 ) }`
				)
				.join( ', ' ) })`,
			`   herd CPU per reconnection (user + system, the steady senders' share taken off): survivor ${ cpu(
				herd.cpu.survivorPerReconnectionMs
			) }, PostgreSQL ${ cpu(
				herd.cpu.postgresPerReconnectionMs
			) }, Redis ${ cpu( herd.cpu.redisPerReconnectionMs ) }; the survivor used ${ cpu(
				herd.cpu.survivorMs
			) } in ${ ms( herd.cpu.windowMs ) }, of which ${ cpu(
				herd.cpu.survivorSteadyMs
			) } the steady senders' (at ${ herd.cpu.survivorSteadyRates
				.map( ( r ) => r.toFixed( 0 ) )
				.join( ' and ' ) } ms a second before and after)`,
			`   herd: ${ herd.clients } clients cut at once (their node killed), ${ herd.reconnected } back on the survivor; reconnect p50 ${ ms(
				herd.reconnect.p50
			) } p99 ${ ms( herd.reconnect.p99 ) } max ${ ms(
				herd.reconnect.max
			) } (aim p99 ≤ 2 s: ${ met( herd.reconnect.p99, 2000 ) })`,
			`     last attempt to connected ${ ms( herd.admitted.p50 ) } / ${ ms(
				herd.admitted.p99
			) }; the harness's own event-loop delay meanwhile p99 ${ ms(
				herd.harnessDelay.p99
			) }, max ${ ms( herd.harnessDelay.max ) }`,
			...Object.entries( herd.refusals ).map(
				( [ why, count ] ) => `     not back: ${ count } × ${ why }`
			),
			`   survivor's acknowledgement latency: before p50 ${ ms(
				herd.survivorAckBefore.p50
			) } p99 ${ ms( herd.survivorAckBefore.p99 ) } (${
				herd.survivorAckBefore.samples
			} acks); during the herd p50 ${ ms(
				herd.survivorAckDuring.p50
			) } p99 ${ ms( herd.survivorAckDuring.p99 ) } (${
				herd.survivorAckDuring.samples
			} acks) (aim p99 ≤ 1 s: ${ met( herd.survivorAckDuring.p99, 1000 ) })`
		);
	}
	return lines;
}
