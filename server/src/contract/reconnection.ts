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
 * - `reconnectionDelayMax: 2000`: while no node answers (a single node
 *   restarting), each client still tries at least every 2 s, so it is back at
 *   most about 2 s after the service is; a refused attempt is cheap for the
 *   service. The earlier attempts' jitter keeps the clients out of step.
 */
export const RECONNECTION = {
	reconnectionDelay: 500,
	reconnectionDelayMax: 2000,
	randomizationFactor: 1,
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
