/**
 * How the service's clients (the visitor widget and the agent inbox) come
 * back after a connection drops, and how they space out a request the service
 * did not answer while the connection stayed up. Written once, used by both.
 */

/**
 * socket.io-client's reconnection options for a chat.
 *
 * socket.io waits `reconnectionDelay × 2^attempt` (capped at
 * `reconnectionDelayMax`) before each attempt, moved by up to
 * ± `randomizationFactor` of itself. Its defaults (1 s, 5 s, 0.5) bring a
 * client back 0.5–1.5 s after a drop, then up to 5 s apart: a visitor stares
 * at "reconnecting" for seconds after a node restarts.
 *
 * - `reconnectionDelay: 500` with `randomizationFactor: 1` (full jitter):
 *   the first attempt falls anywhere in 0–1 s. When a node dies, its
 *   clients reach a surviving node within a second (the handshake then has
 *   another second for the 2 s goal), and the herd that lost the node is
 *   spread evenly over that second instead of the default's half second
 *   (1,000 clients: about one handshake a millisecond).
 * - `reconnectionDelayMax: 1500`: while no node answers (a single node
 *   restarting), each client still tries at least every 1.5 s, so it is
 *   back within about 1.5 s of the service (leaving room for the handshake
 *   within 2 s); a refused attempt costs the service nothing. The earlier
 *   attempts' jitter keeps the clients out of step.
 *
 * - `timeout: 8000`: a connection attempt that reaches a node that accepts
 *   but never answers (frozen) gives up after 8 s instead of socket.io's
 *   20 s, and the next attempt may reach a live node; 8 s still lets a slow
 *   mobile network finish a handshake.
 *
 * Modelled with socket.io's backoff (20,000 clients, attempts refused while
 * the service is down, answered at once after): with a node surviving, p99
 * 1.0 s from the drop (defaults 1.5 s); a service down 2.5 s, p99 1.5 s from
 * when it is back (defaults 4.9 s, as measured in issue 21's runs).
 */
export const RECONNECTION = {
	reconnectionDelay: 500,
	reconnectionDelayMax: 1500,
	randomizationFactor: 1,
	timeout: 8000,
} as const;

/** The first wait before asking again what the service did not answer. */
export const RETRY_BASE_MS = 1000;

/** The longest wait between two such attempts. */
export const RETRY_MAX_MS = 30_000;

/**
 * How long to wait before asking again after `failures` requests in a row got
 * no answer on an open connection: doubling from `RETRY_BASE_MS` up to
 * `RETRY_MAX_MS`, each wait somewhere between half and all of that, so the
 * clients of a node that froze do not all ask again at once when it thaws.
 *
 * @param failures Unanswered attempts so far (0 for the first retry).
 * @param random   A number in [0, 1) (Math.random by default).
 * @return Milliseconds.
 */
export function retryDelayMs(
	failures: number,
	random: () => number = Math.random
): number {
	const ceiling = Math.min(
		RETRY_MAX_MS,
		RETRY_BASE_MS * 2 ** Math.min( failures, 16 )
	);
	return Math.round( ceiling * ( 0.5 + random() / 2 ) );
}
