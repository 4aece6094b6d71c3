/**
 * Paths of the `chatflows/v1` REST routes, and the shape of their errors.
 */
export const API_ROOT = '/chatflows/v1';

/** What `apiFetch` rejects with when WordPress answers with an error. */
export interface RestError {
	code: string;
	message: string;
	data?: {
		status?: number;
		/** For `rest_invalid_param`: a message per offending field path. */
		params?: Record< string, string >;
		details?: Record< string, unknown >;
	};
}

/**
 * Whether a rejection is a REST error (rather than, say, a network failure).
 *
 * @param error What `apiFetch` rejected with.
 */
export function isRestError( error: unknown ): error is RestError {
	return (
		typeof error === 'object' &&
		error !== null &&
		typeof ( error as RestError ).code === 'string'
	);
}
