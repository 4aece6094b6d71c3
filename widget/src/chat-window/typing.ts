/**
 * Tells the other side the visitor is typing, without flooding the service:
 * "typing" at most once per interval while keys keep coming, and "stopped"
 * after a pause or when the message is sent.
 */

/** Least time between two "typing" signals. */
export const TYPING_RESEND_MS = 3000;
/** A pause this long counts as stopping. */
export const TYPING_IDLE_MS = 4000;

export class TypingNotifier {
	private typing = false;
	private sentAt = 0;
	private idleTimer: ReturnType< typeof setTimeout > | undefined;

	/**
	 * @param emit  Sends the visitor's typing state.
	 * @param clock Current time in milliseconds.
	 */
	constructor(
		private readonly emit: ( typing: boolean ) => void,
		private readonly clock: () => number = Date.now
	) {}

	/** The visitor typed (or deleted) something. */
	input(): void {
		const now = this.clock();
		if ( ! this.typing || now - this.sentAt >= TYPING_RESEND_MS ) {
			this.typing = true;
			this.sentAt = now;
			this.emit( true );
		}
		clearTimeout( this.idleTimer );
		this.idleTimer = setTimeout( () => this.stop(), TYPING_IDLE_MS );
	}

	/** The visitor sent the message or paused. */
	stop(): void {
		clearTimeout( this.idleTimer );
		if ( this.typing ) {
			this.typing = false;
			this.emit( false );
		}
	}
}
