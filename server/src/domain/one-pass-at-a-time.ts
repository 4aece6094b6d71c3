/**
 * Periodic passes (the sweep, notification delivery) run one at a time. A
 * pass asked for while one runs is a new pass after it, shared by everyone
 * who asked meanwhile: a caller's pass always begins after its call, so it
 * sees what changed before it asked (a clock moved on, a notification
 * postponed). Sharing the running pass instead missed those changes.
 */
export class OnePassAtATime {
	private running: Promise< void > | null = null;

	private next: Promise< void > | null = null;

	/**
	 * @param pass The work of one pass; its failure is its callers'.
	 */
	constructor( private readonly pass: () => Promise< void > ) {}

	/**
	 * A pass that begins now, or right after the running one.
	 *
	 * @return Resolves when that pass is done.
	 */
	run(): Promise< void > {
		if ( ! this.running ) {
			this.running = this.pass().finally( () => {
				this.running = null;
			} );
			return this.running;
		}
		this.next ??= this.running
			.catch( () => undefined )
			.then( () => {
				this.next = null;
				return this.run();
			} );
		return this.next;
	}

	/** Resolves when no pass runs or waits (failures are the callers'). */
	async idle(): Promise< void > {
		while ( this.running || this.next ) {
			await ( this.next ?? this.running )?.catch( () => undefined );
		}
	}
}
