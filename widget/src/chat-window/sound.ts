/**
 * A short, quiet chime for a new message from the team (only when the visitor
 * turned the sound on). Synthesised, so the window downloads no audio file.
 */
let context: AudioContext | undefined;

/** Plays the chime; does nothing where audio is unavailable or not yet allowed. */
export function playChime(): void {
	try {
		context ??= new AudioContext();
		const oscillator = context.createOscillator();
		const gain = context.createGain();
		const start = context.currentTime;
		oscillator.frequency.setValueAtTime( 880, start );
		gain.gain.setValueAtTime( 0.08, start );
		gain.gain.exponentialRampToValueAtTime( 0.0001, start + 0.3 );
		oscillator.connect( gain ).connect( context.destination );
		oscillator.start( start );
		oscillator.stop( start + 0.3 );
	} catch {
		// No audio here: the message still shows.
	}
}
