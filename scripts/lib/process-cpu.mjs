/**
 * CPU time of processes on this machine (Linux `/proc`): how much work a
 * server did over a window (the bench's servers, the chaos harness's nodes,
 * PostgreSQL and Redis). Unlike latency on a shared machine, CPU per unit of
 * work is steady from run to run.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

let ticksPerSecond = 0;

/** Clock ticks per second of `/proc`'s CPU times (`getconf CLK_TCK`, 100 almost everywhere). */
function clockTicks() {
	if ( ! ticksPerSecond ) {
		try {
			ticksPerSecond =
				Number(
					execFileSync( 'getconf', [ 'CLK_TCK' ], {
						encoding: 'utf8',
					} ).trim()
				) || 100;
		} catch {
			ticksPerSecond = 100;
		}
	}
	return ticksPerSecond;
}

/**
 * The fields of `/proc/<pid>/stat` after the command name (which may hold
 * spaces and parentheses): index 0 is the state, 1 the parent, 11 and 12 the
 * user and system time in clock ticks.
 *
 * @param {number} pid The process.
 * @return {string[]|null} The fields, or null when it is gone.
 */
function statFields( pid ) {
	try {
		const stat = fs.readFileSync( `/proc/${ pid }/stat`, 'utf8' );
		return stat.slice( stat.lastIndexOf( ')' ) + 2 ).split( ' ' );
	} catch {
		return null;
	}
}

/**
 * User plus system CPU time a process has used so far, all its threads, in ms;
 * NaN when it is gone (or there is no `/proc`).
 *
 * @param {number|undefined} pid The process.
 * @return {number} Milliseconds.
 */
export function processCpuMs( pid ) {
	const fields = pid ? statFields( pid ) : null;
	if ( ! fields ) {
		return NaN;
	}
	return (
		( ( Number( fields[ 11 ] ) + Number( fields[ 12 ] ) ) * 1000 ) /
		clockTicks()
	);
}

/**
 * The CPU time of a process and its children, in ms: PostgreSQL's
 * postmaster and its backends, living or exited (and reaped by it).
 *
 * @param {number|undefined} pid The parent.
 * @return {number} Milliseconds.
 */
export function processTreeCpuMs( pid ) {
	const own = pid ? statFields( pid ) : null;
	if ( ! pid || ! own ) {
		return NaN;
	}
	// Its own user and system time, and that of the children it reaped.
	let total =
		( ( Number( own[ 11 ] ) +
			Number( own[ 12 ] ) +
			Number( own[ 13 ] ) +
			Number( own[ 14 ] ) ) *
			1000 ) /
		clockTicks();
	for ( const entry of fs.readdirSync( '/proc' ) ) {
		if ( ! /^\d+$/.test( entry ) ) {
			continue;
		}
		const fields = statFields( Number( entry ) );
		if ( fields && Number( fields[ 1 ] ) === pid ) {
			total += processCpuMs( Number( entry ) ) || 0;
		}
	}
	return total;
}
