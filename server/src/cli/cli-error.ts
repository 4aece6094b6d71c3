/** A failure of a command, said in plain words; the CLI prints it and exits with status 1. */
export class CliError extends Error {
	constructor( message: string ) {
		super( message );
		this.name = 'CliError';
	}
}
