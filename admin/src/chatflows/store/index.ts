/**
 * The `chatflows/chatflows` data store: chatflows, teams, agents and inboxes
 * from the `chatflows/v1` REST API.
 */
import { createReduxStore, register } from '@wordpress/data';

import * as actions from './actions';
import { reducer } from './reducer';
import * as resolvers from './resolvers';
import * as selectors from './selectors';

export const STORE_NAME = 'chatflows/chatflows';

export const store = createReduxStore( STORE_NAME, {
	reducer,
	actions,
	selectors,
	resolvers,
} );

register( store );
