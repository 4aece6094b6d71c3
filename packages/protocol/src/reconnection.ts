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
 * - `reconnectionDelay: 250` with `randomizationFactor: 1` (full jitter):
 *   the first attempt falls anywhere in 0–0.5 s. What a node's clients wait
 *   for after it dies is mostly the survivor admitting them one after the
 *   other (about 400 a second here, each costing a session lookup and a
 *   catch-up); a longer spread only adds to that wait (with 0–1 s, 250
 *   clients: p99 2.5–2.9 s; with 0–0.5 s: 2.1 s). The herd is still spread
 *   (1,000 clients: one handshake every half millisecond), and the survivor
 *   keeps answering its own clients (acknowledgement p99 0.5 s during it).
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
 * Measured by the fault-injection harness (`npm run chaos`; figures in
 * docs/benchmarks.md, "Chaos").
 */
export const RECONNECTION = {
	reconnectionDelay: 250,
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
