/**
 * Typing indicators, visitor's and agent's alike: a "typing" on closer than
 * `TYPING_THROTTLE_MS` to the last one passed is dropped; stopping always
 * passes.
 */

/** Typing indicators closer together than this are dropped (stopping always passes). */
export const TYPING_THROTTLE_MS = 1000;

export class TypingThrottle< Socket extends object > {
	/** Per socket, when it last passed a "typing" on, per conversation. */
	private readonly lastTypingAt = new WeakMap<
		Socket,
		Map< string, number >
	>();

	/**
	 * Whether an indicator goes out, remembering it when it does.
	 *
	 * @param socket         The sender's connection.
	 * @param conversationId The conversation it is about ('' when the socket has one).
	 * @param typing         Typing on (true) or stopped.
	 * @param now            Milliseconds since the epoch.
	 */
	passes(
		socket: Socket,
		conversationId: string,
		typing: boolean,
		now: number
	): boolean {
		let typingAt = this.lastTypingAt.get( socket );
		if ( ! typingAt ) {
			typingAt = new Map();
			this.lastTypingAt.set( socket, typingAt );
		}
		const last = typingAt.get( conversationId ) ?? 0;
		if ( typing && now - last < TYPING_THROTTLE_MS ) {
			return false;
		}
		typingAt.set( conversationId, typing ? now : 0 );
		return true;
	}
}
