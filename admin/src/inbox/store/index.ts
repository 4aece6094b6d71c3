/**
 * The `chatflows/inbox` data store, fed by the agent's socket connection.
 */
import { createReduxStore, register } from '@wordpress/data';

import * as actions from './actions';
import { reducer } from './reducer';
import * as selectors from './selectors';

export const STORE_NAME = 'chatflows/inbox';

export const store = createReduxStore( STORE_NAME, {
	reducer,
	actions,
	selectors,
} );

register( store );
