/**
 * Path of the saved replies REST routes.
 */
import { API_ROOT } from '../../chatflows/store/api';

export const SAVED_REPLIES_PATH = `${ API_ROOT }/saved-replies`;
